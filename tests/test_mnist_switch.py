"""``REGLAB_MNIST=1``: page 8 runs on MNIST when Keras's cache has it, and says so in one
line when it is missing and cannot be downloaded."""

from __future__ import annotations

import hashlib
import runpy
from pathlib import Path

import keras
import numpy as np
import pytest
import reglab
from reglab import ConfigError, DataSpec, data, tables

from conftest import ROOT, build_fixture_page

PAGE_8 = ROOT / "snippets" / "dropout" / "dropout_vs_none.py"
# Downloads go through a proxy that refuses connections: "offline" on any machine.
OFFLINE = {"https_proxy": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}
OFFLINE |= {"no_proxy": "", "NO_PROXY": ""}


def write_stand_in(keras_home: Path) -> Path:
    """A small ``mnist.npz``: scikit-learn's 8x8 digits drawn 3x larger on 28x28 uint8."""
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    images = np.pad(np.kron(x.reshape(-1, 8, 8), np.ones((3, 3))), ((0, 0), (2, 2), (2, 2)))
    images, y = (images * 255 / 16).astype("uint8"), y.astype("uint8")
    path = keras_home / "datasets" / "mnist.npz"
    path.parent.mkdir(parents=True)
    np.savez(path, x_train=images[:1500], y_train=y[:1500], x_test=images[1500:], y_test=y[1500:])
    return path


@pytest.fixture
def mnist_on(tmp_path, monkeypatch, private_cache) -> Path:
    """The switch on, an empty Keras home of this test's own, and no network."""
    home = tmp_path / "keras-home"
    home.mkdir()
    monkeypatch.setenv("REGLAB_MNIST", "1")
    monkeypatch.setenv("KERAS_HOME", str(home))
    monkeypatch.setenv("REGLAB_WORKERS", "1")
    for name, value in OFFLINE.items():
        monkeypatch.setenv(name, value)
    return home


def test_a_stand_in_in_the_keras_cache_is_what_trains(mnist_on, private_cache):
    stand_in = write_stand_in(mnist_on)
    spec = DataSpec("mnist", n_train=300, n_val=200, n_test=200)
    split = data.load(spec, seed=0)
    assert split.x_train.shape == (300, 784) and split.x_train.dtype == np.float32
    assert (len(split.y_val), len(split.y_test), split.n_classes) == (200, 200, 10)
    assert set(split.y_train) == set(range(10)) and 0.0 <= split.x_train.min() < split.x_train.max() <= 1.0
    assert len(data.raw("mnist")[1]) == 1797  # the stand-in's rows, pooled
    assert spec.as_dict()["sha256"] == hashlib.sha256(stand_in.read_bytes()).hexdigest()
    assert "not the official file" in tables.data_source(spec)

    def build(rate: float) -> keras.Model:
        model = keras.Sequential([keras.Input((784,)), keras.layers.Dropout(rate)])
        model.add(keras.layers.Dense(10, activation="softmax"))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    noisy = DataSpec("mnist", n_train=300, n_val=200, n_test=200, label_noise=0.3)
    res = reglab.run("mnist stand-in", build, {"p": {"rate": 0.0}}, data=noisy, seeds=2, epochs=3)
    assert len(res.runs["p"]) == 2 and len(list(private_cache.glob("*.json"))) == 2
    assert res.test("accuracy", "p").min() > 0.5  # it learnt the stand-in's digits
    assert 0.0 < data.load(noisy, 0).noisy_train.mean() < 0.5  # label noise as on the digits


def test_page_8_switches_data_input_shape_and_budget(mnist_on, monkeypatch):
    write_stand_in(mnist_on)
    calls = []
    monkeypatch.setattr(reglab, "run", lambda name, build, arms, **kw: calls.append((build, kw)))
    page = runpy.run_path(str(PAGE_8))
    assert [kw["data"].dataset for _, kw in calls] == ["mnist", "mnist"]
    assert calls[1][1]["data"].label_noise == 0.3
    assert page["build_mlp"](0.5).input_shape == (None, 784)
    monkeypatch.delenv("REGLAB_MNIST")
    page = runpy.run_path(str(PAGE_8))
    assert [kw["data"] for _, kw in calls[2:]] == [
        DataSpec(n_train=500),
        DataSpec(n_train=500, label_noise=0.3),
    ]
    assert [kw["seeds"] for _, kw in calls[2:]] == [10, 10] and page["EPOCHS"] == (60, 100)
    assert page["build_mlp"](0.5).input_shape == (None, 64)


def test_a_file_that_is_not_mnist_is_one_line(mnist_on):
    (mnist_on / "datasets").mkdir()
    (mnist_on / "datasets" / "mnist.npz").write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match="is not an MNIST file") as raised:
        DataSpec("mnist").as_dict()
    assert "\n" not in str(raised.value)


def test_offline_without_the_file_the_snippet_stops_before_training(mnist_on, private_cache):
    with pytest.raises(ConfigError) as raised:
        runpy.run_path(str(PAGE_8))
    message = str(raised.value)
    assert "\n" not in message and "MNIST is not in" in message and "unset REGLAB_MNIST" in message
    assert not list(private_cache.glob("*")) and not list(mnist_on.rglob("*mnist*"))


def test_offline_without_the_file_the_build_stops_with_one_line(tmp_path, mnist_on, private_cache):
    env = {"KERAS_HOME": str(mnist_on), "REGLAB_MNIST": "1", **OFFLINE}
    result = build_fixture_page(tmp_path, "../../docs/08-dropout-in-keras.md", as_name="page.md", env=env)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, result.stderr[-2000:]
    assert f"MNIST is not in {mnist_on / 'datasets' / 'mnist.npz'} and cannot be downloaded" in errors[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
    assert not list(private_cache.glob("*")), "no cache entry"
    assert not list(mnist_on.rglob("*mnist*")), "no partial download"


def test_a_bad_switch_value_is_one_line(tmp_path):
    result = build_fixture_page(tmp_path, "broken.md", as_name="page.md", env={"REGLAB_MNIST": "mnist"})
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and "REGLAB_MNIST='mnist' is not a switch; use 1 or 0" in errors[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
