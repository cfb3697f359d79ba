import keras
import numpy as np
from reglab import DataSpec, run
from reglab.stopping import keras_patience, prechelt_gl


def build_mlp() -> keras.Model:
    """A 2x256 ReLU MLP with no explicit regularization."""
    model = keras.Sequential([keras.Input(shape=(64,))])
    for _ in range(2):
        model.add(keras.layers.Dense(256, activation="relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


# Train 100 epochs with no stopping and record every epoch; each stopping rule below
# then replays the validation curve to find where it would have stopped.
settings = {
    "clean labels": DataSpec(n_train=500),
    "30% label noise": DataSpec(n_train=500, label_noise=0.3),
}
full = {
    name: run(
        f"q6 {name}",
        build_mlp,
        {"no stopping": {}},
        data=spec,
        seeds=8,
        epochs=100,
        track_test=True,
    )
    for name, spec in settings.items()
}

# The rules, each replayed on the validation curve of every seed.
rules = {
    "no early stopping": None,
    "patience 10, restore_best_weights=False": (
        lambda v: keras_patience(v, patience=10),
        False,
    ),
    "patience 10, restore_best_weights=True": (
        lambda v: keras_patience(v, patience=10),
        True,
    ),
    "Prechelt GL5, restore best": (lambda v: prechelt_gl(v, alpha=5), True),
}


def replay(results, rule) -> tuple[np.ndarray, np.ndarray]:
    """Per seed: the test accuracy of the weights the rule keeps, and its stop epoch."""
    accuracy, stops = [], []
    for r in results.runs["no stopping"]:
        if rule is None:
            accuracy.append(r.test["accuracy"])
            stops.append(r.epochs_run)
            continue
        stop_rule, restore = rule
        stop = stop_rule(r.history["val_loss"])
        accuracy.append(stop.pick(r.history["test_accuracy"], restore))
        stops.append(stop.stop)
    return np.array(accuracy), np.array(stops)
