import keras
import numpy as np
from reglab import DataSpec, run


def build_seed_001(dropout: float) -> keras.Model:
    """Seed 001's MLP: Dense(128) → [Dropout(0.3)] → Dense(64) → 10-way softmax, Adam."""
    model = keras.Sequential(
        [keras.Input(shape=(784,)), keras.layers.Dense(128, activation="relu")]
    )
    if dropout > 0:
        model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(64, activation="relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(
        optimizer=keras.optimizers.Adam(),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


arms = {"no dropout": {"dropout": 0.0}, "dropout 0.3": {"dropout": 0.3}}
# Real MNIST digits: 6,000 training, 2,000 validation and 2,000 test images. Seed 001
# trained 10 epochs in batches of 32 (fit's default).
DATA = DataSpec(dataset="mnist-10k", n_train=6000, n_val=2000, n_test=2000)

# track_test=True records the test split after every epoch: exactly the curve that
# fit(..., validation_data=(x_test, y_test)) shows as "val_accuracy".
leaky = run(
    "pitfalls 001 test set as validation",
    build_seed_001,
    arms,
    data=DATA,
    seeds=5,
    epochs=10,
    track_test=True,
)


def select(results, on: str) -> dict[str, np.ndarray]:
    """Per seed, pick the (arm, epoch) with the best ``on`` accuracy, as one does when
    choosing between the two models and their epochs; report every split there."""
    out = {"test": [], "val": []}
    for seed in range(len(results.seeds)):
        grid = {
            split: np.stack(
                [results.curves(f"{split}_accuracy", arm)[seed] for arm in results.arms]
            )
            for split in ("test", "val")
        }
        arm, epoch = np.unravel_index(
            np.argmax(grid[on]), grid[on].shape
        )  # first best on ties
        for split in out:
            out[split].append(grid[split][arm, epoch])
    return {k: np.array(v) for k, v in out.items()}


# As written: the test split is the validation data, so the choice is made on it.
on_test = select(leaky, on="test")
# The fix: choose on the validation split, then evaluate the chosen model on the test split once.
on_val = select(leaky, on="val")
