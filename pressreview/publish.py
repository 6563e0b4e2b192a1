"""publish: run the site generator on docs/ (MkDocs with Material)."""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import shutil
import subprocess
import sys
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


def navigation(docs: Path, strings: Mapping[str, str]) -> list[Any]:
    """The pages of `docs` in MkDocs's own order (index.md first, then the pages by name, then
    the folders by name), without what mkdocs.yml excludes (names starting with '_' or '.'),
    with the titles of SECTION_TITLES and PAGE_TITLES in the interface language."""

    def entries(folder: Path) -> list[Any]:
        children = [p for p in folder.iterdir() if not p.name.startswith(("_", "."))]
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


def write_config(project: Path, docs: Path, strings: Mapping[str, str]) -> Path:
    """The configuration for this build: mkdocs.yml with the generated navigation."""
    config = {"INHERIT": "mkdocs.yml", "nav": navigation(docs, strings)}
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
           config: Path | None = None) -> int:
    args = [sys.executable, "-m", "mkdocs", command, "-f", str(config or project / "mkdocs.yml")]
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


def site_stamp(project: Path, docs: Path, config: Path | None, env: Mapping[str, str]) -> str:
    """A hash of all that `mkdocs build` reads: every file of docs/, mkdocs.yml and the
    generated config, the hooks and theme folder mkdocs.yml names, the environment variables
    MkDocs is given, and the versions of MkDocs and its theme."""
    h = hashlib.sha256()
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
    h.update(json.dumps({"env": {k: env.get(k) for k in sorted(names)},
                         "libraries": {name: _version(name) for name in SITE_LIBRARIES},
                         "python": sys.executable}, sort_keys=True).encode())
    for top in [*configs, *extra, docs]:
        files = sorted(top.rglob("*")) if top.is_dir() else [top]
        for path in files:
            if path.is_file() and ".tmp-" not in path.name and "__pycache__" not in path.parts:
                h.update(f"\n{path.relative_to(project) if path.is_relative_to(project) else path}\n".encode())
                h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def build_site(project: Path, language: str, site_dir: Path, docs: Path | None = None, **options: Any) -> int:
    """`mkdocs build` into a new folder beside `site_dir`, renamed into place only when MkDocs
    succeeded: a failed or killed build leaves the previous site as it was. What a killed build
    left behind (the temporary folder; the old site, when it was killed between the two
    renames) is cleaned up, or put back, first.

    With `docs`: when neither docs/ nor the config changed since the last successful build of
    this site (the stamp beside it), MkDocs is not run. The stamp is removed before MkDocs runs
    and written only after the new site is in place, so a failed or killed build leaves none."""
    site_dir = site_dir.resolve()  # a link to the site's folder stays a link
    stamp, stamp_file = "", stamp_path(site_dir)
    if docs is not None:
        env = mkdocs_env(language, options.get("site_url"), options.get("epoch", 0), options.get("report"),
                         options.get("strings"))
        stamp = site_stamp(project, docs, options.get("config"), env)
        try:
            if site_dir.is_dir() and stamp_file.read_text(encoding="utf-8").strip() == stamp:
                print(f"{site_dir} is up to date: neither {docs.name}/ nor the MkDocs config changed since its last "
                      "successful build; MkDocs not run", file=sys.stderr)
                return 0
        except OSError:
            pass
        stamp_file.unlink(missing_ok=True)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    old = [p for p in site_dir.parent.glob(f".{site_dir.name}.old-*") if p.is_dir()]
    if old and not site_dir.exists():
        old[0].rename(site_dir)
    remove_leftovers(site_dir)
    for p in site_dir.parent.glob(f".{site_dir.name}.old-*"):
        shutil.rmtree(p, ignore_errors=True)
    new = temporary_name(site_dir)
    new.mkdir()  # mode from the umask, so a web server can read the site
    try:
        code = mkdocs("build", project, language, new, **options)
        if code != 0:
            log.warning("mkdocs failed (exit status %s): %s was left as it was", code, site_dir)
            return code
        if site_dir.exists():
            aside = site_dir.with_name(f".{site_dir.name}.old-{new.name.rsplit('-', 1)[1]}")
            site_dir.rename(aside)
            new.rename(site_dir)
            shutil.rmtree(aside, ignore_errors=True)
        else:
            new.rename(site_dir)
        if stamp:
            write_if_changed(stamp_file, f"{stamp}\n".encode())
        return 0
    finally:
        if new.exists():
            shutil.rmtree(new, ignore_errors=True)
