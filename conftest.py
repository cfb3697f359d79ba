"""Shared test set-up: quiet TensorFlow, a private cache per test where needed, and the
markdown parser that lets pytest-markdown-docs run pages exactly as MkDocs renders them."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")

import pytest  # noqa: E402
import yaml  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402

collect_ignore = ["tests/fixtures", "site", ".venv", "tools"]  # fixtures are broken on purpose

ROOT = Path(__file__).resolve().parent
SESSION = re.compile(r'session="([^"]+)"')
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tests"))  # tests/published.py: the numbers the pages cite
from notebook_build import expand  # noqa: E402  (the one --8<-- expander, shared with the notebooks)


def _load_tasks():
    """``tasks.py``, the set-up script (not a package module), loaded by path."""
    spec = importlib.util.spec_from_file_location("tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tasks = _load_tasks()


def _expand_fences(state) -> None:
    """Expand ``--8<--`` includes in fences, and run each markdown-exec session as MkDocs
    does: one test per session, its last fence, which executes every fence of the session
    in order (so each fence runs once, not once per later fence). pytest-markdown-docs's
    own ``continuation`` would chain to the previous fence of the file, whatever its
    session."""
    sessions: dict[str, str] = {}
    last: dict[str, object] = {}
    for token in state.tokens:
        if token.type != "fence":
            continue
        token.content = expand(token.content)
        session = SESSION.search(token.info)
        if session:
            token.content = sessions.get(session[1], "") + token.content
            sessions[session[1]] = token.content + "\n"
            if session[1] in last:  # only the session's last fence runs: it runs them all
                last[session[1]].info += " notest"
            last[session[1]] = token


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


def mkdocs_build(out: Path, config: Path | None = None, env: dict | None = None):
    """``mkdocs build --strict`` into ``out`` (of this site, or of ``config``), captured."""
    args = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)]
    if config is not None:
        args += ["-f", str(config)]
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(args, capture_output=True, text=True, env=full_env, cwd=ROOT)


def build_fixture_page(
    tmp_path: Path,
    fixture: str | None,
    as_name: str,
    env: dict | None = None,
    text: str | None = None,
    more_pages: dict[str, str] | None = None,
):
    """Build a one-page site from ``tests/fixtures/<fixture>`` (or from ``text``) with this
    site's settings and hooks; ``more_pages`` (name to text) are put in front of it."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / as_name).write_text(
        text if fixture is None else (ROOT / "tests" / "fixtures" / fixture).read_text()
    )
    for name, content in (more_pages or {}).items():
        (docs / name).write_text(content)
    config.update(
        docs_dir=str(docs),
        nav=[*(more_pages or {}), as_name],
        hooks=[str(ROOT / hook) for hook in config["hooks"]],
        extra_css=[],
        extra_javascript=[],
        watch=[],
    )
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config))
    return mkdocs_build(tmp_path / "site", path, env)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The whole site, built once per test session with ``mkdocs build --strict``."""
    out = tmp_path_factory.mktemp("site")
    result = mkdocs_build(out)
    assert result.returncode == 0, result.stderr[-3000:]
    return out
