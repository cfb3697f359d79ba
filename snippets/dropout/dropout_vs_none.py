import keras
from reglab import DataSpec, run


def build_mlp(dropout: float) -> keras.Model:
    """Two hidden ReLU layers of 512 units, with Dropout after each when dropout > 0."""
    model = keras.Sequential([keras.Input(shape=(64,))])
    for _ in range(2):
        model.add(keras.layers.Dense(512, activation="relu"))
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

# Setting 1: clean labels, 500 training images.
clean = run("q8 clean digits", build_mlp, arms, data=DataSpec(n_train=500), seeds=10, epochs=60)

# Setting 2: the same, but 30% of training and validation labels are wrong.
noisy = run(
    "q8 noisy labels",
    build_mlp,
    arms,
    data=DataSpec(n_train=500, label_noise=0.3),
    seeds=10,
    epochs=100,
)
