"""Behaviour tests for pressreview.claims and the built-in rule packs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pressreview.claims import Matcher, RuleError, expand_word, load_rules
from pressreview.model import Cue

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold" / "seed_labels.tsv"
LANGS = ("de", "en")


def _examples():
    for lang in LANGS:
        for rule in load_rules(lang).rules:
            for kind in ("positive", "negative"):
                for ex in rule.examples.get(kind, []):
                    yield pytest.param(lang, rule.id, kind, ex, id=f"{rule.id}-{kind}-{ex[:30]}")


# ---------------------------------------------------------------- packs


@pytest.mark.parametrize("lang", LANGS)
def test_pack_loads_and_every_rule_is_complete(lang):
    m = load_rules(lang)
    assert isinstance(m, Matcher)
    assert len(m.rules) >= 10
    ids = [r.id for r in m.rules]
    assert len(ids) == len(set(ids))
    cats = {r.category for r in m.rules}
    assert cats == {"speculative", "promotional"}
    for r in m.rules:
        assert r.id.startswith(lang + ".")
        assert r.level in ("suggestion", "warning")
        assert r.message.strip()
        assert r.examples.get("positive"), f"{r.id} has no positive example"
        assert r.examples.get("negative"), f"{r.id} has no negative example"
    legend = m.legend()
    assert {"id", "category", "kind", "message", "level", "link"} <= set(legend[0])


@pytest.mark.parametrize("lang, rule_id, kind, example", list(_examples()))
def test_rule_examples(lang, rule_id, kind, example):
    m = load_rules(lang)
    labels, cues = m.classify(example)
    fired = [c for c in cues if c.rule == rule_id]
    if kind == "positive":
        assert fired, f"{rule_id} did not fire on {example!r}; cues: {[(c.rule, c.text) for c in cues]}"
        assert m.rule(rule_id).category in labels
    else:
        assert not fired, f"{rule_id} fired on negative {example!r}: {[c.text for c in fired]}"


# ---------------------------------------------------------------- classify


def test_classify_shape_and_offsets():
    m = load_rules("de")
    s = "Der Konzern sammelte beeindruckende 3,2 Milliarden Dollar, die Aktie könnte weiter steigen."
    labels, cues = m.classify(s)
    assert labels == ("promotional", "speculative")
    assert list(cues) == sorted(cues, key=lambda c: c.start)
    for c in cues:
        assert isinstance(c, Cue)
        assert s[c.start : c.end] == c.text
        assert c.message and c.level in ("suggestion", "warning")
    assert {c.text for c in cues} >= {"beeindruckende", "könnte"}


def test_case_insensitive_and_word_boundaries():
    m = load_rules("de")
    assert m.classify("MÖGLICHERWEISE ist das falsch.")[0] == ("speculative",)
    # "wohl" is case-sensitive and whole-word: not in "Wohl", "sowohl", "wohlhabend"
    assert m.classify("Zum Wohl der Kunden, sowohl hier als auch dort, für wohlhabende Käufer.")[0] == ()
    en = load_rules("en")
    assert en.classify("It was a GROUNDBREAKING result.")[0] == ("promotional",)
    assert en.classify("The boldness of the plan and the groundbreaking ceremony.")[1][0].text == "groundbreaking"


def test_inflected_forms_from_word_lists():
    m = load_rules("de")
    for s in ("ein revolutionäres Modell", "die revolutionären Modelle", "Das war bahnbrechend."):
        assert "promotional" in m.classify(s)[0], s


@pytest.mark.parametrize(
    "sentence",
    [
        "Nach Angaben des Statistischen Bundesamts stiegen die Preise im August um 2,1 Prozent.",
        "Der Aufsichtsrat tagt am Dienstag.",
        "Der Konzern senkte im Juli seine Prognose für das Gesamtjahr.",
        "Alibaba senkte die Preise um 97% bei einigen KI-Tools.",
        "Die Aktie stieg in New York um 8% auf 125,85 Dollar.",
        "Der Konzern wird am Donnerstag seine Quartalszahlen vorlegen.",
        "Anstatt also abzuwarten, haben sie ihre eigenen Chips gebaut.",
        "Die Regierung soll handeln, fordert die Opposition.",
    ],
)
def test_not_marked_neutral_german(sentence):
    assert load_rules("de").classify(sentence) == ((), ())


@pytest.mark.parametrize(
    "sentence, label",
    [
        ('Das neue Modell "Qwen3-Next-80B-A3B" soll zehnmal schneller und kostengünstiger zu trainieren sein.', "speculative"),
        ("Doch kann Alibaba wirklich im globalen KI-Rennen mithalten?", "speculative"),
        ("Gleich zwei Paukenschläge haben die Aktie nach oben katapultiert.", "promotional"),
        ("Alibaba: Kaufen oder verkaufen? Hier weiterlesen...", "promotional"),
        ("Experten prognostizieren, dass sich der Markt verdoppeln wird.", "speculative"),
    ],
)
def test_marked_german(sentence, label):
    assert label in load_rules("de").classify(sentence)[0]


def test_deterministic():
    m1 = load_rules("en")
    m2 = load_rules("en", extra_rules=[], overrides={})
    s = "Critics argue the groundbreaking plan might fail, some observers say."
    assert m1.classify(s) == m1.classify(s) == m2.classify(s)


# ---------------------------------------------------------------- project rules


def _project_rule(**kw):
    rule = {
        "id": "project.hype.raketenhaft",
        "category": "promotional",
        "kind": "hype",
        "words": ["raketenhaft*"],
        "message": "Bildhafte Übertreibung.",
        "level": "warning",
        "examples": {"positive": ["Ein raketenhafter Anstieg."], "negative": ["Ein Anstieg."]},
    }
    rule.update(kw)
    return rule


def test_extra_rule_fires():
    m = load_rules("de", extra_rules=[_project_rule()])
    labels, cues = m.classify("Die Aktie legte einen raketenhaften Anstieg hin.")
    assert labels == ("promotional",)
    assert cues[0].rule == "project.hype.raketenhaft"
    assert cues[0].text == "raketenhaften"
    # the built-in matcher is not changed by that
    assert load_rules("de").classify("Die Aktie legte einen raketenhaften Anstieg hin.") == ((), ())


def test_extra_rule_replaces_builtin_with_same_id():
    repl = _project_rule(id="de.appeal.flattery", words=["Glückspilz*"], category="promotional")
    m = load_rules("de", extra_rules=[repl])
    assert m.classify("Die Aktie sieht wie ein Schnäppchen aus.") == ((), ())
    assert m.classify("Anleger sind Glückspilze.")[1][0].rule == "de.appeal.flattery"
    assert [r.id for r in m.rules].count("de.appeal.flattery") == 1


def test_disable_rule():
    s = "Die Aktie könnte steigen."
    assert load_rules("de").classify(s)[0] == ("speculative",)
    m = load_rules("de", disabled=["de.hedge.modal"])
    assert m.classify(s) == ((), ())
    assert "de.hedge.modal" not in [r.id for r in m.rules]
    # ids of another pack are ignored, unknown ids of this pack are an error
    load_rules("de", disabled=["en.hedge.modal"])
    with pytest.raises(RuleError, match="de.hedge.nonexistent"):
        load_rules("de", disabled=["de.hedge.nonexistent"])


def test_override_fields():
    m = load_rules("de", overrides={"de.hedge.modal": {"level": "warning", "message": "Vorsicht."}})
    cue = m.classify("Die Aktie könnte steigen.")[1][0]
    assert (cue.level, cue.message) == ("warning", "Vorsicht.")
    assert load_rules("de").classify("Die Aktie könnte steigen.")[1][0].level == "suggestion"


def test_regex_project_rule_with_exception():
    rule = {
        "id": "project.spec.gerüchte",
        "category": "speculative",
        "kind": "unverified",
        "regex": r"\bmunkelt\b",
        "exceptions": [r"\bniemand\s+munkelt\b"],
        "message": "Gerücht.",
    }
    m = load_rules("de", extra_rules=[rule])
    assert m.classify("Man munkelt über einen Verkauf.")[0] == ("speculative",)
    assert m.classify("Niemand munkelt über einen Verkauf.") == ((), ())


@pytest.mark.parametrize(
    "bad, key",
    [
        ({"category": "opinion"}, "category"),
        ({"level": "error"}, "level"),
        ({"colour": "red"}, "colour"),
        ({"words": []}, "words"),
        ({"words": ["abc{d"]}, "words"),
        ({"message": ""}, "message"),
        ({"case": "upper"}, "case"),
        ({"exceptions": ["(unclosed"]}, "exceptions"),
    ],
)
def test_bad_rule_raises_rule_error_naming_rule_and_key(bad, key):
    rule = _project_rule(id="project.bad.one", **bad)
    with pytest.raises(RuleError) as exc:
        load_rules("de", extra_rules=[rule])
    assert "project.bad.one" in str(exc.value)
    assert key in str(exc.value)


def test_bad_regex_and_words_and_regex_together():
    r = _project_rule(id="project.bad.regex")
    r.pop("words")
    r["regex"] = "(?P<x>foo)"
    with pytest.raises(RuleError, match=r"project\.bad\.regex.*regex"):
        load_rules("en", extra_rules=[r])
    r2 = _project_rule(id="project.bad.both", regex=r"\bfoo\b")
    with pytest.raises(RuleError, match=r"project\.bad\.both"):
        load_rules("en", extra_rules=[r2])


def test_available_languages_are_only_claim_packs():
    from pressreview.claims import available_languages

    assert available_languages() == ["de", "en"] or set(available_languages()) >= {"de", "en"}
    assert all(len(code) in (2, 3) for code in available_languages())
    assert load_rules("layout").rules == []  # other YAML files in rules/ are not packs


def test_unknown_language_has_only_project_rules():
    m = load_rules("fr", extra_rules=[_project_rule()])
    assert [r.id for r in m.rules] == ["project.hype.raketenhaft"]
    assert load_rules("fr").classify("revolutionär") == ((), ())


def test_expand_word_convention():
    import re

    rx = re.compile(r"(?<!\w)(?:" + expand_word("könnte{,n}") + r")(?!\w)")
    assert rx.fullmatch("könnte") and rx.fullmatch("könnten") and not rx.fullmatch("könntest")
    assert re.fullmatch(expand_word("+feuerwerk"), "Kursfeuerwerk")
    assert not re.fullmatch(expand_word("+feuerwerk"), "feuerwerk")
    assert re.fullmatch(expand_word("durch die Decke"), "durch  die\nDecke")


# ---------------------------------------------------------------- gold


def _gold_rows():
    with open(GOLD, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        assert header == ["file", "sentence", "labels"]
        return [(f, s, tuple(x for x in lab.split(",") if x)) for f, s, lab in reader]


def _prf(pairs):
    tp = sum(1 for g, p in pairs if g and p)
    fp = sum(1 for g, p in pairs if p and not g)
    fn = sum(1 for g, p in pairs if g and not p)
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    return prec, rec


def test_gold_covers_every_seed_sentence():
    from pressreview.sentences import split_sentences

    rows = _gold_rows()
    expected = []
    for path in sorted((HERE.parent / "seeds").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                expected += [(path.name, line[s:e]) for s, e in split_sentences(line, "de")]
    assert [(f, s) for f, s, _ in rows] == expected


# Floors below the values measured when the gold file was labelled (see the report /
# tests/gold/README.md); they guard against regressions, not a target to tune to.
FLOORS = {
    "any": (0.90, 0.70),
    "promotional": (0.85, 0.65),
    "speculative": (0.80, 0.75),
}


@pytest.mark.parametrize("which", sorted(FLOORS))
def test_rules_vs_gold(which):
    m = load_rules("de")
    pairs = []
    for _, sentence, gold in _gold_rows():
        pred, _ = m.classify(sentence)
        if which == "any":
            pairs.append((bool(gold), bool(pred)))
        else:
            pairs.append((which in gold, which in pred))
    prec, rec = _prf(pairs)
    pmin, rmin = FLOORS[which]
    assert prec >= pmin and rec >= rmin, f"{which}: precision {prec:.2f} recall {rec:.2f}"


# ---------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = st.sampled_from(
    "könnte soll sein haben Experten meinen revolutionär Kursfeuerwerk wirklich ? . , – "
    "may might some many critics groundbreaking buy now expected to be Die Aktie stieg um 3 % "
    "„ “ \" ' \n".split(" ")
)


@settings(max_examples=120, deadline=None)
@given(st.lists(_WORDS, max_size=25).map(" ".join), st.sampled_from(LANGS))
def test_property_cues_slice_sentence(sentence, lang):
    labels, cues = load_rules(lang).classify(sentence)
    assert labels == tuple(sorted({c.category for c in cues}))
    prev_end = 0
    for c in cues:
        assert sentence[c.start : c.end] == c.text and c.text
        assert c.start >= prev_end  # in order, not overlapping
        prev_end = c.end
    assert load_rules(lang).classify(sentence) == (labels, cues)


# ------------------------------------------- issue 10: quoted false marks and misses
# The sentences are quoted verbatim from the issue (they come from test rows; these
# quotations are the only test sentences a test may use).

ISSUE10_FALSE_MARKS = [
    ("de", "Tom Kühnel und Jürgen Kuttner…", "de.puffery.adjective"),
    ("de", "Erreichung von Meilensteinen", "de.puffery.adjective"),
    ("de", "sogar rekordverdächtig nass", "de.puffery.adjective"),
    ("de", "eine der mächtigsten Institutionen", "de.puffery.adjective"),
    ("en", "Moreover, some of that money has been spent…", "en.weasel.quantifier"),
    ("en", "including many who remain undecided…", "en.weasel.quantifier"),
    ("en", "certainly not groundbreaking", "en.puffery.adjective"),
    ("en", "Isn't Very Impressive", "en.puffery.adjective"),
    ("en", "tried and failed to perfect", "en.puffery.adjective"),
    ("en", "Their American dream shattered", "en.puffery.adjective"),
]

ISSUE10_MISSES = [
    ("de", "…erkrankt sein und sich einem Eingriff unterzogen haben soll", "speculative"),
    ("de", "Das selbstfahrende Auto wird die deutsche Automobilindustrie … regelrecht vernichten", "speculative"),
    ("de", "Laut dem Magazin ET-News könnte Apple schon 2025…", "speculative"),
    ("en", "Super fun & entertaining!", "promotional"),
    ("en", "Investors who miss this opportunity will regret it.", "promotional"),
]


@pytest.mark.parametrize("lang,sentence,rule_id", ISSUE10_FALSE_MARKS)
def test_issue10_false_marks_are_gone(lang, sentence, rule_id):
    cues = load_rules(lang).find(sentence)
    assert rule_id not in [c.rule for c in cues], cues


@pytest.mark.parametrize("lang,sentence,category", ISSUE10_MISSES)
def test_issue10_misses_are_marked(lang, sentence, category):
    labels, _ = load_rules(lang).classify(sentence)
    assert category in labels


def test_forbidden_condition_cancels_the_cue_and_is_explained():
    m = load_rules("en")
    cues = m.find("The company unveiled a groundbreaking new chip.")
    assert [c.rule for c in cues] == ["en.puffery.adjective"]
    assert "question" in cues[0].message
    assert "en.puffery.adjective" not in [c.rule for c in m.find("Is the new chip groundbreaking?")]


def test_unknown_condition_is_an_error():
    bad = {"id": "en.x.y", "category": "promotional", "kind": "k", "words": ["wow"],
           "message": "m.", "forbids": ["no_such_condition"]}
    with pytest.raises(RuleError, match="forbids"):
        load_rules("en", extra_rules=[bad])


# ---------------------------------------------------------------- lemmas and context conditions

from pressreview.claims import Condition, Rule, condition_holds  # noqa: E402


def _lemma_rule(lemmas, **kw):
    return Rule(id="de.t.lemma", category="promotional", kind="k", message="m.", lemmas=tuple(lemmas), **kw)


def test_lemma_rule_matches_inflections_not_names_or_substrings():
    m = Matcher("de", [_lemma_rule(["kühn", "mächtig"])])
    assert [c.text for c in m.find("Das ist der kühnste und mächtigste Plan.")] == ["kühnste", "mächtigste"]
    assert m.find("Tom Kühnel inszeniert das Stück.") == []
    assert m.find("Die Übermächtigkeit der Lage.") == []


def test_lemma_compound_head_needs_a_prefix_and_multiword_lemmas_match_consecutive_tokens():
    m = Matcher("de", [_lemma_rule(["+feuerwerk", "durch die Decke"])])
    assert [c.text for c in m.find("Ein Kursfeuerwerk, die Preise gehen durch die Decke.")] == [
        "Kursfeuerwerk", "durch die Decke"]
    assert m.find("Am Abend gab es ein Feuerwerk.") == []  # the head alone is no compound
    assert m.find("Die Decke ist durch.") == []


def test_lemma_rule_in_a_pack_and_its_validation():
    ok = {"id": "en.x.lemma", "category": "promotional", "kind": "k", "lemmas": ["dream"], "message": "m."}
    m = load_rules("en", extra_rules=[ok])
    assert "en.x.lemma" in [c.rule for c in m.find("They sold their dreams.")]
    for lemmas in (["kühn*"], ["+two words"], [""], "dream"):
        with pytest.raises(RuleError, match="lemmas"):
            load_rules("en", extra_rules=[dict(ok, lemmas=lemmas)])
    with pytest.raises(RuleError, match="exactly one"):
        load_rules("en", extra_rules=[dict(ok, words=["dream"])])


@pytest.mark.parametrize("scope,words,sentence,cue,holds", [
    ("sentence", 3, "No, it is great.", "great", True),
    ("before", 2, "It is not very great.", "great", True),
    ("before", 1, "It is not very great.", "great", False),  # "not" is two words before
    ("after", 2, "Some critics say so.", "Some", True),
    ("after", 2, "Some of the critics say so.", "Some", False),
    ("around", 1, "The Dream Chaser flew.", "Dream", True),
    ("clause", 3, "If it works, it is great, he said.", "great", False),
    ("clause", 3, "It is great if it works, he said.", "great", True),
])
def test_condition_scopes(scope, words, sentence, cue, holds):
    rx = {"sentence": r"^No\b", "before": r"\bnot\b", "after": r"\bcritics\b", "around": r"[A-Z]\w+\s+[A-Z]\w+",
          "clause": r"\bif\b"}[scope]
    cond = Condition("c", "explained.", scope, rx, words, "sensitive" if scope == "around" else "insensitive")
    start = sentence.index(cue)
    assert condition_holds(cond, cond.compiled(), sentence, start, start + len(cue)) is holds


def test_quoted_scope():
    cond = Condition("quoted", "in a quote.", "quoted")
    s = 'He said: „Das ist großartig“, und es war großartig.'
    first, second = s.index("großartig"), s.rindex("großartig")
    assert condition_holds(cond, None, s, first, first + 9)
    assert not condition_holds(cond, None, s, second, second + 9)


def test_requires_and_forbids_in_a_matcher_and_the_tooltip_explains_both():
    conds = {"view": Condition("view", "Only with a view.", "after", r"\bsay\b", 2),
             "neg": Condition("neg", "Not after a negation.", "before", r"\bnot\b", 2)}
    r = Rule(id="en.t.q", category="speculative", kind="k", message="Vague.", words=("some",),
             requires=("view",), forbids=("neg",))
    m = Matcher("en", [r], conds)
    cues = m.find("Some say it fails.")
    assert [c.text for c in cues] == ["Some"]
    assert cues[0].message == "Vague. Only with a view. Checked: Not after a negation."
    assert m.find("Some of the money was spent.") == []
    assert m.find("It is not some say it fails.") == []


def test_bad_condition_definitions_are_errors(tmp_path, monkeypatch):
    import pressreview.claims as claims
    for body, msg in (("  c: {regex: 'x', explain: e, scope: nowhere}", "scope"),
                      ("  c: {explain: e}", "regex"),
                      ("  c: {regex: 'x', explain: e, words: 0}", "words"),
                      ("  c: {regex: 'x'}", "explain")):
        (tmp_path / "xx.yml").write_text(f"language: xx\nconditions:\n{body}\nrules: []\n", encoding="utf-8")
        monkeypatch.setattr(claims, "RULES_DIR", tmp_path)
        claims._read_conditions.cache_clear()
        try:
            with pytest.raises(RuleError, match=msg):
                claims._read_conditions("xx")
        finally:
            claims._read_conditions.cache_clear()


def test_english_quantifier_needs_a_vague_view():
    m = load_rules("en")
    rule = "en.weasel.quantifier"
    assert rule in [c.rule for c in m.find("Many voters felt the reform came too late.")]
    assert rule in [c.rule for c in m.find("Many residents fear the plant will close.")]
    for s in ("Moreover, some of that money has been spent on salaries.",
              "Many of the protesters wear masks.", "He has been given several types of antibiotics."):
        assert rule not in [c.rule for c in m.find(s)], s


def test_a_key_given_twice_in_a_pack_is_an_error(tmp_path, monkeypatch):
    import pressreview.claims as claims
    (tmp_path / "xx.yml").write_text(
        "language: xx\nrules:\n- id: xx.a.b\n  category: speculative\n  kind: k\n  words: [a]\n  message: m.\n"
        "  examples:\n    negative: [x]\n    negative: [y]\n", encoding="utf-8")
    monkeypatch.setattr(claims, "RULES_DIR", tmp_path)
    claims._read_pack.cache_clear()
    try:
        with pytest.raises(RuleError, match="given twice"):
            claims._read_pack("xx")
    finally:
        claims._read_pack.cache_clear()


@pytest.mark.parametrize("sentence", [s for lang, s, _ in ISSUE10_FALSE_MARKS if lang == "de"])
def test_issue10_german_false_marks_carry_no_promotional_mark(sentence):
    # the puffery words are split over several rules (lemmas, stems, phrases): none of them may fire
    labels, cues = load_rules("de").classify(sentence)
    assert "promotional" not in labels, cues


def test_german_puffery_respects_negation_and_explains_it():
    m = load_rules("de")
    cues = m.find("Das neue Modell ist revolutionär.")
    assert [c.rule for c in cues] == ["de.puffery.adjective"] and "Verneinung" in cues[0].message
    for s in ("Das neue Modell ist nicht revolutionär.", "Ein Kursfeuerwerk? Kein Kursfeuerwerk, nur 0,3 Prozent."):
        assert "promotional" not in m.classify(s)[0], s
    # "nicht nur …, sondern" negates nothing
    assert "promotional" in m.classify("Das Modell ist nicht nur revolutionär, sondern auch schnell.")[0]


def _reference_regex_cues(m, sentence):
    """The plain way: search the combined pattern from each position (no buckets)."""
    out, pos = [], 0
    while pos <= len(sentence):
        hit = m._rx.search(sentence, pos)
        if hit is None:
            break
        g = hit.lastgroup
        s, e = hit.span(g)
        if e <= s or m._cancelled(g, sentence, s, e):
            pos = s + 1
            continue
        out.append((s, e, m._by_group[g].id))
        pos = e
    return out


_PIECES = ["könnte", "Kursfeuerwerk", "soll", "sein", "haben", "laut", "Experten", "glauben", "some", "critics",
           "say", "might", "İ", "ſ", "„", "“", "?", ",", " ", "  ", "\n", "Übertrifft", "die", "Konkurrenz",
           "groundbreaking", "not", "x", "9", "%", "Alibaba", "wohl", "-", "allegedly", "Investoren"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), max_size=30), st.sampled_from(["de", "en"]))
def test_property_first_letter_buckets_find_what_a_full_search_finds(parts, lang):
    m = load_rules(lang)
    sentence = "".join(parts)
    assert [(c.start, c.end, c.rule) for c in m._regex_cues(sentence)] == _reference_regex_cues(m, sentence)


def test_first_chars_reads_patterns():
    from pressreview.claims import first_chars
    assert first_chars(r"\b(?:könnte|dürfte)\b") == frozenset("kd")
    assert first_chars(r"(?<!\w)(?:[A-C]x|y?z)") == frozenset("abcyz")
    assert first_chars(r"\w+ung") is None and first_chars(r"a?") is None
    assert "s" in first_chars("ſo")  # ſ matches s when case is ignored


def test_required_text_reads_patterns():
    import re
    from pressreview.claims import folded, required_text
    assert required_text(r"(?P<n>[A-Z]\w+(?:\s+[A-Z]\w+)*)\s+zufolge\b") == "zufolge"
    assert required_text(r"\b[Ll]aut\s+(?:der\s+)?X") == "aut"
    assert required_text(r"x(?:abc)+y") == "abc" and required_text(r"(?:ab|cd)") == ""
    assert required_text(r"a(?:bcd)?") == "a" and required_text(r"a(?i:bcd)") == "a"
    assert required_text(r"verdoppel(?:n|t)|verdoppelt", re.I) == "verdoppel"  # re factors out the prefix
    assert required_text(r"Straße", re.I) == "stra"  # case ignored: lower case, ASCII only
    assert folded("Verdoppelung") == "verdoppelung" and folded("ſo") is None and folded("İ") is None


_REQUIRED_PATTERNS = [(r"(?P<n>[A-Z]\w+)\s+zufolge\b", 0), (r"\b[Ll]aut\s+(?:der\s+)?[A-Z]", 0),
                      (r"(?<![^\W\d_])(?:verdoppel(?:n|t|ung)|verdoppelt(?:e|en)?)(?![^\W\d_])", 2),
                      (r"(?<![^\W\d_])(?:twice\s+(?:as|the))", 2), (r"half\s+as", 2)]


@given(st.lists(st.sampled_from(["Reuters", " zufolge", "Zufolge", "laut", "Laut ", " der ", "Verdoppelung",
                                 "VERDOPPELT", "verdoppeln", "twice", "TWICE as", " the", "ſ", "İ", "ı", "Half as",
                                 "x", "  ", "\n"]), max_size=8))
@settings(max_examples=300, deadline=None)
def test_a_text_without_the_required_text_never_matches(parts):
    import re
    from pressreview.claims import folded, required_text
    text = "".join(parts)
    for pattern, flags in _REQUIRED_PATTERNS:
        needed = required_text(pattern, flags)
        assert needed
        haystack = folded(text) if flags & re.I else text
        if haystack is not None and needed not in haystack:
            assert re.search(pattern, text, flags) is None, (pattern, text)


@pytest.mark.parametrize("pattern,starts", [
    (r"\bx", True), (r"(?<!\w)x", True), (r"(?<=\s)x", True), (r"(?=a)\bab", True), (r"\?", True),
    (r"„\w+", True), (r"^x", True), (r"(?<=a)x", False), (r"x", False), (r"(?<!foo)x", False), (r"(?:\bx|y)", False),
])
def test_regex_rules_must_start_at_a_word_boundary(pattern, starts):
    from pressreview.claims import starts_at_boundary
    assert starts_at_boundary(pattern) is starts
    rule = {"id": "en.x.b", "category": "speculative", "kind": "k", "regex": [pattern], "message": "m."}
    if starts:
        load_rules("en", extra_rules=[rule])
    else:
        with pytest.raises(RuleError, match="word boundary"):
            load_rules("en", extra_rules=[rule])


# ---------------------------------------------------------------- interface language (issue 12)

def _pack_texts(lang: str):
    """(where, {language: text}) of every reader-facing text of a built-in pack."""
    m = load_rules(lang)
    for r in m.rules:
        yield r.id, r.messages
    for name, c in m.conditions.items():
        yield f"condition {name} explain", c.explains
        if c.short:
            yield f"condition {name} short", c.shorts
    yield "checked_label", m.checked_label


@pytest.mark.parametrize("lang", LANGS)
def test_every_text_a_reader_sees_is_in_both_interface_languages(lang):
    """A German site shows an English article's marks with German words, and the other way round:
    each message, condition text and the checked label is written in both (not copied)."""
    for where, texts in _pack_texts(lang):
        assert set(texts) >= {"de", "en"}, where
        assert texts["de"] != texts["en"], f"{where}: not translated: {texts['de']!r}"
        assert next(iter(texts)) == lang, where  # the pack's own language is the data's


def test_a_cue_carries_its_message_in_every_interface_language_and_the_data_keeps_the_packs():
    cue = load_rules("en").find("The shares could rise further.")[0]
    assert cue.message == cue.message_in("en") and cue.message.startswith("A modal verb")
    assert cue.message_in("de").startswith("Ein Modalverb")
    checked = load_rules("de").find("Das ist ein großartiges Ergebnis.")[0]
    assert "Geprüft:" in checked.message_in("de") and "Checked:" in checked.message_in("en")
    assert "Geprüft" not in checked.message_in("en")


def test_a_project_rule_with_one_message_serves_both_languages_and_a_mapping_each():
    plain = {"id": "en.p.one", "category": "promotional", "kind": "k", "words": ["zorbly"], "message": "Praise."}
    both = {**plain, "id": "en.p.two", "words": ["quaxly"], "message": {"en": "Praise.", "de": "Lob."}}
    m = load_rules("en", extra_rules=[plain, both])
    one, two = m.find("A zorbly and quaxly year.")
    assert (one.message_in("de"), one.message_in("en"), one.message) == ("Praise.", "Praise.", "Praise.")
    assert (two.message_in("de"), two.message_in("en"), two.message) == ("Lob.", "Praise.", "Praise.")
    only_german = {**plain, "message": {"de": "Lob."}}  # no English: the one given is the data's too
    assert load_rules("en", extra_rules=[only_german]).find("A zorbly year.")[0].message_in("en") == "Lob."
    for bad in ({"de": ""}, {"de": 3}, {"german": "Lob."}, {}, ["Lob."]):
        with pytest.raises(RuleError, match="message"):
            load_rules("en", extra_rules=[{**plain, "message": bad}])


def test_tooltips_and_data_speak_the_interface_language():
    """The tooltip of an English article's mark on a German site, analysis.json's cue and
    claims.csv: in the interface language; the rules page's kind and level too."""
    from pressreview.model import Article, Sentence
    from pressreview.render import Marker, analysis_document, attr, environment, load_strings

    cue = load_rules("en").find("The shares could rise further.")[0]
    sentence = Sentence("s1", "The shares could rise further.", 0, ("speculative",), (cue,))
    article = Article("a", "a.txt", "0", "T", "headline", None, "", "en", "detected", (), sentences=(sentence,))
    env = environment()
    for interface, label, words in (("de", "spekulativ", "Ein Modalverb"), ("en", "speculative", "A modal verb")):
        strings = load_strings(env, interface)
        tip = Marker(article, strings).cue(cue, "could")
        assert f'data-pr-tip="{attr(label + ": " + words)}' in tip, tip
        doc = analysis_document([article], [], strings)
        found = doc["articles"][0]["sentences"][0]["cues"][0]
        assert found["message"].startswith(words) and found["kind"] == "hedge" and found["rule"] == cue.rule
    page = env.get_template("rules.md.j2").render(
        packs=[{"language": "en", "rules": load_rules("en").rules[:1], "conditions": {}}],
        t=load_strings(env, "de"), lang="de")
    assert "Art: Vermutung · Hinweis" in page and "hedge" not in page.replace("en.hedge", "")
    assert '<span lang="en">' in page  # the English examples, quoted on a German page
