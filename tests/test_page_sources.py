"""How pages are written: code blocks short enough to read, and Answers whose sentences
are typed in the page's Markdown rather than assembled by code, short enough to read in
30 seconds on a phone."""

from __future__ import annotations

import re
from html import unescape

import pytest

from conftest import ROOT

PAGES = sorted((ROOT / "docs").glob("*.md"))
QUESTIONS = [p for p in PAGES if re.match(r"\d\d-", p.name)]
ANSWERED = [*QUESTIONS, ROOT / "docs" / "benchmarks.md"]  # the pages that open with ## Answer
FENCE = re.compile(r"^```python exec=\"on\"(?P<info>[^\n]*)\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
MAX_LINES = 30  # an experiment longer than this lives in a snippet, included with one --8<-- line


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_no_code_block_is_longer_than_30_lines(page):
    long = {
        (re.search(r'id="([^"]+)"', f["info"]) or [None, "?"])[1]: n
        for f in FENCE.finditer(page.read_text())
        if (n := len(f["body"].rstrip("\n").splitlines())) > MAX_LINES
    }
    assert not long, f"code blocks over {MAX_LINES} lines (fence id: lines): {long}"


def _answer(page) -> str:
    text = page.read_text()
    start = text.index("\n## Answer\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


@pytest.mark.parametrize("page", QUESTIONS, ids=lambda p: p.stem)
def test_the_answer_is_sentences_in_the_page_not_printed_by_code(page):
    answer = _answer(page)
    fences = list(FENCE.finditer(answer))
    assert len(fences) == 1, "one code block computes the Answer's values"
    assert "print(" not in fences[0]["body"], "the Answer's code names values; the page holds the sentences"
    assert "source=" not in fences[0]["info"], "the Answer's code is not shown (the experiment is, below)"
    prose = FENCE.sub("", answer).replace("## Answer", "")
    lead = prose.strip().split("\n\n")[0]
    assert lead.count(". ") >= 1 and "{{" in prose, (
        "two or more plain sentences, with values placed from the results"
    )
    assert "95% CI" not in lead and ":pp }}" not in lead.split(". ")[0], (
        "the first sentence carries no interval"
    )


MAX_FINDINGS = 4
MAX_FINDING_CHARS = 250  # rendered text: about six lines of a 390 px phone's column


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def _built_answer(built_site, page) -> tuple[str, list[str]]:
    """The Answer of ``page`` as the site shows it: its lead paragraph's text and each
    finding's (the bullets), values placed and the glossary's markup stripped."""
    html = (built_site / page.stem / "index.html").read_text()
    start = html.index('<h2 id="answer">')
    section = html[start : html.index("<h2", start + 1)]
    paragraphs = [t for p in re.findall(r"<p>(.*?)</p>", section, re.S) if (t := _text(p))]
    return paragraphs[0], [_text(item) for item in re.findall(r"<li>(.*?)</li>", section, re.S)]


@pytest.mark.parametrize("page", ANSWERED, ids=lambda p: p.stem)
def test_the_answer_reads_in_30_seconds_at_most_four_short_findings_one_interval_each(built_site, page):
    """As built: the Answer's first sentence carries no interval; then at most four
    findings, each under 250 characters of rendered text with at most one 95% CI (the
    evidence below prints the rest)."""
    lead, findings = _built_answer(built_site, page)
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", lead)[0]
    assert "95% CI" not in first, first
    assert 1 <= len(findings) <= MAX_FINDINGS, findings
    assert {f[:50]: len(f) for f in findings if len(f) >= MAX_FINDING_CHARS} == {}
    assert {f[:50]: f.count("95% CI") for f in findings if f.count("95% CI") > 1} == {}
