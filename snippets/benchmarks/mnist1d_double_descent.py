import keras
import numpy as np
from reglab import DataSpec, run

# Double descent on MNIST-1D (Greydanus & Kobak, 2024, §5.2; Prince, UDL, notebook 8.3):
# 15% of the training labels randomized, which replaces about 13.5% with another class.
# A 40→n→n→10 ReLU MLP trains with SGD (learning rate 0.01, momentum 0.9) in batches of
# 100 for 500 epochs, with no regularization, at each width n.
WIDTHS = (4, 8, 16, 24, 32, 48, 64, 96, 128, 300)
# The paper's curve, read from its figure: (widths, test error) of three landmarks.
PAPER = {
    "lowest before the peak": ((16,), (0.47,)),
    "peak, where training error reaches 0": ((47, 61), (0.54, 0.54)),
    "widest": ((300,), (0.455,)),
}


def build(width: int) -> keras.Model:
    """40→width→width→10, He-uniform weights and zero biases, as in UDL notebook 8.3."""
    model = keras.Sequential([keras.Input(shape=(40,))])
    for _ in range(2):
        model.add(keras.layers.Dense(width, "relu", kernel_initializer="he_uniform"))
    model.add(keras.layers.Dense(10, "softmax", kernel_initializer="he_uniform"))
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def training_error(model: keras.Model, split) -> dict:
    """The final model's error on its own (noisy) training labels."""
    predicted = model.predict(split.x_train, verbose=0).argmax(axis=1)
    return {"training_error": float(np.mean(predicted != split.y_train))}


double_descent = run(
    "mnist1d double descent",
    build,
    {f"width {n}": {"width": n} for n in WIDTHS},
    data=DataSpec(dataset="mnist1d", n_val=500, n_test=1000, label_noise=0.135),
    seeds=3,
    epochs=500,
    batch_size=100,
    probe=training_error,
)
