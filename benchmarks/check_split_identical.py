"""Check that sentence splitting gives the same spans as a saved run.

    python benchmarks/check_split_identical.py --save /tmp/split-before.json   # on the old code
    python benchmarks/check_split_identical.py --against /tmp/split-before.json  # on the new code

Inputs: every article of ../shared/benchmarks/10kgnad/test.csv as one paragraph (as
bench_analysis.py passes it), every line and the whole text of seeds/*.txt and of
tests/realnews/pages/**/*.txt, and every paragraph and the whole plain text of the
tests/realnews/pages/**/*.html.gz pages (read by pressreview.webpage).  Only counts
and the first differing input's index are printed, never the text.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_analysis import DEFAULT_SHARED, load_10kgnad  # noqa: E402
from pressreview.sentences import split_sentences  # noqa: E402
from pressreview.webpage import read_page  # noqa: E402


def inputs(shared: Path) -> list[tuple[str, str]]:
    out = [(text, "de") for _, text in load_10kgnad(shared)]
    texts = sorted(ROOT.glob("seeds/*.txt")) + sorted((ROOT / "tests/realnews/pages").rglob("*.txt"))
    for path in texts:
        text = path.read_text(encoding="utf-8")
        for lang in ("de", "en"):
            out.append((text, lang))
            out += [(line, lang) for line in text.splitlines() if line.strip()]
    for path in sorted((ROOT / "tests/realnews/pages").rglob("*.html.gz")):
        page = read_page(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
        for lang in ("de", "en"):
            out.append((page.text, lang))
            out += [(line, lang) for line in page.markdown.splitlines() if line.strip()]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(DEFAULT_SHARED))
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", help="write the spans of every input to this JSON file")
    group.add_argument("--against", help="compare with a JSON file written by --save")
    args = ap.parse_args(argv)
    items = inputs(Path(args.shared))
    spans = [split_sentences(text, lang) for text, lang in items]
    keys = [hashlib.sha1(f"{lang}\0{text}".encode()).hexdigest() for text, lang in items]
    got = {k: [list(s) for s in sp] for k, sp in zip(keys, spans)}
    if args.save:
        Path(args.save).write_text(json.dumps(got), encoding="utf-8")
        print(f"saved the spans of {len(got):,} inputs ({sum(map(len, spans)):,} sentences)")
        return 0
    want = json.loads(Path(args.against).read_text(encoding="utf-8"))
    missing = [k for k in got if k not in want]
    differ = [i for i, k in enumerate(keys) if k in want and want[k] != got[k]]
    print(f"{len(got):,} inputs, {sum(map(len, spans)):,} sentences: "
          f"{len(differ)} differ, {len(missing)} not in the saved run")
    if differ:
        print(f"first differing input: #{differ[0]}")
    return 1 if differ or missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
