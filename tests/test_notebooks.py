"""The notebooks of the question pages: the committed copies are current, they hold the
code the pages run, and each runs top to bottom on its own, in a fresh kernel in an empty
directory, with the lab it embeds and the site's result cache."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))
import notebook_build  # noqa: E402

PAGES = notebook_build.pages()
CACHE = ROOT / ".cache" / "reglab"

# Test-only cells. The first makes training an error, so a notebook whose cache keys differ
# from the site's fails at once instead of retraining; the last records where the lab and
# the kernel came from.
CACHE_ONLY = """\
import reglab.workers

_train_all = reglab.workers.train_all


def _cache_only(specs):
    if specs:
        raise RuntimeError(
            f"{len(specs)} runs, such as {sorted(specs)[0]}, are not in the site's result cache: "
            "build the site first, or the notebook's cache keys differ from the site's"
        )
    return _train_all(specs)


reglab.workers.train_all = _cache_only"""
ORIGIN = """\
import json, sys, reglab
open("origin.json", "w").write(json.dumps({"lab": reglab.__file__, "prefix": sys.prefix}))"""


def test_committed_notebooks_are_current():
    assert PAGES, "no question pages found"
    assert not notebook_build.stale(), "notebooks/ is stale: run python hooks/notebook_build.py"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_code_cells_are_the_fences_the_page_runs(page):
    text = page.read_text()
    fences = re.findall(r'^```python exec="on"[^\n]*id="([^"]+)"[^\n]*\n(.*?)^```$', text, re.M | re.S)
    cells = {c.id: c.source for c in notebook_build.build(page).cells if c.cell_type == "code"}
    assert [i for i, _ in fences] == [i for i in cells if not i.startswith("setup-")]
    for fence_id, body in fences:
        assert cells[fence_id] == notebook_build.expand(body).rstrip("\n"), fence_id
        assert "--8<--" not in cells[fence_id]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_notebook_runs_on_its_own(page, tmp_path, monkeypatch):
    if not any(CACHE.glob("*.json")):
        pytest.skip("no result cache yet: build the site first (python3 tasks.py build)")
    monkeypatch.setenv("REGLAB_CACHE_DIR", str(CACHE))
    for name in ("REGLAB_NO_CACHE", "PYTHONPATH"):
        monkeypatch.delenv(name, raising=False)
    nb = nbformat.reads(notebook_build.render(page), as_version=4)
    setup_end = max(i for i, c in enumerate(nb.cells) if c.id.startswith("setup-")) + 1
    nb.cells.insert(setup_end, nbformat.v4.new_code_cell(CACHE_ONLY, id="test-cache-only"))
    nb.cells.append(nbformat.v4.new_code_cell(ORIGIN, id="test-origin"))

    NotebookClient(
        nb,
        kernel_name="python3",
        skip_cells_with_tag=notebook_build.INSTALL_TAG,  # the venv already has the pins
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()

    origin = json.loads((tmp_path / "origin.json").read_text())
    assert Path(origin["lab"]).resolve() == (tmp_path / "reglab" / "__init__.py").resolve()
    assert Path(origin["prefix"]).resolve() == Path(sys.prefix).resolve()
    for written in (tmp_path / "reglab").glob("*.py"):  # byte for byte, or the cache keys differ
        assert written.read_bytes() == (notebook_build.LAB / written.name).read_bytes(), written.name
    figures = int(re.search(r"^figures: (\d+)", page.read_text(), re.M)[1])
    shown = [
        o["data"]["text/markdown"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("output_type") == "display_data" and "text/markdown" in o.get("data", {})
    ]
    assert sum(s.count("<svg") for s in shown) >= figures
