"""Datasets, split train / validation / test by a seed.

``digits`` is scikit-learn's embedded 8x8 digits (1797 images, 10 classes).
``sparse-binary`` is a synthetic task with 100 features of which 5 are informative.
``mnist`` is MNIST's 70,000 28x28 digits (Keras's training and test files pooled),
flattened to 784 pixels in [0, 1]; it is read from Keras's dataset cache, downloaded
there if missing, and only used when asked for (``REGLAB_MNIST=1`` on page 8).
The split is stratified and depends only on ``seed``; label noise touches only the
training split (and validation, if asked). The test split is always clean.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import socket
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits, make_classification
from sklearn.model_selection import train_test_split

from . import config
from .config import ConfigError

DATASETS = ("digits", "sparse-binary", "mnist")
MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


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
        """The fields; for MNIST also the file's SHA-256, so another file never shares a key."""
        fields = asdict(self)
        if self.dataset == "mnist":
            fields["sha256"] = mnist_digest()
        return fields


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


def _download_mnist(path: Path) -> None:
    """Fetch ``mnist.npz`` into ``path``, whole or not at all; a failure is one line."""
    import keras

    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    timeout = socket.getdefaulttimeout()
    if not config.quiet():
        sys.stderr.write(f"reglab: downloading MNIST from {MNIST_URL} into {path.parent}\n")
    try:
        with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(io.StringIO()):
            socket.setdefaulttimeout(60)
            got = keras.utils.get_file(
                "mnist.npz", MNIST_URL, file_hash=MNIST_SHA256, cache_dir=tmp, cache_subdir=""
            )
            path.parent.mkdir(parents=True, exist_ok=True)
            part.write_bytes(Path(got).read_bytes())
            os.replace(part, path)
    except Exception as exc:  # no network, a proxy, a bad hash, an unwritable home
        reason = " ".join(str(exc).rpartition(" -- ")[2].split()) or type(exc).__name__
        raise ConfigError(
            f"MNIST is not in {path} and cannot be downloaded ({reason}); "
            "place mnist.npz there or unset REGLAB_MNIST"
        ) from None
    finally:
        socket.setdefaulttimeout(timeout)
        part.unlink(missing_ok=True)


def mnist_file() -> Path:
    """Keras's cached ``mnist.npz``, downloaded first if it is missing."""
    path = config.mnist_path()
    if not path.is_file():
        _download_mnist(path)
    return path


@functools.lru_cache(maxsize=2)
def _read_mnist(path: Path, stamp: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, str]:
    """Pooled uint8 pixels (rows of 784), int32 labels and the file's SHA-256."""
    blob = path.read_bytes()
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as f:
            x = np.concatenate([f["x_train"], f["x_test"]])
            y = np.concatenate([f["y_train"], f["y_test"]])
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"{path} is not an MNIST file ({exc}); replace or remove it") from None
    if x.dtype != np.uint8 or x.shape[1:] != (28, 28) or y.shape != (len(x),):
        raise ConfigError(f"{path} does not hold uint8 28x28 images with one label each")
    return x.reshape(len(x), 784), y.astype("int32"), hashlib.sha256(blob).hexdigest()


def _mnist() -> tuple[np.ndarray, np.ndarray, str]:
    path = mnist_file()
    info = path.stat()
    return _read_mnist(path, (info.st_mtime_ns, info.st_size))


def mnist_digest() -> str:
    """SHA-256 of the ``mnist.npz`` in use (downloaded first if missing)."""
    return _mnist()[2]


def raw(dataset: str) -> tuple[np.ndarray, np.ndarray]:
    """All rows of ``dataset`` before splitting: features and integer labels."""
    if dataset == "mnist":
        return _mnist()[:2]
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


def _rows(x: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Rows ``index`` as float32; MNIST's uint8 pixels are scaled to [0, 1]."""
    rows = x[index]
    return (rows / 255.0).astype("float32") if rows.dtype == np.uint8 else rows


def _split_indices(
    y: np.ndarray, n_train: int, n_val: int, n_test: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stratified train / validation / test row indices for ``seed``."""
    rest, test = train_test_split(np.arange(len(y)), test_size=n_test, stratify=y, random_state=seed)
    train, val = train_test_split(rest, test_size=n_val, stratify=y[rest], random_state=seed)
    if n_train < len(train):
        train, _ = train_test_split(train, train_size=n_train, stratify=y[train], random_state=seed)
    return train, val, test


def load(spec: DataSpec, seed: int) -> Split:
    """The split for replicate ``seed``: the same for every arm of an experiment."""
    x, y = raw(spec.dataset)
    n_classes = int(y.max()) + 1
    pool = len(y) - spec.n_val - spec.n_test
    n_train = pool if spec.n_train is None else spec.n_train
    if n_train > pool:
        raise ConfigError(f"n_train={n_train} exceeds the {pool} rows left after validation and test")
    train, val, test = _split_indices(y, n_train, spec.n_val, spec.n_test, seed)
    x_pool, y_pool, x_val, y_val = _rows(x, train), y[train], _rows(x, val), y[val]
    x_test, y_test = _rows(x, test), y[test]
    rng = np.random.default_rng([seed, 7])
    noisy = np.zeros(len(y_pool), dtype=bool)
    if spec.label_noise:
        y_pool, noisy = _corrupt(y_pool, spec.label_noise, n_classes, rng)
        if spec.noisy_validation:
            y_val, _ = _corrupt(y_val, spec.label_noise, n_classes, rng)
    return Split(x_pool, y_pool, x_val, y_val, x_test, y_test, n_classes, noisy)
