import keras
import numpy as np
from reglab import DataSpec, run, tuning


def build_mlp(rate: float) -> keras.Model:
    """Two hidden ReLU layers of 256 units, each followed by Dropout(rate) when rate > 0."""
    model = keras.Sequential([keras.Input(shape=(64,))])
    for _ in range(2):
        model.add(keras.layers.Dense(256, activation="relu"))
        if rate > 0:
            model.add(keras.layers.Dropout(rate))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def mc_dropout(model: keras.Model, split, passes: int = 50) -> dict[str, float]:
    """Test accuracy, loss and confidence (mean top probability) of one deterministic
    pass, and of the average of `passes` stochastic passes with dropout left on (MC dropout)."""
    x, y = split.x_test, split.y_test
    deterministic = np.asarray(model(x, training=False))
    averaged = np.mean(
        [np.asarray(model(x, training=True)) for _ in range(passes)], axis=0
    )

    def log_loss(p: np.ndarray) -> float:
        return float(-np.mean(np.log(p[np.arange(len(y)), y] + 1e-7)))

    return {
        "deterministic_accuracy": float(np.mean(deterministic.argmax(1) == y)),
        "deterministic_loss": log_loss(deterministic),
        "deterministic_confidence": float(np.mean(deterministic.max(1))),
        "mc_accuracy": float(np.mean(averaged.argmax(1) == y)),
        "mc_loss": log_loss(averaged),
        "mc_confidence": float(np.mean(averaged.max(1))),
    }


def final_model(model: keras.Model, split) -> dict[str, float]:
    """What the page reports on each final model: MC dropout on the test split, and how
    well the trained network fits its own training labels with dropout off
    (training=False), as it is used at inference."""
    predicted = np.asarray(model(split.x_train, training=False)).argmax(1)
    fits = predicted == split.y_train
    out = {**mc_dropout(model, split), "train_accuracy": float(np.mean(fits))}
    if (
        split.noisy_train.any()
    ):  # the share of wrong training labels the network reproduces
        out["memorised"] = float(np.mean(fits[split.noisy_train]))
    return out


rates = [0.0, 0.1, 0.2, 0.4, 0.6, 0.8]
arms = {f"rate {r}": {"rate": r} for r in rates}
settings = {
    "clean labels": DataSpec(n_train=500),
    "30% label noise": DataSpec(n_train=500, label_noise=0.3),
}
sweeps = {
    name: run(
        f"q5 rate sweep, {name}",
        build_mlp,
        arms,
        data=spec,
        seeds=5,
        epochs=80,
        probe=final_model,
        track_test=True,
    )
    for name, spec in settings.items()
}
# The rate chosen per seed on validation data, alone and with early stopping.
grid = [f"rate {r}" for r in rates[1:]]
tuned = {
    name: {
        "dropout": tuning.tune(res, grid, label="dropout"),
        "early stopping": tuning.tune(
            res, ["rate 0.0"], stopping=tuning.stopping_grid()
        ),
        "dropout + early stopping": tuning.tune(
            res, grid, stopping=tuning.stopping_grid()
        ),
    }
    for name, res in sweeps.items()
}
