"""A lean training loop that gives what ``model.fit`` gives, several times faster.

For small models TensorFlow on a CPU spends most of its time on per-step overhead
(callbacks, iterators, Python). Here each epoch is one compiled call: batches are
gathered from tensors that already live in TensorFlow, and every step is Keras's own
``model.train_step``. A run with enough arithmetic (:data:`XLA_MIN_WORK`) has that
epoch compiled by XLA, which fuses each step's small operations. Validation is Keras's own
``model.test_step`` on the whole validation split at once, in inference mode, as ``fit``
reports it.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.python import pywrap_tfe  # noqa: E402

from .data import Split  # noqa: E402

tf.config.experimental.enable_op_determinism()

METRICS = ("loss", "accuracy", "val_loss", "val_accuracy")
# XLA compiles an epoch in about 1 s more than tracing takes, then runs a 2x512 MLP's
# epochs 20-37% faster (small models gain far less per step). A run uses it when its
# weights times its steps reach this: 500 steps of a 2x512 MLP, 15,000 of a 10k-weight one.
XLA_MIN_WORK = 1.5e8


@dataclass(frozen=True)
class EarlyStop:
    """Keras ``EarlyStopping`` semantics on ``val_loss``; ``restore`` is ``restore_best_weights``."""

    patience: int = 10
    min_delta: float = 0.0
    restore: bool = True


@dataclass
class RunResult:
    """One trained replicate: per-epoch history, test metrics, timing."""

    history: dict[str, list[float]]
    test: dict[str, float]
    epochs_run: int
    best_epoch: int  # 1-based epoch with the lowest validation loss
    seconds_per_epoch: float  # median over epochs after the first (which includes tracing)
    seconds_total: float
    extra: dict[str, Any] = field(default_factory=dict)  # what a probe measured on the final model

    def to_json(self) -> dict:
        return self.__dict__.copy()

    @classmethod
    def from_json(cls, payload: dict) -> RunResult:
        return cls(**payload)


def _metric_values(results: dict[str, Any]) -> dict[str, float]:
    values = {k: float(v) for k, v in results.items()}
    if "compile_metrics" in values:  # pragma: no cover - Keras version differences
        values.pop("compile_metrics")
    return values


def set_random_seed(seed: int) -> None:
    """``keras.utils.set_random_seed(seed)``, keeping TensorFlow's caches.

    ``tf.random.set_seed`` also empties TensorFlow's kernel and function caches, to reset
    stateful random kernels (Keras layers use stateless ones, seeded from here). Emptied,
    every compiled function re-optimizes its graph on its next call: 0.15 s per run.
    """
    empty = pywrap_tfe.TFE_ContextClearCaches
    pywrap_tfe.TFE_ContextClearCaches = lambda handle: None
    try:
        keras.utils.set_random_seed(seed)
    finally:
        pywrap_tfe.TFE_ContextClearCaches = empty


def prepare(model: keras.Model, split: Split, batch_size: int) -> None:
    """Create the optimizer's and the metrics' state, as the first call of ``fit`` would."""
    sample = (tf.constant(split.x_train[:batch_size]), tf.constant(split.y_train[:batch_size]))
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    model._symbolic_build(data_batch=sample)


def built(model: keras.Model) -> bool:
    """Whether every layer has its weights, as a model that starts from ``keras.Input`` does."""
    return all(layer.built for layer in model._flatten_layers())


def state(model: keras.Model) -> list[Any]:
    """Every variable a run starts from: weights, random-seed states and the optimizer's."""
    return [*model.variables, *model.optimizer.variables]


def adopt(traced: keras.Model, fresh: keras.Model) -> bool:
    """Give ``traced`` the initial state of ``fresh``, a prepared model of the same
    architecture, so that ``traced``'s compiled loops train it as they would ``fresh``.
    Returns False, changing nothing, when the two do not match variable for variable."""
    ours, theirs = state(traced), state(fresh)
    if len(ours) != len(theirs) or any(
        a.shape != b.shape or a.dtype != b.dtype for a, b in zip(ours, theirs, strict=True)
    ):
        return False
    for a, b in zip(ours, theirs, strict=True):
        a.assign(b)
    return True


@dataclass(frozen=True)
class Loops:
    """A prepared model's compiled functions. They take the data as arguments, so every
    replicate of one arm reuses them instead of tracing its own."""

    train_epoch: Callable[[tf.Tensor, tf.Tensor, tf.Tensor], None]
    logs: Callable[[tuple], list[dict[str, tf.Tensor]]]
    evaluate: Callable[[tf.Tensor, tf.Tensor], dict[str, tf.Tensor]]


def uses_xla(model: keras.Model, epochs: int, n_train: int, batch_size: int) -> bool:
    """Whether a run of ``model`` does enough arithmetic to compile its epochs with XLA:
    weights times training steps of at least :data:`XLA_MIN_WORK`."""
    return model.count_params() * epochs * math.ceil(n_train / batch_size) >= XLA_MIN_WORK


def compile_loops(model: keras.Model, batch_size: int, *, xla: bool = False) -> Loops:
    """The compiled functions for ``model``, each traced on its first call.

    ``train_epoch`` is one whole epoch: ``model.train_step`` on every batch, the last
    one partial as in ``fit``; with ``xla`` it is compiled by XLA. ``logs`` then returns
    the metrics as ``fit`` logs them: the epoch's running means, then
    ``model.test_step``'s on each held-out split. (Returning values from the function
    that holds the batch loop slows the loop down by a third on wide models.)
    """

    def step(x: tf.Tensor, y: tf.Tensor, idx: tf.Tensor) -> None:
        model.train_step((tf.gather(x, idx), tf.gather(y, idx)))

    @tf.function(jit_compile=xla)
    def train_epoch(x: tf.Tensor, y: tf.Tensor, perm: tf.Tensor) -> None:
        model.reset_metrics()
        full, rest = divmod(int(x.shape[0]), batch_size)  # static: XLA needs fixed shapes
        for i in tf.range(full):
            step(x, y, tf.slice(perm, [i * batch_size], [batch_size]))
        if rest:
            step(x, y, perm[full * batch_size :])

    def evaluate(xe: tf.Tensor, ye: tf.Tensor) -> dict[str, tf.Tensor]:
        model.reset_metrics()
        model.test_step((xe, ye))
        return model.get_metrics_result()

    @tf.function
    def logs(held_out: tuple) -> list[dict[str, tf.Tensor]]:
        return [model.get_metrics_result(), *(evaluate(xe, ye) for xe, ye in held_out)]

    return Loops(train_epoch, logs, tf.function(evaluate))


def loops_for(model: keras.Model, split: Split, epochs: int, batch_size: int) -> Loops:
    """Prepare ``model`` and make its loops for a run of ``epochs`` on ``split``: with XLA
    when :func:`uses_xla` says the run is long enough."""
    prepare(model, split, batch_size)
    return compile_loops(model, batch_size, xla=uses_xla(model, epochs, len(split.y_train), batch_size))


def train(
    model: keras.Model,
    split: Split,
    *,
    epochs: int,
    batch_size: int,
    seed: int,
    early_stop: EarlyStop | None = None,
    shuffle: bool = True,
    track_test: bool = False,
    probe: Callable[[keras.Model, Split], dict[str, Any]] | None = None,
    on_epoch: Callable[[int, dict[str, float]], None] | None = None,
    loops: Loops | None = None,
) -> RunResult:
    """Train a compiled model like ``model.fit(x, y, validation_data=val, shuffle=shuffle)``.

    ``track_test`` also records test loss and accuracy after every epoch, for reporting
    what a stopping rule chosen on validation data would have given; nothing is selected
    on them. ``probe(model, split)`` runs once on the final model; its dict lands in ``extra``.
    ``loops`` are ``model``'s compiled loops (:func:`compile_loops` on the prepared model,
    possibly traced by an earlier run of the same arm); without them the model is
    prepared and its loops made here (:func:`loops_for`).
    """
    if loops is None:
        loops = loops_for(model, split, epochs, batch_size)
    x, y = tf.constant(split.x_train), tf.constant(split.y_train)
    n = int(x.shape[0])
    x_test, y_test = tf.constant(split.x_test), tf.constant(split.y_test)
    held_out = ((tf.constant(split.x_val), tf.constant(split.y_val)),)
    prefixes = ("", "val_") + (("test_",) if track_test else ())
    if track_test:
        held_out += ((x_test, y_test),)

    rng = np.random.default_rng([seed, 11])
    names = METRICS + (("test_loss", "test_accuracy") if track_test else ())
    history: dict[str, list[float]] = {k: [] for k in names}
    times: list[float] = []
    best_loss, best_epoch, best_weights, wait = math.inf, 0, None, 0
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        order = rng.permutation(n) if shuffle else np.arange(n)
        loops.train_epoch(x, y, tf.constant(order.astype("int32")))
        results = loops.logs(held_out)
        logs = {
            prefix + k: v
            for prefix, result in zip(prefixes, results, strict=True)
            for k, v in _metric_values(result).items()
        }
        times.append(time.perf_counter() - t0)
        for k in names:
            history[k].append(logs[k])
        if on_epoch:
            on_epoch(epoch, logs)
        if logs["val_loss"] < best_loss - (early_stop.min_delta if early_stop else 0.0):
            best_loss, best_epoch, wait = logs["val_loss"], epoch, 0
            if early_stop and early_stop.restore:
                best_weights = model.get_weights()
        else:
            wait += 1
            if early_stop and wait >= early_stop.patience:
                break
    if best_weights is not None:
        model.set_weights(best_weights)
    # As model.evaluate reports it: "loss" includes any penalty.
    test = _metric_values(loops.evaluate(x_test, y_test))
    loss_fn = keras.losses.get(model.loss) if isinstance(model.loss, str) else model.loss
    test["data_loss"] = float(np.mean(loss_fn(split.y_test, model(x_test, training=False))))
    extra = probe(model, split) if probe else {}
    steady = times[1:] or times
    return RunResult(
        history=history,
        test=test,
        epochs_run=len(times),
        best_epoch=best_epoch,
        seconds_per_epoch=float(np.median(steady)),
        seconds_total=time.perf_counter() - start,
        extra=extra,
    )
