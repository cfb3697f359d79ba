"""What the site ran: the build report and the catalogue of experiments.

MkDocs hooks call :func:`page_started` and :func:`page_finished` around each page and
:func:`write` at the end; ``python -m reglab build-report`` reads it back.
:func:`experiments` lists every experiment on the site, for the home page's tables.
"""

from __future__ import annotations

import ast
import concurrent.futures as cf
import contextlib
import json
import os
import re
import runpy
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from . import config, workers
from .experiment import REGISTRY, Results, collected
from .stats import Comparison, MeanCI, holm, paired_diff
from .stopping import keras_patience

if TYPE_CHECKING:
    from .tuning import Tuned

_CHECKOUT = Path(__file__).resolve().parents[2]
SNIPPETS = _CHECKOUT / "snippets"  # where an entry's snippet (its path) lives

FILE = "_build-report.json"
_pages: dict[str, list[dict]] = {}
_before: set[int] = set()
_catalogued: set[int] = set()  # results loaded for the home page's tables, not run by a page


def page_started() -> None:
    _before.clear()
    _before.update(id(r) for r in REGISTRY)


def page_finished(page: str) -> None:
    """Record the experiments that ``page`` ran (from the cache or freshly). A page whose
    fences were all replayed runs none and keeps its record from the last build."""
    new = [r for r in REGISTRY if id(r) not in _before and id(r) not in _catalogued]
    if not new:
        return
    _pages[page] = [
        {
            "name": r.name,
            "fits": sum(len(v) for v in r.runs.values()),
            "cached": r.cached,
            "compute_seconds": round(r.compute_seconds, 2),
        }
        for r in new
    ]


def write(build_seconds: float) -> Path:
    """Write the report next to the cache entries (atomically)."""
    path = config.cache_dir() / FILE
    try:
        pages = read(path.parent)["pages"]
    except (OSError, ValueError, KeyError):
        pages = {}
    payload = {"build_seconds": round(build_seconds, 2), "pages": {**pages, **_pages}}
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as handle:
        json.dump(payload, handle, indent=1, sort_keys=True)
    os.replace(tmp, path)
    return path


def read(cache: Path) -> dict:
    return json.loads((cache / FILE).read_text())


@dataclass(frozen=True)
class Entry:
    """One experiment of the site: the page that shows it, its snippet file, its results."""

    page: str  # e.g. "08-dropout-in-keras.md"
    title: str  # the page's first heading
    snippet: str  # e.g. "dropout/dropout_vs_none.py"
    results: Results


def _reglab_calls(path: Path) -> set[str]:
    """The names a snippet file imports from ``reglab`` and calls, such as ``run``."""
    tree = ast.parse(path.read_text())
    imported = {
        a.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "reglab"
        for a in node.names
    }
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    return imported & called


def _calls_run(path: Path) -> bool:
    """Whether a snippet file trains through ``reglab.run`` (demonstrations do not)."""
    return "run" in _reglab_calls(path)


def snippet_pages(docs: Path) -> dict[str, tuple[str, str]]:
    """Snippet file -> (page, page title), from the pages' ``--8<--`` includes. A snippet
    belongs to the page whose Answer fence (id ``...-answer``) includes it and that shows
    its code in full (a fence with ``source="above"``): page 1 uses page 9's grid in its
    Answer, but page 9 shows it. Failing that, to the first page whose Answer includes it
    (a page that only borrows it in a later section, as pages 3 and 5-7 borrow MNIST-1D,
    does not own it); failing that, to the first page including it."""
    answered: dict[str, list[tuple[str, str]]] = {}
    shown: dict[str, set[str]] = {}
    found: dict[str, tuple[str, str]] = {}
    for page in sorted(docs.glob("*.md")):
        text = page.read_text()
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), page.stem)
        for fence in re.finditer(r'^```([^\n]*)id="([^"]+)"[^\n]*\n(.*?)^```', text, re.M | re.S):
            included = re.findall(r'--8<--\s+"([^"]+\.py)"', fence[3])
            for snippet in included:
                if fence[2].endswith("-answer"):
                    answered.setdefault(snippet, []).append((page.name, title))
                if 'source="above"' in fence[1]:
                    shown.setdefault(snippet, set()).add(page.name)
        for snippet in re.findall(r'--8<--\s+"([^"]+\.py)"', text):
            found.setdefault(snippet, (page.name, title))
    owned = {
        snippet: next((p for p in pages if p[0] in shown.get(snippet, ())), pages[0])
        for snippet, pages in answered.items()
    }
    return {**found, **owned}


# Started first, longest first: MNIST-1D and real MNIST take 3-18 s a run, the pitfalls'
# real-MNIST runs 3-4 s, the 8×8-digit runs 0.3-4 s.
LONGEST_FIRST = ("benchmarks/", "pitfalls/")


def _run_snippet(path: Path, number: int, memo: bool) -> list[Results]:
    """Run one snippet file. One that computes with :func:`reglab.memo` (``memo``) does so
    in this process, so it holds the lock that keeps one seeded computation at a time here."""
    # workers._here is the lab's own lock (workers.py is keyed: it is not edited)
    with collected() as found, workers._here if memo else contextlib.nullcontext():
        runpy.run_path(str(path), run_name=f"__reglab_catalogue_{number}__")
    return found


def _rank(snippet: str) -> int:
    """Where ``snippet`` starts in the catalogue: by its :data:`LONGEST_FIRST` prefix."""
    ranks = [i for i, prefix in enumerate(LONGEST_FIRST) if snippet.startswith(prefix)]
    return ranks[0] if ranks else len(LONGEST_FIRST)


def experiments(root: Path = _CHECKOUT) -> list[Entry]:
    """Every experiment on the site, in page order: each snippet file that calls
    :func:`reglab.run` is executed (the result cache serves unchanged runs). So is each
    one that calls :func:`reglab.memo`, which then finds its results cached when its page
    runs: computed here, they overlap the training instead of following it.

    Snippets run a few at a time, in threads, so that on a cold cache the worker
    processes always have runs queued: no core waits for the last run of an experiment
    or for the build process between two experiments. The longest ones, the benchmarks and
    then the pitfalls (:data:`LONGEST_FIRST`), start first, so that the build ends on short
    runs rather than with one core finishing a long experiment alone."""
    snippets, pages = root / "snippets", snippet_pages(root / "docs")
    todo = [
        (snippet, page, title, "memo" in calls)
        for snippet, (page, title) in sorted(pages.items(), key=lambda item: (item[1][0], item[0]))
        if (snippets / snippet).exists() and {"run", "memo"} & (calls := _reglab_calls(snippets / snippet))
    ]
    entries: list[Entry] = []
    with cf.ThreadPoolExecutor(max_workers=3, thread_name_prefix="reglab-catalogue") as threads:
        order = sorted(range(len(todo)), key=lambda i: _rank(todo[i][0]))
        submitted = {i: threads.submit(_run_snippet, snippets / todo[i][0], i, todo[i][3]) for i in order}
        futures = [submitted[i] for i in range(len(todo))]
        try:
            for (snippet, page, title, _), future in zip(todo, futures, strict=True):
                found = future.result()
                entries += [Entry(page, title, snippet, r) for r in found]
                _catalogued.update(id(r) for r in found)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return entries


@dataclass(frozen=True)
class Headline:
    """The comparison an experiment headlines on the home page, in a reader's words."""

    label: str  # e.g. "Dropout 0.5 vs none, 30% wrong labels"
    baseline: str  # an arm
    treatment: str  # an arm, or a stopping rule replayed on the baseline's curves (page 6)
    # which weights are scored: the last epoch's, or (as its page scores them) the epoch
    # with the best validation accuracy
    epoch: str = "last"


RESTORED = "early stopping (patience 10, restore best)"
BEST_VAL = "best validation accuracy"

# Every experiment declares the comparison it headlines; tests/test_claims_home.py fails
# when an experiment has none. A new experiment declares it in its own snippet instead:
# HEADLINE = ("label", "baseline arm", "treated arm"), which applies to every experiment
# of that snippet not named here.
HEADLINES: dict[str, Headline] = {
    "q3 100 features, 5 informative": Headline(
        "L1, tuned, vs none, 5 of 100 features informative", "none", "tuned L1"
    ),
    "q4 100 training images": Headline("Dropout 0.5 vs none, 100 digits", "no dropout", "dropout 0.5"),
    "q4 200 training images": Headline("Dropout 0.5 vs none, 200 digits", "no dropout", "dropout 0.5"),
    "q4 400 training images": Headline("Dropout 0.5 vs none, 400 digits", "no dropout", "dropout 0.5"),
    "q4 800 training images": Headline("Dropout 0.5 vs none, 800 digits", "no dropout", "dropout 0.5"),
    "q4 true labels": Headline("Dropout 0.3 vs none, true labels", "no regularization", "dropout 0.3"),
    "q4 random labels": Headline("Dropout 0.3 vs none, random labels", "no regularization", "dropout 0.3"),
    "q5 rate sweep, clean labels": Headline(
        "Dropout, tuned, vs none, 500 clean digits", "rate 0.0", "tuned rate"
    ),
    "q5 rate sweep, 30% label noise": Headline(
        "Dropout, tuned, vs none, 500 digits, 30% wrong labels", "rate 0.0", "tuned rate"
    ),
    "q6 clean labels": Headline("Early stopping vs none, 500 clean digits", "no stopping", RESTORED),
    "q6 30% label noise": Headline(
        "Early stopping vs none, 500 digits, 30% wrong labels", "no stopping", RESTORED
    ),
    "q7 batch 8": Headline("BN vs none, batch 8, 30% wrong labels", "no BN", "BN"),
    "q7 batch 32": Headline("BN vs none, batch 32, 30% wrong labels", "no BN", "BN"),
    "q7 batch 128": Headline("BN vs none, batch 128, 30% wrong labels", "no BN", "BN"),
    "q7 evaluated after 1 epochs": Headline(
        "BN momentum 0.9 vs 0.99, evaluated after 1 epoch", "momentum 0.99 (default)", "momentum 0.9"
    ),
    "q7 evaluated after 3 epochs": Headline(
        "BN momentum 0.9 vs 0.99, evaluated after 3 epochs", "momentum 0.99 (default)", "momentum 0.9"
    ),
    "q7 evaluated after 30 epochs": Headline(
        "BN momentum 0.9 vs 0.99, evaluated after 30 epochs", "momentum 0.99 (default)", "momentum 0.9"
    ),
    "q7 learning-rate tolerance": Headline("BN vs none, learning rate 0.01", "no BN, lr 0.01", "BN, lr 0.01"),
    "q8 clean digits": Headline("Dropout 0.5 vs none, clean digits", "no dropout", "dropout 0.5"),
    "q8 noisy labels": Headline("Dropout 0.5 vs none, 30% wrong labels", "no dropout", "dropout 0.5"),
    "q9 200 clean": Headline("Dropout, tuned, vs none, 200 clean digits", "none", "tuned dropout"),
    "q9 800 clean": Headline("Dropout, tuned, vs none, 800 clean digits", "none", "tuned dropout"),
    "q9 200, 30% noise": Headline(
        "Dropout, tuned, vs none, 200 digits, 30% wrong labels", "none", "tuned dropout"
    ),
    "q9 800, 30% noise": Headline(
        "Dropout, tuned, vs none, 800 digits, 30% wrong labels", "none", "tuned dropout"
    ),
    "pitfalls 003 max val accuracy": Headline(
        "Seed answer 003: dropout 0.2 vs none", "without dropout", "with dropout 0.2", BEST_VAL
    ),
    "pitfalls 003 max val accuracy, 300 validation digits": Headline(
        "Seed answer 003 on 300 validation digits: dropout 0.2 vs none",
        "without dropout",
        "with dropout 0.2",
        BEST_VAL,
    ),
    "pitfalls 004 l2 and dropout": Headline(
        "Seed answer 004: L2 + dropout as written vs none",
        "no regularization",
        "as written: L2(0.01) + Dropout(0.5)",
    ),
    "pitfalls 002 sigmoid on ten classes": Headline(
        "Seed answer 002: softmax vs sigmoid output, no dropout",
        "as written: sigmoid, no dropout",
        "fix: softmax, no dropout",
    ),
    "pitfalls 001 test set as validation": Headline(
        "Seed answer 001: dropout 0.3 vs none", "no dropout", "dropout 0.3"
    ),
    "mnist1d published models": Headline("CNN vs MLP, MNIST-1D as published", "MLP", "CNN"),
    "mnist1d shuffled positions": Headline("CNN vs MLP, MNIST-1D with shuffled positions", "MLP", "CNN"),
    "mnist1d augmentation, online": Headline(
        "Roll ±2 vs roll by any offset, MNIST-1D MLP", "roll any offset", "roll ±2"
    ),
    "mnist1d every technique": Headline("Dropout, tuned, vs none, MNIST-1D MLP", "none", "tuned dropout"),
    # The paper's landmarks, fixed before training: its lowest point and its widest model.
    "mnist1d double descent": Headline(
        "Width 300 vs width 16, MNIST-1D MLP, 13.5% wrong labels", "width 16", "width 300"
    ),
}

TUNED = "tuned "


def test_accuracy(results: Results, arm: str, epoch: str = "last") -> np.ndarray:
    """Per-seed test accuracy of ``arm`` (from the predictions when a probe recorded
    ``argmax_accuracy``; at the best validation epoch with ``epoch=BEST_VAL``); of
    ``"tuned <name>"``, the arms named ``"<name> <strength>"`` with the strength chosen per
    seed on validation data; or of a stopping rule replayed on the baseline's recorded
    curves (:data:`RESTORED`, page 6)."""
    from .tuning import tune

    if arm in results.arms and epoch == BEST_VAL:
        best = np.nanargmax(results.curves("val_accuracy", arm), axis=1)
        return results.curves("test_accuracy", arm)[np.arange(len(results.seeds)), best]
    if arm in results.arms:
        runs = results.runs[arm]
        if all("argmax_accuracy" in r.extra for r in runs):  # a head Keras's metric misreads
            return results.extra("argmax_accuracy", arm)
        return results.test("accuracy", arm)
    if arm.startswith(TUNED):
        prefix = arm.removeprefix(TUNED) + " "
        return tune(results, [a for a in results.arms if a.startswith(prefix)]).test
    if arm == RESTORED:
        runs = next(iter(results.runs.values()))
        picks = [keras_patience(r.history["val_loss"], patience=10) for r in runs]
        return np.array([p.pick(r.history["test_accuracy"], True) for p, r in zip(picks, runs, strict=True)])
    raise KeyError(f"{results.name!r} has no arm or rule {arm!r}")


def declared_headline(snippet: str) -> Headline | None:
    """The ``HEADLINE = (label, baseline, treatment)`` a snippet declares at its top level."""
    path = SNIPPETS / snippet
    if not path.is_file():
        return None
    tree = ast.parse(path.read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "HEADLINE" for t in node.targets):
            value = ast.literal_eval(node.value)
            if not (isinstance(value, tuple) and len(value) == 3 and all(isinstance(v, str) for v in value)):
                raise ValueError(
                    f"{snippet}: HEADLINE must be (label, baseline arm, treated arm), three strings"
                )
            return Headline(*value)
    return None


def headline(entry: Entry) -> tuple[Headline, MeanCI]:
    """The experiment's declared comparison and its paired test-accuracy difference."""
    h = HEADLINES.get(entry.results.name) or declared_headline(entry.snippet)
    if h is None:
        raise KeyError(
            f"experiment {entry.results.name!r} declares no headline: add HEADLINE = (label, baseline, "
            f"treatment) to {entry.snippet}"
        )
    base, treated = (test_accuracy(entry.results, arm, h.epoch) for arm in (h.baseline, h.treatment))
    return h, paired_diff(base, treated)


def against_none(results: Results, baseline: str = "none") -> dict[str, Comparison]:
    """Each arm of ``results`` against ``baseline`` on test accuracy, paired by seed and
    Holm-corrected over the arms."""
    base = results.test("accuracy", baseline)
    return holm({t: (base, results.test("accuracy", t)) for t in results.arms if t != baseline})


TECHNIQUES = ("L2", "dropout", "batch norm", "augmentation", "early stopping")


def tuned_family(
    grid: dict[str, Results], tuned: dict[str, dict[str, Tuned]], techniques: Sequence[str] = TECHNIQUES
) -> dict[tuple[str, str], Comparison]:
    """Each tuned technique against none in every setting of a grid, Holm-corrected over
    all of them: ``(setting, technique) -> Comparison``."""
    return holm(
        {
            (name, t): (res.test("accuracy", "none"), tuned[name][t].test)
            for name, res in grid.items()
            for t in techniques
            if t in tuned[name]
        }
    )


def transfer_families(
    mnist1d: Results,
    tuned_1d: dict[str, Tuned],
    grid: dict[str, Results],
    tuned: dict[str, dict[str, Tuned]],
    digits_setting: str = "800 clean",
) -> tuple[dict[str, Comparison], dict[str, Comparison]]:
    """Each tuned technique against none on MNIST-1D (and the CNN in place of the MLP),
    Holm-corrected over that family, and on the digits (page 9's grid), Holm-corrected
    over page 9's whole family; the digits side keeps ``digits_setting``."""
    none = mnist1d.test("accuracy", "none")
    pairs = {t: (none, tuned_1d[t].test) for t in TECHNIQUES if t in tuned_1d}
    family = holm(pairs | {"CNN instead of the MLP": (none, mnist1d.test("accuracy", "CNN"))})
    digits = tuned_family(grid, tuned)
    return family, {t: digits[digits_setting, t] for t in TECHNIQUES}


def kept_verdicts(family: dict[str, Comparison], on_digits: dict[str, Comparison]) -> tuple[list[str], int]:
    """The techniques whose MNIST-1D verdict is their digits verdict, and how many could be."""
    shared = [t for t in family if t in on_digits]
    return [t for t in shared if family[t].verdict == on_digits[t].verdict], len(shared)
