"""The real-news gold set (tests/realnews) is well-formed and true to its pages, and the gold scorer
(benchmarks/eval_gold.py) runs on every page and meets the floors set for each source and input variant."""

from __future__ import annotations

import datetime
import functools
import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import eval_gold  # noqa: E402
from benchmarks.eval_gold import GOLD_KEYS, REALNEWS, Outcome, Score, norm  # noqa: E402

GOLD = eval_gold.load_gold()
BY_SOURCE = {s: [g for g in GOLD if g["source"] == s] for s in eval_gold.SOURCES}

# The targets (benchmarks, not timed tests).
TARGETS = {"title": 0.90, "heading_p": 0.90, "heading_r": 0.85, "boilerplate_left": 0.10, "keep_lost": 0}

# What the test enforces per (source, variant): the figures reached when the HTML reader and the
# normalisation rules were merged (issue 9), so that a change that makes them worse fails. Where a
# figure misses TARGETS, the floor is the figure reached, and the methodology page says why.
# "title", "date", "heading_p", "heading_r" are minimums; "boilerplate_left" and "keep_lost" maximums.
# (None: not checked: 10kGNAD has no headline and no subheads in its text.) The "text" variant is a
# page as trafilatura.extract gives it: no dates in it, and the standfirst is often left out.
FLOORS: dict[tuple[str, str], dict[str, float | int | None]] = {
    ("10kgnad", "html"): {"title": None, "date": 1.0, "heading_p": None, "heading_r": None,
                          "boilerplate_left": 0.125, "keep_lost": 0},
    ("10kgnad", "text"): {"title": None, "date": 1.0, "heading_p": None, "heading_r": None,
                          "boilerplate_left": 0.125, "keep_lost": 0},
    ("trafilatura", "html"): {"title": 1.0, "date": 0.89, "heading_p": 0.95, "heading_r": 0.90,
                              "boilerplate_left": 0.106, "keep_lost": 1},
    ("trafilatura", "text"): {"title": 1.0, "date": 0.10, "heading_p": 0.89, "heading_r": 0.95,
                              "boilerplate_left": 0.16, "keep_lost": 0},
    ("scrapinghub", "html"): {"title": 1.0, "date": 0.91, "heading_p": 1.0, "heading_r": 0.93,
                              "boilerplate_left": 0.084, "keep_lost": 0},
    ("scrapinghub", "text"): {"title": 0.91, "date": 0.04, "heading_p": 0.95, "heading_r": 0.97,
                              "boilerplate_left": 0.125, "keep_lost": 0},
}
MAXIMUMS = ("boilerplate_left", "keep_lost", "date_invented")
for _floors in FLOORS.values():
    _floors["date_invented"] = 0  # a date is never guessed


@functools.cache
def _visible(page: str) -> str:
    return eval_gold.visible_text(REALNEWS, next(g for g in GOLD if g["page"] == page))


def _id(gold: dict) -> str:
    return f"{gold['source']}/{gold['_file'].stem}"


# ------------------------------------------------------------------ the gold set itself

def test_gold_set_size():
    # trafilatura_eval has only 19 dev pages (realnews-split.tsv): all of them are in the gold set
    assert len(BY_SOURCE["trafilatura"]) == 19
    assert len(BY_SOURCE["10kgnad"]) >= 20
    if not BY_SOURCE["scrapinghub"]:
        pytest.skip("the ScrapingHub part of the gold set is written on another branch (helper 'golden')")
    assert len(BY_SOURCE["scrapinghub"]) >= 20
    assert len(GOLD) >= 60


@pytest.mark.parametrize("gold", GOLD, ids=_id)
def test_gold_entry_is_well_formed(gold):
    assert set(gold) - {"_file"} == set(GOLD_KEYS), "keys: exactly " + ", ".join(GOLD_KEYS)
    source, page = gold["source"], gold["page"]
    assert source in eval_gold.SOURCES
    assert gold["_file"].parent.name == source
    assert page.startswith(f"pages/{source}/") and (REALNEWS / page).is_file(), page
    assert re.sub(r"\.(html\.gz|txt)$", "", Path(page).name) == gold["_file"].stem, "named after its page"
    assert gold["title"] is None or (isinstance(gold["title"], str) and gold["title"].strip())
    assert gold["date"] is None or isinstance(gold["date"], datetime.date)
    for key in ("headings", "set_aside", "keep"):
        assert isinstance(gold[key], list) and all(isinstance(s, str) and s.strip() for s in gold[key]), key
    assert len(gold["keep"]) >= 3, "keep: at least first, middle and last paragraph"
    assert isinstance(gold["notes"], str)
    keep = [norm(k) for k in gold["keep"]]
    for snippet in gold["set_aside"]:  # a set-aside line that is also article text could never be scored
        assert not any(norm(snippet) in k or k in norm(snippet) for k in keep), snippet
    if source == "10kgnad":
        n = int(re.fullmatch(r"row-(\d{4})", gold["_file"].stem).group(1))
        assert 1 <= n <= 514, "only dev rows (1-514) of 10kgnad/test.csv"
        assert gold["title"] is None and gold["outlet"] is None and gold["headings"] == []
        text = (REALNEWS / page).read_text(encoding="utf-8")
        assert text.endswith("\n") and "\n" not in text[:-1], "one csv text field and one newline"
    else:
        assert page.endswith(".html.gz")
        assert gold["url"].startswith(("http://", "https://")) and gold["title"]
        assert gold["outlet"] is None or (isinstance(gold["outlet"], str) and gold["outlet"].strip())


@pytest.mark.parametrize("gold", GOLD, ids=_id)
def test_gold_snippets_are_on_the_page(gold):
    visible = norm(_visible(gold["page"]))
    snippets = [gold["title"]] * bool(gold["title"]) + gold["headings"] + gold["set_aside"] + gold["keep"]
    missing = [s for s in snippets if norm(s) not in visible]
    assert not missing, f"not in the visible text of {gold['page']}: {missing}"


@pytest.mark.parametrize("gold", [g for g in GOLD if g["source"] != "10kgnad"], ids=_id)
def test_set_aside_lines_are_not_in_article_lines(gold):
    """A set-aside snippet that also stands in a line of article text (one holding a keep snippet) would
    count as boilerplate left in whenever that article text is kept (e.g. a byline repeated in the lede)."""
    lines = [norm(line) for line in _visible(gold["page"]).split("\n")]
    article_lines = [line for line in lines if any(norm(k) in line for k in gold["keep"])]
    clashes = [s for s in gold["set_aside"] if any(norm(s) in line for line in article_lines)]
    assert not clashes, clashes


def test_visible_text_has_the_title_element_and_no_script():
    gold = next(g for g in BY_SOURCE["trafilatura"] if g["_file"].stem == "0a6291ebbce449b3b04256b43c73e39d")
    text = eval_gold.visible_text(REALNEWS, gold)
    assert "Chronik: Lotte Tobisch ist tot - wien.ORF.at" in text  # <title>
    assert "function(" not in text and "<script" not in text


# ------------------------------------------------------------------ the scorer

def test_norm_unifies_what_matching_ignores():
    assert norm("„Zu 100%\u00a0Luftfahrt“") == norm('"zu 100% luftfahrt"')
    assert norm("Corona\u00ad-Weg – ok") == "corona-weg - ok"
    assert norm("Straße") == norm("STRASSE")
    assert norm("Wien –") != norm("Wien")


def _gold(**kw) -> dict:
    return {"source": "trafilatura", "page": "pages/trafilatura/x.html.gz", "title": "Der Titel",
            "date": datetime.date(2020, 4, 24), "headings": ["Eins", "Zwei"], "set_aside": ["Lesen Sie auch"],
            "keep": ["erster Satz.", "mitte", "letzter Satz."], **kw}


def test_score_page_counts_each_kind_of_miss():
    score, misses = Score(), []
    out = Outcome(title="Rubrik", date="2020-04-23", headings=[norm("Eins"), norm("Foto: dpa")],
                  text=norm("Der Titel\nerster Satz. mitte\nLesen Sie auch"))
    eval_gold.score_page(_gold(), out, "html", "", score, misses)
    f = score.figures()
    assert (f["title"], f["date"], f["heading_p"], f["heading_r"]) == (0.0, 0.0, 0.5, 0.5)
    assert f["boilerplate_left"] == 1.0 and f["keep_lost"] == 1
    assert any("letzter Satz." in m for m in misses) and any("false heading 'foto: dpa'" in m for m in misses)


def test_score_page_counts_a_perfect_page_as_right():
    score, misses = Score(), []
    out = Outcome(title="Der Titel", date="2020-04-24", headings=[norm("Eins"), norm("Zwei")],
                  text=norm("Der Titel\nerster Satz. mitte letzter Satz."))
    eval_gold.score_page(_gold(), out, "html", "", score, misses)
    f = score.figures()
    assert (f["title"], f["date"], f["heading_p"], f["heading_r"], f["boilerplate_left"], f["keep_lost"]) == \
        (1.0, 1.0, 1.0, 1.0, 0.0, 0)
    assert misses == []


def test_text_variant_counts_a_title_only_where_it_is_a_line_of_the_input():
    score, misses = Score(), []
    eval_gold.score_page(_gold(), Outcome(title="x"), "text", "Rubrik: Der Titel\nText", score, misses)
    assert score.title_pages == 0
    eval_gold.score_page(_gold(), Outcome(title="x"), "text", "Rubrik\nDer Titel\nText", score, misses)
    assert score.title_pages == 1 and score.title_right == 0


def test_invented_date_is_counted():
    score, misses = Score(), []
    eval_gold.score_page(_gold(date=None), Outcome(date="2015-07-31"), "html", "", score, misses)
    assert score.date_invented == 1 and score.date_pages == 0


def test_an_unreadable_page_is_a_miss_with_its_reason_not_a_crash():
    out = eval_gold.run_pressreview("broken.txt", b"\x00\x01\x02 binary", eval_gold.default_settings())
    assert out.error and "binary" in out.error
    score, misses = Score(), []
    eval_gold.score_page(_gold(), out, "html", "", score, misses)
    assert score.unreadable == 1 and score.keep_lost == 3 and score.title_right == 0
    assert any("not read" in m and "binary" in m for m in misses)


@pytest.fixture(scope="module")
def evaluated():
    return eval_gold.evaluate()


def test_scorer_runs_on_every_gold_page_in_both_variants(evaluated):
    scores, _ = evaluated
    for source, entries in BY_SOURCE.items():
        for variant in eval_gold.VARIANTS:
            if entries:
                assert scores[(source, variant)].pages == len(entries)
    # plain text is read already on every branch
    assert all(scores[("10kgnad", v)].unreadable == 0 for v in eval_gold.VARIANTS)
    table = eval_gold.format_table(scores)
    markdown = eval_gold.format_markdown(scores)
    assert "10kgnad" in table and markdown.count("\n") == len(scores) + 1


@pytest.mark.parametrize("key", sorted(FLOORS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_figures_meet_the_floors(evaluated, key):
    scores, misses = evaluated
    floors = {k: v for k, v in FLOORS[key].items() if v is not None}
    if key not in scores or not floors:
        pytest.skip(f"no floor set yet for {key} (the lead sets it after merging)")
    figures = scores[key].figures()
    failed = []
    for name, floor in floors.items():
        value = figures[name]
        ok = value is not None and (value <= floor if name in MAXIMUMS else value >= floor)
        if not ok:
            failed.append(f"{name} {value} (floor {floor})")
    where = f"{key[0]}/"
    detail = "\n".join(m for m in misses if m.startswith(where) and f"[{key[1]}]" in m)
    assert not failed, f"{key}: " + ", ".join(failed) + "\n" + detail

