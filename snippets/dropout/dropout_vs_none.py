import keras
from reglab import DataSpec, config, run

# The data: scikit-learn's 8×8 digits, or MNIST's 28×28 digits when REGLAB_MNIST=1.
# An MNIST run has 784 inputs and 4× the rows, so it trains fewer seeds and epochs.
if config.mnist():
    DATA = dict(dataset="mnist", n_train=2000, n_val=1000, n_test=2000)
    PIXELS, SEEDS, EPOCHS = 784, 5, (20, 40)
else:
    DATA = dict(dataset="digits", n_train=500)
    PIXELS, SEEDS, EPOCHS = 64, 10, (60, 100)


def build_mlp(dropout: float) -> keras.Model:
    """Two hidden ReLU layers of 256 units, with Dropout after each when dropout > 0."""
    model = keras.Sequential([keras.Input(shape=(PIXELS,))])
    for _ in range(2):
        model.add(keras.layers.Dense(256, activation="relu"))
        if dropout > 0:
            model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


arms = {"no dropout": {"dropout": 0.0}, "dropout 0.5": {"dropout": 0.5}}

# Setting 1: clean labels.
clean = run(
    "q8 clean digits",
    build_mlp,
    arms,
    data=DataSpec(**DATA),
    seeds=SEEDS,
    epochs=EPOCHS[0],
)

# Setting 2: the same, but 30% of training and validation labels are wrong.
noisy = run(
    "q8 noisy labels",
    build_mlp,
    arms,
    data=DataSpec(**DATA, label_noise=0.3),
    seeds=SEEDS,
    epochs=EPOCHS[1],
    track_test=True,  # per-epoch test scores, to replay early stopping on both arms
)
