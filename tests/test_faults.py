"""Faults an author or a CI machine can hit: each fails loudly and cleanly, or recovers."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reglab import cache

from conftest import build_fixture_page

# A small experiment, run in a fresh process, that prints its numbers and one figure.
EXPERIMENT = """
import json, sys
import keras
from reglab import DataSpec, figures, run

def build(rate):
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(64, activation="relu")])
    if rate:
        model.add(keras.layers.Dropout(rate))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model

res = run("fault test", build, {"plain": {"rate": 0.0}, "dropout": {"rate": 0.5}},
          data=DataSpec(n_train=300), seeds=int(sys.argv[1]), epochs=int(sys.argv[2]))
print(json.dumps({"numbers": res.numbers(), "svg": figures.loss_curves(res, "fault test")}))
"""


def interruptible() -> None:
    """Ctrl-C semantics in the child even when this suite runs as a background job, which
    starts with SIGINT ignored (Python then never raises KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def experiment(cache_dir, seeds=2, epochs=15, workers="1", **popen):
    env = {**os.environ, "REGLAB_CACHE_DIR": str(cache_dir), "REGLAB_WORKERS": workers}
    return subprocess.Popen(
        [sys.executable, "-c", EXPERIMENT, str(seeds), str(epochs)],
        preexec_fn=interruptible,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **popen,
    )


def finish(proc):
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    return json.loads(out.strip().splitlines()[-1])


def entries_are_whole(cache_dir):
    files = list(cache_dir.iterdir())
    assert not [f for f in files if f.suffix == ".tmp"]
    for f in files:
        json.loads(f.read_text())  # every entry is complete JSON
    return len(files)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_killed_build_leaves_no_partial_entry_and_the_next_one_completes(tmp_path, sig):
    proc = experiment(tmp_path, seeds=3, epochs=40)
    for line in proc.stderr:  # wait until the first run is stored, then kill mid-training
        if "seed 1/3" in line:
            break
    time.sleep(0.5)
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    stored = entries_are_whole(tmp_path)
    assert 1 <= stored < 6
    result = finish(experiment(tmp_path, seeds=3, epochs=40))
    assert entries_are_whole(tmp_path) == 6 and len(result["numbers"]["plain"]) == 3


def test_two_builds_at_once_on_one_cache_both_succeed_with_identical_output(tmp_path):
    first, second = experiment(tmp_path), experiment(tmp_path)
    a, b = finish(first), finish(second)
    assert a == b
    assert entries_are_whole(tmp_path) == 4


def test_two_cold_runs_in_separate_caches_give_identical_numbers_and_svg(tmp_path):
    a = finish(experiment(tmp_path / "one", workers="2"))
    b = finish(experiment(tmp_path / "two", workers="1"))
    assert a["numbers"] == b["numbers"]
    assert a["svg"] == b["svg"]  # byte-identical figure


def test_a_corrupt_entry_is_retrained_to_the_cold_result(tmp_path):
    cold = finish(experiment(tmp_path))
    victim = sorted(tmp_path.glob("*.json"))[0]
    victim.write_text(victim.read_text()[:100])
    proc = experiment(tmp_path)
    out, err = proc.communicate(timeout=600)
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and victim.name in warnings[0]
    assert json.loads(out.strip().splitlines()[-1]) == cold


@pytest.mark.parametrize(
    "env, message",
    [
        ({"REGLAB_WORKERS": "two"}, "REGLAB_WORKERS='two' must be a positive integer"),
        ({"REGLAB_NO_CACHE": "maybe"}, "REGLAB_NO_CACHE='maybe' is not a switch"),
        ({"REGLAB_CACHE_DIR": "/proc/no-such-place"}, "cannot be created"),
    ],
    ids=["non-integer-workers", "bad-switch", "unwritable-cache"],
)
def test_a_bad_setting_stops_the_build_with_one_line_and_no_output(tmp_path, env, message):
    result = build_fixture_page(tmp_path, "broken.md", as_name="page.md", env=env)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and message in errors[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_an_unknown_dataset_in_a_snippet_is_one_line_naming_page_and_snippet(tmp_path):
    result = build_fixture_page(tmp_path, "bad-setting.md", as_name="page.md")
    assert result.returncode != 0
    failures = [line for line in result.stderr.splitlines() if "Execution of python" in line]
    assert len(failures) == 1
    assert "docs/page.md" in failures[0] and "unknown-dataset" in failures[0]
    assert "unknown dataset 'imagenet'" in failures[0]
    assert "Traceback" not in result.stderr


def test_format_version_is_part_of_every_key():
    assert cache.versions()["format"] == str(cache.FORMAT)


def _stat(pid: int | str) -> list[str]:
    """A process's /proc stat fields after its name: state, parent, …; none once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def _children(pid: int) -> list[int]:
    procs = (p.name for p in Path("/proc").iterdir() if p.name.isdigit())
    return [int(child) for child in procs if (fields := _stat(child)) and int(fields[1]) == pid]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _running(pid: int) -> bool:
    fields = _stat(pid)
    return bool(fields) and fields[0] not in "ZX"


def test_workers_of_a_build_killed_outright_exit_instead_of_training_on(tmp_path):
    proc = experiment(tmp_path, seeds=4, epochs=2000, workers="2")
    for _ in range(600):  # the pool starts with the first experiment
        workers = [pid for pid in _children(proc.pid) if b"spawn_main" in _cmdline(pid)]
        if len(workers) == 2:
            break
        time.sleep(0.1)
    assert len(workers) == 2
    proc.kill()  # SIGKILL: no handler runs, the workers are orphaned mid-run
    proc.communicate(timeout=60)
    for _ in range(600):
        if not any(_running(pid) for pid in workers):
            break
        time.sleep(0.1)
    assert not any(_running(pid) for pid in workers)
