"""compare: the corpus -> comparisons, i.e. statements about the same fact in several
articles, each group with a status: agree, differ, or single (only one article says it).

Automatic alignment (no library does this for a handful of news articles, so it is written
here, small and with its knobs in rules/compare.yml): statements are only compared between
articles that tell the same story (cosine similarity of their tf-idf word vectors at least
`min_story_similarity`). Two quantities can state the same fact when they have the same
kind and unit and values within `max_ratio` of each other. They
are aligned when the words around them (the sentence and its neighbours) overlap enough:
words are mapped to bilingual concepts (so "Wandelanleihe" meets "convertible bond") or cut
to a crude stem, and weighted by inverse sentence frequency so that words found everywhere
in the corpus ("Alibaba") count little. Aligned pairs are joined into groups (union-find).

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
from bisect import bisect_left
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


@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((f"@{name}", re.compile(phrase)) for name, entry in config()["concepts"].items()
                 for phrase in entry.get("phrases", []))


def _terms(text: str, language: str) -> list[str]:
    """Concept ids and stems of the content words of a text."""
    text = text.lower()
    out = [term for term, rx in _phrases() if rx.search(text)]  # names of several words: "drei Jahre"
    for word in WORD.findall(text):
        out += _word_terms(word, language)
    return out


@lru_cache(maxsize=200_000)
def _word_terms(word: str, language: str) -> tuple[str, ...]:
    """The terms of one lower-case word: parts of hyphenated compounds count on their own."""
    stop = _stopwords(language)
    out = []
    for part in [p for p in word.split("-") if p] or [word]:
        if part in stop or len(part) < 2:
            continue
        concept = _concept(part)
        if concept:
            out.append(f"@{concept}")
        elif len(part) >= 4:
            out.append(part[: config()["stem_chars"]])
    return tuple(out)


@lru_cache(maxsize=20000)
def _concept(word: str) -> str:
    for name, entry in config()["concepts"].items():
        for prefix in entry["prefixes"]:
            if word.startswith(prefix) and (len(prefix) > 2 or word == prefix):
                return name
    return ""


@dataclass
class _Candidate:
    article: Article
    index: int  # sentence index in the article
    quantity: Quantity
    terms: frozenset[str]  # the sentence and its neighbours
    local: frozenset[str]  # the words right around the quantity


def _candidates(art: Article, kinds: set[str], sentence_terms: list[list[str]]) -> list[_Candidate]:
    """The quantities of one article that may be compared, in reading order. An article
    repeating the same value more than `max_repeats` times contributes only its first
    mentions, and an article contributes at most `max_candidates` (keeps the work linear)."""
    cfg = config()
    position = {s.id: i for i, s in enumerate(art.sentences)}
    seen: Counter = Counter()
    windows: dict[int, frozenset[str]] = {}  # per sentence, however many numbers it holds
    breaks: dict[int, list[int]] = {}
    clauses: dict[tuple[int, int, int], frozenset[str]] = {}
    out: list[_Candidate] = []
    for q in art.quantities:
        if q.kind not in kinds:
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
                term for term, rx in _phrases() if rx.search(window))  # a name across two sentences
            breaks[i] = [m.start() for m in CLAUSE_BREAK.finditer(text)]
        begin, end = _clause_bounds(breaks[i], q.start, q.end, len(text))
        if (i, begin, end) not in clauses:
            clauses[(i, begin, end)] = frozenset(_terms(text[begin:end], art.language))
        out.append(_Candidate(art, i, q, windows[i], clauses[(i, begin, end)]))
    return out


CLAUSE_BREAK = re.compile(r"[,;:()\[\]–—]")


def _clause_bounds(breaks: list[int], start: int, end: int, length: int) -> tuple[int, int]:
    k = bisect_left(breaks, start)
    m = bisect_left(breaks, end)
    return (breaks[k - 1] + 1 if k else 0), (breaks[m] if m < len(breaks) else length)


def clause(text: str, start: int, end: int) -> str:
    """The clause a number stands in: up to the nearest comma, colon, bracket or dash."""
    begin, stop = _clause_bounds([m.start() for m in CLAUSE_BREAK.finditer(text)], start, end, len(text))
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
    return sum(w * v.get(t, 0.0) for t, w in u.items())


def similarity(a: AbstractSet[str], b: AbstractSet[str], idf: dict[str, float]) -> tuple[float, list[str]]:
    """The evidence that two contexts speak of the same thing: the summed weight of the words
    they share (1 = one word found nowhere else in the corpus), and those words by weight."""
    shared = sorted(a & b, key=lambda t: (-idf.get(t, 1.0), t))
    return sum(idf.get(t, 1.0) for t in shared), shared


def same_value(a: Quantity, b: Quantity, tolerance: float) -> bool:
    def close(x: float | None, y: float | None) -> bool:
        if x is None or y is None:
            return x is y
        return abs(x - y) <= tolerance * max(abs(x), abs(y))

    return close(a.value, b.value) and close(a.value_to, b.value_to)


def status_of(statements: list[Statement], tolerance: float) -> str:
    if len({s.article for s in statements}) < 2:
        return "single"
    first = statements[0]
    for s in statements[1:]:
        if not (abs(s.value - first.value) <= tolerance * max(abs(s.value), abs(first.value))
                and s.qualifier == first.qualifier and s.value_to == first.value_to):
            return "differ"
    return "agree"


def _statement(c: _Candidate) -> Statement:
    s = c.article.sentences[c.index]
    q = c.quantity
    return Statement(c.article.id, s.id, s.text, q.text, q.value, q.unit, q.qualifier, q.value_to)


def _label(term: str, language: str, surface: dict[str, str]) -> str:
    if term.startswith("@"):
        return config()["concepts"][term[1:]]["label"].get(language, term[1:])
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
    for art in articles:
        sentence_terms = [_terms(s.text, art.language) for s in art.sentences]
        total += len(sentence_terms)
        for ts in sentence_terms:
            df.update(set(ts))
        found = _candidates(art, kinds, sentence_terms)
        if found:  # only articles with candidates are ever compared
            counts[art.id] = Counter(t for ts in sentence_terms for t in ts)
            candidates += found
    top_weight = math.log(1 + total)  # inverse sentence frequency: a word in one sentence weighs 1
    idf = {t: math.log(1 + total / n) / top_weight for t, n in df.items()}
    stories = {art_id: _unit_vector(c, idf) for art_id, c in counts.items()}
    del counts
    same_story: dict[tuple[str, str], bool] = {}

    def related(x: str, y: str) -> bool:
        key = (min(x, y), max(x, y))
        if key not in same_story:
            same_story[key] = cosine(stories[x], stories[y]) >= cfg["min_story_similarity"]
        return same_story[key]

    links: list[tuple[int, int, float, list[str], bool]] = []

    def consider(i: int, j: int) -> None:
        a, b = candidates[i], candidates[j]
        if a.article.id != b.article.id and not related(a.article.id, b.article.id):
            return
        equal = same_value(a.quantity, b.quantity, cfg["tolerance"])
        if a.article.id == b.article.id and (a.index == b.index or not equal):
            return
        score, shared = similarity(a.terms, b.terms, idf)
        if score < cfg["min_similarity_same_value" if equal else "min_similarity_other_value"]:
            return
        if not equal and similarity(a.local, b.local, idf)[0] < cfg["min_local_similarity_other_value"]:
            return  # other values: the words right around both numbers must meet too
        links.append((min(i, j), max(i, j), score, shared, equal))

    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k in sorted(range(len(candidates)), key=lambda k: abs(candidates[k].quantity.value)):
        blocks[(candidates[k].quantity.kind, candidates[k].quantity.unit)].append(k)
    limit, ratio, tolerance = cfg["max_comparisons"], cfg["max_ratio"], cfg["tolerance"]
    for order in blocks.values():
        value = [abs(candidates[k].quantity.value) for k in order]
        owner = [candidates[k].article.id for k in order]
        run_end = list(range(len(order)))  # the last position of the run of one article's quantities
        for p in range(len(order) - 2, -1, -1):
            if owner[p] == owner[p + 1]:
                run_end[p] = run_end[p + 1]
        own: dict[str, list[int]] = defaultdict(list)  # positions in the block, per article
        for p, art_id in enumerate(owner):
            own[art_id].append(p)
        for n, i in enumerate(order):
            if value[n] == 0:
                continue
            # other articles: the next `limit` quantities within max_ratio, over runs of its own
            p, budget = n + 1, limit
            while p < len(order) and budget:
                if owner[p] == owner[n]:
                    p = run_end[p] + 1
                    continue
                if value[p] / value[n] > ratio:
                    break
                consider(i, order[p])
                budget -= 1
                p += 1
        for positions in own.values():  # its own article: only the same value (within tolerance)
            for m, n in enumerate(positions):
                if value[n] == 0:
                    continue
                for p in positions[m + 1: m + 1 + limit]:
                    if value[p] / value[n] > ratio or value[p] - value[n] > tolerance * value[p]:
                        break
                    consider(order[n], order[p])

    # A different value is the same fact reported differently only if the two statements are
    # each other's best match in the other article.
    best: dict[tuple[int, str], float] = {}
    for i, j, score, _, equal in links:
        for x, y in ((i, j), (j, i)):
            key = (x, candidates[y].article.id)
            best[key] = max(best.get(key, 0.0), score)
    parent = list(range(len(candidates)))
    shared_terms: dict[int, Counter] = defaultdict(Counter)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, score, shared, equal in links:
        if not equal and (score < best[(i, candidates[j].article.id)] or score < best[(j, candidates[i].article.id)]):
            continue
        parent[find(j)] = find(i)
        # the subject: words shared in the numbers' own clauses count twice
        near = similarity(candidates[i].local, candidates[j].local, idf)[1][:3]
        for k in (i, j):
            shared_terms[k].update(shared[:4])
            shared_terms[k].update(near)

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(candidates)):
        groups[find(i)].append(i)
    topics = []
    for members in groups.values():
        cands = [candidates[i] for i in members]
        articles_in = {c.article.id for c in cands}
        if len(articles_in) < 2 and cands[0].quantity.kind not in cfg["single_source_kinds"]:
            continue
        terms: Counter = Counter()
        for i in members:
            terms.update(shared_terms[i])
        top = [t for t, _ in sorted(terms.items(), key=lambda kv: (-kv[1], -idf.get(kv[0], 1.0), kv[0]))[:3]]
        if not top:  # a single-source statement: its own most telling words
            own_sentence = cands[0].article.sentences[cands[0].index]
            words = Counter(_terms(own_sentence.text, cands[0].article.language))
            top = [t for t in sorted(words, key=lambda t: (-idf.get(t, 1.0), t))[:3]]
        topics.append((cands, top))
    surface = _surface_forms(articles, {t for _, top in topics for t in top if not t.startswith("@")})
    comparisons = []
    for cands, top in topics:
        statements = sorted((_statement(c) for c in cands), key=lambda s: (s.article, int(s.sentence_id[1:])))
        status = status_of(statements, cfg["tolerance"])
        quantity = cands[0].quantity
        subject = " · ".join(_label(t, language, surface) for t in top) + f" ({quantity.text})"
        comparisons.append(Comparison("", subject, status, tuple(statements), "auto",
                                      tuple(_label(t, language, surface) for t in top)))
    return comparisons


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


def curated(articles: list[Article], topics: list[dict[str, Any]]) -> list[Comparison]:
    cfg = config()
    out = []
    for topic in topics:
        prefixes = [str(t).lower() for t in topic["terms"]]
        statements = []
        for art in articles:
            sentences = {s.id: s for s in art.sentences}
            for q in art.quantities:
                if topic.get("unit") and q.unit != topic["unit"]:
                    continue
                if topic.get("kind") and q.kind != topic["kind"]:
                    continue
                words = [w for w in WORD.findall(sentences[q.sentence_id].text.lower())]
                if any(w.startswith(p) or any(part.startswith(p) for part in w.split("-")) for w in words for p in prefixes):
                    s = sentences[q.sentence_id]
                    statements.append(Statement(art.id, s.id, s.text, q.text, q.value, q.unit, q.qualifier, q.value_to))
        if statements:
            status = status_of(statements, cfg["tolerance"])
            out.append(Comparison("", topic["topic"], status, tuple(statements), "curated",
                                  tuple(str(t) for t in topic["terms"])))
    return out


def compare(articles: list[Article], language: str, curated_file: Path | None = None) -> list[Comparison]:
    """Curated topics first, then the automatic ones, each with a unique id."""
    from dataclasses import replace

    from .render import Slugs, make_slug

    found = curated(articles, load_curated(curated_file)) if curated_file else []
    found += align(articles, language)
    order = {"differ": 0, "agree": 1, "single": 2}
    found.sort(key=lambda c: (c.origin != "curated", order[c.status], -len({s.article for s in c.statements}),
                              c.subject))
    slugs = Slugs("index")
    return [replace(c, id=make_slug(c.subject, slugs)) for c in found]
