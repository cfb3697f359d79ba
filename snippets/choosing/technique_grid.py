import keras
import numpy as np
from reglab import DataSpec, run, tuning


class RandomShift(keras.layers.Layer):
    """Training-only augmentation: move each 8×8 image by up to `pixels` rows and
    columns, filling the edge with zeros (the background)."""

    def __init__(self, pixels: int, **kwargs):
        super().__init__(**kwargs)
        self.pixels, self.seed = pixels, keras.random.SeedGenerator()

    def call(self, x, training=False):
        if not training:
            return x
        k, side = self.pixels, 8 + 2 * self.pixels
        images = keras.ops.pad(
            keras.ops.reshape(x, (-1, 8, 8)), [[0, 0], [k, k], [k, k]]
        )
        n = keras.ops.shape(x)[0]
        rows = keras.ops.arange(8)[None, :] + keras.random.randint(
            (n, 1), 0, 2 * k + 1, seed=self.seed
        )
        cols = keras.ops.arange(8)[None, :] + keras.random.randint(
            (n, 1), 0, 2 * k + 1, seed=self.seed
        )
        index = keras.ops.reshape(rows[:, :, None] * side + cols[:, None, :], (-1, 64))
        return keras.ops.take_along_axis(
            keras.ops.reshape(images, (-1, side * side)), index, axis=1
        )


def build_mlp(
    l2: float = 0.0, dropout: float = 0.0, batch_norm: bool = False, shift: int = 0
) -> keras.Model:
    """A 2x256 ReLU MLP with any of: L2 on the kernels, dropout, batch normalization,
    and random shifts of the training images."""
    penalty = keras.regularizers.L2(l2) if l2 else None
    model = keras.Sequential([keras.Input(shape=(64,))])
    if shift:
        model.add(RandomShift(shift))
    for _ in range(2):
        model.add(keras.layers.Dense(256, kernel_regularizer=penalty))
        if batch_norm:
            model.add(keras.layers.BatchNormalization())
        model.add(keras.layers.Activation("relu"))
        if dropout:
            model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="softmax", kernel_regularizer=penalty))
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return model


def training_split(model: keras.Model, split) -> dict:
    """The final model on its own training split, in inference mode: accuracy against the
    labels as given, and the share of the wrong labels it reproduces (memorises)."""
    hit = (
        np.asarray(model(split.x_train, training=False)).argmax(axis=1) == split.y_train
    )
    wrong = hit[split.noisy_train]
    return {
        "train_accuracy": float(hit.mean()),
        "wrong_labels_fitted": float(wrong.mean()) if wrong.size else None,
    }


# Each technique's strengths, log-spaced; the validation split picks one per seed.
grids = {
    "L2": tuning.grid("L2 {:.0e}", "l2", [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]),
    "dropout": tuning.grid("dropout {:g}", "dropout", [0.1, 0.2, 0.4, 0.6, 0.8]),
    "batch norm": {"batch norm": {"batch_norm": True}},
    "augmentation": tuning.grid("shift ±{} px", "shift", [1, 2]),
}
arms = {"none": {}} | {arm: p for g in grids.values() for arm, p in g.items()}
# Epochs long enough for every arm's validation accuracy to flatten (checked).
settings = {
    "200 clean": (DataSpec(n_train=200), 120),
    "800 clean": (DataSpec(n_train=800), 60),
    "200, 30% noise": (DataSpec(n_train=200, label_noise=0.3), 120),
    "800, 30% noise": (DataSpec(n_train=800, label_noise=0.3), 60),
}
grid = {
    name: run(
        f"q9 {name}",
        build_mlp,
        arms,
        data=spec,
        seeds=5,
        epochs=epochs,
        track_test=True,
    )
    for name, (spec, epochs) in settings.items()
}
# Shifts of 2 pixels were still improving when the budget ran out (more epochs than this
# site affords): a shift still rising is left out of the choice, and page 9 names it.
fair = {
    name: grids | {"augmentation": tuning.converged(res, list(grids["augmentation"]))}
    for name, res in grid.items()
}
# Early stopping is tuned too: monitor and patience, replayed on the recorded curves.
tuned = {
    name: tuning.techniques(res, fair[name], stopping=tuning.stopping_grid())
    for name, res in grid.items()
}
