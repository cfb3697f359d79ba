"""Every qualitative claim on page 6, asserted against the page's own experiments."""

import runpy

import keras
import numpy as np
import published
import pytest
from reglab import load, paired_diff

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "early_stopping"
CLEAN, NOISY = "clean labels", "30% label noise"
NONE, DEFAULT, RESTORE, GL = (
    "no early stopping",
    "patience 10, restore_best_weights=False",
    "patience 10, restore_best_weights=True",
    "Prechelt GL5, restore best",
)


@pytest.fixture(scope="module")
def page():
    ns = runpy.run_path(str(SNIPPETS / "patience_and_restore.py"))
    ns["outcomes"] = {
        setting: {name: ns["replay"](res, rule) for name, rule in ns["rules"].items()}
        for setting, res in ns["full"].items()
    }
    return ns


@pytest.fixture(scope="module")
def linear():
    return runpy.run_path(str(SNIPPETS / "linear_l2_equivalence.py"))


def acc(page, setting, rule):
    return page["outcomes"][setting][rule][0]


def diff(page, setting, baseline, treatment):
    return paired_diff(acc(page, setting, baseline), acc(page, setting, treatment))


def peak(page, setting):
    """Per seed, the best test accuracy over the epochs: for reporting the fall, never to choose."""
    return np.array([max(r.history["test_accuracy"]) for r in page["full"][setting].runs["no stopping"]])


def test_keras_defaults_are_as_the_page_says():
    cb = keras.callbacks.EarlyStopping()
    assert (cb.monitor, cb.patience, cb.restore_best_weights) == ("val_loss", 0, False)


@pytest.mark.claim("q6-restore-gain-undetected")
def test_keeping_the_best_epochs_weights_adds_no_detectable_gain(page):
    """'It does not find the point where the model stops generalizing, as it is often
    described: it finds a good epoch *on the validation set*, and here keeping the weights
    from that epoch, rather than the last ones, added no detectable gain.'"""
    for setting in (CLEAN, NOISY):
        restored = acc(page, setting, RESTORE)
        # not the point itself: on most seeds the epoch chosen on validation scores below
        # the best test accuracy of the run
        assert np.mean(restored < peak(page, setting)) > 0.5, setting
        adds = diff(page, setting, DEFAULT, RESTORE)
        assert not adds.excludes_zero, setting  # no detectable gain (nor loss), either setting
    # a good epoch: where it matters, the restored weights recover nearly all of the fall
    fall = (peak(page, NOISY) - acc(page, NOISY, NONE)).mean()
    assert diff(page, NOISY, NONE, RESTORE).mean / fall > 0.85


@pytest.mark.claim("q6-summary")
def test_summary_little_on_clean_decisive_on_noisy_default_keeps_nearly_all(page):
    """'Below, on clean digits it changes little; with noisy labels it is decisive, and
    Keras's default `restore_best_weights=False` keeps nearly all of the gain.'"""
    for rule in (DEFAULT, RESTORE):
        clean = diff(page, CLEAN, NONE, rule)
        assert not clean.excludes_zero and abs(clean.mean) < 0.01, rule  # changes little
    gain = diff(page, NOISY, NONE, RESTORE)
    assert gain.low > 0.10  # decisive: over ten points at the bottom of the 95% interval
    kept = diff(page, NOISY, NONE, DEFAULT)
    assert kept.low > 0.10  # the default's gain is decisive too
    assert 0.85 < kept.mean / gain.mean < 1  # nearly all of the gain, not all of it


@pytest.mark.claim("q6-minimum-early")
def test_noisy_minimum_comes_early(page):
    """'The minimum comes early.': within the first 15 of 100 epochs on every seed."""
    best = [r.best_epoch for r in page["full"][NOISY].runs["no stopping"]]
    assert max(best) < 15 and np.mean(best) < 10


@pytest.mark.claim("q6-patience-memorises")
def test_during_the_patience_window_half_the_seeds_memorise_wrong_labels(page):
    """'training runs on for `patience` more epochs, while validation loss rises and training
    accuracy rises too; on half of the seeds, training accuracy by then exceeds the share of
    labels that are correct, so those networks have started to memorise wrong ones.'"""
    res = page["full"][NOISY]
    beyond = []
    for seed, r in zip(res.seeds, res.runs["no stopping"], strict=True):
        stop = page["keras_patience"](r.history["val_loss"], patience=10)
        assert stop.stop == stop.best + 10  # patience more epochs
        correct_share = 1 - load(page["settings"][NOISY], seed).noisy_train.mean()
        at_best, at_stop = r.history["accuracy"][stop.best - 1], r.history["accuracy"][stop.stop - 1]
        assert r.history["val_loss"][stop.stop - 1] > r.history["val_loss"][stop.best - 1], seed
        assert at_stop > at_best, seed  # training accuracy rises too
        assert at_best < correct_share, seed  # "started": not yet beyond it at the minimum
        # a network that fitted only the correct labels could not score above their share
        beyond.append(at_stop > correct_share)
    assert 2 * sum(beyond) == len(beyond)  # on half of the seeds


@pytest.mark.claim("q6-clean-neither")
def test_clean_labels_stopping_neither_helps_nor_hurts_much(page):
    """'With clean labels the network barely overfits in accuracy, so stopping early neither
    helps nor hurts much.'"""
    runs = page["full"][CLEAN].runs["no stopping"]
    fall = peak(page, CLEAN) - acc(page, CLEAN, NONE)
    assert fall.mean() < 0.01  # barely overfits: the last epoch is within a point of the peak
    assert all(r.history["accuracy"][-1] == 1.0 for r in runs)
    for rule in (DEFAULT, RESTORE):
        d = diff(page, CLEAN, NONE, rule)
        assert -0.01 < d.low and d.high < 0.01, rule  # the whole interval within a point


@pytest.mark.claim("q6-noisy-falls")
def test_noisy_labels_no_stopping_memorises_and_falls_far_below_the_peak(page):
    """'With 30% label noise the network without stopping memorises the noise, and its test
    accuracy ends far below its peak.'"""
    runs = page["full"][NOISY].runs["no stopping"]
    assert all(r.history["accuracy"][-1] > 0.99 for r in runs)  # fits the wrong labels too
    fall = peak(page, NOISY) - acc(page, NOISY, NONE)
    assert fall.mean() > 0.10 and np.all(fall > 0.05)  # far below: over ten points


def keras_callback_replay(val_loss, patience, restore):
    """Drive keras.callbacks.EarlyStopping over a recorded curve; the weights of each epoch
    are set to the epoch number, so the weights kept at the end say which epoch they are."""
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    callback = keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=restore)
    callback.set_model(model)
    model.stop_training = False
    callback.on_train_begin()
    for epoch, value in enumerate(val_loss):
        model.set_weights([np.full(w.shape, epoch + 1, dtype="float32") for w in model.get_weights()])
        callback.on_epoch_end(epoch, {"val_loss": value})
        if model.stop_training:
            break
    callback.on_train_end()
    return epoch + 1, int(model.get_weights()[0].flat[0])


@pytest.mark.claim("q6-keras-keeps-last")
def test_the_keras_default_keeps_the_weights_from_patience_epochs_after_the_minimum(page):
    """'The Keras default keeps the weights from `patience` epochs after the minimum.'"""
    for setting in (CLEAN, NOISY):
        for r in page["full"][setting].runs["no stopping"]:
            curve = r.history["val_loss"]
            stopped, kept = keras_callback_replay(curve, patience=10, restore=False)
            replay = page["keras_patience"](curve, patience=10)
            assert stopped == replay.stop < len(curve)  # the page's replay stops where Keras does
            assert kept == stopped  # the default keeps the last epoch's weights,
            assert replay.best == int(np.argmin(curve[:stopped])) + 1  # the minimum so far,
            assert kept == replay.best + 10  # and the last epoch is patience epochs after it
            _, restored = keras_callback_replay(curve, patience=10, restore=True)
            assert restored == replay.best  # restore_best_weights=True keeps the minimum's


@pytest.mark.claim("q6-default-recovers-most")
def test_the_keras_default_recovers_most_and_nearly_all_of_the_restored_gain(page):
    """'Even so, it recovers most of the lost accuracy: its gain over no stopping is nearly
    all of the gain with `restore_best_weights=True`.'"""
    kept = diff(page, NOISY, NONE, DEFAULT)
    assert kept.low > 0
    fall = (peak(page, NOISY) - acc(page, NOISY, NONE)).mean()
    assert kept.mean / fall > 0.5  # most of the fall from the peak
    share = kept.mean / diff(page, NOISY, NONE, RESTORE).mean
    assert 0.85 < share < 1  # nearly all, not all


@pytest.mark.claim("q6-restore-adds")
def test_restoring_adds_only_a_small_undetected_remainder_and_nearly_all_the_fall(page):
    """'Restoring the best weights adds only the small remainder, whose 95% interval includes
    zero; with it, early stopping recovers nearly all of the fall from the peak.'"""
    adds = diff(page, NOISY, DEFAULT, RESTORE)
    gain = diff(page, NOISY, NONE, RESTORE)
    assert adds.low <= 0 <= adds.high  # the interval includes zero
    assert 0 < adds.mean / gain.mean < 0.15  # only the small remainder of the gain
    fall = (peak(page, NOISY) - acc(page, NOISY, NONE)).mean()
    assert 0.85 < gain.mean / fall < 1  # nearly all of it


@pytest.mark.claim("q6-gl5")
def test_gl5_matches_patience_with_noise_but_stops_too_soon_on_clean_labels(page):
    """'With noisy labels it matches patience plus restore. With clean labels it fires on an
    early bump of the validation curve and stops too soon, which costs accuracy.'"""
    noisy = diff(page, NOISY, RESTORE, GL)
    assert not noisy.excludes_zero and abs(noisy.mean) < 0.01
    clean = diff(page, CLEAN, RESTORE, GL)
    assert clean.high < 0  # costs accuracy
    stops = page["outcomes"][CLEAN]
    assert stops[GL][1].mean() < 0.5 * stops[RESTORE][1].mean()  # stops too soon
    for r in page["full"][CLEAN].runs["no stopping"]:  # on a bump: the curve goes on to fall
        stop = page["prechelt_gl"](r.history["val_loss"], alpha=5)
        assert min(r.history["val_loss"][stop.stop :]) < r.history["val_loss"][stop.best - 1]


@pytest.mark.claim("q6-linear-roughly-l2", "q6-l2-approximation")
def test_early_stopping_is_roughly_but_not_exactly_l2_for_a_linear_model(linear):
    r"""'for a linear model trained by gradient descent it acts roughly like L2
    regularization' and 'The correspondence is an approximation, not an identity: the two
    shrink each eigendirection by $1-(1-\varepsilon\lambda_i)^\tau$ and
    $\lambda_i/(\lambda_i+\alpha)$, which agree only roughly.'"""
    rows = linear["rows"]
    gaps = [r[2] for r in rows]
    assert 0.1 < min(gaps) and max(gaps) < 0.4  # roughly: 10-40% apart, never close to equal
    for column in (3, 4):  # both paths grow towards the unregularized solution
        norms = [r[column] for r in rows]
        assert norms == sorted(norms) and norms[-1] < 1
    # "like L2": the early-stopped weights are nearer the matching ridge solution than the
    # unregularized one whenever the regularization is strong enough to matter
    gd, ridge, lr = linear["gradient_descent"], linear["ridge"], linear["lr"]
    for steps in (3, 10, 30, 100):
        w_stop, w_l2, w_full = gd(steps), ridge(1.0 / (lr * steps)), linear["w_full"]
        assert np.linalg.norm(w_stop - w_l2) < np.linalg.norm(w_stop - w_full), steps


@pytest.mark.claim("q6-deep-evidence")
def test_early_stopping_regularizes_the_deep_network(page):
    """'For a deep network trained with Adam there is no such formula; the experiment above is
    the evidence that early stopping regularizes there.'"""
    assert diff(page, NOISY, NONE, RESTORE).low > 0.10  # it prevents the memorisation's damage
    assert page["full"][NOISY].runs["no stopping"][0].history["accuracy"][-1] > 0.99


@pytest.mark.claim("q6-prechelt")
def test_prechelt_numbers_are_quoted_as_published():
    """'Over 1296 runs, slower stopping criteria gained about 4% in generalization for about
    4x the training time.'"""
    text = published.claim_text("q6-prechelt")
    assert f"Over {published.PRECHELT_RUNS} runs" in text
    assert f"about {published.PRECHELT_GENERALIZATION_GAIN_PERCENT}% in generalization" in text
    assert f"about {published.PRECHELT_TRAINING_TIME_FACTOR}× the training time" in text
