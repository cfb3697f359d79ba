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
    loss bottoms out early with noisy labels and then climbs; with clean labels it bottoms
    out near the middle of training and then rises only slightly" """
    for name, res in overfit.items():
        train, val, best = climb(res)
        assert train[-1] < 0.05 and train[-1] < 0.02 * train[0], name  # towards zero
        assert train[-1] < train[3 * len(train) // 4], name  # and still falling at the end
        assert np.all(val[len(val) // 2 :] > val[best]), name  # then climbs and stays up
        per_seed = res.curves("val_loss", NONE)
        assert paired_diff(per_seed[:, best], per_seed[:, -1]).low > 0, name  # detectably
    _, val, best = climb(overfit[NOISY])
    assert best < len(val) // 10  # early with noisy labels
    assert val[-1] > 1.1 * val[best]
    _, val, best = climb(overfit[CLEAN])
    assert len(val) // 3 <= best <= 2 * len(val) // 3  # near the middle with clean labels
    assert val[-1] < 1.2 * val[best]  # and the climb is slight


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


@pytest.mark.claim("q1-clean-only-dropout-lowers-ce")
def test_clean_labels_only_dropout_lowers_test_cross_entropy_detectably(overfit):
    """ "Only dropout detectably lowers the test cross-entropy (the mean of −log of the
    probability given to the true class)." """
    res = overfit[CLEAN]
    assert res.diff("data_loss", NONE, DROP).high < 0
    for arm in (L2, STOP):
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


@pytest.mark.claim("q1-noisy-l2-small-dropout-partial")
def test_noisy_labels_l2_gains_nothing_detectable_and_dropout_recovers_part(overfit):
    """ "L2 at 1e-3 lowers the test cross-entropy, but over 100 epochs the network still
    memorises the noise with it, and its accuracy gain is not detectable. Dropout at 0.5
    lowers the test cross-entropy more and recovers part of the lost accuracy, though less
    than early stopping; with it the network still reproduces most of the wrong training
    labels, but not all." """
    clean, res = overfit[CLEAN], overfit[NOISY]
    assert len(res.curves("loss", NONE)[0]) == 100  # over 100 epochs
    assert res.diff("data_loss", NONE, L2).high < 0
    assert np.all(wrong_labels_fitted(res, L2) > 0.95)  # still memorises the noise
    assert not res.diff("accuracy", NONE, L2).excludes_zero  # no detectable gain
    assert paired_diff(res.test("data_loss", DROP), res.test("data_loss", L2)).low > 0  # more
    lost = clean.test("accuracy", NONE).mean() - res.test("accuracy", NONE).mean()
    gain = res.diff("accuracy", NONE, DROP)
    assert gain.low > 0 and gain.mean < lost  # part of the lost accuracy
    assert paired_diff(res.test("accuracy", DROP), res.test("accuracy", STOP)).low > 0  # less
    fitted = wrong_labels_fitted(res, DROP)
    assert np.all(fitted > 0.5) and np.all(fitted < 1.0)  # most of the wrong labels, not all


@pytest.mark.claim("q1-page9-cannot-separate")
def test_page_9s_shorter_runs_cannot_separate_early_stopping_from_dropout():
    """'Over page 9's shorter runs of 60 epochs, five seeds cannot separate early stopping
    from dropout.'"""
    grid = runpy.run_path(str(ROOT / "snippets" / "choosing" / "technique_grid.py"))["grid"]
    for name in ("200, 30% noise", "800, 30% noise"):
        res = grid[name]
        assert len(res.seeds) == 5 and len(res.runs["dropout 0.5"][0].history["loss"]) == 60
        assert not res.diff("accuracy", "dropout 0.5", "early stopping").excludes_zero, name
