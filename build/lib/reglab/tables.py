"""Markdown tables printed by the pages, every cell computed from results."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

from . import data
from .experiment import Results
from .stats import Comparison, MeanCI, mean_ci, paired_diff

if TYPE_CHECKING:
    from .report import Entry


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
    lines = ["| question | answer in one line |", "|---|---|"]
    for number in range(1, 10):
        if number == 2:
            best, best_err, small, small_err = ridge
            link = "[2. The bias–variance tradeoff](02-bias-variance/)"
            answer = (
                f"Ridge regression on 15 noisy points, averaged over 300 training sets: expected "
                f"test error {best_err:.3f} at λ = {best:g} (the best of the sweep: exploratory), "
                f"against {small_err:.3f} with almost no penalty (λ = {small:g})."
            )
        else:
            e = by_name[ANSWERS[number]]
            h, d = headline(e)
            link = f"[{pages[number].title}]({e.page.removesuffix('.md')}/)"
            answer = f"{h.label}: {_verb(d)}, {d.pp()} over {d.n} paired seeds."
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


def gap_by_training_size(
    by_size: Mapping[int, Results], sizes: Sequence[int], gaps: Mapping[str, np.ndarray]
) -> str:
    """Page 4: per training-set size, dropout's paired effect on test accuracy and both arms' gaps."""
    lines = [
        "| training images | test accuracy: dropout − none (paired) | gap, no dropout | gap, dropout 0.5 |",
        "|---|---|---|---|",
    ]
    for j, n in enumerate(sizes):
        d = by_size[n].diff("accuracy", "no dropout", "dropout 0.5")
        lines.append(
            f"| {n} | {d.pp()} | {mean_ci(gaps['no dropout'][:, j]).pp()} "
            f"| {mean_ci(gaps['dropout 0.5'][:, j]).pp()} |"
        )
    return "\n".join(lines) + (
        "\n\nTraining accuracy: the final model on its own training images, in inference mode (dropout off)."
    )


def _epochs_to(res: Results, arm: str, level: float = 0.9) -> np.ndarray:
    """Per seed: the first epoch with training accuracy >= level."""
    return np.argmax(res.curves("accuracy", arm) >= level, axis=1) + 1


def random_labels(memorise: Mapping[str, Results]) -> str:
    """Page 4: training and test accuracy, and epochs to fit, on true and on random labels."""
    lines = [
        "| arm, labels | training accuracy | test accuracy "
        "| epochs to 90% training accuracy (logged while training) |",
        "|---|---|---|---|",
    ]
    for name, res in memorise.items():
        for arm in res.arms:
            lines.append(
                f"| {arm}, {name} | {mean_ci(res.extra('train_accuracy', arm)).pct()} "
                f"| {mean_ci(res.test('accuracy', arm)).pct()} "
                f"| {mean_ci(_epochs_to(res, arm)).fmt(0)} |"
            )
    random = memorise["random labels"]
    none = "no regularization"
    return "\n".join(lines) + (
        f"\n\nOn random labels the unregularized network reaches "
        f"{random.extra('train_accuracy', none).mean():.1%} "
        f"training accuracy and {random.test('accuracy', none).mean():.1%} test accuracy; chance is 10%. "
        "Training accuracy: the final model on its own training images, in inference mode (dropout off). "
        "The last column reads the accuracy logged during each training epoch (dropout on, where there is "
        "dropout)."
    )


def moving_statistics(rows: Sequence[Sequence[float]]) -> str:
    """Page 7: a BN layer's moving mean and its output in both modes, by training steps so far."""
    lines = [
        "| training steps so far | moving mean | output mean, training mode | output std, training mode "
        "| output mean, inference mode | output std, inference mode |",
        "|---|---|---|---|---|---|",
    ]
    for steps, *values in rows:
        lines.append(f"| {steps} | " + " | ".join(f"{np.round(v, 3) + 0.0:.3f}" for v in values) + " |")
    return "\n".join(lines) + "\n"


def bn_evaluated_early(early: Mapping[int, Results]) -> str:
    """Page 7: test accuracy in inference mode and with batch statistics, by momentum and epochs."""
    lines = [
        "| BN momentum, epochs trained "
        "| test accuracy: inference mode − batch statistics (paired) "
        "| test accuracy, inference mode | test accuracy, batch statistics |",
        "|---|---|---|---|",
    ]
    for epochs, res in early.items():
        for arm in res.arms:
            inference = res.extra("inference_mode", arm)
            batch = res.extra("batch_statistics", arm)
            d = paired_diff(batch, inference)
            lines.append(
                f"| {arm}, {epochs} epoch{'s' if epochs > 1 else ''} | {d.pp()} "
                f"| {mean_ci(inference).pct()} | {mean_ci(batch).pct()} |"
            )
    return "\n".join(lines) + "\n"


def learning_rate_tolerance(lr_sweep: Results, learning_rates: Sequence[float]) -> str:
    """Page 7: test accuracy and failed runs (below 50%) without and with BN, by learning rate."""
    lines = [
        "| learning rate | no BN: test accuracy | BN: test accuracy "
        "| no BN: runs that failed | BN: runs that failed |",
        "|---|---|---|---|---|",
    ]
    for lr in learning_rates:
        a, b = f"no BN, lr {lr:g}", f"BN, lr {lr:g}"
        acc = [lr_sweep.test("accuracy", arm) for arm in (a, b)]
        failed = [int(np.sum(x < 0.5)) for x in acc]
        lines.append(
            f"| {lr:g} | {mean_ci(acc[0]).pct()} | {mean_ci(acc[1]).pct()} "
            f"| {failed[0]} of {len(acc[0])} | {failed[1]} of {len(acc[1])} |"
        )
    return "\n".join(lines) + "\n"


def batch_statistics_noise(jitter: Mapping[int, tuple[float, float]]) -> str:
    """Page 7: how much one fixed input's normalised value varies across batches, by batch size."""
    lines = [
        "| batch size | normalised value of one fixed input: standard deviation across batches | its mean |",
        "|---|---|---|",
    ]
    for batch_size, (mean, std) in jitter.items():
        lines.append(f"| {batch_size} | {std:.3f} | {mean:.3f} |")
    return "\n".join(lines) + "\n"


def batch_size_noise(by_batch: Results, batch_sizes: Sequence[int]) -> str:
    """Page 7: with noisy labels, BN against no BN by batch size: test accuracy and wrong labels fitted."""
    lines = [
        "| batch size | BN − no BN (paired) | no BN: test accuracy | BN: test accuracy "
        "| no BN: wrong training labels reproduced | BN: wrong training labels reproduced |",
        "|---|---|---|---|---|---|",
    ]
    for b in batch_sizes:
        a, c = f"no BN, batch {b}", f"BN, batch {b}"
        acc = [mean_ci(by_batch.test("accuracy", arm)).pct() for arm in (a, c)]
        wrong = [mean_ci(by_batch.extra("wrong_labels_fitted", arm)).pct() for arm in (a, c)]
        lines.append(
            f"| {b} | {by_batch.diff('accuracy', a, c).pp()} | {acc[0]} | {acc[1]} "
            f"| {wrong[0]} | {wrong[1]} |"
        )
    return "\n".join(lines) + (
        "\n\nThe last two columns evaluate each final model on its own training split in inference mode "
        "(`training=False`): the share of the deliberately wrong labels it predicts."
    )


def sigmoid_heads(heads: Results) -> str:
    """Pitfalls 002: Keras `accuracy`, argmax accuracy and test cross-entropy of each output head."""
    lines = [
        "| arm | Keras `accuracy` | argmax accuracy | test cross-entropy (without the L2 penalty) |",
        "|---|---|---|---|",
    ]
    for arm in heads.arms:
        lines.append(
            f"| {arm} | {mean_ci(heads.test('accuracy', arm)).pct()} "
            f"| {mean_ci(heads.extra('argmax_accuracy', arm)).pct()} "
            f"| {_loss(mean_ci(heads.test('data_loss', arm)))} |"
        )
    return "\n".join(lines) + "\n"


def _loss(d: MeanCI) -> str:
    """A cross-entropy and its CI: three decimals, or scientific notation when huge."""
    if abs(d.mean) < 1e4:
        return d.fmt(3)
    return f"{d.mean:.2e} (95% CI {d.low:.2e} to {d.high:.2e})"


def max_val_optimism(
    arms: Sequence[str],
    honest: Mapping[str, np.ndarray],
    reported: Mapping[str, np.ndarray],
    optimism: Mapping[str, np.ndarray],
) -> str:
    """Pitfalls 003: per arm, test accuracy at the best validation epoch against the maximum reported."""
    lines = [
        "| arm | test accuracy at that epoch | reported: max val accuracy | optimism |",
        "|---|---|---|---|",
    ]
    for arm in arms:
        lines.append(
            f"| {arm} | {mean_ci(honest[arm]).pct()} | {mean_ci(reported[arm]).pct()} "
            f"| {mean_ci(optimism[arm]).pp()} |"
        )
    return "\n".join(lines) + "\n"


def label_leak(scores: Mapping[str, np.ndarray]) -> str:
    """Pitfalls 000: test accuracy of seed 000's models on each table, clean or leaky."""
    lines = ["| table (seed 000's models, 10 epochs) | test accuracy |", "|---|---|"]
    for name, values in scores.items():
        lines.append(f"| {name} | {mean_ci(values).pct()} |")
    return "\n".join(lines) + "\n"


def regularized_arms(results: Results, base: str) -> str:
    """Pitfalls 004: per arm, test and training accuracy, test cross-entropy and the paired change vs base."""
    lines = [
        "| arm | test accuracy | training accuracy (final model, dropout off) "
        "| test cross-entropy | Δ accuracy vs none | Δ cross-entropy vs none |",
        "|---|---|---|---|---|---|",
    ]
    for arm in results.arms:
        delta = (
            ("—", "—")
            if arm == base
            else (results.diff("accuracy", base, arm).pp(), results.diff("data_loss", base, arm).delta(3))
        )
        lines.append(
            f"| {arm} | {mean_ci(results.test('accuracy', arm)).pct()} "
            f"| {mean_ci(results.extra('train_accuracy', arm)).pct()} "
            f"| {mean_ci(results.test('data_loss', arm)).fmt(3)} | {delta[0]} | {delta[1]} |"
        )
    return "\n".join(lines) + "\n"


def regularization_remedies(overfit: Mapping[str, Results]) -> str:
    """Page 1: per arm and setting, test accuracy and loss, train − test gap and the paired change vs none."""
    none = "no regularization"
    lines = [
        "| arm, setting | test accuracy | test cross-entropy | train − test accuracy "
        "| Δ accuracy vs none | Δ cross-entropy vs none |",
        "|---|---|---|---|---|---|",
    ]
    for name, res in overfit.items():
        for arm in res.arms:
            gap = res.extra("train_accuracy", arm) - res.test("accuracy", arm)
            paired = (
                ("", "")
                if arm == none
                else (res.diff("accuracy", none, arm).pp(), res.diff("data_loss", none, arm).delta(3))
            )
            lines.append(
                f"| {arm}, {name} | {mean_ci(res.test('accuracy', arm)).pct()} "
                f"| {mean_ci(res.test('data_loss', arm)).fmt(3)} | {mean_ci(gap).pp()} "
                f"| {paired[0]} | {paired[1]} |"
            )
    return "\n".join(lines) + (
        "\n\nDifferences are paired by seed, with 95% confidence intervals. Train accuracy is that of the "
        "model that is tested (early stopping's restored weights), on its 200 training images in "
        "inference mode, against their labels as given: 30% of them are wrong in the noisy setting. "
        "Test labels are clean."
    )


def bias_variance_decomposition(decomposition: np.ndarray) -> str:
    """Page 2: per ridge strength λ, the three error terms, their sum and the measured test error."""
    lam, total, measured = decomposition[:, [0, 4, 5]].T
    best = int(total.argmin())
    lines = [
        "| λ | bias² + variance + noise | bias² | variance | noise | measured test MSE |",
        "|---|---|---|---|---|---|",
    ]
    for lam_, *errors in decomposition[:, [0, 4, 1, 2, 3, 5]]:
        lines.append(f"| {lam_:g} | " + " | ".join(f"{v:.4f}" for v in errors) + " |")
    return "\n".join(lines) + (
        f"\n\nThe total error is lowest at λ = {lam[best]:g} ({total[best]:.3f}): "
        f"{total[0] / total[best]:.2f}× lower than with almost no penalty and "
        f"{total[-1] / total[best]:.1f}× lower than with the strongest. "
        f"The sum of the three terms matches the directly measured test error within "
        f"{max(abs(total - measured) / measured):.1%}."
    )


def penalty_gradients(rows: Sequence[tuple[str, float, np.ndarray]], by_hand: Mapping[str, float]) -> str:
    """Page 3: each Keras regularizer's penalty and gradient, against the penalty computed by hand."""
    lines = [
        "| regularizer | penalty (Keras) | penalty (by hand) | gradient (Keras) |",
        "|---|---|---|---|",
    ]
    for name, value, grad in rows:
        gradient = ", ".join(f"{g + 0.0:.4f}" for g in np.round(grad, 4))  # + 0.0: no "-0.0000"
        lines.append(f"| `{name}` | {value:.4f} | {by_hand[name]:.4f} | [{gradient}] |")
    return "\n".join(lines) + "\n"


def sparse_first_layer(sparse: Results) -> str:
    """Page 3: per penalty, test accuracy, (near-)zero first-layer weights and the features it uses most."""
    lines = [
        "| penalty | test accuracy | weights exactly 0 | weights with \\|w\\| < 1e-3 "
        "| 5 most-used features (seed 0) | informative features among them |",
        "|---|---|---|---|---|---|",
    ]
    for arm in sparse.arms:
        top = sparse.extra("top5_features", arm)
        hits = np.array([len(set(t) & set(range(5))) for t in top])
        lines.append(
            f"| {arm} | {mean_ci(sparse.test('accuracy', arm)).pct()} "
            f"| {sparse.extra('exactly_zero', arm).mean():.1%} "
            f"| {mean_ci(sparse.extra('below_1e-3', arm)).pct()} "
            f"| {sorted(top[0].tolist())} "
            f"| {hits.mean():.1f} of 5 (mean over seeds) |"
        )
    return "\n".join(lines) + "\n"


class _LinearClassifier(Protocol):
    """A fitted scikit-learn linear classifier."""

    coef_: np.ndarray

    def score(self, X: np.ndarray, y: np.ndarray) -> float: ...


def exact_zeros(models: Sequence[tuple[str, _LinearClassifier]], split: data.Split) -> str:
    """Page 3: per fitted L1 model, its exactly-zero coefficients, the features kept and test accuracy."""
    lines = ["| method | coefficients exactly 0 | non-zero features | test accuracy |", "|---|---|---|---|"]
    for name, model in models:
        nonzero = np.flatnonzero(model.coef_[0])
        shown = nonzero.tolist() if len(nonzero) <= 12 else nonzero[:12].tolist() + ["…"]
        lines.append(
            f"| {name} | {np.mean(model.coef_ == 0):.0%} | {shown} "
            f"| {model.score(split.x_test, split.y_test):.3f} |"
        )
    return "\n".join(lines) + "\n"


def dropout_conventions(
    keras_train_mean: np.ndarray,
    keras_inference: np.ndarray,
    paper_train_mean: np.ndarray,
    paper_test: np.ndarray,
) -> str:
    """Page 5: the next layer's output under Keras's and the paper's dropout, in training and at inference."""
    lines = ["| next layer's output | unit 1 | unit 2 | unit 3 |", "|---|---|---|---|"]
    for name, out in [
        ("Keras, mean over 20,000 training masks", keras_train_mean),
        ("Keras, inference (identity)", keras_inference),
        ("paper, mean over the same masks, unscaled", paper_train_mean),
        ("paper, test time with weights × p", paper_test),
    ]:
        lines.append(f"| {name} | " + " | ".join(f"{v:.3f}" for v in out) + " |")
    return "\n".join(lines) + "\n"


def dropout_rate_sweep(sweeps: Mapping[str, Results]) -> str:
    """Page 5: per rate and setting, accuracies, wrong labels reproduced, best val loss and time per epoch."""
    lines = [
        "| rate, setting | test accuracy | training accuracy, dropout off "
        "| training accuracy logged with dropout on | wrong training labels reproduced "
        "| best validation loss | epoch of best validation loss "
        "| s / epoch | s / epoch against rate 0 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, s in sweeps.items():
        base = s.seconds_per_epoch("rate 0.0")
        for a in s.arms:
            best_val = np.nanmin(s.curves("val_loss", a), axis=1)
            memorised = mean_ci(s.extra("memorised", a)).pct() if name == "30% label noise" else "–"
            lines.append(
                f"| {a}, {name} | {mean_ci(s.test('accuracy', a)).pct()} "
                f"| {mean_ci(s.extra('train_accuracy', a)).pct()} "
                f"| {mean_ci(s.final('accuracy', a)).pct()} "
                f"| {memorised} | {mean_ci(best_val).fmt(3)} | {mean_ci(s.best_epoch(a)).fmt(0)} "
                f"| {mean_ci(s.seconds_per_epoch(a)).fmt(4)} "
                f"| {(s.seconds_per_epoch(a) / base).mean():.2f}× |"
            )
    return "\n".join(lines) + "\n"


def mc_dropout(sweeps: Mapping[str, Results]) -> str:
    """Page 5: per rate and setting, accuracy, loss and confidence of one deterministic pass and of MC."""
    lines = [
        "| rate, setting | test accuracy, one deterministic pass "
        "| test accuracy, mean of 50 passes | test loss, deterministic | test loss, MC "
        "| confidence, deterministic | confidence, MC |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s in sweeps.items():
        for a in s.arms[1:]:
            cells = []
            for metric in ("accuracy", "loss", "confidence"):
                for kind in ("deterministic", "mc"):
                    m = mean_ci(s.extra(f"{kind}_{metric}", a))
                    cells.append(m.fmt(3) if metric == "loss" else m.pct())
            lines.append(f"| {a}, {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n\nConfidence is the mean probability of the predicted class."


def stopping_rules(outcomes: Mapping[str, Mapping[str, tuple[np.ndarray, np.ndarray]]]) -> str:
    """Page 6: per stopping rule and setting, test accuracy and the epoch it stops at."""
    lines = ["| rule, setting | test accuracy | stop epoch |", "|---|---|---|"]
    for setting, rows in outcomes.items():
        for name, (acc, stops) in rows.items():
            acc_ci, stop_ci = mean_ci(acc).pct(), mean_ci(stops).fmt(0)
            lines.append(f"| {name}, {setting} | {acc_ci} | {stop_ci} |")
    return "\n".join(lines) + "\n"


def early_stopping_vs_l2(rows: Sequence[tuple[int, float, float, float, float]]) -> str:
    """Page 6: per number of GD steps, the early-stopped weights against the matching ridge solution."""
    lines = [
        "| GD steps τ, matching α = 1/(ετ) | ‖w_stop − w_L2‖ / ‖w_L2‖ | ‖w_stop‖ / ‖w_∞‖ | ‖w_L2‖ / ‖w_∞‖ |",
        "|---|---|---|---|",
    ]
    for steps, alpha, gap, norm_stop, norm_l2 in rows:
        label = f"τ = {steps}, α = {alpha:.4f}"
        lines.append(f"| {label} | {gap:.1%} | {norm_stop:.3f} | {norm_l2:.3f} |")
    gaps = [r[2] for r in rows]
    return "\n".join(lines) + (
        f"\n\nAcross {len(rows)} stopping times the early-stopped weights stay within "
        f"{min(gaps):.0%}–{max(gaps):.0%} of the matching ridge solution, and both grow towards "
        "the unregularized solution as τ grows and α shrinks."
    )


def technique_grid(grid: Mapping[str, Results], techniques: Collection[str]) -> str:
    """Page 9: per technique and setting, test accuracy, the paired change vs none, time and epochs."""
    lines = [
        "| technique, setting | test accuracy | Δ vs none (paired) | s / epoch | epochs trained |",
        "|---|---|---|---|---|",
    ]
    for name, res in grid.items():
        for t in techniques:
            delta = "" if t == "none" else res.diff("accuracy", "none", t).pp()
            epochs = np.array([r.epochs_run for r in res.runs[t]])
            lines.append(
                f"| {t}, {name} | {mean_ci(res.test('accuracy', t)).pct()} | {delta} "
                f"| {mean_ci(res.seconds_per_epoch(t)).fmt(4)} | {mean_ci(epochs).fmt(0)} |"
            )
    return "\n".join(lines) + "\n"


def _training_seconds(res: Results, t: str) -> float:
    """Mean over seeds of an arm's total training time: epochs run × seconds per epoch."""
    return float(
        np.mean([r.epochs_run * s for r, s in zip(res.runs[t], res.seconds_per_epoch(t), strict=True)])
    )


def decision_table(
    grid: Mapping[str, Results],
    techniques: Collection[str],
    family: Mapping[tuple[str, str], Comparison],
) -> str:
    """Page 9: per setting, Holm-corrected verdicts, the best mean and the cheapest within noise of it."""
    others = list(techniques)[1:]
    lines = [
        "| setting | helps (Δ points) | no detectable effect | hurts | best mean "
        "| cheapest within noise of the best |",
        "|---|---|---|---|---|---|",
    ]
    for name, res in grid.items():
        verdicts: dict[str, list[str]] = {v: [] for v in ("helps", "no detectable effect", "hurts")}
        for t in others:
            c = family[name, t]
            verdicts[c.verdict].append(f"{t} ({c.diff.mean * 100:+.1f})")
        best = max(techniques, key=lambda t: res.test("accuracy", t).mean())
        tied = [t for t in techniques if t == best or not res.diff("accuracy", best, t).high < 0]
        cheapest = min(tied, key=lambda t: _training_seconds(res, t))
        epochs = np.mean([r.epochs_run for r in res.runs[cheapest]])
        lines.append(
            f"| {name} | {', '.join(verdicts['helps']) or '—'} "
            f"| {', '.join(verdicts['no detectable effect']) or '—'} "
            f"| {', '.join(verdicts['hurts']) or '—'} | {best} "
            f"| {cheapest} ({_training_seconds(res, cheapest):.1f} s, {epochs:.0f} epochs) |"
        )
    unadjusted = sum(c.diff.excludes_zero for c in family.values())
    adjusted = sum(c.verdict != "no detectable effect" for c in family.values())
    return "\n".join(lines) + (
        f"\n\nOf the {len(family)} comparisons, {unadjusted} have a 95% CI that excludes zero on its own; "
        f"{adjusted} stay detectable after Holm's correction."
    )


def adam_l2_vs_adamw(
    lam: float,
    steps: int,
    sgd_l2: np.ndarray,
    sgd_wd: np.ndarray,
    adam_l2: np.ndarray,
    adamw: np.ndarray,
) -> str:
    """Page 9: the steep and the flat weight after training with an L2 penalty or with weight decay."""
    lines = [
        "| optimizer | weight with steep loss (gradient scale 100) | weight with flat loss (scale 1) |",
        "|---|---|---|",
    ]
    for name, w in [
        (f"SGD + L2({lam}) in the loss", sgd_l2),
        (f"SGD, weight_decay={2 * lam}", sgd_wd),
        (f"Adam + L2({lam}) in the loss", adam_l2),
        (f"AdamW, weight_decay={2 * lam}", adamw),
    ]:
        lines.append(f"| {name} | {w[0]:.4f} | {w[1]:.4f} |")
    return "\n".join(lines) + (
        f"\n\nBoth weights start at 1 and see a zero-mean data gradient for {steps} steps. Under SGD, the "
        f"penalty and weight decay give the same weights (largest difference "
        f"{np.max(np.abs(sgd_l2 - sgd_wd)):.1e}). Under Adam, the L2 penalty leaves the steep weight at "
        f"{adam_l2[0]:.3f} while AdamW decays both weights to {adamw[0]:.3f} and {adamw[1]:.3f}."
    )


def _agreement(c: Comparison) -> str:
    if c.verdict == "no detectable effect":
        return "no detectable difference"
    return "ours higher" if c.diff.mean > 0 else "ours lower"


def versus_paper(
    rows: Mapping[str, tuple[np.ndarray, tuple[float, float, int]]], family: Mapping[str, Comparison]
) -> str:
    """Benchmarks: our test accuracy beside the published mean ± SD, with Welch's difference
    and the Holm-corrected verdict."""
    runs = {n for _, (_, _, n) in rows.values()}
    label = f"published (mean ± SD, {runs.pop()} runs)" if len(runs) == 1 else "published (mean ± SD)"
    lines = [
        f"| model, data | verdict (Holm) | ours | {label} | ours − published |",
        "|---|---|---|---|---|",
    ]
    for name, (ours, (mean, sd, _)) in rows.items():
        c = family[name]
        lines.append(
            f"| {name} | {_agreement(c)} | {mean_ci(ours).pct()} "
            f"| {mean * 100:.0f} ± {sd * 100:.0f}% | {c.diff.pp()} |"
        )
    return "\n".join(lines) + "\n"


def transfer_grid(
    digits: Mapping[str, Comparison],
    rows: Sequence[tuple[str, str, Mapping[str, Comparison]]],
    digits_setting: tuple[str, str] = ("8×8 digits, 800 clean", "2×256 MLP"),
) -> str:
    """Page 9: one row per dataset × architecture × technique with its verdict against
    none (Holm-corrected within its own experiment), and whether it matches the verdict
    for the same technique on the digits."""
    lines = [
        "| dataset | architecture | technique | verdict: Δ test accuracy vs none "
        "| does the digits finding transfer? |",
        "|---|---|---|---|---|",
    ]
    for t, c in digits.items():
        dataset, architecture = digits_setting
        lines.append(
            f"| {dataset} | {architecture} | {t} | {c.verdict}: {c.diff.pp()} | (the digits finding) |"
        )
    for dataset, architecture, family in rows:
        for t, c in family.items():
            d = digits.get(t)
            same = "not measured on digits" if d is None else ("yes" if d.verdict == c.verdict else "no")
            lines.append(f"| {dataset} | {architecture} | {t} | {c.verdict}: {c.diff.pp()} | {same} |")
    return "\n".join(lines) + "\n"


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
        f"| technique | does the digits finding transfer? | MNIST-1D, Δ vs none | digits, {digits_setting} |",
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


def versus_none(results: Results, family: Mapping[str, Comparison], baseline: str = "none") -> str:
    """Benchmarks (real MNIST): per arm, test accuracy and last-epoch training accuracy
    (the epoch's running mean, with dropout and augmentation active), then each arm's
    Holm-corrected difference from ``baseline``."""
    lines = [
        f"| arm ({len(results.seeds)} seeds) | test accuracy "
        "| training accuracy during the last epoch (dropout and augmentation active) "
        f"| Δ test accuracy vs {baseline} | verdict (Holm over {len(family)}) |",
        "|---|---|---|---|---|",
    ]
    for arm in results.arms:
        c = family.get(arm)
        last = [r.history["accuracy"][-1] for r in results.runs[arm]]
        lines.append(
            f"| {arm} | {mean_ci(results.test('accuracy', arm)).pct()} | {mean_ci(last).pct()} "
            f"| {c.diff.pp() if c else '—'} | {c.verdict if c else '—'} |"
        )
    return "\n".join(lines) + "\n"


def first_fit(training_error: np.ndarray) -> int | None:
    """Index of the first width whose training error is 0 in every seed (a ``(seeds,
    widths)`` array), or None when none is."""
    fits = np.flatnonzero(np.all(training_error == 0, axis=0))
    return int(fits[0]) if len(fits) else None


def descent_landmarks(test_error: np.ndarray, training_error: np.ndarray) -> tuple[int, int]:
    """Indices of the lowest mean test error among the widths that do not yet fit their
    training labels in every seed, and of the highest mean test error from there on."""
    fit = first_fit(training_error)
    mean = test_error.mean(axis=0)
    low = int(mean[: max(len(mean) if fit is None else fit, 1)].argmin())
    return low, low + int(mean[low:].argmax())


def double_descent(
    widths: Sequence[int],
    test_error: np.ndarray,
    training_error: np.ndarray,
    paper: Mapping[str, tuple[Sequence[int], Sequence[float]]],
) -> str:
    """Page 2: the curve's landmarks, ours (mean test error and 95% CI over seeds, from
    ``(seeds, widths)`` arrays) beside the paper's values read from its figure."""
    fit = first_fit(training_error)
    low, peak = descent_landmarks(test_error, training_error)

    def ours(i: int) -> str:
        return f"n = {widths[i]}: {mean_ci(test_error[:, i]).pct()}"

    def theirs(key: str) -> str:
        xs, ys = paper[key]
        at = "–".join(f"{x:g}" for x in xs)
        return f"n ≈ {at}: about {100 * ys[0]:g}%"

    keys = list(paper)
    rows = [
        ("lowest test error before the training labels are fitted", ours(low), theirs(keys[0])),
        ("peak test error", ours(peak), theirs(keys[1])),
        (
            "training error 0 in every seed, from",
            "never" if fit is None else f"n = {widths[fit]}",
            f"n ≈ {'–'.join(f'{x:g}' for x in paper[keys[1]][0])} (at the peak)",
        ),
        ("widest model", ours(len(widths) - 1), theirs(keys[2])),
    ]
    lines = [
        f"| landmark | ours ({test_error.shape[0]} seeds) | the paper's (read from its figure) |",
        "|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines) + "\n"
