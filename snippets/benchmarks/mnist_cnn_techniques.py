import keras
from reglab import Arm, DataSpec, run

# 500 real MNIST digits (28×28), clean labels. A small CNN, shaped like Keras's
# "Simple MNIST convnet" example, trains with Adam in batches of 32 for 30 epochs; each
# arm adds one technique, or all three at once.


def build(
    dropout: float = 0.0, batch_norm: bool = False, augment: bool = False
) -> keras.Model:
    """Two 3×3 convolutions (16 and 32 filters), each followed by 2×2 max pooling, then
    the softmax layer; optional dropout before it, batch normalization before each ReLU,
    and random shifts and rotations of the training images."""
    inputs = keras.Input(shape=(784,))
    h = keras.layers.Reshape((28, 28, 1))(inputs)
    if augment:  # active in training only: shifts up to ±2.8 px, turns up to ±11°
        h = keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant")(h)
        h = keras.layers.RandomRotation(0.03, fill_mode="constant")(h)
    for filters in (16, 32):
        h = keras.layers.Conv2D(filters, 3)(h)
        if batch_norm:
            h = keras.layers.BatchNormalization()(h)
        h = keras.layers.Activation("relu")(h)
        h = keras.layers.MaxPooling2D()(h)
    h = keras.layers.Flatten()(h)
    if dropout:
        h = keras.layers.Dropout(dropout)(h)
    outputs = keras.layers.Dense(10, activation="softmax")(h)
    model = keras.Model(inputs, outputs)
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return model


cnn_arms = {
    "none": Arm({}),
    "dropout 0.5": Arm({"dropout": 0.5}),
    "batch norm": Arm({"batch_norm": True}),
    "augmentation": Arm({"augment": True}),
    "dropout + batch norm + augmentation": Arm(
        {"dropout": 0.5, "batch_norm": True, "augment": True}
    ),
}
cnn_data = DataSpec(dataset="mnist-10k", n_train=500, n_val=500, n_test=2000)
cnn_epochs = 30
mnist_cnn = run(
    "real MNIST CNN techniques",
    build,
    cnn_arms,
    data=cnn_data,
    seeds=5,
    epochs=cnn_epochs,
    batch_size=32,
)
