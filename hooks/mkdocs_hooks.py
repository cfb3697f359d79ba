"""MkDocs hooks: make the lab importable, keep TensorFlow quiet, and name the page
whose snippet failed."""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from search_index import restore as _restore_figures

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")  # as fast here, and a fixed reduction order
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")
# One BLAS thread per process: the build runs two notebook kernels beside itself on two
# cores, and OpenBLAS threads that spin for a busy core made page 2 take 39 s, not 5 s.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

_SNIPPETS = str(Path(__file__).resolve().parents[1] / "snippets")
_current_page = {"path": "?"}
_started = {"at": time.perf_counter()}


class _NamePage(logging.Filter):
    """Prefix markdown-exec's failure warnings with the page they come from."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if "markdown_exec" in record.name and "Execution of" in message and "docs/" not in message:
            first, _, rest = message.partition("\n")
            first = f"{first} in docs/{_current_page['path']}"
            setting = re.search(r"reglab\.config\.ConfigError: (.*)", rest)
            # A bad setting is the author's to fix, not a bug: one line, no traceback.
            record.msg = f"{first}: {setting[1]}" if setting else f"{first}\n{rest}"
        return True


def _report():
    """The lab's build report, once a page has run an experiment (fences replayed from the
    fence cache run none, and then TensorFlow is never imported)."""
    if "reglab.experiment" not in sys.modules:
        return None
    from reglab import report

    return report


def on_config(config, **kwargs):
    _started["at"] = time.perf_counter()
    if _SNIPPETS not in sys.path:
        sys.path.insert(0, _SNIPPETS)
    from reglab import config as lab  # light: TensorFlow loads only when a page needs it

    try:  # check the lab's settings, and that MNIST is at hand if asked for, before any page
        lab.cache_dir(), lab.cache_enabled(), lab.quiet(), lab.workers()
        if lab.mnist():
            from reglab import data

            data.mnist_digest()
    except lab.ConfigError as exc:
        raise PluginError(f"reglab: {exc}") from None
    for handler in logging.getLogger("mkdocs").handlers:
        if not any(isinstance(f, _NamePage) for f in handler.filters):
            handler.addFilter(_NamePage())
    return config


def on_page_markdown(markdown, page, **kwargs):
    _current_page["path"] = page.file.src_uri
    if report := _report():
        report.page_started()
    return markdown


def on_page_content(html, page, **kwargs):
    if report := _report():
        report.page_finished(page.file.src_uri)
    return html


@event_priority(-100)  # after the search plugin has read the page without its figures
def on_page_context(context, page, **kwargs):
    _restore_figures(page)
    return context


def on_post_build(config, **kwargs):
    # Only a build of this site's own pages reports; test fixtures build other pages.
    if (report := _report()) and Path(config.docs_dir).resolve() == Path(_SNIPPETS).parent / "docs":
        report.write(time.perf_counter() - _started["at"])
