"""Settings read from the environment, validated once, with one-line errors.

- ``REGLAB_CACHE_DIR``: where results are cached (default: ``.cache/reglab`` in the
  checkout, or ``~/.cache/reglab`` outside one).
- ``REGLAB_NO_CACHE=1``: train everything afresh and write nothing.
- ``REGLAB_QUIET=1``: no progress lines on stderr.
- ``REGLAB_MNIST=1``: page 8 trains on MNIST, read from Keras's dataset cache
  (``$KERAS_HOME/datasets/mnist.npz``, default ``~/.keras/datasets/mnist.npz``) or
  downloaded there.
"""

from __future__ import annotations

import os
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]


class ConfigError(ValueError):
    """A bad setting. Its message is one line that says what to change."""


def _flag(name: str) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise ConfigError(f"{name}={value!r} is not a switch; use 1 or 0")


def cache_enabled() -> bool:
    """False when ``REGLAB_NO_CACHE`` is set."""
    return not _flag("REGLAB_NO_CACHE")


def quiet() -> bool:
    """True when ``REGLAB_QUIET`` is set."""
    return _flag("REGLAB_QUIET")


def mnist() -> bool:
    """True when ``REGLAB_MNIST`` is set: page 8 runs on MNIST instead of the 8x8 digits."""
    return _flag("REGLAB_MNIST")


def mnist_path() -> Path:
    """Where Keras keeps ``mnist.npz``: ``$KERAS_HOME/datasets``, else ``~/.keras/datasets``."""
    home = os.environ.get("KERAS_HOME") or "~/.keras"
    return Path(home).expanduser() / "datasets" / "mnist.npz"


def cache_dir() -> Path:
    """The result cache directory, created if needed and checked to be writable."""
    configured = os.environ.get("REGLAB_CACHE_DIR")
    if configured:
        path = Path(configured).expanduser()
    elif (_CHECKOUT / "mkdocs.yml").exists():
        path = _CHECKOUT / ".cache" / "reglab"
    else:
        path = Path.home() / ".cache" / "reglab"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"cache directory {path} cannot be created ({exc.strerror}); set REGLAB_CACHE_DIR"
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(
            f"cache directory {path} is not writable; set REGLAB_CACHE_DIR to a writable directory"
        )
    return path


def workers() -> int:
    """How many worker processes train runs (``REGLAB_WORKERS``; default: up to 2 cores)."""
    raw = os.environ.get("REGLAB_WORKERS", "").strip()
    if not raw:
        return max(1, min(2, os.cpu_count() or 1))
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"REGLAB_WORKERS={raw!r} must be a positive integer")
    return int(raw)
