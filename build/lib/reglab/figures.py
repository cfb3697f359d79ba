"""Figures as inline SVG: legible in light and dark palettes, described by their data,
and byte-identical from run to run.

Axes and text are drawn in ``currentColor``, so they take the page's text colour. Each
technique has one colour across the site (:data:`CONCEPTS`, chosen by :func:`concept` from
an arm's label), and every data colour keeps at least 3:1 contrast on white and on the
dark palette's slate (tests/test_lab_figures.py). Clean and noisy labels differ by line
style, not colour. Each figure keeps a minimum width at which its smallest text renders
at 10 px or more; on a narrower screen it scrolls sideways inside its own box.
"""

from __future__ import annotations

import colorsys
import io
import math
import re
from collections.abc import Mapping, Sequence
from html import escape

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

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


def to_svg(fig: Figure, alt: str, caption: str | None = None) -> str:
    """Serialise ``fig`` as an accessible inline ``<figure>``; ``alt`` becomes its label."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prolog and doctype
    svg = svg.replace(INK, "currentColor")
    svg = re.sub(r'font-family:[^;"]*', "font-family: sans-serif", svg)  # the page's sans font
    svg = re.sub(r'\s(width|height)="[\d.]+pt"', "", svg, count=2)  # scale to the column
    width_pt = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg)[1])
    smallest = min(float(size) for size in re.findall(r"font-size:\s*([\d.]+)px", svg))
    min_width = math.ceil(width_pt * MIN_TEXT_PX / smallest)  # the smallest text at 10 px
    label = escape(alt, quote=True)
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{label}" class="reglab-figure" style="min-width: {min_width}px" '
        'fill="currentColor" ',
        1,
    )
    svg = re.sub(r"(<svg[^>]*>)", rf"\1<title>{escape(alt)}</title>", svg, count=1)
    svg = "\n".join(line for line in svg.splitlines() if line.strip())
    figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    # A blank line first, so that a figure printed right after a table is not read as a row.
    return f'\n<figure class="reglab" tabindex="0">\n{svg}\n{figcaption}</figure>\n'


def _describe(results: Results, metric: str, values: dict[str, np.ndarray], digits: int = 3) -> str:
    parts = [f"{arm} {mean_ci(v).fmt(digits)}" for arm, v in values.items()]
    return f"{metric}, mean and 95% CI over {len(results.seeds)} seeds: " + "; ".join(parts)


def loss_curves(results: Results, title: str, arms: Sequence[str] | None = None) -> str:
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
    return to_svg(fig, alt)


def test_scores(results: Results, title: str, arms: Sequence[str] | None = None) -> str:
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
    return to_svg(fig, alt)


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
        fig, f"{title}. {ylabel} against {xlabel}, mean of {len(values)} seeds. " + "; ".join(parts)
    )


def stopping_curve(val_loss: Sequence[float], stop: int, best: int, patience: int, title: str) -> str:
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
    return to_svg(fig, alt)


def history(histories: dict[str, dict[str, list[float]]], title: str) -> str:
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
    return to_svg(fig, alt)


def differences(
    rows: dict[str, MeanCI] | dict[str, dict[str, MeanCI]],
    title: str,
    xlabel: str = "difference in test accuracy (pp)",
    kind: str = "Paired differences",
    share: bool = True,
) -> str:
    """Paired differences against a baseline with their 95% CIs, one row each, drawn
    against a zero line; several groups (settings) become panels on one shared axis
    (``share=False``: each its own, when their scales differ by far). ``kind`` names the
    differences in the figure's description.
    Each row is labelled above its interval, so the data keep the panel's full width on
    a phone, and takes the colour of the technique its label names before any " vs "."""
    groups = rows if isinstance(next(iter(rows.values())), dict) else {"": rows}
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
            d = diffs[label]
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
            parts.append(f"{group + ', ' if group else ''}{label}: {d.pp()}")
        ax.set(yticks=[], xlabel=xlabel, ylim=(-0.8, len(labels) - 0.3))
        if group:
            ax.set_title(group)
        ax.invert_yaxis()
        ax.spines["left"].set_visible(False)
    if len(groups) > 1:
        fig.suptitle(title)
    else:
        axes[0].set_title(title)
    return to_svg(fig, f"{title}. {kind} with 95% CIs: " + "; ".join(parts))
