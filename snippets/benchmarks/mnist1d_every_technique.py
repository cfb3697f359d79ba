import keras
from reglab import Arm, DataSpec, run, tuning

# MNIST-1D, clean labels. Every arm trains as the paper does (Adam at learning rate
# 0.01, batches of 100, 150 epochs) and differs from "none" in one technique. Each
# technique's strength is chosen per seed on validation data, from the grids below.


def build(
    cnn: bool = False, l2: float = 0.0, dropout: float = 0.0, batch_norm: bool = False
) -> keras.Model:
    """A 40→100→100→10 ReLU MLP (or the paper's CNN) with any mix of L2 on the kernels,
    dropout and batch normalization."""
    penalty = keras.regularizers.L2(l2) if l2 else None
    inputs = keras.Input(shape=(40,))
    h = inputs
    if cnn:
        h = keras.layers.Reshape((40, 1))(h)
        for kernel in (5, 3, 3):
            h = keras.layers.ZeroPadding1D(1)(h)
            h = keras.layers.Conv1D(25, kernel, strides=2, activation="relu")(h)
        h = keras.layers.Flatten()(h)
    else:
        for _ in range(2):
            h = keras.layers.Dense(100, kernel_regularizer=penalty)(h)
            if batch_norm:
                h = keras.layers.BatchNormalization()(h)
            h = keras.layers.Activation("relu")(h)
            if dropout:
                h = keras.layers.Dropout(dropout)(h)
    outputs = keras.layers.Dense(10, "softmax", kernel_regularizer=penalty)(h)
    model = keras.Model(inputs, outputs)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-2),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


grids_1d = {
    "L2": tuning.grid("L2 {:.0e}", "l2", [1e-5, 1e-4, 1e-3, 1e-2]),
    "dropout": tuning.grid("dropout {:g}", "dropout", [0.05, 0.1, 0.2, 0.4]),
    "batch norm": {"batch norm": Arm({"batch_norm": True})},
}
arms_1d = {"none": Arm({})} | {
    a: arm for g in grids_1d.values() for a, arm in g.items()
}
mnist1d = run(
    "mnist1d every technique",
    build,
    arms_1d | {"CNN": Arm({"cnn": True})},
    data=DataSpec(dataset="mnist1d", n_val=500, n_test=1000),
    seeds=5,
    epochs=150,
    batch_size=100,
    track_test=True,
)
tuned_1d = tuning.techniques(mnist1d, grids_1d, stopping=tuning.stopping_grid())
