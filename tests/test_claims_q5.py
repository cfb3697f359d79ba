"""Every qualitative claim on page 5, asserted against the page's own experiments."""

import runpy

import numpy as np
import pytest
from reglab import paired_diff

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "dropout"


@pytest.fixture(scope="module")
def sweeps():
    return runpy.run_path(str(SNIPPETS / "dropout_rate_sweep.py"))["sweeps"]


def test_inverted_scaling_and_expectation_match_the_papers_convention():
    ns = runpy.run_path(str(SNIPPETS / "mask_and_scaling.py"))
    masks, x, p = ns["masks"], ns["x"][0], ns["p"]
    kept = masks != 0
    assert np.allclose(masks[kept], np.broadcast_to(x / p, masks.shape)[kept])  # survivors x 1/p
    assert 0.49 < np.mean(~kept) < 0.51  # rate 0.5 drops half
    assert len({row.tobytes() for row in masks[:100]}) > 50  # a fresh mask per example
    assert np.allclose(ns["keras_train_mean"], ns["keras_inference"], atol=0.05)
    assert np.allclose(ns["paper_train_mean"], ns["paper_test"], atol=0.05)


def test_noisy_labels_dropout_raises_test_accuracy_by_over_ten_points(sweeps):
    noisy = sweeps["30% label noise"]
    d = paired_diff(noisy.test("accuracy", "rate 0.0"), noisy.test("accuracy", "rate 0.8"))
    assert d.low > 0.10


def test_noisy_labels_more_dropout_less_memorisation(sweeps):
    noisy = sweeps["30% label noise"]
    train = [noisy.final("accuracy", a).mean() for a in noisy.arms]
    assert train == sorted(train, reverse=True)
    test = [noisy.test("accuracy", a).mean() for a in noisy.arms[:5]]  # rates 0 to 0.8
    assert test == sorted(test)


def test_clean_labels_moderate_dropout_changes_almost_nothing(sweeps):
    clean = sweeps["clean labels"]
    for arm in ("rate 0.2", "rate 0.4", "rate 0.6"):
        d = paired_diff(clean.test("accuracy", "rate 0.0"), clean.test("accuracy", arm))
        assert -0.01 < d.low and d.high < 0.01, arm  # the whole interval within a point


def test_clean_labels_rate_09_underfits(sweeps):
    clean = sweeps["clean labels"]
    d = paired_diff(clean.test("accuracy", "rate 0.6"), clean.test("accuracy", "rate 0.9"))
    assert d.high < 0
    assert clean.final("accuracy", "rate 0.9").mean() < 0.9  # cannot fit its clean training set
    best_val = {a: np.nanmin(clean.curves("val_loss", a), axis=1).mean() for a in clean.arms}
    assert best_val["rate 0.9"] == max(best_val.values())


def test_epochs_to_best_validation_loss_grow_with_the_rate(sweeps):
    for s in sweeps.values():
        epochs = [s.best_epoch(a).mean() for a in s.arms]
        assert epochs == sorted(epochs)
        assert epochs[-1] > 2 * epochs[0]


def test_mc_dropout_never_beats_the_deterministic_pass_by_a_point(sweeps):
    for s in sweeps.values():
        for arm in s.arms[1:]:
            gap = s.extra("mc_accuracy", arm) - s.extra("deterministic_accuracy", arm)
            assert gap.mean() < 0.01, arm
            if arm != "rate 0.9":  # as good as the average, within a point
                assert abs(gap.mean()) < 0.01, arm


def test_mc_dropout_lowers_loss_at_small_rates_and_raises_it_at_high_rates(sweeps):
    for s in sweeps.values():
        assert s.extra("mc_loss", "rate 0.2").mean() < s.extra("deterministic_loss", "rate 0.2").mean()
        assert s.extra("mc_loss", "rate 0.9").mean() > s.extra("deterministic_loss", "rate 0.9").mean()
