#!/usr/bin/env python3
"""pressreview: a folder of news articles -> a press-review site (and its analysis as JSON).

A thin command line over the package `pressreview`; see README.md.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Only what every command needs, and a build with nothing changed (pressreview/stamp.py): the
# analysis, the pages and the PDF import much (trafilatura, simplemma, Jinja, Markdown …), and
# are imported by the commands that use them.
from pressreview import stamp
from pressreview.state import tracked_state
from pressreview.output import project_lock, write_if_changed
from pressreview.read import read_inputs
from pressreview.publish import build_site, write_config
from pressreview.settings import check_mkdocs_dirs, load_mkdocs_config, load_settings

if TYPE_CHECKING:
    from pressreview.pipeline import Corpus
    from pressreview.serve import Pages

log = logging.getLogger("pressreview")


def _settings(args: argparse.Namespace) -> dict:
    return load_settings(Path(args.project).resolve(), {"input": args.input, "follow_symlinks": args.follow_symlinks})


def _corpus(args: argparse.Namespace, settings: dict | None = None, inputs: Any = None) -> tuple[Corpus, dict]:
    from pressreview.pipeline import analyse_corpus

    settings = settings or _settings(args)
    corpus = analyse_corpus(settings, jobs=args.jobs, cache=not args.no_cache, scheduler=args.scheduler,
                            inputs=inputs)
    log.info("%d article(s) read, %d rejected", len(corpus.articles), len(corpus.rejected))
    return corpus, settings


def _strict_failed(args: argparse.Namespace, corpus: Corpus) -> bool:
    if args.strict and corpus.rejected:
        for r in corpus.rejected:
            print(f"error: rejected input {r.source_path}: {r.reason}", file=sys.stderr)
        return True
    return False


def _unchanged(args: argparse.Namespace, settings: dict, build_key: str) -> dict | None:
    """What the last build recorded, when docs/ is still what it wrote from the same inputs
    (pressreview/stamp.py): then this build need not analyse, compare or write a page."""
    facts = stamp.fresh(settings, build_key)
    if facts is None or (args.strict and facts["rejected"]):
        return None
    print(f"{Path(settings['project']) / settings['docs_dir']} is up to date: no input, setting, template or page "
          "changed since the last build; analysis, comparison and page writing skipped (--no-cache: do them)",
          file=sys.stderr)
    log.info("%d article(s) read, %d rejected", facts["articles"], len(facts["rejected"]))
    for path, reason in facts["rejected"]:
        log.warning("rejected: %s: %s", path, reason)
    return facts


def _distrust_tracked_state(args: argparse.Namespace, settings: dict) -> bool:
    """True when this build may use its cache, stamps and last site: none of them is in the
    repository (pressreview/state.py). Otherwise it says which files are, and works as
    --no-cache with a full MkDocs build."""
    project = Path(settings["project"])
    site_dir = Path(args.site_dir).resolve() if getattr(args, "site_dir", None) else project / settings["site_dir"]
    tracked = tracked_state(project, site_dir)
    if not tracked:
        return True
    print(f"warning: {', '.join(tracked)}: committed to the repository, but a build's own state (the cache, the "
          "stamps, the site) is never taken from it; everything is analysed and built again. Remove them from git: "
          f"git rm -r --cached {' '.join(tracked)}", file=sys.stderr)
    args.no_cache = True
    return False


def cmd_build(args: argparse.Namespace) -> int:
    settings = _settings(args)
    project = Path(settings["project"])
    args.trust_state = _distrust_tracked_state(args, settings)
    mkdocs_config = load_mkdocs_config(project)
    check_mkdocs_dirs(project, mkdocs_config, bool(getattr(args, "site_dir", None)))
    for key in ("docs_dir", "site_dir"):  # pressreview.yml says where pages and site go; MkDocs must agree
        theirs = mkdocs_config.get(key)
        if isinstance(theirs, str) and (project / theirs).resolve() != (project / settings[key]).resolve():
            log.warning("mkdocs.yml says %s: %s, pressreview.yml (or its default) %s: %s; pressreview uses %s",
                        key, theirs, key, settings[key], settings[key])
    # A build without --pdf may skip the pages when nothing changed (never with --no-cache).
    inputs, build_key = None, ""
    if args.command in ("build", "docs") and not getattr(args, "pdf", False) and not args.no_cache:
        inputs = read_inputs(settings)
        build_key = stamp.key(settings, *inputs)
        with project_lock(settings):
            facts = _unchanged(args, settings, build_key)
            if facts is not None:
                return 0 if args.command == "docs" else _site(args, project, settings, mkdocs_config, facts["language"],
                                                              facts["strings"], facts["epoch"], None)
    from pressreview import pdf
    from pressreview.output import replacing
    from pressreview.pipeline import OWNED, write_docs
    from pressreview.render import environment, load_strings
    from pressreview.serve import Pages, serve_env

    corpus, settings = _corpus(args, settings, inputs)
    language = corpus.interface_language(settings)
    strings = load_strings(environment(project / settings["templates"]), language)
    report = None
    with project_lock(settings):  # one build at a time writes into this project's docs/ and site/
        if build_key:
            stamp.drop(settings)
        outputs = write_docs(corpus, settings)
        if _strict_failed(args, corpus):
            outputs.commit(OWNED)
            return 1
        if getattr(args, "pdf", False):  # the report goes into docs/, so every page can link to it
            report = outputs.docs / pdf.DEFAULT_NAME
            try:
                with replacing(report) as draft:
                    figures = pdf.build_pdf(corpus, settings, draft)
            except pdf.PdfError as exc:
                outputs.commit(OWNED)
                print(f"error: {exc}", file=sys.stderr)
                return 2
            outputs.record(pdf.DEFAULT_NAME, "pdf")
            log.info("wrote %s: %s pages", report, figures["pages"])
        outputs.commit(OWNED)  # what this build did not make again is removed (any old report.pdf too)
        if build_key:
            stamp.record(settings, build_key, {"language": language, "strings": strings, "epoch": corpus.epoch(),
                                               "articles": len(corpus.articles),
                                               "rejected": [[r.source_path, r.reason] for r in corpus.rejected]})
        if args.command == "docs":
            return 0
        if args.command == "build":
            return _site(args, project, settings, mkdocs_config, language, strings, corpus.epoch(), report)
        # The navigation in the interface language, unless mkdocs.yml has a nav of its own.
        docs = project / str(mkdocs_config.get("docs_dir") or "docs")
        config = None if mkdocs_config.get("nav") else write_config(project, docs, strings, settings["nav_max_pages"])
    pages = Pages(config, serve_env(language, corpus.epoch(), report, strings))
    return _serve(args, project, settings, pages)


def _site(args: argparse.Namespace, project: Path, settings: dict, mkdocs_config: dict, language: str,
          strings: dict, epoch: int, report: Path | None) -> int:
    """The navigation in the interface language (unless mkdocs.yml has a nav of its own), and
    the site built from docs/ (with the project's lock held)."""
    docs = project / str(mkdocs_config.get("docs_dir") or "docs")
    config = None if mkdocs_config.get("nav") else write_config(project, docs, strings, settings["nav_max_pages"])
    site_dir = Path(args.site_dir).resolve() if args.site_dir else project / settings["site_dir"]
    return build_site(project, language, site_dir, docs=docs, epoch=epoch, report=report, strings=strings,
                      config=config, trust_state=getattr(args, "trust_state", True))


def _serve(args: argparse.Namespace, project: Path, settings: dict, pages: Pages) -> int:
    """`mkdocs serve --dirty`, and the pages written again (with the cache) when an input changes."""
    from pressreview import pdf
    from pressreview.pipeline import OWNED, write_docs
    from pressreview.render import environment, load_strings
    from pressreview.serve import Pages, serve, serve_env, watched

    def refresh() -> Pages:
        corpus, settings = _corpus(args)
        mkdocs_config = load_mkdocs_config(project)
        language = corpus.interface_language(settings)
        strings = load_strings(environment(project / settings["templates"]), language)
        with project_lock(settings):
            outputs = write_docs(corpus, settings)
            outputs.keep(pdf.DEFAULT_NAME)  # a report of --pdf stays as it was when serve started
            outputs.commit(OWNED)
            docs = project / str(mkdocs_config.get("docs_dir") or "docs")
            config = None if mkdocs_config.get("nav") else write_config(project, docs, strings)
        report = outputs.docs / pdf.DEFAULT_NAME
        return Pages(config, serve_env(language, corpus.epoch(), report if report.is_file() else None, strings))

    return serve(project, watched(settings), pages, refresh, ["--dev-addr", args.dev_addr] if args.dev_addr else [])


def cmd_analyse(args: argparse.Namespace) -> int:
    from pressreview.render import analysis_document, environment, load_strings, write_json

    settings = _settings(args)
    _distrust_tracked_state(args, settings)
    corpus, settings = _corpus(args, settings)
    strings = load_strings(environment(Path(settings["project"]) / settings["templates"]),
                           corpus.interface_language(settings))
    data = analysis_document(corpus.articles, corpus.rejected, strings, corpus.comparisons)
    if args.json == "-":
        import json

        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        write_json(data, Path(args.json))
    return 1 if _strict_failed(args, corpus) else 0


def cmd_normalise(args: argparse.Namespace) -> int:
    from pressreview.render import environment, load_strings, normalised_markdown

    corpus, settings = _corpus(args)
    env = environment(Path(settings["project"]) / settings["templates"])
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    project = Path(settings["project"])
    with project_lock(settings) if out.is_relative_to(project) else nullcontext():
        for article in corpus.articles:
            strings = load_strings(env, article.language)
            stem = Path(article.source_path).stem
            write_if_changed(out / f"{stem}.md", normalised_markdown(article, strings).encode("utf-8"))
    return 1 if _strict_failed(args, corpus) else 0


def cmd_classify(args: argparse.Namespace) -> int:
    import json

    from pressreview.analyse import matcher_for

    settings = load_settings(Path(args.project).resolve())
    matcher = matcher_for(settings, args.lang)
    stream = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")
    with stream:
        for line in stream:
            text = line.rstrip("\n")
            if not text.strip():
                continue
            labels, cues = matcher.classify(text)
            print(json.dumps({"text": text, "labels": list(labels), "cues": [
                {"text": c.text, "start": c.start, "end": c.end, "rule": c.rule, "category": c.category,
                 "kind": c.kind, "message": c.message} for c in cues]}, ensure_ascii=False))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from benchmarks.eval_claims import DataMissing
    from pressreview.evaluation import EVALUATIONS, evaluate_all, measure_realclaims, targets

    try:
        results = evaluate_all(Path(args.shared))
    except DataMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for name, (table, _) in results.items():
        print(f"== {EVALUATIONS[name][0]}\n{table}\n")
    project = Path(args.project)
    written = targets(project, results, *measure_realclaims())  # methodology, legend, rules/measured.yml
    if args.update:
        with project_lock(load_settings(project.resolve())):
            for target in written:
                target.write()
        print(f"updated the tables in {', '.join(sorted({str(t.path) for t in written}))}")
    elif args.check:
        stale = [f"{t.path}{f' ({t.block})' if t.block else ''}" for t in written if not t.current()]
        if stale:
            print(f"error: not what the code measures now: {', '.join(stale)}: "
                  "run `python build.py eval --update`", file=sys.stderr)
            return 1
    return 0


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def _parser(full: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", default=".", help="project folder with mkdocs.yml and pressreview.yml (default: .)")
    parser.add_argument("-v", "--verbose", action="store_true", help="also log per-article notes")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--input", help="folder of articles (default: seeds/, or 'input' in pressreview.yml)")
        p.add_argument("--strict", action="store_true", help="exit non-zero if any input file is rejected")
        p.add_argument("--follow-symlinks", action="store_true", default=None,
                       help="follow symbolic links in the input folder that point inside it (others are rejected)")
        p.add_argument("--jobs", type=positive, metavar="N",
                       help="analyse in N processes (default: the machine's cores); the output is the same")
        p.add_argument("--no-cache", action="store_true",
                       help="analyse every article and write every page again: neither read nor write the cache "
                            "(.cache/pressreview/, which also lets a build with nothing changed skip them)")
        p.add_argument("--scheduler", metavar="ADDRESS",
                       help="analyse on a Dask cluster, e.g. tcp://host:8786 (default: the setting dask: scheduler)")

    for name, text in (("build", "write the pages into docs/ and build the site with mkdocs build --strict"),
                       ("docs", "only write the generated pages into docs/"),
                       ("serve", "write the pages and serve the site with live reload")):
        p = sub.add_parser(name, help=text)
        common(p)
        p.set_defaults(func=cmd_build)
        if name in ("build", "serve"):
            p.add_argument("--pdf", action="store_true",
                           help="also write the PDF report (docs/report.pdf) and link it from every page")
        if name == "build":
            p.add_argument("--site-dir", help="where the site goes (default: site/)")
        if name == "serve":
            p.add_argument("--dev-addr", metavar="IP:PORT", help="where to serve (default: MkDocs's, 127.0.0.1:8000)")
    p = sub.add_parser("analyse", help="write the analysis as JSON")
    common(p)
    p.add_argument("--json", required=True, metavar="FILE", help="output file, or - for standard output")
    p.set_defaults(func=cmd_analyse)
    p = sub.add_parser("normalise", help="write each article's clean normalised Markdown into a folder")
    common(p)
    p.add_argument("--out", required=True, metavar="DIR")
    p.set_defaults(func=cmd_normalise)

    p = sub.add_parser("classify", help="mark sentences: one per input line in, one JSON object per line out")
    p.add_argument("--lang", required=True, choices=["de", "en"])
    p.add_argument("file", nargs="?", default="-", help="a text file, or - for standard input (default)")
    p.set_defaults(func=cmd_classify)
    p = sub.add_parser("eval", help="measure the claim markup and article extraction on labelled data (../shared, tests/realnews)")
    p.add_argument("--shared", default=str(Path(__file__).resolve().parent.parent / "shared"),
                   help="the folder that holds benchmarks/ (default: ../shared)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--update", action="store_true",
                       help="write the tables into the methodology and legend pages of every language (docs/_pages/)")
    group.add_argument("--check", action="store_true", help="fail if those pages or measured.yml show other figures")
    p.set_defaults(func=cmd_eval)

    for name, module in LAZY_COMMANDS.items():
        if full:
            importlib.import_module(module).register(sub)
        else:  # by name only: this command was not given
            sub.add_parser(name)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # pdf and diff import the PDF's and the pages' code to add their arguments: only when one of
    # them may be the command (a word of the command line is its name) or help is asked for.
    args = _parser(full=bool({*LAZY_COMMANDS, "-h", "--help"} & set(argv))).parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s", stream=sys.stderr)
    try:
        return args.func(args)
    except Exception as exc:
        if _raised(exc, ERRORS):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if _raised(exc, [("jinja2.sandbox", "SecurityError")]):  # a project template reached for Python internals
            from pressreview.render import template_of

            print(f"error: template {template_of(exc)}: not allowed in templates, nothing was run: {exc}",
                  file=sys.stderr)
            return 2
        raise


# The errors that end a command with their message (exit status 2), by module: a module that
# was not imported raised none.
ERRORS = [("pressreview.settings", "SettingsError"), ("pressreview.read", "InputError"),
          ("pressreview.claims", "RuleError"), ("pressreview.compare", "CompareError"),
          ("pressreview.output", "LockError")]
# Commands whose module adds their arguments (and imports much): see main.
LAZY_COMMANDS = {"pdf": "pressreview.pdf", "diff": "pressreview.diff"}


def _raised(exc: Exception, errors: list[tuple[str, str]]) -> bool:
    return any(isinstance(exc, getattr(sys.modules[module], name)) for module, name in errors if module in sys.modules)


if __name__ == "__main__":
    sys.exit(main())
