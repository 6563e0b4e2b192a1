"""compare: the corpus -> comparisons, i.e. facts reported by at least two ARTICLES, each
with a status: differ (the difference stated in words), compatible (bounds, approximations
and ranges that overlap: "über 50" and "über 52"), or agree (the same value up to rounding).
A number only one article gives is no topic: it stays that article's figure.

Automatic alignment (no library does this for a handful of news articles, so it is written
here, small and with its knobs in rules/compare.yml):
- The story gate: statements are only compared between articles that share named entities
  (capitalised words that do not open a sentence, with aliases: Saxony-Anhalt = Sachsen-Anhalt)
  AND a quantity (same kind, unit and value), and in one language also tell the same story by
  their tf-idf word vectors (`min_story_similarity`). Shared words alone never make a story.
- Two quantities can state the same fact when they have the same kind and unit and values
  within `max_ratio` of each other (blocked: sorted values, a sliding window, at most
  `max_comparisons` each: linear, no all-pairs loop). They are aligned when the words around
  them overlap enough: words are mapped to bilingual concepts OF THEIR OWN LANGUAGE (so
  "Wandelanleihe" meets "convertible bond", but "regularly" never becomes "Regularien") or cut
  to a crude stem, weighted by inverse sentence frequency. Aligned pairs are joined into
  groups (union-find); an article counts once per topic, its repeats are kept as mentions.
- The headline value is the one most articles give (ties: the earliest article). The label is
  a short noun phrase from the numbers' clauses (HanTa part-of-speech tags), in the interface
  language where an article in it reports the fact, without promotional words (the claim
  rules' cues). The id is derived from the fact (kind, unit, headline value, shared entities),
  never from the label, so adding an unrelated article renames nothing.

Curated topics come from an optional comparisons.yml beside the input folder:

    - topic: Dreijahres-Investition
      terms: [Investition, investieren, invest]
      unit: USD          # optional: only quantities in this unit
      kind: money        # optional
"""

from __future__ import annotations

import logging
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import safeyaml
from .model import Article, Comparison, Quantity, Statement
from .safeyaml import shown

log = logging.getLogger("pressreview")
RULES_FILE = Path(__file__).parent / "rules" / "compare.yml"
WORD = re.compile(r"[^\W\d_][\w-]*")


class CompareError(ValueError):
    pass


@lru_cache(maxsize=1)
def config() -> dict[str, Any]:
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def _stopwords(language: str) -> frozenset[str]:
    words = config()["stopwords"]
    return frozenset(words.get(language, [])) | frozenset(words.get("en", []))


@lru_cache(maxsize=8)
def _phrases(language: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """A concept's names of several words, for this language only."""
    return tuple((f"@{name}", re.compile(phrase)) for name, entry in config()["concepts"].items()
                 for phrase in (entry.get("phrases") or {}).get(language, []))


@lru_cache(maxsize=8)
def _any_phrase(language: str) -> re.Pattern[str] | None:
    """One pattern that matches where any of the language's phrases does: most texts hold none,
    and then one search replaces one per phrase."""
    phrases = [rx.pattern for _, rx in _phrases(language)]
    return re.compile("|".join(f"(?:{p})" for p in phrases)) if phrases else None


def _phrase_terms(text: str, language: str) -> list[str]:
    """The concepts whose names of several words occur in a (lower-case) text, in their order."""
    rx = _any_phrase(language)
    if rx is None or not rx.search(text):
        return []
    return [term for term, rx in _phrases(language) if rx.search(text)]


def _terms(text: str, language: str) -> list[str]:
    """Concept ids and stems of the content words of a text."""
    return list(_cached_terms(text, language))


@lru_cache(maxsize=200_000)  # a sentence repeated (a wire report in several outlets) is read once
def _cached_terms(text: str, language: str) -> tuple[str, ...]:
    text = text.lower()
    out = _phrase_terms(text, language)  # names of several words: "drei Jahre"
    for word in WORD.findall(text):
        out += _word_terms(word, language)
    return tuple(out)


@lru_cache(maxsize=200_000)
def _word_terms(word: str, language: str) -> tuple[str, ...]:
    """The terms of one lower-case word: parts of hyphenated compounds count on their own."""
    stop = _stopwords(language)
    out = []
    for part in [p for p in word.split("-") if p] or [word]:
        if part in stop or len(part) < 2:
            continue
        concept = _concept(part, language)
        if concept:
            out.append(f"@{concept}")
        elif len(part) >= 4:
            out.append(part[: config()["stem_chars"]])
    return tuple(out)


@lru_cache(maxsize=8)
def _prefix_index(language: str) -> dict[str, tuple[int, str]]:
    """Each prefix of this language -> (its place in compare.yml's order of concepts and
    prefixes, the concept): the first place wins where a prefix is listed twice."""
    index: dict[str, tuple[int, str]] = {}
    for name, entry in config()["concepts"].items():
        for prefix in (entry.get("prefixes") or {}).get(language, []):
            index.setdefault(prefix, (len(index), name))
    return index


@lru_cache(maxsize=20000)
def _concept(word: str, language: str) -> str:
    """The concept a word of this language names: German prefixes for German words only. The
    first concept (in compare.yml's order) with a prefix the word starts with; a prefix of two
    letters or fewer only for the whole word."""
    index = _prefix_index(language)
    found = [index[word[:k]] for k in range(3, len(word) + 1) if word[:k] in index]
    if len(word) <= 2 and word in index:
        found.append(index[word])
    return min(found)[1] if found else ""


@dataclass
class _Candidate:
    article: Article
    index: int  # sentence index in the article
    quantity: Quantity
    terms: frozenset[str]  # the sentence and its neighbours
    local: frozenset[str]  # the words right around the quantity
    clause: str = ""  # the clause the quantity stands in
    names: frozenset[str] = frozenset()  # the names in the sentence and its neighbours
    sentence: frozenset[str] = frozenset()  # the terms of its own sentence


BARE_NUMBER = re.compile(r"(?<![\d.,])\d+(?![.,]?\d)")  # "14- bis 29-Jährigen": 14, 29


def number_terms(art: Article) -> list[list[tuple[int, int, str]]]:
    """Per sentence the numbers it holds as terms that no language changes ('#117000000' for
    "117 Millionen Euro" and "€117m", '#14' for "14- bis 29-Jährigen"), with their offsets: the
    other numbers around a number say what it is about in any language ("90 Millionen Pfund
    (117 Millionen Euro)" = "£90m (€117m)")."""
    position = {s.id: i for i, s in enumerate(art.sentences)}
    out: list[list[tuple[int, int, str]]] = [[] for _ in art.sentences]
    for q in art.quantities:
        if q.sentence_id in position:
            out[position[q.sentence_id]].append((q.start, q.end, f"#{q.value:.4g}"))
    for i, s in enumerate(art.sentences):
        spans = [(a, b) for a, b, _ in out[i]]
        out[i] += [(m.start(), m.end(), f"#{int(m.group()):.4g}") for m in BARE_NUMBER.finditer(s.text)
                   if not any(a <= m.start() < b for a, b in spans)]
    return out


def _candidates(art: Article, kinds: set[str], sentence_terms: list[list[str]],
                sentence_names: list[set[str]] | None = None,
                numbers: list[list[tuple[int, int, str]]] | None = None) -> list[_Candidate]:
    """The quantities of one article that may be compared, in reading order. An article
    repeating the same value more than `max_repeats` times contributes only its first
    mentions, and an article contributes at most `max_candidates` (keeps the work linear)."""
    cfg = config()
    position = {s.id: i for i, s in enumerate(art.sentences)}
    skip_units = {str(u).lower() for u in cfg.get("skip_units", [])}
    seen: Counter = Counter()
    windows: dict[int, frozenset[str]] = {}  # per sentence, however many numbers it holds
    breaks: dict[int, list[int]] = {}
    clauses: dict[tuple[int, int, int], frozenset[str]] = {}
    out: list[_Candidate] = []
    for q in art.quantities:
        if (q.measure or q.kind) not in kinds and q.kind not in kinds or q.unit.lower() in skip_units:
            continue
        seen[(q.kind, q.unit, q.value, q.value_to)] += 1
        if seen[(q.kind, q.unit, q.value, q.value_to)] > cfg["max_repeats"]:
            continue
        if len(out) == cfg["max_candidates"]:
            log.info("%s: only the first %d quantities are compared with other articles (max_candidates in "
                     "compare.yml)", art.source_path, len(out))
            break
        i = position[q.sentence_id]
        text = art.sentences[i].text
        if i not in windows:
            window = " ".join(s.text for s in art.sentences[max(0, i - 1): i + 2]).lower()
            windows[i] = frozenset(t for ts in sentence_terms[max(0, i - 1): i + 2] for t in ts).union(
                _phrase_terms(window, art.language)).union(  # a name across two sentences
                t for ns in (numbers or [])[max(0, i - 1): i + 2] for _, _, t in ns)
            breaks[i] = [m.start() for m in CLAUSE_BREAK.finditer(text)]
        begin, end = _clause_bounds(breaks[i], q.start, q.end, len(text), text)
        if (i, begin, end) not in clauses:
            clauses[(i, begin, end)] = frozenset(_terms(text[begin:end], art.language)).union(
                t for a, _, t in (numbers[i] if numbers else []) if begin <= a < end)
        own = f"#{q.value:.4g}"  # its own value is no context: equal values would always share it
        near = frozenset(n for ns in (sentence_names or [])[max(0, i - 1): i + 2] for n in ns)
        own_sentence = frozenset(sentence_terms[i]).union(t for _, _, t in (numbers[i] if numbers else []))
        out.append(_Candidate(art, i, q, windows[i] - {own}, clauses[(i, begin, end)] - {own},
                              text[begin:end].strip(), near, own_sentence - {own}))
    return out


CLAUSE_BREAK = re.compile(r"[;:()\[\]–—]|(?<!\d),|,(?!\d)")  # a decimal comma ("11,3") breaks nothing


def _clause_bounds(breaks: list[int], start: int, end: int, length: int, text: str = "") -> tuple[int, int]:
    """A number alone in brackets ("jeder Fünfte (19 Prozent) behält", "£90m (€117m)") belongs
    to the clause around the brackets: then the brackets do not break."""
    k = bisect_left(breaks, start)
    m = bisect_left(breaks, end)
    begin, stop = (breaks[k - 1] + 1 if k else 0), (breaks[m] if m < len(breaks) else length)
    if text and begin and stop < length and text[begin - 1] in "([" and text[stop] in ")]" and not WORD.search(
            text[begin:start] + text[end:stop]):
        inner = [b for b in breaks if b not in (begin - 1, stop)]
        return _clause_bounds(inner, start, end, length)
    return begin, stop


def clause(text: str, start: int, end: int) -> str:
    """The clause a number stands in: up to the nearest comma, colon, bracket or dash."""
    begin, stop = _clause_bounds([m.start() for m in CLAUSE_BREAK.finditer(text)], start, end, len(text), text)
    return text[begin:stop]


def _unit_vector(counts: Counter, idf: dict[str, float]) -> dict[str, float]:
    """An article as a unit tf-idf vector of its terms, to tell whether two articles tell the
    same story."""
    weights = {t: n * idf.get(t, 1.0) for t, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def cosine(u: dict[str, float], v: dict[str, float]) -> float:
    if len(v) < len(u):
        u, v = v, u
    return sum(w * v[t] for t, w in u.items() if t in v)  # (a term v lacks adds 0.0: the same sum)


def similarity(a: AbstractSet[str], b: AbstractSet[str], idf: dict[str, float]) -> tuple[float, list[str]]:
    """The evidence that two contexts speak of the same thing: the summed weight of the words
    they share (1 = one word found nowhere else in the corpus), and those words by weight."""
    shared = sorted(a & b, key=lambda t: (-idf.get(t, 1.0), t))
    return sum(idf.get(t, 1.0) for t in shared), shared


@lru_cache(maxsize=1)
def _not_entities() -> frozenset[str]:
    cfg = config()
    words = {w for ws in cfg["stopwords"].values() for w in ws}
    return frozenset(words | {str(w).lower() for w in cfg.get("not_entities", [])})


@lru_cache(maxsize=200_000)
def _entity_key(word: str) -> str:
    """'Alibabas' and 'Alibaba' -> 'alibaba'; 'Saxony-Anhalt' -> 'sachsen-anhalt' (aliases)."""
    lw = word.lower()
    if len(lw) < 3 or lw in _not_entities():
        return ""
    lw = str(config().get("aliases", {}).get(lw, lw))
    return lw[:-1] if lw.endswith("s") and len(lw) > 4 else lw


OPENERS = frozenset(".!?:;„“\"«»‚‘([–—-")


@lru_cache(maxsize=100_000)
def _in_dictionary(word: str, language: str) -> bool:
    import simplemma

    return language in ("de", "en") and bool(simplemma.is_known(word, lang=language))


CAPITALISED = re.compile(r"(?<![\w-])[A-ZÀ-ÖØ-ÞĀ-ſ][\w-]*")  # the words entities() looks at (Latin capitals)


def entities(text: str, language: str = "") -> set[str]:
    return set(_entities(text, language))


@lru_cache(maxsize=200_000)
def _entities(text: str, language: str) -> frozenset[str]:
    """The named entities of one sentence: capitalised words that do not open it and are no
    stopword, month or weekday, with their aliases (each part of a hyphenated name too).
    With a language: only NAMES, i.e. words its dictionary (simplemma's) does not know (an alias
    maps a name, it does not make one: "Deutschland" tells no story): German capitalises every noun, and "Dividende" or "Black Friday" tell no story;
    then a word the dictionary does not know counts at the start of a sentence too ("Voltaris
    shares jumped")."""
    out = set()
    aliases = config().get("aliases", {})
    for m in CAPITALISED.finditer(text):
        word = m.group()
        if not word[0].isupper():
            continue
        k = m.start() - 1  # the character before the word and its spaces: does the word open a sentence?
        while k >= 0 and text[k].isspace():
            k -= 1
        if (k < 0 or text[k] in OPENERS) and (not language or _in_dictionary(word, language)):
            continue  # opening a sentence, a capital says nothing, unless no dictionary knows the word
        known = word.lower() in aliases  # a name of several parts: no parts
        for part in [word] + (word.split("-") if "-" in word and not known else []):
            if part and part[0].isupper():
                key = _entity_key(part)
                if key and (not language or not _in_dictionary(part, language)):
                    out.add(key)
    return frozenset(out)


def _round(q: Quantity) -> bool:
    """A whole number of at most `round_digits` significant digits (47 %, 12, 50.000 Dollar, 70
    Cent) is often the same by chance; 1,8 %, 2,4 Mrd. or 48,20 Euro rarely is. A date (the
    `exact_kinds`) is common too: many reports of one day give it."""
    if q.kind in config()["exact_kinds"]:
        return True
    number = NUMBER.search(q.text)
    written = number.group().rstrip(".,’' \u202f\u00a0") if number else ""
    if re.search(r"[.,]\d{1,2}$", written):  # decimals written
        return False
    digits = f"{abs(q.value):.6g}".split("e")[0].replace(".", "").strip("0")
    return len(digits) <= config()["round_digits"]


def _block(q: Quantity) -> tuple[str, str]:
    """What a quantity measures, the same in every language: its measure (price per share,
    share count, percentage points ... as quantities.py names it) and its unit, except for plain
    counts, whose unit is a word of the article's language ("3,5 Millionen US-Bürger", "13 million
    devices"): for them the words around the number decide."""
    measure = q.measure or q.kind
    return measure, "" if measure in config()["counts_without_unit"] else q.unit


def _numbers_in(terms: AbstractSet[str]) -> set[str]:
    return {t for t in terms if t.startswith("#")}


def _quantity_key(q: Quantity) -> tuple[str, str, str, str]:
    return *_block(q), f"{q.value:.3g}", "" if q.value_to is None else f"{q.value_to:.3g}"


def same_value(a: Quantity, b: Quantity, tolerance: float) -> bool:
    def close(x: float | None, y: float | None) -> bool:
        if x is None or y is None:
            return x is y
        return abs(x - y) <= tolerance * max(abs(x), abs(y))

    return close(a.value, b.value) and close(a.value_to, b.value_to)


NUMBER = re.compile(r"\d[\d.,’'\u202f\u00a0]*")


def _half_step(st: Statement) -> float:
    """Half the last digit written: '2,4 Mrd.' stands for 2,35 ... 2,45 Mrd."""
    m = NUMBER.search(st.quantity)
    if not m:
        return 0.0
    digits = m.group().rstrip(".,’' \u202f\u00a0")
    seps = [k for k, ch in enumerate(digits) if not ch.isdigit()]
    decimals = 0
    if seps and digits[seps[-1]] in ".," and len(digits) - seps[-1] - 1 != 3:
        decimals = len(digits) - seps[-1] - 1
    integer = re.sub(r"\D", "", digits[: seps[-1]] if decimals else digits)
    written = float(integer or 0) + (float("0." + digits[seps[-1] + 1:]) if decimals else 0.0)
    if not written:
        return 0.0
    return abs(st.value) / written * 10 ** -decimals / 2


def _qualifier(st: Statement) -> str:
    """The qualifier the quantity reader found ("über 50" -> over; its word lists are in
    rules/quantities.yml, and it knows that "Anleihe über 3,2 Mrd." is no bound)."""
    return st.qualifier


def _interval(st: Statement) -> tuple[float, float, str]:
    """The values a statement allows, and which sort of statement it is."""
    cfg = config()
    v, q, approx = st.value, _qualifier(st), cfg["approx"]
    if st.value_to is not None:
        return min(v, st.value_to), max(v, st.value_to), "range"
    if q in cfg["lower_bound"]:
        return v, math.inf, "lower"
    if q in cfg["upper_bound"]:
        return -math.inf, v, "upper"
    if q in cfg["about"]:
        return v * (1 - approx), v * (1 + approx), "about"
    if q in cfg["nearly"]:
        return v * (1 - cfg["nearly_approx"]), v, "about"
    half = max(_half_step(st), cfg["tolerance"] * abs(v))
    return v - half, v + half, "exact"


def _firsts(statements: list[Statement]) -> list[Statement]:
    """Each article once: its first statement (the repeats are mentions)."""
    seen: set[str] = set()
    out = []
    for s in statements:
        if s.article not in seen:
            seen.add(s.article)
            out.append(s)
    return out


def _number(value: float, language: str) -> str:
    from babel.numbers import format_compact_decimal, format_decimal

    if abs(value) >= 1e6:
        return str(format_compact_decimal(value, locale=language, fraction_digits=2))
    return str(format_decimal(round(value, 2), locale=language))


def judge(statements: list[Statement], language: str, order: dict[str, int] | None = None) -> tuple[str, Statement, str]:
    """(status, headline statement, the status in words) of one topic; an article counts once.
    The headline is the value most articles give (ties: the article first in `order`)."""
    cfg = config()
    words = cfg["words"].get(language, cfg["words"]["en"])
    reps = _firsts(statements)
    rank = order or {}
    reps.sort(key=lambda s: rank.get(s.article, len(rank)))
    tol = cfg["tolerance"]

    def equal(a: Statement, b: Statement) -> bool:
        return same_value(Quantity("", a.value, a.unit, "", "", value_to=a.value_to),
                          Quantity("", b.value, b.unit, "", "", value_to=b.value_to), tol)

    support = [sum(equal(r, other) for other in reps) for r in reps]
    headline = reps[support.index(max(support))]
    values = "; ".join(dict.fromkeys(r.quantity for r in reps))
    if len(reps) < 2:
        return "single", headline, ""
    if all(equal(r, headline) and _qualifier(r) == _qualifier(headline) for r in reps):
        return "agree", headline, words["agree"].format(n=len(reps), value=headline.quantity)
    intervals = [_interval(r) for r in reps]
    low, high = max(i[0] for i in intervals), min(i[1] for i in intervals)
    if all(i[2] == "exact" for i in intervals) and all(  # one is the other rounded: 2,4 and 2,38, not 0,6 and 0,7
            x[0] <= q.value <= x[1] or y[0] <= r.value <= y[1] for r, x in zip(reps, intervals)
            for q, y in zip(reps, intervals)):
        return "agree", headline, words["rounding"].format(values=values)
    if low <= high and not all(i[2] == "exact" for i in intervals):  # exact values that are not the same differ
        key = "compatible_bounds" if all(i[2] == "lower" for i in intervals) else "compatible"
        return "compatible", headline, words[key].format(values=values)
    lo = min(reps, key=lambda r: r.value)
    hi = max(reps, key=lambda r: r.value)
    diff = hi.value - lo.value
    if lo.unit in ("%", "pp"):
        return "differ", headline, words["differ_points"].format(low=lo.quantity, high=hi.quantity,
                                                               diff=_number(diff, language))
    from babel.numbers import format_percent

    rel = str(format_percent(diff / abs(lo.value), locale=language, format="#,##0.#\u00a0%" if language == "de"
                             else "#,##0.#%")) if lo.value else ""
    unit = f" {lo.unit}" if lo.unit and lo.unit not in ("x",) else ""
    return "differ", headline, words["differ"].format(low=lo.quantity, high=hi.quantity,
                                                      diff=_number(diff, language) + unit, rel=rel)


def status_of(statements: list[Statement], tolerance: float) -> str:
    """The status of statements (kept for callers of the old interface)."""
    return judge(statements, "en")[0]


def _statement(c: _Candidate, mention: int = 1) -> Statement:
    s = c.article.sentences[c.index]
    q = c.quantity
    return Statement(c.article.id, s.id, s.text, q.text, q.value, q.unit, q.qualifier, q.value_to,
                     q.kind, c.clause, mention)


@lru_cache(maxsize=4)
def _tagger(language: str) -> Any:
    """HanTa's tagger for German or English (the models ship in the package)."""
    from HanTa import HanoverTagger

    tagger = HanoverTagger.HanoverTagger("morphmodel_ger.pgz" if language == "de" else "morphmodel_en.pgz")
    # A word the model's own cache does not hold is analysed anew in every clause it stands in
    # (most of a label's time): both analyses are functions of the word (and tag) alone, and
    # their results are only read, so each is made once.
    tagger.analyze_forward = lru_cache(maxsize=100_000)(tagger.analyze_forward)
    tagger._analyze = lru_cache(maxsize=100_000)(tagger._analyze)
    return tagger


TOKEN = re.compile(r"[^\W\d_][\w-]*|\d[\d.,]*\d|\d|\S")
NOUNS = {"de": ("NN", "NE"), "en": ("NN", "NP")}
PROPER = {"de": "NE", "en": "NP"}
LINKERS = {"de": {"der", "des", "von", "vom"}, "en": {"of"}}
ATTACH = {"de": ("ART", "ADJA", "PPOSAT"), "en": ("AT", "AJ", "DPS", "POS")}


def _tagged(text: str, language: str) -> list[tuple[int, str, str, str]]:
    """(offset, word, lemma in lower case, tag) of each token, tagged by HanTa."""
    spans = [(m.start(), m.group()) for m in TOKEN.finditer(text)]
    if not spans:
        return []
    tags = _tagger(language).tag_sent([w for _, w in spans], taglevel=1)
    return [(start, word, str(lemma).lower(), str(tag)) for (start, word), (_, lemma, tag) in zip(spans, tags)]


def noun_phrase(clause_text: str, language: str, number_at: int = -1) -> str:
    return _noun_phrase(clause_text, language, number_at)[0]


@lru_cache(maxsize=50_000)  # a sentence repeated (a wire report in several outlets) is tagged once
def _noun_phrase(clause_text: str, language: str, number_at: int = -1) -> tuple[str, bool]:
    """A short noun phrase naming what the number in a clause measures: the content noun
    nearest before the number (else the first after it); in English with the nouns right
    before it ("Voltaris shares", "capital increase"); a genitive or von/of complement kept or,
    when the nearest noun is one, its head ("Kurssprung der Aktie", "Kapitalerhöhung von
    Voltaris"). Promotional words (the claim rules' cues), unit, scale and time nouns never
    enter. '' when the clause names nothing. The flag: the noun names the number directly
    ("Wandelanleihe über 3,2 Mrd.", "bond of $3.2bn")."""
    from .claims import load_rules

    if language not in NOUNS or not clause_text.strip():
        return "", False
    hype = [(c.start, c.end) for c in load_rules(language).find(clause_text) if c.category == "promotional"]
    tokens = _tagged(clause_text, language)
    bad = _not_entities() | {str(w).lower() for w in config()["label_skip"]}

    def noun(k: int) -> bool:
        start, word, lemma, tag = tokens[k]
        return (tag.startswith(NOUNS[language]) and word[0].isalpha() and word.lower() not in bad
                and lemma not in bad and not any(a <= start < b for a, b in hype))

    if number_at < 0:
        number_at = len(clause_text)
    before = [k for k in range(len(tokens)) if tokens[k][0] < number_at and noun(k)]
    after = [k for k in range(len(tokens)) if tokens[k][0] >= number_at and noun(k)]
    if not before and not after:
        return "", False
    common = [k for k in before if not tokens[k][3].startswith(PROPER[language])]
    head = common[-1] if common else before[-1] if before else after[0]  # a thing before a name
    between = [t[1].lower() for t in tokens[head + 1:] if t[0] < number_at]
    direct = bool(before) and all(w in config()["label_links"] for w in between)

    def word_of(k: int) -> str:  # "Milliarden-Dollar-Wandelanleihe" -> "Wandelanleihe"
        parts = tokens[k][1].split("-")
        while len(parts) > 1 and (parts[0].lower() in bad or not parts[0].isalpha()):
            parts = parts[1:]
        return "-".join(parts)

    words = [word_of(head)]
    # the nearest noun is a complement ("der Aktie", "of the company"): name its head first
    k = head - 1
    while k >= 0 and tokens[k][3].startswith(ATTACH[language]) and tokens[k][1].lower() not in LINKERS[language]:
        k -= 1
    if k >= 1 and tokens[k][1].lower() in LINKERS[language] and noun(k - 1):
        words = [word_of(k - 1)] + [t[1] for t in tokens[k: head + 1]]
        head = k - 1
    elif head + 2 < len(tokens) and tokens[head + 1][1].lower() in LINKERS[language]:
        k = head + 2
        while k < len(tokens) and tokens[k][3].startswith(ATTACH[language]) and k - head < 4:
            k += 1
        if k < len(tokens) and noun(k) and tokens[k][0] < max(number_at, tokens[head][0] + 1) or (
                k < len(tokens) and noun(k) and tokens[k][3].startswith(PROPER[language])):
            words += [t[1] for t in tokens[head + 1: k + 1]]
    if language == "en":
        k = head - 1
        while k >= 0 and noun(k) and len(words) < 5:
            words.insert(0, tokens[k][1])
            k -= 1
    return " ".join(words), direct


def _label(term: str, language: str, surface: dict[str, str]) -> str:
    if term.startswith("@"):
        return str(config()["concepts"][term[1:]]["label"].get(language, term[1:]))
    return surface.get(term, term)


def _surface_forms(articles: list[Article], stems: set[str]) -> dict[str, str]:
    """A readable word for each of these stems: the first word in the corpus that has it."""
    cfg = config()
    forms: dict[str, str] = {}
    for art in articles:
        for s in art.sentences:
            if len(forms) == len(stems):
                return forms
            for word in WORD.findall(s.text):
                for part in [word] + word.split("-"):
                    stem = part.lower()[: cfg["stem_chars"]]
                    if stem in stems:
                        forms.setdefault(stem, part)
    return forms


def align(articles: list[Article], language: str) -> list[Comparison]:
    """Block first: only quantities of one kind and unit whose values lie within `max_ratio`
    of each other are compared (sorted, then a sliding window), each with at most
    `max_comparisons` quantities of other articles and, in its own article, only with the
    same value. So the work grows with the number of quantities, not with its square."""
    cfg = config()
    kinds = set(cfg["kinds"])
    df: Counter = Counter()
    total = 0
    counts: dict[str, Counter] = {}
    candidates: list[_Candidate] = []
    names: dict[str, set[str]] = {}  # per article: its named entities
    numbers: dict[str, set[tuple[str, str, str, str]]] = {}  # per article: its quantities
    specific: dict[str, set[tuple[str, str, str, str]]] = {}  # ... those that are not round
    lang = {art.id: art.language for art in articles}
    sentences_of: dict[tuple[str, tuple[str, str, str, str]], set[int]] = defaultdict(set)
    for art in articles:
        sentence_terms = [_terms(s.text, art.language) for s in art.sentences]
        total += len(sentence_terms)
        numbers_in = number_terms(art)
        for ts, ns in zip(sentence_terms, numbers_in):
            df.update(set(ts).union(t for _, _, t in ns))
        sentence_names = [entities(s.text, art.language) for s in art.sentences]
        found = _candidates(art, kinds, sentence_terms, sentence_names, numbers_in)
        for c in found:
            sentences_of[(art.id, _quantity_key(c.quantity))].add(c.index)
        if found:  # only articles with candidates are ever compared
            counts[art.id] = Counter(t for ts in sentence_terms for t in ts)
            candidates += found
            names[art.id] = {e for ns in sentence_names for e in ns}
            facts = [c for c in found if c.quantity.kind not in cfg["exact_kinds"]]  # a date tells when, not what
            numbers[art.id] = {_quantity_key(c.quantity) for c in facts}
            specific[art.id] = {_quantity_key(c.quantity) for c in facts if not _round(c.quantity)}
    top_weight = math.log(1 + total)  # inverse sentence frequency: a word in one sentence weighs 1
    idf = {t: math.log(1 + total / n) / top_weight for t, n in df.items()}
    stories = {art_id: _unit_vector(c, idf) for art_id, c in counts.items()}
    del counts
    same_story: dict[tuple[str, str], bool] = {}
    by_names: dict[tuple[str, str], bool] = {}  # ... and whether shared names opened the gate

    def related(x: str, y: str) -> bool:
        key = (x, y) if x < y else (y, x)
        known = same_story.get(key)
        if known is not None:
            return known
        if key not in same_story:  # the story gate: shared names AND a shared number, not words alone
            shared_numbers = numbers[x] & numbers[y]
            named = (len(names[x] & names[y]) >= cfg["min_shared_entities"]
                     and len(shared_numbers) >= cfg["min_shared_quantities"])
            across = "" if lang[x] == lang[y] else "_across_languages"  # no words to compare there: more numbers
            ok = named or (len(shared_numbers) >= cfg["min_shared_quantities_without_names" + across]
                           and bool(shared_numbers & specific[x]))  # no shared name: several numbers, one not round
            if ok and lang[x] == lang[y]:
                ok = cosine(stories[x], stories[y]) >= cfg["min_story_similarity" if named else
                                                           "min_story_similarity_without_names"]
            same_story[key] = ok
            by_names[key] = named
        return same_story[key]

    links: list[tuple[int, int, float, list[str], bool]] = []  # ..., bool: tied by words (not only the value)

    def ambiguous(a: _Candidate, b: _Candidate) -> bool:
        """Both articles give the value in several sentences: maybe several facts (0,1 % in
        October, 0,1 % in September), so words must say which is which."""
        key = _quantity_key(a.quantity)
        return min(len(sentences_of[(a.article.id, key)]), len(sentences_of[(b.article.id, key)])) >= 2

    def consider(i: int, j: int) -> None:
        a, b = candidates[i], candidates[j]
        exact = a.quantity.kind in cfg["exact_kinds"]
        equal = same_value(a.quantity, b.quantity, 0.0 if exact else cfg["tolerance"])
        if exact and not equal:
            return  # another date is another fact
        if a.quantity.unit.lower() != b.quantity.unit.lower() and a.article.language == b.article.language:
            return  # counts of one language: "14 Verdächtige" are no "14 Menschen"
        if a.article.id != b.article.id and not related(a.article.id, b.article.id):
            return
        if a.article.id == b.article.id and (a.index == b.index or not equal):
            return
        pair = (min(a.article.id, b.article.id), max(a.article.id, b.article.id))
        if (a.article.id != b.article.id and by_names.get(pair) and (not equal or _round(a.quantity))
                and len(a.names & b.names) + len(_numbers_in(a.terms & b.terms)) < cfg["min_shared_names_near_number"]):
            return  # other or round values: the sentences around both numbers must name the same thing too
        score, shared = similarity(a.terms, b.terms, idf)
        if a.article.id == b.article.id:  # a repeat: neighbouring sentences share their neighbours, so
            score = similarity(a.sentence, b.sentence, idf)[0]  # their own words
        across = "_across_languages" if a.article.language != b.article.language else ""
        if equal and a.article.id != b.article.id and not _round(a.quantity):
            if not ambiguous(a, b):  # one story, one value that is not round, one fact in each:
                links.append((min(i, j), max(i, j), score, shared, False))  # no words needed (Mieten = rents)
                return  # ... if they are each other's best match
            # the value in several sentences of both (0,1 % in October, 0,1 % in September): their own
            # sentences and clauses tie them, or else the neighbours, for each statement's best match only
            own = similarity(a.sentence, b.sentence, idf)[0] + similarity(a.local, b.local, idf)[0]
            if max(own, score) >= cfg["min_similarity_same_value" + across]:
                links.append((min(i, j), max(i, j), score + own, shared, own >= cfg["min_similarity_same_value" + across]))
            return
        local = similarity(a.local, b.local, idf)[0] if not equal else 0.0
        if not equal:
            score += local  # other values: the words right around both numbers count twice
        if score < cfg[("min_similarity_same_value" if equal else "min_similarity_other_value") + across]:
            return
        if not equal and local < cfg["min_local_similarity_other_value"]:
            return  # other values: the words right around both numbers must meet too
        links.append((min(i, j), max(i, j), score, shared, equal))

    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k in sorted(range(len(candidates)), key=lambda k: abs(candidates[k].quantity.value)):
        blocks[_block(candidates[k].quantity)].append(k)
    limit, ratio, tolerance = cfg["max_comparisons"], cfg["max_ratio"], cfg["tolerance"]
    exact_kinds = set(cfg["exact_kinds"])
    for order in blocks.values():
        value = [abs(candidates[k].quantity.value) for k in order]
        owner = [candidates[k].article.id for k in order]
        # what consider() rejects first, without a call: another date (an exact kind) and counts
        # of one language in other units
        exact = [candidates[k].quantity.kind in exact_kinds for k in order]
        unit = [candidates[k].quantity.unit.lower() for k in order]
        language_at = [candidates[k].article.language for k in order]
        own: dict[str, list[int]] = defaultdict(list)  # positions in the block, per article
        same_unit: dict[tuple[str, str], list[int]] = defaultdict(list)  # ... per language and unit
        in_language: dict[str, list[int]] = defaultdict(list)  # ... per language
        for p, art_id in enumerate(owner):
            own[art_id].append(p)
            same_unit[(language_at[p], unit[p])].append(p)
            in_language[language_at[p]].append(p)
        for n, i in enumerate(order):
            if value[n] == 0:
                continue
            # other articles: the next `limit` quantities of other articles within max_ratio (for a
            # date: of the same value), i.e. up to `last`, the limit-th position no own one ...
            mine, v = own[owner[n]], value[n]
            before = bisect_right(mine, n)
            last, mine_within = n + limit, 0
            while (k := bisect_right(mine, last) - before) != mine_within:
                mine_within, last = k, n + limit + k
            # ... before the first value too far off (sorted: from there on all are)
            stop = bisect_right(value, ratio, n + 1, len(order), key=lambda x: x / v)
            if exact[n]:
                stop = min(stop, bisect_right(value, v, n + 1))
            last = min(last, stop - 1)
            # of those, the ones consider() reads further: the same unit, or another language
            lists = [same_unit[(language_at[n], unit[n])]] + [ps for lg, ps in in_language.items() if lg != language_at[n]]
            window = [q for ps in lists for q in ps[bisect_right(ps, n): bisect_right(ps, last)]]
            if len(lists) > 1:
                window.sort()
            for p in window:
                if owner[p] != owner[n] and same_story.get(
                        (owner[n], owner[p]) if owner[n] < owner[p] else (owner[p], owner[n])) is not False:
                    consider(i, order[p])  # (not for articles the story gate has kept apart)
        for positions in own.values():  # its own article: only the same value (within tolerance)
            for m, n in enumerate(positions):
                if value[n] == 0:
                    continue
                for p in positions[m + 1: m + 1 + limit]:
                    if value[p] / value[n] > ratio or value[p] - value[n] > tolerance * value[p]:
                        break
                    consider(order[n], order[p])

    # A different value is the same fact reported differently only if the two statements are
    # each other's best match in the other article (so is an equal value that no words tie).
    best: dict[tuple[int, str, bool], float] = {}  # per statement, article and equal value or not
    matched: set[tuple[int, str]] = set()  # statements with an equal value in that article: no other value there
    for i, j, score, _, equal in links:
        same = same_value(candidates[i].quantity, candidates[j].quantity, tolerance)
        for x, y in ((i, j), (j, i)):
            best[(x, candidates[y].article.id, same)] = max(best.get((x, candidates[y].article.id, same), 0.0), score)
            if same:
                matched.add((x, candidates[y].article.id))
    parent = list(range(len(candidates)))
    shared_terms: dict[int, Counter] = defaultdict(Counter)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, score, shared, equal in links:
        same = same_value(candidates[i].quantity, candidates[j].quantity, tolerance)
        if not equal and (score < best[(i, candidates[j].article.id, same)] or score < best[(j, candidates[i].article.id, same)]):
            continue
        if not same and (
                (i, candidates[j].article.id) in matched or (j, candidates[i].article.id) in matched):
            continue  # 33,2 % has its 33,24 % there: 28,14 % is another fact
        parent[find(j)] = find(i)
        # the subject: words shared in the numbers' own clauses count twice
        near = similarity(candidates[i].local, candidates[j].local, idf)[1][:3]
        for k in (i, j):
            shared_terms[k].update(shared[:4])
            shared_terms[k].update(near)

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(candidates)):
        groups[find(i)].append(i)
    rank = _article_order(articles)
    topics = []
    for members in groups.values():
        cands = sorted((candidates[i] for i in members), key=lambda c: (rank[c.article.id], c.index, c.quantity.start))
        if len({c.article.id for c in cands}) < 2:
            continue  # one article's figure, not a topic
        terms: Counter = Counter()
        for i in members:
            terms.update(shared_terms[i])
        top = [t for t, _ in sorted(terms.items(), key=lambda kv: (-kv[1], -idf.get(kv[0], 1.0), kv[0]))[:3]]
        topics.append((cands, top))
    in_topics = {c.article.id for cands, _ in topics for c in cands}  # read only the articles of topics
    surface = _surface_forms([a for a in articles if a.id in in_topics],  # (a number, '#12', is no word)
                             {t for _, top in topics for t in top if not t.startswith(("@", "#"))})
    comparisons = []
    for cands, top in topics:
        mentions: Counter = Counter()
        statements = []
        for c in cands:
            mentions[c.article.id] += 1
            statements.append(_statement(c, mentions[c.article.id]))
        status, headline, reason = judge(statements, language, rank)
        labels = tuple(_label(t, language, surface) for t in top)
        named_here = _shared_entities(statements, lang)
        comparisons.append(Comparison("", topic_label(statements, headline, lang, language, labels), status,
                                      tuple(statements), "auto", labels, headline.quantity, reason, named_here,
                                      headline.kind, headline.unit))
    return comparisons


def _article_order(articles: list[Article]) -> dict[str, int]:
    """Articles from the earliest (dated before undated), then in input order."""
    ordered = sorted(range(len(articles)), key=lambda k: (articles[k].date is None, articles[k].date or "", k))
    return {articles[k].id: n for n, k in enumerate(ordered)}


def _shared_entities(statements: list[Statement], lang: dict[str, str]) -> tuple[str, ...]:
    """The names (see entities) at least two articles give in the sentences of their statements,
    sorted (at most 3): they only depend on those sentences, so other articles never change them."""
    per_article: dict[str, set[str]] = defaultdict(set)
    for s in statements:
        if s.mention == 1:
            per_article[s.article] |= entities(s.text, lang.get(s.article, ""))
    count = Counter(e for es in per_article.values() for e in es)
    return tuple(sorted(e for e, n in count.items() if n >= 2)[:3])


def topic_id(c: Comparison) -> str:
    """The fact, not the words: kind, unit, headline value (3 significant digits) and the
    shared entities. Adding an unrelated article changes none of them."""
    value = next((s.value for s in c.statements if s.quantity == c.headline), c.statements[0].value)
    from babel.numbers import format_compact_decimal

    number = str(format_compact_decimal(float(f"{value:.3g}"), locale="en", fraction_digits=2))
    parts = [c.kind or "fact", "" if c.unit == "%" else c.unit, number]  # "percent-11-3", "money-usd-3-2b"
    return "-".join([p for p in parts if p] + list(c.entities))


def topic_label(statements: list[Statement], headline: Statement, lang: dict[str, str], language: str,
                fallback: tuple[str, ...] = ()) -> str:
    """A short noun phrase from the numbers' clauses, from an article in the interface language
    where one reports the fact (the headline value's statements first); never empty."""
    cfg = config()
    own = [s for s in statements if lang.get(s.article) == language] or statements
    clause_terms: dict[str, set[str]] = defaultdict(set)
    for s in statements:
        clause_terms[s.article].update(_terms(s.clause or s.text, lang.get(s.article, language)))
    best: tuple[int, str] = (-1, "")
    for s in own[: cfg["label_statements"]]:  # each phrase scored: it names the number directly (2),
        text = (s.clause or s.text)[:600]      # another article's clause says it too (1)
        phrase, direct = _noun_phrase(text, lang.get(s.article, language), text.find(s.quantity))
        if not phrase and len(s.text) <= 600:  # the clause names nothing ("die 900 Millionen Euro kosten soll")
            phrase, direct = _noun_phrase(s.text, lang.get(s.article, language), s.text.find(s.quantity))
        if not phrase:
            continue
        head = set(_terms(phrase, lang.get(s.article, language)))
        echoed = any(head & ts for art, ts in clause_terms.items() if art != s.article)
        score = 2 * direct + echoed
        if score > best[0]:
            best = (score, phrase)
        if score == 3:
            break  # it names the number and another article says it too: no better phrase
    if best[1]:
        return best[1]
    concepts = [f for f in fallback if f]
    if concepts:
        return concepts[0]
    words = cfg["words"].get(language, cfg["words"]["en"])["kind"]
    return str(words.get(headline.kind, headline.kind or "?"))


def load_curated(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    try:
        data = safeyaml.load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise CompareError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(data, list):
        raise CompareError(f"{path.name}: must be a list of topics (- topic: …, terms: […])")
    for n, entry in enumerate(data, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("topic"), str) or not entry.get("terms"):
            raise CompareError(f"{path.name}: topic {n}: needs 'topic' (text) and 'terms' (a list of words)")
        unknown = set(entry) - {"topic", "terms", "unit", "kind"}
        if unknown:
            raise CompareError(f"{path.name}: topic {shown(entry['topic'])}: unknown key {shown(sorted(map(str, unknown))[0])}")
    return data


def curated(articles: list[Article], topics: list[dict[str, Any]], language: str = "en") -> list[Comparison]:
    rank = _article_order(articles)
    out = []
    for topic in topics:
        prefixes = [str(t).lower() for t in topic["terms"]]
        statements = []
        for art in sorted(articles, key=lambda a: rank[a.id]):
            sentences = {s.id: s for s in art.sentences}
            mention = 0
            for q in art.quantities:
                if topic.get("unit") and q.unit != topic["unit"]:
                    continue
                if topic.get("kind") and q.kind != topic["kind"]:
                    continue
                words = [w for w in WORD.findall(sentences[q.sentence_id].text.lower())]
                if any(w.startswith(p) or any(part.startswith(p) for part in w.split("-")) for w in words for p in prefixes):
                    s = sentences[q.sentence_id]
                    mention += 1
                    statements.append(Statement(art.id, s.id, s.text, q.text, q.value, q.unit, q.qualifier, q.value_to,
                                                q.kind, clause(s.text, q.start, q.end).strip(), mention))
        if statements:
            status, headline, reason = judge(statements, language, rank)
            out.append(Comparison("", topic["topic"], status, tuple(statements), "curated",
                                  tuple(str(t) for t in topic["terms"]), headline.quantity, reason,
                                  _shared_entities(statements, {a.id: a.language for a in articles}), headline.kind,
                                  headline.unit))
    return out


STATUS_ORDER = {"differ": 0, "compatible": 1, "agree": 2, "single": 3}


def compare(articles: list[Article], language: str, curated_file: Path | None = None) -> list[Comparison]:
    """The topics a reader needs first: differ, then compatible, then agree (curated topics
    before automatic ones of the same status), each with a unique id. An automatic topic's id
    comes from its fact (topic_id), a curated one's from its name."""
    from dataclasses import replace

    from .render import Slugs, make_slug

    found = curated(articles, load_curated(curated_file), language) if curated_file else []
    found += align(articles, language)
    slugs = Slugs("index")
    named = {}
    for n in sorted(range(len(found)), key=lambda n: (found[n].origin != "curated",
                                                      found[n].subject if found[n].origin == "curated" else topic_id(found[n]),
                                                      found[n].statements[0].article, found[n].statements[0].sentence_id)):
        c = found[n]
        named[n] = make_slug(c.subject if c.origin == "curated" else topic_id(c), slugs)
    found = [replace(c, id=named[n]) for n, c in enumerate(found)]
    same_words = Counter(c.subject for c in found if c.origin == "auto")
    found = [replace(c, subject=f"{c.subject}: {c.headline}") if c.origin == "auto" and same_words[c.subject] > 1
             else c for c in found]  # two facts of one subject ("Aktie von Voltaris"): the value tells them apart
    found.sort(key=lambda c: (STATUS_ORDER.get(c.status, 4), c.origin != "curated", -len(c.articles), c.id))
    return found
