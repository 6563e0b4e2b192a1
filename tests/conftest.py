"""Shared helpers: a temporary project (mkdocs.yml, hand-written docs/, an input folder),
and text extraction from built HTML."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pressreview.pipeline import copy_hand_written

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def make_project(tmp: Path, inputs: Path | None = None) -> Path:
    """A copy of this project's site set-up with its own docs/ and input folder."""
    project = tmp / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    copy_hand_written(ROOT / "docs", project / "docs")
    shutil.copytree(inputs or SEEDS, project / "seeds")
    return project


def run_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project), *args],
                          capture_output=True, text=True, cwd=project, timeout=300)


class _Text(HTMLParser):
    """Visible text of an HTML page's article, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0  # inside <article>
        self.skip = 0  # inside <script>/<style>

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        if tag in ("script", "style"):
            self.skip += 1
        if tag in ("p", "li", "h1", "h2", "h3", "td", "th", "summary", "div", "br"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def article_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    text = "".join(parser.parts).replace("¶", " ")
    return text


WORDS = re.compile(r"[^\W\d_]+|\d+")


def words(text: str) -> list[str]:
    """Words as runs of letters or of digits: '18/09/2025Alibaba' -> 18, 09, 2025, Alibaba."""
    return WORDS.findall(text)


def is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(w == h for h in it) for w in needle)


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    """The seeds built once into a real MkDocs Material site."""
    project = make_project(tmp_path_factory.mktemp("seedsite"))
    result = run_build(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    (project / "build.log").write_text(result.stderr)
    return project
