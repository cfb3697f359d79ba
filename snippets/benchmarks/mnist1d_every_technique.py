import keras
from reglab import Arm, DataSpec, EarlyStop, run

# MNIST-1D, clean labels. Every arm trains as the paper does (Adam at learning rate
# 0.01, batches of 100, 150 epochs) and differs from "none" in one technique. The
# settings are page 9's: L2 1e-3, dropout 0.5, patience 10 restoring the best weights.


class ShiftAndScale(keras.layers.Layer):
    """Training-only augmentation (Prince, UDL notebook 9.5): roll each sequence by a
    random number of positions and scale it by a factor from U(0.8, 1.2)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed = keras.random.SeedGenerator()

    def call(self, x, training=False):
        if not training:
            return x
        n, length = keras.ops.shape(x)[0], x.shape[1]
        shift = keras.random.randint((n, 1), 0, length, seed=self.seed)
        rolled = (keras.ops.arange(length)[None, :] - shift) % length
        scale = keras.random.uniform((n, 1), 0.8, 1.2, seed=self.seed)
        return keras.ops.take_along_axis(x, rolled, axis=1) * scale


def build(
    cnn: bool = False,
    l2: float = 0.0,
    dropout: float = 0.0,
    batch_norm: bool = False,
    augment: bool = False,
) -> keras.Model:
    """A 40→100→100→10 ReLU MLP (or the paper's CNN) with any mix of L2 on the kernels,
    dropout, batch normalization and augmentation."""
    penalty = keras.regularizers.L2(l2) if l2 else None
    inputs = keras.Input(shape=(40,))
    h = ShiftAndScale()(inputs) if augment else inputs
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


stop = EarlyStop(patience=10, restore=True)
techniques_1d = {
    "none": Arm({}),
    "L2 (1e-3)": Arm({"l2": 1e-3}),
    "dropout 0.5": Arm({"dropout": 0.5}),
    "early stopping": Arm({}, early_stop=stop),
    "batch norm": Arm({"batch_norm": True}),
    "augmentation": Arm({"augment": True}),
    "CNN": Arm({"cnn": True}),
    "dropout 0.5 + early stopping": Arm({"dropout": 0.5}, early_stop=stop),
}
mnist1d = run(
    "mnist1d every technique",
    build,
    techniques_1d,
    data=DataSpec(dataset="mnist1d", n_val=500, n_test=1000),
    seeds=8,
    epochs=150,
    batch_size=100,
)
