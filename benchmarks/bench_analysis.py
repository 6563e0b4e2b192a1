"""Throughput and memory of sentence splitting + claim classification.

    python benchmarks/bench_analysis.py [--shared ../shared] [--limit N] [--no-tracemalloc]

Reads all 1,028 German articles of ../shared/benchmarks/10kgnad/test.csv as the
README says (`;`-separated, quotechar `'`, no header; `label;text`, the text is
the sub-headline + ". " + body on ONE line, with no paragraph breaks), splits
every article into sentences with pressreview.sentences.split_sentences(text,
"de") and classifies each sentence with the German rule pack.

Because 10kGNAD has no paragraph breaks, every article is passed to the
splitter as one "paragraph" (the pipeline passes real paragraphs, which is
faster: pysbd slows down on long input).

Prints articles, sentences, seconds and sentences per second for splitting,
classifying and both; what the context conditions of the rules cost (the same
sentences classified once more by the pack with every `requires:`/`forbids:`
removed); the English pack on the English CheckThat! train sentences; peak Python heap (tracemalloc, measured in a second pass
because tracing slows the code down) and peak RSS of the process
(resource.getrusage).
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pressreview.claims import load_rules  # noqa: E402
from pressreview.sentences import split_sentences  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"


def load_10kgnad(shared: Path) -> list[tuple[str, str]]:
    path = Path(shared) / "benchmarks" / "10kgnad" / "test.csv"
    if not path.is_file():
        raise FileNotFoundError(f"benchmark data not found: {path} (pass --shared PATH)")
    with open(path, encoding="utf-8", newline="") as fh:
        return [(row[0], row[1]) for row in csv.reader(fh, delimiter=";", quotechar="'") if len(row) >= 2]


def run(articles: list[tuple[str, str]]) -> dict:
    matcher = load_rules("de")
    t0 = time.perf_counter()
    sents = []
    for _, text in articles:
        sents.extend(text[s:e] for s, e in split_sentences(text, "de"))
    t1 = time.perf_counter()
    labelled = cues = 0
    for s in sents:
        labels, c = matcher.classify(s)
        labelled += bool(labels)
        cues += len(c)
    t2 = time.perf_counter()
    return {
        "articles": len(articles),
        "characters": sum(len(t) for _, t in articles),
        "sentences": len(sents),
        "labelled_sentences": labelled,
        "cues": cues,
        "split_s": t1 - t0,
        "classify_s": t2 - t1,
        "total_s": t2 - t0,
    }


def without_context(lang: str):
    """The pack for ``lang`` with every context condition removed (to time what they cost)."""
    full = load_rules(lang)
    return load_rules(lang, overrides={r.id: {"forbids": [], "requires": []}
                                       for r in full.rules if r.forbids or r.requires})


def time_classify(matcher, sents: list[str]) -> float:
    t0 = time.perf_counter()
    for s in sents:
        matcher.classify(s)
    return time.perf_counter() - t0


def english_sentences(shared: Path) -> list[str]:
    path = Path(shared) / "benchmarks" / "checkthat2025_subjectivity" / "english" / "train_en.tsv"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        col = header.index("sentence")
        return [row[col] for row in reader if len(row) > col]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark splitting + claim classification on 10kGNAD.")
    ap.add_argument("--shared", default=str(DEFAULT_SHARED))
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    ap.add_argument("--no-tracemalloc", action="store_true", help="skip the traced second pass")
    args = ap.parse_args(argv)
    try:
        articles = load_10kgnad(Path(args.shared))
    except FileNotFoundError as exc:
        print(f"bench_analysis: {exc}", file=sys.stderr)
        return 2
    if args.limit:
        articles = articles[: args.limit]
    t_load = time.perf_counter()
    load_rules("de").classify("Die kühnsten Pläne könnten scheitern.")  # compile + load the lemma dictionary
    print(f"rule pack compiled and lemma dictionary loaded once per process: {time.perf_counter() - t_load:.2f} s")
    split_sentences("Warm-up. Satz.", "de")
    r = run(articles)
    n = r["sentences"]
    print(f"10kGNAD test: {r['articles']} articles, {r['characters']:,} characters, {n:,} sentences")
    print(f"  labelled sentences: {r['labelled_sentences']:,} ({r['labelled_sentences'] / n:.1%}), cues: {r['cues']:,}")
    print(f"  split     {r['split_s']:7.2f} s  {n / r['split_s']:9,.0f} sentences/s")
    print(f"  classify  {r['classify_s']:7.2f} s  {n / r['classify_s']:9,.0f} sentences/s")
    print(f"  total     {r['total_s']:7.2f} s  {n / r['total_s']:9,.0f} sentences/s")
    sents = [text[s:e] for _, text in articles for s, e in split_sentences(text, "de")]
    bare = without_context("de")
    bare.classify("Warm-up.")
    t_full, t_bare = time_classify(load_rules("de"), sents), time_classify(bare, sents)
    print(f"  classify de, with / without context conditions: {n / t_full:,.0f} / {n / t_bare:,.0f} sentences/s")
    en = english_sentences(Path(args.shared)) * 4
    if en:
        load_rules("en").classify("Warm-up.")
        t_en, t_en_bare = time_classify(load_rules("en"), en), time_classify(without_context("en"), en)
        print(f"  classify en (CheckThat train x4, {len(en):,} sentences), with / without context conditions: "
              f"{len(en) / t_en:,.0f} / {len(en) / t_en_bare:,.0f} sentences/s")
    if not args.no_tracemalloc:
        tracemalloc.start()
        run(articles)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  peak Python heap during a run (tracemalloc): {peak / 2**20:.1f} MiB")
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"  peak RSS of the process (getrusage): {rss_kib / 1024:.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
