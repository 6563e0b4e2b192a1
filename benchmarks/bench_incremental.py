"""The MkDocs step of a one-article rebuild: full against incremental, beside a bare MkDocs build.

    python benchmarks/bench_incremental.py [--shared ../shared] [--articles 1000] [--rounds 2]

In a fresh temporary project of N 10kGNAD articles (benchmarks/corpus10k.py): `build.py -v build`
once (a full MkDocs step), then per round: one article gets one more sentence and `build.py -v
build` runs again (an incremental MkDocs step), and the same docs/ are built in full once more
(the record beside site/ removed). The figures are those of the log line of publish.build_site
("MkDocs step: wall, CPU"; CPU of build.py and MkDocs together). The bare MkDocs build is
bench_site's (the same articles as plain pages), its CPU from os.wait4.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_analysis import DEFAULT_SHARED  # noqa: E402
from benchmarks.bench_scale import make_project  # noqa: E402
from benchmarks.bench_site import LAST_CPU, bare_project, child  # noqa: E402
from benchmarks.corpus10k import distinct_articles, input_files  # noqa: E402

STEP = re.compile(r"MkDocs step: ([\d.]+) s, CPU ([\d.]+) s")
KIND = re.compile(r"MkDocs: (.*)")


def step(project: Path) -> tuple[str, float, float]:
    """`build.py -v build`: what the MkDocs step did, its seconds and CPU seconds."""
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "-v", "--project", str(project), "build"],
                            capture_output=True, text=True, cwd=project)
    if result.returncode:
        raise SystemExit(result.stderr[-2000:])
    seconds = STEP.search(result.stderr)
    kind = KIND.search(result.stderr)
    assert seconds and kind, result.stderr[-2000:]
    return kind[1], float(seconds[1]), float(seconds[2])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(DEFAULT_SHARED))
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    articles = distinct_articles(Path(args.shared), args.articles)
    with tempfile.TemporaryDirectory(prefix="pr-bench-inc-") as tmp:
        (Path(tmp) / "project").mkdir()
        project = make_project(Path(tmp) / "project", input_files(articles))
        print("first build   %-60s %6.2f s  CPU %6.2f s" % step(project))
        for i in range(args.rounds):
            one = project / "seeds" / articles[(i + 1) * len(articles) // (args.rounds + 1)].name
            one.write_text(one.read_text(encoding="utf-8").rstrip("\n") + " Der Satz kam beim Neubau hinzu.\n",
                           encoding="utf-8")
            print("one article   %-60s %6.2f s  CPU %6.2f s" % step(project))
            (project / ".site.pressreview-pages.json").unlink()
            (project / ".site.pressreview-stamp").unlink()
            print("same, in full %-60s %6.2f s  CPU %6.2f s" % step(project))
        bare = Path(tmp) / "bare"
        config = bare_project(bare, articles)
        seconds, _ = child([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config),
                            "-d", str(bare / "site")], bare, Path(tmp) / "bare.log")
        print("bare MkDocs   %-60s %6.2f s  CPU %6.2f s" % (f"{len(articles)} plain pages", seconds, LAST_CPU[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
