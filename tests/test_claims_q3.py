"""Every qualitative claim on page 3, asserted against the page's own experiments."""

import runpy

import keras
import numpy as np
import pytest

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "l1_l2"
INFORMATIVE = [0, 1, 2, 3, 4]


@pytest.fixture(scope="module")
def penalties():
    return runpy.run_path(str(SNIPPETS / "penalties_in_keras.py"))


@pytest.fixture(scope="module")
def sklearn_fits():
    return runpy.run_path(str(SNIPPETS / "sklearn_exact_zeros.py"))


def entry_steps(path):
    """Per feature: the first step of the path (strong to weak penalty) where it is non-zero."""
    return [
        int(np.argmax(path[:, j] != 0)) if np.any(path[:, j]) else len(path) for j in range(path.shape[1])
    ]


@pytest.mark.claim("q3-no-half-factor")
def test_keras_penalties_have_no_half_factor_and_the_stated_gradients(penalties):
    """ "with **no** factor ½, so the L2 gradient is $2\\lambda w$ and the L1 gradient is
    $\\lambda\\,\\operatorname{sign}(w)$." """
    w, lam = penalties["w"].numpy(), penalties["lam"]
    (_, l1, g1), (_, l2, g2) = penalties["rows"]
    assert l1 == pytest.approx(lam * np.abs(w).sum()) and l2 == pytest.approx(lam * (w**2).sum())
    assert l2 != pytest.approx(0.5 * lam * (w**2).sum())  # no ½
    assert np.allclose(g2, 2 * lam * w)
    assert np.allclose(g1, lam * np.sign(w))


@pytest.mark.claim("q3-l1l2-adds-both")
def test_l1l2_adds_both_penalties():
    """ "`L1L2(l1, l2)` adds both (the *elastic net*)." """
    w = np.array([-2.0, -0.5, 0.0, 0.5, 3.0], dtype="float32")
    value = float(keras.regularizers.L1L2(l1=0.01, l2=0.03)(keras.ops.convert_to_tensor(w)))
    assert value == pytest.approx(0.01 * np.abs(w).sum() + 0.03 * (w**2).sum(), rel=1e-6)


@pytest.mark.claim("q3-gradients-in-the-table")
def test_l2_gradient_scales_with_the_weight_and_l1_gradient_does_not(penalties):
    """ "The L2 gradient is $2\\lambda w$: large for large weights, vanishing near zero. The L1
    gradient is $\\pm\\lambda$ whatever the size, and TensorFlow uses 0 at exactly 0." """
    w, lam = penalties["w"].numpy(), penalties["lam"]
    (_, _, g1), (_, _, g2) = penalties["rows"]
    order = np.argsort(np.abs(w))
    assert np.all(np.diff(np.abs(g2)[order]) >= 0) and abs(g2[np.argmax(np.abs(w))]) > 5 * lam
    assert g2[w == 0] == pytest.approx(0)
    nonzero = w != 0
    assert np.allclose(np.abs(g1[nonzero]), lam)  # the same size for every non-zero weight
    assert np.all(g1[~nonzero] == 0)  # 0 at exactly 0


@pytest.mark.claim("q3-geometry-example")
def test_l1_ball_solution_sits_on_a_corner_and_l2_does_not():
    """ "In the example below, the L1-constrained minimum is at a corner and the
    L2-constrained minimum has both coordinates non-zero." """
    ns = runpy.run_path(str(SNIPPETS / "penalty_geometry.py"))
    assert np.min(np.abs(ns["w_l1"])) < 1e-4 and np.max(np.abs(ns["w_l1"])) == pytest.approx(1, abs=1e-4)
    assert np.min(np.abs(ns["w_l2"])) > 0.1


def test_coordinate_descent_and_cumulative_penalty_sgd_give_exact_zeros(sklearn_fits):
    """The mechanism in "Solvers whose update can land a weight exactly on zero can give exact
    zeros" (the page prints how many): liblinear's coordinate descent and SGD with cumulative
    penalties both set most coefficients exactly to zero."""
    assert np.mean(sklearn_fits["liblinear"].coef_ == 0) > 0.5
    assert np.mean(sklearn_fits["sgd"].coef_ == 0) > 0.5


@pytest.mark.claim("q3-path-order")
def test_path_starts_at_zero_informative_features_enter_first_in_several_steps(sklearn_fits):
    """ "Read the path from right (strong penalty) to left: every coefficient is exactly zero
    at first, then the informative features enter, over several steps. The noise features
    enter only after all five, once the penalty is weaker." """
    path = sklearn_fits["path"]
    entry = entry_steps(path)
    assert np.all(path[0] == 0)
    assert len(set(entry[:5])) >= 3  # over several steps of the grid, not all at once
    assert max(entry[:5]) < min(entry[5:])


@pytest.mark.claim("q3-path-survivors")
def test_between_the_two_strengths_exactly_the_informative_features_survive(sklearn_fits):
    """ "Between those two strengths the features that survive are exactly the five
    informative ones" """
    path = sklearn_fits["path"]
    entry = entry_steps(path)
    between = range(max(entry[:5]), min(entry[5:]))
    assert len(between) >= 1
    for step in between:
        assert np.flatnonzero(path[step]).tolist() == INFORMATIVE, step
    assert np.flatnonzero(sklearn_fits["liblinear"].coef_[0]).tolist() == INFORMATIVE  # the C=0.05 fit too
