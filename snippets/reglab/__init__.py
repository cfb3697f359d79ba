"""reglab: the small shared lab behind every page.

Pages write plain Keras model builders and call :func:`run`; the lab handles data,
seeds, the fast training loop, the result cache, statistics and figures.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow is first imported
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")  # as fast here, and a fixed reduction order
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")

from .config import ConfigError  # noqa: E402
from .data import DataSpec, Split, load
from .engine import EarlyStop, RunResult
from .experiment import REGISTRY, Arm, Results, run
from .stats import MeanCI, band, mean_ci, paired_diff

__import__("tensorflow").get_logger().setLevel("ERROR")  # each model traces its own loop, by design

__all__ = [
    "REGISTRY",
    "Arm",
    "ConfigError",
    "DataSpec",
    "EarlyStop",
    "MeanCI",
    "Results",
    "RunResult",
    "Split",
    "band",
    "load",
    "mean_ci",
    "paired_diff",
    "run",
]
