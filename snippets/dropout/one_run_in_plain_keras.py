import keras
import tensorflow as tf
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

# scikit-learn's 8×8 digits: 500 images to train on, 300 to validate on,
# 500 to test once.
x, y = load_digits(return_X_y=True)
x = (x / 16.0).astype("float32")
x_train, x_rest, y_train, y_rest = train_test_split(
    x, y, train_size=500, stratify=y, random_state=0
)
x_val, x_test, y_val, y_test = train_test_split(
    x_rest, y_rest, train_size=300, test_size=500, stratify=y_rest, random_state=0
)


def build_mlp(dropout: float) -> keras.Model:
    """Two hidden ReLU layers of 256 units, with Dropout after each when dropout > 0."""
    model = keras.Sequential([keras.Input(shape=(64,))])
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


# The same numbers on every run, to the bit:
tf.config.experimental.enable_op_determinism()
histories, test_accuracy = {}, {}
for name, rate in [("no dropout", 0.0), ("dropout 0.5", 0.5)]:
    keras.utils.set_random_seed(0)  # both models start from the same seed
    model = build_mlp(rate)
    history = model.fit(
        x_train,
        y_train,
        validation_data=(x_val, y_val),
        epochs=60,
        batch_size=32,
        verbose=0,
    )
    histories[name] = history.history
    test_accuracy[name] = model.evaluate(x_test, y_test, verbose=0)[
        1
    ]  # once, at the end
