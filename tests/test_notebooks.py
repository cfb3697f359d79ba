"""The notebooks of the question pages: the committed copies are current, they hold the
code the pages run, they run top to bottom on their own in a fresh kernel, and the site
shows each one executed, printing the numbers its page prints. Links name the real
repository or are left out; a failing cell fails the strict build."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))
import fence_cache  # noqa: E402
import notebook_build  # noqa: E402
import notebook_run  # noqa: E402
from reglab import config  # noqa: E402

import notebooks  # noqa: E402  (the MkDocs hook)
from conftest import build_fixture_page  # noqa: E402

PAGES = notebook_build.pages()
CACHE = ROOT / ".cache" / "reglab"

# A test-only cell that records where the lab and the kernel came from.
ORIGIN = """\
import json, sys, reglab
open("origin.json", "w").write(json.dumps({"lab": reglab.__file__, "prefix": sys.prefix}))"""


def test_committed_notebooks_are_current():
    assert PAGES, "no question pages found"
    assert not notebook_build.stale(), "notebooks/ is stale: run python hooks/notebook_build.py"


def test_notebooks_install_the_lab_instead_of_pasting_it():
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        text = path.read_text()
        assert "%%writefile" not in text, path.name
        assert "reglab.notebook.as_on_the_site()" in text, path.name


def _fence_cells(nb) -> list:
    """The code cells that hold a page's fences: not set-up, not %%prose."""
    return [
        c
        for c in nb.cells
        if c.cell_type == "code" and not c.id.startswith(("setup-", notebook_build.PROSE_ID))
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_code_cells_are_the_fences_the_page_runs(page):
    text = page.read_text()
    fences = re.findall(r'^```python exec="on"[^\n]*id="([^"]+)"[^\n]*\n(.*?)^```$', text, re.M | re.S)
    cells = {c.id: c.source for c in _fence_cells(notebook_build.build(page))}
    assert [i for i, _ in fences] == list(cells)
    for fence_id, body in fences:
        assert cells[fence_id] == notebook_build.expand(body).rstrip("\n"), fence_id
        assert "--8<--" not in cells[fence_id]


def test_notebook_runs_on_its_own(tmp_path, monkeypatch):
    """In a fresh kernel in an empty directory, with the installed lab and the site's result
    cache (which it may not add to). The build runs every page's notebook this way; this
    test also checks where the lab and the kernel came from, on one page."""
    page = PAGES[0]
    if not any(CACHE.glob("*.json")):
        pytest.skip("no result cache yet: build the site first (python3 tasks.py build)")
    monkeypatch.setenv("REGLAB_CACHE_DIR", str(CACHE))
    for name in ("REGLAB_NO_CACHE", "PYTHONPATH"):
        monkeypatch.delenv(name, raising=False)
    nb = nbformat.reads(notebook_build.render(page), as_version=4)
    setup_end = max(i for i, c in enumerate(nb.cells) if c.id.startswith("setup-")) + 1
    nb.cells.insert(setup_end, nbformat.v4.new_code_cell(notebook_run.CACHE_ONLY, id="test-cache-only"))
    nb.cells.append(nbformat.v4.new_code_cell(ORIGIN, id="test-origin"))

    NotebookClient(
        nb,
        kernel_name="python3",
        skip_cells_with_tag=notebook_build.INSTALL_TAG,  # the venv already has the pins
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()

    origin = json.loads((tmp_path / "origin.json").read_text())
    assert Path(origin["lab"]).resolve() == (notebook_build.LAB / "__init__.py").resolve()  # installed
    assert Path(origin["prefix"]).resolve() == Path(sys.prefix).resolve()
    assert not (tmp_path / "reglab").exists()  # nothing pasted beside the notebook
    figures = int(re.search(r"^figures: (\d+)", page.read_text(), re.M)[1])
    shown = [
        o["data"]["text/markdown"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("output_type") == "display_data" and "text/markdown" in o.get("data", {})
    ]
    assert sum(s.count("<svg") for s in shown) >= figures


# --- the notebooks as pages of the site -------------------------------------------------

PLACEHOLDERS = ("your-github-user", "your-repository", "USERNAME/REPO", "OWNER/REPO", "github.com/None")


def _config(tmp_path, repo_url=""):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    return SimpleNamespace(repo_url=repo_url, config_file_path=str(tmp_path / "mkdocs.yml"))


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_the_repository_comes_from_github_actions_then_repo_url_then_the_git_remote(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    _git(tmp_path, "init", "-q")
    assert notebooks.repository(_config(tmp_path)) is None  # no remote: no links, no placeholder
    _git(tmp_path, "remote", "add", "origin", "git@github.com:someone/from-remote.git")
    assert notebooks.repository(_config(tmp_path)) == "someone/from-remote"
    config = _config(tmp_path, "https://github.com/someone/from-repo-url")
    assert notebooks.repository(config) == "someone/from-repo-url"
    monkeypatch.setenv("GITHUB_REPOSITORY", "someone/from-actions")
    assert notebooks.repository(config) == "someone/from-actions"


def test_a_remote_elsewhere_than_github_names_no_repository(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "remote", "add", "origin", "https://gitlab.example/someone/project.git")
    assert notebooks.repository(_config(tmp_path, "https://gitlab.example/someone/project")) is None


def test_no_placeholder_anywhere_in_the_built_site(built_site):
    found = {
        str(path.relative_to(built_site)): [p for p in PLACEHOLDERS if p in text]
        for path in built_site.rglob("*")
        if path.suffix in (".html", ".ipynb", ".js", ".json", ".xml") and path.is_file()
        for text in [path.read_text(errors="replace")]
    }
    assert {path: hits for path, hits in found.items() if hits} == {}


def test_colab_and_github_links_appear_exactly_when_the_repository_is_known(built_site):
    repo = notebooks.repository(SimpleNamespace(repo_url="", config_file_path=str(ROOT / "mkdocs.yml")))
    html = (built_site / "05-dropout" / "index.html").read_text()
    assert ('href="../notebooks/05-dropout/"' in html) and ('download="05-dropout.ipynb"' in html)
    if repo is None:
        assert "colab.research.google.com" not in html and "github.com/" not in html
    else:
        assert f"colab.research.google.com/github/{repo}/blob/main/notebooks/05-dropout.ipynb" in html


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_each_notebook_is_a_page_showing_a_real_execution(built_site, page):
    folder = built_site / "notebooks" / page.stem
    html = (folder / "index.html").read_text()
    assert 'class="jp-Notebook"' in html and "Traceback" not in html
    assert "mathjax" not in html.lower()  # math comes from the site's bundled KaTeX
    assert "cdnjs" not in html and 'import("https:' not in html  # nor a script from a CDN
    figures = int(re.search(r"^figures: (\d+)", page.read_text(), re.M)[1])
    # nbconvert's HTML pass reorders attributes, so count the figures by class
    assert len(re.findall(r'<svg [^>]*class="reglab-figure reglab-wide"', html)) >= figures
    executed = nbformat.reads((folder / f"{page.stem}.ipynb").read_text(), as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"]
    ran = [c for c in code if notebook_build.INSTALL_TAG not in c.metadata.get("tags", [])]
    counts = [c.execution_count for c in ran]
    assert counts == sorted(set(counts)) and counts[0] == 1  # top to bottom, each cell once
    assert all(c.execution_count is None for c in code if c not in ran)  # the pip cell is skipped
    assert not any(o.get("output_type") == "error" for c in code for o in c.outputs)


def test_a_failing_notebook_cell_fails_the_strict_build_and_stores_nothing(tmp_path):
    cache = tmp_path / "cache"
    result = build_fixture_page(
        tmp_path, "notebook-fails.md", as_name="01-notebook-fails.md", env={"REGLAB_CACHE_DIR": str(cache)}
    )
    assert result.returncode != 0
    failures = [line for line in result.stderr.splitlines() if "failed when executed" in line]
    assert len(failures) == 1, result.stderr[-2000:]
    assert "the notebook of docs/01-notebook-fails.md failed when executed" in failures[0]
    assert "cell 'fails-only-in-a-kernel' failed" in failures[0]
    assert "this cell fails in a notebook kernel on purpose" in failures[0]
    assert "Traceback" not in result.stderr
    assert not list((cache / "notebooks").rglob("executed/**/*.ipynb"))


NUMBER = re.compile(r"[-+−]?\d+(?:[.,]\d+)*%?")
SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def numbers(text: str) -> list[str]:
    """The numbers a printed block shows, outside its inline figures."""
    return NUMBER.findall(SVG.sub(" ", text))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_the_executed_notebook_prints_the_numbers_the_page_prints(built_site, page):
    """Cell by cell, the notebook shown on the site printed what its page's fence printed
    in the same build: the same numbers, and byte-identical figures."""
    on_page = json.loads(fence_cache.printed_path(config.cache_dir(), page.name).read_text())
    executed = nbformat.reads(
        (built_site / "notebooks" / page.stem / f"{page.stem}.ipynb").read_text(), as_version=4
    )
    in_notebook = {c.id: _shown(c) for c in _fence_cells(executed)}
    assert list(in_notebook) == list(on_page)  # the same fences, in the same order
    html = (built_site / page.stem / "index.html").read_text()
    for fence_id, printed in on_page.items():
        assert numbers(in_notebook[fence_id]) == numbers(printed), fence_id
        assert SVG.findall(in_notebook[fence_id]) == SVG.findall(printed), fence_id
        assert set(numbers(printed)) <= set(NUMBER.findall(html)), fence_id  # the page shows them
    assert sum(len(numbers(p)) for p in on_page.values()) > 10
    # the %%prose cells show the page's sentences with the same values in place
    for cell in executed.cells:
        if cell.id.startswith(notebook_build.PROSE_ID):
            shown = _shown(cell)
            assert shown.strip() and "{{" not in shown, cell.id
            assert set(numbers(shown)) <= set(NUMBER.findall(html)), cell.id


def _shown(cell) -> str:
    """What a cell displayed as Markdown."""
    return "".join(o["data"]["text/markdown"] for o in cell.outputs if "text/markdown" in o.get("data", {}))


def test_a_notebook_started_before_its_page_ran_runs_again_after_it(tmp_path):
    """Notebooks start once the home page has run; this home page trains nothing, so the
    notebook first finds its runs missing (and may not train them), then succeeds once its
    page has run, printing the page's numbers."""
    cache = tmp_path / "cache"
    result = build_fixture_page(
        tmp_path,
        "notebook-early.md",
        as_name="01-notebook-early.md",
        env={"REGLAB_CACHE_DIR": str(cache), "REGLAB_WORKERS": "1"},
        more_pages={"index.md": "# Home\n\nNo catalogue here.\n"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "the notebook of docs/01-notebook-early.md started before its page had run" in result.stderr
    executed = nbformat.reads(
        (tmp_path / "site" / "notebooks" / "01-notebook-early" / "01-notebook-early.ipynb").read_text(),
        as_version=4,
    )
    printed = json.loads(fence_cache.printed_path(cache, "01-notebook-early.md").read_text())
    cell = next(c for c in executed.cells if c.id == "tiny-experiment")
    assert cell.outputs[0]["data"]["text/markdown"] == printed["tiny-experiment"]
    assert "test accuracy, seed by seed: [0." in printed["tiny-experiment"]
    assert len(list(cache.glob("*.json"))) == 2  # the page's two runs


class _FakeJob:
    def __init__(self, outcomes, notebook):
        self.outcomes, self.notebook = outcomes, notebook

    def wait(self):
        code, failure = self.outcomes.pop(0)
        if failure is None:
            self.notebook.out.write_text("{}")
        return code, failure

    def running(self):
        return False


@pytest.mark.parametrize("early", [True, False], ids=["started-early", "started-by-its-page"])
def test_missing_runs_are_retried_only_for_a_notebook_started_before_its_page(tmp_path, monkeypatch, early):
    missing = (notebook_run.MISSING_RUNS, "cell 'x' failed: RuntimeError: 2 runs … not in the cache")
    outcomes = [missing, (0, None)]
    notebook = notebooks.Notebook("01-x.md", "{}", tmp_path / "01-x.ipynb", cache_only=True, early=early)

    def start(self):
        self.job = _FakeJob(outcomes, self)

    monkeypatch.setattr(notebooks.Notebook, "start", start)
    if early:
        notebooks._wait_for(notebook)
        assert notebook.out.exists() and outcomes == []
    else:
        with pytest.raises(notebooks.PluginError, match="not in the cache"):
            notebooks._wait_for(notebook)


class _TimedJob:
    """A notebook job that runs until the test ends it."""

    def __init__(self) -> None:
        self.ended = False

    def running(self) -> bool:
        return not self.ended


def test_a_queued_notebook_starts_when_a_slot_frees_with_no_page_ending(tmp_path, monkeypatch):
    """The pump thread starts the next queued notebook as soon as a running one ends,
    not when the next page finishes rendering (which can take half a minute)."""
    started: list[str] = []

    def start(self):
        started.append(self.page)
        self.job = _TimedJob()

    monkeypatch.setattr(notebooks.Notebook, "start", start)
    queue = {
        f"notebooks/{page}": notebooks.Notebook(page, "{}", tmp_path / f"{page}.ipynb", True, queued=True)
        for page in ("01-x.md", "02-x.md", "03-x.md")
    }
    monkeypatch.setitem(notebooks._state, "notebooks", queue)
    monkeypatch.setitem(notebooks._state, "pump", None)
    notebooks._pump()
    notebooks._keep_pumping()
    assert started == ["01-x.md", "02-x.md"]  # two at once
    queue["notebooks/01-x.md"].job.ended = True  # no page ends: only the thread can see it
    for _ in range(50):
        if len(started) == 3:
            break
        time.sleep(0.1)
    assert started == ["01-x.md", "02-x.md", "03-x.md"]
    # A notebook's process ends with the thread that started it: the thread outlives them.
    queue["notebooks/02-x.md"].job.ended = True
    time.sleep(0.5)
    assert notebooks._state["pump"].is_alive()
    queue["notebooks/03-x.md"].job.ended = True
    notebooks._state["pump"].join(timeout=10)
    assert not notebooks._state["pump"].is_alive()
