"""`make bench`'s table: the whole build at several corpus sizes, beside a bare MkDocs build.

    python benchmarks/bench_site.py [--shared ../shared] [--sizes 100,1000,5000] [--trend 500,5000] [--no-page]

Sizes come from --sizes, else PRESSREVIEW_BENCH_SIZES (default 100,1000,5000); the trend sizes
from --trend, else PRESSREVIEW_TREND_SIZES (default 500,5000). The articles are 10kGNAD's
(benchmarks/corpus10k.py: made distinct where reused, with dates and outlets).

Per size, in a fresh temporary project, each step a child process (seconds, and its peak RSS
with the processes it started: os.wait4):
- cold build: `build.py build` on the new project;
- no-change rebuild: the same command again;
- one-article rebuild: one article gets one more sentence, then the same command;
- bare MkDocs: the same articles as plain Markdown pages (title and text) with the same
  mkdocs.yml (theme, extensions, CSS) and the same shape of navigation (publish.navigation:
  an index page, the articles `not_in_nav` beyond nav_max_pages), `mkdocs build --strict`;
- the site of the cold build: navigation links per page (Material's primary navigation),
  HTML per article page, the site's size, search_index.json and its size per article.
Analysis speed: `build.py analyse` at min(1,000, largest size) articles with 1 and with 2
processes (`--jobs`, when build.py has it; `--no-cache` when it has that).
Trend (the check that fails): analysis + compare + write_docs timed in one child process per
trend size; the time per article at the largest trend size must stay within 1.5x of that at the
smallest. The navigation must stay within NAV_LINKS_MAX links on every page.

Writes the table into every edition of the performance page (docs/_pages/<language>/reference/performance.md,
between its bench markers) unless --no-page: in English, and in each other language through that
language's _tables.yml (pressreview.evaluation.translate_tables, as `eval --update` does).
Exit status 1 when the trend or the navigation bound fails, 2 when the data is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_analysis import DEFAULT_SHARED  # noqa: E402
from benchmarks.bench_scale import make_project  # noqa: E402
from benchmarks.corpus10k import BenchArticle, distinct_articles, input_files  # noqa: E402

SIZES_ENV, DEFAULT_SIZES = "PRESSREVIEW_BENCH_SIZES", "100,1000,5000"
TREND_ENV, DEFAULT_TREND = "PRESSREVIEW_TREND_SIZES", "500,5000"
TREND_MAX = 1.5  # time per article, largest trend size / smallest
NAV_LINKS_MAX = 110  # "about 100" navigation links on any page
ANALYSIS_MAX = 1000  # articles for the analysis speed
PAGES = ROOT / "docs" / "_pages"  # one edition per language: <language>/PAGE
PAGE = "reference/performance.md"
BEGIN = "<!-- bench:begin (written by `make bench`: benchmarks/bench_site.py) -->"
END = "<!-- bench:end -->"
BUILD = [sys.executable, str(ROOT / "build.py")]


class BenchError(RuntimeError):
    pass


LAST_CPU = [0.0]  # CPU seconds (user + system) of the last child and the processes it started


def child(args: list[str], cwd: Path, log: Path) -> tuple[float, float]:
    """Run a command; (seconds, peak RSS in MiB of it and the processes it started). Its CPU
    seconds go into LAST_CPU (on a shared machine they vary less than the wall clock)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    with open(log, "w", encoding="utf-8") as err:
        proc = subprocess.Popen(args, stdout=err, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        raise BenchError(f"{' '.join(args[-3:])} failed in {cwd}:\n{log.read_text(encoding='utf-8')[-2000:]}")
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss / 1024  # KiB on Linux


@lru_cache(maxsize=None)
def build_options(command: str) -> str:
    """The help text of a build.py command: which options this version has (--jobs, --no-cache)."""
    return subprocess.run([*BUILD, command, "--help"], capture_output=True, text=True, cwd=ROOT).stdout


def cold_options(command: str) -> list[str]:
    return ["--no-cache"] if "--no-cache" in build_options(command) else []


def bare_project(folder: Path, articles: list[BenchArticle]) -> Path:
    """The same articles as plain pages, the same mkdocs.yml and navigation shape."""
    from pressreview.publish import navigation

    docs = folder / "docs"
    (docs / "articles").mkdir(parents=True)
    for name in ("stylesheets", "javascripts"):
        shutil.copytree(ROOT / "docs" / name, docs / name)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    (docs / "index.md").write_text("# Bare MkDocs\n\n[Articles](articles/index.md)\n", encoding="utf-8")
    (docs / "articles" / "index.md").write_text(
        "# Articles\n\n" + "".join(f"- [{a.title}]({a.name})\n" for a in articles), encoding="utf-8")
    for a in articles:
        (docs / "articles" / a.name).write_text(a.plain_page(), encoding="utf-8")
    collapsed: list[str] = []
    config: dict[str, Any] = {"INHERIT": "mkdocs.yml", "nav": navigation(docs, {}, collapsed=collapsed)}
    if collapsed:
        config["not_in_nav"] = "".join(f"/{rel}/\n" for rel in collapsed)
    (folder / "bare.yml").write_text(json.dumps(config), encoding="utf-8")  # JSON is YAML
    return folder / "bare.yml"


_PRIMARY = re.compile(r'md-sidebar--primary(.*?)md-sidebar--secondary', re.S)
_LINK = re.compile(r'<a [^>]*>')


def nav_links(html: str) -> int:
    """Links of Material's primary navigation on a page, without those into the page itself."""
    nav = _PRIMARY.search(html)
    return sum(1 for tag in _LINK.findall(nav.group(1)) if 'class="md-nav__link' in tag
               and 'href="#' not in tag) if nav else 0


def site_figures(site: Path, articles: int) -> dict[str, float]:
    """Navigation links per page (links of the primary navigation, not the page's own table of
    contents), HTML per article page, the site's size, search_index.json."""
    links, article_pages = [], []
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        links.append(nav_links(html))
        rel = page.relative_to(site).parts
        if rel[0] == "articles" and len(rel) == 3:  # articles/<id>/index.html
            article_pages.append(page.stat().st_size)
    index = site / "search" / "search_index.json"
    return {"pages": len(links), "nav_max": max(links), "nav_median": statistics.median(links),
            "html_median": statistics.median(article_pages) / 1024, "html_max": max(article_pages) / 1024,
            "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20,
            "search_mb": index.stat().st_size / 2**20, "search_kb_per_article": index.stat().st_size / 1024 / articles}


def measure_size(shared: Path, n: int, analysis: bool) -> dict[str, Any]:
    articles = distinct_articles(shared, n)
    out: dict[str, Any] = {"n": n}
    with tempfile.TemporaryDirectory(prefix="pr-bench-") as tmp:
        (Path(tmp) / "project").mkdir()
        project = make_project(Path(tmp) / "project", input_files(articles))
        log = Path(tmp) / "build.log"
        cmd = [*BUILD, "--project", str(project), "build"]
        # a new project has no cache: its first build is a user's cold build (--no-cache would
        # also leave no cache and no stamp behind for the rebuilds below)
        out["cold"], out["cold_rss"] = child(cmd, project, log)
        out["cold_cpu"] = LAST_CPU[0]
        out.update(site_figures(project / "site", n))
        out["nochange"], out["nochange_rss"] = child(cmd, project, log)
        one = project / "seeds" / articles[n // 2].name
        one.write_text(one.read_text(encoding="utf-8").rstrip("\n") + " Der Satz kam beim Neubau hinzu.\n",
                       encoding="utf-8")
        out["one"], out["one_rss"] = child(cmd, project, log)
        bare = Path(tmp) / "bare"
        config = bare_project(bare, articles)
        out["bare"], out["bare_rss"] = child([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
                                              str(config), "-d", str(bare / "site")], bare, log)
        out["bare_cpu"] = LAST_CPU[0]
        if analysis:
            out["rate"] = {}
            for jobs in (1, 2):
                jobs_flag = ["--jobs", str(jobs)] if "--jobs" in build_options("analyse") else []
                if jobs > 1 and not jobs_flag:
                    out["rate"][jobs] = None  # the hook: build.py has no --jobs yet
                    continue
                seconds, _ = child([*BUILD, "--project", str(project), "analyse", "--json", str(Path(tmp) / "a.json"),
                                    *cold_options("analyse"), *jobs_flag], project, log)
                out["rate"][jobs] = n / seconds
    return out


def stages(project: Path) -> dict[str, float]:
    """In the trend's child: analysis (read, normalise, analyse), compare and write_docs, in CPU
    seconds of this process (one process, no cache: a busy machine changes them less than the
    clock, and a process pool's work would not be counted)."""
    from pressreview import pipeline
    from pressreview.settings import load_settings

    spent = {"compare": 0.0}
    compare = pipeline.compare

    def timed_compare(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return compare(*args, **kwargs)
        finally:
            spent["compare"] += time.process_time() - start

    pipeline.compare = timed_compare  # type: ignore[assignment]
    settings = load_settings(project)
    t0 = time.process_time()
    corpus = pipeline.analyse_corpus(settings, jobs=1, cache=False)
    t1 = time.process_time()
    pipeline.write_docs(corpus, settings).commit(pipeline.OWNED)
    t2 = time.process_time()
    return {"analysis": t1 - t0 - spent["compare"], "compare": spent["compare"], "write_docs": t2 - t1,
            "articles": len(corpus.articles)}


def measure_trend(shared: Path, n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="pr-trend-") as tmp:
        project = make_project(Path(tmp), input_files(distinct_articles(shared, n)))
        result = project / "stages.json"
        child([sys.executable, __file__, "--stages", str(project), "--out", str(result)], project, project / "log")
        figures = json.loads(result.read_text(encoding="utf-8"))
    if figures["articles"] != n:
        raise BenchError(f"trend: {figures['articles']} of {n} articles were read")
    return figures


# ---------------------------------------------------------------- the table

def _s(x: float) -> str:
    return f"{x:,.1f} s" if x < 100 else f"{x:,.0f} s"


def table(sizes: list[dict[str, Any]], trend: list[dict[str, float]]) -> tuple[str, bool]:
    """The Markdown of the tables, and whether the checks passed."""
    head = "| | " + " | ".join(f"{s['n']:,} articles" for s in sizes) + " | target (issue 13) |"
    rule = "| --- |" + " ---: |" * len(sizes) + " --- |"

    def row(label: str, cells: list[str], target: str = "") -> str:
        return f"| {label} | " + " | ".join(cells) + f" | {target} |"

    lines = [head, rule,
             row("cold build", [_s(s["cold"]) for s in sizes]),
             row("bare MkDocs, same articles", [_s(s["bare"]) for s in sizes]),
             row("cold build / bare", [f"{s['cold'] / s['bare']:.1f}×" for s in sizes], "≤ 1.3× (≤ 2× at 5,000)"),
             row("CPU seconds, cold build / bare", [f"{s['cold_cpu']:,.0f} / {s['bare_cpu']:,.0f} s" for s in sizes]),
             row("no-change rebuild", [f"{_s(s['nochange'])} ({100 * s['nochange'] / s['cold']:.0f} % of cold)"
                                       for s in sizes], "≤ 5 % of cold"),
             row("one-article rebuild", [f"{_s(s['one'])} ({s['one'] / s['bare']:.1f}× bare)" for s in sizes],
                 "≤ bare + 10 % (1.1×)"),
             row("peak memory, build / bare", [f"{s['cold_rss']:,.0f} / {s['bare_rss']:,.0f} MiB" for s in sizes],
                 "≤ 2× bare at 1,000"),
             row("navigation links on a page, max (median)", [f"{s['nav_max']} ({s['nav_median']:.0f})" for s in sizes],
                 f"≤ about 100 (checked: ≤ {NAV_LINKS_MAX})"),
             row("HTML of an article page, median (max)",
                 [f"{s['html_median']:,.0f} KB ({s['html_max']:,.0f} KB)" for s in sizes]),
             row("site (HTML pages)", [f"{s['site_mb']:,.1f} MB ({s['pages']:,})" for s in sizes]),
             row("search_index.json (per article)",
                 [f"{s['search_mb']:,.1f} MB ({s['search_kb_per_article']:,.1f} KB)" for s in sizes])]
    rated = [s for s in sizes if "rate" in s]
    for jobs in (1, 2):
        for s in rated:
            rate = s["rate"][jobs]
            shown = f"{rate:,.0f} articles/s" if rate else "– (build.py has no --jobs yet)"
            lines.append(f"| analysis (`build.py analyse`), {jobs} process{'es' if jobs > 1 else ''}, "
                         f"{s['n']:,} articles | " + " | ".join(shown if t is s else "" for t in sizes)
                         + " | ≥ 300 articles/s on 2 cores |")
    ok = all(s["nav_max"] <= NAV_LINKS_MAX for s in sizes)
    if not sizes:  # only the trend
        lines = []
    if len(trend) >= 2:
        small, big = trend[0], trend[-1]
        lines += ["", f"| CPU time per article | {small['articles']:,} articles | {big['articles']:,} articles | ratio | target |",
                  "| --- | ---: | ---: | ---: | --- |"]
        for stage in ("analysis", "compare", "write_docs", "total"):
            a = (sum(small[k] for k in ("analysis", "compare", "write_docs")) if stage == "total" else small[stage])
            b = (sum(big[k] for k in ("analysis", "compare", "write_docs")) if stage == "total" else big[stage])
            ratio = (b / big["articles"]) / (a / small["articles"])
            lines.append(f"| {stage} | {1000 * a / small['articles']:.1f} ms | {1000 * b / big['articles']:.1f} ms | "
                         f"{ratio:.2f} | {'≤ ' + str(TREND_MAX) + ' (checked)' if stage == 'total' else ''} |")
            if stage == "total":
                ok = ok and ratio <= TREND_MAX
    return "\n".join(lines), ok


def write_page(text: str, sizes_arg: str, trend_arg: str, pages: Path = PAGES) -> list[Path]:
    """Put the tables with the line that says how they were measured between the bench markers of
    every edition of the page; the pages written."""
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    block = (f"Measured {when} by `make bench` ({PRESSREVIEW_SIZES_TEXT.format(sizes=sizes_arg, trend=trend_arg)}), "
             f"{os.cpu_count()} cores, Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} "
             f"when it ended.\n\n{text}")
    return write_block(block, pages)


def write_block(block: str, pages: Path = PAGES) -> list[Path]:
    """The block (in English) between the bench markers of each edition of the page, in the words
    of the edition's language (docs/_pages/<language>/_tables.yml)."""
    from pressreview.evaluation import table_words, translate_tables

    written = []
    for folder in sorted(p for p in pages.iterdir() if (p / PAGE).is_file()):
        page = folder / PAGE
        content = page.read_text(encoding="utf-8")
        if BEGIN not in content or END not in content:
            raise BenchError(f"{page}: the bench markers are missing")
        before, rest = content.split(BEGIN, 1)
        body = translate_tables(block, table_words(folder))
        page.write_text(f"{before}{BEGIN}\n\n{body}\n\n{END}{rest.split(END, 1)[1]}", encoding="utf-8")
        written.append(page)
    return written


def read_block(page: Path) -> str:
    """What stands between the bench markers of a page."""
    return page.read_text(encoding="utf-8").split(BEGIN, 1)[1].split(END, 1)[0].strip()


PRESSREVIEW_SIZES_TEXT = "`PRESSREVIEW_BENCH_SIZES={sizes}`, `PRESSREVIEW_TREND_SIZES={trend}`"


def _sizes(text: str) -> list[int]:
    return [int(x) for x in text.replace("_", "").split(",") if x.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(DEFAULT_SHARED))
    ap.add_argument("--sizes", default=os.environ.get(SIZES_ENV, DEFAULT_SIZES))
    ap.add_argument("--trend", default=os.environ.get(TREND_ENV, DEFAULT_TREND))
    ap.add_argument("--no-page", action="store_true", help="do not write docs/_pages/*/reference/performance.md")
    ap.add_argument("--stages", help=argparse.SUPPRESS)  # in the trend's child: the project folder
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stages:
        Path(args.out).write_text(json.dumps(stages(Path(args.stages))), encoding="utf-8")
        return 0
    shared = Path(args.shared)
    if not (shared / "benchmarks" / "10kgnad" / "test.csv").is_file():
        print(f"bench_site: 10kGNAD not found under {shared} (pass --shared PATH)", file=sys.stderr)
        return 2
    sizes = _sizes(args.sizes)
    rate_at = max([n for n in sizes if n <= ANALYSIS_MAX] or [min(sizes)]) if sizes else 0
    measured: list[dict[str, Any]] = []
    trend: list[dict[str, float]] = []
    try:
        for n in sizes:
            start = time.perf_counter()
            measured.append(measure_size(shared, n, analysis=n == rate_at))
            print(f"  {n:,} articles: measured in {time.perf_counter() - start:,.0f} s: {json.dumps(measured[-1])}",
                  file=sys.stderr, flush=True)
        for n in _sizes(args.trend):
            start = time.perf_counter()
            trend.append(measure_trend(shared, n))
            print(f"  trend, {n:,} articles: measured in {time.perf_counter() - start:,.0f} s: {json.dumps(trend[-1])}",
                  file=sys.stderr, flush=True)
    except BenchError as exc:
        print(f"bench_site: {exc}", file=sys.stderr)
        return 1
    text, ok = table(measured, trend)
    print(text)
    if not ok:
        print(f"bench_site: FAILED: navigation links above {NAV_LINKS_MAX} on a page, or the time per article "
              f"grew more than {TREND_MAX}× (see the table)", file=sys.stderr)
    if not args.no_page and measured:
        for page in write_page(text, args.sizes, args.trend):
            print(f"(written into {page.relative_to(ROOT)})")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
