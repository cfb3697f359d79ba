"""Stopping rules replayed on a recorded validation curve.

One long run per seed records validation and test metrics every epoch; each rule then
picks its stop epoch from the validation curve alone, exactly as it would have online.
``tests/test_lab_stopping.py`` checks the Keras rule against ``keras.callbacks.EarlyStopping``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Stop:
    """1-based epochs: where training stops, and the best epoch seen up to then."""

    stop: int
    best: int

    def pick(self, curve: Sequence[float], restore: bool) -> float:
        """The value of ``curve`` for the weights this rule keeps."""
        return float(curve[(self.best if restore else self.stop) - 1])


def keras_patience(val_loss: Sequence[float], patience: int, min_delta: float = 0.0) -> Stop:
    """``keras.callbacks.EarlyStopping(monitor="val_loss", patience=..., min_delta=...)``."""
    best_value, best, wait = np.inf, 0, 0
    for epoch, value in enumerate(val_loss, start=1):
        if value < best_value - min_delta:
            best_value, best, wait = value, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return Stop(epoch, best)
    return Stop(len(val_loss), best)


def prechelt_gl(val_loss: Sequence[float], alpha: float) -> Stop:
    """Prechelt's GL_alpha: stop once the generalization loss
    GL(t) = 100 * (E_va(t) / min_{t' <= t} E_va(t') - 1) exceeds ``alpha`` percent."""
    best_value, best = np.inf, 0
    for epoch, value in enumerate(val_loss, start=1):
        if value < best_value:
            best_value, best = value, epoch
        if 100 * (value / best_value - 1) > alpha:
            return Stop(epoch, best)
    return Stop(len(val_loss), best)
