"""Values placed in a page's prose: a fence names a result with :func:`glue`, and the
page's Markdown places it inside a sentence as ``{{ name }}`` or ``{{ name:format }}``.

The build replaces each placeholder with the value rendered by the named format (see
:data:`FORMATS`); so does a notebook's ``%%prose`` cell. Verdict words come from one
function, :func:`verdict`, so another CPU may print other words, never false ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the build places values without importing numpy and scipy
    from .stats import MeanCI

# The smallest difference in accuracy worth a reader's attention (a fraction: 1 pp). An
# interval that lies inside ±MARGIN is reported as "no effect larger than 1 pp"; the
# Method page declares it.
MARGIN = 0.01

PLACEHOLDER = re.compile(r"\{\{\s*(?P<name>[A-Za-z][\w]*)\s*(?::\s*(?P<format>[\w]+)\s*)?\}\}")
NAME = re.compile(r"[A-Za-z]\w*")

_glued: dict[str, dict[str, str]] = {}


class ProseError(ValueError):
    """A value cannot be glued or placed: a bad name, a format it lacks, or no such value."""


def _mde(d: MeanCI) -> float:
    """The smallest true difference that ``d``'s seed count detects four times in five
    (two-sided 5% test, paired t): the interval's half-width times (t₀.₉₇₅ + t₀.₈₀) / t₀.₉₇₅."""
    from scipy import stats

    df = max(d.n - 1, 1)
    t_alpha, t_power = stats.t.ppf(0.975, df), stats.t.ppf(0.80, df)
    return float(d.half_width * (t_alpha + t_power) / t_alpha)


def _number(value: float, digits: int) -> str:
    from .stats import number

    return number(value, digits)


def _signed(value: float, digits: int) -> str:
    from .stats import signed

    return signed(value, digits)


def _kind(d: MeanCI, margin: float) -> str:
    """Which of the four verdicts a paired difference in accuracy earns."""
    if d.low > 0:
        return "up"
    if d.high < 0:
        return "down"
    return "within" if -margin < d.low and d.high < margin else "inconclusive"


def verdict(d: MeanCI, margin: float = MARGIN) -> str:
    """The verdict on a paired difference in accuracy, as a verb phrase that reads before
    its object ("dropout {verdict} test accuracy"):

    - ``"raises"`` / ``"lowers"``: the 95% interval excludes zero;
    - ``"has no effect larger than 1 pp on"``: the interval lies inside ±``margin``;
    - ``"has an inconclusive effect on"``: neither.
    """
    size = _number(margin * 100, 0)
    words = {
        "up": "raises",
        "down": "lowers",
        "within": f"has no effect larger than {size} pp on",
        "inconclusive": "has an inconclusive effect on",
    }
    return words[_kind(d, margin)]


def short_verdict(d: MeanCI, margin: float = MARGIN) -> str:
    """:func:`verdict` as a table cell: higher, lower, within ±1 pp, inconclusive."""
    size = _number(margin * 100, 0)
    words = {"up": "higher", "down": "lower", "within": f"within ±{size} pp", "inconclusive": "inconclusive"}
    return words[_kind(d, margin)]


def _points(value: float) -> str:
    """A rounded size in points, for a lead sentence: '5 points', '0.4 points'."""
    size = abs(value) * 100
    return f"{_number(size, 0 if size >= 2 else 1)} points"


def formats() -> dict[type, dict[str, Callable[[Any], str]]]:
    """The formats of each kind of value: ``{kind: {format name: render}}``."""
    from .stats import MeanCI

    return {
        MeanCI: {
            "": MeanCI.pp,
            "pp": MeanCI.pp,
            "pct": MeanCI.pct,
            "times": MeanCI.times,
            "delta": MeanCI.delta,
            "pp_mean": lambda d: f"{_signed(d.mean * 100, 1)} pp",
            "pct_mean": lambda d: f"{_number(d.mean * 100, 1)}%",
            "pct_round": lambda d: f"{_number(d.mean * 100, 0)}%",
            "times_mean": lambda d: f"{_number(d.mean, 2)}×",
            "points": lambda d: _points(d.mean),
            "verdict": verdict,
            "short": short_verdict,
            "mde": lambda d: f"{_number(_mde(d) * 100, 1)} pp",
            "n": lambda d: str(d.n),
        },
        float: {
            "": lambda x: f"{x:g}",
            "pct": lambda x: f"{_number(x * 100, 1)}%",
            "pct_round": lambda x: f"{_number(x * 100, 0)}%",
            "pp": lambda x: f"{_signed(x * 100, 1)} pp",
            "points": _points,
            "times": lambda x: f"{_number(x, 2)}×",
            "r1": lambda x: _number(x, 1),
            "r2": lambda x: _number(x, 2),
            "r3": lambda x: _number(x, 3),
        },
        int: {"": lambda n: f"{n:,}"},
        str: {"": str},
    }


def _formats(value: Any) -> dict[str, Callable[[Any], str]]:
    from .stats import MeanCI

    known = formats()
    if isinstance(value, bool):
        raise ProseError("glue a word, not a bool: the page should print what it means")
    for kind in (MeanCI, int, float, str):
        if isinstance(value, kind):
            return known[kind]
    if hasattr(value, "__float__"):  # numpy scalars
        return known[float]
    raise ProseError(f"cannot place a {type(value).__name__} in prose: glue a MeanCI, a number or a string")


def glue(name: str | None = None, value: Any = None, /, **named: Any) -> Any:
    """Name values for the page's prose, each rendered in every format its type has:
    ``glue("gain", diff)`` or ``glue(gain=diff, rate="0.4")``; returns ``value``.
    ``{{ name }}`` or ``{{ name:format }}`` in the page's Markdown places it."""
    if name is not None:
        named = {name: value, **named}
    for key, item in named.items():
        if not NAME.fullmatch(key):
            raise ProseError(f"{key!r} is not a value name (letters, digits and _, starting with a letter)")
        kind = _formats(item)
        plain = float(item) if "r1" in kind else item  # numpy scalars as floats
        _glued[key] = {fmt: render(plain) for fmt, render in kind.items()}
    return value


def take() -> dict[str, dict[str, str]]:
    """The values glued since the last call, each as ``{format: text}``; forgets them."""
    taken = dict(_glued)
    _glued.clear()
    return taken


def place(text: str, values: dict[str, dict[str, str]], used: set[str] | None = None) -> str:
    """``text`` with each placeholder replaced by its value; raises :class:`ProseError`
    naming the first that is missing. Names placed are added to ``used``."""

    def one(match: re.Match[str]) -> str:
        name, fmt = match["name"], match["format"] or ""
        if name not in values:
            raise ProseError(f"no value named {name!r} (placed as {match[0]})")
        if fmt not in values[name]:
            have = ", ".join(sorted(f or "(plain)" for f in values[name]))
            raise ProseError(f"value {name!r} has no format {fmt!r} (it has {have})")
        if used is not None:
            used.add(name)
        return values[name][fmt]

    return PLACEHOLDER.sub(one, text)
