"""The result cache: keys, recovery, atomicity, switches."""

import json
import os

import keras
import pytest
import reglab
from reglab import ConfigError, DataSpec, cache, run

WIDTH = 16


def tiny(rate: float = 0.0) -> keras.Model:
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(WIDTH, activation="relu")])
    if rate:
        model.add(keras.layers.Dropout(rate))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def tiny_edited(rate: float = 0.0) -> keras.Model:
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(WIDTH, activation="tanh")])
    if rate:
        model.add(keras.layers.Dropout(rate))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def tiny_commented(rate: float = 0.0) -> keras.Model:
    # A comment, and a blank line below, change nothing that runs.

    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(WIDTH, activation="relu")])
    if rate:
        model.add(keras.layers.Dropout(rate))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


tiny_commented.__code__ = tiny_commented.__code__.replace(co_name="tiny", co_qualname="tiny")


def tiny_documented(rate: float = 0.0) -> keras.Model:
    """A docstring, which a builder's reader may edit freely: it trains nothing new."""
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(WIDTH, activation="relu")])
    if rate:
        model.add(keras.layers.Dropout(rate))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


tiny_documented.__code__ = tiny_documented.__code__.replace(co_name="tiny", co_qualname="tiny")


def returns_text() -> str:
    return "first constant, not a docstring"


def returns_other_text() -> str:
    return "another constant"


returns_other_text.__code__ = returns_other_text.__code__.replace(
    co_name="returns_text", co_qualname="returns_text"
)

SPEC = DataSpec(n_train=120)
ARMS = {"plain": {"rate": 0.0}, "dropout": {"rate": 0.5}}


def small(build=tiny, arms=ARMS, data=SPEC, **kw):
    return run(
        "cache test", build, arms, data=data, seeds=kw.pop("seeds", 2), epochs=kw.pop("epochs", 2), **kw
    )


def entries(path):
    return sorted(p.name for p in path.glob("*.json"))


def test_fingerprint_follows_code_not_comments_or_placement():
    assert cache.fingerprint(tiny) == cache.fingerprint(tiny_commented)
    assert cache.fingerprint(tiny) != cache.fingerprint(tiny_edited)


def test_a_docstring_edit_does_not_change_the_fingerprint_but_a_returned_string_does():
    assert cache.fingerprint(tiny) == cache.fingerprint(tiny_documented)
    assert cache.fingerprint(returns_text) != cache.fingerprint(returns_other_text)


def test_the_lab_digest_ignores_docstrings_and_comments_but_not_code():
    code = 'def f():\n    """Old words."""\n    return 1  # a note\n'
    same = 'def f():\n    """New words, and more of them."""\n    # moved note\n    return 1\n'
    assert cache._without_docstrings(code) == cache._without_docstrings(same)
    assert cache._without_docstrings(code) != cache._without_docstrings(code.replace("1", "2"))
    assert cache._without_docstrings('"""Module."""\nX = 1\n') == cache._without_docstrings("X = 1\n")


def test_fingerprint_covers_module_constants(monkeypatch):
    before = cache.fingerprint(tiny)
    monkeypatch.setitem(tiny.__globals__, "WIDTH", 17)
    assert cache.fingerprint(tiny) != before


def test_key_changes_with_spec_and_builder_and_only_then(private_cache):
    first = small()
    assert first.cached == 0 and len(entries(private_cache)) == 4
    again = small()
    assert again.cached == 4 and len(entries(private_cache)) == 4
    assert again.runs == first.runs
    small(data=DataSpec(n_train=121))
    assert len(entries(private_cache)) == 8
    small(build=tiny_edited)
    assert len(entries(private_cache)) == 12
    small(build=tiny_commented)  # same code as `tiny`: served from the cache
    assert len(entries(private_cache)) == 12


def test_one_changed_arm_retrains_only_that_arm(private_cache):
    small()
    changed = small(arms={"plain": {"rate": 0.0}, "dropout": {"rate": 0.4}})
    assert changed.cached == 2


def test_key_covers_lab_code_and_versions():
    material = {"x": 1}
    assert cache.key(material) == cache.key({"x": 1})
    assert cache.key(material) != cache.key({"x": 2})
    assert set(cache.versions()) >= {"tensorflow", "keras", "numpy", "python", "scikit-learn"}
    assert len(cache.lab_digest()) == 64


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_text(p.read_text()[: len(p.read_text()) // 2]),  # truncated
        lambda p: p.write_text("not json at all"),  # corrupt
        lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "format": 0})),  # foreign
    ],
    ids=["truncated", "corrupt", "foreign-format"],
)
def test_damaged_entry_warns_once_and_retrains_to_the_same_numbers(private_cache, capsys, damage):
    first = small()
    victim = private_cache / entries(private_cache)[0]
    damage(victim)
    capsys.readouterr()
    again = small()
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and victim.name in warnings[0]
    assert again.cached == 3
    assert again.numbers() == first.numbers()


def test_writes_leave_no_temporary_files(private_cache):
    small()
    assert not [p for p in os.listdir(private_cache) if p.endswith(".tmp")]


def test_no_cache_switch_trains_and_writes_nothing(private_cache, monkeypatch):
    monkeypatch.setenv("REGLAB_NO_CACHE", "1")
    res = small()
    assert res.cached == 0 and not entries(private_cache)


def test_bad_settings_are_one_line_config_errors(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("REGLAB_CACHE_DIR", str(blocker / "cache"))
    with pytest.raises(ConfigError, match="cannot be created"):
        small()
    monkeypatch.setenv("REGLAB_CACHE_DIR", str(tmp_path / "ok"))
    monkeypatch.setenv("REGLAB_NO_CACHE", "maybe")
    with pytest.raises(ConfigError, match="not a switch"):
        small()
    monkeypatch.delenv("REGLAB_NO_CACHE")
    for bad in ({"seeds": "5"}, {"seeds": 0}, {"epochs": 2.5}):
        with pytest.raises(ConfigError, match="positive integer"):
            small(**bad)
    with pytest.raises(ConfigError, match="unknown dataset 'imagenet'"):
        DataSpec(dataset="imagenet")
    with pytest.raises(ConfigError, match="exceeds"):
        small(data=DataSpec(n_train=5000))


def test_progress_lines_name_experiment_arm_seed_epochs_and_time(private_cache, capsys):
    small()
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("reglab: cache test")]
    assert len(lines) == 4
    first = [line for line in lines if "plain · seed 1/2 · 2 epochs ·" in line]  # workers finish in any order
    assert len(first) == 1 and first[0].endswith(" s")


def test_registry_keeps_the_latest_run_of_each_experiment(private_cache):
    small()
    small()
    assert [r.name for r in reglab.REGISTRY].count("cache test") == 1


def test_every_lab_module_is_classified_for_the_cache_key():
    """A new lab module must be declared as producing results (in the key) or not."""
    modules = {p.name for p in (cache._LAB_DIR).glob("*.py")}
    assert modules == set(cache.RESULT_MODULES) | set(cache.PRESENTATION_MODULES)
    assert not set(cache.RESULT_MODULES) & set(cache.PRESENTATION_MODULES)


def test_worker_pool_gives_the_same_numbers_as_one_process(private_cache, monkeypatch):
    monkeypatch.setenv("REGLAB_NO_CACHE", "1")
    monkeypatch.setenv("REGLAB_WORKERS", "1")
    alone = small()
    monkeypatch.setenv("REGLAB_WORKERS", "2")
    pooled = small()
    assert pooled.numbers() == alone.numbers()
    monkeypatch.setenv("REGLAB_WORKERS", "two")
    with pytest.raises(ConfigError, match="REGLAB_WORKERS"):
        small()


def test_builders_from_run_path_train_in_the_worker_pool(tmp_path, monkeypatch):
    """A snippet loaded with runpy (as claim tests do) defines its builder in a module no
    worker can import; the pool must still train it."""
    monkeypatch.setenv("REGLAB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("REGLAB_WORKERS", "2")
    script = tmp_path / "snippet.py"
    script.write_text(
        "import keras\n"
        "from reglab import DataSpec, run\n"
        "def build():\n"
        "    m = keras.Sequential([keras.Input((64,)), keras.layers.Dense(10, activation='softmax')])\n"
        "    m.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n"
        "    return m\n"
        "def probe(model, split):\n"
        "    return {'weights': float(sum(w.size for w in model.get_weights()))}\n"
        "res = run('run_path test', build, {'a': {}}, data=DataSpec(n_train=100),\n"
        "          seeds=2, epochs=2, probe=probe)\n"
    )
    import runpy

    res = runpy.run_path(str(script))["res"]
    assert res.cached == 0 and list(res.extra("weights", "a")) == [650.0, 650.0]


CALLS: list[tuple] = []


def square(x: int, offset: int = 0) -> dict:
    CALLS.append((x, offset))
    return {"value": x * x + offset}


def test_memo_computes_once_per_arguments_and_code(private_cache):
    CALLS.clear()
    assert cache.memo(square, 3) == {"value": 9}
    assert cache.memo(square, 3) == {"value": 9}
    assert cache.memo(square, 3, offset=1) == {"value": 10}
    assert CALLS == [(3, 0), (3, 1)]
    before = set(private_cache.glob("*.json"))

    def edited(x: int, offset: int = 0) -> dict:
        return {"value": x * x + offset + 100}

    edited.__qualname__ = square.__qualname__  # the same name, other code
    assert cache.memo(edited, 3) == {"value": 109}
    assert len(set(private_cache.glob("*.json")) - before) == 1


def test_memo_rejects_arguments_it_cannot_key(private_cache):
    with pytest.raises(ConfigError, match="JSON values"):
        cache.memo(square, object())


def test_fingerprint_ignores_the_module_name():
    """`type(x).__name__` in a builder must not key it to the module it runs in (a page,
    runpy, a test or a notebook each name it differently)."""
    source = "def probe(model, split):\n    return {'metric': type(model).__name__}\n"
    prints = set()
    for module in ("__main__", "__reglab_catalogue__", "_code_block_id_page_"):
        namespace = {"__name__": module}
        exec(compile(source, "<page>", "exec"), namespace)
        prints.add(cache.fingerprint(namespace["probe"]))
    assert len(prints) == 1


def test_fingerprint_ignores_other_code_of_the_session():
    """A page's session may hold names that the builder's attributes share (``layers`` in
    ``keras.layers``) or lack names the catalogue has: the key is the same either way, so
    a page reuses the runs the home page's catalogue trained."""
    source = (
        "import keras\nUNITS = 8\n"
        "def build():\n    return keras.layers.Dense(UNITS, kernel_regularizer=keras.regularizers.L2(0.1))\n"
    )
    prints = set()
    for before in ("", "regularizers = ['L2']\nlayers = 3\nDense = None\n", "L2 = 'x'\n"):
        namespace = {"__name__": "_code_block_id_page_"}
        exec(compile(before + source, "<page>", "exec"), namespace)
        prints.add(cache.fingerprint(namespace["build"]))
    assert len(prints) == 1
    namespace = {"__name__": "page"}
    exec(compile(source.replace("UNITS = 8", "UNITS = 9"), "<page>", "exec"), namespace)
    assert cache.fingerprint(namespace["build"]) not in prints  # a constant it reads still counts
