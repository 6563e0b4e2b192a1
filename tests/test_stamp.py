"""No work for no change (pressreview/stamp.py): a build whose inputs, settings, templates and
pages are those of the last build, with docs/ as that build left it, skips analysis,
comparison and page writing; any change, and --no-cache, makes the pages again, exactly as a
build without the cache makes them."""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
from pathlib import Path
from typing import Callable

import pytest
import yaml

from conftest import ROOT, SEEDS, make_project
from pressreview import stamp

SKIPPED = "is up to date: no input, setting, template or page changed since the last build"

_spec = importlib.util.spec_from_file_location("build_cli", ROOT / "build.py")
assert _spec and _spec.loader
cli = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cli)


def docs_command(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[bool, dict[str, str]]:
    """`build.py docs` in this process: whether it skipped the pages, and every file of docs/
    with the hash of its bytes."""
    capsys.readouterr()
    assert cli.main(["--project", str(project), "docs", "--jobs", "1", *args]) == 0
    err = capsys.readouterr().err
    docs = project / "docs"
    return SKIPPED in err, {p.relative_to(docs).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                            for p in sorted(docs.rglob("*")) if p.is_file()}


def edit(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def first_input(project: Path) -> Path:
    return sorted((project / "seeds").glob("*.txt"))[0]


def project_strings(project: Path) -> None:
    strings = yaml.safe_load((ROOT / "templates" / "strings.yml").read_text(encoding="utf-8"))
    for language in strings.values():
        language["articles"] = language["articles"] + "!"
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "strings.yml").write_text(yaml.safe_dump(strings, allow_unicode=True), encoding="utf-8")


def project_template(project: Path) -> None:
    (project / "templates").mkdir(exist_ok=True)
    text = (ROOT / "templates" / "index.md.j2").read_text(encoding="utf-8")
    (project / "templates" / "index.md.j2").write_text(text + "\nA line of the project's own.\n", encoding="utf-8")


CHANGES: dict[str, Callable[[Path], object]] = {
    "an input edited": lambda p: edit(first_input(p), "\nEin neuer Absatz könnte alles ändern.\n"),
    "an input added": lambda p: (p / "seeds" / "zz.txt").write_text(
        "Ein weiterer Bericht\n\nDer Umsatz stieg um 12 Prozent auf 3,2 Milliarden Euro.\n", encoding="utf-8"),
    "an input removed": lambda p: first_input(p).unlink(),
    "a sidecar": lambda p: first_input(p).with_suffix(".yml").write_text("title: Ein Titel aus dem Sidecar\n",
                                                                         encoding="utf-8"),
    "a template": project_template,
    "strings.yml": project_strings,
    "a setting of the analysis": lambda p: (p / "pressreview.yml").write_text("headline_max_words: 3\n"),
    "a setting of the pages only": lambda p: (p / "pressreview.yml").write_text("interface_language: en\n"),
    "a hand-written page": lambda p: edit(p / "docs" / "_pages" / "de" / "legend.md", "\nEin Satz mehr.\n"),
    "a generated page removed": lambda p: next((p / "docs" / "articles").glob("*.md")).unlink(),
    "a generated page edited": lambda p: edit(p / "docs" / "index.md", "\nA hand-made line.\n"),
    "the comparisons file": lambda p: (p / "comparisons.yml").write_text(
        "- topic: Alibabas Anleihe\n  terms: [Anleihe]\n", encoding="utf-8"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The seeds built once: the analysis cache holds them."""
    project = make_project(tmp_path_factory.mktemp("stamp"), SEEDS)
    assert cli.main(["--project", str(project), "docs", "--jobs", "1"]) == 0
    return project


@pytest.fixture
def project(built, tmp_path, capsys) -> Path:
    """A copy of the built project, built again (which records the copy's docs/)."""
    copy = tmp_path / "project"
    shutil.copytree(built, copy, symlinks=True)
    docs_command(copy, capsys)
    return copy


def test_a_build_with_nothing_changed_skips_the_pages_and_leaves_docs_as_they_were(project, capsys):
    before = {p: p.stat().st_mtime_ns for p in (project / "docs").rglob("*")}
    skipped, docs = docs_command(project, capsys)
    assert skipped
    assert {p: p.stat().st_mtime_ns for p in (project / "docs").rglob("*")} == before
    assert docs_command(project, capsys) == (True, docs)
    assert docs_command(project, capsys, "--no-cache") == (False, docs)  # --no-cache: all made again


@pytest.mark.parametrize("what", sorted(CHANGES))
def test_any_change_makes_the_pages_again_as_a_build_without_the_cache(project, capsys, what):
    CHANGES[what](project)
    skipped, docs = docs_command(project, capsys)
    assert not skipped
    assert docs_command(project, capsys, "--no-cache") == (False, docs)  # a cold build writes the same
    assert docs_command(project, capsys) == (True, docs)  # and then nothing changed


def test_a_strict_build_with_rejected_inputs_fails_also_when_nothing_changed(project, capsys):
    (project / "seeds" / "empty.txt").write_text("", encoding="utf-8")
    assert docs_command(project, capsys)[0] is False
    capsys.readouterr()
    assert cli.main(["--project", str(project), "docs", "--jobs", "1", "--strict"]) == 1
    assert "error: rejected input empty.txt" in capsys.readouterr().err


def test_the_key_covers_every_input_and_setting(project):
    from pressreview.read import read_inputs
    from pressreview.settings import load_settings

    settings = load_settings(project)
    inputs = read_inputs(settings)
    key = stamp.key(settings, *inputs)
    assert stamp.key(settings, *inputs) == key
    assert stamp.key({**settings, "index_page_size": 7}, *inputs) != key
    assert stamp.key(settings, inputs[0][::-1], inputs[1]) != key  # the order of the inputs
    assert stamp.key(settings, inputs[0][1:], inputs[1]) != key


def test_a_page_behind_a_link_counts_and_a_linked_folder_means_no_skip(project, capsys):
    page = project / "docs" / "_pages" / "de" / "legend.md"
    shared = project / "shared"
    shared.mkdir()
    (shared / "legend.md").write_bytes(page.read_bytes())
    page.unlink()
    page.symlink_to(shared / "legend.md")
    assert docs_command(project, capsys)[0] is False
    assert docs_command(project, capsys)[0] is True
    edit(shared / "legend.md", "\nEin Satz mehr.\n")  # the link stays as it was
    skipped, docs = docs_command(project, capsys)
    assert not skipped
    assert docs_command(project, capsys, "--no-cache") == (False, docs)
    (project / "docs" / "_pages" / "linked").symlink_to(shared, target_is_directory=True)
    assert docs_command(project, capsys)[0] is False
    assert docs_command(project, capsys)[0] is False
