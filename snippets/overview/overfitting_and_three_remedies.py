import keras
import numpy as np
from reglab import Arm, DataSpec, EarlyStop, run


def build_mlp(l2: float = 0.0, dropout: float = 0.0) -> keras.Model:
    """A 2x256 ReLU MLP: far more capacity than 200 training images need."""
    penalty = keras.regularizers.L2(l2) if l2 else None
    model = keras.Sequential([keras.Input(shape=(64,))])
    for _ in range(2):
        model.add(
            keras.layers.Dense(256, activation="relu", kernel_regularizer=penalty)
        )
        if dropout:
            model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="softmax", kernel_regularizer=penalty))
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


arms = {
    "no regularization": Arm({}),
    "L2 (1e-3)": Arm({"l2": 1e-3}),
    "dropout 0.5": Arm({"dropout": 0.5}),
    "early stopping (patience 10, restore best)": Arm(
        {}, early_stop=EarlyStop(patience=10, restore=True)
    ),
}
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
