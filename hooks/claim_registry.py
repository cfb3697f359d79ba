"""The claim registry: result sentences marked in ``docs/`` and the tests that check them.

A page marks a sentence that states a result as
``<span data-claim="q6-restore-adds">…</span>``; a test names that id with
``@pytest.mark.claim("q6-restore-adds")``. ``tests/test_claims_registry.py`` fails when a
marker has no test, a test names no marker, or a result-looking number is typed in prose
(quotations included) outside a marker or a printed block. ``python -m reglab claims``
lists them and exits 1 if the registry has a problem.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

OPENING = r'<span data-claim="(?P<id>[^"]*)">'  # a marker's opening tag, in Markdown and in HTML
MARKER = re.compile(OPENING + r"(?P<text>.*?)</span>", re.S)
VALID_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A result typed by hand: a decimal with %, or any number with pp, ×, or "points"
# ("28×28" and "2×512" are shapes, not results).
RESULT_NUMBER = re.compile(
    r"(?<![\w.])[+−-]?(?:\d+\.\d+\s?%|\d+(?:\.\d+)?\s?(?:pp\b|×(?!\s?\d)|(?:percentage )?points?\b))"
)
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
# A heading that opens a section a claim can sit in (h1 to h3; deeper ones belong to theirs).
HEADING = re.compile(r"^(?P<level>#{1,3})[ \t]+(?P<title>.+?)[ \t]*$", re.M)
_EXPLICIT_ID = re.compile(r"\s*\{\s*#[^}]*\}\s*$")


@dataclass(frozen=True)
class Claim:
    """One marked sentence: its id, its page (relative to ``docs/``), text and line, and
    the heading (h1 to h3, as typed) of the section it sits in."""

    id: str
    page: str
    text: str
    line: int
    section: str = ""


@dataclass(frozen=True)
class TypedNumber:
    """A result-looking number typed in prose, outside any marker or quotation."""

    page: str
    line: int
    number: str
    context: str


def _plain(text: str) -> str:
    return " ".join(text.split())


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match[0])


def _without_code(source: str) -> str:
    """The page with code fences and inline code blanked out, lines kept in place."""
    source = re.sub(r"^(\s*)(`{3,}|~{3,}).*?^\1\2\s*$", _blank, source, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", _blank, source)


def claims(docs: Path = ROOT / "docs") -> list[Claim]:
    """Every marked sentence in ``docs/*.md``, in page order."""
    found = []
    for path in sorted(docs.glob("*.md")):
        source = path.read_text()
        blanked = _without_code(source)  # same offsets, code blanked
        headings = [(h.start(), source[h.start("title") : h.end("title")]) for h in HEADING.finditer(blanked)]
        for match in MARKER.finditer(blanked):
            line = source.count("\n", 0, match.start()) + 1
            text = source[match.start("text") : match.end("text")]
            section = next((t for at, t in reversed(headings) if at < match.start()), "")
            found.append(Claim(match["id"], path.name, _plain(text), line, _EXPLICIT_ID.sub("", section)))
    return found


def claim_tests(tests: Path = ROOT / "tests") -> dict[str, list[str]]:
    """Map each claim id to the tests (``file::function``) marked with it."""
    found: dict[str, list[str]] = {}
    for path in sorted(tests.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "pytest.mark.claim":
                    for arg in decorator.args:
                        claim_id = arg.value if isinstance(arg, ast.Constant) else ast.unparse(arg)
                        found.setdefault(str(claim_id), []).append(f"tests/{path.name}::{node.name}")
    return found


def _prose_lines(source: str) -> Iterable[tuple[int, str]]:
    """The lines of a page that are prose: no front matter, code fences, HTML comments,
    inline code or claim markers. Quotations count as prose: a cited number is marked too."""
    source = re.sub(r"<!--.*?-->", lambda m: "\n" * m[0].count("\n"), source, flags=re.S)
    source = MARKER.sub(lambda m: "\n" * m[0].count("\n"), source)
    lines = source.split("\n")
    fence: str | None = None
    start = 0
    if lines and lines[0] == "---":  # front matter
        start = next((i for i in range(1, len(lines)) if lines[i] == "---"), 0) + 1
    for number, line in enumerate(lines[start:], start + 1):
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        opened = _FENCE.match(line)
        if opened:
            fence = opened[2]
            continue
        yield number, re.sub(r"`[^`]*`", "", line)


def typed_numbers(docs: Path = ROOT / "docs") -> list[TypedNumber]:
    """Result-looking numbers typed in the prose of ``docs/*.md`` (the goal is none)."""
    found = []
    for path in sorted(docs.glob("*.md")):
        for number, line in _prose_lines(path.read_text()):
            for match in RESULT_NUMBER.finditer(line):
                found.append(TypedNumber(path.name, number, match[0], line.strip()[:100]))
    return found


def problems(docs: Path = ROOT / "docs", tests: Path = ROOT / "tests") -> list[str]:
    """Everything the registry test rejects, one line each."""
    marked = claims(docs)
    checked = claim_tests(tests)
    ids = [c.id for c in marked]
    out = [
        f"docs/{c.page}:{c.line}: claim id {c.id!r} is not lowercase-with-hyphens"
        for c in marked
        if not VALID_ID.fullmatch(c.id)
    ]
    out += [f"claim id {i!r} is marked more than once" for i in sorted({i for i in ids if ids.count(i) > 1})]
    out += [
        f"docs/{c.page}:{c.line}: claim {c.id!r} has no test marked @pytest.mark.claim({c.id!r})"
        for c in marked
        if c.id not in checked
    ]
    out += [
        f"{test}: names claim {i!r}, which no page marks"
        for i, tests_ in sorted(checked.items())
        if i not in ids
        for test in tests_
    ]
    out += [
        f"docs/{t.page}:{t.line}: {t.number!r} typed in prose outside a claim marker: {t.context}"
        for t in typed_numbers(docs)
    ]
    return out


def page_title(path: Path) -> str:
    """A page's first-level heading."""
    match = re.search(r"^# (.+)$", path.read_text(), re.M)
    return match[1].strip() if match else path.stem


def section_anchor(first_claim: str) -> str:
    """The anchor, on the claims page, of the section whose first claim is ``first_claim``:
    the page's "tested" mark for that section links there (``hooks/claims.py``)."""
    return f"section-{first_claim}"


def claims_page(docs: Path, checked: dict[str, list[str]], url: Callable[[str], str]) -> str:
    """Markdown for the claims page: every claim, grouped by page and then by the section
    it sits in, beside its tests (``checked``, from :func:`claim_tests`).

    ``url(page)`` gives the relative URL of a page as built; the links to each claim's
    anchor are plain HTML, since the anchor is added after Markdown (``hooks/claims.py``).
    """
    by_page: dict[str, list[list[Claim]]] = {}
    for claim in claims(docs):
        sections = by_page.setdefault(claim.page, [])
        if sections and sections[-1][-1].section == claim.section:
            sections[-1].append(claim)
        else:
            sections.append([claim])
    total = sum(len(c) for sections in by_page.values() for c in sections)
    out = [f"{total} marked sentences on {len(by_page)} pages, each checked by the tests named beside it.\n"]
    for page, sections in by_page.items():
        title = page_title(docs / page)
        out.append(f"\n## [{title}]({page}) {{ #{Path(page).stem} }}\n")
        for marked in sections:
            section = marked[0].section
            heading = section if section not in ("", title) else "At the top of the page"
            out.append(f"\n### {heading} {{ #{section_anchor(marked[0].id)} }}\n")
            for claim in marked:
                names = (
                    ", ".join(f"`{t.removeprefix('tests/')}`" for t in checked.get(claim.id, []))
                    or "**no test**"
                )
                link = f'<a href="{url(page)}#claim-{claim.id}">on the page</a>'
                out.append(f'- <span id="claim-{claim.id}"></span>"{claim.text}" ({link}) — {names}')
    return "\n".join(out) + "\n"


def listing(docs: Path = ROOT / "docs", tests: Path = ROOT / "tests") -> str:
    """Plain-text listing of every claim, its tests and the totals."""
    checked = claim_tests(tests)
    lines = []
    marked = claims(docs)
    for claim in marked:
        lines.append(f"{claim.page}:{claim.line}  {claim.id}")
        lines.append(f"    {claim.text[:110]}")
        for test in checked.get(claim.id, ["NO TEST"]):
            lines.append(f"    -> {test}")
    pages = sorted({c.page for c in marked})
    lines.append("")
    lines.append("claims per page: " + ", ".join(f"{p} {sum(c.page == p for c in marked)}" for p in pages))
    tested = sum(c.id in checked for c in marked)
    lines.append(
        f"{len(marked)} claims, {tested} with a test; {len(typed_numbers(docs))} typed result numbers"
    )
    return "\n".join(lines)


def main() -> int:
    """Print the listing; print each problem on stderr and exit 1 if there is any."""
    print(listing())
    found = problems()
    for problem in found:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
