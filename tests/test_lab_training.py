"""Data splits and the training loop: determinism, and agreement with model.fit."""

import keras
import numpy as np
import pytest
from reglab import DataSpec, load
from reglab.engine import train


def mlp(rate: float = 0.0) -> keras.Model:
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(32, activation="relu")])
    if rate:
        model.add(keras.layers.Dropout(rate))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_split_is_stratified_disjoint_and_fixed_by_seed():
    spec = DataSpec(n_train=300)
    a, b, c = load(spec, 0), load(spec, 0), load(spec, 1)
    assert np.array_equal(a.x_train, b.x_train) and not np.array_equal(a.x_train, c.x_train)
    assert (len(a.y_train), len(a.y_val), len(a.y_test)) == (300, 300, 500)
    rows = {r.tobytes() for r in a.x_train} | {r.tobytes() for r in a.x_val}
    assert not any(r.tobytes() in rows for r in a.x_test)
    assert np.bincount(a.y_train).min() >= 28  # ten classes, 30 each give or take one


def test_label_noise_hits_the_asked_fraction_and_never_the_test_split():
    clean, noisy = load(DataSpec(n_train=500), 3), load(DataSpec(n_train=500, label_noise=0.3), 3)
    assert np.mean(clean.y_train != noisy.y_train) == pytest.approx(0.3)
    assert np.array_equal(noisy.noisy_train, clean.y_train != noisy.y_train)
    assert np.array_equal(clean.y_test, noisy.y_test)
    assert np.mean(clean.y_val != noisy.y_val) == pytest.approx(0.3, abs=0.01)
    kept = load(DataSpec(n_train=500, label_noise=0.3, noisy_validation=False), 3)
    assert np.array_equal(kept.y_val, clean.y_val)


def _trained(rate: float, seed: int = 0):
    split = load(DataSpec(n_train=200), seed)
    keras.utils.set_random_seed(seed)
    return train(mlp(rate), split, epochs=3, batch_size=32, seed=seed)


def test_same_seed_gives_identical_numbers():
    a, b = _trained(0.5), _trained(0.5)
    assert a.history == b.history and a.test == b.test


def _use_xla(monkeypatch, on: bool) -> None:
    """Make every run in the test compile with XLA (``on``) or never, whatever its length."""
    from reglab import engine

    monkeypatch.setattr(engine, "XLA_MIN_WORK", 1 if on else 1e30)


@pytest.mark.parametrize(
    ("rate", "xla"), [(0.0, False), (0.5, False), (0.0, True)], ids=["plain", "dropout", "xla"]
)
def test_engine_reproduces_model_fit_step_for_step(rate, xla, monkeypatch):
    """Without shuffling, the engine and `fit` see the same batches in the same order;
    their per-epoch metrics agree to float precision, with or without XLA. (XLA draws
    dropout masks with its own generator, so with XLA only a model without dropout can
    be compared step for step; the test below compares dropout runs over seeds.)"""
    _use_xla(monkeypatch, xla)
    split = load(DataSpec(n_train=200), 0)
    keras.utils.set_random_seed(0)
    ours = train(mlp(rate), split, epochs=3, batch_size=32, seed=0, shuffle=False)
    keras.utils.set_random_seed(0)
    model = mlp(rate)
    history = model.fit(
        split.x_train,
        split.y_train,
        validation_data=(split.x_val, split.y_val),
        epochs=3,
        batch_size=32,
        shuffle=False,
        verbose=0,
    ).history
    test = model.evaluate(split.x_test, split.y_test, verbose=0, return_dict=True)
    for metric in ("loss", "accuracy", "val_loss", "val_accuracy"):
        assert ours.history[metric] == pytest.approx(history[metric], rel=1e-4, abs=1e-5), metric
    assert ours.test["accuracy"] == pytest.approx(test["accuracy"], abs=1e-6)
    assert ours.test["loss"] == pytest.approx(test["loss"], rel=1e-4)


def bn_mlp() -> keras.Model:
    model = keras.Sequential(
        [keras.Input((64,)), keras.layers.Dense(32), keras.layers.BatchNormalization(), keras.layers.ReLU()]
    )
    model.add(keras.layers.Dropout(0.3))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(optimizer="adamw", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


@pytest.mark.parametrize("xla", [False, True], ids=["compiled", "xla"])
@pytest.mark.parametrize("build", [mlp, bn_mlp], ids=["mlp", "batchnorm"])
def test_a_reused_traced_model_gives_what_a_fresh_one_gives(build, xla, monkeypatch):
    """Workers trace an arm's loops once and give later seeds the traced model, reset to
    the fresh model's state (weights, seed generators, batch statistics, optimizer)."""
    from reglab import workers
    from reglab.workers import Job, run_job

    monkeypatch.setattr(workers, "_traced", type(workers._traced)())
    _use_xla(monkeypatch, xla)

    def job(seed: int, arm: str) -> Job:
        return Job(build, {}, DataSpec(n_train=200), seed, 4, 32, None, arm=arm)

    def plain(seed: int):  # as a reader would: Keras's own seeding, a new model, its own trace
        split = load(DataSpec(n_train=200), seed)
        keras.utils.set_random_seed(seed)
        return train(build(), split, epochs=4, batch_size=32, seed=seed)

    fresh = {seed: plain(seed) for seed in (0, 1)}
    assert run_job(job(0, arm=""))[0].history == fresh[0].history
    assert not workers._traced
    reused = {seed: run_job(job(seed, arm="a"))[0] for seed in (1, 0, 1)}  # 0 and 1 reuse seed 1's
    assert len(workers._traced) == 1
    for seed in (0, 1):
        assert reused[seed].history == fresh[seed].history and reused[seed].test == fresh[seed].test
    assert fresh[0].test != fresh[1].test


def test_a_traced_model_serves_the_same_model_in_another_experiment(monkeypatch):
    """An arm's traced model is reused by the runs of other experiments that build the same
    model with the same batch size: on other data (other labels, another size), for more
    epochs, with early stopping. Each gives what a model built, seeded and trained on its
    own gives."""
    from reglab import workers
    from reglab.engine import EarlyStop
    from reglab.workers import Job, run_job

    monkeypatch.setattr(workers, "_traced", type(workers._traced)())
    _use_xla(monkeypatch, False)
    runs = [
        (DataSpec(n_train=200), 3, None),
        (DataSpec(n_train=200, label_noise=0.3), 4, EarlyStop(patience=1)),
        (DataSpec(n_train=300), 2, None),
    ]
    for seed, (spec, epochs, stop) in enumerate(runs):
        reused = run_job(Job(mlp, {"rate": 0.5}, spec, seed, epochs, 32, stop, arm="shared"))[0]
        split = load(spec, seed)
        keras.utils.set_random_seed(seed)
        alone = train(mlp(0.5), split, epochs=epochs, batch_size=32, seed=seed, early_stop=stop)
        assert reused.history == alone.history and reused.test == alone.test
    assert len(workers._traced) == 1


def test_the_traced_models_kept_are_bounded_and_survive_eviction(monkeypatch):
    from reglab import workers
    from reglab.workers import Job, run_job

    monkeypatch.setattr(workers, "_traced", type(workers._traced)())
    monkeypatch.setattr(workers, "_KEEP", 2)
    results = {}
    for arm in ("a", "b", "c", "b"):  # "c" evicts "a" (and clears the Keras session)
        results[arm] = run_job(Job(mlp, {"rate": 0.5}, DataSpec(n_train=200), 0, 2, 32, None, arm=arm))[0]
    assert [name.split()[0] for name in workers._traced] == ["c", "b"]
    assert results["a"].history == results["b"].history == results["c"].history


def test_a_model_of_another_shape_is_not_adopted():
    from reglab.engine import adopt, prepare

    split = load(DataSpec(n_train=200), 0)
    small, wide = mlp(), keras.Sequential([keras.Input((64,)), keras.layers.Dense(10)])
    wide.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    for model in (small, wide):
        prepare(model, split, 32)
    before = [v.numpy().copy() for v in small.variables]
    assert not adopt(small, wide)
    assert all(np.array_equal(a, v.numpy()) for a, v in zip(before, small.variables, strict=True))


def test_an_arms_seeds_go_to_one_worker_in_batches_that_fill_the_pool():
    from reglab.workers import Job, _batches

    def jobs(arms: str, seeds: int, shared: bool = True) -> dict:
        return {
            (a, s): Job(mlp, {}, DataSpec(), s, 1, 32, None, arm=a if shared else "")
            for s in range(seeds)
            for a in arms
        }

    def keys(batches: list) -> list:
        return [[key for key, _ in batch] for batch in batches]

    assert keys(_batches(jobs("ab", 3), 2)) == [[("a", s) for s in range(3)], [("b", s) for s in range(3)]]
    assert keys(_batches(jobs("a", 4), 2)) == [[("a", 0), ("a", 1)], [("a", 2), ("a", 3)]]  # both workers
    ten = keys(_batches(jobs("ab", 10), 2))
    assert len(ten) == 4 and all(len(b) == 5 and len({a for a, _ in b}) == 1 for b in ten)
    assert keys(_batches(jobs("ab", 2, shared=False), 2)) == [[("a", 0)], [("b", 0)], [("a", 1)], [("b", 1)]]


def test_xla_dropout_runs_agree_with_fit_within_seed_noise(monkeypatch):
    """With XLA the dropout masks differ from `fit`'s, so agreement is statistical: over
    seeds, the final training loss (which dropout raises) and the test accuracy of the
    XLA-compiled engine and of `fit` differ by no more than seed-to-seed noise."""
    from reglab.stats import paired_diff

    _use_xla(monkeypatch, True)
    spec, seeds, epochs = DataSpec(n_train=200), range(6), 15
    ours, theirs = [], []
    for seed in seeds:
        split = load(spec, seed)
        keras.utils.set_random_seed(seed)
        run = train(mlp(0.5), split, epochs=epochs, batch_size=32, seed=seed)
        ours.append((run.history["loss"][-1], run.test["accuracy"]))
        keras.utils.set_random_seed(seed)
        model = mlp(0.5)
        history = model.fit(split.x_train, split.y_train, epochs=epochs, batch_size=32, verbose=0).history
        test = model.evaluate(split.x_test, split.y_test, verbose=0, return_dict=True)
        theirs.append((history["loss"][-1], test["accuracy"]))
    ours, theirs = np.array(ours), np.array(theirs)
    for column, name in enumerate(("final training loss", "test accuracy")):
        assert not paired_diff(theirs[:, column], ours[:, column]).excludes_zero, name
