"""Figures as inline SVG: legible in light and dark palettes, described by their data,
and byte-identical from run to run.

Axes and text are drawn in ``currentColor``, so they take the page's text colour. Each
technique has one colour across the site (:data:`CONCEPTS`, chosen by :func:`concept` from
an arm's label), and every data colour keeps at least 3:1 contrast on white and on the
dark palette's slate (tests/test_lab_figures.py). Clean and noisy labels differ by line
style, not colour.

Each figure is drawn twice (:func:`to_svg`): as composed, and re-laid out for a phone
(panels in one column, the legend below them, :data:`NARROW_WIDTH` wide); the page's
stylesheet shows the narrow drawing below :data:`NARROW_BELOW_PX`. Both keep a minimum
width at which their smallest text renders at 10 px or more, and the narrow one fits a
390 px phone's column at that width.
"""

from __future__ import annotations

import colorsys
import io
import math
import re
import textwrap
from collections.abc import Mapping, Sequence
from html import escape

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import ticker  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from .experiment import Results  # noqa: E402
from .stats import MeanCI, band, mean_ci  # noqa: E402

INK = "#000000"  # replaced by currentColor in the SVG
CONCEPTS = {  # one colour per technique, site-wide
    "none": "#808080",
    "L2": "#0072B2",
    "L1": "#8E6AC8",
    "dropout": "#D55E00",
    "early stopping": "#009E73",
    "BN": "#C8478F",
    "augmentation": "#A67C00",
    "combination": INK,
}
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#8E6AC8", "#C8478F", "#A67C00", "#808080")
BACKGROUNDS = {"light": "#FFFFFF", "dark": "#1E2129"}  # Material's default and slate
_NONE = re.compile(
    r"\b(none|(no|without) (bn|dropout|penalty|stopping|regulari[sz]ation)|rate 0\.0|baseline)\b"
)
_TECHNIQUES = {
    "early stopping": re.compile(r"\b(stop|stopping|patience|restore)"),
    "augmentation": re.compile(r"\baugment"),
    "dropout": re.compile(r"\b(dropout|rate \d)"),
    "L1": re.compile(r"\b(l1|lasso)\b"),
    "L2": re.compile(r"\b(l2|weight decay|adamw|ridge)\b"),
    "BN": re.compile(r"\b(bn|batch norm)"),
}
MIN_TEXT_PX = 10
MIN_TEXT_PT = 9  # the narrow drawing raises smaller text to this size
NARROW_WIDTH = 4.0  # inches: 9 pt text at 10 px needs 320 px, inside a 390 px phone's 358
NARROW_BELOW_PX = 600  # the viewport width below which docs/assets/site.css shows it
STYLE = {
    "svg.hashsalt": "reglab",
    "svg.fonttype": "none",
    "font.size": 10,
    "legend.fontsize": 9,
    "axes.titlesize": 11,
    "figure.titlesize": 11,
    "font.family": "sans-serif",
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.facecolor": "none",
    "figure.facecolor": "none",
    "savefig.transparent": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#888888",
    "grid.alpha": 0.25,
    "legend.frameon": False,
    "path.simplify": True,
}
plt.rcParams.update(STYLE)


def concept(label: str) -> str | None:
    """The technique an arm's label names (``'dropout 0.5'`` -> ``'dropout'``), if any;
    ``'none'`` for a baseline, ``'combination'`` when it names two techniques."""
    text = label.lower()
    if _NONE.search(text):
        return "none"
    found = [name for name, pattern in _TECHNIQUES.items() if pattern.search(text)]
    return "combination" if len(found) > 1 else (found[0] if found else None)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours."""

    def luminance(colour: str) -> float:
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def shades(colour: str, n: int) -> list[str]:
    """``n`` shades of one technique's colour, from dark to light, each keeping 3:1
    contrast on both backgrounds; one shade is the colour itself."""
    if n == 1 or colour == INK:
        return [colour] * n
    hue, _, sat = colorsys.rgb_to_hls(*(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)))
    valid = []
    for step in range(101):
        r, g, b = colorsys.hls_to_rgb(hue, step / 100, sat)
        candidate = f"#{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"
        if all(contrast(candidate, bg) >= 3 for bg in BACKGROUNDS.values()):
            valid.append(candidate)
    return [valid[round(i * (len(valid) - 1) / (n - 1))] for i in range(n)]


def colours_for(labels: Sequence[str], fallback: str | None = None) -> list[str]:
    """Each label's technique colour (shades of it when several labels name the same
    technique); labels naming none take ``fallback``'s colour, or else the palette's
    colours that no technique in ``labels`` uses."""
    named = [concept(label) or fallback for label in labels]
    spare = iter(c for c in PALETTE if c not in {CONCEPTS[n] for n in named if n})
    keys = [n if n else next(spare, PALETTE[0]) for n in named]
    out, seen = [], {}
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
    used = {key: iter(shades(CONCEPTS.get(key, key), count)) for key, count in seen.items()}
    for key in keys:
        out.append(next(used[key]))
    return out


def line_style(label: str) -> str:
    """Dashed for noisy labels, solid otherwise: the setting is never a colour."""
    return "--" if "noise" in label.lower() or "noisy" in label.lower() else "-"


def new(ncols: int = 1, width: float = 7.0, height: float = 3.4) -> tuple[Figure, np.ndarray]:
    """A figure in the site's style; returns (fig, axes as a flat array)."""
    fig, axes = plt.subplots(1, ncols, figsize=(width, height), squeeze=False, layout="constrained")
    return fig, axes.ravel()


class PlainLogFormatter(ticker.LogFormatterSciNotation):
    """Log-axis ticks as plain numbers (``0.001``, ``0.2``), labelled where matplotlib's
    default labels them: its superscripts (10⁻³) render at 70% of the tick size."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return f"{x:g}".replace("-", "\u2212") if super().__call__(x, pos) else ""


def _plain_log_ticks(fig: Figure) -> None:
    """Swap matplotlib's default log-axis labels for :class:`PlainLogFormatter`."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for minor in (False, True):
                old = axis.get_minor_formatter() if minor else axis.get_major_formatter()
                if type(old) is ticker.LogFormatterSciNotation:
                    new = PlainLogFormatter(
                        old._base, labelOnlyBase=old.labelOnlyBase, minor_thresholds=old.minor_thresholds
                    )
                    (axis.set_minor_formatter if minor else axis.set_major_formatter)(new)


def _legend_entries(fig: Figure) -> tuple[list, list[str], int, float]:
    """Every legend's entries (each label once), removed from the figure; with the widest
    legend's column count and the largest font size."""
    handles, labels, ncols, size = [], [], 1, float(plt.rcParams["legend.fontsize"])
    owners = [ax for ax in fig.axes if ax.get_legend()]
    for legend, owner in [(ax.get_legend(), ax) for ax in owners] + [(g, None) for g in fig.legends]:
        texts = [t.get_text() for t in legend.get_texts()]
        found = owner.get_legend_handles_labels() if owner else ([], [])
        mine = list(found[1]) == texts  # the artists themselves, when the legend shows them all
        pairs = zip(*found, strict=True) if mine else zip(legend.legend_handles, texts, strict=True)
        for handle, label in pairs:
            if label not in labels:
                handles.append(handle)
                labels.append(label)
        ncols = max(ncols, legend._ncols)
        size = max(size, legend.get_texts()[0].get_fontsize() if texts else size)
        legend.remove()
    return handles, labels, ncols, size


def _wrap_wide_text(fig: Figure) -> bool:
    """Break titles, labels and notes wider than 92% of the figure into lines; True if any."""
    renderer = fig.canvas.get_renderer()
    limit = 0.92 * fig.bbox.width
    changed = False
    for text in fig.findobj(Text):
        content = text.get_text()
        if not text.get_visible() or " " not in content or text.get_rotation() != 0:
            continue
        width = text.get_window_extent(renderer).width
        if width > limit:  # into lines of even length, as few as fit
            words = " ".join(content.split())
            lines = content.count("\n") + math.ceil(width / limit)
            measure = math.ceil(len(words) / lines)
            while len(textwrap.wrap(words, measure)) > lines:
                measure += 1
            text.set_text(textwrap.fill(words, measure))
            changed = True
    return changed


def narrow(fig: Figure) -> None:
    """Lay ``fig`` out again for a phone, in place: its panels in one column, in reading
    order, each as tall as before; every legend merged into one below them; text under
    :data:`MIN_TEXT_PT` raised to it, and long titles and notes wrapped to the width."""
    height = fig.get_size_inches()[1]
    panels = [ax for ax in fig.axes if ax.get_subplotspec() is not None]
    cells = sorted(
        {(ax.get_subplotspec().rowspan.start, ax.get_subplotspec().colspan.start) for ax in panels}
    )
    rows = panels[0].get_subplotspec().get_gridspec().nrows if panels else 1
    column = fig.add_gridspec(max(len(cells), 1), 1)
    for ax in panels:
        spec = ax.get_subplotspec()
        ax.set_subplotspec(column[cells.index((spec.rowspan.start, spec.colspan.start)), 0])
    for before, ax in zip(panels, panels[1:], strict=False):
        # a panel that left its row labels to its left neighbour shows them, now that the
        # neighbour is above it
        ticks, labels = list(before.get_yticks()), [t.get_text() for t in before.get_yticklabels()]
        if (
            isinstance(ax.yaxis.get_major_formatter(), ticker.NullFormatter)
            and any(labels)
            and list(ax.get_yticks()) == ticks
        ):
            ax.set_yticks(ticks, labels=labels)
    for text in fig.findobj(Text):
        if text.get_fontsize() < MIN_TEXT_PT:
            text.set_fontsize(MIN_TEXT_PT)
    handles, labels, ncols, size = _legend_entries(fig)
    if fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")
    panel_height = height / rows
    fig.set_size_inches(NARROW_WIDTH, panel_height * len(cells))
    legend = None
    for columns in sorted({min(ncols, 2), 1}, reverse=True) if handles else []:
        if legend:
            legend.remove()
        legend = fig.legend(handles, labels, loc="outside lower center", ncols=columns, fontsize=size)
        fig.canvas.draw()
        if legend.get_window_extent().width <= 0.96 * fig.bbox.width:
            break
    fig.canvas.draw()
    for _ in range(3):  # each pass wraps what still overflows, at a narrower measure
        if not _wrap_wide_text(fig):
            break
        fig.canvas.draw()
    extra = legend.get_window_extent().height / fig.dpi + 0.15 if legend else 0.0
    titles = [t for t in fig.findobj(Text) if t.get_visible() and "\n" in t.get_text()]
    extra += sum(t.get_text().count("\n") * t.get_fontsize() * 1.25 / 72 for t in titles)
    fig.set_size_inches(NARROW_WIDTH, panel_height * len(cells) + extra)


def _svg(fig: Figure, alt: str, layout: str, hidden: bool = False) -> str:
    """One drawing of ``fig`` as an inline ``<svg>``; ``layout`` names it in its class,
    and prefixes its ids so that two drawings of one figure can share a page."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prolog and doctype
    # matplotlib's one style rule, "*{stroke-linejoin: round; …}", becomes attributes that its
    # elements inherit: two figures' asterisks in one Markdown paragraph would read as emphasis
    rule = re.search(r"\s*<defs>\s*<style[^>]*>\*\{([^}]*)\}</style>\s*</defs>", svg)
    if rule:
        inherited = " ".join(
            f'{k.strip()}="{v.strip()}"' for k, v in re.findall(r"([\w-]+):([^;]+)", rule[1])
        )
        svg = svg.replace(rule[0], "").replace("<svg ", f"<svg {inherited} ", 1)
    svg = svg.replace(INK, "currentColor")
    svg = re.sub(r'font-family:[^;"]*', "font-family: sans-serif", svg)  # the page's sans font
    svg = re.sub(r'\s(width|height)="[\d.]+pt"', "", svg, count=2)  # scale to the column
    svg = re.sub(r'(\sid="|url\(#|href="#)', rf"\g<1>{layout}-", svg)
    width_pt = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg)[1])
    smallest = min(float(size) for size in re.findall(r"font-size:\s*([\d.]+)px", svg))
    min_width = math.ceil(width_pt * MIN_TEXT_PX / smallest)  # the smallest text at 10 px
    label = escape(alt, quote=True)
    style = f"min-width: {min_width}px" + ("; display: none" if hidden else "")
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{label}" class="reglab-figure reglab-{layout}" style="{style}" '
        'fill="currentColor" ',
        1,
    )
    svg = re.sub(r"(<svg[^>]*>)", rf"\1<title>{escape(alt)}</title>", svg, count=1)
    return "\n".join(line for line in svg.splitlines() if line.strip())


def to_svg(fig: Figure, alt: str, caption: str | None = None) -> str:
    """Serialise ``fig`` as an accessible inline ``<figure>``: drawn as composed, then
    re-laid out by :func:`narrow` for a phone (hidden by an inline style, so that a
    notebook without the site's stylesheet shows one drawing). Both are labelled by
    ``alt``; ``caption``, a sentence stating the figure's takeaway, shows under either."""
    _plain_log_ticks(fig)
    wide = _svg(fig, alt, "wide")
    narrow(fig)
    phone = _svg(fig, alt, "narrow", hidden=True)
    plt.close(fig)
    figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    # A blank line first, so that a figure printed right after a table is not read as a row.
    return f'\n<figure class="reglab" tabindex="0">\n{wide}\n{phone}\n{figcaption}</figure>\n'


def _describe(results: Results, metric: str, values: dict[str, np.ndarray], digits: int = 3) -> str:
    parts = [f"{arm} {mean_ci(v).fmt(digits)}" for arm, v in values.items()]
    return f"{metric}, mean and 95% CI over {len(results.seeds)} seeds: " + "; ".join(parts)


def loss_curves(
    results: Results, title: str, arms: Sequence[str] | None = None, caption: str | None = None
) -> str:
    """Training (dashed) and validation (solid) loss per epoch, mean with 95% CI bands."""
    arms = list(arms or results.arms)
    fig, (ax,) = new()
    for colour, arm in zip(colours_for(arms), arms, strict=True):
        for metric, style, label in (("loss", "--", "train"), ("val_loss", "-", "validation")):
            mean, low, high = band(results.curves(metric, arm))
            epochs = np.arange(1, len(mean) + 1)
            ax.plot(epochs, mean, style, color=colour, lw=1.6, label=f"{arm}, {label}")
            ax.fill_between(epochs, low, high, color=colour, alpha=0.2, lw=0)
    ax.set(xlabel="epoch", ylabel="loss (cross-entropy)", title=title)
    ax.legend(ncols=2)
    final = {arm: results.final("val_loss", arm) for arm in arms}
    alt = f"{title}. Line chart of training and validation loss per epoch. Final validation " + _describe(
        results, "loss", final
    )
    return to_svg(fig, alt, caption)


def test_scores(
    results: Results, title: str, arms: Sequence[str] | None = None, caption: str | None = None
) -> str:
    """Test accuracy and test loss per arm: mean and 95% CI, with each seed as a dot."""
    arms = list(arms or results.arms)
    fig, axes = new(ncols=2, height=0.55 * len(arms) + 1.3)
    for ax, metric in zip(axes, ("accuracy", "data_loss"), strict=True):
        for row, (colour, arm) in enumerate(zip(colours_for(arms), arms, strict=True)):
            values = results.test(metric, arm)
            ci = mean_ci(values)
            ax.errorbar(ci.mean, row, xerr=ci.half_width, fmt="o", color=colour, capsize=4, ms=7)
            ax.plot(values, np.full(len(values), row + 0.22), ".", color=colour, alpha=0.6, ms=4)
        label = "test cross-entropy" if metric == "data_loss" else f"test {metric}"
        ax.set(yticks=range(len(arms)), xlabel=label, ylim=(-0.6, len(arms) - 0.4))
        ax.set_yticklabels(arms if metric == "accuracy" else [])
        ax.invert_yaxis()
    fig.suptitle(title)
    alt = (
        f"{title}. Test accuracy, "
        + _describe(results, "accuracy", {a: results.test("accuracy", a) for a in arms})
        + ". Test "
        + _describe(results, "cross-entropy", {a: results.test("data_loss", a) for a in arms})
    )
    return to_svg(fig, alt, caption)


def sweep(
    x: Sequence[float],
    lines: dict[str, np.ndarray],
    xlabel: str,
    ylabel: str,
    title: str,
    logx: bool = False,
    digits: int = 3,
    technique: str | None = None,
    marks: Mapping[str, float] | None = None,
    points: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None,
    caption: str | None = None,
) -> str:
    """Lines of (seeds, len(x)) arrays against ``x``: mean with a 95% CI band, in the
    colour of ``technique`` (a key of :data:`CONCEPTS`) when the labels name none.
    ``marks`` draws labelled vertical lines at x values; ``points`` draws reference
    values, such as a paper's, as hollow markers."""
    fig, (ax,) = new()
    parts = []
    palette = colours_for(list(lines), fallback=technique)
    for colour, (label, values) in zip(palette, lines.items(), strict=True):
        mean, low, high = band(np.asarray(values, dtype=float))
        ax.plot(x, mean, "o" + line_style(label), color=colour, lw=1.6, ms=4, label=label)
        ax.fill_between(x, low, high, color=colour, alpha=0.2, lw=0)
        parts.append(
            f"{label}: " + ", ".join(f"{xi:g} → {m:.{digits}f}" for xi, m in zip(x, mean, strict=True))
        )
    for label, at in (marks or {}).items():
        ax.axvline(at, color=INK, ls=":", lw=1.2, label=label)
        parts.append(f"{label} at {at:g}")
    for marker, (label, (px, py)) in zip("Dsv^", (points or {}).items(), strict=False):
        ax.plot(px, py, marker, mfc="none", color=INK, ms=7, mew=1.4, ls="none", label=label)
        parts.append(f"{label}: " + ", ".join(f"{a:g} → {b:.{digits}f}" for a, b in zip(px, py, strict=True)))
    if logx:
        ax.set_xscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend()
    return to_svg(
        fig, f"{title}. {ylabel} against {xlabel}, mean of {len(values)} seeds. " + "; ".join(parts), caption
    )


def stopping_curve(
    val_loss: Sequence[float], stop: int, best: int, patience: int, title: str, caption: str | None = None
) -> str:
    """One validation curve with its minimum, the patience window and the stop marked."""
    fig, (ax,) = new()
    epochs = np.arange(1, len(val_loss) + 1)
    stopping = CONCEPTS["early stopping"]
    ax.plot(epochs, val_loss, "-", color=INK, lw=1.6, label="validation loss")
    ax.axvspan(best, best + patience, color=stopping, alpha=0.15, lw=0, label=f"patience window ({patience})")
    ax.plot([best], [val_loss[best - 1]], "o", color=stopping, ms=8, label=f"minimum (epoch {best})")
    ax.axvline(stop, color=stopping, ls="--", lw=1.4, label=f"stop (epoch {stop})")
    ax.set(xlabel="epoch", ylabel="validation loss", title=title)
    ax.legend()
    alt = (
        f"{title}. Validation loss per epoch; minimum {val_loss[best - 1]:.3f} at epoch {best}, "
        f"training stops at epoch {stop} after {patience} epochs without improvement; "
        f"the loss at the stop is {val_loss[stop - 1]:.3f}"
    )
    return to_svg(fig, alt, caption)


def history(histories: dict[str, dict[str, list[float]]], title: str, caption: str | None = None) -> str:
    """Training (dashed) and validation (solid) loss per epoch of single ``model.fit`` runs,
    from each run's ``history.history``."""
    fig, (ax,) = new()
    for colour, (name, logs) in zip(colours_for(list(histories)), histories.items(), strict=True):
        epochs = np.arange(1, len(logs["loss"]) + 1)
        ax.plot(epochs, logs["loss"], "--", color=colour, lw=1.6, label=f"{name}, train")
        ax.plot(epochs, logs["val_loss"], "-", color=colour, lw=1.6, label=f"{name}, validation")
    ax.set(xlabel="epoch", ylabel="loss (cross-entropy)", title=title)
    ax.legend(ncols=2)
    finals = "; ".join(f"{name} {logs['val_loss'][-1]:.3f}" for name, logs in histories.items())
    alt = f"{title}. Line chart of training and validation loss per epoch. Final validation loss: {finals}"
    return to_svg(fig, alt, caption)


def differences(
    rows: dict[str, MeanCI] | dict[str, dict[str, MeanCI]],
    title: str,
    xlabel: str = "difference in test accuracy (pp)",
    kind: str = "Paired differences",
    share: bool = True,
    caption: str | None = None,
    headed: bool = False,
) -> str:
    """Paired differences against a baseline with their 95% CIs, one row each, drawn
    against a zero line; several groups (settings) become panels on one shared axis
    (``share=False``: each its own, when their scales differ by far), or with
    ``headed=True`` blocks of rows in one panel, each under its group's name (in bold)
    and in the colour of the technique that name gives. ``kind`` names the differences in the
    figure's description; ``caption``, as in :func:`to_svg`. Each row is labelled above
    its interval, so the data keep the panel's full width on a phone, and takes the colour
    of the technique its label names before any " vs "."""
    groups = rows if isinstance(next(iter(rows.values())), dict) else {"": rows}
    if headed:
        return _headed(groups, title, xlabel, kind, caption)
    height = 0.42 * max(len(g) for g in groups.values()) + 1.1
    fig, axes = new(
        ncols=len(groups), width=min(7.0, 4.9 if len(groups) == 1 else 3.5 * len(groups)), height=height
    )
    for ax in axes[1:] if share else []:
        ax.sharex(axes[0])
    parts = []
    for ax, (group, diffs) in zip(axes, groups.items(), strict=True):
        labels = list(diffs)
        palette = colours_for([label.split(" vs ")[0] for label in labels])
        ax.axvline(0, color=INK, lw=1)
        for row, (colour, label) in enumerate(zip(palette, labels, strict=True)):
            _interval(ax, row, diffs[label], label, colour)
            parts.append(f"{group + ', ' if group else ''}{label}: {diffs[label].pp()}")
        ax.set(yticks=[], xlabel=xlabel, ylim=(-0.8, len(labels) - 0.3))
        if group:
            ax.set_title(group)
        ax.invert_yaxis()
        ax.spines["left"].set_visible(False)
    if len(groups) > 1:
        fig.suptitle(title)
    else:
        axes[0].set_title(title)
    return to_svg(fig, f"{title}. {kind} with 95% CIs: " + "; ".join(parts), caption)


def _interval(ax, row: float, d: MeanCI, label: str, colour: str) -> None:
    """One row of :func:`differences`: the interval at ``row``, its label above it."""
    error = [[(d.mean - d.low) * 100], [(d.high - d.mean) * 100]]
    ax.errorbar(d.mean * 100, row, xerr=error, fmt="o", color=colour, capsize=3, ms=5)
    ax.annotate(
        label,
        (0, row),
        xycoords=("axes fraction", "data"),
        xytext=(2, 5),
        textcoords="offset points",
        va="bottom",
        fontsize=9,
    )


def _headed(
    groups: dict[str, dict[str, MeanCI]], title: str, xlabel: str, kind: str, caption: str | None
) -> str:
    """:func:`differences` with its groups as headed blocks of rows in one panel."""
    fig, (ax,) = new(width=7.0, height=0.36 * sum(len(g) + 1 for g in groups.values()) + 1.1)
    ax.axvline(0, color=INK, lw=1)
    row, parts = 0, []
    for colour, (group, diffs) in zip(colours_for(list(groups)), groups.items(), strict=True):
        ax.annotate(
            group,
            (0, row),
            xycoords=("axes fraction", "data"),
            xytext=(0, 0),
            textcoords="offset points",
            va="center",
            fontsize=10,
            fontweight="bold",
        )
        for label, d in diffs.items():
            row += 1
            _interval(ax, row, d, label, colour)
            parts.append(f"{group}, {label}: {d.pp()}")
        row += 1
    ax.set(yticks=[], xlabel=xlabel, ylim=(-0.6, row - 0.3), title=title)
    ax.invert_yaxis()
    ax.spines["left"].set_visible(False)
    return to_svg(fig, f"{title}. {kind} with 95% CIs: " + "; ".join(parts), caption)
