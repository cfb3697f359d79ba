import keras
import numpy as np
from reglab import DataSpec, run, tuning


def build_mlp(l1: float, l2: float) -> keras.Model:
    """100 inputs -> 64 ReLU units -> 2 classes; L1 and/or L2 on the first layer's kernel."""
    model = keras.Sequential(
        [
            keras.Input(shape=(100,)),
            keras.layers.Dense(
                64,
                activation="relu",
                kernel_regularizer=keras.regularizers.L1L2(l1=l1, l2=l2),
            ),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return model


def first_layer(model: keras.Model, split) -> dict:
    """Sparsity of the first layer's kernel, and which input features it still uses."""
    kernel = np.asarray(model.layers[0].kernel)  # shape (100 features, 64 units)
    usage = np.linalg.norm(kernel, axis=1)  # how strongly each input feature is used
    magnitudes = np.log10(np.abs(kernel).ravel() + 1e-12)
    return {
        "exactly_zero": float(np.mean(kernel == 0)),
        "below_1e-3": float(np.mean(np.abs(kernel) < 1e-3)),
        "log10_abs_histogram": np.histogram(
            magnitudes, bins=np.arange(-12.5, 1.0, 0.5)
        )[0].tolist(),
        "top5_features": np.argsort(usage)[::-1][:5].tolist(),
        "usage": usage.tolist(),
    }


# Each penalty gets its own sweep: the same λ means a different strength for |w| and w².
lambdas = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]
penalties = {
    "L1": tuning.grid("L1 {:.0e}", "l1", lambdas, l2=0.0),
    "L2": tuning.grid("L2 {:.0e}", "l2", lambdas, l1=0.0),
}
sparse = run(
    "q3 100 features, 5 informative",
    build_mlp,
    {"none": {"l1": 0.0, "l2": 0.0}} | penalties["L1"] | penalties["L2"],
    data=DataSpec(dataset="sparse-binary", n_train=400),
    seeds=5,
    epochs=150,
    probe=first_layer,
)
tuned = {
    name: tuning.tune(sparse, arms, label=name) for name, arms in penalties.items()
}
