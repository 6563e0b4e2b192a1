"""Properties over generated input (hypothesis): escaped text renders exactly as written, and
no word of an input is lost between the file and the article page."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

import markdown
from hypothesis import HealthCheck, given, settings, strategies as st

from html.parser import HTMLParser

from pressreview.analyse import analyse
from pressreview.model import RawDocument
from pressreview.normalise import normalise
from pressreview.pdf import load_mkdocs_config, markdown_setup
from pressreview.render import Marker, body_markdown, environment, load_strings, md_escape, normalised_markdown
from pressreview.settings import load_settings

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
