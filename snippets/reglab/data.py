"""Datasets that need no download, split train / validation / test by a seed.

``digits`` is scikit-learn's embedded 8x8 digits (1797 images, 10 classes).
``sparse-binary`` is a synthetic task with 100 features of which 5 are informative.
The split is stratified and depends only on ``seed``; label noise touches only the
training split (and validation, if asked). The test split is always clean.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from sklearn.datasets import load_digits, make_classification
from sklearn.model_selection import train_test_split

from .config import ConfigError

DATASETS = ("digits", "sparse-binary")


@dataclass(frozen=True)
class DataSpec:
    """What to train on. Every field is part of the cache key."""

    dataset: str = "digits"
    n_train: int | None = None  # None: the whole training pool
    n_val: int = 300
    n_test: int = 500
    label_noise: float = 0.0  # fraction of training labels replaced by another class
    noisy_validation: bool = True  # apply the same noise to validation labels

    def __post_init__(self) -> None:
        if self.dataset not in DATASETS:
            raise ConfigError(f"unknown dataset {self.dataset!r}; choose one of {', '.join(DATASETS)}")
        if not 0.0 <= self.label_noise < 1.0:
            raise ConfigError(f"label_noise={self.label_noise!r} must be in [0, 1)")
        for name in ("n_val", "n_test") + (("n_train",) if self.n_train is not None else ()):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name}={value!r} must be a positive integer")

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Split:
    """Arrays for one replicate. Labels are integer class ids."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    n_classes: int
    noisy_train: np.ndarray  # bool mask: which training labels were corrupted


def _raw(dataset: str) -> tuple[np.ndarray, np.ndarray]:
    if dataset == "digits":
        x, y = load_digits(return_X_y=True)
        return (x / 16.0).astype("float32"), y.astype("int32")
    x, y = make_classification(
        n_samples=3000,
        n_features=100,
        n_informative=5,
        n_redundant=0,
        n_repeated=0,
        n_classes=2,
        flip_y=0.0,
        class_sep=1.0,
        shuffle=False,
        random_state=0,
    )
    return x.astype("float32"), y.astype("int32")


def _corrupt(
    y: np.ndarray, fraction: float, n_classes: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Replace ``fraction`` of labels by a different, uniformly drawn class."""
    mask = np.zeros(len(y), dtype=bool)
    mask[rng.choice(len(y), size=round(fraction * len(y)), replace=False)] = True
    shift = rng.integers(1, n_classes, size=len(y))
    return np.where(mask, (y + shift) % n_classes, y).astype(y.dtype), mask


def load(spec: DataSpec, seed: int) -> Split:
    """The split for replicate ``seed``: the same for every arm of an experiment."""
    x, y = _raw(spec.dataset)
    n_classes = int(y.max()) + 1
    pool = len(y) - spec.n_val - spec.n_test
    n_train = pool if spec.n_train is None else spec.n_train
    if n_train > pool:
        raise ConfigError(f"n_train={n_train} exceeds the {pool} rows left after validation and test")
    x_rest, x_test, y_rest, y_test = train_test_split(
        x, y, test_size=spec.n_test, stratify=y, random_state=seed
    )
    x_pool, x_val, y_pool, y_val = train_test_split(
        x_rest, y_rest, test_size=spec.n_val, stratify=y_rest, random_state=seed
    )
    if n_train < pool:
        x_pool, _, y_pool, _ = train_test_split(
            x_pool, y_pool, train_size=n_train, stratify=y_pool, random_state=seed
        )
    rng = np.random.default_rng([seed, 7])
    noisy = np.zeros(len(y_pool), dtype=bool)
    if spec.label_noise:
        y_pool, noisy = _corrupt(y_pool, spec.label_noise, n_classes, rng)
        if spec.noisy_validation:
            y_val, _ = _corrupt(y_val, spec.label_noise, n_classes, rng)
    return Split(x_pool, y_pool, x_val, y_val, x_test, y_test, n_classes, noisy)
