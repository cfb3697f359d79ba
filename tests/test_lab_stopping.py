"""Replaying a stopping rule on a recorded curve gives what Keras's callback gives."""

import keras
import pytest
from reglab import DataSpec, load
from reglab.engine import train
from reglab.stopping import Stop, keras_patience, prechelt_gl


def mlp() -> keras.Model:
    model = keras.Sequential(
        [
            keras.Input((64,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_rules_on_a_hand_made_curve():
    curve = [1.0, 0.8, 0.7, 0.72, 0.71, 0.75, 0.9]
    assert keras_patience(curve, patience=3) == Stop(stop=6, best=3)
    assert keras_patience(curve, patience=2) == Stop(stop=5, best=3)
    assert keras_patience(curve, patience=10) == Stop(stop=7, best=3)
    assert prechelt_gl(curve, alpha=5) == Stop(stop=6, best=3)  # 0.75 / 0.7 - 1 = 7% > 5%
    assert Stop(5, 3).pick([10, 20, 30, 40, 50], restore=True) == 30


@pytest.mark.parametrize("restore", [False, True])
def test_replay_matches_keras_early_stopping(restore):
    split = load(DataSpec(n_train=300, label_noise=0.3), 0)
    keras.utils.set_random_seed(0)
    recorded = train(mlp(), split, epochs=40, batch_size=32, seed=0, shuffle=False, track_test=True)
    keras.utils.set_random_seed(0)
    model = mlp()
    callback = keras.callbacks.EarlyStopping(patience=3, restore_best_weights=restore)
    history = model.fit(
        split.x_train,
        split.y_train,
        validation_data=(split.x_val, split.y_val),
        epochs=40,
        batch_size=32,
        shuffle=False,
        verbose=0,
        callbacks=[callback],
    ).history
    stop = keras_patience(recorded.history["val_loss"], patience=3)
    assert stop.stop == len(history["val_loss"]) < 40
    kept = model.evaluate(split.x_test, split.y_test, verbose=0, return_dict=True)["accuracy"]
    assert stop.pick(recorded.history["test_accuracy"], restore) == pytest.approx(kept, abs=1e-6)
