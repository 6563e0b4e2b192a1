"""The stages in order, over the whole corpus: read -> normalise -> analyse -> (compare) ->
render. Nothing is written until every article has been analysed."""

from __future__ import annotations

import logging
import os
import shutil
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from itertools import repeat
from pathlib import Path
from typing import Any

from . import pages
from .analyse import analyse, matcher_for, prepare
from .cache import FOLDER as CACHE_FOLDER, Cache
from .claims import RuleError
from .language import SUPPORTED
from .lemmas import use_cache
from .compare import compare
from .model import Article, Comparison, Rejected
from .normalise import normalise
from .read import DATE_MAX, DATE_MIN, Input, InputError, parse_input, read_inputs
from .output import MANIFEST, Outputs
from .render import GENERATED, assign_ids, environment, render_site
from .safeyaml import shown

log = logging.getLogger("pressreview")

REPORT = "report.pdf"  # docs/report.pdf: written only by `build --pdf` (pdf.DEFAULT_NAME)
# What a build owns in docs/: render's pages and folders, and the PDF report. A build without
# --pdf removes any earlier report.pdf, even one that no manifest records (a lost or broken
# manifest, an older pressreview's build), so no other corpus's report is ever published.
OWNED = (*GENERATED, REPORT)
# A worker process gets at least this many articles to analyse, or there is no pool: starting
# one and loading the language models in it (about a second) costs more than a few articles.
MIN_PER_PROCESS = 20


@dataclass(frozen=True)
class Corpus:
    articles: list[Article]
    rejected: list[Rejected]
    comparisons: list[Comparison] = field(default_factory=list)

    def interface_language(self, settings: dict[str, Any]) -> str:
        if settings.get("interface_language"):
            return str(settings["interface_language"])
        counts = Counter(a.language for a in self.articles)
        # most common; ties broken by code so the choice is deterministic
        return min(counts, key=lambda lang: (-counts[lang], lang)) if counts else "en"


    def epoch(self) -> int:
        """The newest article date as a Unix time (0 if no date is known): the site's date,
        SOURCE_DATE_EPOCH for MkDocs, clamped to DATE_MIN … DATE_MAX (gzip and zip time
        stamps cannot hold other times)."""
        dates = [a.date for a in self.articles if a.date]
        if not dates:
            return 0
        newest = min(max(datetime.fromisoformat(max(dates)).date(), DATE_MIN), DATE_MAX)
        return int(datetime(newest.year, newest.month, newest.day, tzinfo=timezone.utc).timestamp())


def analyse_input(source: Input, settings: dict[str, Any]) -> tuple[Article | Rejected, bool]:
    """One input file's bytes -> its analysed Article, or why it was rejected; and whether the
    result may be cached (not after an unexpected error). In a worker process or on a Dask
    worker: it touches no file."""
    try:
        doc = parse_input(source, settings["max_file_bytes"])
    except InputError as exc:
        return Rejected(source.rel, str(exc)), True
    except Exception as exc:  # one bad file never stops the others
        return Rejected(source.rel, f"could not be read: {type(exc).__name__}: {shown(str(exc), 200, quote=False)}"), False
    try:
        return analyse(normalise(doc, settings), settings, doc.meta.get("claims")), True
    except RuleError as exc:  # a sidecar's hand-made marks
        return Rejected(doc.source_path, str(exc)), True
    except Exception as exc:  # one bad article never stops the others
        log.exception("analysing %s failed", doc.source_path)
        return Rejected(doc.source_path, f"could not be analysed: {type(exc).__name__}: "
                                         f"{shown(str(exc), 200, quote=False)}"), False


def _analyse_all(sources: list[Input], settings: dict[str, Any], jobs: int,
                 scheduler: str) -> list[tuple[Article | Rejected, bool]]:
    """analyse_input over the sources, results in their order (not in the order they finish)."""
    if scheduler:
        from .cluster import analyse_on_dask  # imports dask (about a second) only when asked for

        return analyse_on_dask(sources, settings, scheduler)
    if jobs <= 1 or len(sources) < MIN_PER_PROCESS * 2:  # a pool costs more than it saves
        return [analyse_input(source, settings) for source in sources]
    jobs = min(jobs, len(sources) // MIN_PER_PROCESS)
    prepare(settings)  # loaded once here: the processes (forked on Linux) inherit it
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(analyse_input, sources, repeat(settings),
                             chunksize=max(1, min(50, len(sources) // (jobs * 4)))))


def analyse_corpus(settings: dict[str, Any], jobs: int | None = None, cache: bool = True,
                   scheduler: str | None = None,
                   inputs: tuple[list[Input | Rejected], list[Rejected]] | None = None) -> Corpus:
    """Read (unless `inputs` holds what read_inputs read), normalise and analyse every input
    file (those the cache holds are not analysed again), then compare. jobs: processes
    (default: the machine's cores); scheduler: the address of a Dask scheduler (default: the
    setting dask: scheduler, else none)."""
    if cache:  # simplemma's dictionaries: from decoded copies in the cache folder (faster)
        use_cache(Path(settings["project"]) / CACHE_FOLDER)
    for language in SUPPORTED:  # the project's rules are checked before any article
        matcher_for(settings, language)
    sources, rejected = inputs or read_inputs(settings)
    rejected = list(rejected)
    store = Cache(settings) if cache else None
    results: list[Article | Rejected | None] = []
    todo: list[tuple[int, Input, str]] = []
    for source in sources:
        if isinstance(source, Rejected):
            results.append(source)
            continue
        key = store.key(source) if store else ""
        results.append(store.get(key) if store else None)
        if results[-1] is None:
            todo.append((len(results) - 1, source, key))
    address = scheduler if scheduler is not None else str((settings.get("dask") or {}).get("scheduler") or "")
    done = _analyse_all([source for _, source, _ in todo], settings, jobs or os.cpu_count() or 1, address)
    for (i, _, key), (result, cacheable) in zip(todo, done, strict=True):
        results[i] = result
        if store and cacheable:
            store.put(key, result)
    if store:
        log.info("analysis cache %s: %d article(s) from the cache, %d analysed", store.folder, store.hits, len(todo))
    articles = [r for r in results if isinstance(r, Article)]
    rejected += [r for r in results if isinstance(r, Rejected)]
    rejected.sort(key=lambda r: r.source_path)
    for r in rejected:
        log.warning("rejected: %s: %s", r.source_path, r.reason)
    for a in articles:
        for w in a.warnings:
            log.info("%s: %s", a.source_path, w)
    corpus = Corpus(assign_ids(articles), rejected)
    curated = Path(settings["project"]) / settings["comparisons"]
    return replace(corpus, comparisons=compare(corpus.articles, corpus.interface_language(settings), curated))


def write_docs(corpus: Corpus, settings: dict[str, Any]) -> Outputs:
    """Write the generated pages into docs/. The caller commits the returned outputs, which
    removes what this build did not make again."""
    project = Path(settings["project"])
    docs = project / settings["docs_dir"]
    env = environment(project / settings["templates"])
    language = corpus.interface_language(settings)
    intro = pages.intro(project, docs, language)  # the hand-written pages in the interface language
    languages = sorted({a.language for a in corpus.articles}) or ["de"]
    packs = [{"language": lang, "rules": m.rules, "conditions": m.conditions}
             for lang in languages for m in [matcher_for(settings, lang)]]
    outputs = Outputs(docs)
    pages.write_pages(project, docs, language, outputs)
    render_site(corpus.articles, corpus.rejected, docs, env, language, intro, packs,
                corpus.comparisons, settings["overview_max_articles"], outputs, settings["index_page_size"])
    # The page "Changes in this preview" (diff --page) stays only while it describes this analysis.
    for rel, entry in outputs.old.items():
        if entry.get("by") == "changes" and entry.get("analysis") == outputs.new["data/analysis.json"]["sha256"]:
            outputs.keep(rel)
    return outputs


def copy_hand_written(docs: Path, target: Path) -> None:
    """Copy a docs folder without anything pressreview generated in it: the folders render
    owns, report.pdf, every file its manifest records (changes.md …) and the manifest itself.
    For example projects in the tests and the benchmarks, which copy this project's docs/."""
    made = set(Outputs(docs).old) | {MANIFEST, *OWNED}

    def ignore(folder: str, names: list[str]) -> list[str]:
        rel = Path(folder).relative_to(docs)
        return [n for n in names if (rel / n).as_posix() in made or ".tmp-" in n]

    shutil.copytree(docs, target, ignore=ignore)
