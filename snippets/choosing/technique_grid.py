import keras
from reglab import Arm, DataSpec, EarlyStop, run


def build_mlp(
    l2: float = 0.0, dropout: float = 0.0, batch_norm: bool = False
) -> keras.Model:
    """A 2x256 ReLU MLP with any mix of L2 on the kernels, dropout and batch normalization."""
    penalty = keras.regularizers.L2(l2) if l2 else None
    model = keras.Sequential([keras.Input(shape=(64,))])
    for _ in range(2):
        model.add(keras.layers.Dense(256, kernel_regularizer=penalty))
        if batch_norm:
            model.add(keras.layers.BatchNormalization())
        model.add(keras.layers.Activation("relu"))
        if dropout:
            model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="softmax", kernel_regularizer=penalty))
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return model


stop = EarlyStop(patience=10, restore=True)
techniques = {
    "none": Arm({}),
    "L2 (1e-3)": Arm({"l2": 1e-3}),
    "dropout 0.5": Arm({"dropout": 0.5}),
    "early stopping": Arm({}, early_stop=stop),
    "batch norm": Arm({"batch_norm": True}),
    "dropout 0.5 + early stopping": Arm({"dropout": 0.5}, early_stop=stop),
}
settings = {
    "200 clean": DataSpec(n_train=200),
    "800 clean": DataSpec(n_train=800),
    "200, 30% noise": DataSpec(n_train=200, label_noise=0.3),
    "800, 30% noise": DataSpec(n_train=800, label_noise=0.3),
}
grid = {
    name: run(f"q9 {name}", build_mlp, techniques, data=spec, seeds=5, epochs=60)
    for name, spec in settings.items()
}
