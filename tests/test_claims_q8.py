"""Every qualitative claim on page 8, asserted against the page's own experiment."""

import runpy

import keras
import numpy as np
import published
import pytest
import tensorflow as tf
from reglab import config, mean_ci

from conftest import ROOT

BASE, DROP = "no dropout", "dropout 0.5"


@pytest.fixture(scope="module")
def page():
    if config.mnist():
        pytest.skip("REGLAB_MNIST=1: the page's prose describes the default digits run")
    return runpy.run_path(str(ROOT / "snippets" / "dropout" / "dropout_vs_none.py"))


@pytest.mark.claim("q8-keras-inverted", "q8-mask-redrawn")
def test_inverted_dropout_scales_kept_units_and_is_identity_at_inference():
    r"""'Keras implements *inverted* dropout. `rate` is the fraction of units **dropped**.
    During training each unit is zeroed with probability `rate`, independently for every
    example and every step, and the survivors are scaled by $1/(1-\text{rate})$ so the
    expected activation is unchanged. At inference (`training=False`) the layer returns its
    input untouched.' and 'The mask differs between the two training calls and between the
    rows: it is redrawn for every example at every step, not once per epoch.'"""
    keras.utils.set_random_seed(0)
    layer = keras.layers.Dropout(rate=0.5)
    x = np.ones((1000, 100), dtype="float32")
    train_a, train_b = np.asarray(layer(x, training=True)), np.asarray(layer(x, training=True))
    assert set(np.unique(train_a)) == {0.0, 2.0}  # kept units scaled by 1 / (1 - 0.5)
    assert abs(np.mean(train_a == 0) - 0.5) < 0.01  # rate is the fraction dropped
    sparse = np.asarray(keras.layers.Dropout(rate=0.2)(x, training=True))
    assert abs(np.mean(sparse == 0) - 0.2) < 0.01  # at any rate
    assert np.allclose(np.unique(sparse), [0.0, 1.25])  # survivors scaled by 1 / (1 - 0.2)
    assert abs(train_a.mean() - 1.0) < 0.01  # the expectation is preserved
    assert not np.array_equal(train_a, train_b)  # a fresh mask at every call
    assert not np.array_equal(train_a[0], train_a[1])  # and for every example
    assert len({row.tobytes() for row in train_a}) > 990  # every row its own mask
    assert np.array_equal(np.asarray(layer(x, training=False)), x)  # identity at inference


def test_same_architecture_with_and_without_dropout(page):
    with_dropout, without = page["build_mlp"](0.5), page["build_mlp"](0.0)
    assert [w.shape for w in with_dropout.weights] == [w.shape for w in without.weights]
    assert sum(isinstance(layer, keras.layers.Dropout) for layer in with_dropout.layers) == 2
    assert not any(isinstance(layer, keras.layers.Dropout) for layer in without.layers)


def test_at_least_five_paired_seeds(page):
    for res in (page["clean"], page["noisy"]):
        assert len(res.seeds) >= 5 and res.arms == [BASE, DROP]


@pytest.mark.claim("q8-clean-generalises")
def test_clean_digits_generalise_well_without_dropout(page):
    """'On clean digits a 2×256 MLP already generalises well, and there is little for dropout
    to fix.': two hidden layers of 256 units, above 95% test accuracy without dropout, and
    no detectable gain from it."""
    dense = [layer for layer in page["build_mlp"](0.0).layers if isinstance(layer, keras.layers.Dense)]
    hidden = [layer.units for layer in dense[:-1]]
    assert hidden == [256, 256]  # the 2×256 the sentence names
    assert f"a {len(hidden)}×{hidden[0]} MLP" in published.claim_text("q8-clean-generalises")
    assert mean_ci(page["clean"].test("accuracy", BASE)).mean > 0.95
    d = page["clean"].diff("accuracy", BASE, DROP)
    assert d.high < 0.01  # any gain dropout could bring is under a point


@pytest.mark.claim("q8-noisy-val-climbs")
def test_without_dropout_validation_loss_climbs_while_training_loss_falls(page):
    """'Without dropout, validation loss reaches its minimum within a few epochs and then
    climbs while training loss keeps falling: the network is memorising the wrong labels.'"""
    res = page["noisy"]
    val = np.nanmean(res.curves("val_loss", BASE), axis=0)
    train = np.nanmean(res.curves("loss", BASE), axis=0)
    best = int(np.argmin(val))
    assert best < 15  # within a few epochs
    assert val[-1] > 1.5 * val[best]
    assert train[-1] < 0.1 * train[best]
    assert np.all(res.final("accuracy", BASE) > 0.99)  # the wrong labels are fitted too


@pytest.mark.claim("q8-higher-lower")
def test_dropout_keeps_training_loss_higher_and_validation_loss_lower(page):
    """'Dropout keeps training loss higher and validation loss lower.'"""
    res = page["noisy"]
    train = {arm: np.nanmean(res.curves("loss", arm), axis=0) for arm in (BASE, DROP)}
    val = {arm: np.nanmean(res.curves("val_loss", arm), axis=0) for arm in (BASE, DROP)}
    assert np.all(train[DROP] > train[BASE])  # higher at every epoch
    after = int(np.argmin(val[BASE])) + 1  # once the network without dropout starts to overfit
    assert np.all(val[DROP][after:] < val[BASE][after:])  # lower at every later epoch
    assert np.all(res.final("loss", DROP) > res.final("loss", BASE))
    assert np.all(res.final("val_loss", DROP) < res.final("val_loss", BASE))


@pytest.mark.claim("q8-not-removed")
def test_dropout_does_not_remove_overfitting(page):
    """'It does not remove overfitting (validation loss still rises after its minimum)'."""
    val = np.nanmean(page["noisy"].curves("val_loss", DROP), axis=0)
    assert val[-1] > 1.2 * val.min()


def traced_ops(model, training: bool) -> list[str]:
    """The op types of one forward pass of ``model``, traced as a graph."""
    x = tf.zeros((32, model.input_shape[-1]))
    return [
        op.type
        for op in tf.function(lambda x: model(x, training=training))
        .get_concrete_function(x)
        .graph.get_operations()
    ]


@pytest.mark.claim("q8-step-more-work", "q5-step-more-work", "pitfalls-myth-dropout-step-work")
def test_a_training_step_with_dropout_draws_masks_and_does_more_work(page):
    """Page 8: 'each training step also draws a random mask for every hidden unit of every
    example and multiplies by it, work that the network without dropout does not do; at
    inference nothing is drawn.' Page 5: 'each training step draws and applies a mask for
    every hidden unit of every example, work that a network without dropout does not do.'
    Pitfalls: 'Each step still does more work: it draws and applies a mask for every hidden
    unit of every example.' Checked on the traced graphs, which timing noise cannot move."""
    with_dropout, without = page["build_mlp"](0.5), page["build_mlp"](0.0)
    training, plain = traced_ops(with_dropout, True), traced_ops(without, True)
    assert plain == traced_ops(without, False)  # without dropout, training adds nothing
    assert training.count("StatelessRandomUniformV2") == 2  # one mask per Dropout layer
    assert len(training) > 2 * len(plain)
    assert not any("Random" in op for op in traced_ops(with_dropout, False))  # nothing drawn at inference
    width = with_dropout.layers[0].units  # the hidden layers' width
    keras.utils.set_random_seed(0)
    mask = np.asarray(keras.layers.Dropout(0.5)(np.ones((32, width), "float32"), training=True)) == 0
    assert mask.shape == (32, width)  # every hidden unit
    assert len({row.tobytes() for row in mask}) == 32  # of every example


def test_the_cost_on_the_page_is_counted_in_steps_not_seconds(page, built_site):
    """Per-epoch wall-clock ratios moved with the machine's load (1.24x on one page, 0.84x on
    another in one build), so the page states dropout's cost as the epochs it needs to reach
    a validation accuracy, printed from the runs, and prints no seconds."""
    from reglab import tuning

    text = (built_site / "08-dropout-in-keras" / "index.html").read_text()
    for name in ("clean", "noisy"):
        res = page[name]
        target = tuning.common_target(res, [BASE, DROP])
        base, drop = (tuning.epochs_to_reach(res, arm, target) for arm in (BASE, DROP))
        assert f"{name}: validation accuracy first reaches {target:.1%}" in text
        assert f"{mean_ci(drop / base).times()} as many training steps" in text
    assert "s / epoch" not in text and " s per epoch" not in text  # no timing column, no timing
    answer = text[text.index('id="answer"') : text.index('id="in-words"')]
    assert "per epoch" not in answer and "time of an epoch" not in answer  # no timings in the Answer


@pytest.mark.claim("q8-more-epochs")
def test_dropout_needs_more_epochs_before_validation_loss_bottoms_out(page):
    """'Dropout also needs more epochs: its validation loss bottoms out later, in both
    settings.'"""
    for name in ("clean", "noisy"):
        res = page[name]
        assert mean_ci(res.best_epoch(DROP) - res.best_epoch(BASE)).low > 0, name
