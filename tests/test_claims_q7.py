"""Every qualitative claim on page 7, asserted against the page's own experiments."""

import runpy

import numpy as np
import published
import pytest
from reglab import paired_diff

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "batch_norm"


def snippet(name):
    return runpy.run_path(str(SNIPPETS / name))


@pytest.fixture(scope="module")
def modes():
    return snippet("moving_statistics.py")


@pytest.mark.claim("q7-training-mode-standardises")
def test_training_mode_standardises_before_scale_and_shift_move(modes):
    """'In training mode, while the learned scale and shift are still at their initial values
    (γ = 1, β = 0), the output has mean 0 and standard deviation 1, because each batch is
    standardised by its own statistics; once training has moved them, it has mean β and
    standard deviation |γ| instead.'"""
    keras = pytest.importorskip("keras")
    bn = modes["bn"]
    assert np.all(bn.gamma.numpy() == 1) and np.all(bn.beta.numpy() == 0)  # the initial values
    for _, _, t_mean, t_std, _, _ in modes["rows"]:
        assert abs(t_mean) < 1e-3 and abs(t_std - 1) < 1e-2
    moved = keras.layers.BatchNormalization()
    moved.build((None, 1))
    moved.gamma.assign([-2.0])
    moved.beta.assign([3.0])
    out = np.asarray(moved(modes["probe"], training=True))
    assert abs(out.mean() - 3) < 1e-3 and abs(out.std() - 2) < 1e-2  # mean β, std |γ|


@pytest.mark.claim("q7-moving-statistics-lag")
def test_moving_statistics_start_at_0_and_1_and_cover_1_minus_0_99_to_the_k(modes):
    """'These start at 0 and 1 and move only 1% of the way towards each new batch's
    statistics per step: after k steps the moving mean has covered about 1 - 0.99^k of the
    distance. Until then, inference-mode outputs are far from standardised.'"""
    rows = modes["rows"]
    assert rows[0][:2] == (0, 0.0)  # the row "0 training steps" has seen no update at all
    assert modes["bn"].momentum == 0.99
    for steps, moving_mean, *_ in rows:
        assert abs(moving_mean - 5 * (1 - 0.99**steps)) < 0.1  # the batches' mean is about 5
    assert rows[0][4] > 4  # inference mode at the start: nowhere near standardised
    assert abs(rows[-1][4]) < 0.2  # after 500 steps it has caught up


def test_the_probe_leaves_the_moving_statistics_as_the_training_steps_left_them():
    """The training-mode call of each row must not count as a training step."""
    keras = pytest.importorskip("keras")
    ns = snippet("moving_statistics.py")
    bn = keras.layers.BatchNormalization(momentum=0.99)
    bn.build((None, 1))
    for batch in ns["batches"]:
        bn(batch, training=True)
    assert np.allclose(bn.moving_mean.numpy(), ns["bn"].moving_mean.numpy())
    assert np.allclose(bn.moving_variance.numpy(), ns["bn"].moving_variance.numpy())


@pytest.fixture(scope="module")
def early():
    return snippet("evaluated_too_early.py")["early"]


@pytest.mark.claim("q7-lower-momentum-faster")
def test_after_one_epoch_the_moving_statistics_lag_and_a_lower_momentum_catches_up_faster(early):
    """'After one epoch, 16 steps, the default momentum has moved the moving statistics only a
    small part of the way towards the data's, and a lower momentum (0.9) catches up faster.'"""
    steps = -(-500 // 32)  # 500 training examples in batches of 32, Keras's default
    assert steps == 16
    assert 1 - 0.99**steps < 0.2  # the share of the distance covered: a small part
    assert 1 - 0.9**steps > 0.8  # momentum 0.9 covers most of it
    for epochs in (1, 3):  # faster in the network too: inference mode falls less short
        res = early[epochs]
        gap = {
            arm: paired_diff(res.extra("batch_statistics", arm), res.extra("inference_mode", arm)).mean
            for arm in res.arms
        }
        assert gap["momentum 0.9"] > gap["momentum 0.99 (default)"] + 0.03, epochs


@pytest.fixture(scope="module")
def lr_sweep():
    return snippet("learning_rate_tolerance.py")["lr_sweep"]


@pytest.mark.claim("q7-no-bn-window")
def test_without_bn_training_fails_outside_a_window_of_learning_rates(lr_sweep):
    assert np.all(lr_sweep.test("accuracy", "no BN, lr 3") < 0.15)  # stuck at chance
    assert lr_sweep.test("accuracy", "no BN, lr 1").mean() < 0.5  # unstable
    assert lr_sweep.test("accuracy", "no BN, lr 0.001").mean() < 0.5  # too slow in 30 epochs
    for lr in ("0.01", "0.1", "0.3"):
        assert lr_sweep.test("accuracy", f"no BN, lr {lr}").mean() > 0.85


@pytest.mark.claim("q7-bn-whole-range")
def test_with_bn_training_works_across_the_whole_range(lr_sweep):
    """'With BN it trains across the whole range, and at the smallest rate it also reaches a
    higher accuracy in the same 30 epochs.'"""
    for lr in lr_sweep_rates(lr_sweep):
        assert np.all(lr_sweep.test("accuracy", f"BN, lr {lr}") > 0.5), lr  # no failed run
    for lr in ("0.01", "0.1", "0.3", "1", "3"):
        assert np.all(lr_sweep.test("accuracy", f"BN, lr {lr}") > 0.9), lr
    d = paired_diff(lr_sweep.test("accuracy", "no BN, lr 0.001"), lr_sweep.test("accuracy", "BN, lr 0.001"))
    assert d.low > 0.2  # higher, by a wide margin


def lr_sweep_rates(lr_sweep):
    return [arm.removeprefix("BN, lr ") for arm in lr_sweep.arms if arm.startswith("BN, lr ")]


@pytest.mark.claim("q7-noise-shrinks")
def test_batch_statistics_noise_shrinks_with_batch_size():
    jitter = snippet("batch_statistics_noise.py")["jitter"]
    stds = [std for _, std in jitter.values()]
    assert stds == sorted(stds, reverse=True)
    for small, large in zip(stds, stds[1:], strict=False):  # 4x the batch, about half the noise
        assert 1.6 < small / large < 2.4


@pytest.fixture(scope="module")
def by_batch():
    return snippet("batch_size_noise.py")["by_batch"]


@pytest.mark.claim("q7-bn-memorises")
def test_bn_networks_reproduce_most_wrong_training_labels(by_batch):
    """'This is a case where it does not: with BN the network reproduces most of the wrong
    training labels at every batch size' (inference mode, on the training split)."""
    for b, res in by_batch.items():
        assert np.all(res.extra("wrong_labels_fitted", "BN") > 0.5), b


@pytest.mark.claim("q7-ioffe-same-rate")
def test_ioffe_and_szegedy_same_rate_steps_and_their_ratio():
    """'BN-Baseline needed 13.3M steps to reach Inception's accuracy against Inception's
    31M, about 2.3x fewer.'"""
    text = published.claim_text("q7-ioffe-same-rate")
    bn, inception = published.IOFFE_BN_BASELINE_STEPS, published.IOFFE_INCEPTION_STEPS
    assert f"needed {bn / 1e6:.1f}M steps" in text and f"Inception's {inception / 1e6:.0f}M" in text
    assert f"about {inception / bn:.1f}× fewer" in text


@pytest.mark.claim("q7-ioffe-bn-x5")
def test_the_14_times_is_bn_x5_with_five_times_the_learning_rate():
    """'Their often-quoted "14 times fewer training steps" is BN-x5, which changed much more
    than BN: 5x the learning rate, dropout removed, less L2 weight regularization, faster
    learning-rate decay and no local response normalization.'"""
    text = published.claim_text("q7-ioffe-bn-x5")
    assert f'"{published.IOFFE_BN_X5_FEWER_STEPS} times fewer training steps" is BN-x5' in text
    assert f"{published.IOFFE_BN_X5_LEARNING_RATE_FACTOR}× the learning rate" in text
    for change in (
        "dropout removed",
        "less L2",
        "faster learning-rate decay",
        "no local response normalization",
    ):
        assert change in text
