"""The real-news claim gold sets (tests/gold/realnews_claims.tsv, the tuning set, and
tests/gold/realnews_claims_holdout.tsv, the held-out set) and their scorer (benchmarks/eval_realclaims.py)."""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

import pytest

from benchmarks import draw_realclaims as draw
from benchmarks import eval_realclaims as ev
from benchmarks.draw_realclaims import PAGES
from benchmarks.pick_holdout_pages import DEV_ROWS, SH_PREFIX, dev_items

ROOT = Path(__file__).resolve().parents[1]
ROWS = ev.load()
HOLDOUT_PAGES = ev.SETS["holdout"][1]
HOLDOUT_ROWS = ev.load(ev.HOLDOUT)
DEV_ITEMS = set((ROOT / "tests" / "gold" / "dev_items.txt").read_text(encoding="utf-8").split("\n")) - {""}
SHARED = ROOT.parent / "shared" / "benchmarks"

# set -> (rows, pages folder, at least this many rows, at least this many per language)
SETS = {"tuning": (ROWS, PAGES, 400, 160), "holdout": (HOLDOUT_ROWS, HOLDOUT_PAGES, 220, 110)}


@pytest.mark.parametrize("name", sorted(SETS))
def test_gold_is_well_formed(name):
    rows, pages, min_rows, min_lang = SETS[name]
    assert len(rows) >= min_rows
    assert len({r.id for r in rows}) == len(rows)
    for lang in ev.LANGUAGES:
        assert sum(r.language == lang for r in rows) >= min_lang
    for r in rows:
        assert r.language in ev.LANGUAGES, r.id
        assert r.labels <= set(ev.CATEGORIES), r.id
        assert r.part in ("marked", "sample"), r.id
        assert (r.weight == 1.0) == (r.part == "marked"), r.id
        assert r.weight >= 1.0, r.id
        assert r.sentence and "\t" not in r.sentence, r.id
        assert (pages / r.page).is_file(), r.id
    # both categories occur in both languages
    for cat in ev.CATEGORIES:
        for lang in ev.LANGUAGES:
            assert any(cat in r.labels and r.language == lang for r in rows)


@pytest.mark.parametrize("name", sorted(SETS))
def test_each_sentence_occurs_in_its_page_article_text(name):
    """Checked against the article text (not the splitter's output), so a change of sentence splitting
    does not break the gold; language is the page's as pressreview detects it."""
    from benchmarks.eval_gold import default_settings
    from pressreview import normalise, read
    rows, pages, _, _ = SETS[name]
    settings = default_settings()
    by_page: dict[str, list[ev.Row]] = {}
    for r in rows:
        by_page.setdefault(r.page, []).append(r)
    for page, page_rows in by_page.items():
        with tempfile.TemporaryDirectory(prefix="test_realclaims_") as tmp:
            dest = Path(tmp) / Path(page).name
            dest.write_bytes((pages / page).read_bytes())
            article = normalise.normalise(read.read_file(dest, Path(tmp), settings["max_file_bytes"]), settings)
        parts = []
        for block in article.blocks:
            if block.kind in ("heading", "paragraph", "list"):
                parts.append(block.text)
                parts.extend(text for _, text in block.items)
        text = " ".join(" ".join(parts).split())
        missing = [r.id for r in page_rows if r.sentence not in text]
        assert not missing, (page, missing[:5])
        assert {r.language for r in page_rows} == {article.language}, page


def _holdout_files() -> list[Path]:
    return sorted(p for p in HOLDOUT_PAGES.glob("*/*") if p.is_file())


def test_holdout_pages_are_dev_pages_not_in_the_tuning_set():
    """Every held-out page is a dev item of realnews-split.tsv (as listed in tests/gold/dev_items.txt, so
    that no ../shared is needed) and none is a page of tests/realnews/pages."""
    files = _holdout_files()
    assert {p.parent.name for p in files} == {"10kgnad", "scrapinghub"}
    assert len(files) == 40
    assert {r.page for r in HOLDOUT_ROWS} <= {p.relative_to(HOLDOUT_PAGES).as_posix() for p in files}
    tuning = {p.relative_to(PAGES).as_posix() for p in PAGES.glob("*/*")}
    for p in files:
        rel = p.relative_to(HOLDOUT_PAGES).as_posix()
        assert rel not in tuning, rel
        if p.parent.name == "10kgnad":
            n = int(p.name.removeprefix("row-").removesuffix(".txt"))
            assert "10kgnad/test.csv rows 1-514" in DEV_ITEMS and 1 <= n <= DEV_ROWS, rel
        else:
            assert SH_PREFIX + p.name in DEV_ITEMS, rel
            assert gzip.decompress(p.read_bytes()), rel
    # the list holds dev items only: no test row range, and the ScrapingHub pages of tests/realnews
    assert "10kgnad/test.csv rows 515-1028" not in DEV_ITEMS
    assert all(SH_PREFIX + p.name in DEV_ITEMS for p in (PAGES / "scrapinghub").glob("*.html.gz"))


@pytest.mark.skipif(not (SHARED / "realnews-split.tsv").is_file(), reason="needs ../shared/benchmarks")
def test_dev_list_and_holdout_pages_match_shared():
    """The committed dev list is the dev rows of realnews-split.tsv, and the held-out pages are copies of
    the source (ScrapingHub byte-identical; 10kGNAD the csv field + "\n"; only dev rows are read)."""
    import csv

    assert set(dev_items(SHARED / "realnews-split.tsv")) == DEV_ITEMS
    wanted = {int(p.name[4:8]): p for p in (HOLDOUT_PAGES / "10kgnad").glob("row-*.txt")}
    with open(SHARED / "10kgnad" / "test.csv", encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.reader(fh, delimiter=";", quotechar="'"), start=1):
            if n > DEV_ROWS:
                break
            if n in wanted:
                assert wanted.pop(n).read_text(encoding="utf-8") == row[1] + "\n", n
    assert not wanted
    for p in (HOLDOUT_PAGES / "scrapinghub").glob("*.html.gz"):
        assert p.read_bytes() == (SHARED / SH_PREFIX / p.name).read_bytes(), p.name


def test_draw_and_scorer_agree_on_the_sets():
    assert draw.SETS["tuning"][0] == ev.SETS["tuning"][1] == PAGES
    assert draw.SETS["holdout"][0] == ev.SETS["holdout"][1]
    plain, md = ev.evaluate_holdout()
    assert plain.startswith(f"{len(HOLDOUT_ROWS)} sentences") and "| speculative | de |" in md


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
