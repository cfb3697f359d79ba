"""Every qualitative claim on page 3, asserted against the page's own experiments."""

import runpy

import numpy as np
import pytest
from reglab import paired_diff

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "l1_l2"


def test_keras_penalties_have_no_half_factor_and_the_stated_gradients():
    ns = runpy.run_path(str(SNIPPETS / "penalties_in_keras.py"))
    w, lam = ns["w"].numpy(), ns["lam"]
    (_, l1, g1), (_, l2, g2) = ns["rows"]
    assert l1 == pytest.approx(lam * np.abs(w).sum()) and l2 == pytest.approx(lam * (w**2).sum())
    assert np.allclose(g2, 2 * lam * w)
    assert np.allclose(g1, lam * np.sign(w))  # 0 at exactly 0


def test_l1_ball_solution_sits_on_a_corner_and_l2_does_not():
    ns = runpy.run_path(str(SNIPPETS / "penalty_geometry.py"))
    assert np.min(np.abs(ns["w_l1"])) < 1e-4
    assert np.min(np.abs(ns["w_l2"])) > 0.1


@pytest.fixture(scope="module")
def sparse():
    return runpy.run_path(str(SNIPPETS / "sparse_features_keras.py"))["sparse"]


def test_keras_adam_l1_drives_weights_near_zero_but_not_to_zero(sparse):
    for arm in ("L1 (1e-3)", "L1 + L2 (elastic net)"):
        assert np.all(sparse.extra("exactly_zero", arm) == 0)
        assert sparse.extra("below_1e-3", arm).mean() > 0.5
    for arm in ("none", "L2 (1e-3)"):
        assert sparse.extra("below_1e-3", arm).mean() < 0.05


def test_under_l1_the_surviving_features_are_the_informative_ones(sparse):
    for top in sparse.extra("top5_features", "L1 (1e-3)"):
        assert sorted(top) == [0, 1, 2, 3, 4]
    none_hits = [len(set(t) & set(range(5))) for t in sparse.extra("top5_features", "none")]
    assert np.mean(none_hits) < 5  # without a penalty, noise features crowd in


def test_l1_improves_test_accuracy_with_many_irrelevant_features(sparse):
    assert paired_diff(sparse.test("accuracy", "none"), sparse.test("accuracy", "L1 (1e-3)")).low > 0


def test_coordinate_and_cumulative_penalty_methods_give_exact_zeros():
    ns = runpy.run_path(str(SNIPPETS / "sklearn_exact_zeros.py"))
    assert np.flatnonzero(ns["liblinear"].coef_[0]).tolist() == [0, 1, 2, 3, 4]
    assert np.mean(ns["sgd"].coef_ == 0) > 0.5
    path = ns["path"]
    entry = [
        int(np.argmax(path[:, j] != 0)) if np.any(path[:, j]) else len(path) for j in range(path.shape[1])
    ]
    assert max(entry[:5]) < min(entry[5:])  # informative features enter the path before any noise feature
    assert np.all(path[0] == 0)  # the strongest penalty zeroes everything
