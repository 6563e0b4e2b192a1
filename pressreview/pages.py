"""pages: the hand-written pages (home intro, legend, methodology, reference) in the interface language.

Each page is written once per language, in docs/_pages/<language>/ (`_pages/de/legend.md`,
`_pages/en/reference/comparison.md` …; MkDocs skips the folder, see exclude_docs in mkdocs.yml).
A build copies the interface language's edition of every page to its place in docs/
(`docs/legend.md`, `docs/reference/comparison.md`), where it is a generated file like the others:
written whole, recorded in the manifest, git-ignored, removed when its source goes. The pages
keep linking to each other and to the generated pages as they always did. `_home.md` of the
language is the home page's intro (render puts it on the generated home page).

Where a page is found, first hit wins: the project's docs/_pages/<language>/, then pressreview's
own docs/_pages/<language>/ (as templates: a project overrides a page by writing its own), and
only when neither has the page in the interface language, its edition in another language (with
a warning: the site would mix languages). A project's own page in docs/ itself (say its own
docs/legend.md, as projects had before there were editions) is never overwritten: the build
keeps it and says so; likewise a project's own docs/_home.md is the intro in every language when
the project has no docs/_pages/<language>/_home.md.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .output import Outputs
from .settings import SettingsError

log = logging.getLogger("pressreview")

PAGES = "_pages"  # docs/_pages/<language>/…
BUILTIN_PAGES = Path(__file__).resolve().parent.parent / "docs" / PAGES
INTRO = "_home.md"
LANGUAGES = ("en", "de")  # the order of the fallback when a page has no edition in the interface language


def _roots(docs: Path) -> list[tuple[Path, bool]]:
    """The folders that hold editions, the project's first; True for the project's own."""
    own = docs / PAGES
    roots = [(own, True)]
    if own.resolve() != BUILTIN_PAGES:
        roots.append((BUILTIN_PAGES, False))
    return roots


def _checked(path: Path, project: Path, own: bool) -> Path:
    """A project's file must not lead out of the project (a symbolic link to /etc/passwd)."""
    if own and not path.resolve().is_relative_to(project.resolve()):
        raise SettingsError(f"{path} is a symbolic link to a place outside the project: not read")
    return path


def _order(language: str) -> list[str]:
    return [language, *(lang for lang in LANGUAGES if lang != language)]


def find(project: Path, docs: Path, language: str, rel: str) -> Path | None:
    """The edition of page `rel` (`legend.md`, `reference/comparison.md`, `_home.md`) for
    `language`: the project's, else pressreview's; in another language only when neither has one."""
    for lang in _order(language):
        for root, own in _roots(docs):
            path = root / lang / rel
            if path.is_file():
                if lang != language:
                    log.warning("%s has no edition in %r: the site shows %s", rel, language, path)
                return _checked(path, project, own)
    return None


def names(project: Path, docs: Path) -> list[str]:
    """Every page that has an edition in some language (not the intro, nor any other name
    starting with '_'), as paths relative to docs/."""
    found: set[str] = set()
    for root, _ in _roots(docs):
        if not root.is_dir():
            continue
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            found |= {p.relative_to(folder).as_posix() for p in folder.rglob("*.md")
                      if not any(part.startswith(("_", ".")) for part in p.relative_to(folder).parts)}
    return sorted(found)


def intro(project: Path, docs: Path, language: str) -> str:
    """The home page's intro in `language`: the project's edition, else the project's own
    docs/_home.md (one text for every language), else pressreview's edition."""
    own = docs / PAGES / language / INTRO
    legacy = docs / INTRO
    if own.is_file():
        path: Path | None = _checked(own, project, True)
    elif legacy.is_file():
        path = _checked(legacy, project, True)
    else:
        path = find(project, docs, language, INTRO)
    return path.read_text(encoding="utf-8") if path else ""


def _is_projects_own(docs: Path, rel: str, made: Outputs) -> bool:
    """A page in docs/ that no build of pressreview wrote: not in the manifest, and not the same
    bytes as any edition (a copy from an older layout, or a lost manifest)."""
    path = docs / rel
    if not path.is_file() or rel in made.old:
        return False
    text = path.read_bytes()
    return not any((root / lang / rel).is_file() and (root / lang / rel).read_bytes() == text
                   for root, _ in _roots(docs) if root.is_dir()
                   for lang in (p.name for p in root.iterdir() if p.is_dir()))


def page_text(project: Path, docs: Path, language: str, rel: str) -> str | None:
    """The text of page `rel` as the site shows it in `language` (the PDF prints the legend):
    the project's own page in docs/ if it has one, else the language's edition."""
    if _is_projects_own(docs, rel, Outputs(docs)):
        return (docs / rel).read_text(encoding="utf-8")
    path = find(project, docs, language, rel)
    return path.read_text(encoding="utf-8") if path else None


def write_pages(project: Path, docs: Path, language: str, outputs: Outputs) -> list[str]:
    """Copy the interface language's edition of every page into docs/ (recorded in `outputs`
    as made by "pages"); returns the pages written."""
    written = []
    for rel in names(project, docs):
        if _is_projects_own(docs, rel, outputs):
            log.info("%s is the project's own page (not written by pressreview): kept as it is", docs / rel)
            continue
        source = find(project, docs, language, rel)
        if source is not None:
            outputs.write(rel, source.read_bytes(), by="pages",
                          language=source.parents[len(Path(rel).parts) - 1].name)
            written.append(rel)
    return written
