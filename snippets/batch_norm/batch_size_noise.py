import keras
import numpy as np
from reglab import Arm, DataSpec, run


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
    """Training accuracy in inference mode: on all training labels, and on the wrong ones."""
    right = np.asarray(model(split.x_train, training=False)).argmax(1) == split.y_train
    return {
        "train_accuracy": float(right.mean()),
        "wrong_labels_fitted": float(right[split.noisy_train].mean()),
    }


batch_sizes = [8, 32, 128]
arms = {
    f"{'BN' if bn else 'no BN'}, batch {b}": Arm({"batch_norm": bn}, batch_size=b)
    for bn in (False, True)
    for b in batch_sizes
}
by_batch = run(
    "q7 batch size",
    build_mlp,
    arms,
    data=DataSpec(n_train=500, label_noise=0.3),
    seeds=5,
    epochs=60,
    probe=fitted,
)
