"""Bounded work on large input: one long article, and many small files.

    python benchmarks/bench_scale.py [--shared ../shared] [--sizes 2,5] [--amounts] [--files 20000] [--mkdocs]

Each build runs in a child process: the stages of `build.py build` one after the other
(read + normalise + analyse + compare, writing docs/, `mkdocs build --strict`), each timed,
and the peak RSS of the child and of the processes it started (MkDocs), from os.wait4.

(a) One article of 2 MB and one of 5 MB, made of the German news of
    ../shared/benchmarks/10kgnad/test.csv (one article per paragraph, repeated to the size),
    the whole site. With --amounts also 2 MB of sentences with many different amounts ("Der
    Umsatz von BASF stieg im Quartal um 12,3 Prozent auf 45,6 Mrd. Euro, der Gewinn lag bei
    512 Mio. Euro."), the worst case for the comparison (not in `make bench`, for time).
(b) N small files (default 20,000): the 10kGNAD test articles cut into pieces of three
    sentences, cycled (the same piece comes back every ~8,000 files, as agency copies do),
    each with its own headline: up to docs/ (`build.py docs`), without MkDocs. MkDocs on
    20,000 pages (--mkdocs) does not finish in reasonable time: Material's navigation lists
    every page in every article page (20,011 links, 5.7 MB a page, measured), so the site
    grows with the square of the corpus (about 110 GB); that needs a nav setting in
    mkdocs.yml (articles not in the navigation), not a change of pressreview's code.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_analysis import DEFAULT_SHARED, load_10kgnad  # noqa: E402
from pressreview.pipeline import copy_hand_written  # noqa: E402


def make_project(folder: Path, files: dict[str, str]) -> Path:
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    copy_hand_written(ROOT / "docs", folder / "docs")
    # The long articles are measured past the default size limit (max_file_bytes, 5 MB), which
    # would otherwise reject the 5 MB one unread.
    (folder / "pressreview.yml").write_text("max_file_bytes: 50000000\n", encoding="utf-8")
    seeds = folder / "seeds"
    seeds.mkdir()
    for name, text in files.items():
        (seeds / name).write_text(text, encoding="utf-8")
    return folder


def timed_stages(project: Path, with_mkdocs: bool) -> tuple[Any, dict[str, Any], dict[str, float]]:
    """The stages of `build.py build` one after the other, timed: (corpus, settings, figures)."""
    from pressreview.pipeline import analyse_corpus, write_docs
    from pressreview.publish import mkdocs
    from pressreview.settings import load_settings

    settings = load_settings(project)
    t0 = time.perf_counter()
    corpus = analyse_corpus(settings)
    t1 = time.perf_counter()
    write_docs(corpus, settings)
    t2 = time.perf_counter()
    if with_mkdocs and mkdocs("build", project, corpus.interface_language(settings), epoch=corpus.epoch()):
        raise RuntimeError("mkdocs build failed")
    t3 = time.perf_counter()
    return corpus, settings, {"analyse": t1 - t0, "docs": t2 - t1, "mkdocs": t3 - t2,
                              "sentences": sum(len(a.sentences) for a in corpus.articles),
                              "articles": len(corpus.articles), "rejected": len(corpus.rejected)}


def stages(project: Path, with_mkdocs: bool) -> dict[str, float]:
    """In the child: the timed stages (see timed_stages)."""
    return timed_stages(project, with_mkdocs)[2]


def run(project: Path, with_mkdocs: bool) -> dict[str, float]:
    """The stages in a child process; its seconds and the peak RSS (MiB) of it and of the
    processes it started (os.wait4)."""
    out = project / "stages.json"
    args = [sys.executable, __file__, "--stages", str(project), "--out", str(out)] + (["--mkdocs"] if with_mkdocs else [])
    start = time.perf_counter()
    with open(project / "build.log", "w", encoding="utf-8") as err:
        child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err, cwd=project)
        _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        tail = (project / "build.log").read_text(encoding="utf-8")[-2000:]
        raise RuntimeError(f"bench_scale: the build failed ({child.returncode}):\n{tail}")
    figures = json.loads(out.read_text(encoding="utf-8"))
    if not figures["articles"]:
        raise RuntimeError(f"bench_scale: no article was read in {project} (all rejected?): nothing measured")
    figures.update(total=time.perf_counter() - start, rss=usage.ru_maxrss / 1024)  # KiB on Linux
    return figures


def report(figures: dict[str, float], with_mkdocs: bool) -> None:
    f = figures
    print(f"  read + normalise + analyse + compare {f['analyse']:7.2f} s  ({f['sentences'] / f['analyse']:,.0f} sentences/s)")
    print(f"  write docs/                          {f['docs']:7.2f} s")
    if with_mkdocs:
        print(f"  mkdocs build --strict                {f['mkdocs']:7.2f} s")
    print(f"  total (the child process)            {f['total']:7.2f} s; peak RSS {f['rss']:.0f} MiB")


def long_article(texts: list[str], size: int) -> str:
    out: list[str] = []
    total = 0
    while total < size:
        text = texts[len(out) % len(texts)]
        out.append(text)
        total += len(text.encode("utf-8")) + 2
    return "\n\n".join(out) + "\n"


def amounts_article(size: int) -> str:
    rnd = random.Random(8)
    firms = ["Siemens", "BASF", "Bayer", "Allianz", "SAP", "Linde", "RWE", "Henkel"]
    paragraphs: list[str] = []
    total = 0
    while total < size:
        sentences = [f"Der Umsatz von {rnd.choice(firms)} stieg im Quartal um {rnd.randint(1, 30)},{rnd.randint(0, 9)} "
                     f"Prozent auf {rnd.randint(1, 99)},{rnd.randint(0, 9)} Mrd. Euro, der Gewinn lag bei "
                     f"{rnd.randint(100, 999)} Mio. Euro." for _ in range(8)]
        paragraphs.append(" ".join(sentences))
        total += len(paragraphs[-1].encode("utf-8")) + 2
    return "\n\n".join(paragraphs) + "\n"


def small_files(texts: list[str], n: int) -> dict[str, str]:
    pieces: list[str] = []
    for text in texts:
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])", text)
        pieces += [" ".join(sentences[k:k + 3]) for k in range(0, len(sentences), 3)]
    return {f"{i:05d}.txt": f"Meldung {i}\n\n{pieces[i % len(pieces)]}\n" for i in range(n)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(DEFAULT_SHARED))
    ap.add_argument("--sizes", default="2,5", help="sizes of the long 10kGNAD article in MB")
    ap.add_argument("--amounts", action="store_true", help="also 2 MB of sentences with many amounts")
    ap.add_argument("--files", type=int, default=20000, help="number of small files (0: skip)")
    ap.add_argument("--mkdocs", action="store_true", help="also build the site of the small files with MkDocs")
    ap.add_argument("--stages", help=argparse.SUPPRESS)  # in the child: the project folder
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stages:
        Path(args.out).write_text(json.dumps(stages(Path(args.stages), args.mkdocs)), encoding="utf-8")
        return 0
    try:
        texts = [text for _, text in load_10kgnad(Path(args.shared))]
    except FileNotFoundError as exc:
        print(f"bench_scale: {exc}", file=sys.stderr)
        return 2
    cases = [(f"{mb} MB of 10kGNAD news", long_article(texts, int(float(mb) * 1_000_000)))
             for mb in args.sizes.split(",") if mb]
    if args.amounts:
        cases.append(("2 MB of sentences with many different amounts", amounts_article(2_000_000)))
    for title, text in cases:
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(Path(tmp), {"long.txt": text})
            figures = run(project, with_mkdocs=True)
            print(f"site build of one article: {title} ({len(text.encode('utf-8')) / 1e6:.1f} MB, "
                  f"{figures['sentences']:,.0f} sentences)")
            report(figures, with_mkdocs=True)
    if args.files:
        files = small_files(texts, args.files)
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(Path(tmp), files)
            size = sum(len(t.encode("utf-8")) for t in files.values())
            figures = run(project, with_mkdocs=args.mkdocs)
            print(f"{'site build' if args.mkdocs else 'docs/ (no MkDocs)'} of {args.files:,} small files "
                  f"({size / 1e6:.1f} MB, {figures['sentences']:,.0f} sentences)")
            report(figures, with_mkdocs=args.mkdocs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
