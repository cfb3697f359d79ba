"""The fence cache: a warm rebuild replays printed output instead of running fences, and
never serves output that the current code would not print."""

import json

from conftest import build_fixture_page

PAGE = """# Fence cache

{prose}

```python exec="on" session="s" id="first"{show}
import pathlib
pathlib.Path({log!r}).open("a").write("first\\n")
value = {value}
print(f"first says {{value}}")
```

```python exec="on" session="s" id="second"{show}
pathlib.Path({log!r}).open("a").write("second\\n")
print(f"second says {{value * 2}}")
```
"""


def build(tmp_path, cache, log, value=21, prose="Some prose.", env=None, show=""):
    text = PAGE.format(prose=prose, log=str(log), value=value, show=show)
    env = {"REGLAB_CACHE_DIR": str(cache), "REGLAB_QUIET": "1", **(env or {})}
    result = build_fixture_page(tmp_path, None, "index.md", env=env, text=text)
    assert result.returncode == 0, result.stderr[-2000:]
    return (tmp_path / "site" / "index.html").read_text()


def executed(log):
    lines = log.read_text().split() if log.exists() else []
    log.unlink(missing_ok=True)
    return lines


def test_warm_rebuild_runs_nothing_and_prints_the_same(tmp_path):
    cache, log = tmp_path / "cache", tmp_path / "log"
    cold = build(tmp_path, cache, log)
    assert executed(log) == ["first", "second"]
    assert "first says 21" in cold and "second says 42" in cold
    warm = build(tmp_path, cache, log)
    assert executed(log) == []
    assert warm == cold


def test_editing_prose_runs_nothing(tmp_path):
    cache, log = tmp_path / "cache", tmp_path / "log"
    build(tmp_path, cache, log)
    executed(log)
    html = build(tmp_path, cache, log, prose="Edited prose.")
    assert executed(log) == []
    assert "Edited prose." in html and "second says 42" in html


def test_editing_a_fence_reruns_its_session_from_the_start(tmp_path):
    """The second fence reads the first one's state, so a change upstream reruns both."""
    cache, log = tmp_path / "cache", tmp_path / "log"
    build(tmp_path, cache, log)
    executed(log)
    html = build(tmp_path, cache, log, value=5)
    assert executed(log) == ["first", "second"]
    assert "first says 5" in html and "second says 10" in html


def test_a_later_miss_replays_the_skipped_fences_first(tmp_path):
    """Only the second fence changed: the first is replayed (its output taken from the
    cache) so that the second sees the same state as in a cold build."""
    cache, log = tmp_path / "cache", tmp_path / "log"
    build(tmp_path, cache, log)
    executed(log)
    text = PAGE.replace("value * 2", "value * 3")
    env = {"REGLAB_CACHE_DIR": str(cache), "REGLAB_QUIET": "1"}
    result = build_fixture_page(
        tmp_path, None, "index.md", env=env, text=text.format(prose="p", log=str(log), value=21, show="")
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert executed(log) == ["first", "second"]
    assert "second says 63" in (tmp_path / "site" / "index.html").read_text()


def test_a_failing_fence_is_not_stored(tmp_path):
    cache = tmp_path / "cache"
    text = '# Broken\n\n```python exec="on" session="b" id="broken"\nraise RuntimeError("boom")\n```\n'
    result = build_fixture_page(tmp_path, None, "index.md", env={"REGLAB_CACHE_DIR": str(cache)}, text=text)
    assert result.returncode != 0 and "boom" in result.stderr
    assert not list((cache / "fences").glob("*.json"))


def test_no_cache_setting_runs_every_fence_and_stores_nothing(tmp_path):
    cache, log = tmp_path / "cache", tmp_path / "log"
    for _ in range(2):
        build(tmp_path, cache, log, env={"REGLAB_NO_CACHE": "1"})
        assert executed(log) == ["first", "second"]
    assert not (cache / "fences").exists()


def test_entries_hold_only_the_printed_output(tmp_path):
    cache, log = tmp_path / "cache", tmp_path / "log"
    build(tmp_path, cache, log)
    outputs = [p for p in (cache / "fences").glob("*.json") if not p.name.endswith(".html.json")]
    entries = sorted(json.loads(p.read_text())["output"] for p in outputs)
    assert entries == ["first says 21\n", "second says 42\n"]


def test_a_warm_rebuild_reuses_the_rendered_html_until_the_fence_shows_it_differently(tmp_path):
    cache, log = tmp_path / "cache", tmp_path / "log"
    build(tmp_path, cache, log)
    executed(log)
    kept = sorted((cache / "fences").glob("*.html.json"))
    assert len(kept) == 2
    for path in kept:  # mark the kept HTML, to see where a rebuild takes its HTML from
        html = json.loads(path.read_text())["html"]
        path.write_text(json.dumps({"html": html.replace("says", "SAYS")}))
    warm = build(tmp_path, cache, log)
    assert executed(log) == [] and "first SAYS 21" in warm and "second SAYS 42" in warm
    shown = build(tmp_path, cache, log, show=' source="above"')  # the same code, shown another way
    assert executed(log) == []  # the kept output is rendered again, not run again
    assert "first says 21" in shown and "SAYS" not in shown and "<code>" in shown


def _checkout(tmp_path):
    """A checkout with the lab and two experiments, for the fence cache's key."""
    for name, text in {
        "reglab/engine.py": "STEPS = 1\n",
        "dropout/rates.py": "RATES = (0.2, 0.5)\n",
        "l1_l2/penalties.py": "PENALTY = 1e-4\n",
    }.items():
        path = tmp_path / "snippets" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_a_fence_uses_the_snippets_it_runs_by_path_and_the_catalogue_uses_them_all(tmp_path):
    import fence_cache

    root = _checkout(tmp_path)
    ran = fence_cache.uses('runpy.run_path("snippets/dropout/rates.py")', root)
    assert ran == [root / "snippets" / "dropout" / "rates.py"]
    assert fence_cache.uses("print(1)", root) == []
    catalogue = fence_cache.uses("from reglab import report\nreport.experiments()", root)
    assert catalogue == sorted(root / "snippets" / n for n in ("dropout/rates.py", "l1_l2/penalties.py"))


def test_editing_one_experiment_changes_only_the_keys_of_fences_that_use_it(tmp_path, monkeypatch):
    """An experiment edit reruns the pages that include or run it, not every page; a lab
    edit reruns them all."""
    import fence_cache

    root = _checkout(tmp_path)
    monkeypatch.setattr(fence_cache, "_ROOT", root)
    monkeypatch.setattr(fence_cache, "environment", lambda: {})
    runs_it = ['runpy.run_path("snippets/dropout/rates.py")']
    other = ["print('unrelated')"]

    def keys():
        fence_cache._state["salt"] = fence_cache.salt(root)
        return fence_cache._key("a", runs_it), fence_cache._key("b", other)

    before = keys()
    (root / "snippets" / "dropout" / "rates.py").write_text("RATES = (0.2, 0.8)\n")
    edited = keys()
    assert edited[0] != before[0] and edited[1] == before[1]
    (root / "snippets" / "reglab" / "engine.py").write_text("STEPS = 2\n")
    lab_edited = keys()
    assert lab_edited[0] != edited[0] and lab_edited[1] != edited[1]
