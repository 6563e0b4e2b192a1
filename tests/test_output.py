"""Output that a failed, killed or concurrent build cannot spoil (pressreview/output.py and
publish.build_site): the site is swapped in whole, one build at a time writes into a project,
and what a build does not make again is removed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock
from hypothesis import given, settings as hsettings, strategies as st

from conftest import ROOT, SEEDS, make_project, run_build
from pressreview import pdf as pdfmod
from pressreview import publish
from pressreview.pipeline import OWNED, copy_hand_written

LOCK = ".pressreview.lock"  # beside docs/
MANIFEST = ".pressreview-manifest.json"  # in docs/
STAMP = ".site.pressreview-stamp"  # beside site/: what its last successful build was made from

# A MkDocs hook for the test projects only: it lets a test pause MkDocs at a known point.
HOOK = '''
import os, pathlib, time

def on_pre_build(config):  # before MkDocs reads docs/
    time.sleep(float(os.environ.get("TEST_PAUSE_BEFORE_READING", "0")))

def on_files(files, config):  # after MkDocs has cleaned its site folder
    mark = os.environ.get("TEST_MARK_AND_HANG")
    if mark:
        pathlib.Path(mark).write_text(str(os.getpid()))
        time.sleep(120)
    return files
'''


def hooked_project(tmp: Path) -> Path:
    project = make_project(tmp)
    (project / "test_hook.py").write_text(HOOK)
    with open(project / "mkdocs.yml", "a") as f:
        f.write("\nhooks:\n  - test_hook.py\n")
    return project


def build_cmd(project: Path, *args: str) -> list[str]:
    return [sys.executable, str(ROOT / "build.py"), "--project", str(project), *args]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a folder with the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A project with the MkDocs hook, built once; and its site's files."""
    project = hooked_project(tmp_path_factory.mktemp("atomic"))
    result = run_build(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    return project, snapshot(project / "site")


@pytest.mark.site
def test_killed_build_leaves_the_previous_site(built):
    project, before = built
    (project / STAMP).unlink()  # else nothing changed, and MkDocs would not run
    mark = project / "mkdocs-is-running"
    env = {**os.environ, "TEST_MARK_AND_HANG": str(mark)}
    proc = subprocess.Popen(build_cmd(project, "build"), cwd=project, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not mark.exists():  # MkDocs has cleaned its output folder and is building
            assert proc.poll() is None and time.monotonic() < deadline, "MkDocs did not reach the hook"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # build.py and MkDocs
        proc.wait()
    assert snapshot(project / "site") == before
    assert not (project / STAMP).exists()  # a killed build writes no stamp: the next one runs MkDocs
    mark.unlink()
    again = run_build(project, "build")  # the next build cleans up what the killed one left
    assert again.returncode == 0, again.stderr
    assert "MkDocs not run" not in again.stderr and (project / STAMP).is_file()
    assert leftovers(project) == [] and leftovers(project / "docs") == []
    assert snapshot(project / "site") == before


@pytest.mark.site
def test_failed_mkdocs_run_leaves_the_previous_site(built):
    project, before = built
    broken = project / "docs" / "broken.md"
    broken.write_text("# Broken\n\n[a page that does not exist](nowhere.md)\n")  # a warning: --strict fails
    try:
        result = run_build(project, "build")
    finally:
        broken.unlink()
    assert result.returncode != 0 and "nowhere.md" in result.stderr
    assert snapshot(project / "site") == before
    assert "was left as it was" in result.stderr and leftovers(project) == []
    assert not (project / STAMP).exists()  # nor does a failed one


@pytest.mark.site
def test_a_build_with_nothing_changed_does_not_run_mkdocs(built):
    project, before = built
    first = run_build(project, "build")  # (after the failed build above: MkDocs runs)
    assert first.returncode == 0 and "MkDocs not run" not in first.stderr, first.stderr
    site, docs = (project / "site").stat().st_ino, snapshot(project / "docs")
    again = run_build(project, "build")
    assert again.returncode == 0, again.stderr
    assert f"{project / 'docs'} is up to date: no input, setting, template or page changed since the last build; " \
           "analysis, comparison and page writing skipped" in again.stderr  # (tests/test_stamp.py)
    assert f"{project / 'site'} is up to date: neither docs/ nor the MkDocs config changed since its last " \
           "successful build; MkDocs not run" in again.stderr
    assert (project / "site").stat().st_ino == site and snapshot(project / "site") == before
    assert snapshot(project / "docs") == docs


def test_the_stamp_changes_with_everything_mkdocs_reads(tmp_path):
    project = hooked_project(tmp_path)
    docs, config = project / "docs", project / ".pressreview-mkdocs.yml"
    config.write_text("INHERIT: mkdocs.yml\nnav: [index.md]\n")
    env = publish.mkdocs_env("en", epoch=5)

    def stamp(**changes: str) -> str:
        return publish.site_stamp(project, docs, config, {**env, **changes})

    seen = {stamp()}
    assert stamp() in seen  # the same inputs, the same stamp
    for edit in (lambda: (docs / "extra.md").write_text("# Extra\n"),  # a page added
                 lambda: (docs / "extra.md").write_text("# Extra!\n"),  # a page changed
                 lambda: config.write_text("INHERIT: mkdocs.yml\nnav: [index.md, extra.md]\n"),  # the navigation
                 lambda: (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text() + "\n# x\n"),
                 lambda: (project / "test_hook.py").write_text(HOOK + "\n# changed\n")):  # a hook it names
        edit()
        assert stamp() not in seen
        seen.add(stamp())
    assert stamp(PRESSREVIEW_LANGUAGE="de") not in seen  # the interface language
    assert stamp(SOURCE_DATE_EPOCH="6") not in seen and stamp(SITE_URL="https://example.org/pr/1/") not in seen
    assert stamp(UNRELATED_VARIABLE="1") in seen


@pytest.mark.site
def test_site_dir_from_the_command_line_gets_the_same_site(built, tmp_path):
    project, before = built
    result = run_build(project, "build", "--site-dir", str(tmp_path / "out" / "public"))
    assert result.returncode == 0, result.stderr
    assert snapshot(tmp_path / "out" / "public").keys() == before.keys()
    assert leftovers(tmp_path / "out") == []
    mode = (tmp_path / "out" / "public").stat().st_mode & 0o777
    assert mode == 0o777 & ~_umask()  # readable by a web server, like any folder we make


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.site
def test_two_builds_at_once_keep_their_own_articles(tmp_path):
    """Two builds in one project with different inputs and site folders: each site holds only
    its own corpus (without the lock, corpus B's articles ended up in site A)."""
    project = hooked_project(tmp_path)
    seeds = sorted(SEEDS.iterdir())
    for name, seed in (("a", seeds[0]), ("b", seeds[1])):
        (project / name).mkdir()
        (project / name / seed.name).write_bytes(seed.read_bytes())
    env = {**os.environ, "TEST_PAUSE_BEFORE_READING": "1.5"}  # widen the window between writing and reading docs/
    procs = {name: subprocess.Popen(build_cmd(project, "build", "--input", name, "--site-dir", f"site-{name}"),
                                    cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in ("a", "b")}
    for name, proc in procs.items():
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    for name in ("a", "b"):
        site = project / f"site-{name}"
        data = json.loads((site / "data" / "analysis.json").read_text(encoding="utf-8"))
        assert [a["source_path"] for a in data["articles"]] == [p.name for p in (project / name).iterdir()]
        pages = sorted(p.name for p in (site / "articles").iterdir() if p.is_dir())
        assert pages == [a["id"] for a in data["articles"]]


def test_a_second_build_waits_for_the_lock_or_fails_after_the_timeout(tmp_path):
    project = make_project(tmp_path)
    with FileLock(project / LOCK):  # another build holds the project
        proc = subprocess.Popen(build_cmd(project, "docs"), cwd=project, stderr=subprocess.PIPE, text=True)
        assert proc.stderr is not None
        line = proc.stderr.readline()  # printed before it waits
        assert f"waiting for another build of this project (lock file {project / LOCK})" in line
        assert proc.poll() is None and not (project / "docs" / "index.md").exists()
    _, rest = proc.communicate(timeout=120)  # the lock is free: it goes on
    assert proc.returncode == 0, rest
    assert (project / "docs" / "index.md").is_file()
    (project / "pressreview.yml").write_text("lock_timeout: 1\n")
    (project / "docs" / "index.md").unlink()
    with FileLock(project / LOCK):
        result = run_build(project, "docs")
    assert result.returncode == 2
    assert "still holds the lock after 1 s (setting lock_timeout); try again when it has finished" in result.stderr
    assert not (project / "docs" / "index.md").exists()  # nothing written


def test_pages_are_written_only_when_their_bytes_change(tmp_path):
    project = make_project(tmp_path)
    assert run_build(project, "docs").returncode == 0
    docs = project / "docs"

    def stamps() -> dict[str, tuple[int, int]]:
        return {p.relative_to(docs).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
                for p in docs.rglob("*") if p.is_file()}

    before = stamps()
    time.sleep(0.05)
    assert run_build(project, "docs").returncode == 0
    assert stamps() == before  # nothing rewritten
    first, second = json.loads((docs / "data" / "analysis.json").read_text(encoding="utf-8"))["articles"][:2]
    with open(project / "seeds" / second["source_path"], "a", encoding="utf-8") as f:
        f.write("\nEin Nachtrag der Redaktion ohne Zahlen.\n")
    assert run_build(project, "docs").returncode == 0
    after = stamps()
    assert after[f"articles/{first['id']}.md"] == before[f"articles/{first['id']}.md"]  # the other article's page
    assert after[f"articles/{second['id']}.md"] != before[f"articles/{second['id']}.md"]
    gone = json.loads((docs / "data" / "analysis.json").read_text(encoding="utf-8"))["articles"][0]
    (project / "seeds" / gone["source_path"]).unlink()
    assert run_build(project, "docs").returncode == 0
    assert not (docs / "articles" / f"{gone['id']}.md").exists()  # the removed article's page is gone
    manifest = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
    # everything in docs/ but the hand-written sources, styles and scripts is generated and recorded:
    # render's pages and the interface language's copies of the hand-written pages
    generated = {rel for rel in stamps() if rel.split("/")[0] not in ("_pages", "stylesheets", "javascripts")} - {MANIFEST}
    assert set(manifest["files"]) == generated and len(generated) > 5
    assert {"legend.md", "methodology.md", "reference/normalisation.md", "index.md"} <= generated


@pytest.mark.site
def test_report_pdf_and_changes_page_are_not_published_after_the_articles_changed(tmp_path):
    """`diff --page` then `build --pdf` (as the preview workflow does) publish the page
    "Changes in this preview" and the PDF. After an article is removed, `build` makes neither
    again: both are gone from docs/ and from the site (the PDF would show the removed article)."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "kept.md").write_text("# Die Aktie steigt\n\nDie Aktie könnte sich verdoppeln.\n", encoding="utf-8")
    (inputs / "removed.md").write_text("# Ein Werk schließt\n\nDas Werk schließt im Mai.\n", encoding="utf-8")
    project = make_project(tmp_path, inputs)
    base = tmp_path / "base.json"
    base.write_text('{"schema": 1, "articles": []}')
    result = run_build(project, "diff", "--base", str(base), "--page")
    assert result.returncode == 0, result.stderr
    result = run_build(project, "build", "--pdf")
    assert result.returncode == 0, result.stderr
    docs, site = project / "docs", project / "site"
    assert (docs / "report.pdf").is_file() and (site / "report.pdf").is_file()
    assert (docs / "changes.md").is_file() and (site / "changes" / "index.html").is_file()
    assert "pr-pdf-link" in (site / "index.html").read_text(encoding="utf-8")
    # A copy of these docs for an example project (tests, benchmarks) holds only the hand-written pages.
    copy = tmp_path / "copy"
    copy_hand_written(docs, copy)
    copied = {p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file()}
    assert {"_pages/de/legend.md", "_pages/en/legend.md", "_pages/de/_home.md", "_pages/en/_home.md"} <= copied
    assert not copied & {"legend.md", "methodology.md", "reference/normalisation.md"}  # the build's copies
    assert not copied & {"report.pdf", "changes.md", "index.md", ".pressreview-manifest.json"}
    assert not [c for c in copied if c.split("/")[0] in ("articles", "data", "compare", "sources", "rules")]
    (project / "seeds" / "removed.md").unlink()
    result = run_build(project, "build")  # (a stale changes page would link to the removed page: --strict fails)
    assert result.returncode == 0, result.stderr
    assert not (docs / "report.pdf").exists() and not (site / "report.pdf").exists()
    assert "pr-pdf-link" not in (site / "index.html").read_text(encoding="utf-8")
    assert not (docs / "changes.md").exists() and not (site / "changes").exists()
    assert leftovers(docs) == []



@pytest.mark.site
def test_a_build_without_pdf_publishes_no_earlier_report_even_without_a_manifest(tmp_path):
    """A report.pdf of an earlier `build --pdf` never ships with another corpus's site: a build
    without --pdf removes it from docs/ and the site, and no page links to it, even when no
    manifest records it (lost, broken, or from an older pressreview)."""
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, text in ((first, "# Die Aktie steigt\n\nDie Aktie könnte sich verdoppeln.\n"),
                         (second, "# A plant closes\n\nThe plant closes in May.\n")):
        folder.mkdir()
        (folder / "a.md").write_text(text, encoding="utf-8")
    project = make_project(tmp_path, first)
    docs, site = project / "docs", project / "site"
    result = run_build(project, "build", "--pdf")
    assert result.returncode == 0, result.stderr
    assert (site / "report.pdf").is_file() and "pr-pdf-link" in (site / "index.html").read_text(encoding="utf-8")
    (docs / MANIFEST).unlink()
    result = run_build(project, "build", "--input", str(second))
    assert result.returncode == 0, result.stderr
    assert not (docs / "report.pdf").exists() and not (site / "report.pdf").exists()
    pages = list(site.rglob("*.html"))
    link = re.compile(r'href="[^"]*report\.pdf"|pr-pdf-link')  # (the Reference pages name the file in their text)
    assert len(pages) > 5 and not [p for p in pages if link.search(p.read_text(encoding="utf-8"))]
    assert "A plant closes" in (site / "index.html").read_text(encoding="utf-8")
    assert "report.pdf" not in json.loads((docs / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert leftovers(docs) == []
    assert OWNED[-1] == pdfmod.DEFAULT_NAME  # the name the build writes is the name it removes

# ---------------------------------------------------------------- the manifest, as a property

NAMES = st.sampled_from(["index.md", "articles/a.md", "articles/b.md", "articles/sub/c.md", "data/x.json",
                         "compare/t.md", "report.pdf", "changes.md"])


@hsettings(max_examples=60, deadline=None)
@given(runs=st.lists(st.tuples(st.sets(NAMES), st.sets(NAMES)), min_size=1, max_size=5))
def test_after_every_run_docs_holds_exactly_what_that_run_made(tmp_path_factory, runs):
    """Whatever earlier runs made, after a run the generated files in docs/ are exactly the
    ones it wrote or kept, and the hand-written pages are untouched."""
    from pressreview.output import Outputs

    docs = tmp_path_factory.mktemp("docs")
    (docs / "legend.md").write_text("hand-written")
    (docs / "articles").mkdir()
    (docs / "articles" / ".a.md.tmp-dead").write_text("left by a killed run")
    for written, kept in runs:
        out = Outputs(docs)
        for rel in sorted(written):
            out.write(rel, f"{rel} {sorted(written)}")
        for rel in kept - written:
            out.keep(rel)
        out.commit(("index.md", "articles", "data", "rules", "sources", "compare"))
        expected = written | {rel for rel in kept if rel in out.old}
        files = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}
        assert files == expected | {"legend.md", MANIFEST}
        assert (docs / "legend.md").read_text() == "hand-written"
        assert not any(p.is_dir() and not any(p.iterdir()) for p in docs.rglob("*"))  # no empty folders left


def test_site_swap_puts_back_the_old_site_of_a_build_killed_between_the_renames(tmp_path, monkeypatch):
    """publish.build_site with MkDocs replaced: a build killed after moving the old site aside
    (and before renaming the new one) left no site/; the next build puts the old one back
    when it fails, and removes every leftover."""
    from pressreview import publish

    site = tmp_path / "site"
    (tmp_path / ".site.old-dead").mkdir()
    (tmp_path / ".site.old-dead" / "index.html").write_text("the previous site")
    (tmp_path / ".site.tmp-dead").mkdir()
    (tmp_path / ".site.tmp-dead" / "index.html").write_text("half a site")
    runs: list[Path] = []

    def fake_mkdocs(command: str, project: Path, language: str, site_dir: Path, **options: object) -> int:
        runs.append(site_dir)
        (site_dir / "index.html").write_text(f"site {len(runs)}")
        return 1 if len(runs) == 1 else 0

    monkeypatch.setattr(publish, "mkdocs", fake_mkdocs)
    assert publish.build_site(tmp_path, "de", site) == 1
    assert snapshot(site) == {"index.html": hashlib.sha256(b"the previous site").hexdigest()}
    assert leftovers(tmp_path) == []
    assert publish.build_site(tmp_path, "de", site) == 0
    assert (site / "index.html").read_text() == "site 2" and leftovers(tmp_path) == []
    assert runs[0].parent == runs[1].parent == tmp_path and runs[0].name.startswith(".site.tmp-")


def test_a_manifest_never_removes_files_outside_the_docs_folder(tmp_path):
    """The manifest is a file in the working tree (a pull request could commit one): entries
    that leave the docs folder are ignored."""
    from pressreview.output import Outputs

    docs, victim = tmp_path / "docs", tmp_path / "victim.txt"
    docs.mkdir()
    victim.write_text("keep me")
    (docs / "outside").symlink_to(tmp_path)
    (docs / MANIFEST).write_text(json.dumps({"files": {str(victim): {"by": "pages"}, "../victim.txt": {"by": "pdf"},
                                                       "outside/victim.txt": {"by": "pdf"}}}))
    Outputs(docs).commit(("index.md", "articles"))
    assert victim.read_text() == "keep me"


def test_a_site_dir_that_mkdocs_yml_and_pressreview_disagree_on_is_named(tmp_path):
    """The site goes where pressreview.yml (or its default) says; a different site_dir in
    mkdocs.yml would be silently ignored, so the build says so."""
    project = make_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_dir: site", "site_dir: public"), encoding="utf-8")
    result = run_build(project, "build")
    assert result.returncode == 0, result.stderr
    assert "mkdocs.yml says site_dir: public" in result.stderr
    assert (project / "site" / "index.html").is_file() and not (project / "public").exists()


# ---------------------------------------------------------------- hand-written pages per language

def _write_docs(project: Path, language: str):
    """write_docs and commit, as a build does, with the interface language set."""
    from pressreview.pipeline import analyse_corpus, write_docs
    from pressreview.settings import load_settings

    (project / "pressreview.yml").write_text(f"interface_language: {language}\n", encoding="utf-8")
    settings = load_settings(project)
    write_docs(analyse_corpus(settings), settings).commit(OWNED)


def test_the_hand_written_pages_are_the_interface_language_s_edition(tmp_path, caplog):
    """docs/_pages/<language>/ holds one edition per language; a build puts the interface
    language's edition of every page into docs/ as a generated file (in the manifest), switches
    it with the language, removes a page whose source went, and never touches a page of the
    project's own in docs/."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.md").write_text("# Die Aktie steigt\n\nDie Aktie könnte sich verdoppeln.\n", encoding="utf-8")
    project = make_project(tmp_path, inputs)
    docs, pages = project / "docs", project / "docs" / "_pages"
    (docs / "reference" / "own.md").parent.mkdir(parents=True, exist_ok=True)
    (docs / "reference" / "own.md").write_text("# Own\n", encoding="utf-8")
    for lang in ("de", "en"):
        (pages / lang / "reference" / "extra.md").write_text(f"# extra {lang}\n", encoding="utf-8")
    (pages / "de" / "_home.md").write_text("Eigene Einleitung.\n", encoding="utf-8")

    _write_docs(project, "de")
    manifest = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))["files"]
    for rel in ("legend.md", "methodology.md", "reference/normalisation.md", "reference/extra.md"):
        assert (docs / rel).read_bytes() == (pages / "de" / rel).read_bytes(), rel
        assert manifest[rel]["by"] == "pages" and manifest[rel]["language"] == "de"
    assert "Eigene Einleitung." in (docs / "index.md").read_text(encoding="utf-8")
    assert "own.md" not in str(manifest) and (docs / "reference" / "own.md").read_text() == "# Own\n"

    _write_docs(project, "en")
    for rel in ("legend.md", "methodology.md", "reference/comparison.md", "reference/extra.md"):
        assert (docs / rel).read_bytes() == (pages / "en" / rel).read_bytes(), rel
    assert "Eigene Einleitung." not in (docs / "index.md").read_text(encoding="utf-8")
    assert (ROOT / "docs" / "_pages" / "en" / "_home.md").read_text(encoding="utf-8").split("\n")[0] in \
        (docs / "index.md").read_text(encoding="utf-8")

    for lang in ("de", "en"):  # a page whose source goes is removed; the project's own page stays
        (pages / lang / "reference" / "extra.md").unlink()
    (pages / "de" / "legend.md").write_text("# Legende des Projekts\n", encoding="utf-8")  # overrides pressreview's
    (pages / "de" / "methodology.md").unlink()  # the project has none: pressreview's own German one
    (pages / "en" / "reference" / "only-en.md").write_text("# Only in English\n", encoding="utf-8")
    _write_docs(project, "de")
    assert not (docs / "reference" / "extra.md").exists() and (docs / "reference" / "own.md").is_file()
    assert (docs / "legend.md").read_text(encoding="utf-8") == "# Legende des Projekts\n"
    assert (docs / "methodology.md").read_bytes() == (ROOT / "docs" / "_pages" / "de" / "methodology.md").read_bytes()
    # a page in no edition of the interface language: the other language's, with a warning
    assert (docs / "reference" / "only-en.md").read_text(encoding="utf-8") == "# Only in English\n"
    assert "reference/only-en.md has no edition in 'de'" in caplog.text

    # a legend.md of the project's own (not written by pressreview) is kept as it is
    (docs / MANIFEST).unlink()
    (docs / "legend.md").write_text("# Unsere Legende\n", encoding="utf-8")
    _write_docs(project, "de")
    assert (docs / "legend.md").read_text(encoding="utf-8") == "# Unsere Legende\n"
    assert (docs / "reference" / "normalisation.md").read_bytes() == \
        (pages / "de" / "reference" / "normalisation.md").read_bytes()  # (no manifest: same bytes, ours)


def test_a_project_without_editions_gets_pressreview_s_own(tmp_path):
    """A project whose docs/ has no _pages/ gets pressreview's pages in its interface language; its
    own docs/_home.md is the home page's intro in every language."""
    project = tmp_path / "p"
    (project / "seeds").mkdir(parents=True)
    (project / "seeds" / "a.md").write_text("# A plant closes\n\nThe plant closes in May.\n", encoding="utf-8")
    (project / "docs").mkdir()
    (project / "docs" / "_home.md").write_text("Our own intro.\n", encoding="utf-8")
    for language in ("en", "de"):
        _write_docs(project, language)
        assert (project / "docs" / "legend.md").read_bytes() == \
            (ROOT / "docs" / "_pages" / language / "legend.md").read_bytes()
        assert "Our own intro." in (project / "docs" / "index.md").read_text(encoding="utf-8")


def test_every_hand_written_page_has_an_english_and_a_german_edition():
    from pressreview import pages

    root = ROOT / "docs" / "_pages"
    editions = {lang: sorted(p.relative_to(root / lang).as_posix() for p in (root / lang).rglob("*.md"))
                for lang in ("de", "en")}
    assert editions["de"] == editions["en"] and "_home.md" in editions["de"]
    assert "legend.md" in pages.names(ROOT, ROOT / "docs") and "_home.md" not in pages.names(ROOT, ROOT / "docs")
    for rel in editions["de"]:  # each edition in its language: the German one is not the English one
        assert (root / "de" / rel).read_text(encoding="utf-8") != (root / "en" / rel).read_text(encoding="utf-8")


def test_an_edition_linked_to_outside_the_project_is_not_read(tmp_path):
    from pressreview.pipeline import analyse_corpus, write_docs
    from pressreview.settings import SettingsError, load_settings

    project = tmp_path / "p"
    (project / "seeds").mkdir(parents=True)
    (project / "seeds" / "a.md").write_text("# A plant closes\n\nThe plant closes in May.\n", encoding="utf-8")
    (project / "docs" / "_pages" / "en").mkdir(parents=True)
    (project / "docs" / "_pages" / "en" / "legend.md").symlink_to("/etc/passwd")
    settings = load_settings(project)
    with pytest.raises(SettingsError, match="legend.md is a symbolic link"):
        write_docs(analyse_corpus(settings), settings)
    assert not (project / "docs" / "legend.md").exists()
