"""A build's own state is never taken from the repository (pressreview/state.py): a pull request
that commits a site/ with a matching stamp, or a poisoned analysis cache entry, gets a full build
from its inputs, and a warning that names the committed files."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import make_project, run_build

FORGED = "<html><body>Seite aus dem Pull Request</body></html>"
POISON = "Dieser Satz steht in keinem Artikel"


def git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


@pytest.fixture(scope="module")
def forged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built project in git, then a site page and every cache entry forged (not yet committed)."""
    project = make_project(tmp_path_factory.mktemp("state"))
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "articles")
    assert run_build(project, "build").returncode == 0
    (project / "site" / "index.html").write_text(FORGED, encoding="utf-8")
    entries = [p for p in (project / ".cache" / "pressreview").rglob("*.json") if p.name != "docs-stamp.json"]
    assert entries
    for entry in entries:
        data = json.loads(entry.read_text(encoding="utf-8"))
        text = json.dumps(data)
        assert '"rule": "paragraphs", "text": "' in text
        entry.write_text(text.replace('"rule": "paragraphs", "text": "', f'"rule": "paragraphs", "text": "{POISON}. '),
                         encoding="utf-8")
    return project


def test_untracked_state_is_used_so_forged_state_would_be_published(forged: Path) -> None:
    """The control: state that git does not track is this machine's own, and a build with nothing
    changed keeps it (the forged page stays). Committed, the same files must not be used."""
    result = run_build(forged, "build")
    assert result.returncode == 0, result.stderr
    assert "committed to the repository" not in result.stderr
    assert (forged / "site" / "index.html").read_text(encoding="utf-8") == FORGED


def test_committed_state_is_distrusted_and_everything_built_again(forged: Path) -> None:
    git(forged, "add", "-f", "site", ".site.pressreview-stamp", ".site.pressreview-pages.json", ".cache")
    git(forged, "commit", "-qm", "a pull request with a site and a cache")
    result = run_build(forged, "build")
    assert result.returncode == 0, result.stderr
    assert "committed to the repository" in result.stderr
    warning = next(line for line in result.stderr.splitlines() if "committed to the repository" in line)
    for path in (".cache/pressreview", "site", ".site.pressreview-stamp", ".site.pressreview-pages.json"):
        assert path in warning
    assert "MkDocs: full build" in result.stderr and "the last site is in the repository" in result.stderr
    page = (forged / "site" / "index.html").read_text(encoding="utf-8")
    assert FORGED not in page and "Alibaba" in page
    analysis = (forged / "docs" / "data" / "analysis.json").read_text(encoding="utf-8")
    assert POISON not in analysis
    for html in (forged / "site" / "articles").rglob("*.html"):
        assert POISON not in html.read_text(encoding="utf-8")


def test_committed_cache_entries_are_not_read(forged: Path, tmp_path: Path) -> None:
    """(After the test above committed the forged cache.) The analysis comes from the inputs."""
    out = tmp_path / "analysis.json"
    result = run_build(forged, "analyse", "--json", str(out))
    assert result.returncode == 0, result.stderr
    assert ".cache/pressreview" in result.stderr
    assert "Alibaba" in out.read_text(encoding="utf-8") and POISON not in out.read_text(encoding="utf-8")
