"""The benchmarks page: the published numbers it compares against are the paper's, and the
table it prints puts each beside ours."""

import re

import published

from conftest import ROOT

SNIPPET = ROOT / "snippets" / "benchmarks" / "mnist1d_published_models.py"


def paper() -> dict:
    """The snippet's PAPER table, read without training anything."""
    source = SNIPPET.read_text()
    namespace: dict = {}
    exec(source[source.index("PAPER = {") :], namespace)
    return namespace["PAPER"]


def test_the_snippet_compares_against_the_papers_table_1():
    table = paper()
    assert set(table) == set(published.MNIST1D_TABLE1)
    for model, (mean, sd) in published.MNIST1D_TABLE1.items():
        assert table[model] == (mean / 100, sd / 100, published.MNIST1D_TABLE1_RUNS), model


def test_the_page_prints_each_published_number_beside_ours(built_site):
    html = (built_site / "benchmarks" / "index.html").read_text()
    assert f"published (mean ± SD, {published.MNIST1D_TABLE1_RUNS} runs)" in html
    for model, (mean, sd) in published.MNIST1D_TABLE1.items():
        row = re.search(
            rf"<td[^>]*>{re.escape(model)}</td>\s*<td[^>]*>([^<]+)</td>\s*<td[^>]*>([^<]+)</td>"
            rf"\s*<td[^>]*>([^<]+)</td>",
            html,
        )
        assert row, model
        verdict, ours, theirs = row.groups()
        assert theirs == f"{mean} ± {sd}%" and ours.count("95% CI") == 1
        assert verdict in ("no detectable difference", "ours higher", "ours lower")


def test_the_published_models_match_the_papers_parameter_counts():
    """MLP 40→100→100→10 has 15,210 parameters; the CNN 5,210 (from the paper's code)."""
    source = SNIPPET.read_text()
    namespace: dict = {}
    exec(source[: source.index("models = {")], namespace)  # the builder, without training
    counts = {m: namespace["build"](m).count_params() for m in ("logistic regression", "MLP", "CNN")}
    assert counts == {"logistic regression": 410, "MLP": 15_210, "CNN": 5_210}
