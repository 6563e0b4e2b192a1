"""output: how pressreview writes, so that a failed, killed or concurrent build never leaves
half a site behind.

- Files are written whole: into a temporary file beside the target, then renamed over it
  (`os.replace`), and only when their bytes change.
- Everything a command generates in docs/ is recorded in the manifest
  (docs/.pressreview-manifest.json); the next build removes what it does not make again
  (an old article's page, a report.pdf from an earlier `build --pdf`, a stale changes.md).
- The site is built into a temporary folder beside site/ and renamed into place only when
  MkDocs succeeded (publish.build_site).
- One lock file per project (.pressreview.lock beside the docs folder) lets one command at a
  time write into docs/ and site/; a second one waits, and fails after `lock_timeout`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import shutil
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from filelock import FileLock, Timeout

log = logging.getLogger("pressreview")

MANIFEST = ".pressreview-manifest.json"
LOCK = ".pressreview.lock"
_TMP = ".tmp-"  # the mark of our temporary files and folders: .<name>.tmp-<random>


class LockError(Exception):
    pass


def temporary_name(path: Path) -> Path:
    """A new name beside `path` for a file or folder that becomes `path` later."""
    return path.with_name(f".{path.name}{_TMP}{secrets.token_hex(4)}")


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` to `path` whole (temporary file + rename), unless it already holds it."""
    try:
        if path.read_bytes() == data:
            return False
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(path)
    try:
        with open(tmp, "xb") as f:  # mode from the umask, like any file we write
            f.write(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return True


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path to write instead of `path`; it replaces `path` only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def remove_leftovers(path: Path) -> None:
    """Remove what a killed run left beside `path` (its temporary names)."""
    if path.parent.is_dir():
        for other in path.parent.glob(f".{path.name}{_TMP}*"):
            _remove(other)


class Outputs:
    """The files that one command generates in the docs folder, and the manifest of them.

    `write` records a file as made by a producer ("pages", "pdf", "changes"); `commit` removes
    every file that the previous manifest recorded and this run did not make or `keep`, and,
    with prune, every other file in the folders that render owns; then it writes the manifest."""

    def __init__(self, docs: Path):
        self.docs = docs
        self.old: dict[str, dict[str, Any]] = {}
        self.new: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
            self.old = {str(k): v for k, v in data["files"].items() if isinstance(v, dict) and self._ours(str(k))}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no manifest yet (or a broken one): the folders that render owns are still pruned

    def _ours(self, rel: str) -> bool:
        """A manifest entry names a file inside the docs folder (it is never trusted further)."""
        parts = PurePosixPath(rel).parts
        return bool(parts) and not PurePosixPath(rel).is_absolute() and ".." not in parts \
            and (self.docs / rel).resolve().is_relative_to(self.docs.resolve())

    def write(self, rel: str, data: bytes | str, by: str = "pages", **extra: Any) -> Path:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        path = self.docs / rel
        write_if_changed(path, raw)
        self.new[rel] = {"by": by, "sha256": hashlib.sha256(raw).hexdigest(), **extra}
        return path

    def record(self, rel: str, by: str) -> None:
        """A file that was written by other means (through `replacing`)."""
        self.new[rel] = {"by": by, "sha256": hashlib.sha256((self.docs / rel).read_bytes()).hexdigest()}

    def keep(self, rel: str) -> None:
        """Carry a file of an earlier run over into this run's manifest."""
        if rel in self.old and (self.docs / rel).is_file():
            self.new[rel] = self.old[rel]

    def commit(self, owned: tuple[str, ...] = (), prune: bool = True) -> list[Path]:
        """Remove what is no longer produced; write the manifest. Returns the removed paths."""
        removed: list[Path] = []
        stale = {rel for rel in self.old if rel not in self.new}
        if prune:
            for name in owned:
                top = self.docs / name
                files = top.rglob("*") if top.is_dir() and not top.is_symlink() else [top]
                stale |= {p.relative_to(self.docs).as_posix() for p in files
                          if (p.is_file() or p.is_symlink()) and p.relative_to(self.docs).as_posix() not in self.new}
        for rel in sorted(stale):
            path = self.docs / rel
            if path.is_file() or path.is_symlink():
                path.unlink()
                removed.append(path)
                log.info("removed %s: this build did not make it again", path)
        if prune:
            for name in owned:  # folders left empty
                top = self.docs / name
                if top.is_dir() and not top.is_symlink():
                    folders = [top, *(p for p in top.rglob("*") if p.is_dir())]
                    for folder in sorted(folders, key=lambda p: -len(p.parts)):
                        if not any(folder.iterdir()):
                            folder.rmdir()
            for leftover in self.docs.glob(f".*{_TMP}*"):  # a killed run's temporary files
                _remove(leftover)
        manifest = {"schema": 1,
                    "about": "Files that pressreview generated in this folder; the next build removes those it "
                             "does not make again. Written by pressreview, git-ignored.",
                    "files": dict(sorted(self.new.items()))}
        write_if_changed(self.docs / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode("utf-8"))
        return removed


def lock_path(settings: dict[str, Any]) -> Path:
    """The project's lock file: beside the docs folder (so not watched by `mkdocs serve`)."""
    return (Path(settings["project"]) / settings["docs_dir"]).resolve().parent / LOCK


@contextmanager
def project_lock(settings: dict[str, Any]) -> Iterator[None]:
    """Hold the project's lock: one command at a time writes into docs/ and site/."""
    path = lock_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path)
    timeout = float(settings["lock_timeout"])
    try:
        lock.acquire(blocking=False)
    except Timeout:
        log.warning("waiting for another build of this project (lock file %s)", path)
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise LockError(f"{path}: another build of this project still holds the lock after {timeout:g} s "
                            "(setting lock_timeout); try again when it has finished") from None
    try:
        yield
    finally:
        lock.release()
