"""The home page's tables: complete, and each cell what the page claims it is."""

import re

import pytest
from reglab import Results, RunResult, report, tables

from conftest import ROOT


def run_result(accuracy: float, seconds: float = 1.0) -> RunResult:
    return RunResult(
        history={"loss": [1.0], "val_loss": [1.0]},
        test={"accuracy": accuracy, "loss": 0.5, "data_loss": 0.5},
        epochs_run=1,
        best_epoch=1,
        seconds_per_epoch=seconds,
        seconds_total=seconds,
    )


def fake(name: str, shifts: dict[str, float], seconds: float = 1.0) -> report.Entry:
    runs = {  # arm k's seeds alternate around its shift by ±0.01·k
        arm: [run_result(0.8 + s + 0.01 * k * (-1) ** i, seconds) for i in range(5)]
        for k, (arm, s) in enumerate(shifts.items())
    }
    return report.Entry("05-dropout.md", "Dropout", "dropout/x.py", Results(name, runs, list(range(5)), 0))


def test_headline_is_the_arm_that_differs_most_from_the_first_arm():
    table = tables.at_a_glance([fake("e", {"base": 0.0, "small": 0.02, "worse": -0.1})])
    row = table.splitlines()[2]
    assert "worse: -9.6 pp" in row and "detectable" in row and "not detectable" not in row
    assert "small, worse vs base" in row


def test_an_undetectable_difference_is_labelled_so():
    entry = fake("e", {"base": 0.0, "same": 0.0})
    assert "not detectable" in tables.at_a_glance([entry])


def test_run_times_are_slowest_first_and_shares_add_up():
    entries = [fake("fast", {"a": 0}, 1.0), fake("slow", {"a": 0}, 9.0), fake("mid", {"a": 0}, 4.0)]
    rows = tables.run_times(entries).splitlines()[2:]
    assert [r.split("|")[1].strip() for r in rows] == ["slow", "mid", "fast"]
    assert sum(int(re.search(r"(\d+)% \|$", r)[1]) for r in rows) == pytest.approx(100, abs=2)


def test_every_experiment_file_is_shown_on_a_page():
    """The table is complete: no snippet that trains through reglab.run is left off a page."""
    shown = report._snippet_pages(ROOT / "docs")
    trains = {
        str(p.relative_to(ROOT / "snippets"))
        for p in (ROOT / "snippets").glob("*/*.py")
        if p.parent.name != "reglab" and report._calls_run(p)
    }
    assert trains and trains <= set(shown)


def test_catalogue_finds_every_experiment_with_its_page():
    report.experiments()  # a second call in one process (mkdocs serve, a test session) finds them all again
    entries = report.experiments()
    names = [e.results.name for e in entries]
    assert len(names) == len(set(names)) >= 20
    assert all((ROOT / "docs" / e.page).exists() for e in entries)
    assert {e.page[:2] for e in entries} >= {"01", "03", "04", "05", "06", "07", "08", "09"}
