import keras
import numpy as np
from reglab import DataSpec, run


def build_seed_004(l2: float, dropout: float) -> keras.Model:
    """Seed 004's example: Dense(64) → Dense(64, L2) → Dropout → Dense(1, sigmoid), Adam.
    The seed writes Dense(64, input_dim=100); keras.Input(shape=(100,)) builds the same model."""
    regularizer = keras.regularizers.l2(l2) if l2 > 0 else None
    model = keras.Sequential([keras.Input(shape=(100,))])
    model.add(keras.layers.Dense(64, activation="relu"))
    model.add(keras.layers.Dense(64, activation="relu", kernel_regularizer=regularizer))
    if dropout > 0:
        model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.compile(
        loss=keras.losses.BinaryCrossentropy(), optimizer="adam", metrics=["accuracy"]
    )
    return model


def training_split(model: keras.Model, split) -> dict[str, float]:
    """Accuracy of the trained model on its own training split, in inference mode
    (dropout off), as it is used on the test split."""
    predicted = np.asarray(model(split.x_train, training=False))[:, 0] > 0.5
    return {"train_accuracy": float(np.mean(predicted == split.y_train))}


arms = {
    "no regularization": {"l2": 0.0, "dropout": 0.0},
    "L2(0.01) only": {"l2": 0.01, "dropout": 0.0},
    "Dropout(0.5) only": {"l2": 0.0, "dropout": 0.5},
    "as written: L2(0.01) + Dropout(0.5)": {"l2": 0.01, "dropout": 0.5},
}

# 100 features, 5 informative, binary labels; the seed's own fit: 10 epochs, batch size 32.
seed_004 = run(
    "pitfalls 004 l2 and dropout",
    build_seed_004,
    arms,
    data=DataSpec(dataset="sparse-binary"),
    seeds=5,
    epochs=10,
    probe=training_split,
)
