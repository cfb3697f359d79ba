"""Every qualitative claim on page 4, asserted against the page's own experiments."""

import runpy

import numpy as np
import pytest
from reglab import paired_diff

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "generalization"


@pytest.fixture(scope="module")
def by_size():
    ns = runpy.run_path(str(SNIPPETS / "gap_vs_training_size.py"))
    return ns["sizes"], ns["by_size"]


def gap(res, arm):
    return res.final("accuracy", arm) - res.test("accuracy", arm)


def test_both_networks_fit_their_training_sets(by_size):
    _, runs = by_size
    for res in runs.values():
        for arm in res.arms:
            assert res.final("accuracy", arm).mean() > 0.99


def test_the_gap_shrinks_as_data_grows(by_size):
    sizes, runs = by_size
    for arm in ("no dropout", "dropout 0.5"):
        gaps = [gap(runs[n], arm).mean() for n in sizes]
        assert gaps == sorted(gaps, reverse=True) and gaps[0] > 2 * gaps[-1]


def test_dropout_changes_the_gap_less_than_doubling_the_data(by_size):
    sizes, runs = by_size
    for n in sizes:
        d = runs[n].diff("accuracy", "no dropout", "dropout 0.5")
        assert not d.excludes_zero, n  # no measurable help at any size
    more_data = gap(runs[sizes[0]], "no dropout").mean() - gap(runs[sizes[1]], "no dropout").mean()
    assert more_data > 0.01


@pytest.fixture(scope="module")
def memorise():
    return runpy.run_path(str(SNIPPETS / "random_labels.py"))["memorise"]


def test_random_labels_are_memorised_and_test_accuracy_is_at_chance(memorise):
    random = memorise["random labels"]
    for arm in random.arms:
        assert random.final("accuracy", arm).mean() > 0.95, arm  # regularizers do not stop it
        assert abs(random.test("accuracy", arm).mean() - 0.1) < 0.03, arm


def test_true_labels_generalize_with_the_same_network(memorise):
    for arm in memorise["true labels"].arms:
        assert memorise["true labels"].test("accuracy", arm).mean() > 0.9


def test_dropout_slows_memorisation_and_light_l2_barely_changes_it(memorise):
    random = memorise["random labels"]

    def epochs_to_90(arm):
        return np.argmax(random.curves("accuracy", arm) >= 0.9, axis=1) + 1

    none = epochs_to_90("no regularization")
    assert paired_diff(none, epochs_to_90("dropout 0.3")).low > 10
    assert abs(epochs_to_90("L2 (1e-4)").mean() - none.mean()) < 0.2 * none.mean()
