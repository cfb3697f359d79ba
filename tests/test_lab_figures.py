"""Figures: byte-identical, labelled from the data, legible in both palettes; tables."""

import re

import numpy as np
from reglab import Results, RunResult, figures, mean_ci, tables


def fake_results() -> Results:
    rng = np.random.default_rng(0)

    def one(shift: float) -> RunResult:
        val = list(1.0 + shift + 0.1 * rng.random(20))
        return RunResult(
            history={
                "loss": list(rng.random(20)),
                "accuracy": list(rng.random(20)),
                "val_loss": val,
                "val_accuracy": list(rng.random(20)),
            },
            test={
                "accuracy": 0.8 + shift / 10 + 0.01 * rng.random(),
                "loss": 0.5 - shift / 10,
                "data_loss": 0.5 - shift / 10,
            },
            epochs_run=20,
            best_epoch=int(np.argmin(val)) + 1,
            seconds_per_epoch=0.01,
            seconds_total=0.2,
        )

    return Results(
        "fake",
        {"base": [one(0) for _ in range(5)], "treated": [one(0.5) for _ in range(5)]},
        seeds=list(range(5)),
        cached=0,
    )


def test_svg_is_byte_identical_across_calls():
    res = fake_results()
    assert figures.loss_curves(res, "t") == figures.loss_curves(res, "t")
    assert figures.test_scores(res, "t") == figures.test_scores(res, "t")


def test_alt_text_is_written_from_the_data():
    res = fake_results()
    svg = figures.loss_curves(res, "Title")
    label = re.search(r'aria-label="([^"]*)"', svg)[1]
    expected = mean_ci(res.final("val_loss", "treated")).fmt(3)
    assert "Title" in label and f"treated {expected}" in label and "5 seeds" in label
    assert f"<title>{label}</title>" in svg and 'role="img"' in svg


def test_svg_takes_the_page_colour_and_has_no_background():
    svg = figures.test_scores(fake_results(), "t")
    assert "#000000" not in svg.lower() and "currentColor" in svg
    assert "#ffffff" not in svg.lower()  # transparent: works on light and dark pages
    assert "<?xml" not in svg and "\n\n" not in svg  # safe to inline in Markdown


def test_summary_table_rows_and_paired_difference():
    res = fake_results()
    table = tables.summary(res, baseline="base")
    assert table.count("\n") == 5  # header, rule, two arms, one difference
    assert res.diff("accuracy", "base", "treated").fmt(3) in table
    sentence = tables.verdict(res, "base", "treated", "Here")
    assert sentence.startswith("Here: treated raises test accuracy")
