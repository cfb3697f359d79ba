import keras
import numpy as np
from reglab import DataSpec, Split, load, memo
from reglab.engine import train

SPEC = DataSpec(dataset="sparse-binary")  # 100 features, binary labels
SEEDS = 5


def build_seed_000(dropout: float) -> keras.Model:
    """Seed 000's models: Dense(64) → [Dropout] → Dense(32) → [Dropout] → Dense(1, sigmoid)."""
    model = keras.Sequential(
        [keras.Input(shape=(101,)), keras.layers.Dense(64, activation="relu")]
    )
    if dropout > 0:
        model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(32, activation="relu"))
    if dropout > 0:
        model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.compile(
        optimizer="adam", loss=keras.losses.BinaryCrossentropy(), metrics=["accuracy"]
    )
    return model


def pipeline(seed: int, leak: bool, shuffle_labels: bool) -> Split:
    """Build the table, split it, scale it on the training rows. With ``leak`` a column
    derived from the label stays among the inputs, as ``quality`` would if only the
    derived ``target`` were dropped. ``shuffle_labels`` permutes the labels at the source,
    before anything else runs: the whole-pipeline sanity check."""
    s = load(SPEC, seed)
    sizes = np.cumsum([len(s.y_train), len(s.y_val)])
    x = np.concatenate([s.x_train, s.x_val, s.x_test])
    y = np.concatenate([s.y_train, s.y_val, s.y_test])
    rng = np.random.default_rng([seed, 0])
    if shuffle_labels:
        y = rng.permutation(y)
    # A wine-style "quality" grade from 3 to 8; the label is "grade > 5". Without the leak,
    # the extra column is a grade drawn independently of the label.
    grade = np.where(y == 1, rng.integers(6, 9, len(y)), rng.integers(3, 6, len(y)))
    if not leak:
        grade = rng.integers(3, 9, len(y))
    x = np.column_stack([x, grade]).astype("float32")
    mean, std = x[: sizes[0]].mean(axis=0), x[: sizes[0]].std(axis=0)
    x = (x - mean) / std
    (xt, xv, xs), (yt, yv, ys) = np.split(x, sizes), np.split(y, sizes)
    return Split(xt, yt, xv, yv, xs, ys, 2, np.zeros(len(yt), dtype=bool))


def fit_and_score(seed: int, leak: bool, shuffle_labels: bool, dropout: float) -> dict:
    """Seed 000's training as written: 10 epochs, batch size 32; then evaluate on test."""
    split = pipeline(seed, leak, shuffle_labels)
    keras.utils.set_random_seed(seed)
    model = build_seed_000(dropout)
    result = train(model, split, epochs=10, batch_size=32, seed=seed)
    return {
        "test_accuracy": result.test["accuracy"],
        "train_accuracy": result.history["accuracy"][-1],
    }


conditions = {
    "leaky table, no dropout": {"leak": True, "shuffle_labels": False, "dropout": 0.0},
    "leaky table, dropout 0.5": {"leak": True, "shuffle_labels": False, "dropout": 0.5},
    "clean table, no dropout": {"leak": False, "shuffle_labels": False, "dropout": 0.0},
    "leaky table, labels shuffled at the source": {
        "leak": True,
        "shuffle_labels": True,
        "dropout": 0.0,
    },
    "clean table, labels shuffled at the source": {
        "leak": False,
        "shuffle_labels": True,
        "dropout": 0.0,
    },
}
scores = {
    name: np.array(
        [memo(fit_and_score, seed, **params)["test_accuracy"] for seed in range(SEEDS)]
    )
    for name, params in conditions.items()
}


def single_feature_accuracy(split: Split) -> np.ndarray:
    """Test accuracy of each input alone, thresholded midway between its two class means
    on the training rows: one column that predicts the label by itself is a leak."""
    m0, m1 = (
        split.x_train[split.y_train == 0].mean(axis=0),
        split.x_train[split.y_train == 1].mean(axis=0),
    )
    predicted = ((split.x_test - (m0 + m1) / 2) * np.sign(m1 - m0) > 0).astype(int)
    return (predicted == split.y_test[:, None]).mean(axis=0)


def duplicated_rows(split: Split) -> int:
    """How many test rows also occur, byte for byte, among the training rows."""
    seen = {row.tobytes() for row in split.x_train}
    return sum(row.tobytes() in seen for row in split.x_test)


single = np.stack(
    [single_feature_accuracy(pipeline(seed, True, False)) for seed in range(SEEDS)]
)
duplicates = [duplicated_rows(pipeline(seed, True, False)) for seed in range(SEEDS)]
