import keras
import numpy as np

# One feature with mean 5 and standard deviation 3, in batches of 32.
rng = np.random.default_rng(0)
batches = [rng.normal(5.0, 3.0, size=(32, 1)).astype("float32") for _ in range(500)]
probe = batches[0]

bn = keras.layers.BatchNormalization(momentum=0.99)  # the Keras default
bn.build((None, 1))
rows = []
for steps in range(501):
    if steps in (0, 1, 10, 50, 100, 200, 500):
        moving_mean = float(bn.moving_mean.numpy()[0])  # read before probing
        inference = np.asarray(bn(probe, training=False))  # moving statistics
        saved = [v.numpy() for v in (bn.moving_mean, bn.moving_variance)]
        training = np.asarray(bn(probe, training=True))  # batch statistics; this call
        bn.moving_mean.assign(saved[0])  # also updates the moving statistics,
        bn.moving_variance.assign(saved[1])  # so undo it: only the steps below count
        rows.append(
            (
                steps,
                moving_mean,
                training.mean(),
                training.std(),
                inference.mean(),
                inference.std(),
            )
        )
    if steps < 500:
        bn(
            batches[steps], training=True
        )  # one training step updates the moving statistics
