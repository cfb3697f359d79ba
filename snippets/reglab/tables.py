"""Markdown tables printed by the pages, every cell computed from results."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import data
from .experiment import Results
from .stats import mean_ci

if TYPE_CHECKING:
    from .report import Entry


def data_source(spec: data.DataSpec) -> str:
    """One sentence naming the dataset a run used and the sizes of its splits."""
    n_rows = len(data.raw(spec.dataset)[1])
    if spec.dataset == "mnist":
        official = data.mnist_digest() == data.MNIST_SHA256
        what = (
            f"MNIST, {n_rows:,} handwritten digits of 28×28 pixels from Keras's dataset cache "
            f"({'the official file' if official else 'not the official file: SHA-256 differs'})"
        )
    elif spec.dataset == "digits":
        what = f"scikit-learn's {n_rows:,} handwritten digits of 8×8 pixels"
    else:
        what = f"the {spec.dataset} dataset ({n_rows:,} rows)"
    n_train = "all remaining" if spec.n_train is None else f"{spec.n_train:,}"
    unit = "rows" if spec.dataset == "sparse-binary" else "images"
    return (
        f"Data: {what}; per seed a stratified split of {n_train} training, "
        f"{spec.n_val:,} validation and {spec.n_test:,} test {unit}."
    )


def summary(results: Results, baseline: str, arms: Sequence[str] | None = None) -> str:
    """Per arm: test accuracy, test loss and seconds per epoch (mean and 95% CI); then the
    paired difference of each arm against ``baseline``."""
    arms = list(arms or results.arms)
    n = len(results.seeds)
    lines = [
        f"| arm ({n} seeds) | test accuracy | test cross-entropy | best epoch (val loss) | s / epoch |",
        "|---|---|---|---|---|",
    ]
    for arm in arms:
        lines.append(
            f"| {arm} | {mean_ci(results.test('accuracy', arm)).pct()} "
            f"| {mean_ci(results.test('data_loss', arm)).fmt(3)} "
            f"| {mean_ci(results.best_epoch(arm)).fmt(0)} "
            f"| {mean_ci(results.seconds_per_epoch(arm)).fmt(4)} |"
        )
    for arm in arms:
        if arm == baseline:
            continue
        acc, loss = results.diff("accuracy", baseline, arm), results.diff("data_loss", baseline, arm)
        lines.append(
            f"| **{arm} − {baseline}** (paired) | {acc.pp()} | {loss.delta(3)} "
            f"| {mean_ci(results.best_epoch(arm) - results.best_epoch(baseline)).delta(0)} "
            f"| {mean_ci(results.seconds_per_epoch(arm) - results.seconds_per_epoch(baseline)).delta(4)} |"
        )
    return "\n".join(lines) + "\n"


def verdict(results: Results, baseline: str, treatment: str, setting: str) -> str:
    """One sentence on the paired test-accuracy difference, worded by its 95% CI."""
    d = results.diff("accuracy", baseline, treatment)
    span = f"{d.pp()} over {d.n} paired seeds"
    if d.excludes_zero:
        word = "raises" if d.mean > 0 else "lowers"
        sentence = f"{setting}: {treatment} {word} test accuracy compared with {baseline} by {span}."
    else:
        sentence = (
            f"{setting}: {treatment} against {baseline} changes test accuracy by {span}; "
            "the interval includes zero, so no difference in accuracy is detectable at this sample size."
        )
    loss = results.diff("data_loss", baseline, treatment)
    detectable = "a detectable" if loss.excludes_zero else "no detectable"
    return f"{sentence} Test cross-entropy changes by {loss.delta(3)}: {detectable} difference."


def _headline(results: Results) -> tuple[str, str]:
    """What was compared, and the largest paired change in test accuracy against the
    first arm (or the accuracy itself for a single arm), with its 95% CI."""
    base, others = results.arms[0], results.arms[1:]
    if not others:
        return base, f"test accuracy {mean_ci(results.test('accuracy', base)).pct()}"
    diffs = {arm: results.diff("accuracy", base, arm) for arm in others}
    arm, d = max(diffs.items(), key=lambda item: abs(item[1].mean))
    sign = "detectable" if d.excludes_zero else "not detectable"
    compared = f"{', '.join(others)} vs {base}" if len(others) <= 3 else f"{len(results.arms)} arms vs {base}"
    return compared, f"{arm}: {d.pp()}, {sign}"


def _page_link(e: Entry) -> str:
    """A link from the home page to the page's URL (printed output is not rewritten by
    MkDocs, so it names the built URL, not the source file)."""
    number, stem = e.page.partition("-")[0], e.page.removesuffix(".md")
    return f"[{number if number.isdigit() else stem}]({stem}/)"


def at_a_glance(entries: Sequence[Entry]) -> str:
    """One row per experiment: page, comparison, headline with CI, seeds, compute."""
    lines = [
        "| page | experiment | compared | largest test-accuracy change (95% CI) | seeds | runs | compute |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in entries:
        compared, headline = _headline(e.results)
        runs = sum(len(v) for v in e.results.runs.values())
        lines.append(
            f"| {_page_link(e)} | {e.results.name} | {compared} | {headline} "
            f"| {len(e.results.seeds)} | {runs} | {e.results.compute_seconds:.0f} s |"
        )
    return "\n".join(lines) + "\n"


def run_times(entries: Sequence[Entry], top: int | None = None) -> str:
    """The slowest experiments first: training seconds summed over runs, and per run."""
    ranked = sorted(entries, key=lambda e: -e.results.compute_seconds)[:top]
    total = sum(e.results.compute_seconds for e in entries)
    lines = [
        "| experiment | page | snippet | runs | training time | per run | share |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in ranked:
        runs = sum(len(v) for v in e.results.runs.values())
        seconds = e.results.compute_seconds
        lines.append(
            f"| {e.results.name} | {_page_link(e)} | `{e.snippet}` | {runs} "
            f"| {seconds:.0f} s | {seconds / runs:.1f} s | {seconds / total:.0%} |"
        )
    return "\n".join(lines) + "\n"
