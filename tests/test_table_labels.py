"""hooks/table_labels.py: each body cell is labelled by its column's header, and a table
too wide for a phone's column is marked to show its rows as cards there."""

import markdown
import table_labels

WIDE = """\
| rate, setting | test accuracy | training accuracy, dropout off | best validation loss |
|---|---|---|---|
| rate 0.0, clean labels | 96.2% (95% CI 94.2–98.1) | 100.0% | 0.115 (95% CI 0.101–0.128) |
"""
NARROW = """\
| batch size | its mean |
|---|---|
| 8 | 0.986 |
"""


def rendered(table: str) -> str:
    return table_labels.on_page_content(markdown.markdown(table, extensions=["tables"]), page=None)


def test_every_body_cell_is_labelled_by_its_header_and_a_wide_table_stacks():
    html = rendered(WIDE)
    assert "<table data-stack>" in html
    assert '<td data-label="rate, setting">rate 0.0, clean labels</td>' in html
    assert '<td data-label="training accuracy, dropout off">100.0%</td>' in html
    assert html.count("data-label=") == 4  # body cells only, never a header


def test_a_table_that_fits_a_phone_stays_a_table():
    html = rendered(NARROW)
    assert "<table>" in html and "data-stack" not in html
    assert '<td data-label="its mean">0.986</td>' in html


GRID = """\
| λ | bias² + variance + noise | bias² | variance | noise | measured test MSE |
|---|---|---|---|---|---|
| 1e-10 | 0.1545 | 0.0001 | 0.0643 | 0.0900 | 0.1539 |
"""


def test_a_wide_grid_of_numbers_stays_a_table_and_scrolls():
    assert table_labels.min_width([["λ", "bias²", "variance", "noise", "measured", "test"]]) > 358
    html = rendered(GRID)
    assert "data-stack" not in html and '<td data-label="variance">0.0643</td>' in html


def test_the_width_estimate_counts_each_columns_longest_word():
    assert table_labels.min_width([["a", "b"]]) == 2 * table_labels.MIN_COLUMN_PX
    wide = table_labels.min_width([["x" * 50 + " y"]])
    assert wide == table_labels.CELL_PADDING_PX + 50 * table_labels.CHAR_PX > table_labels.PHONE_COLUMN_PX
