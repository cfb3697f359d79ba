"""Train runs on both cores: a pool of worker processes, each importing TensorFlow once
and reused for the whole build. Each run is seeded on its own, so a run gives the same
numbers in a worker as in the main process.

``REGLAB_WORKERS`` sets the pool size (default: the number of cores, at most 2 here);
``REGLAB_WORKERS=1`` trains in the calling process.
"""

from __future__ import annotations

import concurrent.futures as cf
import importlib.util
import multiprocessing
import os
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import cloudpickle

from . import config
from .data import DataSpec, load
from .engine import EarlyStop, Loops, RunResult, adopt, built, loops_for, set_random_seed, train, uses_xla

_pool: cf.ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()
_KEEP = 32  # traced models kept per process, most recently used first
_BATCH = 5  # at most this many seeds of one arm are sent to a worker together
_traced: OrderedDict[str, tuple[Any, Loops]] = OrderedDict()
_here = threading.Lock()  # held while a run trains in this process


@dataclass(frozen=True)
class Job:
    """One run: an arm's builder and parameters on one seed."""

    build: Callable[..., Any]
    params: dict[str, Any]
    data: DataSpec
    seed: int
    epochs: int
    batch_size: int
    early_stop: EarlyStop | None
    track_test: bool = False
    probe: Callable[..., dict[str, Any]] | None = None
    # Identifies the model across seeds and experiments: runs whose builder, parameters and
    # batch size agree share a traced model (and, with "", a run traces its own).
    arm: str = ""


def _traced_model(job: Job, fresh: Any, split: Any) -> tuple[Any, Loops]:
    """A model of this arm whose loops are already traced, given ``fresh``'s initial state;
    else ``fresh`` itself, prepared, with new loops, kept for the arm's next run.

    Tracing costs about as much as 15 epochs of a small model, so it is done once per arm
    and process, and the arm's runs in other experiments (other data, epochs or stopping
    rules) reuse it too: the loops take the data as arguments, and a new shape traces
    anew. Only whether the epoch is compiled by XLA, which depends on the run's length,
    must agree. Starting from the same state, the traced model computes what ``fresh``
    would, number for number: replicates stay independent."""
    import keras

    xla = built(fresh) and uses_xla(fresh, job.epochs, len(split.y_train), job.batch_size)
    name = f"{job.arm} xla={xla}" if job.arm else ""
    kept = _traced.get(name) if name else None
    if kept is not None and built(fresh):
        fresh.optimizer.build(fresh.trainable_variables)  # its initial state, to copy
        if adopt(kept[0], fresh):
            _traced.move_to_end(name)
            return kept
    loops = loops_for(fresh, split, job.epochs, job.batch_size)
    if name:
        _traced[name] = (fresh, loops)
        if len(_traced) > _KEEP:
            _traced.popitem(last=False)
            keras.backend.clear_session()
    return fresh, loops


def run_job(job: Job) -> tuple[RunResult, float]:
    """Train one run here; returns the result and the wall time it took."""
    t0 = time.perf_counter()
    split = load(job.data, job.seed)
    set_random_seed(job.seed)
    model, loops = _traced_model(job, job.build(**job.params), split)
    result = train(
        model,
        split,
        epochs=job.epochs,
        batch_size=job.batch_size,
        seed=job.seed,
        early_stop=job.early_stop,
        track_test=job.track_test,
        probe=job.probe,
        loops=loops,
    )
    return result, time.perf_counter() - t0


def _run_pickled(payload: bytes) -> list[tuple[RunResult, float]]:
    return [run_job(job) for job in cloudpickle.loads(payload)]


def _exit_with(parent: int) -> None:
    """Exit once ``parent`` is gone: a killed build leaves no worker training on."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _init_worker(parent: int) -> None:
    import reglab  # noqa: F401  (sets TensorFlow's environment, imports it once)

    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def count() -> int:
    """How many worker processes to use (``REGLAB_WORKERS``)."""
    return config.workers()


def _get_pool(n: int) -> cf.ProcessPoolExecutor:
    global _pool
    with _pool_lock:  # experiments may start from several threads
        if _pool is not None:
            return _pool
        context = multiprocessing.get_context("spawn")  # never fork a process that runs TensorFlow
        _pool = cf.ProcessPoolExecutor(
            max_workers=n, mp_context=context, initializer=_init_worker, initargs=(os.getpid(),)
        )
        return _pool


def _ship_by_value(func: Callable[..., Any] | None) -> None:
    """Builders defined in a page, a notebook or ``runpy.run_path`` live in modules that a
    worker cannot import: send their code by value instead of by reference."""
    name = getattr(func, "__module__", None)
    module = sys.modules.get(name or "")
    if module is None or name == "__main__":
        return
    try:
        importable = importlib.util.find_spec(name) is not None
    except (ValueError, ImportError):
        importable = False
    if not importable:
        cloudpickle.register_pickle_by_value(module)


def _batches(jobs: dict[Any, Job], n: int) -> list[list[tuple[Any, Job]]]:
    """The jobs in batches for the pool, each batch a few seeds of one arm in seed order:
    a worker traces (or XLA-compiles) each arm once rather than every worker doing it.
    Up to :data:`_BATCH` seeds a batch, and at least ``n`` batches when there are ``n``
    jobs to share between ``n`` workers."""
    arms: dict[str, list[tuple[Any, Job]]] = {}
    for key, job in jobs.items():
        arms.setdefault(job.arm or f"unshared {key!r}", []).append((key, job))
    parts = max(1, -(-n // len(arms)))  # split each arm this many ways at least
    batches = []
    for runs in arms.values():
        k = max(parts, -(-len(runs) // _BATCH))
        size = -(-len(runs) // k)
        batches += [runs[i : i + size] for i in range(0, len(runs), size)]
    return batches


def train_all(jobs: dict[Any, Job]) -> Iterator[tuple[Any, RunResult, float]]:
    """Train every job, yielding ``(key, result, seconds)`` as each finishes."""
    n = count()
    if n == 1 or len(jobs) < 2:
        for key, job in jobs.items():
            with _here:  # seeding is process-wide: one run at a time in this process
                done = run_job(job)
            yield (key, *done)
        return
    for job in jobs.values():
        _ship_by_value(job.build)
        _ship_by_value(job.probe)
    pool = _get_pool(n)
    futures = {
        pool.submit(_run_pickled, cloudpickle.dumps([job for _, job in batch])): [key for key, _ in batch]
        for batch in _batches(jobs, n)
    }
    try:
        for future in cf.as_completed(futures):
            for key, done in zip(futures[future], future.result(), strict=True):
                yield (key, *done)
    except BaseException:
        for future in futures:
            future.cancel()
        raise
