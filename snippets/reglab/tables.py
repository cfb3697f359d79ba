"""Markdown tables printed by the pages, every cell computed from results."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import data
from .experiment import Results
from .stats import MeanCI, mean_ci

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


def _page_link(e: Entry) -> str:
    """A link from the home page to the page's URL (printed output is not rewritten by
    MkDocs, so it names the built URL, not the source file), labelled with its title."""
    return f"[{e.title}]({e.page.removesuffix('.md')}/)"


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


def _verb(d: MeanCI) -> str:
    """How a paired difference reads: its direction only when the 95% CI excludes zero."""
    if not d.excludes_zero:
        return "no detectable change"
    return "raises test accuracy" if d.mean > 0 else "lowers test accuracy"


def answers(entries: Sequence[Entry], ridge: tuple[float, float, float, float]) -> str:
    """The nine questions, each with one line carrying its headline number. ``ridge`` is
    page 2's (best λ, its test error, smallest λ, its test error)."""
    from .report import ANSWERS, headline  # report imports this module

    by_name = {e.results.name: e for e in entries}
    pages = {int(e.page[:2]): e for e in entries if e.page[:2].isdigit()}
    lines = ["| question | answer in one line (95% CI over paired seeds) |", "|---|---|"]
    for number in range(1, 10):
        if number == 2:
            best, best_err, small, small_err = ridge
            link = "[2. The bias–variance tradeoff](02-bias-variance/)"
            answer = (
                f"Ridge regression on 15 noisy points: expected test error {best_err:.3f} at λ = {best:g}, "
                f"against {small_err:.3f} with almost no penalty (λ = {small:g})."
            )
        else:
            e = by_name[ANSWERS[number]]
            h, d = headline(e)
            link = f"[{pages[number].title}]({e.page.removesuffix('.md')}/)"
            answer = f"{h.label}: {_verb(d)}, {d.pp()}."
        lines.append(f"| {link} | {answer} |")
    return "\n".join(lines) + "\n"


def experiments(entries: Sequence[Entry]) -> str:
    """One row per experiment: its declared comparison and the paired difference."""
    from .report import headline

    lines = [
        "| comparison | difference in test accuracy (95% CI) | verdict | seeds | page |",
        "|---|---|---|---|---|",
    ]
    for e in entries:
        h, d = headline(e)
        lines.append(f"| {h.label} | {d.pp()} | {_verb(d)} | {d.n} | {_page_link(e)} |")
    return "\n".join(lines) + "\n"
