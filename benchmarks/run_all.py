"""`make bench`: every benchmark, one after the other (they need ../shared/benchmarks)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import bench_analysis, bench_build, bench_compare, bench_html, bench_scale, bench_site  # noqa: E402


def main() -> int:
    print("== the site at 100, 1,000 and 5,000 articles (PRESSREVIEW_BENCH_SIZES) beside a bare MkDocs build, "
          "and the time per article (bench_site.py; written into docs/_pages/*/reference/performance.md)", flush=True)
    codes = [bench_site.main([])]
    print("\n== analysis: sentence splitting and claim marking (bench_analysis.py)")
    codes.append(bench_analysis.main([]))
    print("\n== whole pipeline and site build (bench_build.py)")
    codes.append(bench_build.main([]))
    print("\n== HTML reading: real dev pages, read and normalised (bench_html.py)")
    codes.append(bench_html.main([]))
    print("\n== bounded work: long articles and 20,000 small files (bench_scale.py)")
    codes.append(bench_scale.main([]))
    print("\n== comparison: false topics on 10kGNAD, time for 1,000 and 10,000 articles (bench_compare.py)")
    codes.append(bench_compare.main([]))
    return next((c for c in codes if c), 0)

if __name__ == "__main__":
    raise SystemExit(main())
