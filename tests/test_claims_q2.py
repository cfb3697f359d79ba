"""Every qualitative claim on page 2, asserted against the page's own computations."""

import runpy

import numpy as np
import pytest

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "bias_variance"


@pytest.fixture(scope="module")
def decomposition():
    return runpy.run_path(str(SNIPPETS / "ridge_decomposition.py"))["decomposition"]


@pytest.fixture(scope="module")
def double_descent():
    ns = runpy.run_path(str(SNIPPETS / "double_descent.py"))
    return {
        "counts": list(ns["feature_counts"]),
        "n_train": ns["n_train"],
        "median": np.median(ns["test_mse"], axis=0),
        "median_ridge": np.median(ns["test_mse_ridge"], axis=0),
    }


def test_the_three_terms_add_up_to_the_measured_test_error(decomposition):
    _, _, _, _, total, measured = decomposition.T
    assert np.all(np.abs(total - measured) / measured < 0.03)


@pytest.mark.claim("q2-no-penalty-high-variance")
def test_with_almost_no_penalty_variance_is_high_and_bias_near_zero(decomposition):
    """ "with almost no penalty the polynomial chases the noise in each training set, so its
    variance is high and its bias near zero." """
    _, bias2, variance, noise, _, _ = decomposition.T
    assert variance[0] == variance.max()  # high: the largest of any λ
    assert variance[0] > 0.5 * noise[0]  # and comparable to the noise it chases
    assert bias2[0] < 0.01 * variance[0]  # near zero


@pytest.mark.claim("q2-variance-falls-bias-rises")
def test_variance_falls_at_every_step_and_bias_rises_at_every_step_once_off_its_floor(decomposition):
    """ "As λ grows the variance falls at every step, and once the bias has left its near-zero
    floor it rises at every step; the total error traces a U." """
    _, bias2, variance, noise, total, _ = decomposition.T
    assert np.all(np.diff(variance) < 0)
    start = next(i for i in range(len(bias2)) if np.all(np.diff(bias2[i:]) > 0))  # rises from here on
    assert start < len(bias2) - 4  # over many steps
    assert np.all(bias2[: start + 1] < 0.01 * noise[0])  # before it, the bias sits on a near-zero floor
    assert bias2[-1] > 100 * bias2[start]
    best = int(total.argmin())
    assert 0 < best < len(total) - 1  # a U: the minimum is inside the range
    assert total[0] > 1.1 * total[best] and total[-1] > 2 * total[best]


@pytest.mark.claim("q2-noise-never-moves")
def test_the_noise_term_never_moves_and_the_test_error_stays_above_it(decomposition):
    """ "The noise term never moves, and no amount of regularization removes it: the measured
    test error stays above it at every λ." """
    _, _, _, noise, _, measured = decomposition.T
    assert np.all(noise == noise[0])
    assert np.all(measured > noise)


@pytest.mark.claim("q2-high-variance-gains")
def test_the_best_lambda_is_where_the_changes_in_variance_and_bias_balance(decomposition):
    """ "In the ridge experiment above, raising λ from almost no penalty to the best λ removes
    far more variance than it adds bias², so the total falls; past the best λ, it adds far more
    bias² than it removes variance, and every step raises the total. The best λ is where the
    two changes balance: a high-variance model gains, a high-bias model only gets worse." """
    _, bias2, variance, _, total, _ = decomposition.T
    best = int(total.argmin())
    assert 0 < best < len(total) - 1
    removed, added = variance[0] - variance[best], bias2[best] - bias2[0]
    assert removed > 5 * added and total[0] > 1.1 * total[best]  # far more variance removed: it falls
    removed, added = variance[best] - variance[-1], bias2[-1] - bias2[best]
    assert added > 5 * removed  # past it, far more bias² added
    assert np.all(np.diff(total[best:]) > 0.01 * total[best])  # and every step raises the total
    # They balance at the best λ: the last step into it removes more variance than it adds
    # bias², the first step out of it adds more bias² than it removes variance.
    assert variance[best - 1] - variance[best] > 1.5 * (bias2[best] - bias2[best - 1])
    assert bias2[best + 1] - bias2[best] > 1.5 * (variance[best] - variance[best + 1])


@pytest.mark.claim("q2-penalty-removes-peak")
def test_a_small_penalty_removes_the_peak(double_descent):
    """ "A small explicit penalty removes the peak." """
    counts, median, ridge = double_descent["counts"], double_descent["median"], double_descent["median_ridge"]
    peak = int(median.argmax())
    assert counts[peak] == double_descent["n_train"]  # without a penalty: a peak at the threshold
    assert median[peak] > 10 * median[peak - 1] and median[peak] > 10 * median[peak + 1]
    assert ridge[peak] < max(ridge[peak - 1], ridge[peak + 1])  # with it: no local peak there
    assert ridge.max() < 2 * ridge.min()  # and nothing like one anywhere
    assert ridge.max() < median[peak] / 10


@pytest.mark.claim("q2-past-threshold-falls")
def test_past_the_threshold_every_larger_model_has_lower_test_error(double_descent):
    """ "Past the threshold, every larger model here has a lower test error than the one
    before it." """
    counts, median = double_descent["counts"], double_descent["median"]
    threshold = counts.index(double_descent["n_train"])
    assert len(median) - threshold >= 5  # several sizes past it
    assert np.all(np.diff(median[threshold:]) < 0)
