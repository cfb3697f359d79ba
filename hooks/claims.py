"""MkDocs hook: show which sentences are tested.

Each ``<span data-claim="id">`` on a page gets an anchor and a small "tested" mark that
links to the Method page's list of claims, where ``<!-- claims -->`` is replaced by every
claim beside the test that checks it (``claim_registry``). A claim without a test is a
warning, so the strict build fails.
"""

from __future__ import annotations

import html
import logging
import re
import sys
from pathlib import Path

from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
import claim_registry  # noqa: E402  (beside this hook)

log = logging.getLogger("mkdocs.hooks.claims")
PLACEHOLDER = "<!-- claims -->"
OPENING = re.compile(claim_registry.OPENING)
_state: dict[str, object] = {"method": None, "tests": {}, "pages": {}}


def on_files(files, config, **kwargs):
    method = files.get_file_from_path("method.md")
    _state["method"] = method.url if method else None
    _state["pages"] = {f.src_uri: f.url for f in files.documentation_pages()}
    _state["tests"] = claim_registry.claim_tests()
    return files


def on_page_markdown(markdown: str, page, config, **kwargs) -> str:
    if PLACEHOLDER not in markdown:
        return markdown
    pages: dict[str, str] = _state["pages"]  # type: ignore[assignment]
    tests: dict[str, list[str]] = _state["tests"]  # type: ignore[assignment]

    def url(src: str) -> str:
        return get_relative_url(pages.get(src, src), page.url)

    section = claim_registry.method_section(Path(config["docs_dir"]), tests, url)
    return markdown.replace(PLACEHOLDER, section)


def _close(text: str, start: int) -> int:
    """Index of the ``</span>`` that closes the span opened just before ``start``."""
    depth = 1
    for tag in re.finditer(r"<span\b|</span>", text[start:]):
        depth += 1 if tag[0] == "<span" else -1
        if depth == 0:
            return start + tag.start()
    raise ValueError("unclosed claim span")


def on_page_content(html_text: str, page, **kwargs) -> str:
    tests: dict[str, list[str]] = _state["tests"]  # type: ignore[assignment]
    method = _state["method"]
    out, position = [], 0
    for match in OPENING.finditer(html_text):
        claim_id = match["id"]
        end = _close(html_text, match.end())
        names = tests.get(claim_id)
        if not names:
            log.warning(f"docs/{page.file.src_uri}: claim {claim_id!r} has no test marked @pytest.mark.claim")
        title = html.escape("Checked by " + (", ".join(names) if names else "no test"), quote=True)
        if method:
            href = f"{get_relative_url(str(method), page.url)}#claim-{claim_id}"
            badge = f'<a class="claim-mark" href="{href}" title="{title}">tested</a>'
        else:
            badge = f'<span class="claim-mark" title="{title}">tested</span>'
        out += [
            html_text[position : match.start()],
            f'<span class="claim" id="claim-{claim_id}" data-claim="{claim_id}">',
            html_text[match.end() : end],
            f"</span>{badge}",
        ]
        position = end + len("</span>")
    return "".join(out) + html_text[position:]
