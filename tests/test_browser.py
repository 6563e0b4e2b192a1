"""The built site in a real browser: Debian chromium driven by Playwright for Python, the
seeds' site served by http.server on 127.0.0.1. Needs `make system-deps` (chromium, and
axe-core in node_modules/ via `npm ci`): anything missing FAILS with its name, never skips.

Screenshots go to build/screenshots/ (git-ignored); look at them after a run.
"""

from __future__ import annotations

import base64
import functools
import shutil
import html
import http.server
import re
import threading
import warnings
from pathlib import Path

import pytest

from conftest import ROOT, make_project, run_build
from pressreview.render import attr

pytestmark = pytest.mark.site  # builds the seeds' site (conftest.seed_site)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"
SETUP = "run `make system-deps` (scripts/system-deps.sh)"

# Serious or critical axe findings we cannot fix in our CSS, each with the reason. Anything
# else serious or critical fails the test.
# Findings we accept, with the reason. None at present: Material's search dialog lacked an
# accessible name (aria-dialog-name); docs/javascripts/pressreview.js now gives it one.
AXE_ACCEPTED: dict[tuple[str, str], str] = {}


# ---------------------------------------------------------------- fixtures

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@pytest.fixture(scope="module")
def site(seed_site) -> Path:
    path = seed_site / "site"
    assert (path / "index.html").is_file()
    return path


@pytest.fixture(scope="module")
def base_url(site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(scope="module")
def browser():
    """Module scope: the PDF tests start Playwright themselves, after this module."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"chromium is not installed ({CHROMIUM} is missing): {SETUP}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the Python package playwright is not installed: run `make setup`")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A page in a fresh browser context that records console errors and uncaught errors."""

    def __init__(self, browser, base_url: str, scheme: str = "light", width: int = 1280):
        self.context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme,
                                           locale="de-DE", reduced_motion="reduce")
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.base = base_url
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def open(self, path: str):
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else '?'}"
        # Material mounts its components on DOMContentLoaded through its document$ stream
        self.page.wait_for_function("typeof document$ !== 'undefined' && !!document.querySelector('.md-header')")
        return self.page


@pytest.fixture
def tab(browser, base_url):
    p = Page(browser, base_url)
    yield p
    p.context.close()


@pytest.fixture(scope="module")
def article_path(site) -> str:
    """An article page with both kinds of marks."""
    for page in sorted((site / "articles").glob("*/index.html")):
        text = page.read_text(encoding="utf-8")
        if "pr-cue--speculative" in text and "pr-cue--promotional" in text:
            return f"articles/{page.parent.name}/"
    pytest.fail("no article page of the seeds has both speculative and promotional marks")


def compare_path(site: Path) -> str | None:
    for name in ("compare", "comparisons", "vergleiche"):
        if (site / name / "index.html").is_file():
            return f"{name}/"
    return None


# ---------------------------------------------------------------- tests

@pytest.mark.parametrize("which", ["home", "article", "legend"])
def test_pages_load_without_console_errors(tab, article_path, which):
    path = {"home": "", "article": article_path, "legend": "legend/"}[which]
    page = tab.open(path)
    page.wait_for_timeout(300)  # let late scripts (search worker, palette) run
    assert page.locator("h1").first.is_visible()
    assert tab.errors == []


def test_search_finds_a_german_word(tab):
    page = tab.open("")
    box = page.locator("input.md-search__input")
    box.click()
    box.type("Wandelanleihe", delay=15)
    # Material's search worker needs about a second to build its index
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=15_000)
    texts = " ".join(results.all_inner_texts())
    assert "wandelanleihe" in texts.lower(), texts
    links = [a.get_attribute("href") for a in page.locator(".md-search-result__link").all()]
    assert any("articles/" in (href or "") for href in links), links
    assert tab.errors == []


def _expected_tip(tab, path: str, rule: str) -> str:
    """The explanation that the static HTML gives the first mark of `rule` (data-pr-tip)."""
    raw = tab.page.request.get(tab.base + path).text()
    m = re.search(r'<mark class="pr-cue[^"]*" tabindex="0" data-pr-tip="([^"]*)" data-rule="'
                  + re.escape(str(attr(rule))) + '"', raw)
    assert m, f"no mark of rule {rule} in the static page"
    return html.unescape(m.group(1))


def test_mark_explained_on_hover_and_on_keyboard_focus(tab, article_path):
    page = tab.open(article_path)
    marks = page.locator("mark.pr-cue")
    assert marks.count() > 3
    first = marks.first
    rule = first.get_attribute("data-rule")
    expected = _expected_tip(tab, article_path, rule)
    assert rule and f"[{rule}]" in expected
    assert page.locator("[title]").evaluate_all("els => els.filter(e => e.closest('.md-typeset .pr-s'))") == []

    # hover: our tooltip (docs/javascripts/pressreview.js) shows the explanation as text
    first.hover()
    tip = page.locator(".pr-tip.pr-tip--active[role=tooltip]")
    tip.wait_for(state="visible")
    assert tip.inner_text().strip() == expected
    assert first.get_attribute("aria-describedby") == tip.get_attribute("id")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "tooltip.png"))
    page.mouse.move(5, 890)
    page.wait_for_function("!document.querySelector('.pr-tip--active')")
    assert first.get_attribute("aria-describedby") is None

    # keyboard: Tab until a mark has the focus, then its explanation shows
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('mark.pr-cue')"):
            break
    else:
        pytest.fail("no mark could be reached with the Tab key")
    focused_rule = page.evaluate("document.activeElement.dataset.rule")
    tip = page.locator(".pr-tip.pr-tip--active[role=tooltip]")
    tip.wait_for(state="visible")
    text = tip.inner_text().strip()
    assert text == _expected_tip(tab, article_path, focused_rule)
    assert f"[{focused_rule}]" in text
    described = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    assert described == tip.get_attribute("id")
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('.pr-tip--active')")


_STYLE = """sel => {
  const mark = document.querySelector(sel);
  const word = mark.querySelector('.pr-cue__w');
  const sentence = mark.closest('.pr-s');
  return {
    line: getComputedStyle(word).textDecorationLine,
    style: getComputedStyle(word).textDecorationStyle,
    background: getComputedStyle(mark).backgroundColor,
    badge: getComputedStyle(sentence, '::before').content,
  };
}"""
SPEC = ".pr-s--speculative:not(.pr-s--promotional) mark.pr-cue--speculative"
PROMO = ".pr-s--promotional:not(.pr-s--speculative) mark.pr-cue--promotional"
CLEAR = "rgba(0, 0, 0, 0)"


def test_legend_toggles_hide_and_show_a_category(tab, article_path):
    page = tab.open(article_path)
    spec, promo = page.evaluate(_STYLE, SPEC), page.evaluate(_STYLE, PROMO)
    assert (spec["line"], spec["style"]) == ("underline", "dashed") and spec["background"] != CLEAR, spec
    assert (promo["line"], promo["style"]) == ("underline", "double") and promo["background"] != CLEAR, promo
    # the symbol, and on a category's first badge of the page also its name ("? spekulativ")
    assert re.fullmatch(r'"\?( spekulativ)?"', spec["badge"]) and re.fullmatch(r'"!( werblich)?"', promo["badge"])

    legend = tab.open("legend/")
    legend.locator("input[data-pr-toggle=speculative]").uncheck()
    page = tab.open(article_path)
    assert not page.locator("input[data-pr-toggle=speculative]").is_checked()  # the choice is kept
    hidden, kept = page.evaluate(_STYLE, SPEC), page.evaluate(_STYLE, PROMO)
    assert hidden["line"] == "none" and hidden["background"] == CLEAR and hidden["badge"] == "none", hidden
    assert kept == promo, kept

    legend = tab.open("legend/")
    legend.locator("input[data-pr-toggle=speculative]").check()
    page = tab.open(article_path)
    assert page.evaluate(_STYLE, SPEC) == spec
    assert page.evaluate(_STYLE, PROMO) == promo
    assert tab.errors == []


def test_dark_mode_toggles(tab):
    page = tab.open("")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    page.locator("form[data-md-component=palette] label:not([hidden])").click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.reload()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")  # kept
    page.locator("form[data-md-component=palette] label:not([hidden])").click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert tab.errors == []


def test_screenshots(browser, base_url, site, article_path):
    """Saved for a human to look at: build/screenshots/*.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = {"home": "", "article": article_path, "legend": "legend/"}
    comparison = compare_path(site)
    if comparison:
        shots["compare"] = comparison
    else:
        message = "no comparison page in the site (site/compare/ is missing): its screenshot is left out"
        (SCREENSHOTS / "compare.MISSING.txt").write_text(message + "\n", encoding="utf-8")
        warnings.warn(message, stacklevel=1)
    for scheme in ("light", "dark"):
        tab = Page(browser, base_url, scheme)
        try:
            for name, path in shots.items():
                if scheme == "dark" and name not in ("article",):
                    continue
                page = tab.open(path)
                page.wait_for_timeout(200)
                target = SCREENSHOTS / (f"{name}.png" if scheme == "light" else f"{name}-dark.png")
                page.screenshot(path=str(target), full_page=True)
                assert target.stat().st_size > 10_000, target
            assert tab.errors == []
        finally:
            tab.context.close()


@pytest.fixture(scope="module")
def bilingual_site(tmp_path_factory):
    """Three articles on one story in German and English (tests/test_compare.py): every status
    badge, with a differing value, as served on 127.0.0.1."""
    from test_compare import VOLTARIS

    inputs = tmp_path_factory.mktemp("bilingual-in")
    for name, text in VOLTARIS.items():
        (inputs / name).write_text(text, encoding="utf-8")
    project = make_project(tmp_path_factory.mktemp("bilingual"), inputs)
    result = run_build(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("corpus", ["seeds", "bilingual"])
@pytest.mark.parametrize("width", [390, 1280])
def test_comparison_tables_fit_the_page(browser, base_url, site, article_path, bilingual_site, corpus, width):
    """Issue 11: the fact checker's tables (the overview, each topic, an article's figures)
    fit a phone (390 px) and a desktop (1280 px): no table is wider than its box, no cell's
    content sticks out of it, and the page does not scroll sideways. Screenshots:
    build/screenshots/compare-<corpus>-<page>-<width>.png."""
    if corpus == "bilingual":
        site, base_url = bilingual_site
        article_path = f"articles/{sorted((site / 'articles').glob('*/index.html'))[0].parent.name}/"
    topics = sorted(p.parent.name for p in (site / "compare").glob("*/index.html"))
    assert topics, "no topic pages"
    statuses = {t: (site / "compare" / t / "index.html").read_text(encoding="utf-8") for t in topics}
    first = next((t for t in topics if "pr-status--differ" in statuses[t]), topics[0])  # the widest badge
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab = Page(browser, base_url, width=width)
    try:
        for name, path in [("overview", "compare/"), ("article", article_path)] + [(t, f"compare/{t}/") for t in topics]:
            page = tab.open(path)
            tables = page.evaluate("""() => [...document.querySelectorAll('.md-typeset table')]
              .filter(t => t.querySelector('.pr-status, .pr-fig'))
              .map(t => ({scroll: t.scrollWidth, client: t.clientWidth, right: t.getBoundingClientRect().right,
                          box: (t.closest('.md-typeset__scrollwrap') || t.parentElement).clientWidth,
                          cells: [...t.querySelectorAll('td, th')].filter(c => [...c.querySelectorAll('*')]
                            .some(e => e.getBoundingClientRect().right > c.getBoundingClientRect().right + 1))
                            .map(c => c.textContent)}))""")
            assert tables, f"{path}: no comparison table"
            viewport = page.evaluate("document.documentElement.clientWidth")
            for t in tables:
                assert t["scroll"] <= t["client"] + 1 and t["client"] <= t["box"] + 1, f"{path} at {width}px: {t}"
                assert t["right"] <= viewport + 1, f"{path} at {width}px: {t}"
                assert not t["cells"], f"{path} at {width}px: content sticks out of {t['cells']}"
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport + 1, path
            shot = SCREENSHOTS / f"compare-{corpus}-{'topic' if name == first else name}-{width}.png"
            if name == "article":  # its figures table, far down the page
                page.locator(".md-typeset table:has(.pr-fig)").screenshot(path=str(shot))
            elif name == "overview" or name == first:
                page.screenshot(path=str(shot), full_page=True)
        assert tab.errors == []
    finally:
        tab.context.close()


# Every table cell of a page (th/td with text), where it lies: the visible box is the
# viewport, narrowed to the client box of the table's scroll container (Material's
# .md-typeset__scrollwrap), so a column cut off by the container counts as hidden too.
_HIDDEN_CELLS = """() => {
  const vw = document.documentElement.clientWidth;
  return [...document.querySelectorAll('.md-content table')].map((t, i) => {
    const wrap = t.closest('.md-typeset__scrollwrap');
    const box = wrap ? wrap.getBoundingClientRect() : {left: 0, right: vw};
    const left = Math.max(0, box.left), right = Math.min(vw, box.right);
    const hidden = [...t.querySelectorAll('td, th')]
      .filter(c => c.textContent.trim() || c.querySelector('.pr-status'))
      .filter(c => { const r = c.getBoundingClientRect(); return r.left < left - 1 || r.right > right + 1; })
      .map(c => c.textContent.trim().slice(0, 40));
    const style = wrap ? getComputedStyle(wrap) : null;
    return {i, hidden, scrolls: !!wrap && ['auto', 'scroll'].includes(style.overflowX)
                                && wrap.scrollWidth > wrap.clientWidth + 1};
  });
}"""

# The mean brightness of the two outermost pixel columns on each side of a PNG (a screenshot
# of one scroll container), decoded by the browser itself.
_EDGES = """async b64 => {
  const img = await createImageBitmap(await (await fetch('data:image/png;base64,' + b64)).blob());
  const canvas = new OffscreenCanvas(img.width, img.height);
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, img.width, img.height).data;
  const column = x => { let s = 0; for (let y = 0; y < img.height; y++) { const k = (y * img.width + x) * 4;
                                                                         s += d[k] + d[k + 1] + d[k + 2]; }
                        return s / (3 * img.height); };
  return {left: (column(1) + column(2)) / 2, right: (column(img.width - 2) + column(img.width - 3)) / 2};
}"""
# Makes a table's text and lines invisible, so that only backgrounds (and the shadow) are left.
_BARE = "[data-pr-bare], [data-pr-bare] * { color: transparent !important; border-color: transparent !important; "\
        "text-decoration-color: transparent !important; box-shadow: none !important; }"
SHADOW_MIN = 12  # brightness levels (of 255) between the shadowed edge and the plain one


def _scroll_shadow(page, index: int) -> float:
    """How much darker (or, in dark mode, brighter) the right edge of the index-th table's
    scroll container is painted than its left edge, at the start of the scroll, with the
    table's text and lines made transparent: the visible scroll affordance."""
    wrap = page.locator(".md-content table").nth(index).locator("xpath=ancestor::div[contains(@class,"
                                                                 " 'md-typeset__scrollwrap')][1]")
    wrap.evaluate("w => { w.scrollLeft = 0; w.querySelector('table').setAttribute('data-pr-bare', ''); }")
    page.mouse.move(0, 0)
    edges = page.evaluate(_EDGES, base64.b64encode(wrap.screenshot(animations="disabled")).decode())
    wrap.evaluate("w => w.querySelector('table').removeAttribute('data-pr-bare')")
    return abs(edges["right"] - edges["left"])


@pytest.mark.parametrize("corpus", ["seeds", "bilingual"])
@pytest.mark.parametrize("width", [390, 1280])
def test_tables_fit_every_page(browser, base_url, site, bilingual_site, corpus, width):
    """Issue 12, point 3: on every page of the site (every index.html of the built site: its
    sitemap.xml is empty without a site_url), no table cell holding a value or a status lies
    outside what the reader sees: the viewport, narrowed to the table's scroll container.
    At 1280 px every column is visible without scrolling. At 390 px a table may be wider only
    inside a horizontally scrollable container (Material's .md-typeset__scrollwrap) whose
    scrollability is visible: a shadow on its right edge, measured in the pixels with the
    table's text and lines made transparent (docs/stylesheets/pressreview.css). The page
    itself never scrolls sideways. Screenshots: build/screenshots/tables-<corpus>-<page>-<width>.png."""
    if corpus == "bilingual":
        site, base_url = bilingual_site
    paths = sorted("" if p.parent == site else f"{p.parent.relative_to(site).as_posix()}/"
                   for p in site.rglob("index.html"))
    assert "sources/" in paths and "methodology/" in paths and any(p.startswith("articles/") for p in paths)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab = Page(browser, base_url, width=width)
    problems, tables, scrolled = [], 0, 0
    try:
        for path in paths:
            page = tab.open(path)
            page.add_style_tag(content=_BARE)
            viewport = page.evaluate("document.documentElement.clientWidth")
            if page.evaluate("document.documentElement.scrollWidth") > viewport + 1:
                problems.append(f"{path or '/'}: the page scrolls sideways")
            for t in page.evaluate(_HIDDEN_CELLS):
                tables += 1
                if not t["hidden"]:
                    continue
                where = f"{path or '/'} table {t['i'] + 1}: {t['hidden'][:4]}"
                if width > 1000:
                    problems.append(f"{where} not visible at {width} px")
                elif not t["scrolls"]:
                    problems.append(f"{where} cut off, and its container does not scroll")
                elif (shadow := _scroll_shadow(page, t["i"])) < SHADOW_MIN:
                    problems.append(f"{where} in a scrolling container without a visible shadow ({shadow:.1f})")
                else:
                    scrolled += 1
            if path in ("sources/", "methodology/"):
                page.screenshot(path=str(SCREENSHOTS / f"tables-{corpus}-{path.strip('/')}-{width}.png"), full_page=True)
        assert tab.errors == []
    finally:
        tab.context.close()
    assert tables > len(paths) // 2, f"only {tables} tables on {len(paths)} pages"
    assert not problems, f"at {width} px:\n" + "\n".join(problems)
    if width < 1000:  # the methodology's wide tables of figures do scroll on a phone, with the shadow
        assert scrolled, "no table scrolled at 390 px: the shadow was not measured"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("which", ["home", "article", "legend"])
def test_axe_finds_no_serious_violation(browser, base_url, article_path, which, scheme):
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed ({AXE.relative_to(ROOT)} is missing): {SETUP}")
    path = {"home": "", "article": article_path, "legend": "legend/"}[which]
    tab = Page(browser, base_url, scheme)
    try:
        problems = _axe_problems(tab.open(path))
    finally:
        tab.context.close()
    assert not problems, f"axe on {path or 'the home page'} ({scheme}):\n" + "\n".join(problems)


def test_every_page_links_to_the_pdf_report(browser, tmp_path):
    """`build.py build --pdf` puts the report into the site and a link to it into the footer of
    every page; the link works from nested pages too. Without --pdf there is no link."""
    project = make_project(tmp_path)
    result = run_build(project, "build", "--pdf")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert (site / "report.pdf").read_bytes().startswith(b"%PDF")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    try:
        p = Page(browser, base)
        articles = sorted((site / "articles").glob("*/index.html"))
        for path in ("", f"articles/{articles[0].parent.name}/", "legend/", "compare/", "reference/normalisation/"):
            page = p.open(path)
            link = page.locator(".md-copyright a.pr-pdf-link")
            assert link.inner_text() == "Bericht als PDF"
            assert link.evaluate("a => a.href") == base + "report.pdf"
            assert page.request.get(base + "report.pdf").ok
        assert p.errors == []
        p.context.close()
    finally:
        server.shutdown()
        server.server_close()


def test_no_pdf_link_without_a_report(site):
    assert "pr-pdf-link" not in (site / "index.html").read_text(encoding="utf-8")


HOSTILE_REASON = "ok [x](autofocus/contenteditable/onfocus=window.pwn=1//)"
HOSTILE_MESSAGE = "<img src=x onerror=window.pwn=2>"


def test_hostile_reasons_and_rule_messages_stay_text(browser, tmp_path):
    """Issue 8: a sidecar reason with a Markdown link that breaks out of the mark's attribute
    ran script on page load (autofocus + onfocus); an <img onerror> in a reason or in a rule
    message of pressreview.yml ran on hover through Material's tooltips. In a real build they
    are text: in the tooltip on hover and focus, and nowhere else as markup."""
    import yaml

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("Ein Titel über die Aktie\n\nDie Aktie könnte steigen. Das ist ein ruhiger Satz. "
                                  "Noch ein Satz steht hier.\n", encoding="utf-8")
    (inputs / "a.yml").write_text(yaml.safe_dump({"claims": [
        {"sentence": "ruhiger Satz", "labels": ["promotional"], "reason": HOSTILE_REASON},
        {"sentence": "Noch ein Satz", "labels": [], "reason": HOSTILE_MESSAGE}]}), encoding="utf-8")
    (tmp_path / "p").mkdir()
    project = make_project(tmp_path / "p", inputs)
    (project / "pressreview.yml").write_text(yaml.safe_dump({"claims": {
        "add": [{"id": "de.project.aktie", "category": "speculative", "kind": "project", "words": ["Aktie"],
                 "message": HOSTILE_MESSAGE}],
        "override": {"de.hedge.modal": {"message": HOSTILE_REASON}}}}), encoding="utf-8")
    result = run_build(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        tab = Page(browser, f"http://127.0.0.1:{server.server_port}/")
        page = tab.open(f"articles/{next((site / 'articles').glob('ein-titel*')).name}/")
        page.wait_for_timeout(300)
        assert page.evaluate("window.pwn") is None
        assert page.evaluate("[...document.querySelectorAll('*')].flatMap(e => [...e.attributes])"
                             ".filter(a => /^on|^autofocus$|^contenteditable$/.test(a.name)).length") == 0
        tips = page.locator("[data-pr-tip]")
        texts = []
        for i in range(tips.count()):
            el = tips.nth(i)
            el.hover()
            tip = page.locator(".pr-tip--active")
            tip.wait_for(state="visible")
            assert tip.inner_text() == el.get_attribute("data-pr-tip")
            assert tip.evaluate("t => t.children.length") == 0
            texts.append(tip.inner_text())
            el.focus()
            assert page.locator(".pr-tip--active").inner_text() == el.get_attribute("data-pr-tip")
        assert any(HOSTILE_REASON in t for t in texts) and any(HOSTILE_MESSAGE in t for t in texts), texts
        assert page.evaluate("window.pwn") is None
        assert tab.errors == []
        tab.context.close()
    finally:
        server.shutdown()
        server.server_close()
    features = yaml.safe_load((project / "mkdocs.yml").read_text().replace("!ENV", "")) or {}
    assert "content.tooltips" not in features["theme"]["features"]  # it puts a title into innerHTML


# ---------------------------------------------------------------- one interface language (issue 12, point 1)

# Function words of each language that the other language does not use: on a page in the
# interface language `key`, none may stand outside an element whose lang says otherwise.
# ("die" is English too, so it is not in the German list.)
OTHER_FUNCTION_WORDS = {
    "de": {"the", "and", "with", "which", "this", "that", "of", "from", "is", "are", "not"},
    "en": {"und", "der", "das", "nicht", "mit", "ist", "sind", "von", "eine", "oder"},
}
# Words of both languages: values templates/strings.yml gives differently per language, and
# words of one language's interface that the other writes the same.
SHARED_WORDS = {"also", "art", "medium", "nr",
                "hype",  # German uses it too ("Bildhafter Hype", "KI-Hype")
                "superlative"}  # also the German plural of "Superlativ"

# An English article with marks of both kinds, a quotation and a source, for the mixed corpus.
ENGLISH_MARKED = """Alibaba's cloud bet could pay off, analysts say

Alibaba will probably spend more than $52 billion on AI and cloud infrastructure over the next three years, according to Reuters. The groundbreaking plan might lift the shares further, many analysts believe. Alibaba shares rose 8% in New York.

The company called its new data centres "world-class". Investors should buy now, one newsletter wrote.

Sources:
- https://www.reuters.com/technology/alibaba-cloud-2025-09-18/
"""
_TOKENS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Addresses, file names and rule ids (reuters.com/…-forecast-…, sources.csv, de.hedge.modal) are no words.
_NAMES = re.compile(r"\S+(?:[./_]\w+)+")


def _interface_words(language: str) -> set[str]:
    """Words of the OTHER language's interface: one-word values of templates/strings.yml that
    differ between en and de and are no word of this language's strings."""
    import yaml

    strings = yaml.safe_load((ROOT / "templates" / "strings.yml").read_text(encoding="utf-8"))
    other = "en" if language == "de" else "de"
    own = {w.lower() for value in strings[language].values() for w in _TOKENS.findall(str(value))}
    found = {str(strings[other][k]).lower() for k in strings[language]
             if k in strings[other] and strings[other][k] != strings[language][k]
             and _TOKENS.fullmatch(str(strings[other][k]))}
    return found - own - SHARED_WORDS


def _offences(text: str, language: str) -> dict[str, str]:
    """Each word of the other language in `text` (acronyms such as MIT aside), with where it stands."""
    banned = OTHER_FUNCTION_WORDS[language] | _interface_words(language)
    found: dict[str, str] = {}
    text = _NAMES.sub(" ", text)
    for m in _TOKENS.finditer(text):
        word = m.group()
        if word.lower() in banned and not (len(word) > 1 and word.isupper()) and word.lower() not in found:
            found[word.lower()] = " ".join(text[max(0, m.start() - 50):m.end() + 50].split())
    return found


# The page's visible text outside the elements that carry a language of their own, and the
# tooltips of its marks (shown on hover, in the interface language: the rule id left out).
# Every element with a lang attribute below <html> is left out, also one in the interface's
# language: it quotes an article (the article's text, a title, a sentence in a table), whose
# own words may be names or loans of the other language ("Eastern Data", "KI-Hype"); `quoted`
# lists the languages of those elements. MkDocs cannot put a lang on the theme's own copies of
# titles and headings, so these are left out too (each is checked where it stands, as the page's
# h1 or heading): the table of contents, the header's page title, and the navigation's and
# footer's links to article and topic pages, whose titles are the articles' words. Text inside
# <code>, <pre> and <kbd> is left out as well: it is technical (YAML keys, JSON field names, rule
# ids, file names, commands), not interface language. Text in an inline element joins its
# neighbours, so that an address broken up for wrapping stays one name.
_INTERFACE_TEXT = """() => {
  const lang = document.documentElement.lang, parts = [], quoted = new Set();
  document.querySelectorAll('body [lang]').forEach(e => quoted.add(e.getAttribute('lang')));
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, noscript, template, code, pre, kbd, body [lang], .md-sidebar--secondary, '
                          + '[data-md-component="header-topic"]')) continue;
    const link = el.closest('.md-nav a, .md-footer a, .md-tabs a, .md-path a');
    if (link && /\\/(articles|compare)\\/[^/]+\\/$/.test(link.pathname)) continue;
    if (!el.checkVisibility({checkVisibilityCSS: true})) continue;
    const gap = getComputedStyle(el).display.startsWith('inline') ? '' : ' ';
    parts.push(gap + node.textContent + gap);
  }
  const tips = [...document.querySelectorAll('mark.pr-cue[data-pr-tip]')]
    .map(m => m.getAttribute('data-pr-tip').replace(/\\s*\\[[^\\]]*\\]$/, ''));
  return {lang, text: parts.join(''), tips, quoted: [...quoted]};
}"""


@pytest.fixture(scope="module")
def mixed_sites(tmp_path_factory) -> dict[str, Path]:
    """The seeds with two English articles (one marked, with a source) and the three Voltaris
    articles (two German, one English), built once with interface_language de and once en."""
    from test_compare import ENGLISH, VOLTARIS
    from conftest import SEEDS

    inputs = tmp_path_factory.mktemp("mixed-in")
    shutil.copytree(SEEDS, inputs, dirs_exist_ok=True)
    for name, text in {**VOLTARIS, "alibaba-en.txt": ENGLISH, "cloud-en.txt": ENGLISH_MARKED}.items():
        (inputs / name).write_text(text, encoding="utf-8")
    sites = {}
    for language in ("de", "en"):
        project = make_project(tmp_path_factory.mktemp(f"mixed-{language}"), inputs)
        (project / "pressreview.yml").write_text(f"interface_language: {language}\n", encoding="utf-8")
        result = run_build(project, "build", "--strict")
        assert result.returncode == 0, result.stderr
        sites[language] = project / "site"
    return sites


def _language_offences(browser, site: Path, language: str, paths: list[str]) -> list[str]:
    """'page: word («context»)' for every word of the other language on the given pages: in the
    visible text outside elements with a lang of their own and outside <code>, <pre> and <kbd>
    (technical text: keys, field names, rule ids, file names), and in the marks' tooltips."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tab = Page(browser, f"http://127.0.0.1:{server.server_port}/")
    found = []
    try:
        for path in paths:
            got = tab.open(path).evaluate(_INTERFACE_TEXT)
            assert got["lang"] == language, f"/{path}: <html lang={got['lang']!r}>, not {language!r}"
            assert set(got["quoted"]) <= {"de", "en"}, f"/{path}: lang={got['quoted']}"
            for where, text in [("text", got["text"])] + [("tooltip", tip) for tip in got["tips"]]:
                found += [f"/{path} ({where}): {word!r} in «{context}»"
                          for word, context in _offences(text, language).items()]
    finally:
        tab.context.close()
        server.shutdown()
        server.server_close()
    return sorted(set(found))


def _pages(site: Path) -> list[str]:
    """Every page of the site (what a sitemap lists: MkDocs writes an empty one without site_url)."""
    return sorted("" if p.parent == site else f"{p.parent.relative_to(site).as_posix()}/" for p in site.rglob("index.html"))


@pytest.mark.parametrize("corpus, language", [("seeds", "de"), ("mixed", "de"), ("mixed", "en")])
def test_every_page_speaks_one_interface_language(request, browser, corpus, language):
    """Issue 12: "spekulativ: A modal verb…", "Art: hedge · suggestion". On every page, the
    visible text outside elements with a lang of their own (the articles' words, wherever they
    are quoted) and the marks' tooltips hold no function word of the other language and no
    interface word of it (a one-word value of templates/strings.yml that differs between en
    and de). Each offending page and word is named, with the words around it."""
    site = request.getfixturevalue("site") if corpus == "seeds" else request.getfixturevalue("mixed_sites")[language]
    paths = _pages(site)
    assert len(paths) >= 8, paths
    offences = _language_offences(browser, site, language, paths)
    assert not offences, f"{corpus} site, interface {language}: words of the other language:\n" + "\n".join(offences)


TOUCH = 44  # px: the smallest touch target on a phone


def test_touch_targets_are_44_px_on_a_phone(browser, base_url, article_path):
    """At 390 px: the switches (and with them their checkboxes), the box of marked sentences
    and every mark that opens an explanation can be hit on a 44 px square; a tap beside a
    mark's words still opens its explanation, and a tap on a switch's edge still switches."""
    p = Page(browser, base_url, width=390)
    try:
        page = p.open(article_path)
        sizes = page.evaluate("""() => {
            const box = el => { const r = el.getBoundingClientRect(); return [r.width, r.height]; };
            const out = [];
            document.querySelectorAll('.pr-toggle').forEach(el => out.push(['toggle', ...box(el)]));
            document.querySelectorAll('.pr-summary > summary').forEach(el => out.push(['summary', ...box(el)]));
            document.querySelectorAll('mark.pr-cue').forEach(el => {
                const [w, h] = box(el), hit = getComputedStyle(el, '::after');
                out.push(['mark', Math.max(w, parseFloat(hit.width) || 0), Math.max(h, parseFloat(hit.height) || 0)]);
            });
            return out;
        }""")
        kinds = {kind for kind, *_ in sizes}
        assert kinds == {"toggle", "summary", "mark"}, kinds
        small = [s for s in sizes if s[1] < TOUCH - 0.5 or s[2] < TOUCH - 0.5]
        assert small == [], small[:5]

        # a tap on the switch's label, away from the box itself, switches
        label = page.locator(".pr-toggle--promotional")
        box = label.bounding_box()
        page.mouse.click(box["x"] + box["width"] - 3, box["y"] + 3)
        assert not page.locator("input[data-pr-toggle=promotional]").is_checked()
        page.mouse.click(box["x"] + box["width"] - 3, box["y"] + box["height"] - 3)
        assert page.locator("input[data-pr-toggle=promotional]").is_checked()

        # a tap 18 px above the middle of a mark's words (beyond its text) opens its explanation
        mark = page.locator(".pr-text mark.pr-cue").first
        mark.scroll_into_view_if_needed()
        box = mark.bounding_box()
        assert box["height"] < TOUCH - 10  # the words alone are smaller than a finger
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 - 18)
        tip = page.locator(".pr-tip.pr-tip--active[role=tooltip]")
        tip.wait_for(state="visible")
        assert f"[{mark.get_attribute('data-rule')}]" in tip.inner_text()
        assert p.errors == []
    finally:
        p.context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_home_opens_with_findings_and_its_article_table_fits(browser, base_url, width):
    p = Page(browser, base_url, width=width)
    try:
        page = p.open("")
        first = page.evaluate("""() => {
            const h1 = document.querySelector('article h1');
            const next = h1.nextElementSibling, finding = next.nextElementSibling;
            return [next.tagName, finding.innerText];
        }""")
        assert first[0] == "H2" and "über 52 Milliarden Dollar" in first[1] and "über 50 Milliarden Dollar" in first[1]
        out = page.evaluate("""() => {
            const right = document.documentElement.clientWidth;
            const cells = [...document.querySelectorAll('.pr-home-articles :is(td, th)')]
                .filter(c => getComputedStyle(c).display !== 'none');
            return [cells.length, cells.filter(c => c.getBoundingClientRect().right > right + 0.5)
                                      .map(c => c.innerText.slice(0, 30))];
        }""")
        assert out[0] >= 3 * 3 and out[1] == [], out  # title, date and share of both seeds at least
        assert p.errors == []
    finally:
        p.context.close()


def _axe_problems(page) -> list[str]:
    """axe-core's serious and critical findings on the open page (AXE_ACCEPTED aside)."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
      const result = await axe.run(document, {resultTypes: ['violations']});
      return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
    }""")
    return [f"{v['impact']} {v['id']} ({v['help']}) at {n['target']}: {n['summary']}"
            for v in violations if v["impact"] in ("serious", "critical")
            for n in v["nodes"] if (v["id"], n["target"]) not in AXE_ACCEPTED]


@pytest.mark.parametrize("language", ["de", "en"])
def test_mixed_corpus_pages_pass_axe_and_have_44_px_targets(browser, mixed_sites, language):
    """The German and English corpus, in either interface language: axe finds nothing serious
    on the home page, an English and a German article, the comparison overview and a topic, the
    sources and rules pages; on a phone an English article's marks and switches are 44 px targets."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed ({AXE.relative_to(ROOT)} is missing): {SETUP}")
    site = mixed_sites[language]
    topics = sorted(p.parent.name for p in (site / "compare").glob("*/index.html"))
    assert topics, "the mixed corpus has no comparison topic"
    english = next(p.parent.name for p in sorted((site / "articles").glob("*/index.html"))
                   if '<div class="pr-text" lang="en"' in p.read_text(encoding="utf-8")
                   and "pr-cue" in p.read_text(encoding="utf-8"))
    german = next(p.parent.name for p in sorted((site / "articles").glob("*/index.html"))
                  if '<div class="pr-text" lang="de"' in p.read_text(encoding="utf-8"))
    paths = ["", f"articles/{english}/", f"articles/{german}/", "compare/", f"compare/{topics[0]}/",
             "sources/", "rules/"]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    problems: list[str] = []
    try:
        for path in paths:
            tab = Page(browser, base)
            try:
                problems += [f"/{path}: {p}" for p in _axe_problems(tab.open(path))]
                assert tab.errors == [], (path, tab.errors)
            finally:
                tab.context.close()
        phone = Page(browser, base, width=390)
        try:
            sizes = phone.open(f"articles/{english}/").evaluate("""() => {
                const out = [];
                document.querySelectorAll('.pr-toggle, .pr-summary > summary, mark.pr-cue').forEach(el => {
                    const r = el.getBoundingClientRect(), hit = getComputedStyle(el, '::after');
                    out.push([el.className || el.tagName, Math.max(r.width, parseFloat(hit.width) || 0),
                              Math.max(r.height, parseFloat(hit.height) || 0)]);
                });
                return out;
            }""")
        finally:
            phone.context.close()
    finally:
        server.shutdown()
        server.server_close()
    assert not problems, "\n".join(problems)
    assert any("pr-cue" in s[0] for s in sizes), sizes
    small = [s for s in sizes if s[1] < TOUCH - 0.5 or s[2] < TOUCH - 0.5]
    assert small == [], small[:5]
