"""Every qualitative claim on page 6, asserted against the page's own experiments."""

import runpy

import keras
import numpy as np
import pytest
from reglab import paired_diff

from conftest import ROOT

SNIPPETS = ROOT / "snippets" / "early_stopping"
NONE, DEFAULT, RESTORE, GL = (
    "no early stopping",
    "patience 10, restore_best_weights=False",
    "patience 10, restore_best_weights=True",
    "Prechelt GL5, restore best",
)


@pytest.fixture(scope="module")
def page():
    ns = runpy.run_path(str(SNIPPETS / "patience_and_restore.py"))
    ns["outcomes"] = {
        setting: {name: ns["replay"](res, rule) for name, rule in ns["rules"].items()}
        for setting, res in ns["full"].items()
    }
    return ns


def acc(page, setting, rule):
    return page["outcomes"][setting][rule][0]


def test_keras_defaults_are_as_the_page_says():
    cb = keras.callbacks.EarlyStopping()
    assert (cb.monitor, cb.patience, cb.restore_best_weights) == ("val_loss", 0, False)


def test_clean_labels_early_stopping_changes_little(page):
    d = paired_diff(acc(page, "clean labels", NONE), acc(page, "clean labels", RESTORE))
    assert not d.excludes_zero and abs(d.mean) < 0.01


def test_noisy_labels_early_stopping_is_decisive(page):
    d = paired_diff(acc(page, "30% label noise", NONE), acc(page, "30% label noise", RESTORE))
    assert d.low > 0.05


def test_noisy_labels_keras_default_gives_away_part_of_the_gain(page):
    d = paired_diff(acc(page, "30% label noise", DEFAULT), acc(page, "30% label noise", RESTORE))
    assert d.low > 0


def test_noisy_minimum_comes_early(page):
    best = [r.best_epoch for r in page["full"]["30% label noise"].runs["no stopping"]]
    assert np.mean(best) < 15


def test_gl5_matches_patience_with_noise_but_stops_too_soon_on_clean_labels(page):
    noisy = paired_diff(acc(page, "30% label noise", RESTORE), acc(page, "30% label noise", GL))
    assert not noisy.excludes_zero
    clean = paired_diff(acc(page, "clean labels", RESTORE), acc(page, "clean labels", GL))
    assert clean.high < 0
    stops = page["outcomes"]["clean labels"]
    assert stops[GL][1].mean() < stops[RESTORE][1].mean()


def test_early_stopping_is_close_to_but_not_exactly_l2_for_a_linear_model():
    rows = runpy.run_path(str(SNIPPETS / "linear_l2_equivalence.py"))["rows"]
    gaps = [r[2] for r in rows]
    assert 0.05 < min(gaps) and max(gaps) < 0.4
    for column in (3, 4):  # both paths grow towards the unregularized solution
        norms = [r[column] for r in rows]
        assert norms == sorted(norms) and norms[-1] < 1
