"""Measure how well article text is taken out of real web pages: pressreview ("ours") side by side
with plain trafilatura, on data no one here wrote (../shared/benchmarks, see its README.md).

    python benchmarks/eval_extraction.py [--shared ../shared] [--dev-pages]

1. ScrapingHub article-extraction benchmark (181 pages, mostly English news): body precision,
   recall and F1 against the hand-made ``articleBody`` of each page, with the benchmark's own
   metric (4-token shingles, per-page scores averaged, bootstrap standard deviation; see
   ``shingle_counts`` and ``summarise``).  Reported over all 181 pages (aggregate only) and over
   the ``dev`` pages of realnews-split.tsv (the ones we may look at and tune on).
2. trafilatura's evaluation snippets on 61 German news pages: the share of ``with`` snippets found
   in the text, the share of ``without`` snippets absent, and trafilatura's F1 over both, separately
   for ``dev`` (tuning) and ``test`` (reporting) pages.

"trafilatura" is ``trafilatura.extract(html, include_comments=False)``, the way the two source
benchmarks run it (ScrapingHub's script hands it the page decoded as UTF-8, trafilatura's own
evaluation the raw bytes; each is followed here).  "ours" is the page saved to a temporary folder and read by
``pressreview.read.read_file`` + ``pressreview.normalise.normalise`` with default settings; its
article text is the text of the heading, paragraph and list blocks.  The title block is left out:
no ``articleBody`` on a dev page starts with the headline.

Per-page figures are printed (``--dev-pages``) for dev pages only; test pages are only ever
summed.  ``evaluate_extraction`` is importable for ``make eval`` (pressreview/evaluation.py).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.eval_claims import DEFAULT_SHARED, DataMissing, _bench_dir  # noqa: E402

SCRAPINGHUB = "article_extraction/scrapinghub_aeb"
TRAFILATURA_EVAL = "article_extraction/trafilatura_eval"
N_BOOTSTRAP = 1000
SEED = 20191119  # the bootstrap is random in the source; seeded here so `make eval --check` is stable
ARTICLE_KINDS = ("heading", "paragraph", "list")

Extractor = Callable[[bytes, str], str]


# --------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------

def load_roles(bench: Path) -> dict[str, str]:
    """{item path relative to benchmarks/: 'dev' | 'test'} from realnews-split.tsv."""
    path = bench / "realnews-split.tsv"
    if not path.is_file():
        raise DataMissing(f"missing {path}")
    roles = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        item, role = line.split("\t")
        roles[item] = role
    return roles


@dataclass(frozen=True)
class Page:
    key: str  # ScrapingHub item id or trafilatura_eval file name
    role: str  # 'dev' | 'test'
    html: bytes
    expected: dict  # ScrapingHub: {'articleBody', 'url'}; trafilatura: the evaldata.json entry


def scrapinghub_pages(bench: Path, roles: dict[str, str]) -> list[Page]:
    folder = bench / SCRAPINGHUB
    truth_path = folder / "ground-truth.json"
    if not truth_path.is_file():
        raise DataMissing(f"missing {truth_path}")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        rel = f"{SCRAPINGHUB}/html/{key}.html.gz"
        path = bench / rel
        if not path.is_file() or rel not in roles:
            raise DataMissing(f"missing {path} or its row in realnews-split.tsv")
        pages.append(Page(key, roles[rel], gzip.decompress(path.read_bytes()), truth[key]))
    return pages


def trafilatura_pages(bench: Path, roles: dict[str, str]) -> list[Page]:
    folder = bench / TRAFILATURA_EVAL
    manifest, evaldata = folder / "MANIFEST.tsv", folder / "evaldata.json"
    if not manifest.is_file() or not evaldata.is_file():
        raise DataMissing(f"missing {manifest} or {evaldata}")
    entries = json.loads(evaldata.read_text(encoding="utf-8"))
    pages = []
    for line in manifest.read_text(encoding="utf-8").splitlines()[1:]:
        name, _, url = line.split("\t")[:3]
        rel = f"{TRAFILATURA_EVAL}/html/{name}"
        path = bench / rel
        if not path.is_file() or rel not in roles or url not in entries:
            raise DataMissing(f"missing {path}, its row in realnews-split.tsv or its evaldata.json entry")
        pages.append(Page(name, roles[rel], path.read_bytes(), entries[url]))
    return pages


# --------------------------------------------------------------------------
# extractors
# --------------------------------------------------------------------------

def extract_trafilatura(html: bytes, name: str) -> str:
    """Plain trafilatura as ScrapingHub's extractors/run_trafilatura.py runs it: the page read as
    UTF-8 text, then ``trafilatura.extract(html, include_comments=False)``."""
    import trafilatura

    return trafilatura.extract(html.decode("utf-8", errors="replace"), include_comments=False) or ""


def extract_trafilatura_bytes(html: bytes, name: str) -> str:
    """Plain trafilatura as trafilatura's tests/evaluate.py runs it on its own evaluation pages: the
    raw bytes (trafilatura guesses the encoding; 6 of the 61 German pages are not UTF-8), with
    tests/eval_common.py's EXTRACT_OPTS (include_comments=False; include_tables=True and
    include_formatting=False are the defaults)."""
    import trafilatura

    return trafilatura.extract(html, include_comments=False) or ""


def make_ours(folder: Path) -> Extractor:
    """pressreview's reader and normaliser with default settings, as a user's build runs them."""
    from pressreview import normalise, read
    from pressreview.settings import load_settings

    settings = load_settings(folder)

    def extract(html: bytes, name: str) -> str:
        path = folder / f"{name}.html"
        path.write_bytes(html)
        try:
            doc = read.read_file(path, folder)
            article = normalise.normalise(doc, settings)
        except Exception:  # a page we cannot read counts as no text, like a crash in the sources
            return ""
        finally:
            path.unlink()
        return article_text(article.blocks)

    return extract


def article_text(blocks) -> str:
    """The text of the heading, paragraph and list blocks (list intro and items), one per line."""
    lines = []
    for b in blocks:
        if b.kind not in ARTICLE_KINDS:
            continue
        if b.text:
            lines.append(b.text)
        lines.extend(text for _, text in b.items)
    return "\n".join(lines)


# --------------------------------------------------------------------------
# ScrapingHub metric: written after evaluate.py of scrapinghub/article-extraction-benchmark
# @ 4a3bc979f76c0df73cb95fe272e2fc1b96f9f010 (MIT): tokens are \w+ runs, a page is compared as a
# multiset of 4-token shingles, its tp/fp/fn are divided by their sum (so long pages do not weigh
# more), precision and recall are the means over pages (skipping pages where they are undefined),
# F1 is computed from those means, and the standard deviations come from 1000 bootstrap resamples
# of the pages.
# --------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str, n: int = 4) -> Counter:
    toks = tokens(text)
    # a text shorter than n tokens is one (short) shingle; an empty text has none
    return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i:i + n])


def shingle_counts(true: str, pred: str) -> tuple[float, float, float]:
    """(tp, fp, fn) over 4-token shingles, divided by their sum."""
    t, p = shingles(true), shingles(pred)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def prf(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    p = statistics.mean([_precision(*c) for c in counts if c[0] + c[1] > 0])
    r = statistics.mean([_recall(*c) for c in counts if c[0] + c[2] > 0])
    return p, r, 2 * p * r / (p + r)


@dataclass
class BodyScore:
    name: str
    pages: int
    precision: float
    recall: float
    f1: float
    precision_std: float
    recall_std: float
    f1_std: float
    empty: int  # pages where the extractor gave no text
    seconds: float


def summarise(name: str, counts: list[tuple[float, float, float]], empty: int, seconds: float) -> BodyScore:
    p, r, f = prf(counts)
    rng = random.Random(SEED)
    samples = [prf([counts[rng.randrange(len(counts))] for _ in counts]) for _ in range(N_BOOTSTRAP)]
    std = [statistics.stdev(s[i] for s in samples) for i in range(3)]
    return BodyScore(name, len(counts), p, r, f, std[0], std[1], std[2], empty, seconds)


# --------------------------------------------------------------------------
# trafilatura snippets: as tests/eval_common.py (count_item, ConfusionMatrix) in adbar/trafilatura
# counts them (the successor of tests/comparison.py's evaluate_result): a `with` snippet found is a
# true positive, missed a false negative; a `without` snippet found is a false positive, absent a
# true negative; matching after collapsing whitespace; F1 = 2tp / (2tp + fp + fn) over all pages.
# --------------------------------------------------------------------------

def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class SnippetScore:
    name: str
    pages: int
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    seconds: float = 0.0

    def add(self, entry: dict, text: str) -> tuple[int, int, int, int]:
        found = _ws(text)
        tp = sum(1 for s in entry["with"] if _ws(s) in found)
        fp = sum(1 for s in entry["without"] if _ws(s) in found)
        counts = (tp, fp, len(entry["with"]) - tp, len(entry["without"]) - fp)
        self.tp, self.fp, self.fn, self.tn = (a + b for a, b in zip((self.tp, self.fp, self.fn, self.tn), counts))
        return counts

    @property
    def with_found(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def without_absent(self) -> float:
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def f1(self) -> float:
        denom = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denom if denom else 0.0


# --------------------------------------------------------------------------
# running
# --------------------------------------------------------------------------

def run_body(pages: list[Page], extractors: dict[str, Extractor], per_page: list[str] | None = None
             ) -> list[tuple[str, BodyScore]]:
    """[(subset, score)] for every extractor over all pages and over the dev pages.
    per_page, when given, collects one line per dev page (never a test page)."""
    results = []
    for name, extract in extractors.items():
        counts, roles, empty, seconds = [], [], [], 0.0
        for page in pages:
            start = time.perf_counter()
            text = extract(page.html, page.key)
            seconds += time.perf_counter() - start
            c = shingle_counts(page.expected.get("articleBody", ""), text)
            counts.append(c)
            roles.append(page.role)
            empty.append(not text.strip())
            if per_page is not None and page.role == "dev":
                p, r, f = prf([c])
                per_page.append(f"{name:12s} {page.key[:16]} P {p:.3f} R {r:.3f} F1 {f:.3f}  {page.expected['url']}")
        results.append(("all", summarise(name, counts, sum(empty), seconds)))
        dev = [i for i, role in enumerate(roles) if role == "dev"]
        results.append(("dev", summarise(name, [counts[i] for i in dev], sum(empty[i] for i in dev), 0.0)))
    return results


def run_snippets(pages: list[Page], extractors: dict[str, Extractor], per_page: list[str] | None = None
                 ) -> list[tuple[str, SnippetScore]]:
    results = []
    for name, extract in extractors.items():
        scores = {role: SnippetScore(name, sum(1 for p in pages if p.role == role)) for role in ("dev", "test")}
        for page in pages:
            start = time.perf_counter()
            text = extract(page.html, page.key.rsplit(".", 1)[0])
            scores[page.role].seconds += time.perf_counter() - start
            counts = scores[page.role].add(page.expected, text)
            if per_page is not None and page.role == "dev":
                per_page.append(f"{name:12s} {page.key[:16]} with {counts[0]}/{counts[0] + counts[2]} found, "
                                f"without {counts[1]}/{counts[1] + counts[3]} found")
        results += [("dev", scores["dev"]), ("test", scores["test"])]
    return results


def evaluate_extraction(shared: Path = DEFAULT_SHARED, per_page: list[str] | None = None) -> tuple[str, str]:
    """(plain table for the terminal, Markdown table for the methodology page); raises DataMissing."""
    bench = _bench_dir(Path(shared))
    roles = load_roles(bench)
    body_pages = scrapinghub_pages(bench, roles)
    snippet_pages = trafilatura_pages(bench, roles)
    with tempfile.TemporaryDirectory(prefix="pressreview-eval-") as tmp:
        ours = make_ours(Path(tmp))
        body = run_body(body_pages, {"trafilatura": extract_trafilatura, "pressreview": ours}, per_page)
        snippets = run_snippets(snippet_pages, {"trafilatura": extract_trafilatura_bytes, "pressreview": ours}, per_page)
    return format_plain(body, snippets), format_markdown(body, snippets)


_BODY_USE = {"all": "all 181 pages (aggregate)", "dev": "dev pages (tuning)"}
_SNIPPET_USE = {"dev": "dev pages (tuning)", "test": "test pages (held out)"}


def format_plain(body: list[tuple[str, BodyScore]], snippets: list[tuple[str, SnippetScore]]) -> str:
    head = f"{'ScrapingHub body text':30s} {'extractor':12s} {'pages':>5s} {'P':>13s} {'R':>13s} {'F1':>13s} {'empty':>5s}"
    lines = [head, "-" * len(head)]
    for subset, s in sorted(body, key=lambda x: x[0]):
        lines.append(f"{_BODY_USE[subset]:30s} {s.name:12s} {s.pages:5d} {s.precision:6.3f} ± {s.precision_std:.3f} "
                     f"{s.recall:6.3f} ± {s.recall_std:.3f} {s.f1:6.3f} ± {s.f1_std:.3f} {s.empty:5d}")
    lines.append("")
    head = (f"{'trafilatura snippets (German)':30s} {'extractor':12s} {'pages':>5s} {'with':>6s} {'without':>8s} "
            f"{'P':>6s} {'F1':>6s}")
    lines += [head, "-" * len(head)]
    for subset, t in sorted(snippets, key=lambda x: x[0]):
        lines.append(f"{_SNIPPET_USE[subset]:30s} {t.name:12s} {t.pages:5d} {t.with_found:6.3f} {t.without_absent:8.3f} "
                     f"{t.precision:6.3f} {t.f1:6.3f}")
    lines.append("")
    lines.append("ScrapingHub: 4-token shingles against articleBody, per-page P/R averaged, ± bootstrap std (1000).")
    lines.append("Snippets: with = share of `with` snippets found; without = share of `without` snippets absent.")
    times = {s.name: s.seconds for subset, s in body if subset == "all"}
    times_s: dict[str, float] = {}
    for _, t in snippets:
        times_s[t.name] = times_s.get(t.name, 0.0) + t.seconds
    lines.append("Time: " + ", ".join(f"{n} {times[n] + times_s.get(n, 0.0):.1f} s" for n in times))
    return "\n".join(lines)


def format_markdown(body: list[tuple[str, BodyScore]], snippets: list[tuple[str, SnippetScore]]) -> str:
    rows = ["| ScrapingHub body text | Extractor | Pages | Precision | Recall | F1 |",
            "| --- | --- | ---: | ---: | ---: | ---: |"]
    for subset, s in sorted(body, key=lambda x: x[0]):
        rows.append(f"| {_BODY_USE[subset]} | {s.name} | {s.pages} | {s.precision:.3f} ± {s.precision_std:.3f} | "
                    f"{s.recall:.3f} ± {s.recall_std:.3f} | {s.f1:.3f} ± {s.f1_std:.3f} |")
    rows += ["", "| trafilatura snippets (German) | Extractor | Pages | `with` found | `without` absent | F1 |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    for subset, t in sorted(snippets, key=lambda x: x[0]):
        rows.append(f"| {_SNIPPET_USE[subset]} | {t.name} | {t.pages} | {t.with_found:.3f} | "
                    f"{t.without_absent:.3f} | {t.f1:.3f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Measure article extraction on external benchmarks.")
    ap.add_argument("--shared", default=str(DEFAULT_SHARED), help="folder holding benchmarks/ (default ../shared)")
    ap.add_argument("--dev-pages", action="store_true", help="also print one line per dev page (for tuning)")
    args = ap.parse_args(argv)
    per_page: list[str] | None = [] if args.dev_pages else None
    try:
        plain, _ = evaluate_extraction(Path(args.shared), per_page)
    except DataMissing as exc:
        print(f"eval_extraction: {exc}", file=sys.stderr)
        return 2
    if per_page:
        print("\n".join(per_page) + "\n")
    print(plain)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
