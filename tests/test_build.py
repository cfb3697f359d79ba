"""The site builds strictly, and a failing snippet fails the build and names its page."""

from pathlib import Path

import yaml
from reglab import config
from reglab.report import read as read_report

from conftest import ROOT, build_fixture_page


def test_site_builds_strictly(built_site):
    page = (built_site / "08-dropout-in-keras" / "index.html").read_text()
    assert page.count('<figure class="reglab"') == 5
    assert page.count('<svg role="img" aria-label=') == 10  # each drawn for a desktop and a phone
    assert " pp (95% CI " in page and "Traceback" not in page
    for html in built_site.rglob("*.html"):  # inline SVG must stay light
        assert html.stat().st_size <= 1_500_000, html
    report = read_report(config.cache_dir())
    q8 = report["pages"]["08-dropout-in-keras.md"]
    assert [e["name"] for e in q8] == ["q8 clean digits", "q8 noisy labels"]
    assert sum(e["fits"] for e in q8) == 40 and all(e["compute_seconds"] > 0 for e in q8)


def test_broken_snippet_fails_the_build_and_names_page_and_snippet(tmp_path):
    result = build_fixture_page(tmp_path, "broken.md", as_name="broken.md")
    assert result.returncode != 0
    failure = next(line for line in result.stderr.splitlines() if "Execution of python" in line)
    assert "docs/broken.md" in failure and "deliberately-broken" in failure
    assert "this snippet is broken on purpose" in result.stderr


def expected_figures(page: Path) -> int:
    """The ``figures:`` count a page declares in its front matter (0 if none)."""
    text = page.read_text()
    if not text.startswith("---\n"):
        return 0
    meta = yaml.safe_load(text.split("---\n", 2)[1]) or {}
    return int(meta.get("figures", 0))


def figure_count(html: str) -> int:
    return html.count('<figure class="reglab"')


def test_every_page_shows_the_figures_it_declares(built_site):
    """A snippet that prints nothing where a figure is expected fails here."""
    for page in sorted((ROOT / "docs").glob("*.md")):
        slug = "" if page.stem == "index" else page.stem
        html = (built_site / slug / "index.html").read_text()
        assert figure_count(html) == expected_figures(page), page.name


def test_the_figure_check_catches_a_page_that_printed_nothing(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("---\nfigures: 1\n---\n\n# Page\n")
    html_without_figure = "<html><body><p>the snippet printed nothing</p></body></html>"
    assert figure_count(html_without_figure) != expected_figures(page)


def test_search_indexes_the_text_but_not_the_figures(built_site):
    """hooks/search_index.py: text that only a figure shows (axis labels, say) stays out of
    search results; the page keeps its figures."""
    import html
    import json
    import re

    docs = json.loads((built_site / "search" / "search_index.json").read_text())["docs"]
    indexed = " ".join(doc["title"] + " " + doc["text"] for doc in docs)
    home = (built_site / "index.html").read_text()
    figures = re.findall(r"<svg\b.*?</svg>", home, re.S)
    outside = html.unescape(re.sub(r"<svg\b.*?</svg>", "", home, flags=re.S))
    labels = {html.unescape(t).strip() for f in figures for t in re.findall(r">([^<>]{12,})<", f)}
    only_in_figures = [label for label in labels if label not in outside and not label.startswith("*")]
    assert only_in_figures  # e.g. the axis label "difference in test accuracy (pp)"
    assert not [label for label in only_in_figures if label in indexed]
    assert "Every experiment at a glance" in indexed  # the page's own text is indexed
