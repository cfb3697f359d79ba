"""Run a page's notebook as the site runs the page: ``reglab.notebook.as_on_the_site()``.

- Each cell is compiled as one unit. IPython compiles a cell statement by statement, which
  can change the bytecode of a function, and the result cache keys on it.
- What a cell prints is shown as Markdown (text, tables, figures as inline SVG).
- A ``%%prose`` cell shows the page's sentences with the values that earlier cells
  glued (``reglab.glue``) in place of their ``{{ name:format }}`` placeholders.
"""

from __future__ import annotations

import ast
import contextlib
import io
from typing import Any

from . import prose

_glued: dict[str, dict[str, str]] = {}


class OneUnit(ast.NodeTransformer):
    """Put a cell's statements in one ``if True:`` block; a last expression stays out, so
    its value is still shown."""

    def visit_Module(self, node: ast.Module) -> ast.Module:  # noqa: N802 (ast's name)
        first = sum(1 for s in node.body if isinstance(s, ast.ImportFrom) and s.module == "__future__")
        last = len(node.body) - (len(node.body) > first and isinstance(node.body[-1], ast.Expr))
        if last > first:
            block = ast.copy_location(ast.If(ast.Constant(True), node.body[first:last], []), node.body[first])
            node.body[first:last] = [block]
        return ast.fix_missing_locations(node)


class PrintAsMarkdown:
    """Collect what a cell prints and display it as Markdown when the cell ends."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.capture: contextlib.redirect_stdout[io.StringIO] | None = None

    def pre_run_cell(self, info: Any) -> None:
        self.buffer = io.StringIO()
        self.capture = contextlib.redirect_stdout(self.buffer)
        self.capture.__enter__()

    def post_run_cell(self, result: Any) -> None:
        _glued.update(prose.take())
        if self.capture is not None:
            self.capture.__exit__(None, None, None)
            self.capture = None
            if self.buffer.getvalue().strip():
                _display(self.buffer.getvalue())


def _display(markdown: str) -> None:
    from IPython.display import Markdown, display

    display(Markdown(markdown))


def show_prose(line: str, cell: str) -> None:
    """The ``%%prose`` cell magic: the cell's Markdown with its values placed."""
    _glued.update(prose.take())
    print(prose.place(cell, _glued))


def as_on_the_site() -> None:
    """Set up the running IPython kernel to run the page's cells as the site does."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        raise RuntimeError("reglab.notebook.as_on_the_site() runs in a Jupyter or IPython kernel")
    shell.ast_transformers.append(OneUnit())
    printer = PrintAsMarkdown()
    shell.events.register("pre_run_cell", printer.pre_run_cell)
    shell.events.register("post_run_cell", printer.post_run_cell)
    shell.register_magic_function(show_prose, magic_kind="cell", magic_name="prose")
