"""How well the comparison finds the same fact across articles: the labelled set in
tests/compare_gold (German–German and German–English reports of one story, written from
10kGNAD dev rows; see its README).

    python benchmarks/eval_compare.py [--markdown] [--misses]

The articles are read the way a build reads them (read -> normalise -> analyse, ids as the
site gives them), then `pressreview.compare.compare(articles, language)` is called once on all
of them. Found topics are matched to gold topics by their statements, never by label text:

- a statement *is* a gold mention when it comes from the gold mention's article, its sentence
  holds the mention as written (and the mention's `context`, where the gold gives one), and
  the quantity's first number is the mention's number;
- a found topic (statements from at least two articles) *is* a gold topic when every one of
  its statements is a mention of that gold topic and they come from at least two articles.
  The first found topic on a gold topic is the match (the one covering most of its
  articles); further ones are *duplicates* (the fact split in two) and count as wrong.

Figures: topic precision (found topics that are a gold topic or an optional gold topic /
found topics), recall (required gold topics matched with all their articles / required gold
topics; *partly* counts those matched with fewer), status accuracy (found status = gold status
on matched topics), *cross-story* (found topics that join articles of different stories or an
unrelated article: must be 0) and *one-source* (found topics with one article: the issue says
they are not topics). Statuses are read as strings (agree / compatible / differ; 'differs' and
the like are read by their start), so the scorer works before and after changes of the model.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOLD_DIR = ROOT / "tests" / "compare_gold"
STATUSES = ("agree", "compatible", "differ")
NUMBER = re.compile(r"\d(?:[\d.,’' \u00a0\u202f]*\d)?")


# ---- the gold set -------------------------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    text: str  # the value as written
    context: str = ""  # a snippet of its sentence, where the value alone is ambiguous


@dataclass(frozen=True)
class GoldTopic:
    story: str
    id: str
    status: str
    mentions: dict[str, tuple[Mention, ...]]  # article file -> its mentions
    optional: bool = False  # a shared fact a comparison may, but need not, find


@dataclass(frozen=True)
class Gold:
    stories: dict[str, tuple[str, ...]]  # story id -> article files
    topics: tuple[GoldTopic, ...]
    unrelated: tuple[str, ...]
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # file -> {row, made}

    def story_of(self, file: str) -> str:
        for story, files in self.stories.items():
            if file in files:
                return story
        return f"unrelated:{file}"  # each unrelated article is a story of its own

    @property
    def files(self) -> list[str]:
        return [f for files in self.stories.values() for f in files] + list(self.unrelated)


def _mention(item: Any) -> Mention:
    if isinstance(item, str):
        return Mention(item)
    return Mention(str(item["text"]), str(item.get("context", "")))


def load_gold(root: Path = GOLD_DIR) -> Gold:
    data = yaml.safe_load((root / "gold.yml").read_text(encoding="utf-8"))
    stories: dict[str, tuple[str, ...]] = {}
    topics = []
    sources: dict[str, dict[str, Any]] = {}
    for story in data["stories"]:
        files = tuple(a["file"] for a in story["articles"])
        stories[story["id"]] = files
        for a in story["articles"]:
            sources[a["file"]] = {"row": a["row"], "made": a["made"]}
        for t in story.get("topics", []):
            mentions = {file: tuple(_mention(m) for m in (ms if isinstance(ms, list) else [ms]))
                        for file, ms in t["values"].items()}
            topics.append(GoldTopic(story["id"], t["id"], str(t["status"]), mentions, bool(t.get("optional"))))
    unrelated = tuple(a["file"] for a in data.get("unrelated", []))
    for a in data.get("unrelated", []):
        sources[a["file"]] = {"row": a["row"], "made": a["made"]}
    return Gold(stories, tuple(topics), unrelated, sources)


# ---- matching -----------------------------------------------------------------------------

def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def first_number(text: str) -> str:
    """The first number of a quantity as written, digits only ('€2.4bn' -> '24',
    '300 000 Euro' -> '300000'): the same figure whatever its separators."""
    m = NUMBER.search(unicodedata.normalize("NFKC", text))
    return re.sub(r"\D", "", m.group(0)) if m else ""


def status_word(status: str) -> str:
    s = str(status).strip().lower()
    for word in STATUSES:
        if s.startswith(word[:5]):
            return word
    return s


@dataclass(frozen=True)
class Found:
    """A found topic reduced to what the scorer needs (from a Comparison)."""

    status: str
    statements: tuple[tuple[str, str, str], ...]  # (article file, sentence, quantity as written)
    subject: str = ""

    @property
    def articles(self) -> set[str]:
        return {a for a, _, _ in self.statements}


def from_comparisons(comparisons: Iterable[Any], file_of: dict[str, str]) -> list[Found]:
    """Comparison objects -> Found, reading only fields every version has (article, text,
    quantity, status, subject); the article id is mapped to its file."""
    out = []
    for c in comparisons:
        statements = tuple((file_of.get(s.article, s.article), str(s.text), str(s.quantity)) for s in c.statements)
        out.append(Found(status_word(getattr(c, "status", "")), statements, str(getattr(c, "subject", ""))))
    return out


def is_mention(statement: tuple[str, str, str], file: str, mention: Mention) -> bool:
    article, sentence, quantity = statement
    if article != file:
        return False
    sentence = norm(sentence)
    if norm(mention.text) not in sentence or (mention.context and norm(mention.context) not in sentence):
        return False
    number = first_number(mention.text)
    if not number:  # a number in words ("drei Tagen"): the quantity must be part of it or hold it
        q = norm(quantity)
        return bool(q) and (q in norm(mention.text) or norm(mention.text) in q)
    return number == first_number(quantity)


def covers(found: Found, topic: GoldTopic) -> set[str] | None:
    """The gold topic's articles the found topic holds, if every statement of it is a mention
    of the gold topic and it spans at least two articles; else None."""
    for st in found.statements:
        if not any(is_mention(st, file, m) for file, ms in topic.mentions.items() for m in ms):
            return None
    articles = found.articles
    return articles if len(articles) >= 2 else None


@dataclass
class Score:
    found: int = 0  # found topics with at least two articles
    one_source: int = 0
    correct: int = 0  # found topics that are a (required or optional) gold topic
    duplicates: int = 0
    cross_story: int = 0
    required: int = 0  # required gold topics
    recalled: int = 0  # ... matched with all their articles
    partly: int = 0  # ... matched with fewer
    status_right: int = 0
    status_total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.correct / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.recalled / self.required if self.required else None

    @property
    def status_accuracy(self) -> float | None:
        return self.status_right / self.status_total if self.status_total else None


def score(gold: Gold, found: list[Found]) -> Score:
    s = Score()
    s.required = sum(1 for t in gold.topics if not t.optional)
    multi = []
    for f in found:
        if len(f.articles) < 2:
            s.one_source += 1
        else:
            multi.append(f)
    s.found = len(multi)
    # each found topic -> the gold topic it is (at most one: mentions of different topics differ)
    candidates: dict[int, list[tuple[int, set[str]]]] = {}
    for n, f in enumerate(multi):
        if len({gold.story_of(a) for a in f.articles}) > 1:
            s.cross_story += 1
            s.misses.append(f"cross-story: {describe(f)}")
            continue
        for k, t in enumerate(gold.topics):
            got = covers(f, t)
            if got is not None:
                candidates.setdefault(k, []).append((n, got))
                break
        else:
            s.misses.append(f"not a gold topic: {describe(f)}")
    for k, t in enumerate(gold.topics):
        hits = sorted(candidates.get(k, []), key=lambda h: (-len(h[1]), h[0]))
        if not hits:
            if not t.optional:
                s.misses.append(f"not found: {t.story}/{t.id}")
            continue
        n, got = hits[0]
        s.correct += 1
        s.duplicates += len(hits) - 1
        for extra, _ in hits[1:]:
            s.misses.append(f"duplicate of {t.story}/{t.id}: {describe(multi[extra])}")
        if not t.optional:
            if got >= set(t.mentions):
                s.recalled += 1
            else:
                s.partly += 1
                s.misses.append(f"partly found ({len(got)} of {len(t.mentions)} articles): {t.story}/{t.id}")
        s.status_total += 1
        if multi[n].status == status_word(t.status):
            s.status_right += 1
        else:
            s.misses.append(f"status {multi[n].status!r}, gold {t.status!r}: {t.story}/{t.id}")
    return s


def describe(f: Found) -> str:
    parts = sorted({f"{a}: {q}" for a, _, q in f.statements})
    return f"[{f.status}] {f.subject!r} " + "; ".join(parts)


# ---- running the pipeline -----------------------------------------------------------------

def read_articles(folder: Path) -> tuple[list[Any], list[Any]]:
    """read -> normalise -> analyse, ids as a build gives them; (articles, rejected)."""
    from pressreview.analyse import analyse
    from pressreview.normalise import normalise
    from pressreview.read import read_corpus
    from pressreview.render import assign_ids
    from pressreview.settings import load_settings

    with tempfile.TemporaryDirectory(prefix="eval_compare_") as tmp:
        settings = load_settings(Path(tmp))
    docs, rejected = read_corpus(folder, settings["max_file_bytes"])
    articles = [analyse(normalise(doc, settings), settings, doc.meta.get("claims")) for doc in docs]
    return assign_ids(articles), rejected


def interface_language(articles: list[Any]) -> str:
    counts: dict[str, int] = {}
    for a in articles:
        counts[a.language] = counts.get(a.language, 0) + 1
    return min(counts, key=lambda lang: (-counts[lang], lang)) if counts else "en"


def evaluate(root: Path = GOLD_DIR) -> tuple[Score, list[Found]]:
    from pressreview.compare import compare

    gold = load_gold(root)
    articles, rejected = read_articles(root / "articles")
    if rejected:
        raise RuntimeError(f"gold articles rejected: {[r.source_path for r in rejected]}")
    file_of = {a.id: a.source_path for a in articles}
    found = from_comparisons(compare(articles, interface_language(articles)), file_of)
    return score(gold, found), found


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def figures(s: Score) -> list[tuple[str, str, str]]:
    """(figure, value, target) rows."""
    return [
        ("gold topics (required)", str(s.required), ""),
        ("found topics (2+ articles)", str(s.found), ""),
        ("topic precision", f"{_fmt(s.precision)} ({s.correct}/{s.found})", ">= 0.95"),
        ("topic recall", f"{_fmt(s.recall)} ({s.recalled}/{s.required}; {s.partly} partly)", ">= 0.80"),
        ("status accuracy", f"{_fmt(s.status_accuracy)} ({s.status_right}/{s.status_total})", ">= 0.95"),
        ("duplicates (a fact split)", str(s.duplicates), "0"),
        ("cross-story topics", str(s.cross_story), "0"),
        ("one-source topics", str(s.one_source), "0"),
    ]


def format_table(s: Score) -> str:
    rows = figures(s)
    w = max(len(r[0]) for r in rows)
    v = max(len(r[1]) for r in rows)
    return "\n".join(f"{a:<{w}}  {b:<{v}}  {c}".rstrip() for a, b, c in rows)


def format_markdown(s: Score) -> str:
    lines = ["| figure | value | target |", "| --- | ---: | ---: |"]
    lines += [f"| {a} | {b} | {c or '–'} |" for a, b, c in figures(s)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", action="store_true", help="also print the Markdown table")
    parser.add_argument("--misses", action="store_true", help="list every miss and every found topic")
    args = parser.parse_args(argv)
    s, found = evaluate()
    print(format_table(s))
    if args.markdown:
        print()
        print(format_markdown(s))
    if args.misses:
        print()
        for m in s.misses:
            print(m)
        print("\nfound topics:")
        for f in found:
            print(" ", describe(f))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
