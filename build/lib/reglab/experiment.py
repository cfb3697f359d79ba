"""Run a paired, multi-seed comparison: every arm sees the same split and the same
initial seed in each replicate; results come from the cache when nothing changed."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import keras
import numpy as np

from . import cache, config, workers
from .data import DataSpec
from .engine import EarlyStop, RunResult
from .stats import MeanCI, paired_diff
from .workers import Job

REGISTRY: list[Results] = []  # every experiment run in this process, in order
_registry_lock = threading.Lock()
_collecting = threading.local()  # .results: what this thread's experiments are added to


@contextlib.contextmanager
def collected() -> Iterator[list[Results]]:
    """The experiments that this thread runs inside the block, in order."""
    _collecting.results = found = []
    try:
        yield found
    finally:
        del _collecting.results


@dataclass(frozen=True)
class Arm:
    """One arm: keyword arguments for the builder, optional early stopping, and an
    optional batch size that overrides the experiment's."""

    params: Mapping[str, Any] = field(default_factory=dict)
    early_stop: EarlyStop | None = None
    batch_size: int | None = None


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise config.ConfigError(f"{name}={value!r} must be a positive integer")
    return int(value)


def _progress(message: str) -> None:
    if not config.quiet():
        sys.stderr.write(f"reglab: {message}\n")
        sys.stderr.flush()


@dataclass
class Results:
    """All runs of one experiment, by arm, in seed order."""

    name: str
    runs: dict[str, list[RunResult]]
    seeds: list[int]
    cached: int  # how many runs came from the cache

    @property
    def arms(self) -> list[str]:
        return list(self.runs)

    def test(self, metric: str, arm: str) -> np.ndarray:
        """Test-split ``metric`` per seed, evaluated once after training."""
        return np.array([r.test[metric] for r in self.runs[arm]])

    def curves(self, metric: str, arm: str) -> np.ndarray:
        """Per-epoch ``metric`` as (seeds, epochs); NaN after an early stop."""
        runs = self.runs[arm]
        width = max(len(r.history[metric]) for r in runs)
        out = np.full((len(runs), width), np.nan)
        for i, r in enumerate(runs):
            out[i, : len(r.history[metric])] = r.history[metric]
        return out

    def final(self, metric: str, arm: str) -> np.ndarray:
        """``metric`` at the last epoch trained, per seed."""
        return np.array([r.history[metric][-1] for r in self.runs[arm]])

    def extra(self, key: str, arm: str) -> np.ndarray:
        """What the experiment's probe measured on each seed's final model."""
        return np.array([r.extra[key] for r in self.runs[arm]])

    def best_epoch(self, arm: str) -> np.ndarray:
        return np.array([r.best_epoch for r in self.runs[arm]])

    def seconds_per_epoch(self, arm: str) -> np.ndarray:
        return np.array([r.seconds_per_epoch for r in self.runs[arm]])

    def diff(self, metric: str, baseline: str, treatment: str) -> MeanCI:
        """Paired test-split difference ``treatment - baseline`` with its 95% CI."""
        return paired_diff(self.test(metric, baseline), self.test(metric, treatment))

    def numbers(self) -> dict[str, list[dict]]:
        """Everything measured except wall-clock time: what must be identical across builds."""
        return {
            arm: [{"history": r.history, "test": r.test, "best_epoch": r.best_epoch} for r in runs]
            for arm, runs in self.runs.items()
        }

    @property
    def compute_seconds(self) -> float:
        """Training time of all runs, as measured when they were trained."""
        return float(sum(r.seconds_total for runs in self.runs.values() for r in runs))


def run(
    name: str,
    build: Callable[..., keras.Model],
    arms: Mapping[str, Mapping[str, Any] | Arm],
    *,
    data: DataSpec,
    seeds: int = 5,
    epochs: int = 100,
    batch_size: int = 32,
    track_test: bool = False,
    probe: Callable[[keras.Model, Any], dict[str, Any]] | None = None,
) -> Results:
    """Train ``build(**params)`` for every arm and seed ``0..seeds-1``; return all histories.

    Replicate ``s`` uses split ``s`` and ``keras.utils.set_random_seed(s)`` in every arm, so
    arms differ only in what the arm changes. The test split is evaluated once, at the end
    (and, with ``track_test``, recorded per epoch for reporting only). ``probe(model, split)``
    measures something on each final model, such as sparsity or MC-dropout accuracy.
    """
    seeds = _positive_int("seeds", seeds)
    epochs = _positive_int("epochs", epochs)
    batch_size = _positive_int("batch_size", batch_size)
    if not isinstance(data, DataSpec):
        raise config.ConfigError(f"data must be a reglab.DataSpec, got {type(data).__name__}")
    if not arms:
        raise config.ConfigError(f"experiment {name!r} has no arms")
    arms = {k: v if isinstance(v, Arm) else Arm(dict(v)) for k, v in arms.items()}
    common = {
        "build": cache.fingerprint(build),
        "lab": cache.lab_digest(),
        "versions": cache.versions(),
        "data": data.as_dict(),
        "epochs": epochs,
        "track_test": track_test,
        "probe": cache.fingerprint(probe) if probe else None,
    }
    jobs: dict[tuple[str, int], tuple[str, dict]] = {}
    found: dict[tuple[str, int], RunResult] = {}
    for seed in range(seeds):
        for arm_name, arm in arms.items():
            material = {
                **common,
                "params": dict(arm.params),
                "early_stop": asdict(arm.early_stop) if arm.early_stop else None,
                "batch_size": arm.batch_size or batch_size,
                "seed": seed,
            }
            digest = cache.key(material)
            hit = cache.load(digest)
            if hit is not None:
                found[arm_name, seed] = RunResult.from_json(hit)
            else:
                jobs[arm_name, seed] = (digest, material)
    cached = len(found)
    if cached:
        _progress(f"{name} · {cached} of {seeds * len(arms)} runs from the cache")
    specs = {
        (arm, seed): Job(
            build,
            dict(arms[arm].params),
            data,
            seed,
            epochs,
            _positive_int("batch_size", arms[arm].batch_size or batch_size),
            arms[arm].early_stop,
            track_test,
            probe,
            arm=cache.key({k: jobs[arm, seed][1][k] for k in ("build", "params", "batch_size", "lab")}),
        )
        for arm, seed in jobs
    }
    for (arm_name, seed), result, seconds in workers.train_all(specs):
        _progress(
            f"{name} · {arm_name} · seed {seed + 1}/{seeds} · {result.epochs_run} epochs · {seconds:.1f} s"
        )
        digest, material = jobs[arm_name, seed]
        cache.store(digest, material, result.to_json())
        found[arm_name, seed] = result
    runs = {arm: [found[arm, seed] for seed in range(seeds)] for arm in arms}
    results = Results(name=name, runs=runs, seeds=list(range(seeds)), cached=cached)
    with _registry_lock:
        REGISTRY[:] = [r for r in REGISTRY if r.name != name] + [results]
    if (found := getattr(_collecting, "results", None)) is not None:
        found.append(results)
    return results
