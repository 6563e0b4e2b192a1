"""HTML reading speed: read.read_file + normalise.normalise on real pages, on one core.

    python benchmarks/bench_html.py [--shared ../shared] [--repeat N]

Reads the *dev* pages of the ScrapingHub article-extraction benchmark and of the trafilatura
evaluation set (as marked in ../shared/benchmarks/realnews-split.tsv; test pages are never
read) and reports pages per second, per source and in all, with the share of the time spent
in trafilatura. Target (issue 9): >= 50 pages/s. Skips (exit 0) when the data is absent.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pressreview import normalise, read  # noqa: E402
from pressreview.settings import load_settings  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"
SOURCES = {"scrapinghub": "article_extraction/scrapinghub_aeb/", "trafilatura": "article_extraction/trafilatura_eval/"}
TARGET = 50.0


def dev_pages(shared: Path) -> dict[str, list[Path]]:
    """The dev pages of each source, in the split file's order."""
    bench = shared / "benchmarks"
    split = bench / "realnews-split.tsv"
    if not split.is_file():
        raise FileNotFoundError(f"benchmark data not found: {split} (pass --shared PATH)")
    pages: dict[str, list[Path]] = {name: [] for name in SOURCES}
    for line in split.read_text(encoding="utf-8").splitlines()[1:]:
        item, _, role = line.partition("\t")
        if role.strip() != "dev":
            continue
        for name, prefix in SOURCES.items():
            if item.startswith(prefix) and (bench / item).is_file():
                pages[name].append(bench / item)
    return pages


def run(pages: list[Path], settings: dict, repeat: int = 1) -> dict[str, float]:
    """Seconds for reading and normalising every page `repeat` times, and the part of it in
    trafilatura's bare_extraction."""
    import trafilatura

    inner = trafilatura.bare_extraction
    in_trafilatura = 0.0

    def timed(*args, **kwargs):
        nonlocal in_trafilatura
        start = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            in_trafilatura += time.perf_counter() - start

    rejected = 0
    with mock.patch("pressreview.webpage.trafilatura.bare_extraction", timed):
        start = time.perf_counter()
        for _ in range(repeat):
            for path in pages:
                try:
                    doc = read.read_file(path, path.parent, settings["max_file_bytes"])
                except read.InputError:
                    rejected += 1
                    continue
                normalise.normalise(doc, settings)
        seconds = time.perf_counter() - start
    return {"pages": len(pages) * repeat, "seconds": seconds, "trafilatura": in_trafilatura, "rejected": rejected}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="HTML reading speed on the real dev pages.")
    ap.add_argument("--shared", default=str(DEFAULT_SHARED))
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args(argv)
    try:
        pages = dev_pages(Path(args.shared))
    except FileNotFoundError as exc:
        print(f"bench_html: skipped: {exc}")
        return 0
    settings = load_settings(ROOT)
    warm = next((p for group in pages.values() for p in group), None)
    if warm is None:
        print("bench_html: skipped: no dev pages found")
        return 0
    normalise.normalise(read.read_file(warm, warm.parent), settings)  # imports and caches outside the timing
    print("| pages | n | pages/s | of the time in trafilatura | rejected |")
    print("| --- | ---: | ---: | ---: | ---: |")
    total = {"pages": 0, "seconds": 0.0, "trafilatura": 0.0, "rejected": 0}
    for name, group in pages.items():
        r = run(group, settings, args.repeat)
        for key in total:
            total[key] += r[key]
        print(f"| {name} dev | {len(group)} | {r['pages'] / r['seconds']:.1f} | "
              f"{r['trafilatura'] / r['seconds']:.0%} | {r['rejected']} |")
    rate = total["pages"] / total["seconds"]
    print(f"| all | {sum(len(g) for g in pages.values())} | {rate:.1f} | "
          f"{total['trafilatura'] / total['seconds']:.0%} | {total['rejected']} |")
    print(f"\nHTML reading: {rate:.1f} pages/s on one core (target >= {TARGET:.0f}: "
          f"{'met' if rate >= TARGET else 'not met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
