"""publish: run the site generator on docs/ (MkDocs with Material)."""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from importlib import metadata
from typing import Any, Mapping

import yaml

from .output import remove_leftovers, temporary_name, write_if_changed

log = logging.getLogger("pressreview")

# The configuration MkDocs runs with: mkdocs.yml (INHERIT) and the navigation in the interface
# language. Beside mkdocs.yml, as MkDocs reads paths relative to the file it is given; written
# by every build, git-ignored.
CONFIG = ".pressreview-mkdocs.yml"
# The navigation's titles from templates/strings.yml: sections (folders of docs/) and pages;
# the other pages keep their own titles, other folders MkDocs's title from the folder's name.
SECTION_TITLES = {"articles": "articles", "compare": "compare_title", "reference": "reference",
                  "rules": "rules_title", "sources": "sources_title"}
PAGE_TITLES = {"legend.md": "legend", "methodology.md": "methodology"}


# A folder with more pages than this (its subfolders included) shows only its index.md in the
# navigation; its pages are reached through the index pages (Articles, Comparison), so no page
# carries more than about 100 navigation links, whatever the corpus size (setting nav_max_pages).
NAV_MAX_PAGES = 50


def navigation(docs: Path, strings: Mapping[str, str], max_pages: int = NAV_MAX_PAGES,
               collapsed: list[str] | None = None) -> list[Any]:
    """The pages of `docs` in MkDocs's own order (index.md first, then the pages by name, then
    the folders by name), without what mkdocs.yml excludes (names starting with '_' or '.'),
    with the titles of SECTION_TITLES and PAGE_TITLES in the interface language. A folder with
    an index.md and more than `max_pages` other pages is only its index.md; such folders are
    added to `collapsed` (as paths relative to docs/)."""

    def pages_in(folder: Path) -> int:
        return sum(1 for p in folder.rglob("*.md") if p.name != "index.md"
                   and not any(part.startswith(("_", ".")) for part in p.relative_to(folder).parts))

    def entries(folder: Path) -> list[Any]:
        children = [p for p in folder.iterdir() if not p.name.startswith(("_", "."))]
        if folder != docs and (folder / "index.md").is_file() and pages_in(folder) > max_pages:
            if collapsed is not None:
                collapsed.append(folder.relative_to(docs).as_posix())
            return [(folder / "index.md").relative_to(docs).as_posix()]
        pages = sorted((p for p in children if p.is_file() and p.suffix == ".md"),
                       key=lambda p: (p.name != "index.md", p.name))
        out: list[Any] = []
        for page in pages:
            rel = page.relative_to(docs).as_posix()
            title = strings.get(PAGE_TITLES.get(rel, ""))
            out.append({title: rel} if title else rel)
        for sub in sorted((p for p in children if p.is_dir()), key=lambda p: p.name):
            inner = entries(sub)
            if inner:
                rel = sub.relative_to(docs).as_posix()
                name = sub.name.replace("-", " ").replace("_", " ")
                out.append({strings.get(SECTION_TITLES.get(rel, "")) or (name.capitalize() if name.islower() else name):
                            inner})
        return out

    return entries(docs)


def write_config(project: Path, docs: Path, strings: Mapping[str, str], max_pages: int = NAV_MAX_PAGES) -> Path:
    """The configuration for this build: mkdocs.yml with the generated navigation; the pages of
    collapsed folders are `not_in_nav` (on purpose, so MkDocs does not list them as missing)."""
    collapsed: list[str] = []
    config: dict[str, Any] = {"INHERIT": "mkdocs.yml", "nav": navigation(docs, strings, max_pages, collapsed)}
    if collapsed:
        config["not_in_nav"] = "".join(f"/{rel}/\n" for rel in collapsed)
    text = ("# Written by pressreview (build.py) on every build: mkdocs.yml with the navigation in the\n"
            "# interface language (pressreview/publish.py). Edit mkdocs.yml, not this file.\n"
            + yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    path = project / CONFIG
    write_if_changed(path, text.encode("utf-8"))
    return path


def mkdocs_env(language: str, site_url: str | None = None, epoch: int = 0, report: Path | None = None,
               strings: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of MkDocs: mkdocs.yml reads (!ENV) the interface language, the words
    of the light/dark switch and of the headings' permalinks (`strings`, from
    templates/strings.yml in that language) and the footer from it."""
    strings = strings or {}
    env = dict(os.environ)
    env["PRESSREVIEW_LANGUAGE"] = language  # theme.language: Material's own words (search, "Back to top" …)
    for key in ("theme_dark", "theme_light", "permalink"):  # words of the theme and of toc
        if strings.get(key):
            env[f"PRESSREVIEW_{key.upper()}"] = strings[key]
    # No build timestamps: MkDocs dates the sitemap by SOURCE_DATE_EPOCH when it is set.
    env["SOURCE_DATE_EPOCH"] = str(epoch)
    # Material 9.7+ prints an end-of-life notice (with print(), not as a log warning) on every
    # run. We pin MkDocs 1.6.1 and Material 9.x on purpose (see README), so we switch off
    # that one notice with its documented variable; real warnings still fail --strict.
    env["NO_MKDOCS_2_WARNING"] = "1"
    if site_url is not None:
        env["SITE_URL"] = site_url
    # mkdocs.yml prints this in every page's footer (copyright: !ENV PRESSREVIEW_FOOTER);
    # pressreview.js makes the href absolute against the site's root.
    label = strings.get("pdf_link", "PDF")
    env["PRESSREVIEW_FOOTER"] = (f'<a class="pr-pdf-link" href="{html.escape(report.name)}">{html.escape(label)}</a>'
                                 if report is not None else "")
    return env


def mkdocs(command: str, project: Path, language: str, site_dir: Path | None = None,
           site_url: str | None = None, extra: list[str] | None = None, epoch: int = 0,
           report: Path | None = None, strings: Mapping[str, str] | None = None,
           config: Path | None = None, plan: Path | None = None) -> int:
    """`python -m mkdocs COMMAND`; with `plan` (a file that build_site writes), through
    `main` below, which builds incrementally or records what a full build made."""
    if plan is None:
        args = [sys.executable, "-m", "mkdocs"]
    else:
        runner = ("import sys; sys.path.insert(0, sys.argv[1]); from pressreview.publish import main; "
                  "sys.exit(main(sys.argv[2:]))")
        args = [sys.executable, "-c", runner, str(Path(__file__).resolve().parent.parent), str(plan)]
    args += [command, "-f", str(config or project / "mkdocs.yml")]
    if command == "build":
        args.append("--strict")
        if site_dir is not None:
            args += ["--site-dir", str(site_dir)]
    args += extra or []
    return subprocess.call(args, env=mkdocs_env(language, site_url, epoch, report, strings), cwd=project)


# What MkDocs's output depends on besides docs/ and the config files: the libraries that
# make the pages, and the environment variables that mkdocs_env sets (and any other that a
# config file reads with !ENV).
SITE_LIBRARIES = ("mkdocs", "mkdocs-material", "mkdocs-material-extensions", "pymdown-extensions", "Markdown",
                  "Pygments", "Jinja2", "Babel", "backrefs")
_ENV_NAME = re.compile(r"!ENV\s*\[?\s*([A-Za-z_][A-Za-z0-9_]*)")


class _AnyTags(yaml.SafeLoader):
    """mkdocs.yml read for its hooks and custom_dir only: !ENV and other tags are left out."""


_AnyTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def stamp_path(site_dir: Path) -> Path:
    """Beside the site: what the last successful build of it was made from."""
    return site_dir.with_name(f".{site_dir.name}.pressreview-stamp")


def record_path(site_dir: Path) -> Path:
    """Beside the site: what each file of docs/ was at the last successful build of it (its hash,
    and whether MkDocs made it a page, copied it or left it out) and each page's navigation
    title: what an incremental build compares with."""
    return site_dir.with_name(f".{site_dir.name}.pressreview-pages.json")


def site_inputs(project: Path, docs: Path, config: Path | None, env: Mapping[str, str]) -> dict[str, Any]:
    """All that `mkdocs build` reads, hashed in three parts: "config" (mkdocs.yml and the
    generated config with its navigation, the hooks and theme folder they name), "env" (the
    environment variables MkDocs is given or a config reads with !ENV, the versions of MkDocs
    and its theme) and "docs" (every file of docs/ by its path)."""
    configs = [project / "mkdocs.yml", *([config] if config else [])]
    extra: list[Path] = []
    texts = []
    for path in configs:
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        texts.append(text)
        try:
            data = yaml.load(text, Loader=_AnyTags) or {}  # noqa: S506 (a SafeLoader)
        except yaml.YAMLError:
            data = {}
        if isinstance(data, dict):
            extra += [project / str(hook) for hook in data.get("hooks") or [] if isinstance(hook, str)]
            theme = data.get("theme")
            if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
                extra.append(project / theme["custom_dir"])
    names = {"SITE_URL", "SOURCE_DATE_EPOCH", *(k for k in env if k.startswith("PRESSREVIEW_")),
             *(m.group(1) for text in texts for m in _ENV_NAME.finditer(text))}
    environment = json.dumps({"env": {k: env.get(k) for k in sorted(names)},
                              "libraries": {name: _version(name) for name in SITE_LIBRARIES},
                              "python": sys.executable}, sort_keys=True)
    h = hashlib.sha256()
    for top in [*configs, *extra]:
        for path, digest in _hashes(top).items():
            h.update(f"\n{path.relative_to(project) if path.is_relative_to(project) else path}\n".encode())
            h.update(digest)
    return {"config": h.hexdigest(), "env": hashlib.sha256(environment.encode()).hexdigest(),
            "docs": {path.relative_to(docs).as_posix(): digest.hex() for path, digest in _hashes(docs).items()}}


def _hashes(top: Path) -> dict[Path, bytes]:
    """The files of `top` (a file or a folder; no temporary files of write_if_changed) and the
    SHA-256 of their bytes, in path order."""
    files = sorted(top.rglob("*")) if top.is_dir() else [top]
    return {path: hashlib.sha256(path.read_bytes()).digest() for path in files
            if path.is_file() and ".tmp-" not in path.name and "__pycache__" not in path.parts}


def site_stamp(project: Path, docs: Path, config: Path | None, env: Mapping[str, str]) -> str:
    """A hash of all that `mkdocs build` reads (site_inputs)."""
    return _stamp(site_inputs(project, docs, config, env))


def _stamp(inputs: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def build_site(project: Path, language: str, site_dir: Path, docs: Path | None = None, **options: Any) -> int:
    """`mkdocs build` into a new folder beside `site_dir`, renamed into place only when MkDocs
    succeeded: a failed or killed build leaves the previous site as it was. What a killed build
    left behind (the temporary folder; the old site, when it was killed between the two
    renames) is cleaned up, or put back, first.

    With `docs`: when neither docs/ nor the config changed since the last successful build of
    this site (the stamp beside it), MkDocs is not run. When only Markdown pages changed
    (`incremental_plan`), the new folder is a copy of the site in which only those pages are
    built again (`_build_incremental`). The stamp and the record are removed before MkDocs runs
    and written only after the new site is in place, so a failed or killed build leaves none."""
    site_dir = site_dir.resolve()  # a link to the site's folder stays a link
    trusted = options.pop("trust_state", True)  # False: the last site is in the repository (state.py)
    stamp, stamp_file, record_file = "", stamp_path(site_dir), record_path(site_dir)
    inputs: dict[str, Any] = {}
    plan: dict[str, Any] = {}
    if docs is not None:
        env = mkdocs_env(language, options.get("site_url"), options.get("epoch", 0), options.get("report"),
                         options.get("strings"))
        inputs = site_inputs(project, docs, options.get("config"), env)
        stamp = _stamp(inputs)
        try:
            if trusted and site_dir.is_dir() and stamp_file.read_text(encoding="utf-8").strip() == stamp:
                print(f"{site_dir} is up to date: neither {docs.name}/ nor the MkDocs config changed since its last "
                      "successful build; MkDocs not run", file=sys.stderr)
                return 0
        except OSError:
            pass
        stamp_file.unlink(missing_ok=True)
        try:
            record = json.loads(record_file.read_text(encoding="utf-8")) if site_dir.is_dir() and trusted else None
        except (OSError, ValueError):
            record = None
        record_file.unlink(missing_ok=True)
        try:
            changed, reason = incremental_plan(record, inputs)
        except (TypeError, ValueError, KeyError):  # a record written by hand
            changed, reason = None, "no record of the last build"
        if not trusted:
            reason = "the last site is in the repository"
        plan = ({"mode": "incremental", "changed": changed, "titles": record["titles"], "nav": record["nav"]}
                if changed is not None and isinstance(record, dict) else {"mode": "full", "reason": reason})
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    old = [p for p in site_dir.parent.glob(f".{site_dir.name}.old-*") if p.is_dir()]
    if old and not site_dir.exists():
        old[0].rename(site_dir)
    remove_leftovers(site_dir)
    for p in site_dir.parent.glob(f".{site_dir.name}.old-*"):
        shutil.rmtree(p, ignore_errors=True)
    new = temporary_name(site_dir)
    new.mkdir()  # mode from the umask, so a web server can read the site
    plan_file = new.with_name(new.name + ".plan.json")  # temporary names too (remove_leftovers)
    plan["out"] = str(new.with_name(new.name + ".built.json"))
    start, cpu = time.perf_counter(), time.process_time() + _children_cpu()
    try:
        if docs is None:
            code = mkdocs("build", project, language, new, **options)
        else:
            if plan["mode"] == "incremental":  # a real copy (MkDocs writes its files in place), as MkDocs copies
                shutil.copytree(site_dir, new, symlinks=True, dirs_exist_ok=True, copy_function=shutil.copyfile)
            plan_file.write_text(json.dumps(plan), encoding="utf-8")
            code = mkdocs("build", project, language, new, **options, plan=plan_file)
        log.info("MkDocs step: %.2f s, CPU %.2f s", time.perf_counter() - start,
                 time.process_time() + _children_cpu() - cpu)
        if code != 0:
            log.warning("mkdocs failed (exit status %s): %s was left as it was", code, site_dir)
            return code
        built = _read_built(Path(plan["out"])) if docs is not None else None
        if site_dir.exists():
            aside = site_dir.with_name(f".{site_dir.name}.old-{new.name.rsplit('-', 1)[1]}")
            site_dir.rename(aside)
            new.rename(site_dir)
            shutil.rmtree(aside, ignore_errors=True)
        else:
            new.rename(site_dir)
        if built is not None:
            kinds = built["kinds"]
            record = {"config": inputs["config"], "env": inputs["env"],
                      "files": {rel: [kinds.get(rel, "other"), digest] for rel, digest in inputs["docs"].items()},
                      "titles": built["titles"], "nav": built["nav"], "blocker": built["blocker"]}
            write_if_changed(record_file, json.dumps(record, ensure_ascii=False, sort_keys=True).encode())
        if stamp:
            write_if_changed(stamp_file, f"{stamp}\n".encode())
        return 0
    finally:
        if new.exists():
            shutil.rmtree(new, ignore_errors=True)
        plan_file.unlink(missing_ok=True)
        Path(plan["out"]).unlink(missing_ok=True)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _read_built(path: Path) -> dict[str, Any] | None:
    try:
        built = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return built if isinstance(built, dict) and {"kinds", "titles", "nav", "blocker"} <= set(built) else None


def incremental_plan(record: Any, inputs: Mapping[str, Any]) -> tuple[list[str] | None, str]:
    """The files of docs/ that changed since the last successful build (`record`, as build_site
    writes it) when only Markdown pages and files that MkDocs copies as they are changed (data
    files, images: no page reads them): the same files in docs/, the same config (and so the
    same navigation), environment and libraries, the same stylesheets, scripts and templates
    that the config names ("asset"). Else None and why a full build is needed."""
    if not isinstance(record, dict) or not {"config", "env", "files", "titles", "nav", "blocker"} <= set(record):
        return None, "no record of the last build"
    if record["blocker"]:
        return None, record["blocker"]
    files, docs = record["files"], inputs["docs"]
    if set(files) != set(docs):
        added, removed = sorted(set(docs) - set(files)), sorted(set(files) - set(docs))
        return None, "files added to or removed from docs/: " + ", ".join((added + removed)[:3])
    if record["config"] != inputs["config"]:
        return None, "the MkDocs config or the navigation changed"
    if record["env"] != inputs["env"]:
        return None, "the environment of MkDocs or its libraries changed"
    for rel, (kind, digest) in sorted(files.items()):
        if kind == "asset" and digest != docs[rel]:
            return None, f"a stylesheet, script or template that the config names changed: {rel}"
    return sorted(rel for rel, (kind, digest) in files.items()
                  if kind in ("page", "static") and digest != docs[rel]), ""


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


# The incremental MkDocs step. `main` runs in MkDocs's process (as `mkdocs()` starts it with a
# plan): it runs MkDocs's own command line, with mkdocs.commands.build.build replaced by a
# function that builds either in full (MkDocs's own build) or only the changed pages, and then
# writes what build_site records: the kind of each file of docs/ and each page's title and
# navigation data.


def main(argv: list[str]) -> int:
    from mkdocs import __main__ as cli
    from mkdocs.commands import build as mk

    plan = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    full, get_navigation = mk.build, mk.get_navigation
    seen: dict[str, Any] = {}

    def navigation_seen(files: Any, config: Any) -> Any:  # MkDocs's own, with the files remembered
        seen["files"] = files
        return get_navigation(files, config)

    def build(config: Any, *, serve_url: str | None = None, dirty: bool = False) -> None:
        reason = plan.get("reason", "")
        if plan["mode"] == "incremental":
            done = _build_incremental(config, plan["changed"], plan["titles"], plan["nav"])
            if isinstance(done, tuple):
                summary, files = done
                print(f"MkDocs: {summary}", file=sys.stderr)
                _write_built(Path(plan["out"]), config, files)
                return
            reason = done
        mk.get_navigation = navigation_seen
        try:
            full(config, serve_url=serve_url, dirty=dirty)
        finally:
            mk.get_navigation = get_navigation
        print(f"MkDocs: full build of {len(_pages(seen['files']))} pages ({reason})", file=sys.stderr)
        _write_built(Path(plan["out"]), config, seen["files"])

    mk.build = build
    try:
        cli.cli(argv[1:], prog_name="mkdocs")
    except SystemExit as exc:
        return 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1
    return 0


def _pages(files: Any) -> list[Any]:
    return list(files.documentation_pages())


# What Material's templates read of the meta data of pages other than the one they write
# (partials/nav-item.html: nav_item.meta.*).
NAV_META = ("icon", "subtitle", "status")


def _nav_data(page: Any) -> str:
    """What of a page shows in the navigation of the others besides its title (NAV_META)."""
    meta = {key: page.meta.get(key) for key in NAV_META} if isinstance(page.meta, dict) else page.meta
    return json.dumps(meta, sort_keys=True, default=str)


def _write_built(out: Path, config: Any, files: Any) -> None:
    """What build_site records of this build: the kind of each file of docs/ ("page": built,
    "asset": a stylesheet, script or template that the config names, "static": copied, else
    "other") and the title and navigation data of each page."""
    docs = os.path.abspath(config.docs_dir)
    kinds, titles, nav = {}, {}, {}
    pages = {file.src_uri for file in _pages(files)}
    assets = {str(path) for path in [*config.extra_css, *config.extra_javascript, *config.extra_templates]}
    for file in files:
        if file.abs_src_path and os.path.abspath(file.abs_src_path).startswith(docs + os.sep):
            kinds[file.src_uri] = ("page" if file.src_uri in pages else "asset" if file.src_uri in assets else
                                   "static" if file.inclusion.is_included() else "other")
            if file.src_uri in pages:
                titles[file.src_uri], nav[file.src_uri] = file.page.title, _nav_data(file.page)
    blocker = _incremental_blocker(config) or ("" if all(isinstance(t, str) for t in titles.values())
                                               else "a page title that is not text")
    out.write_text(json.dumps({"kinds": kinds, "titles": titles, "nav": nav, "blocker": blocker}, default=str),
                   encoding="utf-8")


def _build_incremental(config: Any, changed: list[str], titles: Mapping[str, Any],
                       nav_data: Mapping[str, str]) -> tuple[str, Any] | str:
    """mkdocs.commands.build.build for a site folder that holds the last build of this site,
    in which only the files `changed` (as src_uri) changed, Markdown pages and files that MkDocs
    copies (build_site has checked that the files, the config, the navigation and the
    environment did not): the pages are read, only the changed ones are rendered and written,
    with the other pages' titles from the last build (`titles`); the changed other files are
    copied; the theme's templates (404.html, sitemap.xml) are written again; the search index
    keeps the other pages' entries of the last build, in their place.

    Returns (what it did, files) when it built the site, else why a full build is needed (which
    cleans the site's folder first: what was written here is gone). Only for what is known to
    make each page from its own Markdown and the navigation (_incremental_blocker): the Material
    theme without overrides, no plugins but Material's search (no hooks), Markdown extensions
    that read no other file (MARKDOWN_SAFE), link anchors not checked at warning level."""
    from mkdocs import utils
    from mkdocs.commands import build as mk
    from mkdocs.exceptions import Abort, BuildError
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    blocker = _incremental_blocker(config)
    if blocker:
        return blocker
    search = [plugin for plugin in config.plugins.values() if plugin.config.enabled]
    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    if config.strict:
        logging.getLogger("mkdocs").addHandler(counter)

    def strict() -> None:  # as MkDocs's build ends (and a full build after these warnings would end)
        if counts := counter.get_counts():
            raise Abort(f"Aborted with {', '.join(f'{v} {k.lower()}s' for k, v in counts)} in strict mode!")

    def full(reason: str) -> str:
        strict()
        return reason

    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        if {file.src_uri for file in doc_files} != set(titles):
            return "pages added or removed"
        for file in doc_files:
            if file.page is None:
                Page(None, file, config)
        old_entries: dict[str, list[Any]] | None = {}
        if search:
            old_entries = _entries_by_page(Path(config.site_dir) / "search" / "search_index.json",
                                           [file.page.url for file in doc_files])
            if old_entries is None:
                return "the last search index does not divide into the pages' entries"
        again = set(changed) & {file.src_uri for file in doc_files}
        rebuilt = [file for file in doc_files if file.src_uri in again]
        copied = [files.get_file_from_path(uri) for uri in changed if uri not in again]
        if any(file is None or file.is_documentation_page() or not file.inclusion.is_included() for file in copied):
            return "a changed file is no longer one that MkDocs copies"
        in_nav = {id(page) for page in nav.pages}
        for file in doc_files:
            page = file.page
            if file.src_uri in again:
                mk._populate_page(page, config, files)
                if id(page) in in_nav and (page.title != titles[file.src_uri]
                                           or _nav_data(page) != nav_data[file.src_uri]):
                    return full(f"the navigation changed: the title or meta data of {file.src_uri}")
            else:
                page.read_source(config)  # its meta data, for the navigation
                page.title = titles[file.src_uri]
        env = config.plugins.on_env(env, config=config, files=files)
        for file in copied:  # the other files (and the theme's) are as the last build copied them
            file.copy_file()
        for template in config.theme.static_templates:
            mk._build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            mk._build_extra_template(template, files, config, nav)
        for file in rebuilt:
            mk._build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
        for file in rebuilt:
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        for plugin in search:  # the index in the order of a full build: each page's entries in its place
            new_entries = _group_entries(plugin.search_index.entries)
            if new_entries is None or old_entries is None:  # (not seen: MkDocs writes each page's entries at once)
                return full("the search index does not divide into the pages' entries")
            plugin.search_index.entries = [
                entry for file in doc_files
                for entry in (new_entries if file.src_uri in again else old_entries).get(file.page.url, [])]
        config.plugins.on_post_build(config=config)
        strict()
        return (f"{len(rebuilt)} of {len(doc_files)} pages rebuilt (incremental); "
                f"{len(copied)} other changed file{'s' * (len(copied) != 1)} copied"), files
    except Exception as exc:
        config.plugins.on_build_error(error=exc)
        if isinstance(exc, BuildError):
            raise Abort("Aborted with a BuildError!") from exc
        raise
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)


# Markdown extensions that make a page from its own Markdown alone, and pymdownx's but two that
# read other files; extensions not named here are taken to read them too.
MARKDOWN_READS_FILES = ("pymdownx.snippets", "pymdownx.b64")
MARKDOWN_SAFE = {"abbr", "admonition", "attr_list", "def_list", "extra", "fenced_code", "footnotes", "legacy_attrs",
                 "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc", "wikilinks",
                 "codehilite"}


def _markdown_safe(name: Any) -> bool:
    if not isinstance(name, str):
        return False
    short = name.removeprefix("markdown.extensions.")
    return short in MARKDOWN_SAFE or (name.startswith("pymdownx.") and name not in MARKDOWN_READS_FILES)


def _incremental_blocker(config: Any) -> str:
    """Why this config cannot be built incrementally (see _build_incremental), or ""."""
    from material.plugins.search.plugin import SearchPlugin

    others = [name for name, plugin in config.plugins.items() if not isinstance(plugin, SearchPlugin)]
    if others:
        return f"plugins or hooks: {', '.join(others)}"
    if config.theme.name != "material" or config.theme.custom_dir:
        return "not the Material theme without overrides"
    unknown = [str(name) for name in config.markdown_extensions if not _markdown_safe(name)]
    if unknown:
        return f"Markdown extensions that may read other files: {', '.join(unknown)}"
    if config.validation.links.anchors >= logging.WARNING:
        return "validation of link anchors at warning level"
    return ""


def _group_entries(entries: list[Any]) -> dict[str, list[Any]] | None:
    """Search index entries by the URL of their page (their location without the #anchor),
    when each page's entries are together; else None."""
    out: dict[str, list[Any]] = {}
    last = None
    for entry in entries:
        url = str(entry.get("location", "")).split("#", 1)[0]
        if url != last and url in out:
            return None
        out.setdefault(url, []).append(entry)
        last = url
    return out


def _entries_by_page(path: Path, urls: list[str]) -> dict[str, list[Any]] | None:
    """The last search index's entries by page, when they are the pages' entries in the pages'
    order (as a full build writes them); else None."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["docs"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    grouped = _group_entries(entries) if isinstance(entries, list) else None
    if grouped is None or list(grouped) != [url for url in urls if url in grouped]:
        return None
    return grouped
