"""Draw the sentences of the real-news claim gold set (tests/gold/realnews_claims.tsv).

    python benchmarks/draw_realclaims.py > draft.tsv

Reads every dev page of tests/realnews/pages the way a build does (read.read_file + normalise.normalise +
analyse.analyse; article text only, no asides) and prints two parts:

* part ``marked``: every sentence the rules marked at drawing time, in the articles listed in MARKED_FROM
  (all pages; this is the only use of the rules);
* part ``sample``: SAMPLE_PER_LANG unmarked sentences per language, drawn with random.Random(SEED); the
  column ``weight`` is (unmarked sentences of that language) / (sampled ones), 1 for part ``marked``.

The labels column is left empty: labels are set by hand by the guideline in docs/methodology.md.
"""

from __future__ import annotations

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


def page_sentences(path: Path, settings: dict) -> tuple[str, list[tuple[str, tuple[str, ...]]]]:
    """(language, [(sentence text, labels by the rules)]) of one page."""
    from pressreview import analyse, normalise, read
    with tempfile.TemporaryDirectory(prefix="draw_realclaims_") as tmp:
        dest = Path(tmp) / path.name
        dest.write_bytes(path.read_bytes())
        doc = read.read_file(dest, Path(tmp), settings["max_file_bytes"])
        article = analyse.analyse(normalise.normalise(doc, settings), settings)
    return article.language, [(s.text, s.labels) for s in article.sentences]


def main() -> None:
    from benchmarks.eval_gold import default_settings
    settings = default_settings()
    marked: list[tuple[str, str, str]] = []
    unmarked: dict[str, list[tuple[str, str, str]]] = {"de": [], "en": []}
    for path in sorted(PAGES.glob("*/*")):
        lang, sents = page_sentences(path, settings)
        if lang not in unmarked:
            continue
        rel = path.relative_to(PAGES).as_posix()
        seen = set()
        for text, labels in sents:
            text = " ".join(text.split())
            if len(text) < 3 or text in seen:
                continue
            seen.add(text)
            (marked.append((lang, rel, text)) if labels else unmarked[lang].append((lang, rel, text)))
    rng = random.Random(SEED)
    rows = [(*m, "marked", "1") for m in marked]
    for lang in ("de", "en"):
        drawn = rng.sample(unmarked[lang], min(SAMPLE_PER_LANG[lang], len(unmarked[lang])))
        rows += [(*u, "sample", f"{len(unmarked[lang]) / len(drawn):.4f}") for u in drawn]
        print(f"{lang}: {len(unmarked[lang])} unmarked", file=sys.stderr)
    print("language\tpage\tsentence\tpart\tweight")
    for row in rows:
        print("\t".join(row))


if __name__ == "__main__":
    main()
