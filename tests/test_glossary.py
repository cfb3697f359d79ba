"""The glossary (``includes/abbreviations.md``): each term is defined once, in one plain
sentence, used by some page, and shown as ``<abbr title="…">`` wherever a page's prose
uses it, inline values included, and nowhere in code, figures or math."""

from __future__ import annotations

import html
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import claim_registry
import claims
import pytest
from reglab import prose

from conftest import ROOT

GLOSSARY = ROOT / "includes" / "abbreviations.md"
DEFINITION = re.compile(r"^\*\[(?P<term>[^\]]+)\]: (?P<meaning>.+)$", re.M)
PAGES = sorted((ROOT / "docs").glob("*.md"))
CLOSED = ("code", "pre", "svg", "script", "style")  # where no term may be marked


def glossary() -> dict[str, str]:
    return {m["term"]: m["meaning"] for m in DEFINITION.finditer(GLOSSARY.read_text())}


def uses(text: str) -> Counter[str]:
    """How often each term stands as a word in ``text``, found as the abbr extension finds
    them: the longest term first, so "MNIST-1D" is not also "MNIST"."""
    terms = sorted(glossary(), key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, terms)) + r")\b")
    return Counter(pattern.findall(text))


def markdown(page: Path) -> str:
    """A page's Markdown, with the claims list in place on the claims page."""
    text = page.read_text()
    listing = claim_registry.claims_page(page.parent, claim_registry.claim_tests(), lambda p: p)
    return text.replace(claims.PLACEHOLDER, listing)


def source_prose(page: Path) -> str:
    """A page's Markdown as readers read it: no front matter, code, math, comments, HTML
    tags, link targets, explicit ids or value placeholders (their text is in the built
    page)."""
    text = claim_registry._without_code(markdown(page))
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$|\\\(.*?\\\)", " ", text, flags=re.S)
    text = prose.PLACEHOLDER.sub(" ", text)
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"\]\([^)]*\)", "] ", text)
    return re.sub(r"\{\s*#[^}]*\}", " ", text)


class _Article(HTMLParser):
    """The article of a built page: its marked terms, the text of its inline values, and
    any term marked inside code, figures or math."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str]] = []  # (tag, class) from the article down
        self.marked: Counter[tuple[str, str]] = Counter()  # (term, title)
        self.misplaced: list[str] = []
        self.values: list[str] = []
        self._title: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article" or self.open:
            if tag not in ("br", "img", "input", "hr", "meta", "link", "path", "rect", "line"):
                self.open.append((tag, attrs.get("class") or ""))
            if tag == "abbr":
                self._title = attrs.get("title") or ""
                inside = [t for t, c in self.open[:-1] if t in CLOSED or "arithmatex" in c]
                if inside:
                    self.misplaced.append(f"<abbr> inside <{inside[0]}>")
            if tag == "span" and "value" in (attrs.get("class") or "").split():
                self.values.append("")

    def handle_endtag(self, tag):
        if self.open and tag == self.open[-1][0]:
            self.open.pop()
            if tag == "abbr":
                self._title = None

    def handle_data(self, data):
        if not self.open:
            return
        if self._title is not None:
            self.marked[data, self._title] += 1
        if any(t == "span" and "value" in c.split() for t, c in self.open):
            self.values[-1] += data


@pytest.fixture(scope="module")
def articles(built_site) -> dict[str, _Article]:
    parsed = {}
    for page in PAGES:
        slug = "" if page.stem == "index" else page.stem
        parser = _Article()
        parser.feed((built_site / slug / "index.html").read_text())
        parsed[page.name] = parser
    return parsed


def test_each_term_is_defined_once_in_one_plain_sentence():
    terms = DEFINITION.findall(GLOSSARY.read_text())
    assert len(terms) >= 12
    assert len({t for t, _ in terms}) == len(terms), "a term defined twice"
    long = [t for t, meaning in terms if not meaning.endswith(".") or ". " in meaning]
    assert long == [], "one sentence each"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_every_term_a_page_uses_is_marked_with_its_meaning(page, articles):
    """Each use of a term in the prose, inline values included, is one <abbr> with the
    term's definition as its title; none is left bare, none is marked elsewhere."""
    article = articles[page.name]
    assert article.misplaced == []
    used_here = uses(source_prose(page)) + uses(" ".join(article.values))
    for term, meaning in glossary().items():
        used = used_here[term]
        marked = article.marked[term, html.unescape(meaning)]
        assert marked == used, f"{term!r}: used {used} times in the prose, marked {marked}"


def test_the_glossary_has_no_term_that_no_page_uses(articles):
    used = Counter()
    for page in PAGES:
        used += uses(source_prose(page)) + uses(" ".join(articles[page.name].values))
    assert [term for term in glossary() if not used[term]] == []


def test_a_page_in_a_fixture_build_gets_the_glossary(tmp_path):
    """The glossary reaches a page's prose but not what its code prints."""
    from conftest import build_fixture_page

    page = (
        "# Page\n\nAn MLP, not `MLP`.\n\n"
        '```python exec="on"\nprint("| arm | MLP |\\n|---|---|\\n| a | b |")\n```\n'
    )
    result = build_fixture_page(tmp_path, None, "page.md", text=page)
    assert result.returncode == 0, result.stderr[-2000:]
    built = (tmp_path / "site" / "page" / "index.html").read_text()
    meaning = html.escape(glossary()["MLP"], quote=True)
    assert f'An <abbr title="{meaning}">MLP</abbr>, not <code>MLP</code>.' in built
    assert "<th>MLP</th>" in built
