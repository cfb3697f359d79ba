"""Shared test set-up: quiet TensorFlow, a private cache per test where needed, and the
markdown parser that lets pytest-markdown-docs run pages exactly as MkDocs renders them."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")

import pytest  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402

collect_ignore = ["tests/fixtures", "site", ".venv", "tools"]  # fixtures are broken on purpose

ROOT = Path(__file__).resolve().parent
SNIPPET_BASES = (ROOT, ROOT / "snippets")  # the same base_path as mkdocs.yml
INCLUDE = re.compile(r'^(?P<indent>[ \t]*)--8<--[ \t]+"(?P<path>[^"]+)"[ \t]*$', re.MULTILINE)
SESSION = re.compile(r'session="([^"]+)"')


def _include(match: re.Match[str]) -> str:
    for base in SNIPPET_BASES:
        path = base / match["path"]
        if path.is_file():
            return textwrap.indent(path.read_text(), match["indent"])
    raise FileNotFoundError(f"snippet include not found: {match['path']}")


def _expand_fences(state) -> None:
    """Expand ``--8<--`` includes in fences, and chain fences of one markdown-exec session
    (pytest-markdown-docs's ``continuation``), as MkDocs runs them."""
    sessions: set[str] = set()
    for token in state.tokens:
        if token.type != "fence":
            continue
        token.content = INCLUDE.sub(_include, token.content)
        session = SESSION.search(token.info)
        if session:
            if session[1] in sessions:
                token.info += " continuation"
            sessions.add(session[1])


def pytest_markdown_docs_markdown_it() -> MarkdownIt:
    md = MarkdownIt("commonmark")
    md.core.ruler.push("reglab_fences", _expand_fences)
    return md


@pytest.fixture
def private_cache(tmp_path, monkeypatch) -> Path:
    """An empty cache directory for one test."""
    path = tmp_path / "cache"
    monkeypatch.setenv("REGLAB_CACHE_DIR", str(path))
    monkeypatch.delenv("REGLAB_NO_CACHE", raising=False)
    return path


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The whole site, built once per test session with ``mkdocs build --strict``."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out
