"""MkDocs hook: reuse the printed output of executed Python fences when nothing they
depend on has changed.

A fence's output is stored under a key made of its own code, the code of every earlier
fence of its markdown-exec session (their state is its input), the lab's source
(``snippets/reglab/``), the snippet files the session's code runs by path or, when it
opens the experiment catalogue (``reglab.report``), every experiment snippet, the
versions of the libraries that compute and draw, and the ``REGLAB_*`` settings that
change results. Snippets included with ``--8<--`` are part of the fence's code already.
So editing one experiment re-executes only the pages that include or run it, and prose
is not part of the key: editing a page's text re-renders it without running anything.

On a hit the fence is not executed. On the first miss in a session, the session's
skipped fences are executed first (silently) so that the missing fence sees the same
state as in a cold build; from then on the session runs as usual. A fence that fails is
never stored. ``REGLAB_NO_CACHE=1`` turns this off along with the result cache.
Entries live in ``<cache dir>/fences/`` and are written atomically. Beside each output
its rendered HTML is kept (``<key>.html.json``, keyed also on the fence's options), so a
warm rebuild neither re-renders the output's Markdown nor re-highlights the code. What each page's
fences printed in the latest build is kept in ``<cache dir>/fences/printed/<page>.json``
(fence id to output), so tests can hold the page's notebook to the same numbers.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
from collections import defaultdict
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

import inline_values
import markdown_exec
from markdown_exec._internal.formatters.python import _run_python
from markupsafe import Markup
from notebook_build import write_atomically
from reglab import prose

_ROOT = Path(__file__).resolve().parents[1]
_LIBRARIES = ("tensorflow-cpu", "keras", "numpy", "scipy", "scikit-learn", "matplotlib", "markdown-exec")
_LIBRARIES += ("mnist1d",)
_SETTINGS_WITHOUT_EFFECT = {"REGLAB_QUIET", "REGLAB_WORKERS", "REGLAB_CACHE_DIR"}

_state: dict[str, Any] = {"salt": None, "dir": None}
_printed: dict[str, str] = {}  # fence id -> what it printed, for the current page
_chains: dict[str | None, list[str]] = defaultdict(list)  # code of each session's fences so far
_skipped: dict[str | None, list[tuple[str, str | None, dict]]] = defaultdict(list)


@functools.cache
def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def environment(libraries: tuple[str, ...] = _LIBRARIES) -> dict:
    """What besides code can change what a build prints: the Python and library versions,
    the ``REGLAB_*`` settings that change results, and the MNIST file in use."""
    settings = {k: v for k, v in os.environ.items() if k.startswith("REGLAB_")}
    settings = {k: v for k, v in settings.items() if k not in _SETTINGS_WITHOUT_EFFECT}
    material = {
        "python": "{}.{}".format(*sys.version_info[:2]),
        "libraries": {name: _version(name) for name in libraries},
        "settings": settings,
    }
    from reglab import config as lab

    if lab.mnist():  # the file in use, which no setting names
        from reglab import data

        material["mnist"] = data.mnist_digest()
    return material


_RUN_BY_PATH = re.compile(r"""["'](snippets/[\w./-]+\.py)["']""")
_CATALOGUE = re.compile(r"\breport\b")  # reglab.report runs every experiment snippet


def _digest(paths: list[Path], root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(set(paths)):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def salt(root: Path = _ROOT) -> str:
    """What every fence's output may depend on besides its session's code and the
    snippets it uses: the lab's source and the environment."""
    lab = _digest(list((root / "snippets" / "reglab").glob("*.py")), root)
    return hashlib.sha256((lab + json.dumps(environment(), sort_keys=True)).encode()).hexdigest()


def uses(code: str, root: Path = _ROOT) -> list[Path]:
    """The experiment snippets that ``code`` reads besides what it includes: the files it
    runs by path, and every experiment when it opens the catalogue in ``reglab.report``."""
    snippets = root / "snippets"
    if _CATALOGUE.search(code):
        return sorted(p for p in snippets.rglob("*.py") if "reglab" not in p.relative_to(snippets).parts)
    return sorted(root / m for m in set(_RUN_BY_PATH.findall(code)) if (root / m).is_file())


def _key(session: str | None, chain: list[str]) -> str:
    h = hashlib.sha256(_state["salt"].encode())
    h.update(json.dumps([session, chain]).encode())
    code = "\n".join(chain)
    h.update(_digest(uses(code, _ROOT), _ROOT).encode())
    if _CATALOGUE.search(code):  # the catalogue also reads which page includes which snippet
        h.update(_page_index(_ROOT / "docs").encode())
    return h.hexdigest()


def _page_index(docs: Path) -> str:
    """What ``reglab.report.snippet_pages`` reads of the pages (titles, includes, fence
    ids), without importing the lab and TensorFlow into a warm build."""
    wanted = re.compile(r"^(# |.*--8<--|```.*\bid=)")
    lines = []
    for page in sorted(docs.glob("*.md")):
        lines += [page.name] + [line for line in page.read_text().splitlines() if wanted.match(line)]
    return "\n".join(lines)


def _load(key: str) -> tuple[str, dict] | None:
    """A fence's stored output and the values it glued, or None."""
    try:
        entry = json.loads((_state["dir"] / f"{key}.json").read_text())
        output, glued = entry["output"], entry["glued"]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent or unreadable: run the fence
    return (output, glued) if isinstance(output, str) and isinstance(glued, dict) else None


def _store(key: str, output: str, glued: dict) -> None:
    write_atomically(_state["dir"] / f"{key}.json", json.dumps({"output": output, "glued": glued}))


def _run_and_glue(code: str, **options: Any) -> tuple[str, dict]:
    """Run a fence; return what it printed and the values it glued for the prose."""
    prose.take()
    output = _run_python(code, **options)
    glued = prose.take()
    inline_values.add(glued)
    return output, glued


def _run_uncached(code: str, **options: Any) -> str:
    """markdown-exec's ``run`` when the cache is off: the fence's values still reach the prose."""
    return _run_and_glue(code, **options)[0]


def printed_path(cache_dir: Path, page: str) -> Path:
    """Where what the fences of ``page`` (a src_uri) printed in the latest build is kept."""
    return cache_dir / "fences" / "printed" / f"{page.replace('/', '__')}.json"


def _replayed(
    code: str, session: str | None, fence_id: str | None, extra: dict, entry: tuple[str, dict]
) -> str:
    """Record a fence served from the cache: a later miss in its session executes it
    first, its output counts as printed on this page, and its values reach the prose."""
    output, glued = entry
    if session:
        _skipped[session].append((code, fence_id, extra))
    _printed[fence_id or f"#{len(_printed)}"] = output
    inline_values.add(glued)
    return output


def _run_cached(
    code: str,
    returncode: int | None = None,
    session: str | None = None,
    id: str | None = None,  # noqa: A002
    *,
    key: str,
    **extra: Any,
) -> str:
    """markdown-exec's ``run`` for a fence whose output is stored under ``key``."""
    if (entry := _load(key)) is not None:
        return _replayed(code, session, id, extra, entry)
    for old_code, old_id, old_extra in _skipped.pop(session, []):  # rebuild the session's state
        _run_python(old_code, session=session, id=old_id, **old_extra)
    output, glued = _run_and_glue(code, returncode=returncode, session=session, id=id, **extra)
    _store(key, output, glued)  # only reached when the fence succeeded
    _printed[id or f"#{len(_printed)}"] = output
    return output


def _html_key(key: str, options: dict[str, Any]) -> str:
    """The key of a fence's rendered HTML: its output's key, how the fence shows it (the
    fence's options: source position, tabs, id) and the renderer's version."""
    renderer = [_version("markdown-exec"), _version("pygments")]
    shown = json.dumps([options, renderer], sort_keys=True, default=repr)
    return hashlib.sha256((key + shown).encode()).hexdigest()


def _format_cached(*, code: str, md: Any, **options: Any) -> Markup:
    """markdown-exec's ``base_format`` with the result kept: on a hit the fence's output is
    neither run nor rendered again. Only fences with an id are kept (markdown-exec numbers
    id-less ones across the page) and only when their output adds no heading to the page's
    table of contents (which a kept copy would not report)."""
    session, fence_id = options.get("session"), options.get("id")
    chain = _chains[session] if session else []
    chain.append(code)
    key = _key(session, chain)
    html_key = _html_key(key, {k: v for k, v in options.items() if k != "transform_source"})
    path = _state["dir"] / f"{html_key}.html.json"
    if fence_id and (entry := _load(key)) is not None:
        try:
            html = json.loads(path.read_text())["html"]
        except (OSError, ValueError, KeyError, TypeError):
            html = None
        if html is not None:
            _replayed(code, session, fence_id, options.get("extra", {}), entry)
            return Markup(html)  # noqa: S704  (markdown-exec's own rendering, kept)
    run = partial(_run_cached, key=key)
    markup = markdown_exec.base_format(language="python", run=run, code=code, md=md, **options)
    # markdown-exec registers its headings processor on its first non-empty output
    inserter = (
        md.treeprocessors["markdown_exec_insert_headings"]
        if "markdown_exec_insert_headings" in md.treeprocessors
        else None
    )
    headings = inserter.headings.get(markup) if inserter is not None else None
    if fence_id and not headings and _load(key) is not None:  # the fence ran, or replayed, cleanly
        write_atomically(path, json.dumps({"html": str(markup)}))
    return markup


def _reset() -> None:
    _chains.clear()
    _skipped.clear()


def on_config(config, **kwargs):
    if str(_ROOT / "snippets") not in sys.path:
        sys.path.insert(0, str(_ROOT / "snippets"))
    from reglab import config as lab

    _state.update(salt=None, dir=None)
    formatter = partial(markdown_exec.base_format, language="python", run=_run_uncached)
    if lab.cache_enabled():
        _state.update(salt=salt(), dir=lab.cache_dir() / "fences")
        formatter = _format_cached
    markdown_exec.formatters["python"] = formatter
    return config


def on_page_markdown(markdown, page, **kwargs):
    _reset()  # sessions are per page
    _printed.clear()
    return markdown


def on_page_content(html, page, **kwargs):
    if _printed and _state["dir"] is not None:
        write_atomically(printed_path(_state["dir"].parent, page.file.src_uri), json.dumps(_printed))
    return html
