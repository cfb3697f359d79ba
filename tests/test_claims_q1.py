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


@pytest.mark.claim("q1-noisy-stopping-below-test")
def test_noisy_labels_the_restored_model_scores_lower_on_training_labels_than_on_test(overfit):
    """ "Its restored model agrees with fewer of its noisy training labels than of the clean
    test labels, so its train − test column is negative." """
    noisy = overfit[NOISY]
    assert np.all(noisy.extra("train_accuracy", STOP) < noisy.test("accuracy", STOP))
    assert gap(noisy, STOP).mean() < 0


@pytest.mark.claim("q1-noisy-dropout-lowers-ce-more")
def test_noisy_labels_dropout_lowers_test_cross_entropy_more_than_l2(overfit):
    """ "Dropout at 0.5 lowers the test cross-entropy more than L2 does" """
    res = overfit[NOISY]
    assert res.diff("data_loss", NONE, DROP).high < 0  # dropout lowers it
    more = paired_diff(res.test("data_loss", DROP), res.test("data_loss", L2))  # L2 minus dropout
    assert more.low > 0.05  # more than L2 does, by a margin
