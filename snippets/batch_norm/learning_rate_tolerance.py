import keras
from reglab import DataSpec, run


def build_mlp(batch_norm: bool, learning_rate: float) -> keras.Model:
    """Two hidden layers of 256 units, with or without BatchNormalization before the ReLU,
    trained by plain SGD at the given learning rate."""
    model = keras.Sequential([keras.Input(shape=(64,))])
    for _ in range(2):
        model.add(keras.layers.Dense(256))
        if batch_norm:
            model.add(keras.layers.BatchNormalization())
        model.add(keras.layers.Activation("relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


learning_rates = [0.001, 0.01, 0.1, 0.3, 1.0, 3.0]
arms = {
    f"{'BN' if bn else 'no BN'}, lr {lr:g}": {"batch_norm": bn, "learning_rate": lr}
    for bn in (False, True)
    for lr in learning_rates
}
lr_sweep = run(
    "q7 learning-rate tolerance",
    build_mlp,
    arms,
    data=DataSpec(n_train=500),
    seeds=5,
    epochs=30,
)
