"""Every qualitative claim on the Pitfalls page, asserted against the page's own experiments."""

import runpy
import warnings

import keras
import numpy as np
import pytest
from reglab import mean_ci, paired_diff

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "pitfalls"


def load(name: str) -> dict:
    return runpy.run_path(str(SNIPPETS / name))


@pytest.fixture(scope="module")
def q002():
    return load("sigmoid_on_ten_classes.py")


@pytest.fixture(scope="module")
def q001():
    return load("test_set_as_validation.py")


@pytest.fixture(scope="module")
def q003():
    return load("max_val_accuracy_optimism.py")


@pytest.fixture(scope="module")
def q000():
    return load("label_leak_perfect_score.py")


@pytest.fixture(scope="module")
def q004():
    return load("seed_004_l2_and_dropout.py")


def test_every_comparison_uses_at_least_five_paired_seeds(q002, q001, q003, q000, q004):
    for res in (q002["heads"], q001["leaky"], q003["runs"], q004["seed_004"]):
        assert len(res.seeds) >= 5
    assert q000["SEEDS"] >= 5 and all(len(v) == q000["SEEDS"] for v in q000["scores"].values())


# 002 -------------------------------------------------------------------------------------


SIGMOID = ("as written: sigmoid, no dropout", "as written: sigmoid, dropout 0.5")


def test_002_keras_accuracy_becomes_binary_accuracy(q002):
    for arm in SIGMOID:
        assert set(q002["heads"].extra("keras_accuracy_metric", arm)) == {"BinaryAccuracy"}


def test_002_sigmoid_head_predicts_one_for_every_image(q002):
    """'The trained output is above 0.5 for 100% of test images ... predicts 1 for every image'."""
    for arm in SIGMOID:
        assert np.all(q002["heads"].extra("share_above_half", arm) == 1.0)
        assert np.all(q002["heads"].extra("mean_output", arm) > 0.999)


def test_002_keras_accuracy_is_the_share_of_the_digit_one(q002):
    res = q002["heads"]
    for arm in SIGMOID:
        assert np.allclose(res.test("accuracy", arm), res.extra("share_of_class_1", arm), atol=1e-6)
        assert np.allclose(res.extra("thresholded_equals_label", arm), res.extra("share_of_class_1", arm))


def test_002_argmax_over_one_unit_is_the_share_of_zeros(q002):
    res = q002["heads"]
    for arm in SIGMOID:
        assert np.allclose(res.extra("argmax_accuracy", arm), res.extra("share_of_class_0", arm))


def test_002_with_and_without_dropout_report_the_same_numbers(q002):
    res = q002["heads"]
    assert np.array_equal(res.test("accuracy", SIGMOID[0]), res.test("accuracy", SIGMOID[1]))
    assert np.array_equal(res.extra("argmax_accuracy", SIGMOID[0]), res.extra("argmax_accuracy", SIGMOID[1]))


def test_002_the_fix_learns_the_digits(q002):
    res = q002["heads"]
    fixed = mean_ci(res.test("accuracy", "fix: softmax, no dropout"))
    assert fixed.low > 0.9
    assert res.diff("accuracy", SIGMOID[0], "fix: softmax, no dropout").low > 0.7


def test_002_loss_is_hugely_negative(q002):
    """'The loss has no lower bound: the test loss ... is hugely negative'."""
    for arm in SIGMOID:
        assert np.all(q002["heads"].test("loss", arm) < -100)
        curve = np.nanmean(q002["heads"].curves("loss", arm), axis=0)
        assert curve[-1] < 0 and curve[-1] < curve[0]  # falling below zero during training


def test_002_gradient_pushes_the_output_up_for_labels_above_one():
    """'With a label y > 1 its gradient ... is sigma(z) - y, which is negative whatever z is'."""
    import tensorflow as tf

    z = tf.Variable(np.linspace(-10, 10, 21, dtype="float32")[:, None])
    loss_fn = keras.losses.BinaryCrossentropy(from_logits=True, reduction=None)
    for label in (2.0, 5.0, 9.0):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(loss_fn(np.full((21, 1), label, "float32"), z))
        assert np.all(tape.gradient(loss, z).numpy() < 0)


# 001 -------------------------------------------------------------------------------------


def test_001_choosing_on_the_test_split_inflates_the_headline(q001):
    on_test, on_val = q001["on_test"], q001["on_val"]
    assert np.all(on_test["test"] >= on_val["test"])  # never negative
    headline = paired_diff(on_val["test"], on_test["test"])
    assert headline.low > 0  # inflated, with 95% confidence
    assert headline.mean < 0.01  # 'a fraction of a point here'


def test_001_forty_candidates(q001):
    res = q001["leaky"]
    assert len(res.arms) * res.curves("test_accuracy", res.arms[0]).shape[1] == 40


def test_001_the_split_used_to_choose_overstates_the_other(q001):
    on_test, on_val = q001["on_test"], q001["on_val"]
    both = mean_ci(((on_test["test"] - on_test["val"]) + (on_val["val"] - on_val["test"])) / 2)
    assert both.low > 0
    assert mean_ci(on_test["test"] - on_test["val"]).mean > 0  # the fresh split scores lower


# 003 -------------------------------------------------------------------------------------


def test_003_max_val_accuracy_overstates_the_test_accuracy(q003):
    for arm in q003["runs"].arms:
        assert mean_ci(q003["optimism"][arm]).low > 0
    assert np.mean(np.concatenate(list(q003["optimism"].values())) > 0) >= 0.75


def test_003_single_run_verdict_flips_between_seeds(q003):
    gap = q003["single_run_gap"]
    assert np.sum(gap > 0) >= 1 and np.sum(gap < 0) >= 1
    assert gap.max() - gap.min() > 0.9838 - 0.9798  # answer 003's gap is inside the spread


def test_003_honest_comparison_cannot_tell_the_models_apart(q003):
    d = mean_ci(q003["honest_gap"])
    assert not d.excludes_zero


# 000 -------------------------------------------------------------------------------------


def test_000_leak_lifts_the_score_far_above_the_clean_table(q000):
    s = q000["scores"]
    for name in ("leaky table, no dropout", "leaky table, dropout 0.5"):
        assert paired_diff(s["clean table, no dropout"], s[name]).low > 0.05
        assert np.all(s[name] < 1.0)  # 'stops short of 1.0'


def test_000_the_leaked_column_alone_is_perfect(q000):
    single = q000["single"]
    assert np.all(single[:, -1] == 1.0)
    assert single[:, :-1].max() < 0.9


def test_000_shuffled_labels_at_the_source_expose_the_leak(q000):
    s = q000["scores"]
    clean = mean_ci(s["clean table, labels shuffled at the source"])
    assert clean.low < 0.5 < clean.high  # chance
    assert mean_ci(s["leaky table, labels shuffled at the source"]).low > 0.9


def test_000_shuffling_only_training_labels_would_hide_the_leak(q000):
    """'shuffling only the training labels after the table is built would hide this leak,
    because the grade would then disagree with the shuffled labels'."""
    split = q000["pipeline"](0, True, False)
    grade_says = (split.x_train[:, -1] > 0).astype(int)
    assert np.mean(grade_says == split.y_train) == 1.0
    shuffled = np.random.default_rng(0).permutation(split.y_train)
    assert abs(np.mean(grade_says == shuffled) - 0.5) < 0.05


def test_000_no_duplicated_rows(q000):
    assert sum(q000["duplicates"]) == 0
    split = q000["pipeline"](0, False, False)
    doubled = split.__class__(
        split.x_train,
        split.y_train,
        split.x_val,
        split.y_val,
        split.x_train[:10],
        split.y_train[:10],
        2,
        split.noisy_train,
    )
    assert q000["duplicated_rows"](doubled) == 10  # the check can fire


# 004 -------------------------------------------------------------------------------------

BASE, WRITTEN = "no regularization", "as written: L2(0.01) + Dropout(0.5)"


def test_004_builder_matches_the_seed_with_input_dim():
    g = load("seed_004_l2_and_dropout.py")
    ours = g["build_seed_004"](0.01, 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seed = keras.Sequential()
        seed.add(keras.layers.Dense(64, input_dim=100, activation="relu"))
        seed.add(keras.layers.Dense(64, activation="relu", kernel_regularizer=keras.regularizers.l2(0.01)))
        seed.add(keras.layers.Dropout(0.5))
        seed.add(keras.layers.Dense(1, activation="sigmoid"))
    assert [w.shape for w in seed.weights] == [w.shape for w in ours.weights]


def test_004_without_regularization_it_overfits(q004):
    res = q004["seed_004"]
    assert mean_ci(res.final("accuracy", BASE)).low > 0.98  # 'almost perfectly'
    assert np.all(res.final("accuracy", BASE) - res.test("accuracy", BASE) > 0.08)


def test_004_regularization_narrows_the_train_test_gap(q004):
    res = q004["seed_004"]
    gap = {arm: res.final("accuracy", arm) - res.test("accuracy", arm) for arm in (BASE, WRITTEN)}
    assert paired_diff(gap[BASE], gap[WRITTEN]).high < 0


def test_004_every_regularized_arm_lowers_test_cross_entropy_on_every_seed(q004):
    res = q004["seed_004"]
    for arm in res.arms[1:]:
        assert np.all(res.test("data_loss", arm) < res.test("data_loss", BASE))
        assert res.diff("data_loss", BASE, arm).high < 0


def test_004_accuracy_change_is_about_a_point_or_less(q004):
    res = q004["seed_004"]
    gap = np.mean(res.final("accuracy", BASE) - res.test("accuracy", BASE))
    for arm in res.arms[1:]:
        d = res.diff("accuracy", BASE, arm)
        assert abs(d.mean) < 0.015 and abs(d.mean) < gap / 5


def test_004_mask_is_redrawn_every_step_and_every_example():
    keras.utils.set_random_seed(0)
    layer = keras.layers.Dropout(0.5)
    ones = np.ones((4, 64), dtype="float32")
    a, b = np.asarray(layer(ones, training=True)), np.asarray(layer(ones, training=True))
    agree = np.mean((a == 0) == (b == 0))
    assert 0.35 < agree < 0.65  # about half, as independent masks
    assert len({row.tobytes() for row in (a == 0)}) == 4
    assert set(np.unique(a)) == {0.0, 2.0}
    assert np.array_equal(np.asarray(layer(ones, training=False)), ones)
