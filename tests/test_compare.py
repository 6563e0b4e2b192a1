"""Sources and cross-article comparison: source tables, the Sources page, comparisons that
come out right on the seeds, curated topics, CSVs, unsafe URLs, template overrides."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from pressreview.compare import CompareError, clause, compare, entities, judge, load_curated, noun_phrase
from pressreview.compare import config as compare_config
from pressreview.model import Statement
from pressreview.pipeline import analyse_corpus
from pressreview.settings import load_settings

from conftest import ROOT, SEEDS, make_project, run_build


@pytest.fixture(scope="module")
def corpus():
    return analyse_corpus(load_settings(ROOT, {"input": str(SEEDS)}))


def cross_article(comparisons):
    return [c for c in comparisons if len(c.articles) > 1]


def test_the_seed_comparisons_come_out_right_without_a_curated_file(corpus):
    """Issue 11: 'über 52' against 'über 50' Mrd. are two lower bounds: compatible, with the
    reason; the 3,2 Mrd. bond agrees; one-source numbers are no topics (there were 6)."""
    assert corpus.comparisons == cross_article(corpus.comparisons)  # every topic has two articles
    found = {c.status: c for c in corpus.comparisons}
    assert sorted(found) == ["agree", "compatible"] and len(corpus.comparisons) == 2
    assert [c.status for c in corpus.comparisons] == ["compatible", "agree"]  # what differs first
    bond = found["agree"]
    assert {s.value for s in bond.statements} == {3.2e9} and {s.unit for s in bond.statements} == {"USD"}
    assert len(bond.articles) == 2 and bond.subject == "Wandelanleihe"
    # each article counts once: the repeats are its further mentions
    assert sorted(s.mention for s in bond.statements if s.mention == 1) == [1, 1]
    assert len(bond.statements) > 2 and "2 Artikel" in bond.difference
    plan = found["compatible"]
    assert sorted((s.value, s.qualifier) for s in plan.statements) == [(50e9, "over"), (52e9, "over")]
    assert "über 50 Milliarden Dollar" in plan.difference and "Mindestangaben" in plan.difference
    assert plan.subject == "Expansionsplan" and plan.entities == ("alibaba",)
    # the 2,7 Mrd. market size is not taken for the 3,2 Mrd. bond
    assert not any(2.7e9 in {s.value for s in c.statements} for c in corpus.comparisons)


def _st(article, quantity, value, qualifier="", value_to=None, unit="EUR"):
    return Statement(article, "s1", f"Es geht um {quantity}.", quantity, value, unit, qualifier, value_to)


@pytest.mark.parametrize("statements,status,words", [
    ([_st("a", "2,4 Mrd. Euro", 2.4e9), _st("b", "2,38 Mrd. Euro", 2.38e9)], "agree", "Rundung"),
    ([_st("a", "rund 2,4 Mrd. Euro", 2.4e9, "around"), _st("b", "2,38 Mrd. Euro", 2.38e9)], "compatible", "überschneiden"),
    ([_st("a", "über 50 Mrd. Euro", 50e9, "over"), _st("b", "über 52 Mrd. Euro", 52e9, "over")], "compatible", "Mindestangaben"),
    ([_st("a", "10 bis 12 Mrd. Euro", 10e9, "", 12e9), _st("b", "11 Mrd. Euro", 11e9)], "compatible", "überschneiden"),
    ([_st("a", "fast 2 Prozent", 2, "nearly", unit="%"), _st("b", "1,8 Prozent", 1.8, unit="%")], "compatible", "überschneiden"),
    ([_st("a", "fast 2 Prozent", 2, "nearly", unit="%"), _st("b", "1,5 Prozent", 1.5, unit="%")], "differ", "0,5 Prozentpunkte"),
    ([_st("a", "9 %", 9, unit="%"), _st("b", "11,3 %", 11.3, unit="%"), _st("c", "11,3 Prozent", 11.3, unit="%")],
     "differ", "9 % gegenüber 11,3 %: 2,3 Prozentpunkte"),
    ([_st("a", "50 Mrd. Euro", 50e9), _st("b", "52 Mrd. Euro", 52e9)], "differ", "50 Mrd. Euro gegenüber 52 Mrd. Euro: 2 Mrd. EUR auseinander (4 %)"),
    ([_st("a", "3,2 Mrd.", 3.2e9), _st("a", "3,3 Mrd.", 3.3e9), _st("b", "3,2 Mrd.", 3.2e9)], "agree", "2 Artikel"),
])
def test_statuses(statements, status, words):
    found, headline, text = judge(statements, "de", {"a": 0, "b": 1, "c": 2})
    assert found == status and words in text.replace("\u00a0", " "), text


def test_the_headline_is_what_most_articles_say_and_ties_go_to_the_earliest():
    three = [_st("a", "9 %", 9, unit="%"), _st("b", "11,3 %", 11.3, unit="%"), _st("c", "11,3 %", 11.3, unit="%")]
    assert judge(three, "de", {"a": 0, "b": 1, "c": 2})[1].article == "b"
    two = three[:2]
    assert judge(two, "de", {"a": 1, "b": 0})[1].article == "b"
    assert judge(two, "de", {"a": 0, "b": 1})[1].article == "a"


def test_statements_point_at_real_sentences(corpus):
    by_id = {a.id: a for a in corpus.articles}
    for c in corpus.comparisons:
        for st in c.statements:
            sentence = next(s for s in by_id[st.article].sentences if s.id == st.sentence_id)
            assert sentence.text == st.text and st.quantity in st.text


def test_curated_topics(tmp_path, corpus):
    topics = tmp_path / "comparisons.yml"
    topics.write_text("- topic: Aktienkurs\n  terms: [Aktie, Kurs]\n  kind: percent\n"
                      "- topic: Wandelanleihe\n  terms: [Wandelanleihe, Anleihe]\n  unit: USD\n", encoding="utf-8")
    found = compare(corpus.articles, "de", topics)
    curated = [c for c in found if c.origin == "curated"]
    assert [(c.subject, c.status) for c in curated] == [("Aktienkurs", "differ"), ("Wandelanleihe", "agree")]
    # what differs first, then compatible, then agree; curated before automatic ones of a status
    order = ["differ", "compatible", "agree"]
    assert [c.status for c in found] == sorted((c.status for c in found), key=order.index)
    assert found.index(curated[1]) < min(found.index(c) for c in found if c.origin == "auto" and c.status == "agree")
    bond = curated[1]
    assert bond.status == "agree" and len(bond.articles) == 2
    assert {s.quantity for s in bond.statements} >= {"3,2 Milliarden Dollar", "3,2-Milliarden-Dollar"}


@pytest.mark.parametrize("text,problem", [
    ("- topic: X\n", "needs 'topic'"), ("topic: X\n", "must be a list"), ("- topic: X\n  terms: [a]\n  colour: red\n", "unknown key"),
    ("- [\n", "not valid YAML"),
])
def test_bad_curated_file_names_the_problem(tmp_path, text, problem):
    path = tmp_path / "comparisons.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CompareError, match=problem):
        load_curated(path)


def test_clause_around_a_number():
    text = "Die Aufsichtsräte (wie 52,9 Prozent Post, 31,5 Prozent OMV) tagen."
    start = text.index("31,5")
    assert clause(text, start, start + 12) == " 31,5 Prozent OMV"


def test_seed_sources(corpus):
    a0 = next(a for a in corpus.articles if a.source_path.startswith("000"))
    a3 = next(a for a in corpus.articles if a.source_path.startswith("003"))
    assert len(a0.sources) == 10 and all(s.linkable and s.origin == "section" for s in a0.sources)
    assert {s.domain for s in a0.sources} >= {"caliber.az", "morningstar.com", "scmp.com", "caproasia.com"}
    assert next(s for s in a0.sources if s.domain == "caproasia.com").date_hint == "2025-09-11"
    assert a3.sources == ()


def test_pages_for_sources_and_comparisons(seed_site):
    site = seed_site / "site"
    data = json.loads((site / "data" / "analysis.json").read_text())
    a0, a3 = sorted(data["articles"], key=lambda a: a["source_path"])
    p0 = (site / "articles" / a0["id"] / "index.html").read_text()
    assert p0.count('href="https://web.archive.org/web/https://') == 10 and ">Caliber.Az · caliber.az<" in p0  # publisher · domain under the link
    p3 = (site / "articles" / a3["id"] / "index.html").read_text()
    assert "nennt keine Quelle" in p3
    sources = (site / "sources" / "index.html").read_text()
    assert "Artikel ohne Quellenangabe" in sources and a3["title"] in sources and "morningstar.com" in sources
    overview = (site / "compare" / "index.html").read_text()
    assert "vereinbar" in overview and "stimmt überein" in overview and "Tonfall" in overview
    assert "Wandelanleihe" in overview and "Expansionsplan" in overview and "nur eine Quelle" not in overview
    topic = (site / "compare" / "money-usd-52b-alibaba" / "index.html").read_text()
    assert "beides Mindestangaben" in topic and "Wert der meisten Artikel" in topic and "über 50 Milliarden Dollar" in topic
    # the one-source figures stay on their article's page, with their clause
    assert "Zahlen in diesem Artikel" in p0 and "11,9 Milliarden Dollar" in p0 and "Rückkaufprogramm" in p0
    home = (site / "index.html").read_text()
    assert 'href="sources/"' in home and 'href="compare/"' in home  # in the navigation
    for c in data["comparisons"]:
        page = (site / "compare" / c["id"] / "index.html").read_text()
        for st in c["statements"]:
            assert f'href="../../articles/{st["article"]}/#{st["sentence_id"]}"' in page


def test_analysis_json_and_csv(seed_site):
    site = seed_site / "site"
    data = json.loads((site / "data" / "analysis.json").read_text())
    a0 = min(data["articles"], key=lambda a: a["source_path"])
    assert set(a0["sources"][0]) >= {"url", "text", "domain", "publisher", "linkable"}
    assert set(a0["quantities"][0]) >= {"text", "value", "unit", "qualifier", "sentence_id"}
    assert {"id", "subject", "status", "statements"} <= set(data["comparisons"][0])
    assert set(data["comparisons"][0]["statements"][0]) >= {"article", "sentence_id", "text", "value", "unit"}
    rows = list(csv.DictReader(io.StringIO((site / "data" / "sources.csv").read_text())))
    assert len(rows) == 10 and rows[0]["domain"] == "caliber.az"
    figures = list(csv.DictReader(io.StringIO((site / "data" / "figures.csv").read_text())))
    assert len(figures) == sum(1 for a in data["articles"] for q in a["quantities"]
                               if q["kind"] in compare_config()["kinds"])  # the kinds compare.yml compares
    in_topics = {row["topic"] for row in figures if row["topic"]}
    assert in_topics == {c["id"] for c in data["comparisons"]}
    assert any(r["text"] == "11,9 Milliarden Dollar" and not r["topic"] and "Rückkaufprogramm" in r["clause"] for r in figures)
    claims = list(csv.DictReader(io.StringIO((site / "data" / "claims.csv").read_text())))
    assert len(claims) == sum(a["summary"]["marked"] for a in data["articles"])


UNSAFE = """Ein Artikel über Quellen mit einem Absatz, der lang genug ist.
Mehr dazu unter javascript:alert(1) und https://example.com/ok im Text.
Quellen:
- javascript:alert(2)
- data:text/html;base64,PHNjcmlwdD4=
- file:///etc/passwd
- =HYPERLINK("http://evil.example")
- https://www.reuters.com/world/
"""


def test_unsafe_urls_are_inert_text_with_a_warning(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(UNSAFE, encoding="utf-8")
    project = make_project(tmp_path, inputs)
    result = run_build(project, "-v", "build", "--strict")
    assert result.returncode == 0, result.stderr
    data = json.loads((project / "site" / "data" / "analysis.json").read_text())
    art = data["articles"][0]
    unsafe = [s for s in art["sources"] if s["url"].startswith(("javascript:", "data:", "file:"))]
    assert len(unsafe) == 3 and not any(s["linkable"] for s in unsafe)
    assert sum("is not a web link" in w for w in art["warnings"]) == 3
    html = (project / "site" / "articles" / art["id"] / "index.html").read_text()
    assert 'href="javascript:' not in html and 'href="data:' not in html and 'href="file:' not in html
    assert "javascript:alert(2)" in html and '<a href="https://www.reuters.com/world/">' in html
    assert "is not a web link" in result.stderr
    sheet = (project / "site" / "data" / "sources.csv").read_text()
    assert "'=HYPERLINK" in sheet and "\n=HYPERLINK" not in sheet.replace('"', "\n")


def test_a_project_overrides_a_template_by_name(tmp_path):
    project = make_project(tmp_path)
    (project / "templates").mkdir()
    own = (ROOT / "templates" / "source_table.md.j2").read_text().replace("| {{ t.source_no }} |", "| Eigene Spalte {{ t.source_no }} |")
    (project / "templates" / "source_table.md.j2").write_text(own, encoding="utf-8")
    assert run_build(project, "build", "--strict").returncode == 0
    page = next((project / "site" / "articles").glob("alibaba-hat*/index.html")).read_text()
    assert "Eigene Spalte" in page


GERMAN = """Alibaba sammelt Milliarden für die KI ein.

Der chinesische Konzern Alibaba hat eine Wandelanleihe über 3,2 Milliarden Dollar platziert. Das Geld soll in Rechenzentren und Cloud-Dienste fließen. Die Aktie von Alibaba stieg in New York um 8 Prozent.

Alibaba will in den nächsten drei Jahren über 50 Milliarden Dollar in KI und Cloud-Infrastruktur investieren.
"""
ENGLISH = """Alibaba raises billions for AI.

Chinese group Alibaba has placed a convertible bond of $3.2 billion. The money will go into data centres and cloud services. Alibaba shares rose 8% in New York.

Alibaba plans to invest more than $52 billion in AI and cloud infrastructure over the next three years.
"""


def test_statements_are_aligned_across_german_and_english(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "de.txt").write_text(GERMAN, encoding="utf-8")
    (tmp_path / "seeds" / "en.txt").write_text(ENGLISH, encoding="utf-8")
    corpus = analyse_corpus(load_settings(tmp_path))
    assert sorted(a.language for a in corpus.articles) == ["de", "en"]
    found = {frozenset(s.quantity for s in c.statements): c.status for c in cross_article(corpus.comparisons)}
    assert found == {frozenset({"3,2 Milliarden Dollar", "$3.2 billion"}): "agree",
                     frozenset({"über 50 Milliarden Dollar", "more than $52 billion"}): "compatible",
                     frozenset({"8 Prozent", "8%"}): "agree"}


def _name(n: int) -> str:
    return "Firma " + chr(65 + n % 26) + chr(97 + n // 26 % 26) + "lutor"


def _one_article_corpus(tmp_path, lines, name="lang.txt"):
    (tmp_path / "seeds").mkdir(exist_ok=True)
    (tmp_path / "seeds" / name).write_text("Quartalszahlen der Firmen\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    return analyse_corpus(load_settings(tmp_path))


def test_alignment_work_grows_linearly_with_the_quantities(tmp_path, monkeypatch):
    """Issue 8: a 2 MB article took 69 s, with 4.3 million same_value calls: every quantity
    was compared with every other of its kind within max_ratio, in its own article too. Now a
    quantity meets at most max_comparisons quantities of other articles, and in its own article
    only the same value."""
    import pressreview.compare as cmp

    lines = [f"Der Umsatz von {_name(n)} stieg im Quartal auf {100 + n % 37},{n % 7} Millionen Euro." for n in range(400)]
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "zwei.txt").write_text("Quartalszahlen\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    corpus = _one_article_corpus(tmp_path, lines)
    calls = 0
    real = cmp.same_value

    def counting(*args):
        nonlocal calls
        calls += 1
        return real(*args)

    monkeypatch.setattr(cmp, "same_value", counting)
    found = cmp.align(list(corpus.articles), "de")
    quantities = sum(1 for a in corpus.articles for q in a.quantities if q.kind in cmp.config()["kinds"])
    assert quantities == 800
    # all pairs within max_ratio: about 250,000; the bound: 2 x 100 x 800 = 160,000; in fact a few thousand
    assert calls <= 2 * cmp.config().get("max_comparisons", 100) * quantities, calls
    # the two copies still meet: the same value in both articles is one topic that agrees
    both = [c for c in found if len(c.articles) == 2]
    assert both and all(c.status == "agree" for c in both)


def test_an_article_contributes_its_first_quantities_only_and_says_so(tmp_path, monkeypatch, caplog):
    import pressreview.compare as cmp

    monkeypatch.setitem(cmp.config(), "max_candidates", 30)
    lines = [f"Die {_name(n)} meldete einen Umsatz von {1000 + 7 * n} Millionen Euro." for n in range(60)]
    _one_article_corpus(tmp_path, lines, "copy.txt")
    corpus = _one_article_corpus(tmp_path, lines)
    with caplog.at_level("INFO", logger="pressreview"):
        found = cmp.align(list(corpus.articles), "de")
    assert "lang.txt: only the first 30 quantities are compared" in caplog.text
    # the two copies meet on every value: only those of the first 30 sentences
    values = sorted({s.value for c in found for s in c.statements})
    assert values == [(1000 + 7 * n) * 1e6 for n in range(30)]


def test_overview_pages_of_a_large_corpus_grow_linearly(tmp_path):
    """Issue 8: 20,000 small files did not finish: the Comparison page had a column per
    article in every topic's row and the Sources page one per article for every domain. Above
    overview_max_articles (50) a row lists its own articles only."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(60):
        (inputs / f"{i:02d}.txt").write_text(
            f"Alibaba platziert Wandelanleihe {i}\n\nDer Konzern Alibaba hat eine Wandelanleihe über 3,2 Milliarden "
            f"Dollar platziert. Das Geld soll in Rechenzentren fließen.\n\nQuellen:\n- https://news{i}.example.com/a\n",
            encoding="utf-8")
    project = make_project(tmp_path, inputs)
    result = run_build(project, "docs")
    assert result.returncode == 0, result.stderr
    docs = project / "docs"
    overview = (docs / "compare" / "index.md").read_text(encoding="utf-8")
    sources = (docs / "sources" / "index.md").read_text(encoding="utf-8")
    widest = max(line.count(" | ") for line in (overview + sources).splitlines())
    assert widest < 10, widest
    bond = next(line for line in overview.splitlines() if "3,2 Milliarden Dollar" in line)
    # each article's value, quoted in its article's language
    assert bond.count('): <span lang="de">3,2 Milliarden Dollar</span>') == 60 and "](../articles/" in bond and "[60](" in bond
    assert "bis zu 50 Artikeln" in sources and len([s for s in sources.splitlines() if "news59.example.com" in s]) == 1


VOLTARIS = {
    "de1.txt": """Voltaris sammelt 2,4 Milliarden Euro ein

Der Batteriehersteller Voltaris aus Sachsen-Anhalt hat eine Kapitalerhöhung über 2,4 Milliarden Euro abgeschlossen. Die neuen Aktien wurden zu 40 Euro je Aktie ausgegeben. Die Aktie von Voltaris stieg am Dienstag um 11,3 Prozent auf 48,20 Euro.

Mit dem Geld will Voltaris eine Zellfabrik in Magdeburg bauen, die 900 Millionen Euro kosten soll.
""",
    "de2.txt": """Voltaris: Kapitalerhöhung bringt 2,4 Milliarden

Voltaris hat bei Investoren 2,4 Milliarden Euro eingesammelt. Der Ausgabepreis lag bei 40 Euro. Nach der Ankündigung legte die Aktie von Voltaris um 9 Prozent zu und schloss bei 48,20 Euro.

Ein Teil fließt in das Werk in Magdeburg: 900 Millionen Euro sind dafür eingeplant.
""",
    "en1.txt": """Voltaris raises €2.4bn in capital increase

German battery maker Voltaris, based in Saxony-Anhalt, has completed a capital increase of €2.4bn. The new shares were priced at €40 each. Voltaris shares jumped 11.3% to close at €48.20 on Tuesday.

The company regularly invests in new plants: a cell factory in Magdeburg will cost €900m.
""",
}
UNRELATED = """Black Friday deals on chargers

The Anker charging brick costs $49 this Friday, and the Anker adapter $49 too. Shoppers regularly get a $50 gift card from Best Buy with a Samsung phone. Shares of Best Buy rose 2.4% on Friday.
"""


def _corpus(tmp_path, files):
    (tmp_path / "seeds").mkdir(parents=True)
    for name, text in files.items():
        (tmp_path / "seeds" / name).write_text(text, encoding="utf-8")
    return analyse_corpus(load_settings(tmp_path))


def test_one_story_in_german_and_english_is_matched_and_ids_survive_an_unrelated_article(tmp_path):
    """Issue 11: the English wire was matched with nothing and the 9 % against 11,3 % share jump
    was no topic. Ids come from the fact, so an unrelated article renames nothing."""
    corpus = _corpus(tmp_path / "a", VOLTARIS)
    found = {c.headline: c for c in corpus.comparisons}
    assert all(len(c.articles) == 3 for c in corpus.comparisons), [(c.headline, c.articles) for c in corpus.comparisons]
    jump = found["11,3 Prozent"]  # the majority, not the outlier
    assert jump.status == "differ" and corpus.comparisons[0] == jump
    assert {s.quantity for s in jump.statements} == {"11,3 Prozent", "9 Prozent", "11.3%"}
    assert "9 Prozent gegenüber 11,3 Prozent: 2,3 Prozentpunkte" in jump.difference.replace("\u00a0", " ")
    raise_ = found["2,4 Milliarden Euro"]
    assert raise_.status == "agree" and any(s.quantity.startswith("€2.4bn") for s in raise_.statements)
    assert raise_.subject == "Kapitalerhöhung" and "voltari" in raise_.entities
    assert {c.status for c in corpus.comparisons if c is not jump} == {"agree"}
    assert all(c.subject.strip() and c.subject == c.subject.strip() for c in corpus.comparisons)
    with_unrelated = _corpus(tmp_path / "b", {**VOLTARIS, "en2.txt": UNRELATED})
    assert [(c.id, c.subject, c.status) for c in with_unrelated.comparisons] == \
        [(c.id, c.subject, c.status) for c in corpus.comparisons]


def test_unrelated_stories_never_form_a_topic_and_english_words_stay_english(tmp_path):
    """Issue 11: a $49 brick, a $50 gift card and a $49 adapter became one topic labelled
    'Regularien · Black · Fridays-for-Future-Bewegung'."""
    from pressreview.compare import _terms

    german = "Die Fridays-for-Future-Bewegung fordert neue Regularien. Der Marktanteil stieg auf 49 Prozent.\n"
    corpus = _corpus(tmp_path, {"de.txt": "Klimaprotest am Freitag\n\n" + german, "en.txt": UNRELATED})
    assert corpus.comparisons == []
    english = set(_terms("Shares closed higher regularly on Friday", "en"))
    assert not any(t.startswith("@market") for t in english)
    assert "@market_share" in _terms("Der Marktanteil stieg", "de") and "@market_share" not in _terms("market share", "de")


def test_named_entities_and_their_aliases():
    assert entities("Am Dienstag meldete Voltaris aus Sachsen-Anhalt einen Rekord.") >= {"voltari", "sachsen-anhalt"}
    assert "dienstag" not in entities("Am Dienstag meldete Voltaris einen Rekord.")
    assert entities("Voltaris, based in Saxony-Anhalt, said so.") == {"sachsen-anhalt"}  # 'Voltaris' opens it
    assert entities("Shares of Alibabas rose.") == entities("Er sprach über Alibaba.") == {"alibaba"}


def test_labels_are_noun_phrases_without_hype_and_never_empty():
    assert noun_phrase("Der Technologieriese sammelte beeindruckende 3,2 Milliarden Dollar", "de") == "Technologieriese"
    assert noun_phrase("eine Wandelanleihe über 3,2 Milliarden Dollar", "de", 20) == "Wandelanleihe"
    assert noun_phrase("Voltaris shares jumped 11.3%", "en", 23) == "Voltaris shares"
    assert noun_phrase("Nach dem Kurssprung der Aktie um 9 Prozent", "de", 32) == "Kurssprung der Aktie"
    assert noun_phrase("eine beeindruckende Summe von 2 Millionen", "de", 30) == ""  # hype and units name nothing


def test_shared_common_nouns_and_a_number_make_no_story_a_shared_name_does(tmp_path):
    """10kGNAD: two annual reports of different companies met on 'Dividende' and 'Aktie' (German
    capitalises every noun). A name the dictionary does not know (or an alias) is needed, and
    for a round value (70 Cent) near the numbers too."""
    one = ("Dividende steigt\n\nDer Konzern {a} meldete am Mittwoch einen höheren Gewinn. Die Dividende soll auf "
           "70 Cent je Aktie steigen, teilte der Vorstand mit. Der Umsatz von {a} stieg auf 2,1 Milliarden Euro.\n")
    two = ("Gewinn gestiegen\n\nDer Versorger {b} hat seinen Gewinn gesteigert. Das Management will die Dividende "
           "auf 70 Cent je Aktie anheben. Der Umsatz von {b} lag bei 2,1 Milliarden Euro.\n")
    apart = _corpus(tmp_path / "apart", {"a.txt": one.format(a="Verbundolix"), "b.txt": two.format(b="Energrax")})
    assert apart.comparisons == []
    same = _corpus(tmp_path / "same", {"a.txt": one.format(a="Verbundolix"), "b.txt": two.format(b="Verbundolix")})
    assert {c.headline for c in same.comparisons} == {"70 Cent", "2,1 Milliarden Euro"}


def test_figures_table_escapes_what_the_article_says(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("Zahlen\n\nDer Umsatz von <img src=x onerror=alert(1)> | *Firma* stieg auf 5 Millionen Euro. "
                                  "Der Gewinn lag bei [12 Prozent](javascript:alert(2)).\n", encoding="utf-8")
    project = make_project(tmp_path, inputs)
    result = run_build(project, "docs")
    assert result.returncode == 0, result.stderr
    page = next(p for p in (project / "docs" / "articles").glob("*.md") if p.name != "index.md").read_text(encoding="utf-8")
    table = page[page.index("## Zahlen in diesem Artikel"):]
    assert "5 Millionen Euro" in table and "Prozent" in table
    assert "<img" not in table and "](javascript:" not in table and "| *Firma*" not in table
    rows = [line for line in table.splitlines() if line.startswith("| <span")]
    assert len(rows) == 2 and all(line.count(" | ") == 2 for line in rows)  # no cell broken by a '|'


# ---- issue 11, recall: one test per class of failure (our own sentences, not the gold set's) ----

LINDQVARA_DE = """Lindqvara zieht Bilanz

Der Bahnhersteller Lindqvara hat im vergangenen Jahr 4,7 Millionen Fahrgäste befördert. Das Werk in Görz
arbeitete im Schichtbetrieb. Neue Züge sollen bald folgen. Die Mieten für die Hallen stiegen um 3,6 Prozent.
Der Vorstand blieb gelassen. Im Oktober legten die Bestellungen um 0,8 Prozent zu. Im September waren sie noch
um 0,8 Prozent gesunken. Der Verkauf beginnt am 12. März.
"""
LINDQVARA_EN = """Lindqvara takes stock

Train maker Lindqvara carried 4.7 million passengers last year. The plant in Gorizia ran in shifts. New
trains are to follow soon. Rent for the halls went up 3.6 percent. The board stayed calm. In October, orders
rose 0.8 percent. In September, they had fallen 0.8 percent. Sales start on March 12.
"""


def test_a_translation_is_matched_on_its_numbers_not_its_words(tmp_path):
    """Classes: a specific value one story gives once needs no shared words ('Mieten' = 'rent');
    a count's unit is a word of its language ('Fahrgäste' = 'passengers'); a date is a fact
    compared exactly; one value of two facts in both articles is told apart by each sentence's
    own words (the months are concepts of both languages), not by the neighbours they share."""
    corpus = _corpus(tmp_path, {"de.txt": LINDQVARA_DE, "en.txt": LINDQVARA_EN})
    found = {frozenset(s.sentence_id + ":" + s.quantity for s in c.statements): c.status
             for c in cross_article(corpus.comparisons)}
    quantities = sorted(sorted(s.quantity for s in c.statements) for c in cross_article(corpus.comparisons))
    assert ["3,6 Prozent", "3.6 percent"] in quantities
    assert ["4,7 Millionen Fahrgäste", "4.7 million passengers"] in quantities
    assert any("12. März" in q[0] and "March 12" in q[1] for q in quantities), quantities
    pairs = [sorted(s.text.split()[1] for s in c.statements) for c in cross_article(corpus.comparisons)
             if c.statements[0].value == 0.8]
    assert sorted(pairs) == [["October,", "Oktober"], ["September", "September,"]]
    assert set(found.values()) == {"agree"}


def test_values_written_to_one_digit_that_differ_are_no_rounding():
    """0,6 and 0,7 Prozent touch at 0,65 but neither is the other rounded: they differ; 2,4 and
    2,38 agree (2,38 rounds to 2,4)."""
    def st(article, text, value, unit="%"):
        return Statement(article, "s1", text, text, value, unit)

    assert judge([st("a", "0,6 Prozent", 0.6), st("b", "0,7 Prozent", 0.7)], "de")[0] == "differ"
    assert judge([st("a", "2,4 Mrd. Euro", 2.4e9, "EUR"), st("b", "2,38 Mrd. Euro", 2.38e9, "EUR")], "de")[0] == "agree"


def test_another_number_near_both_ties_a_round_value_and_counts_keep_their_unit_in_one_language(tmp_path):
    """Classes: a round value needs a name near both numbers; another number both sentences give
    is such a name in any language ('90 Millionen Pfund (117 Millionen Euro)' = '£90m (€117m)').
    In one language a count keeps its unit word: '14 Verdächtige' are no '14 Menschen'."""
    de = ("Rekordvertrag unterschrieben\n\nDie Sängerin hat einen Vertrag über 90 Millionen Pfund (117 Millionen "
          "Euro) unterschrieben. Das Geld fließt über mehrere Jahre. Sie freut sich sehr. Ihr Label Quorvant "
          "bestätigte das. Bei der Razzia wurden 14 Verdächtige festgenommen.\n")
    en = ("Record deal signed\n\nThe singer signed a contract worth £90m (€117m). The money comes over several "
          "years. She is delighted. Her label Quorvant confirmed it.\n")
    de2 = ("Razzia bei Quorvant\n\nDie Polizei durchsuchte Büros von Quorvant. Dabei wurden 14 Menschen befragt. "
           "Der Schaden liegt bei 117 Millionen Euro.\n")
    corpus = _corpus(tmp_path, {"de.txt": de, "en.txt": en, "de2.txt": de2})
    quantities = [sorted(s.quantity for s in c.statements) for c in cross_article(corpus.comparisons)]
    assert ["90 Millionen Pfund", "£90m"] in quantities
    assert not any("14 Menschen" in q for q in quantities), quantities


def test_an_equal_value_is_preferred_to_a_near_one_and_a_bracketed_number_keeps_its_clause(tmp_path):
    """Classes: 33,2 % has its 33,24 % in the other article, so 28,14 % there is another fact;
    a number alone in brackets belongs to the clause around them."""
    one = ("Anteile an Velmora\n\nDie Staatsholding Ostrabel hält an Velmora 33,24 Prozent. Der Fonds Kelvaro "
           "hält 28,14 Prozent.\n")
    two = ("Eigner von Velmora\n\nDie Staatsholding Ostrabel besitzt 33,2 Prozent an Velmora. Auch der Fonds "
           "Kelvaro hält Anteile an Velmora.\n")
    corpus = _corpus(tmp_path, {"a.txt": one, "b.txt": two})
    quantities = [sorted(s.quantity for s in c.statements) for c in cross_article(corpus.comparisons)]
    assert quantities == [["33,2 Prozent", "33,24 Prozent"]]
    text = "Jeder Fünfte (19 Prozent) behält die Geschenke, sagte sie."
    assert clause(text, text.index("19"), text.index(")")) == "Jeder Fünfte (19 Prozent) behält die Geschenke"
