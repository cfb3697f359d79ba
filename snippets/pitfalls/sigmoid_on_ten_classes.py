import keras
import numpy as np
from reglab import DataSpec, run


def build_seed_002(head: str, dropout: float) -> keras.Model:
    """Seed 002's MLP: two Dense(64) ReLU layers with L2(0.001), optional Dropout, and
    either its output as written (one sigmoid unit, binary cross-entropy) or the fix."""
    model = keras.Sequential([keras.Input(shape=(784,))])
    for _ in range(2):
        model.add(
            keras.layers.Dense(
                64, activation="relu", kernel_regularizer=keras.regularizers.l2(0.001)
            )
        )
        if dropout > 0:
            model.add(keras.layers.Dropout(dropout))
    if head == "sigmoid":  # as written: one unit for ten classes
        model.add(keras.layers.Dense(1, activation="sigmoid"))
        loss = keras.losses.BinaryCrossentropy()  # "binary_crossentropy", as an object
    else:  # the fix: one unit per class
        model.add(keras.layers.Dense(10, activation="softmax"))
        loss = keras.losses.SparseCategoricalCrossentropy()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.001),
        loss=loss,
        metrics=["accuracy"],
    )
    return model


def read_predictions(model: keras.Model, split) -> dict:
    """What the trained model predicts on the test split, read without Keras's metric."""
    p = np.asarray(model(split.x_test, training=False))
    y = split.y_test
    shares = np.bincount(y, minlength=split.n_classes) / len(y)
    out = {
        "argmax_accuracy": float(np.mean(np.argmax(p, axis=1) == y)),
        "share_of_class_0": float(shares[0]),
        "share_of_class_1": float(shares[1]),
        "majority_share": float(shares.max()),
        "keras_accuracy_metric": type(model.metrics[-1].metrics[0]).__name__,
    }
    if p.shape[1] == 1:  # the sigmoid head: how often it says "above 0.5"
        out["share_above_half"] = float(np.mean(p[:, 0] > 0.5))
        out["mean_output"] = float(p.mean())
        out["thresholded_equals_label"] = float(
            np.mean((p[:, 0] > 0.5).astype(int) == y)
        )
    return out


arms = {
    "as written: sigmoid, no dropout": {"head": "sigmoid", "dropout": 0.0},
    "as written: sigmoid, dropout 0.5": {"head": "sigmoid", "dropout": 0.5},
    "fix: softmax, no dropout": {"head": "softmax", "dropout": 0.0},
    "fix: softmax, dropout 0.5": {"head": "softmax", "dropout": 0.5},
}

# Seed 002 trained for 10 epochs with batch size 32; here on real MNIST digits: 6,000
# training, 2,000 validation and 2,000 test images.
heads = run(
    "pitfalls 002 sigmoid on ten classes",
    build_seed_002,
    arms,
    data=DataSpec(dataset="mnist-10k", n_train=6000, n_val=2000, n_test=2000),
    seeds=5,
    epochs=10,
    probe=read_predictions,
)
