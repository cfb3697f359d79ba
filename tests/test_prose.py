"""Values in prose: a fence glues a named value, the page's Markdown places it with a
format, and the build fails with one line when a name is missing or unused."""

from __future__ import annotations

import re

import pytest
from reglab import MeanCI, prose

from conftest import build_fixture_page

GAIN = MeanCI(0.048, 0.037, 0.060, 5)


def test_a_glued_difference_renders_in_every_format():
    prose.take()
    prose.glue("gain", GAIN)
    values = prose.take()
    assert prose.place("{{ gain }}", values) == "+4.8 pp (95% CI +3.7 to +6.0)"
    assert prose.place("dropout {{gain:verdict}} accuracy", values) == "dropout raises accuracy"
    assert prose.place("{{ gain:pp_mean }}, about {{ gain:points }}", values) == "+4.8 pp, about 5 points"
    assert prose.take() == {}, "take() forgets what it returned"


@pytest.mark.parametrize(
    ("diff", "words", "cell"),
    [
        (MeanCI(0.05, 0.02, 0.08, 5), "raises", "higher"),
        (MeanCI(-0.05, -0.08, -0.02, 5), "lowers", "lower"),
        (MeanCI(0.001, -0.004, 0.006, 5), "has no effect larger than 1 pp on", "within ±1 pp"),
        (MeanCI(0.001, -0.02, 0.022, 5), "has an inconclusive effect on", "inconclusive"),
    ],
)
def test_the_four_verdicts(diff, words, cell):
    assert prose.verdict(diff) == words
    assert prose.short_verdict(diff) == cell


def test_the_minimum_detectable_effect_grows_with_the_interval():
    narrow, wide = MeanCI(0, -0.01, 0.01, 5), MeanCI(0, -0.02, 0.02, 5)
    prose.glue("narrow", narrow)
    prose.glue("wide", wide)
    values = prose.take()
    mde = [float(prose.place(f"{{{{ {n}:mde }}}}", values).split()[0]) for n in ("narrow", "wide")]
    assert 1.0 < mde[0] < mde[1] == pytest.approx(2 * mde[0], abs=0.11)


def test_numbers_and_words_have_their_own_formats():
    prose.glue("share", 0.4567)
    prose.glue("runs", 1234)
    prose.glue("arm", "dropout 0.5")
    values = prose.take()
    assert prose.place("{{ share:pct }} {{ share:pct_round }} {{ runs }} {{ arm }}", values) == (
        "45.7% 46% 1,234 dropout 0.5"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [("{{ nope }}", "no value named 'nope'"), ("{{ share:verdict }}", "has no format 'verdict'")],
)
def test_a_missing_value_or_format_is_named(text, message):
    with pytest.raises(prose.ProseError, match=re.escape(message)):
        prose.place(text, {"share": {"": "1", "pct": "100%"}})


def test_several_values_glue_in_one_call():
    prose.glue(rate="0.4", runs=3)
    assert prose.place("{{ rate }}, {{ runs }}", prose.take()) == "0.4, 3"


def test_bad_names_and_values_are_refused():
    with pytest.raises(prose.ProseError, match="not a value name"):
        prose.glue("two words", 1.0)
    with pytest.raises(prose.ProseError, match="not a bool"):
        prose.glue("flag", True)
    with pytest.raises(prose.ProseError, match="cannot place a list"):
        prose.glue("many", [1, 2])


PAGE = """\
# Values

Dropout {{ gain:verdict }} accuracy, by {{ gain:pp }}; code stays as typed: `{{ gain }}`.

| arm | change |
|---|---|
| dropout | {{ gain:pp_mean }} |

```python exec="on" session="v" id="v-fence"
from reglab import MeanCI, glue

glue("gain", MeanCI(0.048, 0.037, 0.060, 5))
```
"""


def test_a_page_places_values_glued_by_a_later_fence(tmp_path):
    result = build_fixture_page(tmp_path, None, "values.md", text=PAGE, env={"REGLAB_NO_CACHE": "1"})
    assert result.returncode == 0, result.stderr[-2000:]
    built = (tmp_path / "site" / "values" / "index.html").read_text()
    html = re.sub(r"</?abbr\b[^>]*>", "", built)  # the glossary marks "pp" and "CI"
    assert 'Dropout <span class="value">raises</span> accuracy' in html
    assert "+4.8 pp (95% CI +3.7 to +6.0)" in html
    assert '<td data-label="change"><span class="value">+4.8 pp</span></td>' in html
    assert "<code>{{ gain }}</code>" in html


def test_values_survive_the_fence_cache(tmp_path):
    cache = {"REGLAB_CACHE_DIR": str(tmp_path / "cache")}
    for build in ("cold", "warm"):
        out = tmp_path / build
        out.mkdir()
        result = build_fixture_page(out, None, "values.md", text=PAGE, env=cache)
        assert result.returncode == 0, (build, result.stderr[-2000:])
        html = (out / "site/values/index.html").read_text()
        assert 'Dropout <span class="value">raises</span>' in html
        assert 'exec="on"' not in html, build  # the fence prints nothing, and is not shown raw


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("{{ gain:verdict }}", "{{ gian:verdict }}"), "docs/values.md: no value named 'gian'"),
        (
            ("{{ gain:pp_mean }}", "{{ gain:pct_typo }}"),
            "docs/values.md: value 'gain' has no format 'pct_typo'",
        ),
        (('glue("gain"', 'glue("spare", 1.0)\nglue("gain"'), "docs/values.md: value 'spare' is glued but"),
    ],
    ids=["unknown name", "unknown format", "unused value"],
)
def test_a_missing_or_unused_value_fails_the_build_in_one_line(tmp_path, change, message):
    text = PAGE.replace(*change)
    result = build_fixture_page(tmp_path, None, "values.md", text=text, env={"REGLAB_NO_CACHE": "1"})
    assert result.returncode != 0
    said = [line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert len(said) == 1 and message in said[0], result.stderr[-2000:]
    assert "Traceback" not in result.stderr


def test_no_placeholder_is_left_in_the_built_site(built_site):
    left = {
        str(page.relative_to(built_site)): found
        for page in built_site.rglob("*.html")
        if (found := [m[0] for m in prose.PLACEHOLDER.finditer(_without_code(page.read_text()))])
    }
    assert not left


def _without_code(html: str) -> str:
    html = re.sub(r'<div class="clipboard-copy-txt".*?</div>', "", html, flags=re.S)  # notebook inputs
    return re.sub(r"<(pre|code)\b.*?</\1>", "", html, flags=re.S)
