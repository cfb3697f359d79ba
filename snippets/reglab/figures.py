"""Figures as inline SVG: legible in light and dark palettes, described by their data,
and byte-identical from run to run.

Axes and text are drawn in ``currentColor``, so they take the page's text colour;
data colours come from the Okabe-Ito palette, chosen to read on white and on slate.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from html import escape

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .experiment import Results  # noqa: E402
from .stats import band, mean_ci  # noqa: E402

PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#D55E00", "#CC79A7", "#F0E442")
INK = "#000000"  # replaced by currentColor in the SVG
STYLE = {
    "svg.hashsalt": "reglab",
    "svg.fonttype": "none",
    "font.size": 10,
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


def colours(n: int) -> list[str]:
    """``n`` palette colours, cycling when there are more arms than colours."""
    return [PALETTE[i % len(PALETTE)] for i in range(n)]


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
    label = escape(alt, quote=True)
    svg = svg.replace(
        "<svg ", f'<svg role="img" aria-label="{label}" class="reglab-figure" fill="currentColor" ', 1
    )
    svg = re.sub(r"(<svg[^>]*>)", rf"\1<title>{escape(alt)}</title>", svg, count=1)
    svg = "\n".join(line for line in svg.splitlines() if line.strip())
    figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="reglab">\n{svg}\n{figcaption}</figure>\n'


def _describe(results: Results, metric: str, values: dict[str, np.ndarray], digits: int = 3) -> str:
    parts = [f"{arm} {mean_ci(v).fmt(digits)}" for arm, v in values.items()]
    return f"{metric}, mean ± 95% CI over {len(results.seeds)} seeds: " + "; ".join(parts)


def loss_curves(results: Results, title: str, arms: Sequence[str] | None = None) -> str:
    """Training (dashed) and validation (solid) loss per epoch, mean with 95% CI bands."""
    arms = list(arms or results.arms)
    fig, (ax,) = new()
    for colour, arm in zip(colours(len(arms)), arms, strict=True):
        for metric, style, label in (("loss", "--", "train"), ("val_loss", "-", "validation")):
            mean, low, high = band(results.curves(metric, arm))
            epochs = np.arange(1, len(mean) + 1)
            ax.plot(epochs, mean, style, color=colour, lw=1.6, label=f"{arm}, {label}")
            ax.fill_between(epochs, low, high, color=colour, alpha=0.2, lw=0)
    ax.set(xlabel="epoch", ylabel="loss (cross-entropy)", title=title)
    ax.legend(fontsize=8, ncols=2)
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
        for row, (colour, arm) in enumerate(zip(colours(len(arms)), arms, strict=True)):
            values = results.test(metric, arm)
            ci = mean_ci(values)
            ax.errorbar(ci.mean, row, xerr=ci.half_width, fmt="o", color=colour, capsize=4, ms=7)
            ax.plot(values, np.full(len(values), row + 0.22), ".", color=colour, alpha=0.6, ms=4)
        label = "test cross-entropy" if metric == "data_loss" else f"test {metric}"
        ax.set(yticks=range(len(arms)), xlabel=label, ylim=(-0.6, len(arms) - 0.4))
        ax.set_yticklabels(arms if metric == "accuracy" else [])
        ax.invert_yaxis()
    fig.suptitle(title, fontsize=10)
    alt = (
        f"{title}. Test accuracy, "
        + _describe(results, "accuracy", {a: results.test("accuracy", a) for a in arms})
        + ". Test "
        + _describe(results, "cross-entropy", {a: results.test("data_loss", a) for a in arms})
    )
    return to_svg(fig, alt)


def intervals(groups: dict[str, dict[str, np.ndarray]], xlabel: str, title: str, digits: int = 3) -> str:
    """Mean and 95% CI of per-seed values, one panel per group, one row per label."""
    fig, axes = new(ncols=len(groups), height=0.5 * max(len(v) for v in groups.values()) + 1.4)
    parts = []
    for ax, (group, rows) in zip(axes, groups.items(), strict=True):
        for row, (colour, (label, values)) in enumerate(zip(colours(len(rows)), rows.items(), strict=True)):
            ci = mean_ci(values)
            ax.errorbar(ci.mean, row, xerr=ci.half_width, fmt="o", color=colour, capsize=4, ms=7)
            ax.plot(values, np.full(len(values), row + 0.22), ".", color=colour, alpha=0.6, ms=4)
            parts.append(f"{group}, {label}: {ci.fmt(digits)}")
        ax.set(yticks=range(len(rows)), xlabel=xlabel, title=group, ylim=(-0.6, len(rows) - 0.4))
        ax.set_yticklabels(list(rows) if ax is axes[0] else [])
        ax.invert_yaxis()
    fig.suptitle(title, fontsize=10)
    n = len(next(iter(next(iter(groups.values())).values())))
    return to_svg(fig, f"{title}. {xlabel}, mean ± 95% CI over {n} seeds: " + "; ".join(parts))


def sweep(
    x: Sequence[float],
    lines: dict[str, np.ndarray],
    xlabel: str,
    ylabel: str,
    title: str,
    logx: bool = False,
    digits: int = 3,
) -> str:
    """Lines of (seeds, len(x)) arrays against ``x``: mean with a 95% CI band."""
    fig, (ax,) = new()
    parts = []
    for colour, (label, values) in zip(colours(len(lines)), lines.items(), strict=True):
        mean, low, high = band(np.asarray(values, dtype=float))
        ax.plot(x, mean, "o-", color=colour, lw=1.6, ms=4, label=label)
        ax.fill_between(x, low, high, color=colour, alpha=0.2, lw=0)
        parts.append(
            f"{label}: " + ", ".join(f"{xi:g} → {m:.{digits}f}" for xi, m in zip(x, mean, strict=True))
        )
    if logx:
        ax.set_xscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(fontsize=8)
    return to_svg(
        fig, f"{title}. {ylabel} against {xlabel}, mean of {len(values)} seeds. " + "; ".join(parts)
    )


def stopping_curve(val_loss: Sequence[float], stop: int, best: int, patience: int, title: str) -> str:
    """One validation curve with its minimum, the patience window and the stop marked."""
    fig, (ax,) = new()
    epochs = np.arange(1, len(val_loss) + 1)
    ax.plot(epochs, val_loss, "-", color=PALETTE[1], lw=1.6, label="validation loss")
    ax.axvspan(
        best, best + patience, color=PALETTE[0], alpha=0.15, lw=0, label=f"patience window ({patience})"
    )
    ax.plot([best], [val_loss[best - 1]], "o", color=PALETTE[2], ms=8, label=f"minimum (epoch {best})")
    ax.axvline(stop, color=PALETTE[3], ls="--", lw=1.4, label=f"stop (epoch {stop})")
    ax.set(xlabel="epoch", ylabel="validation loss", title=title)
    ax.legend(fontsize=8)
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
    for colour, (name, logs) in zip(colours(len(histories)), histories.items(), strict=True):
        epochs = np.arange(1, len(logs["loss"]) + 1)
        ax.plot(epochs, logs["loss"], "--", color=colour, lw=1.6, label=f"{name}, train")
        ax.plot(epochs, logs["val_loss"], "-", color=colour, lw=1.6, label=f"{name}, validation")
    ax.set(xlabel="epoch", ylabel="loss (cross-entropy)", title=title)
    ax.legend(fontsize=8, ncols=2)
    finals = "; ".join(f"{name} {logs['val_loss'][-1]:.3f}" for name, logs in histories.items())
    alt = f"{title}. Line chart of training and validation loss per epoch. Final validation loss: {finals}"
    return to_svg(fig, alt)
