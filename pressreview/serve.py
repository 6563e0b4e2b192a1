"""serve: `build.py serve` rebuilds only what an edit touches.

`mkdocs serve --dirty` serves the site and, when a file of docs/ changes, builds only the pages
whose file changed. This loop watches what MkDocs does not: the input folder, pressreview.yml,
the templates, the curated comparisons and the home text. On a change it writes the pages again
with the analysis cache, so only an edited article is analysed again, and only pages whose
bytes change are written, which MkDocs then rebuilds. When the navigation (an article added,
removed or retitled: every page lists it) or MkDocs's environment (the interface language)
changes, MkDocs is restarted for one full build.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, NamedTuple

from .publish import mkdocs_env

log = logging.getLogger("pressreview")

POLL_SECONDS = 1.0


class Pages(NamedTuple):
    """What a run of the pipeline gives MkDocs: its config file and environment."""

    config: Path | None
    env: dict[str, str]


def signature(places: list[Path]) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file in the places (files or folders)."""
    found: dict[str, tuple[int, int]] = {}
    for place in places:
        paths = [place] if place.is_file() else sorted(place.rglob("*")) if place.is_dir() else []
        for path in paths:
            try:
                st = path.stat()
            except OSError:
                continue
            if path.is_file():
                found[str(path)] = (st.st_size, st.st_mtime_ns)
    return found


def watched(settings: dict[str, Any]) -> list[Path]:
    """What the pages are made from, besides pressreview's own code."""
    project = Path(settings["project"])
    return [(project / settings["input"]).resolve(), project / "pressreview.yml", project / settings["templates"],
            project / settings["comparisons"], project / settings["docs_dir"] / "_home.md"]


def _config_text(pages: Pages) -> str:
    return pages.config.read_text(encoding="utf-8") if pages.config and pages.config.is_file() else ""


def _start(project: Path, pages: Pages, extra: list[str]) -> subprocess.Popen:
    config = pages.config or project / "mkdocs.yml"
    # --no-strict: MkDocs warns about every dirty build, which mkdocs.yml's `strict: true` would
    # make fatal; `build` stays strict.
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-f", str(config),
                             *extra],
                            env=pages.env, cwd=project)


def serve(project: Path, places: list[Path], pages: Pages, refresh: Callable[[], Pages],
          extra: list[str] | None = None, rounds: int | None = None) -> int:
    """Serve the site; on a change of `places`, call `refresh` (the pipeline with the cache).
    `rounds`: stop after so many polls (tests); default: until MkDocs ends or Ctrl-C."""
    extra = extra or []
    proc = _start(project, pages, extra)
    seen, nav = signature(places), _config_text(pages)
    try:
        while rounds is None or rounds > 0:
            rounds = None if rounds is None else rounds - 1
            time.sleep(POLL_SECONDS)
            if proc.poll() is not None:
                return proc.returncode
            now = signature(places)
            if now == seen:
                continue
            changed = sorted(k for k in now.keys() | seen.keys() if now.get(k) != seen.get(k))
            seen = now
            log.info("input changed (%s): writing the pages again", ", ".join(changed[:3]))
            try:
                new = refresh()
            except Exception as exc:  # a broken edit (bad YAML …): say so, keep serving the last pages
                print(f"error: {exc}", file=sys.stderr)
                continue
            if new.env != pages.env or _config_text(new) != nav:
                print("the navigation or the interface language changed: MkDocs builds every page again",
                      file=sys.stderr)
                proc.terminate()
                proc.wait()
                proc = _start(project, new, extra)
            pages, nav = new, _config_text(new)
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def serve_env(language: str, epoch: int, report: Path | None, strings: dict[str, str]) -> dict[str, str]:
    return mkdocs_env(language, None, epoch, report, strings) | {"PYTHONUNBUFFERED": os.environ.get("PYTHONUNBUFFERED", "1")}
