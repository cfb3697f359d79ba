import keras
import numpy as np
from reglab import DataSpec, run


def build_mlp(batch_norm: bool) -> keras.Model:
    """Two hidden layers of 256 units, with or without BatchNormalization before the ReLU."""
    model = keras.Sequential([keras.Input(shape=(64,))])
    for _ in range(2):
        model.add(keras.layers.Dense(256))
        if batch_norm:
            model.add(keras.layers.BatchNormalization())
        model.add(keras.layers.Activation("relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return model


def fitted(model: keras.Model, split) -> dict[str, float]:
    """Training accuracy in inference mode, on all training labels and on the wrong ones;
    test accuracy with the test set's own batch statistics (training=True)."""
    right = np.asarray(model(split.x_train, training=False)).argmax(1) == split.y_train
    own = np.asarray(model(split.x_test, training=True)).argmax(1) == split.y_test
    return {
        "train_accuracy": float(right.mean()),
        "wrong_labels_fitted": float(right[split.noisy_train].mean()),
        "batch_statistics_accuracy": float(own.mean()),
    }


# Every batch size gets the same number of updates (steps), so a smaller batch is not
# also a longer training: 960 steps of 500 training images.
batch_sizes, UPDATES, DATA = [8, 32, 128], 960, DataSpec(n_train=500, label_noise=0.3)
by_batch = {
    b: run(
        f"q7 batch {b}",
        build_mlp,
        {"no BN": {"batch_norm": False}, "BN": {"batch_norm": True}},
        data=DATA,
        seeds=5,
        epochs=round(UPDATES / -(-500 // b)),  # steps per epoch: 500 / b, rounded up
        batch_size=b,
        probe=fitted,
    )
    for b in batch_sizes
}
