"""MkDocs hook: tables that read on a phone.

Every body cell of a table gets ``data-label``, its column's header as plain text. A table
too wide for a phone's column (its estimated narrowest layout, :func:`min_width`, wider
than :data:`PHONE_COLUMN_PX`) also gets ``data-stack``, unless it is a grid of short values
beside its row labels (numbers, read best across a row); below 600 px the site's
stylesheet shows each row of a ``data-stack`` table as a card, one "header: value" line per
cell, instead of a table that scrolls sideways (docs/assets/site.css). A grid keeps
scrolling in its own box, its row labels held in view. Attributes, not classes: Material
styles ``table:not([class])``.
"""

from __future__ import annotations

import html
import re

PHONE_COLUMN_PX = 358  # a 390 px phone's column
# On a phone (docs/assets/site.css), a cell of the table's 12.8 px text has 0.8em of
# padding each side, and a column is at least 3rem wide; a character is about 7.2 px.
CELL_PADDING_PX = 21
MIN_COLUMN_PX = 60 + CELL_PADDING_PX
CHAR_PX = 7.2
SHORT_CELL = 10  # characters: cells no longer than this, beside row labels, make a grid

_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _text(cell: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", cell)).split())


def min_width(rows: list[list[str]]) -> float:
    """The width, in px, of a table on a phone when its every cell breaks at each space:
    per column, its longest word and the cell padding, or its minimum width."""
    columns = max(len(row) for row in rows)
    longest = [0] * columns
    for row in rows:
        for i, cell in enumerate(row):
            longest[i] = max(longest[i], *(len(word) for word in cell.split() or [""]))
    return sum(max(MIN_COLUMN_PX, CELL_PADDING_PX + CHAR_PX * n) for n in longest)


def label(table: str) -> str:
    """``table``'s inner HTML with each body cell labelled by its column's header, and
    ``data-stack`` for the stylesheet when the table, not a grid, cannot fit a phone's column."""
    rows = [[(tag, attrs, body) for tag, attrs, body in _CELL.findall(row)] for row in _ROW.findall(table)]
    headers = [_text(body) for tag, _, body in rows[0] if tag == "th"] if rows else []
    if not headers:
        return f"<table>{table}</table>"
    cells = [[_text(body) for _, _, body in row] for row in rows]
    grid = all(len(cell) <= SHORT_CELL for row in cells[1:] for cell in row[1:])
    stack = not grid and min_width(cells) > PHONE_COLUMN_PX

    def one_row(match: re.Match) -> str:
        cells = iter(headers)

        def one_cell(cell: re.Match) -> str:
            tag, attrs, body = cell.groups()
            header = next(cells, "")
            if tag != "td" or not header:
                return cell[0]
            return f'<td{attrs} data-label="{html.escape(header, quote=True)}">{body}</td>'

        return f"<tr>{_CELL.sub(one_cell, match[1])}</tr>"

    return f"<table{' data-stack' if stack else ''}>{_ROW.sub(one_row, table)}</table>"


def on_page_content(html_text: str, page, **kwargs) -> str:
    return _TABLE.sub(lambda m: label(m[1]), html_text)
