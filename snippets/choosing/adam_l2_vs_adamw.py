import keras
import numpy as np
from reglab import memo

# Two weights whose loss gradients differ in scale by 100x, both pulled towards 0 by a
# penalty. Adam divides every gradient, the penalty's included, by its running RMS, so
# an L2 term in the loss decays the two weights at very different rates. AdamW
# subtracts lr * weight_decay * w directly, the same fraction for every weight.
scales = (100.0, 1.0)  # how steep the data loss is per weight
lr, lam, steps = 1e-2, 5e-2, 1000


def train(optimizer: keras.optimizers.Optimizer, l2: float) -> np.ndarray:
    w = keras.Variable(np.ones(2, dtype="float32"))
    steepness = np.array(scales, dtype="float32")
    for step in range(steps):
        data = steepness * (1.0 if step % 2 else -1.0)  # zero-mean, alternating
        grad = data + 2 * l2 * np.asarray(w)  # plus the L2 gradient, as Keras adds it
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(grad), w)])
    return np.asarray(w)


def final_weights(optimizer: str, weight_decay: float, l2: float) -> list[float]:
    """`train` with the Keras optimizer of that name; `reglab.memo` keeps the result."""
    options = {"weight_decay": weight_decay} if weight_decay else {}
    return train(
        getattr(keras.optimizers, optimizer)(learning_rate=lr, **options), l2
    ).tolist()


adam_l2 = np.array(memo(final_weights, "Adam", 0.0, lam))
adamw = np.array(memo(final_weights, "AdamW", 2 * lam, 0.0))
sgd_l2 = np.array(memo(final_weights, "SGD", 0.0, lam))
sgd_wd = np.array(memo(final_weights, "SGD", 2 * lam, 0.0))
