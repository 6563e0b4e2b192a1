"""A build's own state is never taken from the repository.

The analysis cache (.cache/pressreview/, with the stamp of docs/), the stamp and the record
beside the site (.site.pressreview-stamp, .site.pressreview-pages.json) and site/ itself are
what earlier builds on this machine left. They are git-ignored, but a pull request can still
commit them (`git add -f`): a cache entry with text its input does not have, or a site/ with
a stamp that matches the docs/ this build will write, so that MkDocs is skipped and the
committed pages are published as the preview. Content keys cannot tell: the inputs are the
contributor's, so the keys are too. So when any of these paths is tracked by git, the build
trusts none of them: no cache, no skipped step, a full MkDocs build.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .cache import FOLDER


def state_paths(project: Path, site_dir: Path) -> list[Path]:
    """The paths of a build's own state (those of publish.stamp_path and publish.record_path)."""
    return [project / FOLDER, site_dir, site_dir.with_name(f".{site_dir.name}.pressreview-stamp"),
            site_dir.with_name(f".{site_dir.name}.pressreview-pages.json")]


def tracked_state(project: Path, site_dir: Path) -> list[str]:
    """Which paths of the build's state (state_paths, relative to the project) hold files that
    git tracks in the project's repository: none when the project is not in a git work tree
    or git is missing."""
    root = project.resolve()
    paths = []
    for path in state_paths(root, site_dir.resolve()):
        try:
            paths.append(path.relative_to(root).as_posix())
        except ValueError:  # a site outside the project is in no pull request of it
            continue
    try:
        out = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", *paths],
                             capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    if out.returncode != 0:
        return []
    files = [name for name in out.stdout.decode("utf-8", "replace").split("\0") if name]
    return [path for path in paths if any(name == path or name.startswith(path + "/") for name in files)]
