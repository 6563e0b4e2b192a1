"""stamp: no work for no change. A build whose inputs are those of the last build, and whose
docs/ is still as that build left it, skips analysis, comparison and page writing.

After a build has written docs/, it records in the stamp (.cache/pressreview/docs-stamp.json,
with the analysis cache) a key over everything the generated pages are made from, and the
size and times of every file in docs/ then. The key covers: every input file's bytes, sidecar
and path in order (cache.input_key) and the files the input folder rejected; every setting (also
those that reach no analysis: interface language, page sizes ...); pressreview's code, rule files
and the libraries it uses; its templates and hand-written pages (templates/, docs/_pages/), the
project's templates folder, the comparisons file, pressreview.yml and mkdocs.yml. The project's
own pages are in docs/, whose every file must still have the recorded size, mtime and ctime (a
file written again, added or removed is a change: ctime cannot be set back by hand; a link's
target counts, a link to a folder means no skip).

The next build with the same key and the same docs/ takes the few facts the rest of the build
needs (the interface language, the site's date, the interface strings, the rejected files)
from the stamp. Anything else is a rebuild: wrong reuse is the bug, a needless rebuild only
costs time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import FOLDER, IGNORE, LIBRARIES, input_key, worker_fingerprint
from .model import Rejected
from .output import write_if_changed

if TYPE_CHECKING:
    from .read import Input

NAME = "docs-stamp.json"  # in the cache folder
FORMAT = 1
PACKAGE = Path(__file__).resolve().parent.parent  # pressreview's templates/ and docs/_pages/, build.py
# Libraries that shape the pages (besides those of the analysis, cache.LIBRARIES).
PAGE_LIBRARIES = ("Babel", "Jinja2", "markdown-it-py", "MarkupSafe", "mdurl", "text-unidecode")


def path(settings: dict[str, Any]) -> Path:
    return Path(settings["project"]) / FOLDER / NAME


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _hash_files(h: Any, top: Path) -> None:
    """Every file under `top` (or `top` itself): its path and the hash of its bytes."""
    files = sorted(top.rglob("*")) if top.is_dir() else [top]
    h.update(f"\n[{top}]\n".encode())
    for file in files:
        if file.is_file():
            h.update(f"{file.relative_to(top) if file != top else ''}\0".encode())
            h.update(hashlib.sha256(file.read_bytes()).digest())


def key(settings: dict[str, Any], sources: list[Input | Rejected], rejected: list[Rejected]) -> str:
    """Everything the pages in docs/ are made from (see the module's text)."""
    project = Path(settings["project"])
    h = hashlib.sha256(f"format {FORMAT}\n{worker_fingerprint()}\n".encode())
    h.update(json.dumps({"settings": settings, "libraries": {n: _version(n) for n in LIBRARIES + PAGE_LIBRARIES},
                         "rejected": [[r.source_path, r.reason] for r in rejected]},
                        sort_keys=True, default=str).encode())
    for source in sources:
        if isinstance(source, Rejected):
            h.update(f"\nrejected {json.dumps([source.source_path, source.reason])}".encode())
        else:
            h.update(f"\ninput {input_key('', source)}".encode())
    for top in (PACKAGE / "templates", PACKAGE / "docs" / "_pages", PACKAGE / "build.py",
                project / settings["templates"], project / settings["comparisons"],
                project / "pressreview.yml", project / "mkdocs.yml"):
        _hash_files(h, top)
    return h.hexdigest()


def listing(docs: Path) -> dict[str, list[int]] | None:
    """Every file in docs/: size, mtime and ctime in nanoseconds, and those of the file a link
    points to. None when docs/ holds a link to a folder (whose files are not looked into): then
    no build is skipped."""
    found: dict[str, list[int]] = {}
    for folder, dirs, files in os.walk(docs):
        if any(Path(folder, name).is_symlink() for name in dirs):
            return None
        dirs.sort()
        for name in sorted(files):
            file = Path(folder, name)
            entry = _times(file.lstat())
            if file.is_symlink():
                try:
                    entry += _times(file.stat())
                except OSError:  # a broken link
                    entry.append(-1)
            found[file.relative_to(docs).as_posix()] = entry
    return found


def _times(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def fresh(settings: dict[str, Any], build_key: str) -> dict[str, Any] | None:
    """What the last build recorded, if it had this key and docs/ is as it left it; else None."""
    try:
        data = json.loads(path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    docs = Path(settings["project"]) / settings["docs_dir"]
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != build_key:
        return None
    if not docs.is_dir() or data.get("docs") is None or data.get("docs") != listing(docs):
        return None
    return data


def record(settings: dict[str, Any], build_key: str, facts: dict[str, Any]) -> None:
    """After a build wrote docs/: its key, the state of docs/ and `facts` for the next build."""
    docs = Path(settings["project"]) / settings["docs_dir"]
    data = {"format": FORMAT, "key": build_key, **facts, "docs": listing(docs)}
    try:
        write_if_changed(path(settings).parent / ".gitignore", IGNORE)  # (as the cache: a build of no article)
        write_if_changed(path(settings), json.dumps(data, sort_keys=True).encode("utf-8"))
    except OSError as exc:  # the next build does all the work again, no more
        print(f"warning: could not write {path(settings)}: {exc}", file=sys.stderr)


def drop(settings: dict[str, Any]) -> None:
    path(settings).unlink(missing_ok=True)
