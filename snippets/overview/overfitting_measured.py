import keras
import numpy as np
from reglab import Arm, DataSpec, run


def build_mlp() -> keras.Model:
    """A 2x256 ReLU MLP: far more capacity than 200 training images need."""
    model = keras.Sequential([keras.Input(shape=(64,))])
    for _ in range(2):
        model.add(keras.layers.Dense(256, activation="relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return model


def training_split(model: keras.Model, split) -> dict:
    """The model that is tested (early stopping's restored weights included), run on its
    training split in inference mode: accuracy against the training labels as given, and
    the share of the corrupted labels it reproduces."""
    hit = (
        np.asarray(model(split.x_train, training=False)).argmax(axis=1) == split.y_train
    )
    wrong = hit[split.noisy_train]
    return {
        "train_accuracy": float(hit.mean()),
        "wrong_labels_fitted": float(wrong.mean()) if wrong.size else None,
    }


# No regularization: what overfitting looks like. Page 9's grid (included on page 1)
# compares the regularizers, each at its tuned strength, in the same two settings.
arms = {"no regularization": Arm({})}
settings = {
    "clean labels": DataSpec(n_train=200),
    "30% label noise": DataSpec(n_train=200, label_noise=0.3),
}
overfit = {
    name: run(
        f"q1 200 images, {name}",
        build_mlp,
        arms,
        data=spec,
        seeds=6,
        epochs=100,
        probe=training_split,
    )
    for name, spec in settings.items()
}
