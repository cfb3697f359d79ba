"""MkDocs hook: the glossary in the prose, not in what code prints.

``includes/abbreviations.md`` defines each term once (``*[pp]: Percentage points: …``);
``pymdownx.snippets`` appends it to every page (``auto_append``) and Python-Markdown's
``abbr`` extension wraps the term wherever a page's Markdown uses it, inline values
included, in ``<abbr title="…">``, which Material shows as a tooltip on hover and tap
(``content.tooltips``). Code spans, code blocks and figures are left alone.

markdown-exec renders what a fence prints with its own Markdown converter, configured
like the page's; that one is given no glossary, so a table or sentence printed by code
reads as printed, and the fence cache's stored HTML stays what a fresh run renders.
"""

from __future__ import annotations

from markdown_exec import markdown_config
from mkdocs.plugins import event_priority

SNIPPETS = "pymdownx.snippets"


@event_priority(-100)  # after markdown-exec has saved the configuration it copies
def on_config(config, **kwargs):
    configs = dict(config.mdx_configs)
    configs[SNIPPETS] = {k: v for k, v in configs.get(SNIPPETS, {}).items() if k != "auto_append"}
    markdown_config.save(config.markdown_extensions, configs)
    return config
