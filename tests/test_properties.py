"""Properties over generated input (hypothesis): escaped text renders exactly as written, and
no word of an input is lost between the file and the article page."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from html.parser import HTMLParser

from pressreview.analyse import analyse
from pressreview.model import RawDocument
from pressreview.normalise import normalise
from pressreview.pdf import load_mkdocs_config, markdown_setup
from pressreview.render import Marker, body_markdown, environment, load_strings, md_escape, normalised_markdown
from pressreview.settings import load_settings

from audit import AUDIT_DOCUMENT, audit_content, CHROMIUM, CHROMIUM_ARGS, PAYLOADS, hover_all, project_strings
from conftest import ROOT, article_text, is_subsequence, words

SETTINGS = load_settings(Path("."))
STRINGS = load_strings(environment(), "de")


@lru_cache(maxsize=1)
def extensions():
    """The Markdown extensions exactly as MkDocs loads them for mkdocs.yml (with its built-ins)."""
    return markdown_setup(load_mkdocs_config(ROOT))


def to_html(md: str) -> str:
    names, configs = extensions()
    return markdown.markdown(md, extensions=names, extension_configs=configs)


def visible(md: str) -> str:
    return article_text(f"<article>{to_html(md)}</article>")


MARKUP = "\\`*_{}[]()#+-.!|<>&~=:^$%?\"'/@;\t "
TEXT = st.text(alphabet=st.sampled_from(list(MARKUP + string.ascii_letters + string.digits + "äöüßÄ–—„“…€")),
               min_size=1, max_size=60)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_escaped_text_renders_exactly_as_written(text):
    expected = " ".join(text.split())
    rendered = " ".join(visible(str(md_escape(text))).split())
    assert rendered == expected


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_escaped_text_makes_no_markup(text):
    html = to_html(str(md_escape(text)))
    inner = html.removeprefix("<p>").removesuffix("</p>")
    assert "<" not in inner.replace("&lt;", "")  # no element at all: only text and entities


WORD = st.text(alphabet=st.sampled_from(list(string.ascii_letters + "äöüßÄÖÜ")), min_size=1, max_size=10)
TOKEN = st.one_of(WORD, WORD, WORD, st.sampled_from(
    ["3,2", "27,5%", "18/09/2025", "1.", "-", "*", "#", "<b>", "{{", "}}", "{%", "[x](javascript:y)", "...", "?!",
     "Quelle:", "Quellenangabe", "Anzeige", "Kaufen oder verkaufen?", "https://example.com/a_b", "!!!", "???",
     "|", "`", "&amp;", "z. B.", "Dr.", "„Zitat“", ":", "—"]))
LINE = st.lists(TOKEN, min_size=1, max_size=14).map(" ".join)
DOC = st.lists(st.one_of(LINE, LINE, LINE, st.just("")), min_size=1, max_size=25).map("\n".join)


def _page_words(text: str, fmt: str = "txt") -> tuple[list[str], list[str]]:
    doc = RawDocument("x." + fmt, fmt, text, "0" * 64, "utf-8", {"language": "de"})
    art = normalise(doc, SETTINGS)
    md = normalised_markdown(art, STRINGS)
    body = md.split("\n---\n", 1)[1]  # the page without its front matter
    return words(text), words(visible(body))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC)
def test_every_input_word_is_on_the_page_in_order(text):
    if not any(c.isalnum() for c in text):
        return
    source, page = _page_words(text)
    assert is_subsequence(source, page), (source, page)


def test_every_word_of_the_seeds_is_on_the_page_in_order():
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        source, page = _page_words(text)
        assert is_subsequence(source, page), path.name


MARKY = st.lists(st.one_of(TOKEN, st.sampled_from(["könnte", "revolutionär", "Kursfeuerwerk", "angeblich", "soll",
                                                   "sein", "wohl", "Schnäppchen", "Experten", "meinen", "*", "_",
                                                   "\\", "<", "&", "`"])), min_size=1, max_size=20).map(" ".join)
MARKED_DOC = st.lists(st.one_of(MARKY, LINE, st.just("")), min_size=1, max_size=12).map("\n".join)
ALLOWED = {"p", "h1", "h2", "h3", "ul", "li", "span", "mark", "details", "summary", "em", "code", "a", "table",
           "thead", "tbody", "tr", "th", "td"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKED_DOC)
def test_marked_pages_keep_every_word_and_make_only_our_markup(text):
    if not any(c.isalnum() for c in text):
        return
    doc = RawDocument("x.txt", "txt", text, "0" * 64, "utf-8", {"language": "de"})
    art = analyse(normalise(doc, SETTINGS), SETTINGS)
    html = to_html(f"# {md_escape(art.title)}\n\n" + body_markdown(art, STRINGS, Marker(art, STRINGS)))
    assert is_subsequence(words(text), words(article_text(f"<article>{html}</article>")))
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in ALLOWED, tag
        assert not [k for k in attrs if k.startswith("on")]
        if tag == "a":
            assert attrs.get("href", "").startswith(("http://", "https://", "#")), attrs


# ---------------------------------------------------------------- sentence joining keeps the text

JOINED = st.lists(st.one_of(TOKEN, st.sampled_from(["<!--", "-->", "<!", "--", "?!", "!", ".", "…", "könnte", "Satz.",
                                                    "Ende!", "Was?", "  ", "\t"])), min_size=1, max_size=20).map(" ".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example("Ein Satz <!--kein Kommentar--> und noch einer. Zweiter  Satz!Dritter Satz.")
@example("Achtung<!--Kommentar?-->Ende.")
@given(JOINED)
def test_marked_piece_shows_exactly_its_text(text):
    """Marker anchors every sentence of a piece; the page shows the piece's text exactly (with
    whitespace as md_escape has it): nothing inserted between sentences ('<!--' stays)."""
    if not any(c.isalnum() for c in text):
        return
    doc = RawDocument("x.txt", "txt", f"Titel\n\n{text}\n", "0" * 64, "utf-8", {"language": "de"})
    art = analyse(normalise(doc, SETTINGS), SETTINGS)
    marker = Marker(art, STRINGS)
    for i, block in enumerate(art.blocks):
        pieces = [(block.text, (i, -1))] if block.kind in ("paragraph", "heading") else \
            [(t, (i, j)) for j, (_, t) in enumerate(block.items)] if block.kind == "list" else []
        for piece, key in pieces:
            if key not in marker.by_piece:
                continue
            shown = to_html(str(marker(piece, key)))
            assert article_text(f"<article>{shown}</article>").strip() == " ".join(piece.split()), (piece, shown)


# ---------------------------------------------------------------- no markup but ours, in the browser

HOSTILE = st.lists(st.one_of(st.sampled_from(PAYLOADS), WORD, st.sampled_from(["könnte", "revolutionär", "angeblich"])),
                   min_size=1, max_size=6).map(" ".join)
PRESSREVIEW_JS = (ROOT / "docs" / "javascripts" / "pressreview.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def chromium_page():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"chromium is not installed ({CHROMIUM} is missing): run `make system-deps`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route("**/*", lambda route: route.abort())  # nothing is loaded from anywhere
        yield page
        browser.close()


def _hostile_pages(tmp: Path, text: str, reason: str, message: str, word: str) -> list[str]:
    """The article, legend of rules and home page that render_site writes for one hostile
    article (text), sidecar (reason), pressreview.yml (rule message) and project strings.yml."""
    templates = tmp / "templates"
    templates.mkdir()
    (templates / "strings.yml").write_text(project_strings(word), encoding="utf-8")
    settings = {**SETTINGS, "claims": {
        "add": [{"id": "de.project.x", "category": "speculative", "kind": "project", "words": ["Aktie"],
                 "message": message}],
        "override": {"de.hedge.modal": {"message": message}}}}
    source = (f"{text}\n\nDie Aktie könnte steigen. {text} Das ist revolutionär. Ein Satz.\n\n"
              f"- Angeblich {text}\n- könnte\n\nAnzeige\n")
    doc = RawDocument("x.txt", "txt", source, "0" * 64, "utf-8", {"language": "de"})
    art = analyse(normalise(doc, settings), settings, [
        {"sentence": "s2", "labels": ["promotional"], "reason": reason},
        {"sentence": "Ein Satz.", "labels": [], "reason": reason}])
    from pressreview.analyse import matcher_for
    from pressreview.model import Rejected
    from pressreview.render import assign_ids, render_site

    env = environment(templates)
    docs = tmp / "docs"
    articles = assign_ids([art])
    render_site(articles, [Rejected(f"{word}.txt", reason)], docs, env, "de",
                rule_packs=[{"language": "de", "rules": matcher_for(settings, "de").rules,
                             "conditions": matcher_for(settings, "de").conditions}])
    pages = [docs / "articles" / f"{articles[0].id}.md", docs / "index.md", docs / "rules" / "index.md"]
    return [to_html(p.read_text(encoding="utf-8").split("\n---\n", 1)[-1]) for p in pages]


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@example(text=PAYLOADS[0], reason=PAYLOADS[0], message=PAYLOADS[4], word=PAYLOADS[2])
@given(text=HOSTILE, reason=HOSTILE, message=HOSTILE, word=HOSTILE)
def test_no_markup_but_ours_in_the_browser(chromium_page, tmp_path_factory, text, reason, message, word):
    """Markdown links with attribute breakouts, raw HTML, Jinja, pymdownx syntax and unicode in
    article text, sidecar reasons, rule messages and project strings: the browser's DOM of the
    pages holds only our elements, attributes and classes, nothing ran, and every tooltip
    shows its text as text (after hovering and focusing every mark)."""
    tmp = tmp_path_factory.mktemp("hostile")
    for html in _hostile_pages(tmp, text, reason, message, word):
        chromium_page.set_content(f"<!DOCTYPE html><html><body><article class='md-content__inner md-typeset'>"
                                  f"{html}</article></body></html>")
        chromium_page.add_script_tag(content=PRESSREVIEW_JS)
        problems = audit_content(chromium_page)
        problems += hover_all(chromium_page)
        problems += [p for p in chromium_page.evaluate(AUDIT_DOCUMENT) if not p.startswith("script ")]
        assert not problems, (problems, html)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    | st.tuples(inner, inner), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
@example({"a": [1.5, float("nan"), float("-inf"), (None, True)], "ü\"\n": {}})
@example({1: "a key that is no text"})
def test_analysis_json_is_what_json_dumps_writes(data):
    """analysis.json is written without json's slow indenting encoder, and reads the same."""
    import json

    from pressreview.render import analysis_json

    assert analysis_json(data) == json.dumps(data, ensure_ascii=False, indent=1) + "\n"
