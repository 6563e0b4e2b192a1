"""The real-news claim gold set (tests/gold/realnews_claims.tsv) and its scorer (benchmarks/eval_realclaims.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from benchmarks import eval_realclaims as ev
from benchmarks.draw_realclaims import PAGES

ROWS = ev.load()


def test_gold_is_well_formed():
    assert len(ROWS) >= 400
    assert len({r.id for r in ROWS}) == len(ROWS)
    for lang in ev.LANGUAGES:
        assert sum(r.language == lang for r in ROWS) >= 160
    for r in ROWS:
        assert r.language in ev.LANGUAGES, r.id
        assert r.labels <= set(ev.CATEGORIES), r.id
        assert r.part in ("marked", "sample"), r.id
        assert (r.weight == 1.0) == (r.part == "marked"), r.id
        assert r.weight >= 1.0, r.id
        assert r.sentence and "\t" not in r.sentence, r.id
        assert (PAGES / r.page).is_file(), r.id
    # both categories occur in both languages
    for cat in ev.CATEGORIES:
        for lang in ev.LANGUAGES:
            assert any(cat in r.labels and r.language == lang for r in ROWS)


def test_each_sentence_occurs_in_its_page_article_text():
    """Checked against the article text (not the splitter's output), so a change of sentence splitting
    does not break the gold; language is the page's as pressreview detects it."""
    from benchmarks.eval_gold import default_settings
    from pressreview import normalise, read
    settings = default_settings()
    by_page: dict[str, list[ev.Row]] = {}
    for r in ROWS:
        by_page.setdefault(r.page, []).append(r)
    for page, rows in by_page.items():
        with tempfile.TemporaryDirectory(prefix="test_realclaims_") as tmp:
            dest = Path(tmp) / Path(page).name
            dest.write_bytes((PAGES / page).read_bytes())
            article = normalise.normalise(read.read_file(dest, Path(tmp), settings["max_file_bytes"]), settings)
        parts = []
        for block in article.blocks:
            if block.kind in ("heading", "paragraph", "list"):
                parts.append(block.text)
                parts.extend(text for _, text in block.items)
        text = " ".join(" ".join(parts).split())
        missing = [r.id for r in rows if r.sentence not in text]
        assert not missing, (page, missing[:5])
        assert {r.language for r in rows} == {article.language}, page


def _row(sentence: str, labels: str, part: str = "sample", weight: float = 1.0, lang: str = "en") -> ev.Row:
    return ev.Row("x", lang, "p", sentence, frozenset(x for x in labels.split(",") if x), part, weight, "")


def test_scorer_counts_tp_fp_fn_and_weights():
    marks = {"a": ({"speculative"}, [("r.one", "speculative")]),
             "b": ({"speculative", "promotional"}, [("r.one", "speculative"), ("r.two", "promotional")]),
             "c": (set(), []),
             "d": ({"promotional"}, [("r.two", "promotional")])}
    rows = [_row("a", "speculative", "marked"),          # TP spec
            _row("b", "speculative", "marked"),          # TP spec, FP promo (r.two false)
            _row("c", "speculative", weight=4.0),        # FN spec, weighted 4
            _row("d", "")]                               # FP promo (r.two false)
    scores, false_marks, true_marks = ev.score(rows, lambda text, lang: marks[text])
    spec, promo = scores[("speculative", "en")], scores[("promotional", "en")]
    assert (spec.tp, spec.fp, spec.fn) == (2, 0, 1)
    assert (promo.tp, promo.fp, promo.fn) == (0, 2, 0)
    assert spec.precision == 1.0 and spec.recall == pytest.approx(2 / 3)
    assert spec.weighted_recall == pytest.approx(2 / 6)
    assert promo.precision == 0.0 and promo.f1 == 0.0
    assert false_marks == {"r.two": 2} and true_marks == {"r.one": 2}
    assert scores[("speculative", "de")].tp == 0


def test_tables_list_the_worst_rules():
    rows = [_row("a", ""), _row("b", "")]
    plain, md = ev.tables(rows, lambda text, lang: ({"promotional"}, [("en.bad", "promotional")]))
    assert "en.bad  2  0" in plain
    assert "| `en.bad` | 2 | 0 |" in md
