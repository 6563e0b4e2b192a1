"""Whole pipeline on real news: N German articles of 10kGNAD -> analysis -> docs/ -> site.

    python benchmarks/bench_build.py [--shared ../shared] [--articles 200]

Writes the first N articles of ../shared/benchmarks/10kgnad/test.csv as .txt files into a
temporary project (a copy of this project's mkdocs.yml and hand-written docs/), then times
each stage in this process: read + normalise + analyse, writing docs/, and the real
`mkdocs build --strict` (a subprocess), and the PDF report. Prints seconds per stage, sentences per second for
the analysis, the site's size and the peak RSS of the build's processes.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_analysis import DEFAULT_SHARED, load_10kgnad  # noqa: E402
from benchmarks.bench_scale import make_project, timed_stages  # noqa: E402
from pressreview.pdf import build_pdf  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(DEFAULT_SHARED))
    ap.add_argument("--articles", type=int, default=200)
    args = ap.parse_args(argv)
    try:
        articles = load_10kgnad(Path(args.shared))[: args.articles]
    except FileNotFoundError as exc:
        print(f"bench_build: {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp), {f"{i:04d}.txt": text + "\n" for i, (_, text) in enumerate(articles)})
        try:
            corpus, settings, f = timed_stages(project, with_mkdocs=True)
        except RuntimeError as exc:
            print(f"bench_build: {exc}", file=sys.stderr)
            return 1
        sentences = sum(len(a.sentences) for a in corpus.articles)
        size = sum(p.stat().st_size for p in (project / "site").rglob("*") if p.is_file())
        print(f"site build of {len(corpus.articles)} 10kGNAD articles ({sentences:,} sentences, "
              f"{len(corpus.rejected)} rejected)")
        print(f"  read + normalise + analyse {f['analyse']:6.2f} s  ({sentences / f['analyse']:,.0f} sentences/s)")
        print(f"  write docs/                {f['docs']:6.2f} s")
        print(f"  mkdocs build --strict      {f['mkdocs']:6.2f} s")
        total = f["analyse"] + f["docs"] + f["mkdocs"]
        print(f"  total                      {total:6.2f} s; site {size / 2**20:.1f} MiB")
        figures = build_pdf(corpus, settings, project / "report.pdf")
        print(f"  PDF report                 {figures['seconds']:6.2f} s; {figures['pages']} pages, "
              f"{figures['bytes'] / 2**20:.1f} MiB")
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"  peak RSS: this process {own:.0f} MiB, largest child (mkdocs, chromium) {child:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
