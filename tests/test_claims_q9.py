"""Every qualitative claim on page 9, asserted against the page's own experiments."""

import runpy

import numpy as np
import published
import pytest
from reglab import report

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "choosing"


@pytest.fixture(scope="module")
def tuned_grid():
    ns = runpy.run_path(str(SNIPPETS / "technique_grid.py"))
    return ns["grid"], ns["tuned"]


@pytest.mark.claim("q9-answer-adam-l2")
def test_sgd_l2_equals_weight_decay_but_adam_l2_does_not():
    """'with Adam an L2 penalty is not weight decay'."""
    ns = runpy.run_path(str(SNIPPETS / "adam_l2_vs_adamw.py"))
    assert np.allclose(ns["sgd_l2"], ns["sgd_wd"], atol=1e-4)
    assert ns["adam_l2"][0] > 0.9  # the steep weight is barely decayed by an L2 penalty under Adam
    assert ns["adam_l2"][1] < 0.5
    assert abs(ns["adamw"][0] - ns["adamw"][1]) < 0.01 and ns["adamw"][0] < 0.5  # AdamW: the same for both


@pytest.mark.claim("q9-l1-selects")
def test_liblinear_keeps_exactly_the_informative_features_and_keras_l1_no_exact_zero():
    """'scikit-learn's coordinate-descent solver (liblinear, C = 0.05, one seed) keeps
    exactly the 5 informative features out of 100, while Keras's L1 penalty trained with
    Adam leaves no weight exactly zero.'"""
    l1_l2 = ROOT / "snippets" / "l1_l2"
    fits = runpy.run_path(str(l1_l2 / "sklearn_exact_zeros.py"))
    assert fits["liblinear"].C == 0.05 and fits["liblinear"].solver == "liblinear"
    assert np.flatnonzero(fits["liblinear"].coef_[0]).tolist() == [
        0,
        1,
        2,
        3,
        4,
    ]  # make_classification puts them first
    sparse = runpy.run_path(str(l1_l2 / "sparse_features_keras.py"))["sparse"]
    for arm in sparse.arms:
        if arm.startswith("L1"):
            assert np.all(sparse.extra("exactly_zero", arm) == 0), arm


def test_holm_verdicts_on_the_decision_table_are_no_more_than_the_unadjusted_ones(tuned_grid):
    grid, tuned = tuned_grid
    family = report.tuned_family(grid, tuned)
    assert len(family) == 20
    for c in family.values():
        assert c.p_holm >= c.p
        if c.detected:
            assert c.diff.excludes_zero


@pytest.mark.claim("q9-zhang-inception")
def test_zhang_et_al_inception_numbers_and_their_difference():
    """'On CIFAR-10, Inception trained with random-crop augmentation and weight decay reached
    89.05% test accuracy, against 85.75% with neither, a difference of 3.3 points.'"""
    text = published.claim_text("q9-zhang-inception")
    high, low = published.ZHANG_INCEPTION_CROP_AND_WEIGHT_DECAY, published.ZHANG_INCEPTION_NO_REGULARIZATION
    assert f"reached {high:.2f}% test accuracy, against {low:.2f}% with neither" in text
    assert f"a difference of {high - low:.1f} points" in text
