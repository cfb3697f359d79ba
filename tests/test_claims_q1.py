"""Every qualitative claim on page 1, asserted against the page's own experiment."""

import runpy

import numpy as np
import pytest

from conftest import ROOT

NONE = "no regularization"
L2, DROP, STOP = "L2 (1e-3)", "dropout 0.5", "early stopping (patience 10, restore best)"


@pytest.fixture(scope="module")
def overfit():
    return runpy.run_path(str(ROOT / "snippets" / "overview" / "overfitting_and_three_remedies.py"))[
        "overfit"
    ]


def test_without_regularization_training_loss_falls_while_validation_loss_turns_up(overfit):
    for res in overfit.values():
        train = np.nanmean(res.curves("loss", NONE), axis=0)
        val = np.nanmean(res.curves("val_loss", NONE), axis=0)
        best = int(np.argmin(val))
        assert best < len(val) // 3  # the minimum comes early
        assert val[-1] > 1.2 * val[best] and train[-1] < 0.05 * train[best]
    noisy = np.nanmean(overfit["30% label noise"].curves("val_loss", NONE), axis=0)
    clean = np.nanmean(overfit["clean labels"].curves("val_loss", NONE), axis=0)
    assert noisy[-1] / noisy.min() > clean[-1] / clean.min()  # steeper with noisy labels


def test_the_network_fits_its_training_set(overfit):
    for res in overfit.values():
        assert res.final("accuracy", NONE).mean() > 0.99


def test_clean_labels_no_regularizer_changes_test_accuracy_detectably(overfit):
    res = overfit["clean labels"]
    for arm in res.arms[1:]:
        assert not res.diff("accuracy", NONE, arm).excludes_zero, arm


def test_clean_labels_only_early_stopping_lowers_test_cross_entropy_detectably(overfit):
    res = overfit["clean labels"]
    assert res.diff("data_loss", NONE, STOP).high < 0
    for arm in (L2, DROP):
        assert not res.diff("data_loss", NONE, arm).excludes_zero, arm


def test_noisy_labels_early_stopping_recovers_a_large_part(overfit):
    assert overfit["30% label noise"].diff("accuracy", NONE, STOP).low > 0.1


def test_noisy_labels_dropout_and_l2_lower_cross_entropy_but_gain_little_accuracy(overfit):
    res = overfit["30% label noise"]
    for arm in (L2, DROP):
        assert res.diff("data_loss", NONE, arm).high < 0, arm
        assert res.diff("accuracy", NONE, arm).mean < 0.03, arm
        assert res.final("accuracy", arm).mean() > 0.95, arm  # still memorises the noise
