"""Claim markup in the pipeline: sentences with anchors, marks on the page with their
explanation, summaries, project rules in YAML alone, hand-made marks, classify."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pressreview.analyse import analyse
from pressreview.model import RawDocument
from pressreview.normalise import normalise
from pressreview.pipeline import analyse_corpus
from pressreview.render import attr
from pressreview.settings import load_settings

from conftest import ROOT, SEEDS, make_project, run_build

SETTINGS = load_settings(ROOT)


@pytest.fixture(scope="module")
def corpus():
    return analyse_corpus(load_settings(ROOT, {"input": str(SEEDS)}))


def by_file(corpus, prefix):
    return next(a for a in corpus.articles if a.source_path.startswith(prefix))


def test_sentences_cover_the_article_text_and_have_unique_anchors(corpus):
    for art in corpus.articles:
        ids = [s.id for s in art.sentences]
        assert ids == [f"s{i}" for i in range(1, len(ids) + 1)]
        for s in art.sentences:
            block = art.blocks[s.block]
            text = block.text if s.item < 0 else block.items[s.item][1]
            assert text[s.start:s.end] == s.text
            for cue in s.cues:
                assert s.text[cue.start:cue.end] == cue.text and cue.message


def test_set_aside_text_gets_no_sentences(corpus):
    texts = " ".join(s.text for a in corpus.articles for s in a.sentences)
    assert "Großbritannien erhält" not in texts and "Hier weiterlesen" not in texts


def test_pipeline_labels_agree_with_the_hand_labelled_gold(corpus):
    with (ROOT / "tests" / "gold" / "seed_labels.tsv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    gold = {(name, re.sub(r"^(\d{2}/\d{2}/\d{4}|- )", "", text)): set(filter(None, labels.split(",")))
            for name, text, labels in rows}
    pairs = []
    for art in corpus.articles:
        for s in art.sentences:
            key = (art.source_path, s.text)
            assert key in gold, f"sentence not in the gold file: {s.text[:60]!r}"
            pairs.append((bool(gold[key]), bool(s.labels)))
    tp = sum(1 for g, p in pairs if g and p)
    precision = tp / sum(1 for _, p in pairs if p)
    recall = tp / sum(1 for g, _ in pairs if g)
    assert precision >= 0.9 and recall >= 0.7, (precision, recall)


def test_the_issue_examples_are_marked(corpus):
    def labels_of(art, fragment):
        return next(s.labels for s in art.sentences if fragment in s.text)

    a0, a3 = by_file(corpus, "000"), by_file(corpus, "003")
    assert "speculative" in labels_of(a0, "Experten prognostizieren")
    assert "promotional" in labels_of(a0, "Wirklich ein kluger Schachzug.")
    assert "speculative" in labels_of(a3, "soll zehnmal schneller")
    assert "speculative" in labels_of(a3, "Alibaba behauptet")
    assert "promotional" in labels_of(a3, "Kursfeuerwerk")
    # neutral facts with numbers stay unmarked
    assert labels_of(a0, "Huawei Cloud folgt mit 13,1%") == ()


def _doc(text, **meta):
    return RawDocument("x.txt", "txt", text, "0" * 64, "utf-8", {"language": "de", **meta})


def test_sidecar_marks_and_unmarks_by_hand():
    text = "Die Aktie stieg um 3 %. Das Unternehmen könnte wachsen. Ein ruhiger Satz.\n"
    art = analyse(normalise(_doc(text), SETTINGS), SETTINGS, [
        {"sentence": "Ein ruhiger Satz.", "labels": ["promotional"], "reason": "Wertung im Kontext."},
        {"sentence": "s2", "labels": [], "reason": "Zitat einer genannten Quelle."},
    ])
    s1, s2, s3 = art.sentences
    assert s2.labels == () and s2.note == "unmarked by hand: Zitat einer genannten Quelle."
    assert s3.labels == ("promotional",) and s3.cues[0].rule == "manual"
    assert s3.cues[0].message == "Wertung im Kontext."
    from pressreview.render import Marker, attr, environment, load_strings

    marker = Marker(art, load_strings(environment(), "de"))
    assert f'data-pr-tip="{attr("unmarked by hand: Zitat einer genannten Quelle.")}"' in marker.sentence(s2)
    assert f'data-pr-tip="{attr("werblich: Wertung im Kontext. [manual]")}"' in marker.sentence(s3)


def test_bad_sidecar_marks_reject_only_that_article(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / "003_0a9a06f716b1c245.txt", inputs)
    (inputs / "b.txt").write_text("Ein Satz.\n")
    (inputs / "b.yml").write_text("claims:\n  - sentence: Ein Satz.\n    labels: [wrong]\n    reason: x\n")
    corpus = analyse_corpus(load_settings(ROOT, {"input": str(inputs)}))
    assert [a.source_path for a in corpus.articles] == ["003_0a9a06f716b1c245.txt"]
    assert corpus.rejected[0].source_path == "b.txt" and "'labels' must be a list" in corpus.rejected[0].reason


def test_pages_show_marks_with_explanations_and_summaries(seed_site):
    data = json.loads((seed_site / "site" / "data" / "analysis.json").read_text())
    for art in data["articles"]:
        html = (seed_site / "site" / "articles" / art["id"] / "index.html").read_text()
        marked = [s for s in art["sentences"] if s["labels"]]
        assert marked and art["summary"]["marked"] == len(marked)
        for s in marked:
            classes = "pr-s " + " ".join(f"pr-s--{label}" for label in s["labels"])
            # the first badge of a category on the page also names it (data-pr-badge)
            assert re.search(rf'<span class="{classes}" id="{s["id"]}"( data-pr-badge="[^"<>]*")?>', html), s["id"]
            assert f'<a href="#{s["id"]}">' in html  # linked from the summary
            for cue in s["cues"]:
                assert f'data-rule="{attr(cue["rule"])}"' in html and attr(f'[{cue["rule"]}]') in html
        assert re.search(r'class="(admonition )?pr-summary"', html) and 'data-pr-toggle="speculative"' in html
    home = (seed_site / "site" / "index.html").read_text()
    for a in data["articles"]:  # the articles table: each row ends with the article's share of marked sentences
        row = re.search(rf'<tr>\s*<td><a href="articles/{a["id"]}/".*?</tr>', home, re.S)
        assert row and re.search(rf'>{round(a["summary"]["share"] * 100)}[\s\u00a0]%</td>\s*</tr>', row.group(0)), a["id"]


def test_legend_and_rules_pages(seed_site):
    legend = (seed_site / "site" / "legend" / "index.html").read_text()
    assert "pr-cue--speculative" in legend and "pr-cue--promotional" in legend and "data-pr-toggle" in legend
    rules = (seed_site / "site" / "rules" / "index.html").read_text()
    assert "de.hedge.modal" in rules and "de.hype.figurative" in rules


PROJECT_RULES = """
claims:
  add:
    - id: de.project.schachzug
      category: promotional
      kind: project
      words: [Schachzug, Schachzüge]
      message: 'Im Projekt vereinbart: "Schachzug" <b>wertet</b>.'
      examples: {positive: [Ein kluger Schachzug.], negative: [Ein Zug.]}
  disable: [de.question.open]
"""


def test_a_project_adds_and_disables_rules_in_yaml_alone(tmp_path):
    project = make_project(tmp_path)
    (project / "pressreview.yml").write_text(PROJECT_RULES, encoding="utf-8")
    result = run_build(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    data = json.loads((project / "site" / "data" / "analysis.json").read_text())
    rules = {c["rule"] for a in data["articles"] for s in a["sentences"] for c in s["cues"]}
    assert "de.project.schachzug" in rules and "de.question.open" not in rules
    page = next(p for p in (project / "site" / "articles").glob("alibaba-setzt*/index.html")).read_text()
    assert 'data-rule="de.project.schachzug"' in page
    assert attr("<b>wertet</b>") in page and "<b>wertet</b>" not in page  # messages are escaped too


def test_a_bad_project_rule_stops_the_build_with_a_message_naming_it(tmp_path):
    project = make_project(tmp_path)
    (project / "pressreview.yml").write_text("claims:\n  add:\n    - id: de.bad\n      category: loud\n")
    result = run_build(project, "build")
    assert result.returncode == 2 and "de.bad" in result.stderr and "category" in result.stderr


def test_classify_command():
    lines = "Die Aktie könnte steigen.\n\nDie Aktie stieg um 3 %.\nEin bahnbrechendes Produkt.\n"
    out = subprocess.run([sys.executable, str(ROOT / "build.py"), "classify", "--lang", "de", "-"],
                         input=lines, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["labels"] for r in rows] == [["speculative"], [], ["promotional"]]
    assert rows[0]["cues"][0]["text"] == "könnte" and rows[0]["cues"][0]["rule"] == "de.hedge.modal"
    assert set(rows[0]) == {"text", "labels", "cues"}
