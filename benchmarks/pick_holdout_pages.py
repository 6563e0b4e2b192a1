"""Pick and copy the pages of the held-out real-news claim set (tests/gold/pages).

    python benchmarks/pick_holdout_pages.py [--shared ../shared]

Only `dev` items of ../shared/benchmarks/realnews-split.tsv, and none already in tests/realnews/pages:

* German: PER_SOURCE 10kGNAD rows out of rows 1-514 of 10kgnad/test.csv (dev; the reader stops at row 514,
  so no test row is read), written as tests/gold/pages/10kgnad/row-NNNN.txt (the csv field + one "\\n",
  as tests/realnews/pages/10kgnad);
* English: PER_SOURCE ScrapingHub dev pages, copied byte-identical to tests/gold/pages/scrapinghub/; pages
  that pressreview reads as another language than English are passed over (the next in the shuffled order
  is taken).

Both choices are random.Random(SEED).shuffle of the candidates in sorted order. Also writes
tests/gold/dev_items.txt: every dev item of the split file, so tests can check the pages without ../shared.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = 1010
PER_SOURCE = 20
OUT = ROOT / "tests" / "gold" / "pages"
DEV_LIST = ROOT / "tests" / "gold" / "dev_items.txt"
TUNING_PAGES = ROOT / "tests" / "realnews" / "pages"
DEV_ROWS = 514  # rows 1-514 of 10kgnad/test.csv are dev
SH_PREFIX = "article_extraction/scrapinghub_aeb/html/"


def dev_items(split: Path) -> list[str]:
    with open(split, encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh if line.strip()]
    return [item for item, role in rows[1:] if role == "dev"]


def page_language(path: Path) -> str:
    from benchmarks.eval_gold import default_settings
    from pressreview import normalise, read
    settings = default_settings()
    with tempfile.TemporaryDirectory(prefix="pick_holdout_") as tmp:
        dest = Path(tmp) / path.name
        dest.write_bytes(path.read_bytes())
        return normalise.normalise(read.read_file(dest, Path(tmp), settings["max_file_bytes"]), settings).language


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    bench = Path(ap.parse_args().shared) / "benchmarks"
    dev = dev_items(bench / "realnews-split.tsv")
    assert "10kgnad/test.csv rows 1-514" in dev
    DEV_LIST.write_text("\n".join(dev) + "\n", encoding="utf-8")

    # German: 10kGNAD dev rows not used by tests/realnews
    taken = {int(p.stem.split("-")[1]) for p in (TUNING_PAGES / "10kgnad").glob("row-*.txt")}
    rng = random.Random(SEED)
    candidates = [n for n in range(1, DEV_ROWS + 1) if n not in taken]
    rng.shuffle(candidates)
    chosen = sorted(candidates[:PER_SOURCE])
    texts: dict[int, str] = {}
    with open(bench / "10kgnad" / "test.csv", encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.reader(fh, delimiter=";", quotechar="'"), start=1):
            if n > DEV_ROWS:
                break
            if n in chosen:
                texts[n] = row[1]
    (OUT / "10kgnad").mkdir(parents=True, exist_ok=True)
    for n in chosen:
        (OUT / "10kgnad" / f"row-{n:04d}.txt").write_text(texts[n] + "\n", encoding="utf-8")
    print("10kgnad rows:", ", ".join(map(str, chosen)), file=sys.stderr)

    # English: ScrapingHub dev pages not used by tests/realnews
    used = {p.name for p in (TUNING_PAGES / "scrapinghub").glob("*.html.gz")}
    pages = sorted(item[len(SH_PREFIX):] for item in dev if item.startswith(SH_PREFIX))
    pages = [p for p in pages if p not in used]
    rng.shuffle(pages)
    (OUT / "scrapinghub").mkdir(parents=True, exist_ok=True)
    picked: list[str] = []
    skipped: list[str] = []
    for name in pages:
        if len(picked) == PER_SOURCE:
            break
        src = bench / SH_PREFIX / name
        (picked if page_language(src) == "en" else skipped).append(name)
    for name in picked:
        shutil.copyfile(bench / SH_PREFIX / name, OUT / "scrapinghub" / name)
    print("scrapinghub pages:", len(picked), "; not English, passed over:", ", ".join(skipped) or "none",
          file=sys.stderr)


if __name__ == "__main__":
    main()
