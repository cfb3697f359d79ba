"""Every qualitative claim on page 4, asserted against the page's own experiments."""

import runpy

import numpy as np
import published
import pytest
from reglab import mean_ci, paired_diff

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "generalization"
NONE_SIZE, DROP_SIZE = "no dropout", "dropout 0.5"
NONE, DROP, L2 = "no regularization", "dropout 0.3", "L2 (1e-4)"


@pytest.fixture(scope="module")
def by_size():
    ns = runpy.run_path(str(SNIPPETS / "gap_vs_training_size.py"))
    return ns["sizes"], ns["by_size"]


@pytest.fixture(scope="module")
def memorise():
    return runpy.run_path(str(SNIPPETS / "random_labels.py"))["memorise"]


def gap(res, arm):
    """The page's gap: the final model's training accuracy (inference mode) minus test accuracy."""
    return res.extra("train_accuracy", arm) - res.test("accuracy", arm)


def epochs_to_90(res, arm):
    """As the page's table: the first epoch whose logged training accuracy (dropout on) is >= 90%."""
    return np.argmax(res.curves("accuracy", arm) >= 0.9, axis=1) + 1


def dropout_effects_on_gap(sizes, runs):
    return [paired_diff(gap(runs[n], NONE_SIZE), gap(runs[n], DROP_SIZE)) for n in sizes]


@pytest.mark.claim("q4-more-data-beats-dropout")
def test_more_data_shrinks_the_gap_far_more_than_dropout(by_size):
    """ "Second, on an easy task with clean labels, more data moves the gap far more than
    dropout does." """
    sizes, runs = by_size
    dropout = max(abs(d.mean) for d in dropout_effects_on_gap(sizes, runs))
    more_data = gap(runs[sizes[0]], NONE_SIZE).mean() - gap(runs[sizes[-1]], NONE_SIZE).mean()
    assert more_data > 5 * dropout  # far more
    for small, large in zip(sizes, sizes[1:], strict=False):  # even a single doubling does more
        doubling = gap(runs[small], NONE_SIZE).mean() - gap(runs[large], NONE_SIZE).mean()
        assert doubling > 2 * dropout, small


@pytest.mark.claim("q4-fit-training-sets")
def test_the_networks_fit_their_training_images_so_the_gap_is_about_the_test_error(by_size):
    """ "Without dropout, the network classifies every one of its training images correctly
    at every size and seed, so its gap is exactly its test error. With dropout, no run misses
    more than a single training image, though most runs at the smallest size miss one, so its
    gap is almost exactly its test error." """
    sizes, runs = by_size
    for n, res in runs.items():
        assert np.all(res.extra("train_accuracy", NONE_SIZE) == 1.0), n
        assert np.allclose(gap(res, NONE_SIZE), 1 - res.test("accuracy", NONE_SIZE)), n
        missed = np.round((1 - res.extra("train_accuracy", DROP_SIZE)) * n)
        assert np.all(missed <= 1), n  # no more than a single image
        if n == min(sizes):
            assert np.mean(missed == 1) > 0.5  # most runs at the smallest size miss one
        error = 1 - res.test("accuracy", DROP_SIZE)
        assert np.all(np.abs(gap(res, DROP_SIZE) - error) <= 1 / n + 1e-9), n  # almost exactly


@pytest.mark.claim("q4-gap-shrinks")
def test_the_gap_shrinks_at_every_step_as_data_grows(by_size):
    """ "It shrinks steadily as data grows." """
    sizes, runs = by_size
    for arm in (NONE_SIZE, DROP_SIZE):
        gaps = [gap(runs[n], arm).mean() for n in sizes]
        assert np.all(np.diff(gaps) < 0) and gaps[0] > 2 * gaps[-1], arm


@pytest.mark.claim("q4-true-vs-random")
def test_true_labels_generalize_and_random_labels_are_memorised_at_chance(memorise):
    """ "The same network, the same training, the same regularizers: on true labels it
    generalizes; on random labels it memorises 300 arbitrary assignments and is at chance on
    new images." """
    true, random = memorise["true labels"], memorise["random labels"]
    for arm in true.arms:
        assert np.all(true.test("accuracy", arm) > 0.9), arm
        assert random.extra("train_accuracy", arm).mean() > 0.95, arm
        accuracy = random.test("accuracy", arm)
        assert abs(accuracy.mean() - 0.1) < 0.03, arm  # at chance: 10 classes
        ci = mean_ci(accuracy)
        assert ci.low < 0.1 < ci.high, arm  # not distinguishable from chance
    assert np.all(random.extra("train_accuracy", NONE) == 1.0)  # all 300 assignments


@pytest.mark.claim("q4-true-labels-fit-fast")
def test_true_labels_are_fitted_many_times_faster_than_random_ones(memorise):
    """ "True labels have structure that the network picks up many times faster than random
    ones" """
    true, random = memorise["true labels"], memorise["random labels"]
    for arm in true.arms:
        assert epochs_to_90(random, arm).mean() > 5 * epochs_to_90(true, arm).mean(), arm


@pytest.mark.claim("q4-more-data-strongest")
def test_more_data_beats_every_regularizer_measured_on_the_page(by_size, memorise):
    """ "More data is the strongest regularizer measured here." """
    sizes, runs = by_size
    more_data = gap(runs[sizes[0]], NONE_SIZE).mean() - gap(runs[sizes[-1]], NONE_SIZE).mean()
    effects = [abs(d.mean) for d in dropout_effects_on_gap(sizes, runs)]
    for res in memorise.values():
        effects += [abs(res.diff("accuracy", NONE, arm).mean) for arm in (DROP, L2)]
    assert more_data > 2 * max(effects)


@pytest.mark.claim("q4-zhang-inception")
def test_zhang_et_al_inception_numbers_are_quoted_as_published():
    """'Inception on CIFAR-10 reaches 85.75% test accuracy with no explicit regularization,
    and 89.05% with random crops and weight decay.'"""
    text = published.claim_text("q4-zhang-inception")
    assert f"{published.ZHANG_INCEPTION_NO_REGULARIZATION:.2f}% test accuracy with no explicit" in text
    assert (
        f"{published.ZHANG_INCEPTION_CROP_AND_WEIGHT_DECAY:.2f}% with random crops and weight decay" in text
    )
