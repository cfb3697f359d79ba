"""What the site ran: the build report and the catalogue of experiments.

MkDocs hooks call :func:`page_started` and :func:`page_finished` around each page and
:func:`write` at the end; ``python -m reglab build-report`` reads it back.
:func:`experiments` lists every experiment on the site, for the home page's tables.
"""

from __future__ import annotations

import ast
import concurrent.futures as cf
import json
import os
import re
import runpy
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import config
from .experiment import REGISTRY, Results, collected

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


def _run_snippet(path: Path, number: int) -> list[Results]:
    with collected() as found:
        runpy.run_path(str(path), run_name=f"__reglab_catalogue_{number}__")
    return found


def experiments(root: Path = _CHECKOUT) -> list[Entry]:
    """Every experiment on the site, in page order: each snippet file that calls
    :func:`reglab.run` is executed (the result cache serves unchanged runs).

    Snippets run a few at a time, in threads, so that on a cold cache the worker
    processes always have runs queued: no core waits for the last run of an experiment
    or for the build process between two experiments."""
    snippets, pages = root / "snippets", _snippet_pages(root / "docs")
    todo = [
        (snippet, page, title)
        for snippet, (page, title) in sorted(pages.items(), key=lambda item: (item[1][0], item[0]))
        if (snippets / snippet).exists() and _calls_run(snippets / snippet)
    ]
    entries: list[Entry] = []
    with cf.ThreadPoolExecutor(max_workers=3, thread_name_prefix="reglab-catalogue") as threads:
        futures = [threads.submit(_run_snippet, snippets / s, i) for i, (s, _, _) in enumerate(todo)]
        try:
            for (snippet, page, title), future in zip(todo, futures, strict=True):
                found = future.result()
                entries += [Entry(page, title, snippet, r) for r in found]
                _catalogued.update(id(r) for r in found)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return entries
