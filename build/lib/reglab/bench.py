"""Benchmark: the lab's engine against naive ``model.fit``, on the same experiment, in
one run. Prints wall times, the speed-up, metric agreement and achieved GFLOP/s."""

from __future__ import annotations

import time

import keras
import numpy as np

from . import workers
from .data import DataSpec, load
from .stats import mean_ci, paired_diff
from .workers import Job

SPEC = DataSpec(n_train=500, label_noise=0.3)
WIDTH, EPOCHS, BATCH, SEEDS = 256, 40, 32, 4


def build(dropout: float = 0.5) -> keras.Model:
    """The page-8 model: 2x256 ReLU MLP with Dropout(0.5)."""
    model = keras.Sequential([keras.Input(shape=(64,))])
    for _ in range(2):
        model.add(keras.layers.Dense(WIDTH, activation="relu"))
        model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _flops_per_run(n_train: int, n_val: int, n_test: int) -> float:
    """Matmul FLOPs: 2 per multiply-add forward, about 3x that for a training step."""
    macs = 64 * WIDTH + WIDTH * WIDTH + WIDTH * 10
    return EPOCHS * (6 * macs * n_train + 2 * macs * n_val) + 2 * macs * n_test


def matmul_peak(n: int = 2048, repeats: int = 5) -> float:
    """Best float32 numpy matmul throughput on this machine, in GFLOP/s."""
    a = np.random.default_rng(0).random((n, n), dtype=np.float32)
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        a @ a
        best = min(best, time.perf_counter() - t0)
    return 2 * n**3 / best / 1e9


def _naive(seed: int) -> tuple[float, dict[str, float]]:
    split = load(SPEC, seed)
    keras.utils.set_random_seed(seed)
    model = build()
    t0 = time.perf_counter()
    model.fit(
        split.x_train,
        split.y_train,
        validation_data=(split.x_val, split.y_val),
        epochs=EPOCHS,
        batch_size=BATCH,
        verbose=0,
    )
    test = model.evaluate(split.x_test, split.y_test, verbose=0, return_dict=True)
    return time.perf_counter() - t0, test


def _engine(seed: int, arm: str = "bench") -> tuple[float, dict[str, float]]:
    """One run as the build trains it: the arm's first run traces, later ones reuse it.
    Timed whole, data and model building included."""
    result, seconds = workers.run_job(Job(build, {}, SPEC, seed, EPOCHS, BATCH, None, arm=arm))
    return seconds, result.test


def _pooled() -> tuple[np.ndarray, np.ndarray]:
    """All seeds through the worker pool, timed as one batch (the pool is warmed first)."""
    jobs = {seed: Job(build, {}, SPEC, seed, EPOCHS, BATCH, None, arm="pooled") for seed in range(SEEDS)}
    list(
        workers.train_all(
            {-1: Job(build, {}, SPEC, 99, 2, BATCH, None), -2: Job(build, {}, SPEC, 98, 2, BATCH, None)}
        )
    )
    t0 = time.perf_counter()
    done = {seed: result for seed, result, _ in workers.train_all(jobs)}
    wall = time.perf_counter() - t0
    accuracy = np.array([done[seed].test["accuracy"] for seed in range(SEEDS)])
    print(f"  reglab engine, {workers.count()} workers: {SEEDS} seeds in {wall:.2f} s", flush=True)
    return np.full(SEEDS, wall / SEEDS), accuracy


def main() -> int:
    split = load(SPEC, 0)
    flops = _flops_per_run(len(split.y_train), len(split.y_val), len(split.y_test))
    print(
        f"benchmark: page-8 model (2x{WIDTH} MLP, dropout 0.5) on {len(split.y_train)} noisy digits, "
        f"batch {BATCH}, {EPOCHS} epochs with per-epoch validation, {SEEDS} seeds",
        flush=True,
    )
    rows = {}
    # Each path first trains a throw-away run: TensorFlow's first-use costs are neither's.
    paths = (
        ("model.fit (naive)", _naive, lambda: _naive(99)),
        ("reglab engine", _engine, lambda: _engine(99, arm="")),
    )
    for name, fn, warm_up in paths:
        warm_up()
        timings, accuracy = [], []
        for seed in range(SEEDS):
            seconds, test = fn(seed)
            timings.append(seconds)
            accuracy.append(test["accuracy"])
            print(f"  {name}: seed {seed + 1}/{SEEDS} {seconds:.2f} s", flush=True)
        rows[name] = (np.array(timings), np.array(accuracy))
    rows[f"engine, {workers.count()} workers"] = _pooled()
    peak = matmul_peak()
    print()
    print(f"{'path':<20} {'wall s (all seeds)':>18} {'s / epoch':>10} {'GFLOP/s':>8} {'test accuracy':>16}")
    for name, (timings, accuracy) in rows.items():
        print(
            f"{name:<20} {timings.sum():>18.2f} {timings.mean() / EPOCHS:>10.4f} "
            f"{flops / timings.mean() / 1e9:>8.2f} {mean_ci(accuracy).fmt(3):>16}"
        )
    (t_fit, a_fit), (t_eng, a_eng), (t_pool, a_pool) = rows.values()
    diff = paired_diff(a_fit, a_eng)
    print()
    print(f"speed-up, engine in one process against naive fit: {t_fit.sum() / t_eng.sum():.1f}x")
    print(
        f"speed-up, engine with {workers.count()} workers against naive fit: "
        f"{t_fit.sum() / t_pool.sum():.1f}x"
    )
    print(
        f"metric agreement: test accuracy engine − fit = {diff.fmt(4)} (95% CI {diff.low:+.4f} to "
        f"{diff.high:+.4f}); {'agree' if not diff.excludes_zero else 'DIFFER'} within seed-to-seed noise; "
        f"pooled and one-process engine runs identical: {np.array_equal(a_eng, a_pool)}"
    )
    share = {name: flops / timings.mean() / 1e9 / peak for name, (timings, _) in rows.items()}
    print(
        f"numpy float32 matmul peak: {peak:.1f} GFLOP/s; "
        + ", ".join(f"{name} reaches {s:.1%} of it" for name, s in share.items())
    )
    return 0
