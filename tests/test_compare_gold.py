"""The comparison gold set (tests/compare_gold) is well-formed, and the scorer
(benchmarks/eval_compare.py) matches found topics to gold topics as its docstring says.
compare.py's own scores are not asserted here: they are measured by `make eval`."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from benchmarks import eval_compare as ec
from benchmarks.eval_compare import Found, Gold, GoldTopic, Mention
from pressreview.model import Comparison, Statement

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "compare_gold"
ARTICLES = GOLD / "articles"
TENKGNAD = ROOT.parent / "shared" / "benchmarks" / "10kgnad" / "test.csv"


@pytest.fixture(scope="module")
def gold() -> Gold:
    return ec.load_gold(GOLD)


def body(file: str) -> str:
    text = (ARTICLES / file).read_text(encoding="utf-8")
    return text.split("---\n", 2)[2] if text.startswith("---\n") else text


# ---- the set ------------------------------------------------------------------------------

def test_every_article_file_is_in_the_gold_and_the_other_way_round(gold):
    on_disk = sorted(p.name for p in ARTICLES.iterdir())
    assert sorted(gold.files) == on_disk
    assert len(set(gold.files)) == len(gold.files), "an article in two stories"


def test_stories_topics_and_statuses(gold):
    assert len(gold.stories) >= 8
    languages = {}
    for story, files in gold.stories.items():
        assert len(files) >= 2, story
        languages[story] = {"en" if "-en." in f else "de" for f in files}
    assert any(langs == {"de", "en"} for langs in languages.values()), "a German-English story"
    assert any(sum(1 for f in files if "-en." not in f) >= 2 for files in gold.stories.values()), \
        "a German-German story"
    assert len(gold.unrelated) >= 2
    for t in gold.topics:
        assert ec.status_word(t.status) in ec.STATUSES and t.status in ec.STATUSES, (t.id, t.status)
        assert len(t.mentions) >= 2, f"{t.story}/{t.id}: a topic needs two articles"
        assert set(t.mentions) <= set(gold.stories[t.story]), f"{t.story}/{t.id}: an article of another story"
        assert all(ms for ms in t.mentions.values())
    ids = [(t.story, t.id) for t in gold.topics]
    assert len(ids) == len(set(ids))
    assert {t.status for t in gold.topics if not t.optional} == set(ec.STATUSES)


def test_every_gold_value_occurs_in_its_article(gold):
    for t in gold.topics:
        for file, mentions in t.mentions.items():
            text = ec.norm(body(file))
            for m in mentions:
                assert ec.norm(m.text) in text, f"{t.story}/{t.id}: {m.text!r} not in {file}"
                if m.context:
                    # the context stands in one sentence (no sentence end between) with the value
                    near = [s for s in re.split(r"(?<=[.!?])\s+", text) if ec.norm(m.text) in s]
                    assert any(ec.norm(m.context) in s for s in near), f"{t.story}/{t.id}: {m.context!r}"


def test_every_article_reads_without_warnings(gold):
    articles, rejected = ec.read_articles(ARTICLES)
    assert rejected == []
    assert {a.source_path for a in articles} == set(gold.files)
    for a in articles:
        assert a.warnings == (), (a.source_path, a.warnings)
        assert a.language == ("en" if "-en." in a.source_path else "de"), a.source_path
        assert a.title and a.outlet, a.source_path


def test_every_text_derives_from_a_dev_row_and_the_readme_says_so(gold):
    readme = (GOLD / "README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip().strip("`"): line for line in readme.splitlines()
            if line.startswith("| `") and ".txt" in line}
    for file in gold.files:
        source = gold.sources[file]
        assert 1 <= source["row"] <= 514, f"{file}: only dev rows (1-514) of 10kgnad/test.csv"
        assert source["made"] in ("copy", "translation", "rewrite"), file
        assert file in rows, f"{file}: not credited in README.md"
        assert f"| {source['row']} |" in rows[file], f"{file}: README gives another row"
        assert rows[file].split("|")[3].strip().startswith(source["made"]), f"{file}: README says another origin"
    for story, files in gold.stories.items():
        assert len({gold.sources[f]["row"] for f in files}) == 1, f"{story}: one event, one row"


@pytest.mark.skipif(not TENKGNAD.is_file(), reason="needs ../shared/benchmarks/10kgnad/test.csv")
def test_copies_are_the_dev_rows_unchanged(gold):
    with open(TENKGNAD, encoding="utf-8", newline="") as fh:
        wanted = {s["row"] for s in gold.sources.values()}
        texts = {n: row[1] for n, row in enumerate(csv.reader(fh, delimiter=";", quotechar="'"), 1)
                 if n in wanted and n <= 514}  # dev rows only
    for file, source in gold.sources.items():
        if source["made"] == "copy":
            assert body(file) == texts[source["row"]] + "\n", file


# ---- the scorer ---------------------------------------------------------------------------

def small_gold() -> Gold:
    """Story s: a.txt, b.txt, c.txt; unrelated u.txt."""
    topics = (
        GoldTopic("s", "rate", "agree", {"a.txt": (Mention("1,8 Prozent"),), "b.txt": (Mention("1.8 percent"),),
                                        "c.txt": (Mention("1,8 Prozent"),)}),
        GoldTopic("s", "oct", "agree", {"a.txt": (Mention("0,1 Prozent", "Oktober"),),
                                       "b.txt": (Mention("0.1 percent", "October"),)}),
        GoldTopic("s", "sep", "differ", {"a.txt": (Mention("0,1 Prozent", "September"),),
                                        "b.txt": (Mention("0.2 percent", "September"),)}),
        GoldTopic("s", "year", "agree", {"a.txt": (Mention("2014"),), "b.txt": (Mention("2014"),)}, optional=True),
        GoldTopic("s", "days", "agree", {"a.txt": (Mention("drei Tagen"),), "b.txt": (Mention("three days"),)},
                  optional=True),
    )
    return Gold({"s": ("a.txt", "b.txt", "c.txt")}, topics, ("u.txt",))


A_RATE = ("a.txt", "Die Aufträge sanken um 1,8 Prozent.", "1,8 Prozent")
B_RATE = ("b.txt", "Orders fell 1.8 percent.", "1.8 percent")
C_RATE = ("c.txt", "Minus von 1,8 Prozent im August.", "1,8 Prozent")
A_OCT = ("a.txt", "Im Oktober stiegen die Preise um 0,1 Prozent.", "0,1 Prozent")
B_OCT = ("b.txt", "In October prices rose 0.1 percent.", "0.1 percent")
A_SEP = ("a.txt", "Im September sanken sie um 0,1 Prozent.", "0,1 Prozent")
B_SEP = ("b.txt", "In September they fell 0.2 percent.", "0.2 percent")
U_RATE = ("u.txt", "Die Pensionen steigen um 1,8 Prozent.", "1,8 Prozent")


def test_a_perfect_answer_scores_one():
    found = [Found("agree", (A_RATE, B_RATE, C_RATE)), Found("agree", (A_OCT, B_OCT)), Found("differ", (A_SEP, B_SEP))]
    s = ec.score(small_gold(), found)
    assert (s.precision, s.recall, s.status_accuracy) == (1.0, 1.0, 1.0)
    assert (s.found, s.correct, s.required, s.cross_story, s.one_source, s.duplicates) == (3, 3, 3, 0, 0, 0)


def test_one_source_topics_are_counted_apart_and_are_not_found_topics():
    s = ec.score(small_gold(), [Found("single", (A_RATE,)), Found("agree", (A_OCT, B_OCT))])
    assert (s.one_source, s.found, s.correct, s.recalled) == (1, 1, 1, 1)
    assert s.recall == pytest.approx(1 / 3)


def test_a_topic_joining_an_unrelated_article_is_cross_story_and_wrong():
    s = ec.score(small_gold(), [Found("agree", (A_RATE, B_RATE, C_RATE, U_RATE))])
    assert (s.cross_story, s.correct, s.found, s.recalled) == (1, 0, 1, 0)
    assert s.precision == 0.0


def test_same_value_of_another_fact_makes_the_topic_wrong():
    # October's and September's 0,1 Prozent in one topic: the context tells them apart
    s = ec.score(small_gold(), [Found("agree", (A_OCT, B_OCT, A_SEP))])
    assert (s.correct, s.recalled) == (0, 0)
    assert any("not a gold topic" in m for m in s.misses)


def test_a_fact_split_in_two_counts_once_and_the_rest_as_duplicates():
    s = ec.score(small_gold(), [Found("agree", (A_RATE, B_RATE)), Found("agree", (A_RATE, B_RATE, C_RATE)),
                                Found("agree", (B_RATE, C_RATE))])
    assert (s.found, s.correct, s.duplicates, s.recalled, s.partly) == (3, 1, 2, 1, 0)


def test_fewer_articles_than_the_gold_topic_is_partly_found():
    s = ec.score(small_gold(), [Found("agree", (A_RATE, B_RATE))])
    assert (s.correct, s.recalled, s.partly) == (1, 0, 1)


def test_status_is_read_as_a_word_and_counted_on_matched_topics_only():
    s = ec.score(small_gold(), [Found(ec.status_word("Differs"), (A_SEP, B_SEP)),
                                Found(ec.status_word("compatible"), (A_OCT, B_OCT))])
    assert (s.status_right, s.status_total) == (1, 2)
    assert ec.status_word("Compatible") == "compatible" and ec.status_word("differs") == "differ"
    assert ec.status_word("single") == "single"


def test_optional_topics_count_as_right_but_not_in_recall():
    years = Found("agree", (("a.txt", "Der Verlust 2014 war hoch.", "2014"), ("b.txt", "The 2014 loss.", "2014")))
    days = Found("agree", (("a.txt", "In den ersten drei Tagen.", "drei"), ("b.txt", "In the first three days.", "three")))
    s = ec.score(small_gold(), [years, days])
    assert (s.found, s.correct, s.recalled, s.required) == (2, 2, 0, 3)


def test_a_mention_needs_its_article_its_sentence_and_its_number():
    m = Mention("€2.4bn")
    assert ec.is_mention(("x.txt", "It raised €2.4bn.", "€2.4bn"), "x.txt", m)
    assert ec.is_mention(("x.txt", "It raised €2.4bn.", "2.4bn"), "x.txt", m)  # parsed a little shorter
    assert not ec.is_mention(("y.txt", "It raised €2.4bn.", "€2.4bn"), "x.txt", m)  # another article
    assert not ec.is_mention(("x.txt", "It raised €2.5bn.", "€2.5bn"), "x.txt", m)  # not in the sentence
    assert not ec.is_mention(("x.txt", "It raised €2.4bn, not 40.", "40"), "x.txt", m)  # another number


def test_first_number_ignores_separators():
    assert ec.first_number("€2.4bn") == ec.first_number("2,4 Mrd. Euro") == "24"
    assert ec.first_number("300 000 Euro") == ec.first_number("300,000") == "300000"
    assert ec.first_number("80’000 Franken") == "80000"
    assert ec.first_number("rund 45 Prozent") == "45"
    assert ec.first_number("drei Tagen") == ""


def test_comparisons_are_read_with_article_ids_mapped_to_files():
    st = [Statement("id-a", "s1", A_RATE[1], "1,8 Prozent", 1.8, "%"),
          Statement("id-b", "s2", B_RATE[1], "1.8 percent", 1.8, "%")]
    comparisons = [Comparison("rate", "Aufträge", "agree", tuple(st))]
    found = ec.from_comparisons(comparisons, {"id-a": "a.txt", "id-b": "b.txt"})
    assert found == [Found("agree", (("a.txt", A_RATE[1], "1,8 Prozent"), ("b.txt", B_RATE[1], "1.8 percent")),
                           "Aufträge")]
    s = ec.score(small_gold(), found)
    assert (s.correct, s.partly, s.status_right) == (1, 1, 1)


def test_tables_show_every_figure():
    s = ec.score(small_gold(), [Found("agree", (A_OCT, B_OCT))])
    plain, markdown = ec.format_table(s), ec.format_markdown(s)
    for label in ("topic precision", "topic recall", "status accuracy", "cross-story topics", "one-source topics"):
        assert label in plain and f"| {label} |" in markdown
    assert "1.00 (1/1)" in plain and "0.33 (1/3; 0 partly)" in plain


# ---- the benchmark's helpers (benchmarks/bench_compare.py) ---------------------------------

def test_scaled_corpus_has_new_ids_and_moved_numbers():
    from benchmarks import bench_compare as bc
    from pressreview.model import Article, Quantity

    arts = [Article(f"a{n}", f"row-{n:04d}.txt", "", "t", "lede", None, "", "de", "front matter", (),
                    quantities=(Quantity("2 Prozent", 2.0, "%", "", "percent"),
                                Quantity("2 bis 3 Prozent", 2.0, "%", "", "range", value_to=3.0)))
            for n in (1, 2, 3)]
    out = bc.scaled(arts, 8)
    assert len(out) == 8 and len({a.id for a in out}) == 8
    assert out[:3] == arts  # the first round is the corpus itself
    for a in out[3:]:
        q, r = a.quantities
        assert q.value != 2.0 and 1.0 <= q.value <= 4.0
        assert r.value_to == pytest.approx(r.value * 1.5)
    assert [a.id for a in bc.scaled(arts, 8)] == [a.id for a in out]  # seeded: the same every run


def test_rows_are_one_story_only_inside_a_hand_read_set():
    from benchmarks import bench_compare as bc

    (rows, _), = list(bc.SAME_STORY_DEV.items())[:1]
    assert bc.StoryCheck.same_story(set(rows))
    assert bc.StoryCheck.same_story(set(sorted(rows)[:1]))
    assert not bc.StoryCheck.same_story(set(rows) | {999})
    assert all(n <= bc.DEV_ROWS for rows in bc.SAME_STORY_DEV for n in rows), "dev rows only"
