"""Every qualitative claim on page 9, asserted against the page's own experiments."""

import runpy

import numpy as np
import published
import pytest
from reglab import holm, report

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "choosing"
CLEAN, NOISY = ("200 clean", "800 clean"), ("200, 30% noise", "800, 30% noise")


@pytest.fixture(scope="module")
def grid():
    return runpy.run_path(str(SNIPPETS / "technique_grid.py"))["grid"]


def training_seconds(res, t):
    return np.mean([r.epochs_run * s for r, s in zip(res.runs[t], res.seconds_per_epoch(t), strict=True)])


@pytest.mark.claim("q9-early-stopping-saves")
def test_early_stopping_trains_the_fewest_epochs_and_is_the_cheapest(grid):
    """'Early stopping saves compute, because it trains fewer epochs.'"""
    for name in NOISY:
        res = grid[name]
        epochs = {t: np.mean([r.epochs_run for r in res.runs[t]]) for t in res.arms}
        assert min(epochs, key=epochs.get) == "early stopping"
        assert epochs["early stopping"] < 0.4 * epochs["none"]
        # Fewest epochs, and no extra work per step: the cheapest by total training time.
        assert training_seconds(res, "early stopping") < 0.5 * training_seconds(res, "none")
        seconds = {t: training_seconds(res, t) for t in res.arms}
        assert min(seconds, key=seconds.get) == "early stopping"  # the cheapest of all six
    for name in CLEAN:  # fewer epochs than training without it, whatever the labels
        res = grid[name]
        assert max(r.epochs_run for r in res.runs["early stopping"]) < 60
        assert training_seconds(res, "early stopping") < training_seconds(res, "none")


@pytest.mark.claim("q9-answer-adam-l2")
def test_sgd_l2_equals_weight_decay_but_adam_l2_does_not():
    """'with Adam an L2 penalty is not weight decay'."""
    ns = runpy.run_path(str(SNIPPETS / "adam_l2_vs_adamw.py"))
    assert np.allclose(ns["sgd_l2"], ns["sgd_wd"], atol=1e-4)
    assert ns["adam_l2"][0] > 0.9  # the steep weight is barely decayed by an L2 penalty under Adam
    assert ns["adam_l2"][1] < 0.5
    assert abs(ns["adamw"][0] - ns["adamw"][1]) < 0.01 and ns["adamw"][0] < 0.5  # AdamW: the same for both


@pytest.mark.claim("q9-tuning-dropout-rate")
def test_page5_best_noisy_dropout_rate_is_08_and_clean_rates_move_little():
    """'On page 5 the best dropout rate with noisy labels is 0.8. With clean labels, moderate
    rates (0.2 to 0.6) move test accuracy by less than a point and 0.9 lowers it.'"""
    sweeps = runpy.run_path(str(ROOT / "snippets" / "dropout" / "dropout_rate_sweep.py"))["sweeps"]
    noisy, clean = sweeps["30% label noise"], sweeps["clean labels"]
    best = max(noisy.arms, key=lambda a: noisy.test("accuracy", a).mean())
    assert best == "rate 0.8"
    for rate in ("0.2", "0.4", "0.6"):
        assert abs(clean.diff("accuracy", "rate 0.0", f"rate {rate}").mean) < 0.01, rate
    assert clean.diff("accuracy", "rate 0.0", "rate 0.9").high < 0


@pytest.mark.claim("q9-l1-selects")
def test_liblinear_keeps_exactly_the_informative_features_and_keras_l1_no_exact_zero():
    """'scikit-learn's coordinate-descent solver (liblinear, C = 0.05, one seed) keeps
    exactly the 5 informative features out of 100, while Keras's L1 penalty trained with
    Adam leaves no weight exactly zero.'"""
    l1_l2 = ROOT / "snippets" / "l1_l2"
    fits = runpy.run_path(str(l1_l2 / "sklearn_exact_zeros.py"))
    assert fits["liblinear"].C == 0.05 and fits["liblinear"].solver == "liblinear"
    assert np.flatnonzero(fits["liblinear"].coef_[0]).tolist() == [
        0,
        1,
        2,
        3,
        4,
    ]  # make_classification puts them first
    sparse = runpy.run_path(str(l1_l2 / "sparse_features_keras.py"))["sparse"]
    for arm in ("L1 (1e-3)", "L1 + L2 (elastic net)"):
        assert np.all(sparse.extra("exactly_zero", arm) == 0), arm


def test_holm_verdicts_on_the_decision_table_are_no_more_than_the_unadjusted_ones(grid):
    family = holm(
        {
            (n, t): (res.test("accuracy", "none"), res.test("accuracy", t))
            for n, res in grid.items()
            for t in res.arms[1:]
        }
    )
    assert len(family) == 20
    for c in family.values():
        assert c.p_holm >= c.p
        if c.verdict != "no detectable effect":
            assert c.diff.excludes_zero


@pytest.mark.claim("q9-zhang-inception")
def test_zhang_et_al_inception_numbers_and_their_difference():
    """'On CIFAR-10, Inception trained with random-crop augmentation and weight decay reached
    89.05% test accuracy, against 85.75% with neither, a difference of 3.3 points.'"""
    text = published.claim_text("q9-zhang-inception")
    high, low = published.ZHANG_INCEPTION_CROP_AND_WEIGHT_DECAY, published.ZHANG_INCEPTION_NO_REGULARIZATION
    assert f"reached {high:.2f}% test accuracy, against {low:.2f}% with neither" in text
    assert f"a difference of {high - low:.1f} points" in text


@pytest.mark.claim("q9-augmentation-helps-cnn")
def test_augmentation_alone_helps_the_small_cnn_on_real_mnist():
    """'on real MNIST it helps a small CNN on its own'"""
    cnn = runpy.run_path(str(SNIPPETS.parent / "benchmarks" / "mnist_cnn_techniques.py"))
    verdicts = report.against_none(cnn["mnist_cnn"])
    assert verdicts["augmentation"].verdict == "helps"  # Holm over the page's 4 comparisons
