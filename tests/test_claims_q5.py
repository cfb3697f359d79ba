"""Every qualitative claim on page 5, asserted against the page's own experiments."""

import runpy

import numpy as np
import pytest
from reglab import paired_diff

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "dropout"
CLEAN, NOISY = "clean labels", "30% label noise"


@pytest.fixture(scope="module")
def sweeps():
    return runpy.run_path(str(SNIPPETS / "dropout_rate_sweep.py"))["sweeps"]


@pytest.fixture(scope="module")
def mechanism():
    return runpy.run_path(str(SNIPPETS / "mask_and_scaling.py"))


def gain(s, baseline, treatment):
    return paired_diff(s.test("accuracy", baseline), s.test("accuracy", treatment))


def test_inverted_scaling_draws_a_fresh_mask_and_scales_survivors(mechanism):
    masks, x, p = mechanism["masks"], mechanism["x"][0], mechanism["p"]
    kept = masks != 0
    assert np.allclose(masks[kept], np.broadcast_to(x / p, masks.shape)[kept])  # survivors x 1/p
    assert 0.49 < np.mean(~kept) < 0.51  # rate 0.5 drops half
    assert len({row.tobytes() for row in masks[:100]}) > 50  # a fresh mask per example


@pytest.mark.claim("q5-mean-matches")
def test_each_conventions_training_average_matches_its_inference_pass(mechanism):
    """'Each convention's training-time average matches its own inference pass, so a single
    deterministic pass stands in for the average over masks.'"""
    ns = mechanism
    scale = np.abs(ns["keras_inference"]).max()
    assert np.allclose(ns["keras_train_mean"], ns["keras_inference"], atol=0.01 * scale)
    assert np.allclose(ns["paper_train_mean"], ns["paper_test"], atol=0.01 * scale)


@pytest.mark.claim("q5-paper-half")
def test_the_papers_numbers_are_p_times_keras_with_the_same_weights(mechanism):
    """'(The paper's numbers are half of Keras's only because both use the same weights and
    the paper does not rescale its training-time activations by $1/p$.)'"""
    ns = mechanism
    p = ns["p"]
    assert p == 0.5
    # exactly p times, under the same masks and the same weights: nothing else differs
    assert np.allclose(ns["paper_train_mean"], p * ns["keras_train_mean"], rtol=1e-5)
    assert np.allclose(ns["paper_test"], p * ns["keras_inference"], rtol=1e-5)
    # and the paper network with weights W is the Keras network with weights p W
    masks, w = ns["masks"], ns["w"]
    assert np.allclose((masks * p) @ w, masks @ (p * w), rtol=1e-5)


@pytest.mark.claim("q5-more-steps")
def test_from_rate_04_dropout_needs_more_epochs_to_reach_the_same_validation_accuracy(sweeps):
    """'from rate 0.4 up, it needs more steps to reach the same validation accuracy, in both
    settings' (the page's target: 2 pp under the lowest rate's best mean)."""
    from reglab import tuning

    for name, s in sweeps.items():
        target = tuning.common_target(s, s.arms, below=0.02)
        none = np.nanmedian(tuning.epochs_to_reach(s, "rate 0.0", target))
        for arm in ("rate 0.4", "rate 0.6", "rate 0.8"):
            slower = np.nanmedian(tuning.epochs_to_reach(s, arm, target))
            assert slower >= none + 2, (name, arm)  # more epochs, by a margin of two


def mc_gap(s, arm):
    return s.extra("mc_accuracy", arm) - s.extra("deterministic_accuracy", arm)


@pytest.mark.claim("q5-mc-accuracy")
def test_mc_dropout_never_beats_the_deterministic_pass_by_a_point(sweeps):
    """'In accuracy, averaging 50 stochastic passes never beats the single deterministic pass
    by as much as a point, at any rate, in either setting: the cheap approximation is as good
    as the ensemble average here.'"""
    for name, s in sweeps.items():
        for arm in s.arms[1:]:
            assert mc_gap(s, arm).mean() < 0.005, (name, arm)  # never beats it by a point (margin)


def mc_loss_change(s, arm):
    """MC loss minus deterministic loss, paired by seed."""
    return paired_diff(s.extra("deterministic_loss", arm), s.extra("mc_loss", arm))


@pytest.mark.claim("q5-mc-loss")
def test_mc_dropout_raises_loss_where_the_average_is_less_confident(sweeps):
    """'In loss the two differ. At rate 0.8 with clean labels, and from 0.4 up with noisy
    ones, averaging raises the test loss: there the average of the thinned networks is
    clearly less confident than the deterministic pass.'"""
    raised = {CLEAN: ("rate 0.8",), NOISY: ("rate 0.4", "rate 0.6", "rate 0.8")}
    for name, s in sweeps.items():
        for arm in raised[name]:
            assert mc_loss_change(s, arm).low > 0.02, (name, arm)  # raises it, with a margin
            drop = s.extra("deterministic_confidence", arm) - s.extra("mc_confidence", arm)
            assert drop.mean() > 0.03 and np.all(drop > 0), (name, arm)  # clearly less confident


@pytest.mark.claim("q5-mc-no-accuracy")
def test_mc_dropout_buys_no_accuracy(sweeps):
    """'MC dropout costs 50 forward passes per prediction; here it buys no detectable accuracy
    at any rate.'"""
    for name, s in sweeps.items():
        for arm in s.arms[1:]:
            det, mc = (s.extra(k, arm) for k in ("deterministic_accuracy", "mc_accuracy"))
            assert paired_diff(det, mc).low < -0.001, (name, arm)  # no detectable gain, with a margin
