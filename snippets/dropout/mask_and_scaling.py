import keras
import numpy as np

keras.utils.set_random_seed(0)
rate = (
    0.5  # Keras: the fraction DROPPED; the paper's retain probability is p = 1 - rate
)
p = 1 - rate
layer = keras.layers.Dropout(rate)
x = np.linspace(0.5, 2.0, 6, dtype="float32")[None, :]  # one example, six activations
w = (
    np.random.default_rng(0).normal(size=(6, 3)).astype("float32")
)  # the next layer's weights

# Keras (inverted dropout): scale the survivors by 1/p while training; do nothing at inference.
masks = np.asarray(
    layer(np.repeat(x, 20000, axis=0), training=True)
)  # 20000 draws of the mask
keras_train_mean = (masks @ w).mean(axis=0)
keras_inference = np.asarray(layer(x, training=False))[0] @ w

# The paper: drop without scaling while training; multiply the weights by p at test time.
paper_train_mean = ((masks * p) @ w).mean(
    axis=0
)  # the same masks, without the 1/p factor
paper_test = x[0] @ (p * w)
