"""Every qualitative claim on page 7, asserted against the page's own experiments."""

import runpy

import numpy as np
import pytest
from reglab import paired_diff

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "batch_norm"


def snippet(name):
    return runpy.run_path(str(SNIPPETS / name))


def test_training_mode_standardises_and_inference_mode_lags_behind():
    rows = snippet("moving_statistics.py")["rows"]
    for steps, moving_mean, t_mean, t_std, _, _ in rows:
        assert abs(t_mean) < 1e-3 and abs(t_std - 1) < 1e-2  # batch statistics, always
        assert abs(moving_mean - 5 * (1 - 0.99**steps)) < 0.3  # 1% of the way per step
    assert rows[0][4] > 4  # inference mode at the start: nowhere near standardised
    assert abs(rows[-1][4]) < 0.2  # after 500 steps it has caught up


@pytest.fixture(scope="module")
def early():
    return snippet("evaluated_too_early.py")["early"]


def test_evaluating_after_one_epoch_understates_a_bn_network(early):
    gap = {
        arm: paired_diff(early[1].extra("batch_statistics", arm), early[1].extra("inference_mode", arm))
        for arm in early[1].arms
    }
    assert gap["momentum 0.99 (default)"].high < -0.05
    assert gap["momentum 0.9"].mean > gap["momentum 0.99 (default)"].mean  # lower momentum catches up faster
    for arm in early[30].arms:  # after 30 epochs the two modes agree
        d = paired_diff(early[30].extra("batch_statistics", arm), early[30].extra("inference_mode", arm))
        assert abs(d.mean) < 0.01


@pytest.fixture(scope="module")
def lr_sweep():
    return snippet("learning_rate_tolerance.py")["lr_sweep"]


def test_without_bn_training_fails_outside_a_window_of_learning_rates(lr_sweep):
    assert np.all(lr_sweep.test("accuracy", "no BN, lr 3") < 0.15)  # stuck at chance
    assert lr_sweep.test("accuracy", "no BN, lr 1").mean() < 0.5  # unstable
    assert lr_sweep.test("accuracy", "no BN, lr 0.001").mean() < 0.5  # too slow in 30 epochs
    for lr in ("0.01", "0.1", "0.3"):
        assert lr_sweep.test("accuracy", f"no BN, lr {lr}").mean() > 0.85


def test_with_bn_training_works_across_the_whole_range(lr_sweep):
    for lr in ("0.01", "0.1", "0.3", "1", "3"):
        assert np.all(lr_sweep.test("accuracy", f"BN, lr {lr}") > 0.9), lr
    d = paired_diff(lr_sweep.test("accuracy", "no BN, lr 0.001"), lr_sweep.test("accuracy", "BN, lr 0.001"))
    assert d.low > 0  # faster at small rates too


def test_batch_statistics_noise_shrinks_with_batch_size():
    jitter = snippet("batch_statistics_noise.py")["jitter"]
    stds = [std for _, std in jitter.values()]
    assert stds == sorted(stds, reverse=True)
    for small, large in zip(stds, stds[1:], strict=False):  # 4x the batch, about half the noise
        assert 1.6 < small / large < 2.4


@pytest.fixture(scope="module")
def by_batch():
    return snippet("batch_size_noise.py")["by_batch"]


def test_bn_does_not_improve_test_accuracy_under_label_noise(by_batch):
    for b in (8, 32, 128):
        d = by_batch.diff("accuracy", f"no BN, batch {b}", f"BN, batch {b}")
        assert not d.low > 0, b


def test_smaller_batches_do_not_make_bn_detectably_better_here(by_batch):
    d = by_batch.diff("accuracy", "BN, batch 128", "BN, batch 8")
    assert not d.low > 0


def test_bn_networks_memorise_the_noisy_labels(by_batch):
    for b in (8, 32, 128):  # 30% of the labels are wrong: above 0.9, most wrong ones are fitted
        assert by_batch.final("accuracy", f"BN, batch {b}").mean() > 0.9
    assert by_batch.final("accuracy", "no BN, batch 128").mean() < 0.9
    assert by_batch.diff("accuracy", "no BN, batch 128", "BN, batch 128").high < 0
