"""The claim registry: every marked sentence has a test, every test names a marked
sentence, and no result is typed by hand in prose (``hooks/claim_registry.py``)."""

import subprocess
import sys

import claim_registry as claims
import pytest

from conftest import ROOT, build_fixture_page

PAGE = """---
figures: 1
---

# A page

Prose with a setting: 30% label noise on 8×8 digits and a 2×512 MLP.
<span data-claim="x-gain">Dropout gains +4.8 pp here with `Dropout(0.5)`,
across a line break.</span> Typed: dropout costs 1.59× per epoch.

```python exec="on"
print(f"{0.123:.1%} and 4.8 pp inside a fence")
```

!!! quote "Published, not measured here"
    They report 3.3 points and a 14× speed-up.

> A block quote with 2.5% in it.

Inline code `4.8 pp` and a quotation <q>takes 2.3× longer</q>, then 12.5 percentage points.
"""


@pytest.fixture
def site(tmp_path):
    docs, tests = tmp_path / "docs", tmp_path / "tests"
    docs.mkdir()
    tests.mkdir()
    (docs / "page.md").write_text(PAGE)
    return docs, tests


def write_test(tests, *ids):
    marks = ", ".join(repr(i) for i in ids)
    (tests / "test_claims_page.py").write_text(
        f"import pytest\n\n\n@pytest.mark.claim({marks})\ndef test_it():\n    pass\n"
    )


def test_markers_are_found_with_their_text_and_line(site):
    docs, _ = site
    (claim,) = claims.claims(docs)
    assert (claim.id, claim.page, claim.line) == ("x-gain", "page.md", 8)
    assert claim.text == "Dropout gains +4.8 pp here with `Dropout(0.5)`, across a line break."


def test_typed_result_numbers_are_found_in_prose_and_quotations_but_not_code(site):
    """A cited number is typed too: it must be marked, and its test checks it against
    tests/published.py. Fences, inline code and markers are not prose."""
    docs, _ = site
    typed = [(t.line, t.number) for t in claims.typed_numbers(docs)]
    assert typed == [
        (9, "1.59×"),
        (16, "3.3 points"),
        (16, "14×"),
        (18, "2.5%"),
        (20, "2.3×"),
        (20, "12.5 percentage points"),
    ]


def test_a_marker_without_a_test_is_a_problem(site):
    docs, tests = site
    write_test(tests, "x-gain")
    assert not any("x-gain" in p for p in claims.problems(docs, tests))
    write_test(tests, "something-else")
    problems = claims.problems(docs, tests)
    assert any("'x-gain' has no test" in p for p in problems)
    assert any("names claim 'something-else', which no page marks" in p for p in problems)


def test_a_duplicate_or_malformed_id_is_a_problem(site):
    docs, tests = site
    (docs / "other.md").write_text(
        '<span data-claim="x-gain">Again.</span> <span data-claim="Bad_Id">x</span>'
    )
    write_test(tests, "x-gain", "Bad_Id")
    problems = claims.problems(docs, tests)
    assert "claim id 'x-gain' is marked more than once" in problems
    assert any("'Bad_Id' is not lowercase-with-hyphens" in p for p in problems)


@pytest.mark.claim("method-every-result-sourced")
def test_every_marked_claim_has_a_test_and_every_test_a_claim():
    marked = claims.claims()
    checked = claims.claim_tests()
    assert marked, "no page marks a claim"
    missing = [f"docs/{c.page}:{c.line} {c.id}" for c in marked if c.id not in checked]
    assert not missing, f"claims without a test: {missing}"
    ids = {c.id for c in marked}
    orphans = [f"{i} ({', '.join(t)})" for i, t in checked.items() if i not in ids]
    assert not orphans, f"tests naming no marked claim: {orphans}"


def test_claim_ids_are_unique_and_well_formed():
    assert not [p for p in claims.problems() if "claim id" in p]


@pytest.mark.claim("method-every-result-sourced")
def test_no_result_number_is_typed_in_prose_outside_a_marker():
    typed = [f"docs/{t.page}:{t.line} {t.number!r}: {t.context}" for t in claims.typed_numbers()]
    assert not typed, "\n".join(typed)


def test_every_question_page_marks_its_claims():
    pages = {c.page for c in claims.claims()}
    questions = {p.name for p in (ROOT / "docs").glob("0*.md")}
    assert questions <= pages, f"pages with no marked claim: {sorted(questions - pages)}"


def test_the_command_lists_claims_and_their_tests():
    out = subprocess.run(
        [sys.executable, "-m", "reglab", "claims"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    first = claims.claims()[0]
    assert f"{first.page}:{first.line}  {first.id}" in out.stdout
    assert claims.claim_tests()[first.id][0] in out.stdout
    assert "typed result numbers" in out.stdout.splitlines()[-1]


CLAIMS = "# Tested claims\n\n<!-- claims -->\n"
TWO_SECTIONS = """# Page

## First

<span data-claim="method-every-result-sourced">A sentence with *emphasis*.</span> More.
<span data-claim="pitfalls-table-000">Another.</span>

## Second

<span data-claim="pitfalls-table-002">A third.</span>
"""


def test_each_section_with_claims_gets_one_mark_linking_to_its_claims(tmp_path):
    """The sentences keep their anchors; each section shows one "tested" mark beside its
    heading, which links to the section's claims on the claims page."""
    result = build_fixture_page(
        tmp_path, None, as_name="page.md", text=TWO_SECTIONS, more_pages={"claims.md": CLAIMS}
    )
    assert result.returncode == 0, result.stderr[-2000:]
    html = (tmp_path / "site" / "page" / "index.html").read_text()
    assert (
        '<span class="claim" id="claim-method-every-result-sourced" data-claim="method-every-result-sourced">'
        "A sentence with <em>emphasis</em>.</span> More." in html
    )
    assert html.count('class="claim-mark"') == 2
    first = html[html.index('<h2 id="first">') : html.index("</h2>")]
    assert '<a class="claim-mark" href="../claims/#section-method-every-result-sourced"' in first
    assert 'aria-label="2 sentences in this section checked by tests: see which"' in first
    second = html[html.index('<h2 id="second">') :]
    assert '<a class="claim-mark" href="../claims/#section-pitfalls-table-002"' in second
    assert "1 sentence in this section" in second
    listing = (tmp_path / "site" / "claims" / "index.html").read_text()
    assert 'id="section-method-every-result-sourced"' in listing and ">First<" in listing
    assert 'id="section-pitfalls-table-002"' in listing and ">Second<" in listing
    assert 'id="claim-method-every-result-sourced"' in listing
    assert "test_claims_registry.py::test_every_marked_claim_has_a_test_and_every_test_a_claim" in listing
    assert 'href="../page/#claim-method-every-result-sourced"' in listing
    assert "<!-- claims -->" not in listing


def test_a_claim_without_a_test_fails_the_strict_build(tmp_path):
    page = '# Page\n\n<span data-claim="no-such-claim">Untested.</span>\n'
    result = build_fixture_page(tmp_path, None, as_name="page.md", text=page)
    assert result.returncode != 0
    assert "docs/page.md: claim 'no-such-claim' has no test marked @pytest.mark.claim" in result.stderr
