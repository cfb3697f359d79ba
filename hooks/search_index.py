"""MkDocs hook: the search index leaves out the inline SVG figures.

Their tick labels and legends are noise in search results, and parsing their thousands
of tags took the search plugin about a third of a warm rebuild. Each page's figures are
taken out just before the search plugin reads the page and put back just after it
(:func:`restore`, called from ``mkdocs_hooks.py``), so the page itself keeps them.
"""

from __future__ import annotations

import re

from mkdocs.plugins import event_priority

_FIGURE = re.compile(r"<svg\b.*?</svg>", re.S)
_SPAN = re.compile(r"</?span\b[^>]*>")  # the search plugin keeps a span's text, not its tag


@event_priority(100)  # before the search plugin (priority 0) reads page.content
def on_page_context(context, page, **kwargs):
    page.reglab_shown = page.content
    page.content = _SPAN.sub("", _FIGURE.sub("", page.content))
    return context


def restore(page) -> None:
    """Put back the figures taken out for the search plugin."""
    if (content := getattr(page, "reglab_shown", None)) is not None:
        page.content = content
        del page.reglab_shown
