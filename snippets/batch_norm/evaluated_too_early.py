import keras
import numpy as np
from reglab import DataSpec, run


def build_bn_mlp(momentum: float) -> keras.Model:
    """Two hidden layers of 256 units: Dense, then BatchNormalization, then ReLU."""
    model = keras.Sequential([keras.Input(shape=(64,))])
    for _ in range(2):
        model.add(keras.layers.Dense(256))
        model.add(keras.layers.BatchNormalization(momentum=momentum))
        model.add(keras.layers.Activation("relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return model


def both_modes(model: keras.Model, split) -> dict[str, float]:
    """Test accuracy with moving statistics (inference) and with the test batch's own."""
    x, y = split.x_test, split.y_test
    return {
        "inference_mode": float(
            np.mean(np.asarray(model(x, training=False)).argmax(1) == y)
        ),
        "batch_statistics": float(
            np.mean(np.asarray(model(x, training=True)).argmax(1) == y)
        ),
    }


arms = {
    "momentum 0.99 (default)": {"momentum": 0.99},
    "momentum 0.9": {"momentum": 0.9},
}
early = {
    epochs: run(
        f"q7 evaluated after {epochs} epochs",
        build_bn_mlp,
        arms,
        data=DataSpec(n_train=500),
        seeds=5,
        epochs=epochs,
        probe=both_modes,
    )
    for epochs in (1, 3, 30)
}
