"""Cold and warm `build.py docs`: the analysis cache and the process pool (issue 13, points 1-3).

    python benchmarks/bench_cache.py [--shared ../shared] [--articles 1000] [--jobs 1,2]

N articles of ../shared/benchmarks/10kgnad/test.csv (cycled when N is larger, each file with its
own headline so that every file is distinct), one file each. For each --jobs value, in a fresh
child process each: a cold build (empty cache), a warm one (every analysis from the cache) and
one after one article changed. Prints seconds and articles per second of the analysis
(read + normalise + analyse), of compare and of writing docs/, and of the whole command; and
the whole `build.py docs` with nothing changed (pressreview/stamp.py: the pages are not made).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_analysis import DEFAULT_SHARED, load_10kgnad  # noqa: E402
from pressreview.pipeline import copy_hand_written  # noqa: E402

CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from pressreview import pipeline
from pressreview.settings import load_settings
spent = {{}}
real = pipeline.compare
def compare(*a, **k):
    t = time.perf_counter(); out = real(*a, **k); spent['compare'] = time.perf_counter() - t; return out
pipeline.compare = compare
t0 = time.perf_counter()
settings = load_settings(Path({project!r}))
corpus = pipeline.analyse_corpus(settings, jobs={jobs}, cache=True)
t1 = time.perf_counter()
pipeline.write_docs(corpus, settings).commit(pipeline.OWNED)
t2 = time.perf_counter()
print(json.dumps({{"articles": len(corpus.articles), "analyse": t1 - t0 - spent['compare'],
                  "compare": spent['compare'], "write_docs": t2 - t1, "total": t2 - t0}}))
"""


def run(project: Path, jobs: int) -> dict:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), project=str(project), jobs=jobs)],
                         capture_output=True, text=True, check=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["process"] = time.perf_counter() - start  # with Python's start and the imports
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(DEFAULT_SHARED))
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--jobs", default="1,2")
    args = parser.parse_args()
    rows = load_10kgnad(Path(args.shared))
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        copy_hand_written(ROOT / "docs", project / "docs")
        seeds = project / "seeds"
        seeds.mkdir()
        for n in range(args.articles):
            label, text = rows[n % len(rows)]
            (seeds / f"a{n:05d}.txt").write_text(f"Meldung {n} aus dem Ressort {label}\n\n{text}\n", encoding="utf-8")
        print(f"{args.articles} articles of 10kGNAD; seconds (articles/s of the analysis)")
        print("| jobs | build | analyse | compare | write_docs | whole command |")
        print("|---|---|---|---|---|---|")
        for jobs in (int(j) for j in args.jobs.split(",")):
            shutil.rmtree(project / ".cache", ignore_errors=True)
            for name in ("cold", "warm", "one changed"):
                if name == "one changed":
                    first = seeds / "a00000.txt"
                    first.write_text(first.read_text(encoding="utf-8") + f"\nNachtrag {jobs}.\n", encoding="utf-8")
                f = run(project, jobs)
                print(f"| {jobs} | {name} | {f['analyse']:.1f} s ({f['articles'] / f['analyse']:.0f}/s) | "
                      f"{f['compare']:.1f} s | {f['write_docs']:.1f} s | {f['process']:.1f} s |", flush=True)
            command = [sys.executable, str(ROOT / "build.py"), "--project", str(project), "docs", "--jobs", str(jobs)]
            subprocess.run(command, capture_output=True, check=True)  # records what docs/ was made from
            start = time.perf_counter()
            out = subprocess.run(command, capture_output=True, text=True, check=True)
            seconds, skipped = time.perf_counter() - start, "is up to date" in out.stderr
            print(f"| {jobs} | nothing changed ({'skipped' if skipped else 'NOT skipped'}) | | | | {seconds:.1f} s |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
