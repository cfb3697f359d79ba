"""What the site ran: the build report and the catalogue of experiments.

MkDocs hooks call :func:`page_started` and :func:`page_finished` around each page and
:func:`write` at the end; ``python -m reglab build-report`` reads it back.
:func:`experiments` lists every experiment on the site, for the home page's tables.
"""

from __future__ import annotations

import ast
import json
import os
import re
import runpy
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import config
from .experiment import REGISTRY, Results

_CHECKOUT = Path(__file__).resolve().parents[2]

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


def _calls_run(path: Path) -> bool:
    """Whether a snippet file trains through ``reglab.run`` (demonstrations do not)."""
    tree = ast.parse(path.read_text())
    imported = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "reglab"
        and any(a.name == "run" for a in node.names)
        for node in ast.walk(tree)
    )
    called = any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "run"
        for node in ast.walk(tree)
    )
    return imported and called


def _snippet_pages(docs: Path) -> dict[str, tuple[str, str]]:
    """Snippet file -> (page, page title), from the pages' ``--8<--`` includes."""
    found: dict[str, tuple[str, str]] = {}
    for page in sorted(docs.glob("*.md")):
        text = page.read_text()
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), page.stem)
        for snippet in re.findall(r'--8<--\s+"([^"]+\.py)"', text):
            found.setdefault(snippet, (page.name, title))
    return found


def experiments(root: Path = _CHECKOUT) -> list[Entry]:
    """Every experiment on the site, in page order: each snippet file that calls
    :func:`reglab.run` is executed (the result cache serves unchanged runs)."""
    snippets, pages = root / "snippets", _snippet_pages(root / "docs")
    entries: list[Entry] = []
    for snippet, (page, title) in sorted(pages.items(), key=lambda item: (item[1][0], item[0])):
        path = snippets / snippet
        if not path.exists() or not _calls_run(path):
            continue
        before = {id(r) for r in REGISTRY}  # an experiment run again replaces its entry
        runpy.run_path(str(path), run_name="__reglab_catalogue__")
        new = [r for r in REGISTRY if id(r) not in before]
        entries += [Entry(page, title, snippet, r) for r in new]
        _catalogued.update(id(r) for r in new)
    return entries
