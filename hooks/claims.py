"""MkDocs hook: show which sentences are tested, one mark per section.

Each ``<span data-claim="id">`` on a page gets an anchor (``#claim-id``). Each section
(h1 to h3) that holds marked sentences gets one small "tested" mark beside its heading,
which links to that section's claims on the claims page, where ``<!-- claims -->`` is
replaced by every claim, grouped by page and section, beside the test that checks it
(``claim_registry``). A claim without a test is a warning, so the strict build fails.
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
LIST_PAGE = "claims.md"
OPENING = re.compile(claim_registry.OPENING)
HEADING = re.compile(r"<h(?P<level>[1-3])\b[^>]*>")
_state: dict[str, object] = {"list": None, "tests": {}, "pages": {}}


def on_files(files, config, **kwargs):
    listed = files.get_file_from_path(LIST_PAGE)
    _state["list"] = listed.url if listed else None
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

    listing = claim_registry.claims_page(Path(config["docs_dir"]), tests, url)
    return markdown.replace(PLACEHOLDER, listing)


def _close(text: str, start: int) -> int:
    """Index of the ``</span>`` that closes the span opened just before ``start``."""
    depth = 1
    for tag in re.finditer(r"<span\b|</span>", text[start:]):
        depth += 1 if tag[0] == "<span" else -1
        if depth == 0:
            return start + tag.start()
    raise ValueError("unclosed claim span")


def _mark(claim_ids: list[str], page) -> str:
    """The mark beside a section's heading: a link to the section's claims (its text is
    drawn by CSS, so headings and search results read without it)."""
    count = len(claim_ids)
    label = html.escape(
        f"{count} sentence{'s' * (count != 1)} in this section checked by tests: see which", quote=True
    )
    if _state["list"] is None:
        return f'<span class="claim-mark" role="note" aria-label="{label}" title="{label}"></span>'
    href = get_relative_url(str(_state["list"]), page.url)
    anchor = claim_registry.section_anchor(claim_ids[0])
    return f'<a class="claim-mark" href="{href}#{anchor}" aria-label="{label}" title="{label}"></a>'


def _with_marks(html_text: str, page) -> str:
    """The page with one mark per section that holds claims, beside its heading (before
    the permalink), or at the top for claims above any heading."""
    headings = [(h.end(), h["level"]) for h in HEADING.finditer(html_text)]
    sections: dict[tuple[int, str], list[str]] = {}  # (end of a heading's tag, level): claims
    for match in OPENING.finditer(html_text):
        heading = max((h for h in headings if h[0] < match.start()), default=(0, ""))
        sections.setdefault(heading, []).append(match["id"])
    for (heading, level), claim_ids in sorted(sections.items(), reverse=True):  # later first
        at = 0
        if heading:
            close = html_text.index(f"</h{level}>", heading)
            link = html_text.find('<a class="headerlink"', heading, close)
            at = link if link != -1 else close
        html_text = html_text[:at] + _mark(claim_ids, page) + html_text[at:]
    return html_text


def on_page_content(html_text: str, page, **kwargs) -> str:
    tests: dict[str, list[str]] = _state["tests"]  # type: ignore[assignment]
    html_text = _with_marks(html_text, page)
    out, position = [], 0
    for match in OPENING.finditer(html_text):
        claim_id = match["id"]
        end = _close(html_text, match.end())
        if not tests.get(claim_id):
            log.warning(f"docs/{page.file.src_uri}: claim {claim_id!r} has no test marked @pytest.mark.claim")
        out += [
            html_text[position : match.start()],
            f'<span class="claim" id="claim-{claim_id}" data-claim="{claim_id}">',
            html_text[match.end() : end],
            "</span>",
        ]
        position = end + len("</span>")
    return "".join(out) + html_text[position:]
