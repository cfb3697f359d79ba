"""Markdown tables that several pages print, every cell computed from results. A table
only one page shows is built in that page's code block, with :func:`markdown`."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from . import data
from .experiment import Results
from .stats import Comparison, mean_ci


def markdown(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A Markdown table: the header, then one row per item (cells shown with ``str``)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


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
    elif spec.dataset == "mnist-10k":
        what = f"{n_rows:,} real MNIST digits of 28×28 pixels shipped with the lab"
    elif spec.dataset.startswith("mnist1d"):
        shuffled = ", its 40 positions shuffled" if spec.dataset.endswith("shuffled") else ""
        n_train = "the 4,000" if spec.n_train is None else f"{spec.n_train:,} of the 4,000"
        return (
            f"Data: MNIST-1D{shuffled}, generated offline by the mnist1d package: {n_train} "
            f"published training and the 1,000 published test sequences of 40 values; {spec.n_val:,} "
            "validation sequences per seed from extra examples the same generator makes."
        )
    else:
        what = f"the {spec.dataset} dataset ({n_rows:,} rows)"
    n_train = "all remaining" if spec.n_train is None else f"{spec.n_train:,}"
    unit = "rows" if spec.dataset == "sparse-binary" else "images"
    return (
        f"Data: {what}; per seed a stratified split of {n_train} training, "
        f"{spec.n_val:,} validation and {spec.n_test:,} test {unit}."
    )


def summary(results: Results, baseline: str, arms: Sequence[str] | None = None) -> str:
    """Per arm: test accuracy, test loss and best epoch, mean and 95% CI; then the paired
    difference of each arm against ``baseline``. Seconds per epoch are left out: they move
    with the machine's load (``python -m reglab bench`` measures speed interleaved)."""
    arms = list(arms or results.arms)
    header = [f"arm ({len(results.seeds)} seeds)", "test accuracy", "test cross-entropy"]
    header += ["best epoch (val loss)"]
    rows = []
    for arm in arms:
        row = [arm, mean_ci(results.test("accuracy", arm)).pct()]
        rows.append(
            row + [mean_ci(results.test("data_loss", arm)).fmt(3), mean_ci(results.best_epoch(arm)).fmt(0)]
        )
    for arm in arms:
        if arm == baseline:
            continue
        acc, loss = results.diff("accuracy", baseline, arm), results.diff("data_loss", baseline, arm)
        row = [f"**{arm} − {baseline}** (paired)", acc.pp(), loss.delta(3)]
        rows.append(row + [mean_ci(results.best_epoch(arm) - results.best_epoch(baseline)).delta(0)])
    return markdown(header, rows)


def transfer(
    family: Mapping[str, Comparison],
    digits: Mapping[str, Comparison],
    digits_setting: str = "800 clean",
    only: Collection[str] | None = None,
) -> str:
    """Benchmarks and pages 3, 5-7 and 9: each technique's Holm-corrected verdict on MNIST-1D
    beside its verdict on the digits, and whether the digits finding transfers (``only``:
    these techniques)."""
    lines = [
        f"| technique | does the digits finding transfer? | MNIST-1D, Δ vs none (verdict after Holm) "
        f"| digits, {digits_setting} (verdict after Holm) |",
        "|---|---|---|---|",
    ]
    for t, c in family.items():
        if only is not None and t not in only:
            continue
        if t in digits:
            d = digits[t]
            same = "yes" if d.verdict == c.verdict else "no"
            cell = f"{d.verdict}: {d.diff.pp()}"
        else:
            same, cell = "not measured on digits", "—"
        lines.append(f"| {t} | {same} | {c.verdict}: {c.diff.pp()} | {cell} |")
    return "\n".join(lines) + "\n"
