"""The real thing: build.py writes docs/ and runs `mkdocs build --strict` with Material."""

from __future__ import annotations

import json
from html import unescape as html_unescape
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SEEDS, article_text, is_subsequence, make_project, run_build, words
from pressreview import publish

pytestmark = pytest.mark.site


def page(project: Path, rel: str) -> str:
    return (project / "site" / rel).read_text(encoding="utf-8")


def test_strict_build_has_no_warnings(seed_site):
    log = (seed_site / "build.log").read_text()
    assert "WARNING" not in log and "Material for MkDocs reaches end of life" not in log
    assert (seed_site / "site" / "index.html").is_file()


def test_home_lists_both_seeds(seed_site):
    home = page(seed_site, "index.html")
    data = json.loads((seed_site / "site" / "data" / "analysis.json").read_text())
    assert len(data["articles"]) == 2
    for art in data["articles"]:
        assert f'href="articles/{art["id"]}/"' in home
        assert art["title"] in home
    assert "2025-09-18" in home and "unbekannt" in home  # seed 003's date is unknown
    assert 'lang="de"' in home  # interface language from the corpus


def test_seed_pages_show_headings_lists_sources_and_asides(seed_site):
    data = json.loads((seed_site / "site" / "data" / "analysis.json").read_text())
    by_file = {a["source_path"][:3]: a for a in data["articles"]}
    p0 = page(seed_site, f"articles/{by_file['000']['id']}/index.html")
    assert '<h2 id="rekordverdachtige' in p0 and "<h3" in p0 and p0.count("<h2") >= 6
    assert p0.count("<li>") >= 10 + 10  # two lists of five, ten sources
    assert '<a href="https://caliber.az/en/post/alibaba-shares-soar-over-3-2-billion-ai-funding-chip-strategy">' in p0
    assert '<details class="pr-aside">' in p0 and "Anriss eines anderen Artikels" in p0
    assert "Großbritannien erhält 39 Milliarden Dollar" in p0
    p3 = page(seed_site, f"articles/{by_file['003']['id']}/index.html")
    assert '<details class="pr-aside">' in p3 and "Werbung am Ende des Artikels" in p3
    assert "Hier weiterlesen..." in p3


def test_every_seed_word_is_on_its_built_page_in_order(seed_site):
    data = json.loads((seed_site / "site" / "data" / "analysis.json").read_text())
    for art in data["articles"]:
        source = words((SEEDS / art["source_path"]).read_text(encoding="utf-8"))
        shown = words(article_text(page(seed_site, f"articles/{art['id']}/index.html")))
        assert is_subsequence(source, shown), art["source_path"]


def test_analysis_json_schema(seed_site):
    data = json.loads((seed_site / "site" / "data" / "analysis.json").read_text())
    assert data["schema"] == 1 and data["rejected"] == []
    art = data["articles"][0]
    for key in ("id", "source_path", "title", "language", "date", "headings", "removed", "body_markdown", "warnings"):
        assert key in art
    assert art["removed"][0] == {"text": "Großbritannien erhält 39 Milliarden Dollar KI-Investition von Tech-Giganten",
                                 "reason": art["removed"][0]["reason"], "rule": "teasers"}
    assert "Großbritannien" not in art["body_markdown"]


def test_two_builds_are_byte_identical(tmp_path, seed_site):
    project = make_project(tmp_path)
    assert run_build(project, "build").returncode == 0
    for folder in ("site", "docs"):
        first = {p.relative_to(seed_site / folder): p.read_bytes() for p in (seed_site / folder).rglob("*") if p.is_file()}
        second = {p.relative_to(project / folder): p.read_bytes() for p in (project / folder).rglob("*") if p.is_file()}
        assert first.keys() == second.keys()
        assert [k for k in first if first[k] != second[k]] == []



ENGLISH = """---
language: en
---
# A plant closes in May

The plant closes in May, the company said on Tuesday. Analysts expect the shares to double.
"""


def _by_language(project: Path) -> dict[str, str]:
    data = json.loads((project / "site" / "data" / "analysis.json").read_text())
    return {a["language"]: page(project, f"articles/{a['id']}/index.html") for a in data["articles"]}


HAND_WRITTEN = ("legend/index.html", "methodology/index.html", "reference/analysis-json/index.html",
                "reference/comparison/index.html", "reference/normalisation/index.html",
                "reference/publishing/index.html")


def test_interface_language_on_every_page_and_each_article_in_its_own(tmp_path):
    """The seeds and one English article: the interface is German (the corpus's language) on
    every page, Material's own words and the light/dark switch included; the English article's
    title and text are marked lang="en". With interface_language: en, the other way round."""
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    (inputs / "plant.md").write_text(ENGLISH, encoding="utf-8")
    project = make_project(tmp_path, inputs)
    for interface, other in (("de", "en"), ("en", "de")):
        if interface == "en":
            (project / "pressreview.yml").write_text("interface_language: en\n", encoding="utf-8")
        result = run_build(project, "build")
        assert result.returncode == 0, result.stderr
        pages = {p: p.read_text(encoding="utf-8") for p in (project / "site").rglob("*.html")}
        assert len(pages) > 10 and all(f'<html lang="{interface}"' in text for text in pages.values())
        theme = {"de": ("Zum dunklen Modus wechseln", "Zum hellen Modus wechseln", "Link zu diesem Abschnitt",
                        'placeholder="Suche"'),
                 "en": ("Switch to dark mode", "Switch to light mode", "Permanent link", 'placeholder="Search"')}
        home = page(project, "index.html")
        assert all(words in home for words in theme[interface])
        assert not [p for p, text in pages.items() if any(words in text for words in theme[other])]
        assert not [p for p, text in pages.items() if "Made with" in text]  # Material's untranslated notice
        articles = _by_language(project)
        for language, html in articles.items():
            assert re.search(rf'<h1 id="[^"]*" lang="{language}">', html), language
            text = html.split(f'<div class="pr-text" lang="{language}">', 1)[1]
            assert ("The plant closes in May" if language == "en" else "Alibaba") in text
        assert 'lang="en"' not in articles["de"].replace('<html lang="en"', "")
        # The navigation's titles in the interface language, set in the generated nav (not folder names).
        nav = {"de": ("Legende", "Methodik", "Artikel", "Vergleich", "Referenz", "Regeln", "Quellen"),
               "en": ("Legend", "Methodology", "Articles", "Comparison", "Reference", "Rules", "Sources")}
        labels = set(re.findall(r'<span class="md-ellipsis">\s*([^<]*?)\s*</span>', home))
        assert set(nav[interface]) <= labels and not set(nav[other]) & labels, labels
        # The hand-written pages in the interface language (docs/_pages/<language>/), the home
        # page's intro too; it names no folder (the articles may come from anywhere, --input).
        titles = {"de": ("Legende", "Methodik", "Analyse-JSON", "Quellen und Vergleich", "Normalisierung",
                         "Veröffentlichen"),
                  "en": ("Legend", "Methodology", "Analysis JSON", "Sources and comparison", "Normalisation",
                         "Publishing")}
        for rel, title, wrong in zip(HAND_WRITTEN, titles[interface], titles[other]):
            assert re.search(rf"<h1[^>]*>{title}\b", page(project, rel)), rel
            assert not re.search(rf"<h1[^>]*>{wrong}\b", page(project, rel)), rel
        legend = page(project, "legend/index.html")
        assert ("Was ein unmarkierter Satz bedeutet" in legend) == (interface == "de")
        assert ("What an unmarked sentence means" in legend) == (interface == "en")
        intro = {"de": "Dieser Pressespiegel versammelt die Artikel", "en": "This press review collects the articles"}
        assert intro[interface] in home and intro[other] not in home and "seeds/" not in home


def test_generated_navigation_keeps_mkdocs_order_and_skips_excluded_pages(tmp_path):
    docs = tmp_path / "docs"
    for rel in ("index.md", "_home.md", "legend.md", "changes.md", "articles/index.md", "articles/b.md",
                "articles/a.md", "own/x.md", "reference/z.md", "data/analysis.json", ".hidden/y.md"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("# x\n")
    (docs / "stylesheets").mkdir()
    strings = {"legend": "Legende", "articles": "Artikel", "reference": "Referenz"}
    assert publish.navigation(docs, strings) == [
        "index.md", "changes.md", {"Legende": "legend.md"},
        {"Artikel": ["articles/index.md", "articles/a.md", "articles/b.md"]},
        {"Own": ["own/x.md"]}, {"Referenz": ["reference/z.md"]}]


def test_a_folder_of_many_pages_is_only_its_index_in_the_navigation(tmp_path):
    """Beyond nav_max_pages a folder (subfolders counted) shows its index page only, and its pages
    are `not_in_nav` in the written config: no page carries the corpus in its navigation."""
    docs = tmp_path / "docs"
    for rel in ["index.md", "articles/index.md", "articles/months/2024-01.md", "compare/index.md", "compare/a.md",
                *(f"articles/a{n}.md" for n in range(3))]:
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("# x\n")
    strings = {"articles": "Artikel", "compare_title": "Vergleich"}
    collapsed: list[str] = []
    assert publish.navigation(docs, strings, max_pages=3, collapsed=collapsed) == [
        "index.md", {"Artikel": ["articles/index.md"]}, {"Vergleich": ["compare/index.md", "compare/a.md"]}]
    assert collapsed == ["articles"]
    assert publish.navigation(docs, strings, max_pages=4)[1] == {"Artikel": [
        "articles/index.md", "articles/a0.md", "articles/a1.md", "articles/a2.md", {"Months": ["articles/months/2024-01.md"]}]}
    config = yaml.safe_load(publish.write_config(tmp_path, docs, strings, max_pages=3).read_text())
    assert config["not_in_nav"] == "/articles/\n" and config["nav"][1] == {"Artikel": ["articles/index.md"]}


def test_beyond_the_page_size_articles_are_reached_through_month_pages(tmp_path):
    """index_page_size 1 and nav_max_pages 1 on the two seeds: the Articles page lists months,
    each month page one article; no article page is in the navigation, every one is linked from
    a month page, MkDocs builds strict without a word about pages missing from the nav; month
    pages stay out of the search index, article pages are in it."""
    project = make_project(tmp_path)
    (project / "pressreview.yml").write_text("index_page_size: 1\nnav_max_pages: 1\n", encoding="utf-8")
    result = run_build(project, "-v", "build")
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    assert "not included in the" not in result.stderr
    data = json.loads((project / "site" / "data" / "analysis.json").read_text())
    index = page(project, "articles/index.html")
    months = sorted(set(re.findall(r'href="(months/[^"]+/)"', index)))
    assert len(months) == 2 and "ohne Datum" in index  # seed 003 has no date
    linked = set()
    for month in months:
        html = page(project, f"articles/{month}index.html")
        linked |= set(re.findall(r'href="\.\./\.\./([^"/]+)/"', html))
        assert len(re.findall(r'<td><a href="\.\./\.\./', html)) == 1  # one article to a page
    assert linked == {a["id"] for a in data["articles"]}
    for art in data["articles"]:
        nav = page(project, f"articles/{art['id']}/index.html").split("md-sidebar--secondary")[0]
        assert not any(f'href="../{other["id"]}/"' in nav for other in data["articles"])
    located = {e["location"].split("#")[0] for e in json.loads(page(project, "search/search_index.json"))["docs"]}
    assert {f"articles/{a['id']}/" for a in data["articles"]} <= located
    assert not any(loc.startswith(("articles/months/", "rules/", "reference/")) for loc in located)


def test_the_search_index_holds_article_text_not_the_summary_or_reference(seed_site):
    docs = json.loads(page(seed_site, "search/search_index.json"))["docs"]
    data = json.loads((seed_site / "site" / "data" / "analysis.json").read_text())
    art = data["articles"][0]
    text = " ".join(e["title"] + " " + e["text"] for e in docs if e["location"].startswith(f"articles/{art['id']}/"))
    assert art["sentences"][3]["text"][:40] in text and art["title"] in text
    assert "Markierungen zeigen" not in text and "Markierungen:" not in text and "Quelldatei" not in text
    assert "Zahlen in diesem Artikel" not in text
    assert not [e for e in docs if e["location"].startswith(("reference/", "rules/"))]
    assert [e for e in docs if e["location"].startswith(("legend/", "methodology/"))]


def test_a_topic_row_is_judged_against_the_headline_of_another_article():
    """An article whose later mention carries the headline value: its row is its first statement,
    judged against the headline article's (not 'single' against its own mention)."""
    from pressreview.model import Article, Comparison, Statement
    from pressreview.render import topic_rows

    def st(article: str, value: float, mention: int = 1) -> Statement:
        return Statement(article, "s1", "x", f"{value:g} Mio. Euro", value, "EUR", kind="money", mention=mention)

    c = Comparison("t", "Umsatz", "differ", (st("a", 3.0), st("a", 5.0, 2), st("b", 5.0), st("c", 5.0)),
                   headline="5 Mio. Euro")
    by_id = {k: Article(k, f"{k}.txt", "", k, "front matter", None, "", "de", "front matter", ())
             for k in "abc"}
    rows = topic_rows(c, by_id)
    assert [(r["article"].id, r["statement"].value, r["status"]) for r in rows] == [
        ("a", 3.0, "differ"), ("b", 5.0, "agree"), ("c", 5.0, "agree")]


def test_a_nav_of_the_project_s_own_is_kept(tmp_path):
    project = make_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "nav:\n  - index.md\n  - Own legend: legend.md\n")
    result = run_build(project, "build")
    assert result.returncode == 0, result.stderr
    assert not (project / publish.CONFIG).exists()
    labels = set(re.findall(r'<span class="md-ellipsis">\s*([^<]*?)\s*</span>', page(project, "index.html")))
    assert "Own legend" in labels and "Methodik" not in labels and "Legende" not in labels


class _Elements(HTMLParser):
    """Every element of a page with its attributes, and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


HOSTILE = """<script>alert(1)</script> Schlagzeile mit {{ 7*7 }} und {% if true %}x{% endif %}
Erster Absatz mit <img src=x onerror=alert(2)> und <iframe src="https://evil.example/"></iframe>. Ein [Link](javascript:alert(4)) und ![Bild](data:text/html;base64,PHNjcmlwdD4=) und <a href="javascript:alert(5)">klick</a>.
Noch ein Absatz mit {{ config }} und {% include "index.md.j2" %} und [TOC] und <style>body{display:none}</style>.
Quelle: javascript:alert(6), data:text/html,x, https://example.com/ok
"""


def test_hostile_text_shows_literally_and_makes_no_markup(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "böse & mit Leerzeichen.txt").write_text(HOSTILE, encoding="utf-8")
    project = make_project(tmp_path, inputs)
    result = run_build(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    for html_file in (project / "site").rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        parser = _Elements()
        parser.feed(html)
        assert not [t for t, _ in parser.elements if t in ("iframe", "img", "style")]
        assert "alert(" not in " ".join(parser.scripts)
        assert not [v for _, attrs in parser.elements for k, v in attrs
                    if k in ("href", "src") and v and v.strip().lower().startswith(("javascript:", "data:"))]
        assert not [k for _, attrs in parser.elements for k, _ in attrs if k.startswith("on")]
    art = next((project / "site" / "articles").glob("script*/index.html")).read_text(encoding="utf-8")
    text = article_text(art)
    assert not re.search(r"\b49\b", text)  # {{ 7*7 }} is never evaluated
    for literal in ("<script>alert(1)</script>", "{{ 7*7 }}", "{% if true %}", "<img src=x onerror=alert(2)>",
                    "[Link](javascript:alert(4))", "{% include \"index.md.j2\" %}", "[TOC]", "javascript:alert(6)"):
        assert literal in text, literal
    assert '<a href="https://example.com/ok">' in art


def test_bad_inputs_are_listed_and_strict_fails(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / "003_0a9a06f716b1c245.txt", inputs)
    (inputs / "leer.txt").write_bytes(b"")
    (inputs / "bild.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    project = make_project(tmp_path, inputs)
    result = run_build(project, "build")
    assert result.returncode == 0
    assert "rejected: leer.txt: empty file" in result.stderr and "rejected: bild.txt: binary" in result.stderr
    home = page(project, "index.html")
    assert "leer.txt" in home and "bild.txt" in home and "empty file" in home
    strict = run_build(project, "build", "--strict")
    assert strict.returncode == 1
    assert "error: rejected input leer.txt: empty file" in strict.stderr


def test_a_2mb_single_line_with_many_amounts_builds(tmp_path):
    """Issue 8: one 2 MB file took 69 s (5 MB: 374 s): the comparison compared every pair of
    its quantities. The worst case here: one line, every sentence with two other amounts.
    Speed is measured by `make bench` (bench_scale.py); run_build's timeout is a hang guard."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    line = "".join(f"Der Umsatz von Firma {n % 89} stieg um {n % 97},{n % 10} Prozent auf {n} Millionen Euro. "
                   for n in range(1, 30_000))[:2_000_000]
    (inputs / "lang.txt").write_text(line.rsplit(". ", 1)[0] + ".\n", encoding="utf-8")
    project = make_project(tmp_path, inputs)
    result = run_build(project, "-v", "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "lang.txt: only the first 200 quantities are compared" in result.stderr
    data = json.loads(page(project, "data/analysis.json"))
    article = data["articles"][0]
    html = page(project, f"articles/{article['id']}/index.html")
    assert len(article["sentences"]) > 20_000 and html.count('<span class="pr-s') == len(article["sentences"])
    # the line is shown in paragraphs of whole sentences (MkDocs' Markdown is quadratic in one paragraph)
    paragraphs = re.findall(r"<p>(.*?)</p>", html, re.S)
    assert len(paragraphs) > 50 and max(len(p) for p in paragraphs) < 60_000
    assert len(data["comparisons"]) <= 200


# ---------------------------------------------------------------- the press review (issue 12)

def _seed_render(tmp_path: Path, inputs: Path | None = None):
    """The seeds (or `inputs`) analysed and rendered into a fresh docs/ with no hand-written
    intro: only what render writes."""
    from pressreview.pipeline import analyse_corpus
    from pressreview.render import environment, render_site
    from pressreview.settings import load_settings

    project = make_project(tmp_path, inputs)
    settings = load_settings(project, {"input": None})
    corpus = analyse_corpus(settings)
    docs = tmp_path / "docs-only"
    render_site(corpus.articles, corpus.rejected, docs, environment(), corpus.interface_language(settings), "",
                rule_packs=[], comparisons=corpus.comparisons)
    return corpus, docs


def test_home_opens_with_the_52_against_50_finding(seed_site):
    lines = [line.strip() for line in article_text(page(seed_site, "index.html")).splitlines() if line.strip()]
    assert lines[0] == "Pressespiegel"
    assert lines[1] == "Zahlen, die die Artikel unterschiedlich angeben"
    first = " ".join(lines[2:4])  # the first finding: status, topic, the difference in words
    assert first.startswith("≈ vereinbar") or first.startswith("vereinbar"), first
    assert "über 52 Milliarden Dollar" in first and "über 50 Milliarden Dollar" in first, first
    assert "Mindestangaben" in first, first
    # with each article's value and a link to the topic page
    home = page(seed_site, "index.html")
    # the subject is quoted from the articles: in their language (here the interface's too)
    assert re.search(r'<a href="compare/[^"]+/">(<span lang="de">)?Expansionsplan(</span>)?</a>', home)
    assert home.index("pr-finding__values") < home.index(">Am stärksten werblich<")


def test_values_quoted_in_a_generated_sentence_carry_their_articles_language():
    """Issue 12: «Voltaris shares: 9 Prozent vs 11,3 Prozent: 2.3 points apart» on an English
    page. The difference is split into the interface's words and the values quoted from
    articles, each value with its article's language, all escaped on the one path."""
    from pressreview.render import parts_markdown, quoted_parts

    quotes = {"9 Prozent": "de", "11,3 Prozent": "de", "11.3%": "en", "": "de"}
    parts = quoted_parts("9 Prozent vs 11,3 Prozent: 2.3 points apart", quotes)
    assert parts == [("9 Prozent", "de"), (" vs ", ""), ("11,3 Prozent", "de"), (": 2.3 points apart", "")]
    assert parts_markdown(parts) == ('<span lang="de">9 Prozent</span> vs <span lang="de">11,3 Prozent</span>'
                                     ': 2.3 points apart')
    hostile = parts_markdown([("<b>*x*</b>", "de"), (" vs ", ""), ("# 1", "en")])
    assert hostile == '<span lang="de">&lt;b&gt;\\*x\\*&lt;/b&gt;</span> vs <span lang="en">\\# 1</span>'


def test_home_findings_name_articles_and_no_file_or_folder(tmp_path):
    corpus, docs = _seed_render(tmp_path)
    home = (docs / "index.md").read_text(encoding="utf-8")
    by_share = sorted(corpus.articles, key=lambda a: -sum("promotional" in s.labels for s in a.sentences)
                      / len(a.sentences))
    sections = re.split(r"^## ", home, flags=re.M)
    promotional = next(s for s in sections if s.startswith("Am stärksten werblich"))
    assert promotional.index(by_share[0].id) < promotional.index(by_share[1].id)
    assert "48 %" in promotional and "(13 von 27)" in promotional  # 13 of 27 sentences of seed 003
    uncited = next(s for s in sections if s.startswith("Artikel ohne Quellenangabe"))
    for a in corpus.articles:
        assert (a.id in uncited) == (not a.sources)
    newest = next(s for s in sections if s.startswith("Neueste Artikel"))
    assert [a.id for a in corpus.articles if a.date][0] in newest
    assert not any(a.id in newest for a in corpus.articles if not a.date)  # no date: not "newest"
    for a in corpus.articles:  # listed with date, words and share, never by its file
        assert a.source_path not in home
    for word in ("seeds", ".txt", "Datei", "Ordner", "analysis.json"):
        assert word not in home.replace("(data/analysis.json)", ""), word


def test_findings_order_and_ranking():
    from pressreview.findings import findings
    from pressreview.model import Article, Comparison, Sentence, Source, Statement

    def art(ident: str, date: str | None, labels: list[tuple[str, ...]], sources: int = 0) -> Article:
        sentences = tuple(Sentence(f"s{i}", "x", 0, lab) for i, lab in enumerate(labels))
        return Article(ident, f"{ident}.txt", "", ident.upper(), "front matter", date, "", "de", "", (),
                       sentences=sentences, sources=tuple(Source("Reuters") for _ in range(sources)))

    a = art("a", "2025-01-02", [("promotional",), (), (), ()])  # 25 % promotional
    b = art("b", None, [("promotional",), ("speculative",)], sources=1)  # 50 % each
    c = art("c", "2025-03-01", [(), ()], sources=2)  # unmarked

    def comp(ident: str, status: str) -> Comparison:
        return Comparison(ident, ident, status, (Statement("a", "s0", "", "5 %", 5, "%"),
                                                 Statement("b", "s0", "", "7 %", 7, "%"),
                                                 Statement("a", "s1", "", "5 %", 5, "%", mention=2)),
                          headline="5 %", difference="5 % vs 7 %")

    found = findings([a, b, c], [comp("t1", "agree"), comp("t2", "compatible"), comp("t3", "differ")],
                     {"a": 10, "b": 20, "c": 30})
    assert [d["comparison"].id for d in found["disagreements"]] == ["t3", "t2"]  # differ first, no agree
    assert [v["value"] for v in found["disagreements"][0]["per_article"]] == ["5 %", "7 %"]  # one per article
    assert [r["article"].id for r in found["most_promotional"]] == ["b", "a"]
    assert [r["article"].id for r in found["most_speculative"]] == ["b"]  # only articles with such marks
    assert [r["article"].id for r in found["without_sources"]] == ["a"]
    assert [r["article"].id for r in found["newest"]] == ["c", "a"]
    assert [r["words"] for r in found["rows"]] == [10, 20, 30]


def test_article_header_is_compact_and_long_mark_lists_collapse(seed_site, tmp_path):
    data = json.loads((seed_site / "site" / "data" / "analysis.json").read_text())
    for art in data["articles"]:
        html = page(seed_site, f"articles/{art['id']}/index.html")
        # title, then its facts right under it; the file name only on the small details line
        assert re.search(r"</h1>\s*<p class=\"pr-meta\"( data-search-exclude)?>", html)
        assert html.count(art["source_path"]) == 1
        assert re.search(r'<p class="pr-details"[^>]*>[^<]*' + re.escape(art["source_path"]), html)
        marked = art["summary"]["marked"]
        assert marked > 8  # both seeds: the list is collapsed
        assert re.search(r'<details class="pr-summary">\s*<summary>[^<]*\(' + str(marked) + r"\)", html)
    # a short list stays open
    inputs = tmp_path / "short"
    inputs.mkdir()
    (inputs / "kurz.txt").write_text("Die Aktie könnte weiter steigen. Der Umsatz lag bei 3 Millionen Euro.\n",
                                     encoding="utf-8")
    corpus, docs = _seed_render(tmp_path, inputs)
    text = (docs / "articles" / f"{corpus.articles[0].id}.md").read_text(encoding="utf-8")
    assert '!!! pr-summary "Die markierten Sätze (1)"' in text and "??? pr-summary" not in text


def test_first_badge_of_a_category_names_it(seed_site):
    data = json.loads((seed_site / "site" / "data" / "analysis.json").read_text())
    for art in data["articles"]:
        html = page(seed_site, f"articles/{art['id']}/index.html")
        badges = re.findall(r'<span class="(pr-s[^"]*)" id="[^"]+"[^>]*?data-pr-badge="([^"]*)"', html)
        named = {label: html_unescape(text) for classes, text in badges for label in classes.split()
                 if label.startswith("pr-s--")}
        assert set(named) == {f"pr-s--{c}" for c in ("speculative", "promotional") if art["summary"][c]}
        for text in named.values():
            assert re.search(r"[?!] (spekulativ|werblich)", text), text
        assert len(badges) <= 2  # only the first of each category
