"""Score the claim rules on a real-news claim gold set.

    python benchmarks/eval_realclaims.py [--markdown] [--set tuning|holdout]

Two sets (SETS): ``tuning``, tests/gold/realnews_claims.tsv (pages in tests/realnews/pages; the rule packs
are tuned on it), and ``holdout``, tests/gold/realnews_claims_holdout.tsv (other dev pages, in
tests/gold/pages, labelled blind; no rule is tuned on it).

Each gold sentence is classified with the project's default matcher (pressreview.analyse.matcher_for +
claims.Matcher.classify, as benchmarks/eval_claims.py does). Per category (speculative, promotional) and
language: precision, recall and F1 over the gold rows as they are, and a weighted recall. The gold set
over-represents marked sentences (part ``marked`` holds every sentence the rules marked when it was drawn;
part ``sample`` is a random sample of the unmarked ones), so the plain recall is too high. The weighted
recall counts each sampled row ``weight`` times (unmarked sentences of its language / sampled ones) and
each marked row once: an estimate of the recall over every article sentence of the dev pages.
Also lists the five rules with the most false marks (a rule's cue in a category the gold does not give).
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOLD = ROOT / "tests" / "gold" / "realnews_claims.tsv"
HOLDOUT = ROOT / "tests" / "gold" / "realnews_claims_holdout.tsv"
# set name -> (gold file, folder its `page` column is relative to)
SETS = {
    "tuning": (GOLD, ROOT / "tests" / "realnews" / "pages"),
    "holdout": (HOLDOUT, ROOT / "tests" / "gold" / "pages"),
}
COLUMNS = ["id", "language", "page", "sentence", "labels", "part", "weight", "note"]
CATEGORIES = ("speculative", "promotional")
LANGUAGES = ("de", "en")


@dataclass(frozen=True)
class Row:
    id: str
    language: str
    page: str
    sentence: str
    labels: frozenset[str]
    part: str
    weight: float
    note: str


def load(path: Path = GOLD) -> list[Row]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        if header != COLUMNS:
            raise ValueError(f"{path}: columns {header}, expected {COLUMNS}")
        return [Row(r[0], r[1], r[2], r[3], frozenset(x for x in r[4].split(",") if x), r[5], float(r[6]), r[7])
                for r in reader if r]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    wtp: float = 0.0  # weighted
    wfn: float = 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def weighted_recall(self) -> float:
        return self.wtp / (self.wtp + self.wfn) if self.wtp + self.wfn else 0.0


Classify = Callable[[str, str], tuple[set[str], list[tuple[str, str]]]]  # (labels, [(rule id, category)])


def default_classify() -> Classify:
    from benchmarks.eval_gold import default_settings
    from pressreview.analyse import matcher_for
    settings = default_settings()

    def classify(text: str, language: str) -> tuple[set[str], list[tuple[str, str]]]:
        labels, cues = matcher_for(settings, language).classify(text)
        return set(labels), [(c.rule, c.category) for c in cues]
    return classify


def score(rows: Iterable[Row], classify: Classify) -> tuple[dict[tuple[str, str], Score], Counter, Counter]:
    """((category, language) -> Score, false marks per rule, true marks per rule)."""
    scores = {(c, lang): Score() for c in CATEGORIES for lang in LANGUAGES}
    false_marks: Counter = Counter()
    true_marks: Counter = Counter()
    for row in rows:
        predicted, cues = classify(row.sentence, row.language)
        for cat in CATEGORIES:
            s = scores[(cat, row.language)]
            gold, pred = cat in row.labels, cat in predicted
            s.tp += gold and pred
            s.fp += pred and not gold
            s.fn += gold and not pred
            s.wtp += row.weight * (gold and pred)
            s.wfn += row.weight * (gold and not pred)
        for rule in {r for r, _ in cues}:
            cats = {c for r, c in cues if r == rule}
            (true_marks if cats & row.labels else false_marks)[rule] += 1
    return scores, false_marks, true_marks


def tables(rows: list[Row], classify: Classify) -> tuple[str, str]:
    scores, false_marks, true_marks = score(rows, classify)
    head = ["category", "lang", "gold", "marked", "TP", "FP", "FN", "P", "R", "F1", "R weighted"]
    lines = []
    for (cat, lang), s in scores.items():
        lines.append([cat, lang, str(s.tp + s.fn), str(s.tp + s.fp), str(s.tp), str(s.fp), str(s.fn),
                      f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", f"{s.weighted_recall:.3f}"])
    worst = [[rule, str(n), str(true_marks[rule])] for rule, n in
             sorted(false_marks.items(), key=lambda kv: (-kv[1], kv[0]))[:5]]
    counts = Counter((r.language, r.part) for r in rows)
    summary = ", ".join(f"{lang} {counts[(lang, 'marked')]} marked + {counts[(lang, 'sample')]} sampled"
                        for lang in LANGUAGES)
    plain = [f"{len(rows)} sentences ({summary})", "  ".join(f"{h:>10}" for h in head)]
    plain += ["  ".join(f"{c:>10}" for c in line) for line in lines]
    plain += ["", "rules with the most false marks: rule, false marks, true marks"]
    plain += ["  ".join(w) for w in worst]
    md = [f"{len(rows)} sentences ({summary}).", "",
          "| " + " | ".join(head) + " |", "| --- | --- |" + " ---: |" * (len(head) - 2)]
    md += ["| " + " | ".join(line) + " |" for line in lines]
    md += ["", "| Rule (most false marks) | False marks | True marks |", "| --- | ---: | ---: |"]
    md += [f"| `{w[0]}` | {w[1]} | {w[2]} |" for w in worst]
    return "\n".join(plain), "\n".join(md)


def evaluate_realclaims(shared: Path | None = None, which: str = "tuning") -> tuple[str, str]:
    """(plain table, Markdown table) on set ``which``; ``shared`` is not needed (the gold is in tests/gold)."""
    return tables(load(SETS[which][0]), default_classify())


def evaluate_holdout(shared: Path | None = None) -> tuple[str, str]:
    return evaluate_realclaims(shared, "holdout")


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--set", choices=sorted(SETS), default="tuning")
    args = ap.parse_args()
    plain, md = evaluate_realclaims(None, args.set)
    print(md if args.markdown else plain)
