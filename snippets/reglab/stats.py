"""Means with Student-t 95% confidence intervals, for single arms and paired differences,
and Holm's correction when one table draws several verdicts."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class MeanCI:
    """A mean over ``n`` seeds and its confidence interval ``[low, high]``. Formatted, an
    interval whose bounds print the same (every seed agreed, to the digits shown) is left
    out: ``'100.0%'``, not ``'100.0% (95% CI 100.0–100.0)'``."""

    mean: float
    low: float
    high: float
    n: int
    confidence: float = 0.95

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2

    @property
    def excludes_zero(self) -> bool:
        """True when the whole interval lies on one side of zero."""
        return self.low > 0 or self.high < 0

    def fmt(self, digits: int = 3, scale: float = 1.0) -> str:
        """A level: ``'0.812 (95% CI 0.798–0.826)'``; ``scale=100`` for percentages."""
        m, lo, hi = (number(v * scale, digits) for v in (self.mean, self.low, self.high))
        return m + self._interval(lo, hi, _span(lo, hi))

    def pct(self, digits: int = 1) -> str:
        """A level of a fraction in percent: ``'75.0% (95% CI 73.6–76.4)'``; the interval
        is clipped to the possible range, 0–100%."""
        low, high = max(self.low, 0.0), min(self.high, 1.0)
        m, lo, hi = (number(v * 100, digits) for v in (self.mean, low, high))
        return f"{m}%" + self._interval(lo, hi, _span(lo, hi))

    def pp(self, digits: int = 1) -> str:
        """A difference of fractions in points: ``'+4.8 pp (95% CI +3.7 to +6.0)'``."""
        m = signed(self.mean * 100, digits)
        lo, hi = (bound(v * 100, digits) for v in (self.low, self.high))
        return f"{m} pp" + self._interval(lo, hi, f"{lo} to {hi}")

    def delta(self, digits: int = 3) -> str:
        """A difference in the metric's own units: ``'-0.041 (95% CI -0.060 to -0.022)'``."""
        m = signed(self.mean, digits)
        lo, hi = (bound(v, digits) for v in (self.low, self.high))
        return m + self._interval(lo, hi, f"{lo} to {hi}")

    def times(self, digits: int = 2) -> str:
        """A ratio: ``'1.69× (95% CI 1.61–1.78)'``."""
        m, lo, hi = (number(v, digits) for v in (self.mean, self.low, self.high))
        return f"{m}×" + self._interval(lo, hi, _span(lo, hi))

    def _interval(self, low: str, high: str, span: str) -> str:
        """``' (95% CI <span>)'``, or nothing when the printed bounds are equal."""
        return "" if low == high else f" ({self.level} CI {span})"

    @property
    def level(self) -> str:
        return f"{self.confidence:.0%}"

    def __str__(self) -> str:
        return self.fmt()


def number(value: float, digits: int) -> str:
    """``value`` rounded to ``digits`` decimals, never as ``-0.0``."""
    return f"{round(float(value), digits) + 0.0:.{digits}f}"


def signed(value: float, digits: int) -> str:
    """``value`` with its sign, ``'+4.8'`` or ``'-1.4'``; zero is ``'+0.0'``."""
    return f"{round(float(value), digits) + 0.0:+.{digits}f}"


def bound(value: float, digits: int) -> str:
    """A signed interval bound that keeps its side of zero: a bound that rounds to zero
    gets up to two more decimals (``-0.04``, not ``+0.0``), since whether an interval
    excludes zero is what the reader decides by."""
    for extra in range(3):
        if round(float(value), digits + extra) != 0:
            return signed(value, digits + extra)
    return signed(0.0, digits)


def _span(low: str, high: str) -> str:
    """``'73.6–76.4'``, or ``'-1.2 to 0.4'`` when a dash would read as a minus sign."""
    return f"{low} to {high}" if low.startswith("-") or high.startswith("-") else f"{low}–{high}"


def mean_ci(values: Sequence[float] | np.ndarray, confidence: float = 0.95) -> MeanCI:
    """Mean of ``values`` with a two-sided Student-t interval (``scipy.stats.t``)."""
    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or len(x) < 2:
        raise ValueError(f"need at least two values for a confidence interval, got {x.shape}")
    mean = float(x.mean())
    sem = float(stats.sem(x))
    if sem == 0.0:
        return MeanCI(mean, mean, mean, len(x), confidence)
    low, high = stats.t.interval(confidence, df=len(x) - 1, loc=mean, scale=sem)
    return MeanCI(mean, float(low), float(high), len(x), confidence)


def paired_diff(baseline: Sequence[float], treatment: Sequence[float], confidence: float = 0.95) -> MeanCI:
    """Mean and CI of ``treatment - baseline``, replicate by replicate."""
    a, b = np.asarray(baseline, dtype=float), np.asarray(treatment, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired arms need the same replicates, got {a.shape} and {b.shape}")
    return mean_ci(b - a, confidence)


def band(curves: np.ndarray, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-column mean and Student-t CI of a (seeds, epochs) array; NaNs are ignored."""
    n = np.sum(~np.isnan(curves), axis=0)
    mean = np.nanmean(curves, axis=0)
    sem = stats.sem(curves, axis=0, nan_policy="omit")
    half = np.where(n > 1, stats.t.ppf((1 + confidence) / 2, np.maximum(n - 1, 1)) * sem, 0.0)
    return mean, mean - half, mean + half


K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Comparison:
    """One paired comparison in a family: the difference with its per-comparison 95% CI,
    the paired t-test's p-value, and that p-value adjusted by Holm over the family."""

    diff: MeanCI
    p: float
    p_holm: float
    alpha: float = 0.05

    @property
    def detected(self) -> bool:
        """Whether the difference is detectable after Holm's correction."""
        return self.p_holm < self.alpha

    @property
    def verdict(self) -> str:
        """``'helps'`` or ``'hurts'`` when detectable after Holm's correction; else
        ``'within ±1 pp'`` when the 95% interval lies inside the declared margin
        (:data:`reglab.prose.MARGIN`), and ``'inconclusive'`` otherwise."""
        from .prose import MARGIN, short_verdict

        if self.detected:
            return "helps" if self.diff.mean > 0 else "hurts"
        within = short_verdict(self.diff, MARGIN)
        return within if within.startswith("within") else "inconclusive"


def holm(
    pairs: Mapping[K, tuple[Sequence[float], Sequence[float]]], alpha: float = 0.05
) -> dict[K, Comparison]:
    """Paired comparisons ``key -> (baseline, treatment)``, tested as one family.

    Each two-sided paired t-test (``scipy.stats.ttest_rel``) is adjusted with Holm's
    step-down method (``statsmodels.stats.multitest.multipletests``), which keeps the
    chance of any false "detectable" verdict in the family at ``alpha`` or below.
    """
    keys, diffs, pvalues = list(pairs), [], []
    for key in keys:
        baseline, treatment = pairs[key]
        gaps = np.asarray(treatment, dtype=float) - np.asarray(baseline, dtype=float)
        diffs.append(paired_diff(baseline, treatment))
        if np.all(gaps == gaps[0]):  # no spread: certain if non-zero, nothing if zero
            pvalues.append(0.0 if gaps[0] else 1.0)
        else:
            pvalues.append(float(stats.ttest_rel(treatment, baseline).pvalue))
    return _family(keys, diffs, pvalues, alpha)


def _family(keys: list[K], diffs: list[MeanCI], pvalues: list[float], alpha: float) -> dict[K, Comparison]:
    """The comparisons of one family, their p-values adjusted by Holm's step-down method."""
    from statsmodels.stats.multitest import multipletests  # imports pandas: only when used

    adjusted = multipletests(pvalues, alpha=alpha, method="holm")[1]
    return {
        k: Comparison(d, p, float(a), alpha)
        for k, d, p, a in zip(keys, diffs, pvalues, adjusted, strict=True)
    }


def versus_published(
    rows: Mapping[K, tuple[Sequence[float], float, float, int]], alpha: float = 0.05
) -> dict[K, Comparison]:
    """Our runs against a published mean ± SD over n runs: ``key -> (ours, mean, sd, n)``.

    Each difference (ours − published) gets Welch's 95% CI, and Welch's t-test
    (``scipy.stats.ttest_ind_from_stats``) a p-value; the p-values are adjusted by Holm over
    the family, as in :func:`holm`. ``verdict`` reads "helps" as "ours is higher"."""
    keys, diffs, pvalues = list(rows), [], []
    for key in keys:
        ours, mean, sd, n = rows[key]
        x = np.asarray(ours, dtype=float)
        a, b = x.var(ddof=1) / len(x), sd**2 / n
        se = np.sqrt(a + b)
        df = (a + b) ** 2 / (a**2 / (len(x) - 1) + b**2 / (n - 1))
        half = float(stats.t.ppf(0.975, df) * se)
        gap = float(x.mean() - mean)
        diffs.append(MeanCI(gap, gap - half, gap + half, len(x)))
        test = stats.ttest_ind_from_stats(x.mean(), x.std(ddof=1), len(x), mean, sd, n, equal_var=False)
        pvalues.append(float(test.pvalue))
    return _family(keys, diffs, pvalues, alpha)
