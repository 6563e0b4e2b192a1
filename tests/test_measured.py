"""Honest pages (issue 10): the article summary and the legend say that an unmarked sentence is
not certified neutral and give the recall measured on the real-news gold set, which `build.py
eval --update` writes into pressreview/rules/measured.yml (and `eval --check` keeps in step)."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
import yaml

from benchmarks.eval_realclaims import Score
from pressreview import measured as m
from pressreview.evaluation import (BLOCKS, TABLE_WORDS, Target, legend_markdown, realclaims_figures, table_words,
                                    targets, translate_tables)
from pressreview.pipeline import analyse_corpus, write_docs
from pressreview.render import GENERATED
from pressreview.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
STRINGS = yaml.safe_load((ROOT / "templates" / "strings.yml").read_text(encoding="utf-8"))
EN, DE = STRINGS["en"], {**STRINGS["en"], **STRINGS["de"]}


def scores(spec_de: int = 28, promo_en: int = 8) -> dict[tuple[str, str], Score]:
    """A score table as benchmarks/eval_realclaims.score gives it."""
    return {("speculative", "de"): Score(tp=spec_de, fp=14, fn=10, wtp=spec_de, wfn=73.9),
            ("promotional", "de"): Score(tp=5, fp=8, fn=6, wtp=5, wfn=44.3),
            ("speculative", "en"): Score(tp=44, fp=57, fn=13, wtp=44, wfn=57.0),
            ("promotional", "en"): Score(tp=promo_en, fp=5, fn=4, wtp=promo_en, wfn=18.6)}


# ---------------------------------------------------------------- measured.yml

def test_measured_file_round_trips_and_is_deterministic(tmp_path):
    figures = realclaims_figures(scores())
    text = m.render_measured(figures, "tests/gold/realnews_claims.tsv")
    assert text == m.render_measured(realclaims_figures(dict(reversed(list(scores().items())))),
                                     "tests/gold/realnews_claims.tsv")
    assert not re.search(r"20\d\d-\d\d-\d\d", text)  # no date: the file changes only with the figures
    data = yaml.safe_load(text)
    assert data["gold"] == "tests/gold/realnews_claims.tsv"
    assert list(data["measured"]) == ["de", "en"]
    assert data["measured"]["de"]["speculative"] == {"gold_sentences": 38, "precision": 0.667, "recall": 0.737,
                                                     "weighted_recall": 0.275}
    path = tmp_path / "measured.yml"
    path.write_text(text, encoding="utf-8")
    assert m.load_measured(path) == figures


def test_the_committed_measured_file_is_well_formed():
    figures = m.load_measured()
    assert set(figures) == {"de", "en"}
    for cats in figures.values():
        assert set(cats) == set(m.CATEGORIES)
        assert all(0 <= cell["weighted_recall"] <= cell["recall"] <= 1 for cell in cats.values())


def test_eval_check_sees_a_stale_measured_file_and_legend(tmp_path):
    """`eval --check` compares every target with what the code measures now; `--update` writes it,
    into the English and the German edition of the pages (docs/_pages/<language>/), the German
    tables in German words (docs/_pages/de/_tables.yml) with the same figures."""
    project = tmp_path / "p"
    begin, end = BLOCKS["legend"]
    for lang, title in (("de", "Legende"), ("en", "Legend")):
        folder = project / "docs" / "_pages" / lang
        folder.mkdir(parents=True)
        (folder / "legend.md").write_text(f"# {title}\n\n{begin}\n{end}\n\nmore\n", encoding="utf-8")
        (folder / "methodology.md").write_text("".join(f"{b}\n{e}\n" for b, e in BLOCKS.values() if b != begin),
                                               encoding="utf-8")
    shutil.copy(ROOT / "docs" / "_pages" / "de" / TABLE_WORDS, project / "docs" / "_pages" / "de")
    measured = tmp_path / "measured.yml"
    results = {"realclaims": ("plain", "| category | lang | P |\n| --- | --- | ---: |\n| speculative | de | 0.865 |")}

    def run(table: dict) -> list[Target]:
        return targets(project, results, realclaims_figures(table), "gold.tsv", measured)

    assert [t.current() for t in run(scores())] == [False] * 5  # nothing written yet
    for t in run(scores()):
        t.write()
    assert all(t.current() for t in run(scores()))
    pages = project / "docs" / "_pages"
    assert "| German | speculative | 67\u00a0% | 28\u00a0% | 38 |" in (pages / "en" / "legend.md").read_text()
    assert "| Deutsch | spekulativ | 67\u00a0% | 28\u00a0% | 38 |" in (pages / "de" / "legend.md").read_text()
    assert (pages / "de" / "legend.md").read_text().endswith(f"{end}\n\nmore\n")
    assert "| speculative | de | 0.865 |" in (pages / "en" / "methodology.md").read_text()
    assert "| Kategorie | Sprache | P |\n| --- | --- | ---: |\n| spekulativ | de | 0,865 |" in \
        (pages / "de" / "methodology.md").read_text()
    stale = run(scores(spec_de=30))  # the rules changed: the German speculative figures move
    assert [t.current() for t in stale] == [True, False, True, False, False]  # both legends, measured.yml
    measured.write_text(m.render_measured(realclaims_figures(scores(spec_de=30)), "gold.tsv"), encoding="utf-8")
    assert [t.current() for t in stale] == [True, False, True, False, True]


def _blocks(page: Path) -> dict[str, str]:
    text = page.read_text(encoding="utf-8")
    return {name: text.split(b, 1)[1].split(e, 1)[0].strip() for name, (b, e) in BLOCKS.items() if b in text}


def test_the_committed_german_tables_are_the_english_ones_in_german_words():
    """What `eval --update` wrote into the English pages is in the German pages too, with the same
    figures: the German blocks are the English blocks through _tables.yml (so `eval --check`
    passes for both when it passes for one)."""
    words = table_words(ROOT / "docs" / "_pages" / "de")
    for page, names in (("methodology.md", set(BLOCKS) - {"legend"}), ("legend.md", {"legend"})):
        en, de = (_blocks(ROOT / "docs" / "_pages" / lang / page) for lang in ("en", "de"))
        assert set(en) == set(de) == names, page
        for name in names:
            assert de[name] == translate_tables(en[name], words), name
            assert re.findall(r"\d+", de[name]) == re.findall(r"\d+", en[name]), name  # the same figures


def test_every_word_of_the_english_tables_has_a_german_one():
    """A new row or column of a benchmark's table must be given its German words in
    docs/_pages/de/_tables.yml, or the German page would show English in its tables."""
    words = table_words(ROOT / "docs" / "_pages" / "de")
    keep = set(words["keep"])
    missing = []
    for page in ("methodology.md", "legend.md"):
        for block in _blocks(ROOT / "docs" / "_pages" / "en" / page).values():
            for line in block.splitlines():
                cells = [c.strip() for c in line.strip("|").split(" | ")] if line.startswith("|") else [line]
                for cell in cells:
                    plain = re.sub(r"`[^`]*`", "", cell)
                    if re.search(r"[A-Za-z]", plain) and cell not in keep | set(words["cells"]) \
                            and translate_tables(cell, words) == cell:
                        missing.append(cell)
    assert not missing, missing


def test_tables_in_german_words_keep_figures_and_code():
    words = {"decimal_comma": True, "cells": {"held out": "zurückgehalten"},
             "patterns": [[r"(\d+) partly\)", r"\1 teilweise)"]]}
    table = ("| Benchmark | Used for | P |\n| --- | --- | ---: |\n| `en.hedge.v2.1` | held out | 0.790 ± 0.008 |\n"
             "| x | 0.46 (21/46; 0 partly) | 2.3.1 |")
    assert translate_tables(table, words) == (
        "| Benchmark | Used for | P |\n| --- | --- | ---: |\n| `en.hedge.v2.1` | zurückgehalten | 0,790 ± 0,008 |\n"
        "| x | 0,46 (21/46; 0 teilweise) | 2.3.1 |")
    assert translate_tables(table, {}) == table



def test_thousands_get_the_language_s_separator_but_lists_and_versions_do_not():
    words = {"decimal_comma": True, "thousands_separator": "."}
    assert translate_tables("| 1,028 rows | 1,234.5 MB | 0.865 | 100,1000 | 3.11.7 | `1,028` |", words) == \
        "| 1.028 rows | 1.234,5 MB | 0,865 | 100,1000 | 3.11.7 | `1,028` |"


def test_the_bench_writes_the_performance_table_into_every_edition(tmp_path):
    """`make bench` (benchmarks/bench_site.py) writes its table into the English and the German
    performance page, the German one in German words (docs/_pages/de/_tables.yml), same figures;
    the committed German block is the committed English block so translated."""
    from benchmarks import bench_site

    pages = ROOT / "docs" / "_pages"
    en, de = (bench_site.read_block(pages / lang / bench_site.PAGE) for lang in ("en", "de"))
    words = table_words(pages / "de")
    assert de == translate_tables(en, words)
    assert re.findall(r"\d+", de) == re.findall(r"\d+", en)
    for line in en.splitlines():  # no English word left in a German cell or line
        for cell in ([c.strip() for c in line.strip("|").split(" | ")] if line.startswith("|") else [line]):
            plain = re.sub(r"`[^`]*`|\b(?:MiB|MB|KB|ms|s|write_docs|search_index\.json|build\.py|Python)\b", "", cell)
            if re.search(r"[A-Za-z]{2,}", plain):
                assert translate_tables(cell, words) != cell, cell
    project = tmp_path / "_pages"
    for lang, title in (("en", "Performance"), ("de", "Leistung")):
        page = project / lang / bench_site.PAGE
        page.parent.mkdir(parents=True)
        page.write_text(f"# {title}\n\n{bench_site.BEGIN}\nOLD TABLE\n{bench_site.END}\n\nmore\n", encoding="utf-8")
    shutil.copy(pages / "de" / TABLE_WORDS, project / "de")
    table = "| | 1,000 articles | target (issue 13) |\n| --- | ---: | --- |\n| cold build | 63.3 s |  |"
    written = bench_site.write_page(table, "100,1000", "500,2000", pages=project)
    assert sorted(p.parent.parent.name for p in written) == ["de", "en"]
    en_page, de_page = ((project / lang / bench_site.PAGE).read_text(encoding="utf-8") for lang in ("en", "de"))
    assert "| cold build | 63.3 s |  |" in en_page and "OLD TABLE" not in en_page
    assert "| kalter Build | 63,3 s |  |" in de_page and "| 1.000 Artikel | Ziel (Issue 13) |" in de_page
    assert "`PRESSREVIEW_BENCH_SIZES=100,1000`" in de_page and de_page.startswith("# Leistung\n")
    assert de_page.endswith(f"{bench_site.END}\n\nmore\n") and "Gemessen am " in de_page

def test_legend_table_shows_what_the_article_pages_show():
    figures = realclaims_figures(scores())
    rows = {tuple(c.strip() for c in row.strip("|").split("|")[:2]): row
            for row in legend_markdown(figures).splitlines()}
    for lang, name in (("de", "German"), ("en", "English")):
        spec, promo = re.findall(r"\d+\u00a0%", m.unmarked_note(EN, figures, lang))
        assert rows[(name, "speculative")].split("|")[4].strip() == spec
        assert rows[(name, "promotional")].split("|")[4].strip() == promo


@pytest.mark.parametrize("text", [
    "", "- a\n- b\n", "measured: [1, 2]\n", "gold: x\n", "{{{{ not yaml",
    "measured:\n  de:\n    speculative: {gold_sentences: 3, precision: 2, recall: 0.5, weighted_recall: 0.1}\n",
    "measured:\n  de:\n    speculative: {gold_sentences: true, precision: 0.5, recall: 0.5, weighted_recall: 0.1}\n",
    "measured:\n  de:\n    speculative: {gold_sentences: 3, precision: 0.5, recall: '0.5', weighted_recall: 0.1}\n",
])
def test_a_malformed_measured_file_gives_no_figure(tmp_path, text):
    path = tmp_path / "measured.yml"
    path.write_text(text, encoding="utf-8")
    figures = m.load_measured(path)
    assert figures == {}
    assert m.unmarked_note(EN, figures, "de") == "Unmarked sentences are not certified neutral."


def test_a_missing_measured_file_gives_no_figure(tmp_path):
    assert m.load_measured(tmp_path / "nothing.yml") == {}
    path = tmp_path / "bytes.yml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert m.load_measured(path) == {}


# ---------------------------------------------------------------- the sentence

def test_the_sentence_gives_the_weighted_recall_of_the_articles_language():
    figures = realclaims_figures(scores())
    assert m.unmarked_note(EN, figures, "en") == (
        "Unmarked sentences are not certified neutral: on real news we labelled by hand, the rules find about "
        "44\u00a0% of the speculative and 30\u00a0% of the promotional sentences in English.")
    assert m.unmarked_note(DE, figures, "de") == (
        "Unmarkierte Sätze sind nicht geprüft neutral: In echten, von Hand ausgewerteten Nachrichten finden die "
        "Regeln in deutschen Artikeln etwa 28\u00a0% der spekulativen und 10\u00a0% der werblichen Sätze.")
    assert "in German" in m.unmarked_note(EN, figures, "de")  # an English interface, a German article
    assert "in englischen Artikeln etwa 44\u00a0%" in m.unmarked_note(DE, figures, "en")
    # no figure for the language, or for one of the categories: only the first half
    assert m.unmarked_note(DE, figures, "fr") == "Unmarkierte Sätze sind nicht geprüft neutral."
    del figures["en"]["promotional"]
    assert m.unmarked_note(EN, figures, "en") == "Unmarked sentences are not certified neutral."
    # a project's older strings.yml without these words: no line at all, no error
    assert m.unmarked_note({"marks_legend": "x"}, figures, "de") == ""


# ---------------------------------------------------------------- the pages

ENGLISH = """---
title: A bold bet
language: en
---

Analysts say the company could double its profits next year. The board met on Tuesday.
"""


def _page(project: Path, stem: str) -> str:
    return next((project / "docs" / "articles").glob(f"{stem}*.md")).read_text(encoding="utf-8")


def test_summary_without_measured_file_has_no_figure(tmp_path, monkeypatch):
    project = tmp_path / "p"
    (project / "seeds").mkdir(parents=True)
    (project / "seeds" / "a.md").write_text(ENGLISH, encoding="utf-8")
    (project / "pressreview.yml").write_text("interface_language: en\n", encoding="utf-8")
    settings = load_settings(project)
    corpus = analyse_corpus(settings)
    write_docs(corpus, settings).commit(GENERATED)
    page = _page(project, "a-bold-bet")
    assert "    Unmarked sentences are not certified neutral: on real news we labelled by hand, the rules find " \
           "about" in page and "sentences in English. [How this is measured](../methodology.md#measured-recall)" in page
    monkeypatch.setattr(m, "MEASURED", tmp_path / "gone.yml")
    write_docs(corpus, settings).commit(GENERATED)
    page = _page(project, "a-bold-bet")
    assert "    Unmarked sentences are not certified neutral. [How this is measured]" in page
    assert "\u00a0% of the speculative" not in page


def test_built_german_article_says_it_in_german_with_the_measured_figure(seed_site):
    """A real build (the seeds are German, so is the interface): the summary's last line."""
    page = next((seed_site / "site" / "articles").glob("alibaba-setzt*/index.html")).read_text(encoding="utf-8")
    expected = m.unmarked_note(DE, m.load_measured(), "de")
    assert re.search(r"\d+\u00a0% der spekulativen und \d+\u00a0% der werblichen", expected)
    line = re.search(r'<p class="pr-unmarked">(.*?)</p>', page, re.S)
    assert line, "no pr-unmarked line in the summary"
    link = '<a href="../../methodology/#measured-recall">So wird gemessen</a>'
    assert html.unescape(line.group(1)) == f"{expected} {link}"
    assert line.group(1).count("&nbsp;%") == 2  # the % sign never wraps onto its own line
    summary = page[re.search(r'class="admonition pr-summary"|class="pr-summary"', page).start():]
    assert summary.index('class="pr-unmarked"') < summary.index("</div>")  # inside the summary box
    methodology = (seed_site / "site" / "methodology" / "index.html").read_text(encoding="utf-8")
    assert 'id="measured-recall"' in methodology
    legend = (seed_site / "site" / "legend" / "index.html").read_text(encoding="utf-8")
    assert "Was ein unmarkierter Satz bedeutet" in legend and "<td>Deutsch</td>" in legend
    assert "What an unmarked sentence means" not in legend and "<td>German</td>" not in legend


def test_pdf_report_summary_and_legend_say_it_too(tmp_path):
    """The report (pressreview/pdf.py) has a summary per article and prints the legend: the same
    sentence under each summary, the same table in the legend (rendered here without chromium)."""
    from conftest import make_project
    from pressreview import pdf

    project = make_project(tmp_path)
    settings = load_settings(project, {"input": None})
    corpus = analyse_corpus(settings)
    context = pdf.report_context(corpus, settings, pdf.load_mkdocs_config(project))
    html = pdf.print_environment(project / "templates").get_template("print.html.j2").render(
        **context, measuring=True, numbers={})
    expected = m.unmarked_note(DE, m.load_measured(), "de")
    assert html.count(f'<p class="pr-unmarked">{expected}</p>') == len(corpus.articles) == 2
    # the printed legend (print.html.j2, in print wording) says what an unmarked sentence means
    # with the measured figures, and nothing of pointing or keys
    legend = html[html.index('class="pr-body pr-legend"'):]
    legend = legend[:legend.index("</div>")]
    assert "Ein Satz ohne Markierung ist nicht geprüft neutral" in legend
    assert context["accuracy"].startswith("Wie oft die Markierungen stimmen") and re.search(r"\d", context["accuracy"])
    assert context["accuracy"] in legend
    assert not re.search(r"Tabulatortaste|zeigen Sie darauf|Tab key|hover", legend, re.I)
