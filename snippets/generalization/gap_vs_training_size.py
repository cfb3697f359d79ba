import keras
import numpy as np
from reglab import DataSpec, run


def build_mlp(dropout: float) -> keras.Model:
    """A 2x256 ReLU MLP, with Dropout(dropout) after each hidden layer when dropout > 0."""
    model = keras.Sequential([keras.Input(shape=(64,))])
    for _ in range(2):
        model.add(keras.layers.Dense(256, activation="relu"))
        if dropout:
            model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return model


def training_split(model: keras.Model, split) -> dict:
    """Accuracy of the final model on its own training split, in inference mode (dropout off)."""
    predicted = np.asarray(model(split.x_train, training=False)).argmax(axis=1)
    return {"train_accuracy": float(np.mean(predicted == split.y_train))}


sizes = [100, 200, 400, 800]
arms = {"no dropout": {"dropout": 0.0}, "dropout 0.5": {"dropout": 0.5}}
by_size = {
    n: run(
        f"q4 {n} training images",
        build_mlp,
        arms,
        data=DataSpec(n_train=n),
        seeds=5,
        epochs=50,
        probe=training_split,
    )
    for n in sizes
}
