"""`make bench`: every benchmark, one after the other (they need ../shared/benchmarks)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import bench_analysis, bench_build, bench_compare, bench_html, bench_scale  # noqa: E402


def main() -> int:
    print("== analysis: sentence splitting and claim marking (bench_analysis.py)")
    code = bench_analysis.main([])
    print("\n== whole pipeline and site build (bench_build.py)")
    code = code or bench_build.main([])
    print("\n== HTML reading: real dev pages, read and normalised (bench_html.py)")
    code = code or bench_html.main([])
    print("\n== bounded work: long articles and 20,000 small files (bench_scale.py)")
    code = code or bench_scale.main([])
    print("\n== comparison: false topics on 10kGNAD, time for 1,000 and 10,000 articles (bench_compare.py)")
    return code or bench_compare.main([])


if __name__ == "__main__":
    raise SystemExit(main())
