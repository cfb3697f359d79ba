"""The home page's tables: complete, and each cell what the page claims it is."""

import re

import pytest
from reglab import Results, RunResult, report

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


def test_the_headline_is_the_declared_comparison_not_the_largest_change(monkeypatch):
    monkeypatch.setitem(report.HEADLINES, "e", report.Headline("Small vs base", "base", "small"))
    h, d = report.headline(fake("e", {"base": 0.0, "small": 0.02, "worse": -0.1}))
    assert (h.label, h.baseline, h.treatment) == ("Small vs base", "base", "small")
    assert d.pp() == "+2.2 pp (95% CI +0.8 to +3.6)" and d.n == 5


def test_a_snippet_declares_its_own_headline(tmp_path, monkeypatch):
    snippet = tmp_path / "topic" / "toy.py"
    snippet.parent.mkdir()
    snippet.write_text('HEADLINE = ("Small vs base, toy", "base", "small")\n')
    monkeypatch.setattr(report, "SNIPPETS", tmp_path)
    entry = fake("undeclared in report", {"base": 0.0, "small": 0.02})
    entry = report.Entry(entry.page, entry.title, "topic/toy.py", entry.results)
    h, d = report.headline(entry)
    assert (h.label, h.baseline, h.treatment) == ("Small vs base, toy", "base", "small")
    snippet.write_text("HEADLINE = ('only two', 'base')\n")
    with pytest.raises(ValueError, match="topic/toy.py: HEADLINE must be"):
        report.headline(entry)


def test_an_experiment_without_a_declared_headline_is_named_in_the_error():
    with pytest.raises(KeyError, match="'undeclared' declares no headline"):
        report.headline(fake("undeclared", {"base": 0.0, "b": 0.0}))


def test_every_experiment_declares_a_headline_between_arms_it_has():
    for e in report.experiments():
        if len(e.results.arms) == 1:  # compares nothing: the home page leaves it out
            continue
        h = report.headline(e)[0]
        assert h.baseline in e.results.arms, (e.results.name, h.baseline)
        tuned = h.treatment.startswith(report.TUNED) and any(
            a.startswith(h.treatment.removeprefix(report.TUNED) + " ") for a in e.results.arms
        )
        assert h.treatment in e.results.arms or tuned or h.treatment == report.RESTORED, (
            e.results.name,
            h.treatment,
        )
        assert h.label and "q" + e.page[:2].lstrip("0") not in h.label  # reader labels, not ids


def _rows(html: str, header: str) -> list[list[str]]:
    """The body rows of the table whose header row starts with ``header``, as cell texts."""
    table = next(t for t in re.findall(r"<table\b.*?</table>", html, re.S) if f"<th>{header}</th>" in t)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    ]


def test_the_home_page_answers_all_nine_questions_with_a_number(built_site):
    rows = _rows((built_site / "index.html").read_text(), "question")
    assert [r[0][:2] for r in rows] == [f"{n}." for n in range(1, 10)]
    assert all(re.search(r"\(95% CI [-+]\d", r[1]) for i, r in enumerate(rows) if i != 1)


def test_run_times_are_slowest_first_and_shares_add_up(built_site):
    rows = _rows((built_site / "index.html").read_text(), "experiment")
    seconds = [float(r[4].removesuffix(" s")) for r in rows]
    assert len(rows) >= 20 and seconds == sorted(seconds, reverse=True)
    assert sum(int(r[6].removesuffix("%")) for r in rows) == pytest.approx(100, abs=len(rows) / 2)


def test_every_experiment_file_is_shown_on_a_page():
    """The table is complete: no snippet that trains through reglab.run is left off a page."""
    shown = report.snippet_pages(ROOT / "docs")
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


def test_the_catalogue_starts_the_long_runs_first_and_computes_memo_results_too():
    """Benchmarks, then the pitfalls' real-MNIST runs, then the rest; the snippets that
    compute with reglab.memo (pitfalls 000, page 9's AdamW toy) run in the catalogue too,
    so their pages find them cached instead of computing them after the training."""
    snippets = ROOT / "snippets"
    ranks = [report._rank(s) for s in ("benchmarks/a.py", "pitfalls/a.py", "dropout/a.py")]
    assert ranks == [0, 1, 2]
    memo = {
        str(p.relative_to(snippets)) for p in snippets.glob("*/*.py") if "memo" in report._reglab_calls(p)
    }
    assert memo == {"pitfalls/label_leak_perfect_score.py", "choosing/adam_l2_vs_adamw.py"}
    assert memo <= set(report.snippet_pages(ROOT / "docs"))  # each on a page: the catalogue reaches it
