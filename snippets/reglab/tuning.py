"""Fair comparisons: each technique at the strength its own validation data choose.

A technique's grid is a set of arms of one experiment, trained side by side on every
seed. On each seed, :func:`tune` keeps the arm (and, for early stopping, the monitor and
patience replayed on that arm's recorded curves) with the best validation accuracy, and
reads the test split only there. The same runs draw the effect-vs-strength curve.

:func:`check_converged` asserts that an arm's budget was long enough: its mean
validation accuracy no longer rises over the last part of training.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import config
from .experiment import Arm, Results
from .stats import MeanCI, paired_diff
from .stopping import keras_patience

LAST = 0.2  # the share of the budget that must add less than TOLERANCE
# Flat means a rise smaller than the smallest effect of interest (prose.MARGIN, 1 pp):
# what is left to gain cannot change a verdict by more than the margin.
TOLERANCE = 0.01


@dataclass(frozen=True)
class Stopping:
    """Keras ``EarlyStopping(monitor, patience, restore_best_weights=True)``, replayed."""

    monitor: str = "val_loss"
    patience: int = 10

    def __str__(self) -> str:
        return f"{self.monitor}, patience {self.patience}"

    def kept(self, history: Mapping[str, Sequence[float]]) -> int:
        """The 1-based epoch whose weights the rule restores."""
        curve = np.asarray(history[self.monitor], dtype=float)
        return keras_patience(curve if "loss" in self.monitor else -curve, self.patience).best


def stopping_grid(patiences: Sequence[int] = (5, 10, 20, 40)) -> list[Stopping]:
    """Early stopping's own grid: both monitors at each patience."""
    return [Stopping(m, p) for m in ("val_loss", "val_accuracy") for p in patiences]


@dataclass(frozen=True)
class Choice:
    """What one seed's validation data chose, and the test score read there, once."""

    arm: str
    stopping: Stopping | None
    epoch: int
    val: float
    test: float


@dataclass(frozen=True)
class Tuned:
    """A technique tuned per seed: its choices, in seed order, and its cost."""

    label: str
    grid: tuple[str, ...]
    stoppings: tuple[Stopping | None, ...]
    choices: tuple[Choice, ...]

    @property
    def test(self) -> np.ndarray:
        return np.array([c.test for c in self.choices])

    @property
    def runs_per_seed(self) -> int:
        """Training runs each seed paid for: replayed stopping rules cost none."""
        return len(self.grid)

    @property
    def at_edge(self) -> int:
        """Seeds that chose the grid's first or last strength, where a better one may lie
        beyond the grid (0 for grids of fewer than three strengths)."""
        if len(self.grid) < 3:
            return 0
        return sum(c.arm in (self.grid[0], self.grid[-1]) for c in self.choices)

    def chosen(self) -> list[str]:
        """Each seed's choice, as ``arm`` or ``arm · monitor, patience``."""
        return [c.arm + (f" · {c.stopping}" if c.stopping else "") for c in self.choices]

    def versus(self, baseline: np.ndarray | Tuned) -> MeanCI:
        """Paired test difference, this minus ``baseline``."""
        base = baseline.test if isinstance(baseline, Tuned) else baseline
        return paired_diff(base, self.test)


def tune(
    results: Results,
    grid: Sequence[str],
    *,
    stopping: Sequence[Stopping | None] = (None,),
    label: str | None = None,
    metric: str = "accuracy",
) -> Tuned:
    """Per seed, the candidate in ``grid`` × ``stopping`` with the highest validation
    ``metric`` at the epoch it keeps (the last one, or the one a stopping rule restores);
    ties go to the first. Stopping rules need the experiment's ``track_test`` curves.
    Arms trained to their full budget must have converged (:func:`check_converged`)."""
    if not grid:
        raise config.ConfigError(f"{results.name}: an empty grid has nothing to tune")
    unknown = [arm for arm in grid if arm not in results.runs]
    if unknown:
        raise config.ConfigError(f"{results.name}: no arm named {unknown[0]!r} to tune")
    if None in stopping:
        check_converged(results, grid)
    choices = []
    for seed in range(len(results.seeds)):
        best: Choice | None = None
        for arm in grid:
            run = results.runs[arm][seed]
            for rule in stopping:
                epoch = rule.kept(run.history) if rule else run.epochs_run
                val = run.history[f"val_{metric}"][epoch - 1]
                if best is None or val > best.val:
                    test = run.history[f"test_{metric}"][epoch - 1] if rule else run.test[metric]
                    best = Choice(arm, rule, epoch, float(val), float(test))
        assert best is not None
        choices.append(best)
    return Tuned(label or results.name, tuple(grid), tuple(stopping), tuple(choices))


def untuned(results: Results, arm: str, metric: str = "accuracy") -> np.ndarray:
    """An arm's test ``metric`` per seed, after checking that it converged."""
    check_converged(results, [arm])
    return results.test(metric, arm)


def late_gain(results: Results, arm: str, metric: str = "val_accuracy") -> float:
    """How much the seed-mean ``metric`` rose over the last :data:`LAST` of the budget:
    its mean there minus its mean over the same number of epochs just before."""
    curve = np.nanmean(results.curves(metric, arm), axis=0)
    width = max(1, round(LAST * len(curve)))
    if 2 * width > len(curve):
        return float("nan")
    return float(np.mean(curve[-width:]) - np.mean(curve[-2 * width : -width]))


class NotConverged(config.ConfigError):
    """An arm was still improving when its budget ran out."""


def _still_rising(results: Results, arm: str) -> float | None:
    """The late gain of ``arm`` if it trained its full budget on every seed and gained
    :data:`TOLERANCE` or more in its last :data:`LAST`; else None (an arm stopped early
    on some seed has flattened by definition)."""
    if len({r.epochs_run for r in results.runs[arm]}) > 1:
        return None
    gain = late_gain(results, arm)
    return gain if gain >= TOLERANCE else None


def check_converged(results: Results, arms: Sequence[str] | None = None) -> None:
    """Raise :class:`NotConverged`, naming the arm, if a run trained to its full budget
    still gained :data:`TOLERANCE` or more mean validation accuracy in its last :data:`LAST`."""
    for arm in arms or results.arms:
        if (gain := _still_rising(results, arm)) is not None:
            epochs = results.runs[arm][0].epochs_run
            raise NotConverged(
                f"{results.name} · {arm}: mean validation accuracy still rose "
                f"{gain * 100:.1f} pp over the last {LAST:.0%} of {epochs} epochs; train longer"
            )


def grid(label: str, param: str, values: Sequence[Any], **fixed: Any) -> dict[str, Arm]:
    """A technique's arms, one per strength, named by ``label.format(value)``:
    ``grid("dropout {:g}", "dropout", [0.1, 0.3])`` gives
    ``{"dropout 0.1": Arm({"dropout": 0.1}), "dropout 0.3": Arm({"dropout": 0.3})}``."""
    return {label.format(v): Arm({param: v, **fixed}) for v in values}


def techniques(
    results: Results,
    grids: Mapping[str, Sequence[str]],
    *,
    baseline: str = "none",
    stopping: Sequence[Stopping] | None = None,
) -> dict[str, Tuned]:
    """Every technique of ``grids`` (label -> its arms) tuned on its own grid; with
    ``stopping``, also "early stopping" (the baseline with that grid) and, for each
    technique, "<technique> + early stopping", both tuned jointly per seed."""
    out = {label: tune(results, arms, label=label) for label, arms in grids.items()}
    if stopping:
        out["early stopping"] = tune(results, [baseline], stopping=stopping, label="early stopping")
        for label, arms in grids.items():
            both = f"{label} + early stopping"
            out[both] = tune(results, arms, stopping=stopping, label=both)
    return out


def converged(results: Results, arms: Sequence[str]) -> list[str]:
    """The arms of ``arms`` that pass :func:`check_converged`: the ones a fair choice may
    include when the budget could not be made long enough for all of them."""
    return [arm for arm in arms if _still_rising(results, arm) is None]


def common_target(results: Results, arms: Sequence[str], below: float = 0.01) -> float:
    """A validation accuracy every arm reaches on average: ``below`` (1 pp) under the lowest
    of the arms' best seed-mean validation accuracies."""
    return min(float(np.nanmax(np.nanmean(results.curves("val_accuracy", a), axis=0))) for a in arms) - below


def epochs_to_reach(results: Results, arm: str, target: float) -> np.ndarray:
    """Per seed, the first epoch whose validation accuracy reaches ``target`` (NaN if none
    does): the cost of a technique in training steps, which wall-clock time is not."""
    curves = results.curves("val_accuracy", arm)
    reached = curves >= target
    return np.where(reached.any(axis=1), reached.argmax(axis=1) + 1.0, np.nan)
