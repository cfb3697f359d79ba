"""The home page: nine answers drawn from their pages' numbers, the overview figure, and
tables that are complete, each cell what the page claims it is."""

import re
from html import unescape

import pytest
from reglab import MeanCI, Results, RunResult, prose, report

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


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


# Every verdict prose.verdict can print: up, down, within the margin, neither.
VERDICTS = {
    prose.verdict(MeanCI(m, lo, hi, 5))
    for m, lo, hi in [(2, 1, 3), (-2, -3, -1), (0, -0.001, 0.001), (0, -1, 1)]
}


def test_the_home_page_answers_each_question_in_one_sentence_from_its_pages_numbers(built_site):
    """Nine answers, in order, each its question linked to its page and one sentence with
    a verdict word from prose's vocabulary (question 2 has no trained comparison); every
    number it places is one that its page's Answer places too."""
    home = (built_site / "index.html").read_text()
    block = re.search(r'<div class="home-answers">(.*?)</div>', home, re.S)[1]
    items = re.findall(r"<li>(.*?)</li>", block, re.S)
    pages = sorted(p.stem for p in (ROOT / "docs").glob("0*.md"))
    assert len(items) == len(pages) == 9
    for number, (item, page) in enumerate(zip(items, pages, strict=True), start=1):
        link = re.match(r'\s*<strong><a href="([^"]+)">.*?</a></strong>(.*)', item, re.S)
        assert link and link[1] == f"{page}/", (number, item[:200])
        sentence = _text(link[2])
        assert sentence.endswith(".") and not re.search(r"[.!?] [A-Z]", sentence), (number, sentence)
        values = [_text(v) for v in re.findall(r'<span class="value">(.*?)</span>', item, re.S)]
        assert values, number
        assert number == 2 or set(values) & VERDICTS, (number, values)
        html = (built_site / page / "index.html").read_text()
        answer = _text(
            html[html.index('<h2 id="answer">') : html.index("<h2", html.index('<h2 id="answer">') + 1)]
        )
        assert [v for v in values if v not in VERDICTS and v not in answer] == [], (number, values)


def test_the_overview_figure_groups_each_technique_against_none(built_site):
    home = (built_site / "index.html").read_text()
    (label,) = set(re.findall(r'aria-label="(Each technique against none\.[^"]*)"', home))
    groups = [part.split(", ")[0] for part in label.split(": ", 1)[1].split("; ")]
    assert {"Dropout", "Early stopping", "BN"} <= set(groups)
    runs = [g for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g]
    assert len(runs) == len(set(runs)), runs  # each technique's rows together
    assert " vs " not in label.split(": ", 1)[1]  # only comparisons against none


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
