"""reglab: the small shared lab behind every page.

Pages write plain Keras model builders and call :func:`run`; the lab handles data,
seeds, the fast training loop, the result cache, statistics and figures.

Names are imported on first use, so ``from reglab import config`` stays light and does
not import TensorFlow.
"""

import importlib
import logging
import os
from importlib import metadata
from typing import Any

try:
    __version__ = metadata.version("reglab")
except metadata.PackageNotFoundError:  # imported from a checkout that has not installed it
    __version__ = "0+unknown"

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow is first imported
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")  # as fast here, and a fixed reduction order
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")
# Each model traces its own training loop, by design: keep TensorFlow's retracing notes
# quiet, here and in worker processes (set before TensorFlow is imported; it keeps it).
logging.getLogger("tensorflow").setLevel(logging.ERROR)

_HOME = {
    "ConfigError": "config",
    "DataSpec": "data",
    "Split": "data",
    "load": "data",
    "EarlyStop": "engine",
    "RunResult": "engine",
    "REGISTRY": "experiment",
    "Arm": "experiment",
    "Results": "experiment",
    "run": "experiment",
    "memo": "cache",
    "MeanCI": "stats",
    "band": "stats",
    "mean_ci": "stats",
    "paired_diff": "stats",
    "holm": "stats",
    "versus_published": "stats",
    "Comparison": "stats",
    "glue": "prose",
    "verdict": "prose",
}

__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    try:
        module = importlib.import_module(f".{_HOME.get(name, name)}", __name__)
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    return getattr(module, name) if name in _HOME else module
