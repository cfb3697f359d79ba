"""The site builds strictly, and a failing snippet fails the build and names its page."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from reglab import config
from reglab.report import read as read_report

MKDOCS = [sys.executable, "-m", "mkdocs", "build", "--strict"]


def _build(config: Path, out: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [*MKDOCS, "-f", str(config), "-d", str(out)], capture_output=True, text=True, env=env, cwd=ROOT
    )


def test_site_builds_strictly(built_site):
    page = (built_site / "08-dropout-in-keras" / "index.html").read_text()
    assert page.count('<svg role="img" aria-label=') == 4
    assert "percentage points" in page and "Traceback" not in page
    for html in built_site.rglob("*.html"):  # inline SVG must stay light
        assert html.stat().st_size <= 1_500_000, html
    report = read_report(config.cache_dir())
    q8 = report["pages"]["08-dropout-in-keras.md"]
    assert [e["name"] for e in q8] == ["q8 clean digits", "q8 noisy labels"]
    assert sum(e["fits"] for e in q8) == 40 and all(e["compute_seconds"] > 0 for e in q8)


@pytest.fixture
def broken_site(tmp_path) -> Path:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "broken.md").write_text((ROOT / "tests" / "fixtures" / "broken.md").read_text())
    config.update(
        docs_dir=str(docs),
        nav=["broken.md"],
        hooks=[str(ROOT / "hooks" / "mkdocs_hooks.py")],
        extra_css=[],
        extra_javascript=[],
        watch=[],
    )
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_broken_snippet_fails_the_build_and_names_page_and_snippet(broken_site, tmp_path):
    result = _build(broken_site, tmp_path / "site")
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
    return html.count('<svg role="img"')


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
