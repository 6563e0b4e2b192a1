"""Draw the sentences of a real-news claim gold set.

    python benchmarks/draw_realclaims.py > draft.tsv                       # tuning set (realnews_claims.tsv)
    python benchmarks/draw_realclaims.py --set holdout > draft.tsv         # held-out set (realnews_claims_holdout.tsv)
    python benchmarks/draw_realclaims.py --pages DIR --seed N --sample de=N,en=N > draft.tsv

Reads every page of the set's folder (tuning: tests/realnews/pages, held-out: tests/gold/pages; dev pages
only) the way a build does (read.read_file + normalise.normalise +
analyse.analyse; article text only, no asides) and prints two parts:

* part ``marked``: every sentence the rules marked at drawing time, in the articles listed in MARKED_FROM
  (all pages; this is the only use of the rules);
* part ``sample``: SAMPLE_PER_LANG unmarked sentences per language, drawn with random.Random(SEED); the
  column ``weight`` is (unmarked sentences of that language) / (sampled ones), 1 for part ``marked``.

The labels column is left empty: labels are set by hand by the guideline in docs/methodology.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGES = ROOT / "tests" / "realnews" / "pages"
SEED = 10
SAMPLE_PER_LANG = {"de": 130, "en": 110}  # German pages have fewer marked sentences
# set name -> (pages folder, seed, sampled unmarked sentences per language)
SETS = {
    "tuning": (PAGES, SEED, SAMPLE_PER_LANG),
    "holdout": (ROOT / "tests" / "gold" / "pages", 1011, {"de": 72, "en": 64}),
}


def page_sentences(path: Path, settings: dict) -> tuple[str, list[tuple[str, tuple[str, ...]]]]:
    """(language, [(sentence text, labels by the rules)]) of one page."""
    from pressreview import analyse, normalise, read
    with tempfile.TemporaryDirectory(prefix="draw_realclaims_") as tmp:
        dest = Path(tmp) / path.name
        dest.write_bytes(path.read_bytes())
        doc = read.read_file(dest, Path(tmp), settings["max_file_bytes"])
        article = analyse.analyse(normalise.normalise(doc, settings), settings)
    return article.language, [(s.text, s.labels) for s in article.sentences]


def draw(pages: Path, seed: int, sample: dict[str, int]) -> list[tuple[str, ...]]:
    """Rows (language, page, sentence, part, weight): every marked sentence, then per language a
    random.Random(seed) sample of the unmarked ones."""
    from benchmarks.eval_gold import default_settings
    settings = default_settings()
    marked: list[tuple[str, str, str]] = []
    unmarked: dict[str, list[tuple[str, str, str]]] = {"de": [], "en": []}
    for path in sorted(pages.glob("*/*")):
        if not path.name.endswith((".txt", ".html.gz")):
            continue
        lang, sents = page_sentences(path, settings)
        if lang not in unmarked:
            continue
        rel = path.relative_to(pages).as_posix()
        seen = set()
        for text, labels in sents:
            text = " ".join(text.split())
            if len(text) < 3 or text in seen:
                continue
            seen.add(text)
            (marked.append((lang, rel, text)) if labels else unmarked[lang].append((lang, rel, text)))
    rng = random.Random(seed)
    rows: list[tuple[str, ...]] = [(*m, "marked", "1") for m in marked]
    for lang in ("de", "en"):
        drawn = rng.sample(unmarked[lang], min(sample[lang], len(unmarked[lang])))
        rows += [(*u, "sample", f"{len(unmarked[lang]) / len(drawn):.4f}") for u in drawn]
        print(f"{lang}: {sum(m[0] == lang for m in marked)} marked, {len(unmarked[lang])} unmarked, "
              f"{len(drawn)} sampled", file=sys.stderr)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=sorted(SETS), default="tuning")
    ap.add_argument("--pages", help="pages folder (default: the set's)")
    ap.add_argument("--seed", type=int, help="seed of the sample (default: the set's)")
    ap.add_argument("--sample", help="sampled unmarked sentences per language, e.g. de=90,en=80")
    args = ap.parse_args()
    pages, seed, sample = SETS[args.set]
    if args.pages:
        pages = Path(args.pages)
    if args.seed is not None:
        seed = args.seed
    if args.sample:
        sample = {k: int(v) for k, v in (x.split("=") for x in args.sample.split(","))}
    print("language\tpage\tsentence\tpart\tweight")
    for row in draw(pages, seed, sample):
        print("\t".join(row))


if __name__ == "__main__":
    main()
