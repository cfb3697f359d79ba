"""Run a question page's notebook top to bottom in a fresh kernel, as the site shows it.

The build executes each page's notebook once its page has run, in a fresh kernel in an
empty directory, served by the site's result cache, and keeps the executed notebook in
``<cache dir>/notebooks/executed/<key>/NN-slug.ipynb``, with its HTML from mkdocs-jupyter's
converter beside it (``NN-slug.html.json``). The key covers the notebook's text (which
embeds the lab and the page's code), this file, the libraries that compute, draw and
render, and the ``REGLAB_*`` settings that change results. A cell that fails stops the
build; nothing is stored.

    python hooks/notebook_run.py NOTEBOOK OUT [--may-train] [--parent=PID]
        execute NOTEBOOK into OUT and convert it to HTML beside it; on failure, the last
        line on stderr says which cell (exit status 3: runs missing from the cache)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import notebook_build

LIBRARIES = (*notebook_build.RUNTIME, "ipykernel", "nbclient", "nbformat", "nbconvert", "mkdocs-jupyter")
CELL_TIMEOUT = 900  # seconds; a cell served by the cache takes a few
MISSING_RUNS = 3  # exit status when the cache lacks runs the notebook needs

# Inserted after the set-up cells while the build runs the notebook, and removed from the
# executed notebook the site shows: training inside the notebook would mean its results
# are not the page's (their cache keys differ), so it fails at once instead.
CACHE_ONLY_ID = "build-cache-only"
CACHE_ONLY = """\
import reglab.workers

_train_all = reglab.workers.train_all


def _cache_only(specs):
    if specs:
        raise RuntimeError(
            f"{len(specs)} runs, such as {sorted(specs)[0]}, are not in the site's result "
            "cache: its page has not run, or the notebook's cache keys differ from the page's"
        )
    return _train_all(specs)


reglab.workers.train_all = _cache_only"""


MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
STYLE = re.compile(r'<style type="text/css">(.*?)</style>\s*', re.S)
# nbconvert's loader for Mermaid diagrams, which imports them from a CDN; no notebook here has one
MERMAID = re.compile(r'<script type="module">(?:(?!</script>).)*?jp-Mermaid.*?</script>\s*', re.S)
WRAPPER = '<div class="jupyter-wrapper">'


HEADING = re.compile(r'<h([1-6]) id="([^"]+)">(.*?)<a class="anchor-link"', re.S)


def _toc_tokens(html: str) -> list[dict]:
    """The table of contents of the notebook's HTML, from its headings' own ids. (The one
    mkdocs-jupyter derives from a Markdown export slugs some headings differently, e.g.
    one with code in it, and its links then miss.)"""
    from markdown.extensions.toc import nest_toc_tokens

    flat = [
        {"level": int(level), "id": anchor, "name": re.sub(r"<[^>]+>", "", text).strip(), "children": []}
        for level, anchor, text in HEADING.findall(html)
    ]
    return nest_toc_tokens(flat)


def rendered(executed: Path, memo: Path | None = None) -> dict:
    """The executed notebook as HTML by mkdocs-jupyter's converter, converted once and kept
    beside the notebook (``NN-slug.html.json``): ``content``, its ``css`` (which the page
    links instead of inlining 0.6 MB of it) and ``toc_tokens``. No MathJax: the site
    typesets math with its bundled KaTeX."""
    memo = memo or executed.with_suffix(".html.json")
    try:
        return json.loads(memo.read_text())
    except (OSError, ValueError):
        pass
    # Imported only here: importing mkdocs-jupyter takes 0.6 s, which a warm build skips.
    from mkdocs_jupyter import convert

    html = convert.nb2html(
        str(executed),
        execute=False,
        theme="",
        allow_errors=False,
        custom_mathjax_url="",
        remove_tag_config={"remove_input_tags": [notebook_build.PROSE_TAG]},  # show the sentences only
    )
    head, wrapper, body = MERMAID.sub("", MATHJAX.sub("", html)).partition(WRAPPER)
    if not wrapper:
        raise ValueError(f"{executed.name}: mkdocs-jupyter's HTML has no {WRAPPER}")
    if "cdnjs" in head or "cdn.jsdelivr" in head:
        raise ValueError(f"{executed.name}: mkdocs-jupyter's HTML loads a script from another host")
    css = "\n".join(STYLE.findall(head))  # only in front of the notebook: figures carry their own
    result = {
        "content": STYLE.sub("", head) + wrapper + body,
        "css": css,
        "toc_tokens": _toc_tokens(body),
    }
    notebook_build.write_atomically(memo, json.dumps(result))
    return result


class NotebookFailed(RuntimeError):
    """A cell of the notebook raised, or the kernel failed. Printed as one line."""

    def line(self) -> str:
        return FAILURE + " ".join(str(self).split())


FAILURE = "notebook failed: "  # the child's one line on stderr that says why


def key(notebook_text: str, environment: dict) -> str:
    """SHA-256 of everything an executed notebook depends on: its text, the lab it imports
    (``snippets/reglab/``), this file, and the ``environment``
    (``fence_cache.environment(LIBRARIES)``)."""
    h = hashlib.sha256(notebook_text.encode())
    for path in (Path(__file__), *sorted(notebook_build.LAB.glob("*.py"))):
        h.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
    h.update(json.dumps(environment, sort_keys=True).encode())
    return h.hexdigest()


def execute(notebook_text: str, cache_dir: Path | None, cache_only: bool = True) -> str:
    """The notebook executed in a fresh kernel in an empty directory, as ``.ipynb`` text.

    The ``pip-install`` cells are skipped: the build's environment already has the pins.
    Raises :class:`NotebookFailed` when a cell fails.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.reads(notebook_text, as_version=4)
    if cache_only:
        setup_end = max(i for i, c in enumerate(nb.cells) if c.id.startswith("setup-")) + 1
        nb.cells.insert(setup_end, nbformat.v4.new_code_cell(CACHE_ONLY, id=CACHE_ONLY_ID))
    env = {**os.environ, "REGLAB_QUIET": "1"}
    if cache_dir is not None:  # absolute: the kernel runs in another directory
        env["REGLAB_CACHE_DIR"] = str(cache_dir.resolve())
    env.pop("PYTHONPATH", None)  # the notebook imports the installed lab, as on Colab
    with tempfile.TemporaryDirectory(prefix="reglab-notebook-") as workdir:
        client = NotebookClient(
            nb,
            kernel_name="python3",
            timeout=CELL_TIMEOUT,
            allow_errors=False,
            skip_cells_with_tag=notebook_build.INSTALL_TAG,
            resources={"metadata": {"path": workdir}},
        )
        try:
            client.execute(env=env, cwd=workdir)
        except CellExecutionError as exc:
            cell = next((c for c in nb.cells if _failed(c)), None)
            where = f"cell {cell.id!r}" if cell is not None else "a cell"
            raise NotebookFailed(f"{where} failed: {exc.ename}: {exc.evalue}") from None
        except Exception as exc:  # a cell timed out, the kernel died, …
            raise NotebookFailed(f"{type(exc).__name__}: {exc}") from None
        finally:  # nbclient resets SIGTERM to its default when it is done
            signal.signal(signal.SIGTERM, _exit_cleanly)
    nb.cells = [c for c in nb.cells if c.id != CACHE_ONLY_ID]
    for cell in nb.cells:  # run times and dates would make two builds' notebooks differ
        cell.metadata.pop("execution", None)
    return nbformat.writes(nb) + "\n"


def _failed(cell) -> bool:
    return cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", []))


def _exit_cleanly(*_) -> None:
    sys.exit(143)  # unwinds: the kernel is shut down and temporary files go


def _die_with_parent(parent: int) -> None:
    """End when the build that started this process dies (Linux), as workers do."""
    signal.signal(signal.SIGTERM, _exit_cleanly)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it died before the line above
        sys.exit(143)


class Job:
    """A notebook executing in a child process; ``out`` appears only if it succeeds."""

    def __init__(self, notebook_text: str, out: Path, cache_only: bool) -> None:
        self.out = out
        self._dir = tempfile.TemporaryDirectory(prefix="reglab-notebook-job-")
        source = Path(self._dir.name) / "notebook.ipynb"
        source.write_text(notebook_text)
        self._log = open(Path(self._dir.name) / "stderr", "w+")  # noqa: SIM115 (closed in wait)
        args = [sys.executable, __file__, str(source), str(out), f"--parent={os.getpid()}"]
        args += [] if cache_only else ["--may-train"]
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log)

    def running(self) -> bool:
        return self.process.poll() is None

    def wait(self) -> tuple[int, str | None]:
        """The exit status, and None when the notebook ran, else the last line it printed
        (which cell failed)."""
        code = self.process.wait()
        self._log.seek(0)
        lines = [line for line in self._log.read().splitlines() if line.strip()]
        self._log.close()
        self._dir.cleanup()
        if code == 0 and self.out.exists():
            return code, None
        said = [line.removeprefix(FAILURE) for line in lines if line.startswith(FAILURE)]
        return code, (said or lines or [f"exit status {code}"])[-1]

    def stop(self) -> None:
        if self.running():
            self.process.terminate()


def main(argv: list[str]) -> int:
    flags = {a for a in argv if a.startswith("--")}
    paths = [a for a in argv if not a.startswith("--")]
    parents = [f for f in flags if f.startswith("--parent=")]
    if len(paths) != 2 or flags - {"--may-train", *parents} or len(parents) > 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    _die_with_parent(int(parents[0].split("=", 1)[1]) if parents else os.getppid())
    sys.path.insert(0, str(notebook_build.ROOT / "snippets"))
    from reglab import config

    notebook, out = Path(paths[0]), Path(paths[1])
    staged = out.with_name(f"{out.stem}.{os.getpid()}.staged.ipynb")  # one per run: builds may share a cache
    try:
        cache = config.cache_dir() if config.cache_enabled() else None
        text = execute(notebook.read_text(), cache, cache_only="--may-train" not in flags)
        # The HTML first: the notebook's presence tells the build that both are done.
        notebook_build.write_atomically(staged, text)
        rendered(staged, memo=out.with_suffix(".html.json"))
        os.replace(staged, out)
    except NotebookFailed as exc:
        print(exc.line(), file=sys.stderr)
        return MISSING_RUNS if "not in the site's result cache" in str(exc) else 1
    except Exception as exc:  # one line, not a traceback, whatever went wrong
        print(NotebookFailed(f"{type(exc).__name__}: {exc}").line(), file=sys.stderr)
        return 1
    finally:
        staged.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
