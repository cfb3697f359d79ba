"""Every qualitative claim on page 2, asserted against the page's own computations."""

import runpy

import numpy as np
import pytest

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "bias_variance"


@pytest.fixture(scope="module")
def decomposition():
    return runpy.run_path(str(SNIPPETS / "ridge_decomposition.py"))["decomposition"]


def test_the_three_terms_add_up_to_the_measured_test_error(decomposition):
    _, _, _, _, total, measured = decomposition.T
    assert np.all(np.abs(total - measured) / measured < 0.03)


def test_variance_falls_and_bias_rises_as_the_penalty_grows(decomposition):
    _, bias2, variance, noise, _, _ = decomposition.T
    assert np.all(np.diff(variance) < 0)
    assert bias2[-1] > 100 * bias2[0] and np.all(np.diff(bias2[5:]) > 0)
    assert np.all(noise == noise[0])  # the noise term never moves


def test_total_error_is_u_shaped_with_an_interior_minimum(decomposition):
    total = decomposition[:, 4]
    best = int(total.argmin())
    assert 0 < best < len(total) - 1
    assert total[0] > 1.1 * total[best] and total[-1] > 2 * total[best]


def test_double_descent_peaks_at_the_interpolation_threshold_and_a_penalty_removes_it():
    ns = runpy.run_path(str(SNIPPETS / "double_descent.py"))
    median = np.median(ns["test_mse"], axis=0)
    counts = ns["feature_counts"]
    peak = int(median.argmax())
    assert counts[peak] == ns["n_train"]
    assert median[-1] < median[peak] / 10  # it falls again past the threshold
    assert np.median(ns["test_mse_ridge"], axis=0).max() < median[peak] / 10
