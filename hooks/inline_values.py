"""MkDocs hook: place the values a page's fences glued (``reglab.glue``) in its prose.

A fence calls ``glue("gain", diff)``; the page's Markdown writes ``{{ gain:pp }}`` inside
a sentence. Fences run before Markdown parses inline text (SuperFences formats them in a
preprocessor), so every value of the page is known when its sentences are rendered, even
a value glued by a fence further down. Code spans and code blocks are left alone.

The fence cache stores what each fence glued beside its output (``hooks/fence_cache.py``
calls :func:`add`), so a replayed fence still provides its values. A placeholder with no
value, or a value that no placeholder uses, is a warning that names the page and the
name in one line, and fails a strict build.
"""

from __future__ import annotations

import logging
import sys
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.inlinepatterns import InlineProcessor
from reglab import prose

# MkDocs loads a hook under its path; fence_cache.py imports this module by name, and must
# share its state.
sys.modules.setdefault("inline_values", sys.modules[__name__])

_log = logging.getLogger("mkdocs.plugins.reglab")
_page: dict = {"values": {}, "used": set(), "errors": [], "path": "?"}


def add(values: dict[str, dict[str, str]]) -> None:
    """Values glued by a fence of the current page (run now or replayed from the cache)."""
    _page["values"].update(values)


class _Place(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown's name)
        try:
            text = prose.place(m.group(0), _page["values"], _page["used"])
        except prose.ProseError as exc:
            _page["errors"].append(str(exc))
            text = m.group(0)
        element = etree.Element("span", {"class": "value"})
        element.text = text
        return element, m.start(0), m.end(0)


class InlineValues(Extension):
    def extendMarkdown(self, md):  # noqa: N802
        # Above emphasis (priority 60) so a value's underscores are never read as markup,
        # below backticks (190) so a placeholder inside a code span stays as typed.
        md.inlinePatterns.register(_Place(prose.PLACEHOLDER.pattern, md), "reglab_inline_values", 175)


def on_config(config, **kwargs):
    if not any(isinstance(e, InlineValues) for e in config.markdown_extensions):
        config.markdown_extensions.append(InlineValues())
    return config


def on_page_markdown(markdown, page, **kwargs):
    _page.update(values={}, used=set(), errors=[], path=page.file.src_uri)
    prose.take()  # nothing glued outside this page's fences counts for it
    return markdown


def on_page_content(html, page, **kwargs):
    """Report the page's first missing or unused value: a warning, which fails a strict
    build, in one line."""
    where = f"docs/{_page['path']}"
    if _page["errors"]:
        _log.warning(f"{where}: {_page['errors'][0]}")
    elif unused := sorted(set(_page["values"]) - _page["used"]):
        _log.warning(f"{where}: value {unused[0]!r} is glued but placed nowhere on the page")
    return html
