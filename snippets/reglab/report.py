"""The build report: which page ran which experiments, how many fits, at what cost.

MkDocs hooks call :func:`page_started` and :func:`page_finished` around each page and
:func:`write` at the end; ``python -m reglab build-report`` reads it back.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from . import config
from .experiment import REGISTRY

FILE = "_build-report.json"
_pages: dict[str, list[dict]] = {}
_before: set[int] = set()


def page_started() -> None:
    _before.clear()
    _before.update(id(r) for r in REGISTRY)


def page_finished(page: str) -> None:
    """Record the experiments that ``page`` ran (from the cache or freshly)."""
    new = [r for r in REGISTRY if id(r) not in _before]
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
    payload = {"build_seconds": round(build_seconds, 2), "pages": _pages}
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as handle:
        json.dump(payload, handle, indent=1, sort_keys=True)
    os.replace(tmp, path)
    return path


def read(cache: Path) -> dict:
    return json.loads((cache / FILE).read_text())
