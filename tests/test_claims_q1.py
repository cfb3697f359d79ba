"""Every qualitative claim on page 1, asserted against the page's own experiment."""

import runpy

import numpy as np
import pytest
from reglab import paired_diff

from conftest import ROOT

NONE = "no regularization"
L2, DROP, STOP = "L2 (1e-3)", "dropout 0.5", "early stopping (patience 10, restore best)"
CLEAN, NOISY = "clean labels", "30% label noise"


@pytest.fixture(scope="module")
def overfit():
    return runpy.run_path(str(ROOT / "snippets" / "overview" / "overfitting_and_three_remedies.py"))[
        "overfit"
    ]


def wrong_labels_fitted(res, arm):
    return res.extra("wrong_labels_fitted", arm).astype(float)


def gap(res, arm):
    """The page's train - test column: the tested model on its training split, minus test."""
    return res.extra("train_accuracy", arm) - res.test("accuracy", arm)


def climb(res):
    """Mean curves of the unregularized arm: (training loss, validation loss, best epoch index)."""
    train = np.nanmean(res.curves("loss", NONE), axis=0)
    val = np.nanmean(res.curves("val_loss", NONE), axis=0)
    return train, val, int(np.argmin(val))


@pytest.mark.claim("q1-fits-noise")
def test_the_network_fits_its_training_set_perfectly_noise_included(overfit):
    """ "A network with far more parameters than training examples can fit its training set
    perfectly, noise included" """
    for res in overfit.values():
        assert np.all(res.extra("train_accuracy", NONE) == 1.0)  # perfectly, in every seed
    assert np.all(wrong_labels_fitted(overfit[NOISY], NONE) == 1.0)  # every wrong label reproduced


@pytest.mark.claim("q1-help-depends-on-overfitting")
def test_regularizers_help_more_where_there_is_more_overfitting(overfit):
    """ "Regularization limits that, and how much it helps depends on how much there is to
    overfit." """
    clean, noisy = overfit[CLEAN], overfit[NOISY]
    assert gap(noisy, NONE).mean() > 3 * gap(clean, NONE).mean()  # far more to overfit with noisy labels
    for arm in (L2, DROP, STOP):
        assert noisy.diff("accuracy", NONE, arm).mean > clean.diff("accuracy", NONE, arm).mean, arm
        assert noisy.diff("data_loss", NONE, arm).mean < clean.diff("data_loss", NONE, arm).mean, arm
        assert noisy.diff("data_loss", NONE, arm).high < 0, arm  # and it helps detectably there


@pytest.mark.claim("q1-val-loss-climbs")
def test_without_regularization_training_loss_falls_while_validation_loss_turns_up(overfit):
    """ "Without regularization, training loss falls towards zero in both settings. Validation
    loss reaches its minimum early and then climbs" """
    for name, res in overfit.items():
        train, val, best = climb(res)
        assert train[-1] < 0.01 and train[-1] < 0.05 * train[0], name  # towards zero
        assert best < len(val) // 5, name  # the minimum comes early
        assert val[-1] > 1.1 * val[best], name  # then climbs
        assert np.all(val[len(val) // 2 :] > val[best]), name  # and stays up


@pytest.mark.claim("q1-noisy-climb-steep")
def test_with_noisy_labels_the_network_learns_the_wrong_labels_and_the_climb_is_steep(overfit):
    """ "With noisy labels, those details are the wrong labels, and the climb is steep." """
    assert np.all(wrong_labels_fitted(overfit[NOISY], NONE) == 1.0)
    _, noisy, best_noisy = climb(overfit[NOISY])
    _, clean, best_clean = climb(overfit[CLEAN])
    steep, mild = noisy[-1] / noisy[best_noisy], clean[-1] / clean[best_clean]
    assert steep > 2 and steep > 1.5 * mild


@pytest.mark.claim("q1-clean-no-accuracy-change")
def test_clean_labels_no_regularizer_changes_test_accuracy_detectably(overfit):
    """ "**With clean labels, none of the three changes test accuracy detectably.**" """
    res = overfit[CLEAN]
    for arm in (L2, DROP, STOP):
        assert not res.diff("accuracy", NONE, arm).excludes_zero, arm


@pytest.mark.claim("q1-clean-generalizes")
def test_clean_labels_the_unregularized_network_generalizes_well(overfit):
    """ "Digits are an easy task, and an unregularized network already generalizes well from
    200 images." """
    assert np.all(overfit[CLEAN].test("accuracy", NONE) > 0.9)


@pytest.mark.claim("q1-clean-only-stopping-lowers-ce")
def test_clean_labels_only_early_stopping_lowers_test_cross_entropy_detectably(overfit):
    """ "Only early stopping detectably lowers the test cross-entropy (the mean of −log of the
    probability given to the true class)." """
    res = overfit[CLEAN]
    assert res.diff("data_loss", NONE, STOP).high < 0
    for arm in (L2, DROP):
        assert not res.diff("data_loss", NONE, arm).excludes_zero, arm


@pytest.mark.claim("q1-noisy-choice-matters")
def test_noisy_labels_early_stopping_keeps_early_weights_and_recovers_most_of_the_loss(overfit):
    """ "**With noisy labels, the choice matters.** Early stopping, which keeps the weights
    from before the network memorised the wrong labels, recovers a large part of the lost
    accuracy." """
    clean, noisy = overfit[CLEAN], overfit[NOISY]
    assert np.all(wrong_labels_fitted(noisy, STOP) < 0.2)  # the restored weights: few wrong labels learned
    lost = clean.test("accuracy", NONE).mean() - noisy.test("accuracy", NONE).mean()
    recovered = noisy.diff("accuracy", NONE, STOP)
    assert recovered.low > 0 and recovered.mean > 0.5 * lost  # a large part
    for arm in (L2, DROP):  # the choice matters: stopping beats the other two detectably
        assert paired_diff(noisy.test("accuracy", arm), noisy.test("accuracy", STOP)).low > 0, arm


@pytest.mark.claim("q1-noisy-stopping-below-test")
def test_noisy_labels_the_restored_model_scores_lower_on_training_labels_than_on_test(overfit):
    """ "Its restored model agrees with fewer of its noisy training labels than of the clean
    test labels, so its train − test column is negative." """
    noisy = overfit[NOISY]
    assert np.all(noisy.extra("train_accuracy", STOP) < noisy.test("accuracy", STOP))
    assert gap(noisy, STOP).mean() < 0


@pytest.mark.claim("q1-noisy-dropout-l2-small")
def test_noisy_labels_dropout_and_l2_lower_cross_entropy_but_gain_little_accuracy(overfit):
    """ "Dropout at 0.5 and L2 at 1e-3 lower the test cross-entropy, but over 150 epochs the
    network still memorises the noise, and their accuracy gain is small." """
    res = overfit[NOISY]
    stopping = res.diff("accuracy", NONE, STOP).mean
    for arm in (L2, DROP):
        assert res.diff("data_loss", NONE, arm).high < 0, arm
        assert np.all(wrong_labels_fitted(res, arm) > 0.95), arm  # still memorises the noise
        gain = res.diff("accuracy", NONE, arm)
        assert gain.mean < 0.03 and gain.high < 0.05 and gain.mean < stopping / 5, arm  # small
