import keras
import numpy as np
from reglab import DataSpec, run


def build_seed_003(dropout_rate: float, pixels: int = 784) -> keras.Model:
    """Seed 003's MLP: Dense(300) → Dropout → Dense(100) → Dropout → 10-way softmax, Adam."""
    model = keras.Sequential([keras.Input(shape=(pixels,))])
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

# As written: 25 epochs in batches of 1,000, with answer 003's 5,000 validation images.
# Real MNIST digits: 4,000 training, 5,000 validation and 1,000 test images.
DATA = DataSpec(dataset="mnist-10k", n_train=4000, n_val=5000, n_test=1000)
runs = run(
    "pitfalls 003 max val accuracy",
    build_seed_003,
    arms,
    data=DATA,
    seeds=5,
    epochs=25,
    batch_size=1000,
    track_test=True,
)
# The same habit with a small validation split: 8×8 digits, 500 training, 300
# validation and 500 test images, batches of 32.
SMALL = DataSpec(n_train=500)
small = run(
    "pitfalls 003 max val accuracy, 300 validation digits",
    build_seed_003,
    {arm: {**params, "pixels": 64} for arm, params in arms.items()},
    data=SMALL,
    seeds=5,
    epochs=25,
    track_test=True,
)


def habit(results) -> dict[str, dict[str, np.ndarray]]:
    """Per arm and seed: what seed 003 reports, max(history["val_accuracy"]) of one run;
    the honest number for the same model, the test accuracy at the epoch that maximum
    chose; and the optimism, the first minus the second."""
    out = {"reported": {}, "honest": {}, "optimism": {}}
    for arm in results.arms:
        val = results.curves("val_accuracy", arm)
        best = np.nanargmax(val, axis=1)
        out["reported"][arm] = np.nanmax(val, axis=1)
        test = results.curves("test_accuracy", arm)
        out["honest"][arm] = test[np.arange(len(results.seeds)), best]
        out["optimism"][arm] = out["reported"][arm] - out["honest"][arm]
    return out


def dropout_minus_none(numbers: dict[str, np.ndarray]) -> np.ndarray:
    """The seed's comparison, replicate by replicate: dropout minus no dropout."""
    return numbers["with dropout 0.2"] - numbers["without dropout"]


as_written, on_small = habit(runs), habit(small)
single_run_gap = dropout_minus_none(as_written["reported"])
honest_gap = dropout_minus_none(as_written["honest"])
small_single_run_gap = dropout_minus_none(on_small["reported"])
