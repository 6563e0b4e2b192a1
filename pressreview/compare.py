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

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import safeyaml
from .model import Article, Comparison, Quantity, Statement
from .safeyaml import shown

RULES_FILE = Path(__file__).parent / "rules" / "compare.yml"
WORD = re.compile(r"[^\W\d_][\w-]*")


class CompareError(ValueError):
    pass


@lru_cache(maxsize=1)
def config() -> dict[str, Any]:
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


def _terms(text: str, language: str) -> list[str]:
    """Concept ids and stems of the content words of a text."""
    cfg = config()
    stop = set(cfg["stopwords"].get(language, [])) | set(cfg["stopwords"].get("en", []))
    out: list[str] = []
    text = text.lower()
    for name, entry in cfg["concepts"].items():  # phrases of several words: "drei Jahre"
        for phrase in entry.get("phrases", []):
            if re.search(phrase, text):
                out.append(f"@{name}")
    for word in WORD.findall(text):
        parts = [p for p in word.split("-") if p] or [word]
        for part in parts:
            if part in stop or len(part) < 2:
                continue
            concept = _concept(part)
            if concept:
                out.append(f"@{concept}")
            elif len(part) >= 4 and part not in stop:
                out.append(part[: cfg["stem_chars"]])
    return out


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
    terms: Counter  # the sentence and its neighbours
    local: Counter  # the words right around the quantity


def _candidates(articles: list[Article], kinds: set[str]) -> list[_Candidate]:
    """Quantities that may be compared; an article repeating the same value more than
    `max_repeats` times contributes only its first mentions (keeps the work linear)."""
    out = []
    for art in articles:
        position = {s.id: i for i, s in enumerate(art.sentences)}
        seen: Counter = Counter()
        for q in art.quantities:
            if q.kind not in kinds:
                continue
            seen[(q.kind, q.unit, q.value, q.value_to)] += 1
            if seen[(q.kind, q.unit, q.value, q.value_to)] > config()["max_repeats"]:
                continue
            i = position[q.sentence_id]
            window = " ".join(s.text for s in art.sentences[max(0, i - 1): i + 2])
            local = clause(art.sentences[i].text, q.start, q.end)
            out.append(_Candidate(art, i, q, Counter(_terms(window, art.language)), Counter(_terms(local, art.language))))
    return out


CLAUSE_BREAK = re.compile(r"[,;:()\[\]–—]")


def clause(text: str, start: int, end: int) -> str:
    """The clause a number stands in: up to the nearest comma, colon, bracket or dash."""
    before = [m.end() for m in CLAUSE_BREAK.finditer(text, 0, start)]
    after = CLAUSE_BREAK.search(text, end)
    return text[before[-1] if before else 0: after.start() if after else len(text)]


def _idf(articles: list[Article]) -> dict[str, float]:
    """Inverse sentence frequency, scaled so that a word found in one sentence weighs 1."""
    df: Counter = Counter()
    total = 0
    for art in articles:
        for s in art.sentences:
            total += 1
            df.update(set(_terms(s.text, art.language)))
    top = math.log(1 + total)
    return {t: math.log(1 + total / n) / top for t, n in df.items()}


def story_vectors(articles: list[Article], idf: dict[str, float]) -> dict[str, dict[str, float]]:
    """Each article as a unit tf-idf vector of its terms, to tell whether two articles tell
    the same story."""
    vectors = {}
    for art in articles:
        counts = Counter(t for s in art.sentences for t in _terms(s.text, art.language))
        weights = {t: n * idf.get(t, 1.0) for t, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors[art.id] = {t: w / norm for t, w in weights.items()}
    return vectors


def cosine(u: dict[str, float], v: dict[str, float]) -> float:
    if len(v) < len(u):
        u, v = v, u
    return sum(w * v.get(t, 0.0) for t, w in u.items())


def similarity(a: Counter, b: Counter, idf: dict[str, float]) -> tuple[float, list[str]]:
    """The evidence that two contexts speak of the same thing: the summed weight of the words
    they share (1 = one word found nowhere else in the corpus), and those words by weight."""
    shared = sorted(set(a) & set(b), key=lambda t: (-idf.get(t, 1.0), t))
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


def _surface_forms(articles: list[Article]) -> dict[str, str]:
    """A readable word for every stem: the first word in the corpus that has it."""
    cfg = config()
    forms: dict[str, str] = {}
    for art in articles:
        for s in art.sentences:
            for word in WORD.findall(s.text):
                for part in [word] + word.split("-"):
                    forms.setdefault(part.lower()[: cfg["stem_chars"]], part)
    return forms


def align(articles: list[Article], language: str) -> list[Comparison]:
    cfg = config()
    kinds = set(cfg["kinds"])
    candidates = _candidates(articles, kinds)
    idf = _idf(articles)
    stories = story_vectors(articles, idf)
    same_story: dict[tuple[str, str], bool] = {}

    def related(x: str, y: str) -> bool:
        if x == y:
            return True
        key = (min(x, y), max(x, y))
        if key not in same_story:
            same_story[key] = cosine(stories[x], stories[y]) >= cfg["min_story_similarity"]
        return same_story[key]
    parent = list(range(len(candidates)))
    shared_terms: dict[int, Counter] = defaultdict(Counter)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    links: list[tuple[int, int, float, list[str], bool]] = []
    # only pairs of the same kind and unit with values within max_ratio: sort, then slide
    order = sorted(range(len(candidates)), key=lambda k: (candidates[k].quantity.kind, candidates[k].quantity.unit,
                                                          abs(candidates[k].quantity.value)))
    for n, i in enumerate(order):
        a = candidates[i]
        for j in order[n + 1:]:
            b = candidates[j]
            qa, qb = a.quantity, b.quantity
            if qa.unit != qb.unit or qa.kind != qb.kind:
                break
            low, high = abs(qa.value), abs(qb.value)
            if low == 0 or high / low > cfg["max_ratio"]:
                break
            if not related(a.article.id, b.article.id):
                continue
            equal = same_value(qa, qb, cfg["tolerance"])
            if a.article.id == b.article.id and (a.index == b.index or not equal):
                continue
            score, shared = similarity(a.terms, b.terms, idf)
            if score < cfg["min_similarity_same_value" if equal else "min_similarity_other_value"]:
                continue
            if not equal and similarity(a.local, b.local, idf)[0] < cfg["min_local_similarity_other_value"]:
                continue  # other values: the words right around both numbers must meet too
            links.append((min(i, j), max(i, j), score, shared, equal))

    # A different value is the same fact reported differently only if the two statements are
    # each other's best match in the other article.
    best: dict[tuple[int, str], float] = {}
    for i, j, score, _, equal in links:
        for x, y in ((i, j), (j, i)):
            key = (x, candidates[y].article.id)
            best[key] = max(best.get(key, 0.0), score)
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
    surface = _surface_forms(articles)
    comparisons = []
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
            own = cands[0].article.sentences[cands[0].index]
            words = Counter(_terms(own.text, cands[0].article.language))
            top = [t for t in sorted(words, key=lambda t: (-idf.get(t, 1.0), t))[:3]]
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

    from .render import make_slug

    found = curated(articles, load_curated(curated_file)) if curated_file else []
    found += align(articles, language)
    order = {"differ": 0, "agree": 1, "single": 2}
    found.sort(key=lambda c: (c.origin != "curated", order[c.status], -len({s.article for s in c.statements}),
                              c.subject))
    taken: set[str] = {"index"}
    return [replace(c, id=make_slug(c.subject, taken)) for c in found]
