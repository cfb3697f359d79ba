"""MkDocs hook: every question page's notebook, executed when the site builds and shown as
a page of the site (``notebooks/NN-slug/``, rendered by mkdocs-jupyter's converter), with
links from the page to it, to its download, and to Colab and GitHub when the repository
is known.

A page's notebook starts executing, in a child process, as soon as the result cache holds
its page's runs: once the home page has run its catalogue of every experiment, or else
once the page itself has run (a notebook started early that finds runs missing is run
again then). At most two run at once, beside the rest of the build, and each notebook's
page waits for its own. Executed notebooks and their HTML are
kept in the result cache (``hooks/notebook_run.py``), so a rebuild with nothing changed
executes and converts none, and does not even import the converter.
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import fence_cache
import notebook_build
import notebook_run
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.notebooks")
RUNNING_AT_ONCE = 2
HOME = "index.md"  # its catalogue runs every experiment of the site, first
GITHUB = re.compile(r"(?:https?://|ssh://git@|git@)github\.com[:/]([\w.-]+/[\w.-]+?)(?:\.git)?/?$")
COLAB = "https://colab.research.google.com/github/{repo}/blob/main/notebooks/{name}"
ON_GITHUB = "https://github.com/{repo}/blob/main/notebooks/{name}"
STYLESHEET = "assets/jupyter/notebook.css"  # mkdocs-jupyter's styles, once for every notebook page
LEAD = """\
<p class="reglab-notebook-links"><a href="{page}">Back to the page</a> ·
<a class="md-button md-button--primary" href="{download}" download="{name}">Download this notebook</a></p>
<p><em>Executed top to bottom in a fresh kernel when this site was built. The
<code>pip-install</code> cell was skipped, as the build has the pinned libraries. {runs}</em></p>"""
RUNS_CACHED = """The build also ran one cell, not shown (hence the gap in the execution counts), that
forbids training, so every number below comes from the runs the page itself made."""
RUNS_TRAINED = """This build kept no result cache, so the notebook trained its runs afresh, as the page
did."""


@dataclass
class Notebook:
    """One question page's notebook: its text before execution, and where the executed copy goes."""

    page: str  # the question page's src_uri
    text: str
    out: Path  # the executed notebook
    cache_only: bool
    queued: bool = False
    early: bool = False  # started before its page ran (after the home page's catalogue)
    job: notebook_run.Job | None = None
    waited: bool = False

    def start(self) -> None:
        self.early = self.page not in _state["ran"]
        self.job = notebook_run.Job(self.text, self.out, self.cache_only)
        self.waited = False

    def wait(self) -> tuple[int, str | None]:
        assert self.job is not None
        self.waited = True
        return self.job.wait()


_lock = threading.RLock()  # the pages' thread and the pump thread both start notebooks
_state: dict = {
    "repo": None,
    "notebooks": {},
    "scratch": None,
    "css": None,
    "ran": set(),
    "files": None,
    "pump": None,
}


def repository(config) -> str | None:
    """``owner/name`` on GitHub: from ``GITHUB_REPOSITORY`` (set by GitHub Actions), else
    from ``repo_url``, else from the checkout's ``origin`` remote; None when none names one."""
    if slug := os.environ.get("GITHUB_REPOSITORY", "").strip():
        return slug
    if match := GITHUB.match((config.repo_url or "").strip()):
        return match[1]
    try:
        remote = subprocess.run(
            ["git", "remote", "get-url", "origin"],
            cwd=Path(config.config_file_path or ".").parent,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return match[1] if (match := GITHUB.match(remote)) else None


def on_config(config, **kwargs):
    _stop_all()
    _state.update(repo=repository(config), notebooks={}, css=None, ran=set())
    return config


def on_files(files: Files, config, **kwargs) -> Files:
    """A page ``notebooks/NN-slug.md`` for each question page, which the notebook fills."""
    from reglab import config as lab

    environment = fence_cache.environment(notebook_run.LIBRARIES)
    for page in [f for f in files.documentation_pages() if notebook_build.PAGE.match(f.src_uri)]:
        text = notebook_build.render_memoised(Path(page.abs_src_path), page.content_string)
        stem = Path(page.src_uri).stem
        if lab.cache_enabled():
            folder = lab.cache_dir() / "notebooks" / "executed"
        else:  # executed afresh and kept only for this build
            _state["scratch"] = _state["scratch"] or tempfile.mkdtemp(prefix="reglab-notebooks-")
            folder = Path(_state["scratch"])
        out = folder / notebook_run.key(text, environment) / f"{stem}.ipynb"
        src_uri = f"notebooks/{stem}.md"
        _state["notebooks"][src_uri] = Notebook(page.src_uri, text, out, lab.cache_enabled())
        title = json.dumps(f"{notebook_build.title(page.content_string)}: the notebook")
        stub = f"---\ntitle: {title}\nsearch:\n  exclude: true  # its prose is its page's\n---\n"
        files.append(File.generated(config, src_uri, content=stub))
    _state["files"] = files
    return files


def on_page_markdown(markdown: str, page, **kwargs) -> str:
    if not notebook_build.PAGE.match(page.file.src_uri):
        return markdown
    stem = Path(page.file.src_uri).stem
    name = f"{stem}.ipynb"
    download = get_relative_url(_download_uri(f"notebooks/{stem}.md"), page.file.url)
    links = [
        f"[Run it as a notebook](notebooks/{stem}.md)",
        f'<a href="{download}" download="{name}">Download notebook</a>',
    ]
    if repo := _state["repo"]:
        links.append(f"[Open in Colab]({COLAB.format(repo=repo, name=name)})")
        links.append(f"[View on GitHub]({ON_GITHUB.format(repo=repo, name=name)})")
    return re.sub(r"^# .*$", lambda m: f"{m[0]}\n\n{' · '.join(links)}\n", markdown, count=1, flags=re.M)


def on_page_content(html: str, page, **kwargs) -> str:
    """A question page has run: queue its notebook. The home page has run its catalogue of
    every experiment: queue them all, early. A notebook page: the executed notebook."""
    _state["ran"].add(page.file.src_uri)
    with _lock:
        for notebook in _state["notebooks"].values():
            done = notebook.job is not None or notebook.out.exists()
            if page.file.src_uri in (notebook.page, HOME) and not done:
                notebook.queued = True
    _pump()
    _keep_pumping()
    if (notebook := _state["notebooks"].get(page.file.src_uri)) is None:
        return html
    _wait_for(notebook)
    rendered = notebook_run.rendered(notebook.out)
    page.toc = get_toc(rendered["toc_tokens"])
    return _as_site_page(rendered, notebook, page)


def on_post_page(output: str, page, config, **kwargs) -> str:
    """Put the executed notebook beside its page, for the download links."""
    if (notebook := _state["notebooks"].get(page.file.src_uri)) is not None:
        target = Path(config.site_dir) / _download_uri(page.file.src_uri)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(notebook.out, target)
    return output


def _download_uri(notebook_src_uri: str) -> str:
    """Where the executed notebook of a notebook page is put in the site: beside its page."""
    page = _state["files"].get_file_from_path(notebook_src_uri)
    return posixpath.join(posixpath.dirname(page.dest_uri), f"{Path(notebook_src_uri).stem}.ipynb")


def on_post_build(config, **kwargs):
    for notebook in _state["notebooks"].values():  # reap children whose notebook was ready anyway
        if notebook.job is not None and not notebook.waited:
            notebook.wait()
    if _state["scratch"] is not None:  # REGLAB_NO_CACHE: nothing outlives the build
        shutil.rmtree(_state["scratch"], ignore_errors=True)
        _state["scratch"] = None
    if _state["css"] is not None:
        path = Path(config.site_dir) / STYLESHEET
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_state["css"])


def on_build_error(error, **kwargs):
    _stop_all()


def _wait_for(notebook: Notebook) -> None:
    if notebook.out.exists():
        return
    with _lock:
        if notebook.job is None:
            notebook.start()
    code, failure = notebook.wait()
    if code == notebook_run.MISSING_RUNS and notebook.early:  # started before its page had run
        log.info("the notebook of docs/%s started before its page had run; running it again", notebook.page)
        with _lock:
            notebook.start()
        code, failure = notebook.wait()
    _pump()
    if failure is not None:
        raise PluginError(f"the notebook of docs/{notebook.page} failed when executed: {failure}")


def _as_site_page(rendered: dict, notebook: Notebook, page) -> str:
    """mkdocs-jupyter's HTML fitted to this site: one shared stylesheet for every notebook
    page, and links back to the page and to the download under the title."""
    if _state["css"] not in (None, rendered["css"]):
        raise PluginError(f"the notebook of docs/{notebook.page}: its styles differ from the others'")
    _state["css"] = rendered["css"]
    here = page.file.url
    link = f'<link rel="stylesheet" href="{get_relative_url(STYLESHEET, here)}">\n'
    lead = LEAD.format(
        page=get_relative_url(_state["files"].get_file_from_path(notebook.page).url, here),
        download=get_relative_url(_download_uri(page.file.src_uri), here),
        name=notebook.out.name,
        runs=RUNS_CACHED if notebook.cache_only else RUNS_TRAINED,
    )
    return link + re.sub(r"</h1>", lambda m: m[0] + lead, rendered["content"], count=1)


def _pump() -> bool:
    """Start queued notebooks while fewer than RUNNING_AT_ONCE are running; whether any
    notebook is still running or waiting to start."""
    with _lock:
        notebooks = list(_state["notebooks"].values())
        running = sum(1 for n in notebooks if n.job is not None and n.job.running())
        waiting = [n for n in notebooks if n.queued and n.job is None]
        for notebook in waiting[: max(0, RUNNING_AT_ONCE - running)]:
            notebook.start()
        return bool(running or waiting)


def _keep_pumping() -> None:
    """While notebooks wait to start, start each as soon as a running one ends, from a
    thread: a page can take half a minute to render, and a slot left idle until it ends
    made the build wait for the last notebook as long. The thread lives until no notebook
    runs: a notebook's process is told to end when the thread that started it ends (its
    parent-death signal, so that it never outlives a killed build)."""
    if _state["pump"] is not None and _state["pump"].is_alive():
        return

    def pump() -> None:
        while _pump():
            time.sleep(0.2)

    _state["pump"] = threading.Thread(target=pump, name="reglab-notebook-pump", daemon=True)
    _state["pump"].start()


def _stop_all() -> None:
    with _lock:
        for notebook in _state["notebooks"].values():
            notebook.queued = False
            if notebook.job is not None:
                notebook.job.stop()
