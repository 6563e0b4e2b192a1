"""The stages in order, over the whole corpus: read -> normalise -> analyse -> (compare) ->
render. Nothing is written until every article has been analysed."""

from __future__ import annotations

import logging
import shutil
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .analyse import analyse, matcher_for
from .claims import RuleError
from .language import SUPPORTED
from .compare import compare
from .model import Article, Comparison, Rejected
from .normalise import normalise
from .read import DATE_MAX, DATE_MIN, read_corpus
from .output import MANIFEST, Outputs
from .render import GENERATED, assign_ids, environment, render_site
from .safeyaml import shown
from .settings import SettingsError

log = logging.getLogger("pressreview")

REPORT = "report.pdf"  # docs/report.pdf: written only by `build --pdf` (pdf.DEFAULT_NAME)
# What a build owns in docs/: render's pages and folders, and the PDF report. A build without
# --pdf removes any earlier report.pdf, even one that no manifest records (a lost or broken
# manifest, an older pressreview's build), so no other corpus's report is ever published.
OWNED = (*GENERATED, REPORT)


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


def input_dir(settings: dict[str, Any]) -> Path:
    return (Path(settings["project"]) / settings["input"]).resolve()


def analyse_corpus(settings: dict[str, Any]) -> Corpus:
    for language in SUPPORTED:  # the project's rules are checked before any article
        matcher_for(settings, language)
    docs, rejected = read_corpus(input_dir(settings), settings["max_file_bytes"], bool(settings["follow_symlinks"]))
    articles: list[Article] = []
    for doc in docs:
        try:
            articles.append(analyse(normalise(doc, settings), settings, doc.meta.get("claims")))
        except RuleError as exc:  # a sidecar's hand-made marks
            rejected.append(Rejected(doc.source_path, str(exc)))
        except Exception as exc:  # one bad article never stops the others
            log.exception("analysing %s failed", doc.source_path)
            rejected.append(Rejected(doc.source_path,
                                     f"could not be analysed: {type(exc).__name__}: {shown(str(exc), 200, quote=False)}"))
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
    intro_file = docs / "_home.md"
    if intro_file.is_file() and not intro_file.resolve().is_relative_to(project.resolve()):
        raise SettingsError(f"{intro_file} is a symbolic link to a place outside the project: not read")
    intro = intro_file.read_text(encoding="utf-8") if intro_file.is_file() else ""
    languages = sorted({a.language for a in corpus.articles}) or ["de"]
    packs = [{"language": lang, "rules": m.rules, "conditions": m.conditions}
             for lang in languages for m in [matcher_for(settings, lang)]]
    outputs = Outputs(docs)
    render_site(corpus.articles, corpus.rejected, docs, env, corpus.interface_language(settings), intro, packs,
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
