"""Every qualitative claim on page 5, asserted against the page's own experiments."""

import runpy

import numpy as np
import pytest
from reglab import paired_diff

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "dropout"
CLEAN, NOISY = "clean labels", "30% label noise"
MODERATE = ("rate 0.2", "rate 0.4", "rate 0.6")


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


@pytest.mark.claim("q5-noisy-09-less")
def test_noisy_labels_rate_09_gains_less_than_half_as_much_as_08(sweeps):
    """'the highest rate, 0.9, gains less than half as much as 0.8.'"""
    noisy = sweeps[NOISY]
    highest, at_08 = gain(noisy, "rate 0.0", "rate 0.9"), gain(noisy, "rate 0.0", "rate 0.8")
    assert at_08.low > 0.05  # 0.8 gains, clearly: "half as much" compares two gains
    assert highest.mean < 0.5 * at_08.mean  # under half (0.41 of it when written)


@pytest.mark.claim("q5-more-epochs", "q5-epochs-grow")
def test_epochs_to_best_validation_loss_grow_with_the_rate(sweeps):
    """'Dropout trains one network, but the higher the rate, the later in training its
    validation loss reaches its lowest point.' and 'the epoch at which validation loss is
    lowest comes later as the rate grows, in both settings.'"""
    for name, s in sweeps.items():
        epochs = [s.best_epoch(a).mean() for a in s.arms]
        assert all(a < b for a, b in zip(epochs, epochs[1:], strict=False)), name  # at every step
        assert epochs[-1] > 2 * epochs[0], name


@pytest.mark.claim("q5-noisy-memorise")
def test_noisy_labels_more_dropout_reproduces_fewer_wrong_labels(sweeps):
    """'Up to rate 0.8, the more dropout, the less the network can memorise: evaluated with
    dropout off, it reproduces fewer of the wrong training labels at every step up in the
    rate, from nearly all of them without dropout to under a tenth at 0.8. At rate 0.9 it
    stays under a tenth, but no lower than at 0.8.'"""
    noisy = sweeps[NOISY]
    assert noisy.arms[4] == "rate 0.8"
    memorised = [noisy.extra("memorised", a).mean() for a in noisy.arms]
    assert all(a > b for a, b in zip(memorised[:5], memorised[1:5], strict=False))  # each step to 0.8
    assert memorised[0] > 0.98  # nearly all
    assert memorised[4] < 0.1  # under a tenth at 0.8
    assert memorised[5] < 0.1  # still under a tenth at 0.9
    assert memorised[5] >= memorised[4]  # but no lower than at 0.8


@pytest.mark.claim("q5-noisy-climbs")
def test_noisy_labels_test_accuracy_climbs_up_to_08_and_falls_at_09(sweeps):
    """'Test accuracy, measured on the clean test labels, climbs with the rate up to 0.8,
    then falls at 0.9, detectably: rate 0.9's mean gain over no dropout is less than half
    of rate 0.8's.' (In the noisy-label setting; 'climbs' compares the rates' means.)"""
    noisy = sweeps[NOISY]
    test = [noisy.test("accuracy", a).mean() for a in noisy.arms]
    assert noisy.arms[4] == "rate 0.8"
    assert all(a < b for a, b in zip(test[:5], test[1:5], strict=False))  # rates 0 to 0.8
    assert max(test) == test[4]
    assert gain(noisy, "rate 0.8", "rate 0.9").high < 0  # falls at 0.9, detectably
    assert test[5] - test[0] < 0.5 * (test[4] - test[0])  # less than half of rate 0.8's mean gain


@pytest.mark.claim("q5-clean-underfit")
def test_clean_labels_rate_09_stops_fitting_its_training_set(sweeps):
    """'Evaluated with dropout off, the network fits every one of its training images at
    rates up to 0.6, but at rate 0.9 it gets a few percent of them wrong, and its best
    validation loss and test accuracy are worse than at the moderate rates 0.2 to 0.6.'"""
    clean = sweeps[CLEAN]
    for arm in ("rate 0.0", *MODERATE):
        assert np.all(clean.extra("train_accuracy", arm) == 1.0), arm  # every image, every seed
    wrong = 1 - clean.extra("train_accuracy", "rate 0.9")
    assert 0.01 < wrong.mean() < 0.05  # a few percent
    best_val = {a: np.nanmin(clean.curves("val_loss", a), axis=1) for a in clean.arms}
    for arm in MODERATE:
        assert gain(clean, arm, "rate 0.9").high < 0, arm  # worse test accuracy
        assert paired_diff(best_val[arm], best_val["rate 0.9"]).low > 0, arm  # worse validation loss


@pytest.mark.claim("q5-logged-accuracy")
def test_accuracy_logged_with_dropout_on_is_lower_and_far_lower_at_09(sweeps):
    """'The training accuracy logged during training, with dropout on, is lower at every
    rate from 0.6 up, and far lower at 0.9: it scores the thinned networks, not the network
    used at inference.'"""
    for name, s in sweeps.items():
        for arm in ("rate 0.6", "rate 0.8", "rate 0.9"):
            logged, off = s.final("accuracy", arm).mean(), s.extra("train_accuracy", arm).mean()
            assert logged < off, (name, arm)
        gap = s.extra("train_accuracy", "rate 0.9").mean() - s.final("accuracy", "rate 0.9").mean()
        assert gap > 0.1, name  # far lower: more than ten points


def mc_gap(s, arm):
    return s.extra("mc_accuracy", arm) - s.extra("deterministic_accuracy", arm)


@pytest.mark.claim("q5-mc-accuracy")
def test_mc_dropout_never_beats_the_deterministic_pass_by_a_point(sweeps):
    """'In accuracy, averaging 50 stochastic passes never beats the single deterministic pass
    by as much as a point, at any rate, in either setting: the cheap approximation is as good
    as the ensemble average here, and better at rate 0.9 with clean labels.'"""
    for name, s in sweeps.items():
        for arm in s.arms[1:]:
            gap = mc_gap(s, arm).mean()
            assert gap < 0.01, (name, arm)  # never beats it by a point
            if (name, arm) != (CLEAN, "rate 0.9"):
                assert abs(gap) < 0.01, (name, arm)  # as good as the average, within a point
    clean = sweeps[CLEAN]
    assert mc_gap(clean, "rate 0.9").mean() < -0.01  # better there, by over a point
    det, mc = (clean.extra(k, "rate 0.9") for k in ("deterministic_accuracy", "mc_accuracy"))
    assert paired_diff(det, mc).high < 0  # and detectably


def mc_loss_change(s, arm):
    """MC loss minus deterministic loss, paired by seed."""
    return paired_diff(s.extra("deterministic_loss", arm), s.extra("mc_loss", arm))


@pytest.mark.claim("q5-mc-loss")
def test_mc_dropout_raises_loss_where_less_confident_and_lowers_it_only_at_noisy_09(sweeps):
    """'In loss the two differ. Averaging raises the test loss at rates 0.6 to 0.9 with clean
    labels and 0.4 to 0.8 with noisy ones, where the average of the thinned networks is
    clearly less confident than the deterministic pass. At rate 0.2, and at 0.4 with clean
    labels, the two losses cannot be told apart. Only at rate 0.9 with noisy labels, where
    the deterministic pass's confidence is under half its accuracy, does averaging detectably
    lower the loss.'"""
    raised = {CLEAN: ("rate 0.6", "rate 0.8", "rate 0.9"), NOISY: ("rate 0.4", "rate 0.6", "rate 0.8")}
    level = {CLEAN: ("rate 0.2", "rate 0.4"), NOISY: ("rate 0.2",)}
    for name, s in sweeps.items():
        assert set(raised[name]) | set(level[name]) | {"rate 0.0", "rate 0.9"} == set(s.arms)
        for arm in raised[name]:
            assert mc_loss_change(s, arm).low > 0, (name, arm)  # raises it, detectably
            drop = s.extra("deterministic_confidence", arm) - s.extra("mc_confidence", arm)
            assert drop.mean() > 0.03 and np.all(drop > 0), (name, arm)  # clearly less confident
        for arm in level[name]:
            d = mc_loss_change(s, arm)
            assert d.low < 0 < d.high, (name, arm)  # cannot be told apart
    noisy = sweeps[NOISY]
    assert mc_loss_change(noisy, "rate 0.9").high < 0  # lowers it, detectably: the only place
    confidence, accuracy = (
        noisy.extra(k, "rate 0.9") for k in ("deterministic_confidence", "deterministic_accuracy")
    )
    assert np.all(confidence < 0.5 * accuracy)  # confidence under half its accuracy, every seed


@pytest.mark.claim("q5-mc-no-accuracy")
def test_mc_dropout_buys_no_accuracy(sweeps):
    """'MC dropout costs 50 forward passes per prediction; here it buys no detectable accuracy
    at any rate.'"""
    for name, s in sweeps.items():
        for arm in s.arms[1:]:
            det, mc = (s.extra(k, arm) for k in ("deterministic_accuracy", "mc_accuracy"))
            assert paired_diff(det, mc).low <= 0, (name, arm)  # no detectable gain, at any rate
