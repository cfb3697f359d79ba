import keras
import numpy as np

# Two weights whose loss gradients differ in scale by 100x, both pulled towards 0 by a
# penalty. Adam divides every gradient, the penalty's included, by its running RMS, so an
# L2 term in the loss decays the two weights at very different rates. AdamW subtracts
# lr * weight_decay * w directly, the same fraction for every weight.
scales = np.array(
    [100.0, 1.0], dtype="float32"
)  # how steep the data loss is per weight
lr, lam, steps = 1e-2, 5e-2, 1000


def train(optimizer: keras.optimizers.Optimizer, l2: float) -> np.ndarray:
    w = keras.Variable(np.ones(2, dtype="float32"))
    for step in range(steps):
        data = scales * (
            1.0 if step % 2 else -1.0
        )  # a zero-mean, alternating data gradient
        grad = data + 2 * l2 * np.asarray(w)  # plus the L2 gradient, as Keras adds it
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(grad), w)])
    return np.asarray(w)


adam_l2 = train(keras.optimizers.Adam(learning_rate=lr), l2=lam)
adamw = train(keras.optimizers.AdamW(learning_rate=lr, weight_decay=2 * lam), l2=0.0)
sgd_l2 = train(keras.optimizers.SGD(learning_rate=lr), l2=lam)
sgd_wd = train(keras.optimizers.SGD(learning_rate=lr, weight_decay=2 * lam), l2=0.0)
