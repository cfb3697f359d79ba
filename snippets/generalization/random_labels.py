import keras
import numpy as np
from reglab import DataSpec, run


def build_mlp(dropout: float = 0.0, l2: float = 0.0) -> keras.Model:
    """A 2x256 ReLU MLP, optionally with dropout and an L2 penalty on every kernel."""
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
    """The final model on its own training split, in inference mode (dropout off): accuracy
    against the labels it was trained on, and the share of the replaced labels it reproduces."""
    hit = (
        np.asarray(model(split.x_train, training=False)).argmax(axis=1) == split.y_train
    )
    wrong = hit[split.noisy_train]
    return {
        "train_accuracy": float(hit.mean()),
        "wrong_labels_fitted": float(wrong.mean()) if wrong.size else None,
    }


# label_noise=0.9 moves 90% of the labels to a uniformly drawn *other* class, so every
# class is equally likely for every image: the labels carry no information about the input.
arms = {
    "no regularization": {},
    "dropout 0.3": {"dropout": 0.3},
    "L2 (1e-4)": {"l2": 1e-4},
}
settings = {
    "true labels": DataSpec(n_train=300),
    "random labels": DataSpec(n_train=300, label_noise=0.9),
}
memorise = {
    name: run(
        f"q4 {name}",
        build_mlp,
        arms,
        data=spec,
        seeds=5,
        epochs=150,
        probe=training_split,
    )
    for name, spec in settings.items()
}
