"""The built site in a real browser (Debian's Chromium, driven by Playwright): every page
loads cleanly, offline, accessibly, with its figures, math, search and palette toggle."""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from queue import Empty, Queue
from urllib.parse import urljoin, urlparse

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from conftest import ROOT, tasks

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def server(built_site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    executable = tasks.chromium()  # REGLAB_CHROMIUM, else Debian's, else Playwright's
    assert executable, (
        "no Chromium: apt-get install -y chromium, or python -m playwright install chromium, "
        "or set REGLAB_CHROMIUM"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def pages(site: Path) -> list[str]:
    return sorted(
        str(p.parent.relative_to(site)) + "/" for p in site.rglob("index.html") if "assets" not in p.parts
    )


def settled(page) -> None:
    """Wait until the site's own scripts have run (a11y.js names the search dialog)."""
    page.wait_for_selector(".md-search[aria-label]", state="attached", timeout=10_000)


# Every notebook page opens with the same cells: the lab's source, byte for byte. axe scans
# them in full on one notebook page (here in the light palette, and in the dark palette in
# test_dark_palette_has_no_serious_accessibility_violations) and leaves them out on the
# others, where they held 80% of the nodes and took 35 s a page of colour-contrast checks.
LAB_CELLS = '[id^="cell-id=setup-"]'
NOTEBOOK_SCANNED_IN_FULL = "notebooks/03-l1-vs-l2/"


def axe_context(path: str) -> dict | None:
    if path.startswith("notebooks/") and path != NOTEBOOK_SCANNED_IN_FULL:
        return {"exclude": [[LAB_CELLS]]}
    return None


# Pages scanned by axe in the dark palette too; notebooks/03 holds the lab's cells in full.
DARK = ["08-dropout-in-keras/", "03-l1-vs-l2/", "method/", NOTEBOOK_SCANNED_IN_FULL]
SCANNING_THREADS = 2  # axe runs in Chromium's renderer, one core a page: one browser a core


def _serious(page, context: dict | None = None) -> list[dict]:
    """axe's serious or critical violations on the loaded page."""
    violations = Axe().run(page, context=context).response["violations"]
    return [v for v in violations if v.get("impact") in ("serious", "critical")]


def _scan(browser, server: str, path: str, scheme: str) -> dict:
    """One page in one palette: in the light palette (the site's default) its console
    errors, requests, figures, math, code blocks and axe's serious or critical
    violations; in the dark palette, the scheme it shows and axe's violations."""
    page = browser.new_page(color_scheme=scheme)
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(urljoin(server, path.removeprefix("./")), wait_until="networkidle")
    settled(page)
    if scheme == "dark":
        report = {
            "scheme": page.eval_on_selector("body", "b => b.getAttribute('data-md-color-scheme')"),
            "violations": [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in _serious(page)],
        }
        page.close()
        return report
    report: dict = {"errors": errors, "requests": requests}
    report["figures"] = page.eval_on_selector_all(FIGURES, SHOWN)
    report["math"] = page.eval_on_selector_all(
        ".arithmatex", "els => els.map(e => !!e.querySelector('.katex'))"
    )
    report["code_blocks"] = page.locator("pre > code").count()
    report["copy_buttons"] = page.locator("button.md-clipboard, .md-code__button").count()
    report["violations"] = [(v["id"], len(v["nodes"])) for v in _serious(page, axe_context(path))]
    page.close()
    return report


def _in_parallel(look: Callable, server: str, todo: list[tuple]) -> dict[tuple, dict]:
    """``look(browser, server, *item)`` for each item of ``todo``, taken from a shared
    queue by :data:`SCANNING_THREADS` threads, each with its own Playwright and Chromium
    (Playwright's sync API is one instance per thread)."""
    queue: Queue = Queue()
    for item in todo:
        queue.put(item)
    done: dict[tuple, dict] = {}
    failures: list[BaseException] = []

    def work() -> None:
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=tasks.chromium(), headless=True, args=CHROMIUM_ARGS
                )
                while True:
                    try:
                        item = queue.get_nowait()
                    except Empty:
                        break
                    done[item] = look(browser, server, *item)
                browser.close()
        except BaseException as exc:  # re-raised in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(SCANNING_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return done


@pytest.fixture(scope="module")
def scans(built_site, server) -> dict[tuple[str, str], dict]:
    """Every page loaded once in the light palette (console errors, requests, figures,
    math, axe results), and the :data:`DARK` pages in the dark palette, the slowest first."""
    assert NOTEBOOK_SCANNED_IN_FULL in pages(built_site)  # the lab's cells are scanned somewhere
    todo = [(NOTEBOOK_SCANNED_IN_FULL, "light"), (NOTEBOOK_SCANNED_IN_FULL, "dark")]
    todo += [(p, "light") for p in pages(built_site) if p.startswith("notebooks/")]
    todo += [(p, "light") for p in pages(built_site)] + [(p, "dark") for p in DARK]
    return _in_parallel(_scan, server, list(dict.fromkeys(todo)))


@pytest.fixture(scope="module")
def visited(scans) -> dict[str, dict]:
    return {path: report for (path, scheme), report in sorted(scans.items()) if scheme == "light"}


def nav_pages(nav) -> list[str]:
    """Every page file named in ``nav`` (nested sections flattened)."""
    if isinstance(nav, str):
        return [nav]
    items = nav.values() if isinstance(nav, dict) else nav
    return [page for item in items for page in nav_pages(item)]


def test_every_page_loads_without_console_errors(visited):
    nav = nav_pages(yaml.safe_load((ROOT / "mkdocs.yml").read_text())["nav"])
    questions = [p for p in nav if re.match(r"\d\d-", p)]
    assert len(nav) >= 12 and len(questions) == 9  # home, nine questions, method, pitfalls
    assert len(visited) == len(nav) + len(questions)  # and each question's notebook
    assert {p: r["errors"] for p, r in visited.items() if r["errors"]} == {}


def test_no_request_leaves_the_local_server(visited):
    outside = {
        p: [
            u
            for u in r["requests"]
            if urlparse(u).hostname not in ("127.0.0.1",) and not u.startswith("data:")
        ]
        for p, r in visited.items()
    }
    assert {p: u for p, u in outside.items() if u} == {}


def test_every_figure_renders_with_size_and_a_label(visited):
    """Each figure shows one of its two drawings (axe and screen readers meet one)."""
    total = 0
    for path, r in visited.items():
        for figure in r["figures"]:
            assert len(figure["shown"]) == 1, (path, figure)
            (drawing,) = figure["shown"]
            assert drawing["layout"] == "wide", path  # the composed drawing, on a desktop
            assert drawing["w"] > 100 and drawing["h"] > 50, path
            assert len(drawing["label"]) > 40, path
        total += len(r["figures"])
    assert total >= 18


def test_math_is_typeset(visited):
    typeset = [ok for r in visited.values() for ok in r["math"]]
    assert len(typeset) > 10 and all(typeset)


def test_every_code_block_has_a_copy_button(visited):
    for path, r in visited.items():
        if r["code_blocks"]:
            assert r["copy_buttons"] >= r["code_blocks"] // 2 and r["copy_buttons"] > 0, path


def test_no_serious_or_critical_accessibility_violations(visited):
    assert {p: r["violations"] for p, r in visited.items() if r["violations"]} == {}


def _rgba(css: str) -> tuple[float, float, float, float]:
    values = [float(v) for v in re.findall(r"[\d.]+", css)]
    return (*values[:3], values[3] if len(values) > 3 else 1.0)


def _contrast(ink: str, background: str) -> float:
    """WCAG contrast of ``ink`` (blended over the background by its alpha) on ``background``."""
    r, g, b, a = _rgba(ink)
    br, bg, bb, _ = _rgba(background)
    blended = (a * r + (1 - a) * br, a * g + (1 - a) * bg, a * b + (1 - a) * bb)

    def luminance(rgb):
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(blended), luminance((br, bg, bb))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_palette_toggle_switches_scheme_and_figures_stay_legible(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(color_scheme="light")
    page.goto(urljoin(server, "08-dropout-in-keras/"), wait_until="networkidle")
    seen = {}
    for _ in range(2):
        scheme = page.eval_on_selector("body", "b => b.getAttribute('data-md-color-scheme')")
        ink = page.eval_on_selector("svg.reglab-figure", "e => getComputedStyle(e).color")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        seen[scheme] = _contrast(ink, background)
        page.locator("svg.reglab-figure").first.screenshot(path=str(ARTIFACTS / f"figure-{scheme}.png"))
        page.locator("form[data-md-component='palette'] label:visible").first.click()
        page.wait_for_timeout(300)
    page.close()
    assert set(seen) == {"default", "slate"}  # the toggle switched the palette
    assert min(seen.values()) >= 4.5, seen  # figure text and axes meet WCAG AA in both palettes


def test_search_finds_dropout(server, browser):
    page = browser.new_page()
    page.goto(server, wait_until="networkidle")
    page.keyboard.press("/")  # Material's search shortcut
    page.keyboard.type("dropout")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    assert page.locator(".md-search-result__item").count() > 3
    page.close()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def test_no_broken_internal_links_or_anchors(built_site):
    parsed = {}
    for html in built_site.rglob("*.html"):
        p = _Links()
        p.feed(html.read_text())
        parsed[html] = p
    broken = []
    for html, p in parsed.items():
        for href in p.links:
            url = urlparse(href)
            if url.scheme or href.startswith(("mailto:", "//")):
                continue
            if url.path.startswith("/"):  # 404.html links from the site root
                target = built_site / url.path.lstrip("/")
            else:
                target = (html.parent / url.path).resolve() if url.path else html
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html.relative_to(built_site)} -> {href}")
            elif url.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else set()
                if url.fragment not in ids:
                    broken.append(f"{html.relative_to(built_site)} -> {href}")
    assert broken == []


@pytest.mark.parametrize("path", DARK)
def test_dark_palette_has_no_serious_accessibility_violations(scans, path):
    report = scans[path, "dark"]
    assert report["scheme"] == "slate"
    assert report["violations"] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_notebook_page_typesets_its_math_and_reads_in_both_palettes(server, browser, scheme):
    """Math in the notebook's text (Markdown cells, and the sentences %%prose cells show) is
    typeset by the bundled KaTeX, never its code;
    the notebook's code and text meet the site's contrast; a screenshot goes to
    test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page.goto(urljoin(server, "notebooks/03-l1-vs-l2/"), wait_until="networkidle")
    settled(page)
    assert page.locator(".jp-MarkdownCell .katex, .jp-OutputArea .katex").count() > 5
    assert page.locator(".katex-error").count() == 0
    assert page.locator(".jp-CodeCell .jp-InputArea .katex").count() == 0
    assert page.locator(".jp-OutputArea svg.reglab-figure").count() >= 1
    code = page.locator(".jp-CodeCell .highlight-ipynb").first
    ink = code.evaluate("e => getComputedStyle(e.querySelector('span') || e).color")
    background = code.evaluate("e => getComputedStyle(e.closest('.jp-InputArea-editor')).backgroundColor")
    assert _contrast(ink, background) >= 4.5, (ink, background)
    page.screenshot(path=str(ARTIFACTS / f"notebook-03-{scheme}.png"))
    page.close()


def test_a_source_tab_chosen_on_one_page_leaves_another_pages_results_showing(server, browser):
    """Result/Source tabs are not linked across the site: after "Source" is clicked on page
    5, page 8 still opens on its results, with every figure visible."""
    page = browser.new_page()
    page.goto(urljoin(server, "05-dropout/"), wait_until="networkidle")
    settled(page)
    page.locator(".tabbed-labels label", has_text="Source").first.click()
    page.wait_for_timeout(200)
    page.goto(urljoin(server, "08-dropout-in-keras/"), wait_until="networkidle")
    settled(page)
    shown = [len(f["shown"]) for f in page.eval_on_selector_all(FIGURES, SHOWN)]
    page.close()
    assert shown == [1] * 5, shown


FIGURES = "figure.reglab"
SHOWN = """figures => figures.map(f => ({
  shown: [...f.querySelectorAll('svg.reglab-figure')]
    .filter(s => getComputedStyle(s).display !== 'none' && s.getBoundingClientRect().height > 0)
    .map(s => ({
      layout: s.classList.contains('reglab-narrow') ? 'narrow' : 'wide',
      w: s.getBoundingClientRect().width,
      h: s.getBoundingClientRect().height,
      label: s.getAttribute('aria-label') || '',
    })),
}))"""

READING = """() => {
  const visible = e => e.offsetParent !== null && e.getBoundingClientRect().height > 0;
  const top = e => e.getBoundingClientRect().top + window.scrollY;
  const texts = [...document.querySelectorAll('svg.reglab-figure text')].filter(visible);
  const sizes = texts.map(t => {
    const m = t.getScreenCTM();
    return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
  });
  const scrolls = e => {  // an ancestor below the page that scrolls sideways to show it
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if ((o === 'auto' || o === 'scroll') && a.clientWidth < e.scrollWidth) return true;
    }
    return false;
  };
  const content = document.querySelector('.md-content').getBoundingClientRect();
  const tables = [...document.querySelectorAll('.md-content table')].filter(visible);
  const answer = document.querySelector('h2#answer');
  const code = [...document.querySelectorAll('.md-content pre > code')].filter(visible);
  const figure = [...document.querySelectorAll('svg.reglab-figure')].filter(visible);
  const marks = [...document.querySelectorAll('.md-content .claim-mark')];
  return {
    marks: marks.map(m => {
      const box = m.getBoundingClientRect();
      const heading = m.closest('h1, h2, h3');
      return {width: box.width, height: box.height, section: heading ? heading.id || '?' : null};
    }),
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    smallest_text: sizes.length ? Math.min(...sizes) : null,
    tables: tables.length,
    tables_wider_than_column: tables.filter(t => t.scrollWidth > content.width + 1).length,
    tables_overflowing_unboxed: tables.filter(t => t.scrollWidth > content.width + 1 && !scrolls(t)).length,
    answer: answer ? top(answer) : null,
    first_code: code.length ? top(code[0]) : null,
    first_figure: figure.length ? top(figure[0]) : null,
    // the home page's numbered answers wholly inside the first screen
    first_screen_answers: [...document.querySelectorAll('.md-content .home-answers > ol > li')]
      .filter(li => top(li) + li.getBoundingClientRect().height <= window.innerHeight).length,
  };
}"""


# With every collapsed block open, as a reader may open them: each figure's shown drawing
# (its box against the column and the viewport, any box around it that scrolls sideways,
# and its smallest text as rendered), and the tables whose scroll box scrolls sideways.
OPENED = """() => {
  document.querySelectorAll('.md-content details').forEach(d => { d.open = true; });
  const column = document.querySelector('.md-content article').getBoundingClientRect();
  const visible = e => e.getBoundingClientRect().height > 0;
  const sideways = e => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (a.scrollWidth > a.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) {
        return true;
      }
    }
    return false;
  };
  const figures = [...document.querySelectorAll('figure.reglab')].filter(visible).map(f => {
    const shown = [...f.querySelectorAll('svg.reglab-figure')]
      .filter(s => getComputedStyle(s).display !== 'none' && visible(s));
    const svg = shown[0];
    if (!svg) return {shown: 0};
    const box = svg.getBoundingClientRect();
    const sizes = [...svg.querySelectorAll('text')].filter(visible).map(t => {
      const m = t.getScreenCTM();
      return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    });
    return {
      shown: shown.length,
      layout: svg.classList.contains('reglab-narrow') ? 'narrow' : 'wide',
      width: box.width,
      fits: box.left >= column.left - 0.5 && box.right <= column.right + 0.5
        && box.right <= document.documentElement.clientWidth,
      scrolls: sideways(svg),
      smallest_text: Math.min(...sizes),
    };
  });
  const wraps = [...document.querySelectorAll('.md-content .md-typeset__scrollwrap')].filter(visible);
  return {
    figures,
    figures_in_page: document.querySelectorAll('.md-content figure.reglab').length,
    tables_shown: wraps.length,
    tables_scrolling_sideways: wraps.filter(w => w.scrollWidth > w.clientWidth + 1).length,
  };
}"""


def _read(browser, server: str, path: str, width: int, height: int) -> dict:
    """What a reader sees of one page at one width; at 390 px, a full-page screenshot
    goes to test-artifacts/phone/."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(urljoin(server, path), wait_until="networkidle")
    settled(page)
    report = page.evaluate(READING)
    report["length"] = page.evaluate("document.documentElement.scrollHeight")
    if width == 390:
        (ARTIFACTS / "phone").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "phone" / f"{path.strip('/') or 'home'}.png"), full_page=True)
    report["opened"] = page.evaluate(OPENED)
    page.close()
    return report


@pytest.fixture(scope="module")
def reading(built_site, server):
    """Every page of the nav at 1280 px and at 390×844 (a phone): what a reader sees."""
    nav = nav_pages(yaml.safe_load((ROOT / "mkdocs.yml").read_text())["nav"])
    paths = ["" if p == "index.md" else p.removesuffix(".md") + "/" for p in nav]
    todo = [(path, width, height) for width, height in ((1280, 900), (390, 844)) for path in paths]
    report: dict[str, dict[str, dict]] = {}
    for (path, width, _), seen in sorted(_in_parallel(_read, server, todo).items()):
        report.setdefault(path or "home", {})[str(width)] = seen
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "reading.json").write_text(json.dumps(report, indent=1, sort_keys=True))
    return report


def test_on_a_phone_the_home_pages_first_screen_shows_at_least_two_answers(reading):
    assert reading["home"]["390"]["first_screen_answers"] >= 2


def test_on_a_phone_the_method_page_is_under_12000_px(reading):
    assert reading["method/"]["390"]["length"] < 12000


def test_on_a_phone_the_page_never_scrolls_sideways(reading):
    assert {p: r["390"]["overflow"] for p, r in reading.items() if r["390"]["overflow"] > 0} == {}


def test_on_a_phone_figure_text_is_at_least_10_px(reading):
    smallest = {p: r["390"]["smallest_text"] for p, r in reading.items() if r["390"]["smallest_text"]}
    assert smallest and min(smallest.values()) >= 9.95, smallest


def test_a_table_wider_than_the_column_scrolls_in_its_own_box(reading):
    wide = sum(r[width]["tables_wider_than_column"] for r in reading.values() for width in ("390", "1280"))
    assert wide > 0  # the check has something to check
    unboxed = {
        (p, width): r[width]["tables_overflowing_unboxed"]
        for p, r in reading.items()
        for width in ("390", "1280")
        if r[width]["tables_overflowing_unboxed"]
    }
    assert unboxed == {}


def test_on_a_phone_every_figure_fits_the_column_with_text_of_10_px_or_more(reading):
    """At 390 px, each figure on each page (collapsed blocks opened) shows its phone
    drawing, inside the column and the viewport, with no box around it scrolling sideways,
    and its smallest text renders at 10 px or more."""
    total = 0
    for path, r in reading.items():
        opened = r["390"]["opened"]
        assert len(opened["figures"]) == opened["figures_in_page"], path  # every figure measured
        for i, figure in enumerate(opened["figures"]):
            assert figure["shown"] == 1 and figure["layout"] == "narrow", (path, i, figure)
            assert figure["fits"] and not figure["scrolls"], (path, i, figure)
            assert figure["smallest_text"] >= 9.95, (path, i, figure)
        total += len(opened["figures"])
    assert total >= 18


def test_on_a_phone_at_most_one_table_a_page_scrolls_sideways(reading):
    """Tables too wide for a phone show their rows as cards (hooks/table_labels.py), so at
    390 px no page, collapsed blocks opened, has more than one table to scroll sideways."""
    assert sum(r["390"]["opened"]["tables_shown"] for r in reading.values()) > 20
    scrolling = {p: r["390"]["opened"]["tables_scrolling_sideways"] for p, r in reading.items()}
    assert {p: n for p, n in scrolling.items() if n > 1} == {}


def test_every_question_opens_with_its_answer_before_any_code(reading):
    questions = {p: r for p, r in reading.items() if re.match(r"\d\d-", p)}
    assert len(questions) == 9
    for width in ("1280", "390"):
        late = {
            p: (r[width]["answer"], r[width]["first_code"])
            for p, r in questions.items()
            if r[width]["answer"] is None
            or (r[width]["first_code"] is not None and r[width]["first_code"] < r[width]["answer"])
        }
        assert late == {}, (width, late)


def test_a_tested_mark_is_a_24_px_target_and_there_is_one_per_section(reading):
    """hooks/claims.py: one "tested" mark beside the heading of each section with marked
    sentences, whose box meets WCAG 2.2's 24 x 24 px target size, at both widths."""
    marks = {(p, w): r[w]["marks"] for p, r in reading.items() for w in ("1280", "390")}
    assert sum(map(len, marks.values())) >= 20  # the check has something to check
    small = {
        k: [(m["width"], m["height"]) for m in v if min(m["width"], m["height"]) < 24]
        for k, v in marks.items()
    }
    assert {k: v for k, v in small.items() if v} == {}
    sections = {k: [m["section"] for m in v] for k, v in marks.items()}
    assert {k: v for k, v in sections.items() if None in v or len(set(v)) < len(v)} == {}


def test_a_glossary_term_shows_its_meaning_when_tapped_on_a_phone(server, browser):
    """A term of the glossary (includes/abbreviations.md) is an <abbr>; tapping it on a
    touch screen shows Material's tooltip with its meaning (content.tooltips)."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(urljoin(server, "05-dropout/"), wait_until="networkidle")
    settled(page)
    term = page.locator("article abbr", has_text="CI").first
    meaning = term.get_attribute("title")
    assert meaning and meaning.startswith("Confidence interval")
    term.scroll_into_view_if_needed()
    term.tap()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert meaning in tooltip.inner_text()
    page.screenshot(path=str(ARTIFACTS / "glossary-tap-390.png"))
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_home_page_and_pages_1_and_8_at_both_widths(server, browser, scheme):
    """First screens of three pages at 1280 and 390 px, for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
        for path, name in (
            ("", "home"),
            ("01-what-is-regularization/", "01"),
            ("08-dropout-in-keras/", "08"),
        ):
            page.goto(urljoin(server, path), wait_until="networkidle")
            settled(page)
            shot = ARTIFACTS / f"{name}-{width}-{scheme}.png"
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000
        page.close()
