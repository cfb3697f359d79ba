"""Every qualitative claim on page 1, asserted against the page's own experiment."""

import runpy

import numpy as np
import pytest
from reglab import paired_diff

from conftest import ROOT

NONE = "no regularization"
CLEAN, NOISY = "clean labels", "30% label noise"


@pytest.fixture(scope="module")
def overfit():
    return runpy.run_path(str(ROOT / "snippets" / "overview" / "overfitting_measured.py"))["overfit"]


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
