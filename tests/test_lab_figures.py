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
    assert res.diff("accuracy", "base", "treated").pp() in table


def test_the_summary_prints_no_seconds_per_epoch():
    res = fake_results()
    table = tables.summary(res, baseline="base")
    assert "s / epoch" not in table and table.splitlines()[0].count("|") == 5  # four columns


def test_a_markdown_table_has_its_header_rule_and_one_line_per_row():
    table = tables.markdown(["arm", "seeds"], [["none", 5], ["dropout 0.5", 5]])
    assert table == "| arm | seeds |\n|---|---|\n| none | 5 |\n| dropout 0.5 | 5 |\n"


def test_every_data_colour_keeps_3_to_1_contrast_in_both_palettes_and_yellow_is_gone():
    marks = {*figures.CONCEPTS.values(), *figures.PALETTE} - {figures.INK}
    marks |= {s for c in figures.CONCEPTS.values() for s in figures.shades(c, 4)} - {figures.INK}
    for background in figures.BACKGROUNDS.values():
        low = {c: round(figures.contrast(c, background), 2) for c in marks}
        assert min(low.values()) >= 3, {c: r for c, r in low.items() if r < 3}
    assert "#F0E442" not in marks


def test_one_colour_per_technique_whatever_the_page_calls_the_arm():
    named = {
        "none": ["none", "no dropout", "without dropout", "no BN, batch 32", "rate 0.0", "no stopping"],
        "dropout": ["dropout 0.5", "with dropout 0.2", "rate 0.4"],
        "L2": ["L2 (1e-4)", "AdamW", "Adam + L2"],
        "L1": ["L1 1e-3"],
        "BN": ["BN, batch 32", "BN"],
        "early stopping": ["patience 10, restore", "early stopping"],
        "combination": ["L2 + dropout", "dropout and BN"],
    }
    for technique, labels in named.items():
        assert {figures.concept(label) for label in labels} == {technique}, labels
    assert figures.concept("bias²") is None
    assert figures.colours_for(["none", "dropout 0.5"]) == [
        figures.CONCEPTS["none"],
        figures.CONCEPTS["dropout"],
    ]
    assert len(set(figures.colours_for(["rate 0.4", "rate 0.8"]))) == 2  # shades of one colour


def test_noisy_labels_are_a_line_style_not_a_colour():
    assert figures.line_style("30% label noise") == "--"
    assert figures.line_style("clean labels") == "-"
    assert len(set(figures.colours_for(["clean labels", "30% label noise"], fallback="dropout"))) == 2
    assert all(
        c in figures.shades(figures.CONCEPTS["dropout"], 2)
        for c in figures.colours_for(["a", "b"], "dropout")
    )


def test_a_figure_never_renders_its_smallest_text_below_10_px():
    fig, (ax,) = figures.new()
    ax.plot([0, 1], [0, 1], label="line")
    ax.legend(fontsize=7)
    svg = figures.to_svg(fig, "test")
    min_width = int(re.search(r"min-width: (\d+)px", svg)[1])
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg)[1])
    smallest = min(float(s) for s in re.findall(r"font-size:\s*([\d.]+)px", svg))
    assert smallest == 7
    assert min_width * smallest / width >= 10  # scaled to its minimum width, 7 pt text is 10 px
    assert 'tabindex="0"' in svg  # the box scrolls on a phone, so keyboards can scroll it too
    phone = drawings(svg)["narrow"]
    assert phone["min_width"] <= PHONE_COLUMN_PX  # the phone drawing raises 7 pt text to 9 pt
    assert phone["min_width"] * phone["smallest"] / phone["width"] >= 10


PHONE_COLUMN_PX = 358  # a 390 px phone's column


def drawings(svg: str) -> dict[str, dict]:
    """The figure's drawings by layout: text, viewBox size, min-width, smallest font."""
    found = {}
    for one in re.findall(r"<svg\b.*?</svg>", svg, re.S):
        width, height = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', one).groups())
        found[re.search(r'class="reglab-figure reglab-(\w+)"', one)[1]] = {
            "svg": one,
            "width": width,
            "height": height,
            "min_width": int(re.search(r"min-width: (\d+)px", one)[1]),
            "smallest": min(float(s) for s in re.findall(r"font-size:\s*([\d.]+)px", one)),
            "y": {t: float(y) for y, t in re.findall(r'<text [^>]*\by="([\d.]+)"[^>]*>([^<]+)</text>', one)},
        }
    return found


def test_a_phone_gets_its_own_drawing_panels_stacked_and_the_legend_below():
    """Two drawings of each figure, one shown at a time by the site's stylesheet: the phone
    drawing fits a 390 px phone's column with its text at 10 px or more, stacks the panels
    (each with its own row labels) and puts the legend under the axes."""
    res = fake_results()
    scores = figures.test_scores(
        res, "A title long enough to need a second line on a phone", caption="Says so."
    )
    both = drawings(scores)
    assert set(both) == {"wide", "narrow"} and scores.count("<figcaption>Says so.</figcaption>") == 1
    wide, phone = both["wide"], both["narrow"]
    assert wide["width"] > wide["height"] and phone["height"] > phone["width"]  # two panels stacked
    assert (
        phone["min_width"] <= PHONE_COLUMN_PX
        and phone["min_width"] * phone["smallest"] / phone["width"] >= 10
    )
    assert wide["svg"].count(">treated</text>") == 1 and phone["svg"].count(">treated</text>") == 2
    assert 'style="min-width: ' in phone["svg"] and "display: none" in phone["svg"]  # notebooks show one
    assert (
        re.search(r'aria-label="([^"]*)"', wide["svg"])[1]
        == re.search(r'aria-label="([^"]*)"', phone["svg"])[1]
    )
    ids = [set(re.findall(r'\sid="([^"]+)"', d["svg"])) for d in both.values()]
    assert ids[0] and not ids[0] & ids[1]  # one page holds both
    curves = drawings(figures.loss_curves(res, "t"))["narrow"]
    assert curves["y"]["base, train"] > curves["y"]["epoch"]  # the legend is below the axes


def test_log_axes_label_ticks_in_plain_numbers_not_small_superscripts():
    test, train = double_descent_curves()
    svg = figures.sweep([2, 4, 8, 16, 32, 64], {"test error": test}, "width", "error", "t", logx=True)
    assert ">10</text>" in svg and not re.search(r"font-size: ?7(\.0)?px", svg)


def double_descent_curves() -> tuple[np.ndarray, np.ndarray]:
    """Three seeds over six widths: high error, a dip at index 1, a peak at index 3 where
    the training error first reaches 0 in every seed, and a fall after it."""
    test = np.array([0.60, 0.45, 0.50, 0.56, 0.50, 0.47]) + np.array([[0.0], [0.01], [-0.01]])
    train = np.array([[0.6, 0.3, 0.1, 0.0, 0.0, 0.0]] * 3)
    train[1, 2] = 0.0  # one seed fits earlier: not yet every seed
    return test, train


def test_a_sweep_draws_and_describes_its_marks_and_reference_points():
    test, train = double_descent_curves()
    svg = figures.sweep(
        [2, 4, 8, 16, 32, 64],
        {"test error": test, "training error": train},
        "width",
        "error",
        "Curve",
        logx=True,
        marks={"fits every seed": 16},
        points={"the paper": ([16, 300], [0.47, 0.455])},
    )
    label = re.search(r'aria-label="([^"]*)"', svg)[1]
    assert "fits every seed at 16" in label and "the paper: 16 → 0.470, 300 → 0.455" in label


def test_headed_differences_are_one_panel_of_blocks_each_under_its_group_in_its_technique_colour():
    """``differences(groups, headed=True)``: one panel, each group's name once, in bold,
    above its rows, which take the colour of the technique the group names."""
    d = mean_ci(np.array([0.01, 0.02, 0.03]))
    groups = {"Dropout": {"tuned, clean": d, "tuned, noisy": d}, "Early stopping": {"clean": d}}
    drawn = drawings(figures.differences(groups, "t", headed=True))
    wide = drawn["wide"]
    assert wide["svg"].count(">Dropout</text>") == 1 and wide["svg"].count(">Early stopping</text>") == 1
    y = wide["y"]
    assert y["Dropout"] < y["tuned, clean"] < y["tuned, noisy"] < y["Early stopping"] < y["clean"]
    assert figures.CONCEPTS["dropout"].lower() in wide["svg"].lower()
    assert figures.CONCEPTS["early stopping"].lower() in wide["svg"].lower()
    assert "Early stopping, clean: +2.0 pp" in re.search(r'aria-label="([^"]*)"', wide["svg"])[1]
    assert drawn["narrow"]["min_width"] <= PHONE_COLUMN_PX
