"""Jupyter notebooks made from the question pages, one per page.

A notebook holds the page's prose as Markdown cells and every code block the page runs
as a code cell, with its ``--8<--`` includes expanded; prose that places values
(``{{ name:format }}``) becomes a ``%%prose`` cell, which shows it with the values the
cells above glued. Set-up cells in front install the pinned libraries and the lab
(tagged ``pip-install``) and run the page's cells as the site runs its code blocks.

    python hooks/notebook_build.py           write notebooks/NN-slug.ipynb for every page
    python hooks/notebook_build.py --check   exit 1 if a committed notebook is stale
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from reglab import prose  # light: the placeholder syntax, not TensorFlow

if TYPE_CHECKING:
    import nbformat

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LAB = ROOT / "snippets" / "reglab"
OUT = ROOT / "notebooks"
SNIPPET_BASES = (ROOT, ROOT / "snippets")  # the base_path of pymdownx.snippets in mkdocs.yml

PAGE = re.compile(r"^\d\d-[\w-]+\.md$")
PROSE_ID = "prose-"
PROSE_TAG = "prose"  # the site shows a %%prose cell's output, not its input
INSTALL_TAG = "pip-install"
# The libraries the lab and the pages import; their versions come from requirements.txt.
RUNTIME = (
    "tensorflow-cpu",
    "keras",
    "numpy",
    "cloudpickle",
    "scipy",
    "statsmodels",
    "scikit-learn",
    "matplotlib",
    "mnist1d",
)

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
INCLUDE = re.compile(r'^(?P<indent>[ \t]*)--8<--[ \t]+"(?P<path>[^"]+)"[ \t]*$', re.M)
ADMONITION = re.compile(
    r'^(?:!!!|\?\?\?\+?) *\w+(?: +"(?P<title>[^"]*)")?\n(?P<body>(?:(?: {4}.*)?\n)+)', re.M
)
PAGE_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\([\w-]+\.md(?:#[\w-]*)?\)")

INTRO = """\
*This notebook is generated from the page of the same name on* Regularization, answered
by experiments: *its text, and every code block the page runs, in order. Run it top to
bottom. The set-up cells install the pinned libraries and the lab (`reglab`), and run the
page's cells as the site runs them: what a cell prints is shown as Markdown, and the
`%%prose` cells show the page's sentences with this run's numbers in place. Trained runs
are cached in `~/.cache/reglab` (set `REGLAB_CACHE_DIR` to move it), so a second run is
quick.*"""

INSTALL = """\
# The pinned libraries and the lab. On Colab, restart the session if this cell asks you to.
%pip install --quiet {pins}
{lab}"""

LAB_FROM_GITHUB = '%pip install --quiet "reglab @ git+https://github.com/{repo}"'
LAB_FROM_A_CLONE = """\
# The lab is the package at the root of this site's repository: in a clone of it, run
# `pip install .` (the repository's own environment, `python3 tasks.py setup`, has it)."""

AS_ON_THE_SITE = """\
import reglab.notebook

reglab.notebook.as_on_the_site()"""


def _include(match: re.Match[str]) -> str:
    for base in SNIPPET_BASES:
        path = base / match["path"]
        if path.is_file():
            return "".join(match["indent"] + line for line in path.read_text().splitlines(True))
    raise FileNotFoundError(f"snippet include not found: {match['path']}")


def expand(code: str) -> str:
    """``code`` with its ``--8<--`` include lines replaced by the files they name."""
    return INCLUDE.sub(_include, code)


def _prose(text: str) -> str:
    """Site-only Markdown made plain: admonitions become quotes, links to pages their text."""

    def quote(m: re.Match[str]) -> str:
        body = "\n".join(line[4:] for line in m["body"].rstrip("\n").split("\n"))
        title = f"**{m['title']}**\n\n" if m["title"] else ""
        return "".join(f"> {line}".rstrip() + "\n" for line in (title + body).split("\n")) + "\n"

    return PAGE_LINK.sub(r"\g<text>", ADMONITION.sub(quote, text))


def _title_and_body(page: str) -> tuple[str, str]:
    page = FRONT_MATTER.sub("", page, count=1)
    title, _, body = page.lstrip("\n").partition("\n")
    if not title.startswith("# "):
        raise ValueError("a question page starts with its H1")
    return title[2:].strip(), body


def title(page: str) -> str:
    """A question page's title: the text of its H1."""
    return _title_and_body(page)[0]


def _jupytext_markdown(page: str) -> tuple[str, str]:
    """The page's title and its body as jupytext Markdown: executed fences are code
    (includes expanded), other fences stay in Markdown cells."""
    title, page = _title_and_body(page)
    parts, last = [], 0
    for fence in FENCE.finditer(page):
        parts.append(_prose(page[last : fence.start()]))
        if 'exec="on"' in fence["info"]:
            code = expand(fence["body"]).rstrip("\n")  # an include's own last newline too
            parts.append(f"```{fence['info']}\n{code}\n```")
        else:
            parts.append(f"<!-- #region -->\n{fence.group(0)}\n<!-- #endregion -->")
        last = fence.end()
    parts.append(_prose(page[last:]))
    return title, "".join(parts)


def repository() -> str | None:
    """The GitHub repository that ``repo_url`` in mkdocs.yml names, if it names one; the
    committed notebooks depend on nothing else, so every checkout makes the same ones."""
    found = re.search(
        r"^repo_url:\s*https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?\s*$",
        (ROOT / "mkdocs.yml").read_text(),
        re.M,
    )
    return found[1] if found else None


def pins() -> str:
    """The pinned versions of the runtime libraries, from requirements.txt."""
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    pinned = dict(line.split("==", 1) for line in lines if "==" in line and not line.startswith("#"))
    return " ".join(f"{name}=={pinned[name].strip()}" for name in RUNTIME)


def build(page_path: Path, page_text: str | None = None) -> nbformat.NotebookNode:
    """The notebook of one question page."""
    import jupytext  # imported here: a build whose notebooks are memoised never needs them
    import nbformat

    title, body = _jupytext_markdown(page_text if page_text is not None else page_path.read_text())
    page_cells: list[nbformat.NotebookNode] = []
    for cell in jupytext.reads(body, fmt="md").cells:
        if cell.cell_type == "markdown" and page_cells and page_cells[-1].cell_type == "markdown":
            page_cells[-1].source += "\n\n" + cell.source
        else:
            page_cells.append(cell)
    v4 = nbformat.v4
    repo = repository()
    lab = LAB_FROM_GITHUB.format(repo=repo) if repo else LAB_FROM_A_CLONE
    cells = [
        v4.new_markdown_cell(f"# {title}\n\n{INTRO}"),
        v4.new_markdown_cell("## Set-up"),
        v4.new_code_cell(INSTALL.format(pins=pins(), lab=lab), metadata={"tags": [INSTALL_TAG]}),
        v4.new_code_cell(AS_ON_THE_SITE),
    ]
    for index, cell in enumerate(cells):
        cell.id = f"setup-{index}"
    for index, cell in enumerate(page_cells):
        fence_id = cell.metadata.get("id")
        if cell.cell_type == "code":
            cells.append(v4.new_code_cell(cell.source, id=fence_id or f"code-{index}"))
        elif prose.PLACEHOLDER.search(cell.source):  # sentences with values: shown by %%prose
            sentences = v4.new_code_cell(f"%%prose\n{cell.source.strip()}", id=f"{PROSE_ID}{index}")
            sentences.metadata["tags"] = [PROSE_TAG]
            cells.append(sentences)
        else:
            cells.append(v4.new_markdown_cell(cell.source.strip(), id=f"text-{index}"))
    return v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )


def render(page_path: Path, page_text: str | None = None) -> str:
    """The notebook of one question page, as the text of an ``.ipynb`` file."""
    import nbformat

    return nbformat.writes(build(page_path, page_text)) + "\n"


def inputs_digest(page_text: str) -> str:
    """SHA-256 of everything a page's notebook is made from."""
    h = hashlib.sha256(expand(page_text).encode())  # the page with its includes in place
    h.update(" ".join(metadata.version(d) for d in ("jupytext", "nbformat")).encode())
    for path in (Path(__file__), ROOT / "requirements.txt", ROOT / "mkdocs.yml"):
        h.update(b"\0" + str(path).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def render_memoised(page_path: Path, page_text: str) -> str:
    """:func:`render`, read back from ``<cache dir>/notebooks`` when no input changed."""
    from reglab import config

    memos = config.cache_dir() / "notebooks"
    memo = memos / f"{inputs_digest(page_text)}.ipynb"
    try:
        return memo.read_text()
    except FileNotFoundError:
        pass
    text = render(page_path, page_text)
    write_atomically(memo, text)
    return text


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (readers never see a partial file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # as a plain file would be: the site serves copies of some
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def pages() -> list[Path]:
    return sorted(p for p in DOCS.glob("*.md") if PAGE.match(p.name))


def stale() -> list[str]:
    """Committed notebooks that differ from what the pages make now, or should not exist."""
    expected = {f"{p.stem}.ipynb": render(p) for p in pages()}
    present = {p.name for p in OUT.glob("*.ipynb")} if OUT.is_dir() else set()
    wrong = [n for n, text in expected.items() if n not in present or (OUT / n).read_text() != text]
    return sorted(wrong + list(present - set(expected)))


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        if bad := stale():
            print(f"stale notebooks: {', '.join(bad)}; run python hooks/notebook_build.py", file=sys.stderr)
            return 1
        return 0
    if argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    OUT.mkdir(exist_ok=True)
    expected = {f"{p.stem}.ipynb": render(p) for p in pages()}
    for old in OUT.glob("*.ipynb"):
        if old.name not in expected:
            old.unlink()
    for name, text in expected.items():
        if not (OUT / name).is_file() or (OUT / name).read_text() != text:
            (OUT / name).write_text(text)
            print(f"wrote notebooks/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
