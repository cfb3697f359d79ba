"""Every qualitative claim on page 9, asserted against the page's own experiments."""

import runpy

import numpy as np
import pytest

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "choosing"
CLEAN, NOISY = ("200 clean", "800 clean"), ("200, 30% noise", "800, 30% noise")


@pytest.fixture(scope="module")
def grid():
    return runpy.run_path(str(SNIPPETS / "technique_grid.py"))["grid"]


def test_without_overfitting_no_regularizer_gains_a_point(grid):
    for name in CLEAN:
        for t in grid[name].arms[1:]:
            assert grid[name].diff("accuracy", "none", t).mean < 0.01, (name, t)


def test_with_noisy_labels_early_stopping_is_the_largest_single_win(grid):
    for name in NOISY:
        res = grid[name]
        gains = {t: res.diff("accuracy", "none", t).mean for t in res.arms[1:5]}  # single techniques
        assert max(gains, key=gains.get) == "early stopping", name
        assert res.diff("accuracy", "none", "early stopping").low > 0.1


def test_early_stopping_trains_the_fewest_epochs(grid):
    for name in NOISY:
        epochs = {t: np.mean([r.epochs_run for r in grid[name].runs[t]]) for t in grid[name].arms}
        assert min(epochs, key=epochs.get) == "early stopping"
        assert epochs["early stopping"] < 0.4 * epochs["none"]


def test_dropout_on_top_of_early_stopping_adds_about_a_point(grid):
    for name in NOISY:
        d = grid[name].diff("accuracy", "early stopping", "dropout 0.5 + early stopping")
        assert 0 < d.mean < 0.03, name


def test_sgd_l2_equals_weight_decay_but_adam_l2_does_not():
    ns = runpy.run_path(str(SNIPPETS / "adam_l2_vs_adamw.py"))
    assert np.allclose(ns["sgd_l2"], ns["sgd_wd"], atol=1e-4)
    assert ns["adam_l2"][0] > 0.9  # the steep weight is barely decayed by an L2 penalty under Adam
    assert ns["adam_l2"][1] < 0.5
    assert abs(ns["adamw"][0] - ns["adamw"][1]) < 0.01 and ns["adamw"][0] < 0.5  # AdamW: the same for both


def test_page5_best_noisy_dropout_rate_is_08():
    sweeps = runpy.run_path(str(ROOT / "snippets" / "dropout" / "dropout_rate_sweep.py"))["sweeps"]
    noisy = sweeps["30% label noise"]
    best = max(noisy.arms, key=lambda a: noisy.test("accuracy", a).mean())
    assert best == "rate 0.8"
