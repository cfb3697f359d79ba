import keras
import numpy as np
from reglab import DataSpec, run


def build_seed_003(dropout_rate: float) -> keras.Model:
    """Seed 003's MLP: Dense(300) → Dropout → Dense(100) → Dropout → 10-way softmax, Adam."""
    model = keras.Sequential([keras.Input(shape=(64,))])
    model.add(keras.layers.Dense(300, activation="relu"))
    model.add(keras.layers.Dropout(dropout_rate))
    model.add(keras.layers.Dense(100, activation="relu"))
    model.add(keras.layers.Dropout(dropout_rate))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(
        loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"]
    )
    return model


arms = {
    "without dropout": {"dropout_rate": 0.0},
    "with dropout 0.2": {"dropout_rate": 0.2},
}
DATA = DataSpec(n_train=500)  # digits: 500 training, 300 validation, 500 test images

# Seed 003 trained 25 epochs with a separate validation split; on digits, batch size 32.
runs = run(
    "pitfalls 003 max val accuracy",
    build_seed_003,
    arms,
    data=DATA,
    seeds=10,
    epochs=25,
    track_test=True,
)

# What seed 003 reports: max(history["val_accuracy"]) of one run.
reported = {
    arm: np.nanmax(runs.curves("val_accuracy", arm), axis=1) for arm in runs.arms
}
# The honest number for the same model: the epoch chosen on validation, evaluated on the test split.
best = {
    arm: np.nanargmax(runs.curves("val_accuracy", arm), axis=1) for arm in runs.arms
}
honest = {
    arm: runs.curves("test_accuracy", arm)[np.arange(len(runs.seeds)), best[arm]]
    for arm in runs.arms
}
optimism = {arm: reported[arm] - honest[arm] for arm in runs.arms}
# The seed's comparison, replicate by replicate: dropout minus no dropout.
single_run_gap = reported["with dropout 0.2"] - reported["without dropout"]
honest_gap = honest["with dropout 0.2"] - honest["without dropout"]
