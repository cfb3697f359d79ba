import keras
import numpy as np
import tensorflow as tf

w = tf.Variable([-2.0, -0.5, 0.0, 0.5, 3.0])
lam = 0.01
rows = []
for name, regularizer in [
    ("L1(0.01)", keras.regularizers.L1(lam)),
    ("L2(0.01)", keras.regularizers.L2(lam)),
]:
    with tf.GradientTape() as tape:
        penalty = regularizer(w)
    rows.append((name, float(penalty), np.asarray(tape.gradient(penalty, w))))
by_hand = {
    "L1(0.01)": lam * np.sum(np.abs(w.numpy())),
    "L2(0.01)": lam * np.sum(w.numpy() ** 2),
}
