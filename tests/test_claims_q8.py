"""Every qualitative claim on page 8, asserted against the page's own experiment."""

import runpy

import keras
import numpy as np
import pytest
from reglab import config, mean_ci

from conftest import ROOT

BASE, DROP = "no dropout", "dropout 0.5"


@pytest.fixture(scope="module")
def page():
    if config.mnist():
        pytest.skip("REGLAB_MNIST=1: the page's prose describes the default digits run")
    return runpy.run_path(str(ROOT / "snippets" / "dropout" / "dropout_vs_none.py"))


def test_inverted_dropout_scales_kept_units_and_is_identity_at_inference():
    keras.utils.set_random_seed(0)
    layer = keras.layers.Dropout(rate=0.5)
    x = np.ones((1000, 100), dtype="float32")
    train_a, train_b = np.asarray(layer(x, training=True)), np.asarray(layer(x, training=True))
    assert set(np.unique(train_a)) == {0.0, 2.0}  # kept units scaled by 1 / (1 - 0.5)
    assert abs(train_a.mean() - 1.0) < 0.01  # the expectation is preserved
    assert not np.array_equal(train_a, train_b)  # a fresh mask at every call
    assert not np.array_equal(train_a[0], train_a[1])  # and for every example
    assert np.array_equal(np.asarray(layer(x, training=False)), x)  # identity at inference


def test_same_architecture_with_and_without_dropout(page):
    with_dropout, without = page["build_mlp"](0.5), page["build_mlp"](0.0)
    assert [w.shape for w in with_dropout.weights] == [w.shape for w in without.weights]
    assert sum(isinstance(layer, keras.layers.Dropout) for layer in with_dropout.layers) == 2
    assert not any(isinstance(layer, keras.layers.Dropout) for layer in without.layers)


def test_at_least_five_paired_seeds(page):
    for res in (page["clean"], page["noisy"]):
        assert len(res.seeds) >= 5 and res.arms == [BASE, DROP]


def test_clean_digits_accuracy_difference_is_not_detectable(page):
    """'On clean labels the two are statistically indistinguishable in test accuracy.'"""
    d = page["clean"].diff("accuracy", BASE, DROP)
    assert not d.excludes_zero and abs(d.mean) < 0.01


def test_clean_digits_generalise_well_without_dropout(page):
    """'a 2x512 MLP already generalises well': above 95% test accuracy."""
    assert mean_ci(page["clean"].test("accuracy", BASE)).mean > 0.95


def test_label_noise_dropout_gives_a_clear_gain(page):
    """'When 30% of the labels are wrong ... dropout gives a clear, repeatable gain.'"""
    res = page["noisy"]
    acc, loss = res.diff("accuracy", BASE, DROP), res.diff("data_loss", BASE, DROP)
    assert acc.low > 0.02  # at least two percentage points, with 95% confidence
    assert loss.high < 0
    assert np.all(res.test("accuracy", DROP) > res.test("accuracy", BASE))  # every paired seed


def test_without_dropout_validation_loss_climbs_while_training_loss_falls(page):
    """'validation loss reaches its minimum within a few epochs and then climbs while
    training loss keeps falling'."""
    res = page["noisy"]
    val = np.nanmean(res.curves("val_loss", BASE), axis=0)
    train = np.nanmean(res.curves("loss", BASE), axis=0)
    best = int(np.argmin(val))
    assert best < 15  # within a few epochs
    assert val[-1] > 1.5 * val[best]
    assert train[-1] < 0.1 * train[best]


def test_dropout_keeps_training_loss_higher_and_validation_loss_lower(page):
    res = page["noisy"]
    assert np.all(res.final("loss", DROP) > res.final("loss", BASE))
    assert np.all(res.final("val_loss", DROP) < res.final("val_loss", BASE))


def test_dropout_does_not_remove_overfitting(page):
    """'validation loss still rises after its minimum' with dropout."""
    val = np.nanmean(page["noisy"].curves("val_loss", DROP), axis=0)
    assert val[-1] > 1.2 * val.min()
