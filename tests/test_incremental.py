"""The incremental MkDocs step (publish.build_site): when only Markdown pages (and files that
MkDocs copies as they are) changed since the last good build, only those pages are built again
in a copy of the site; the result is byte for byte the site that a full build of the same
docs/ makes (search index and sitemap included). Anything else is a full build, and says why."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import make_project, run_build
from pressreview import publish

pytestmark = pytest.mark.site

INCREMENTAL = re.compile(r"MkDocs: (\d+) of (\d+) pages rebuilt \(incremental\); (\d+) other changed files? copied")
FULL = re.compile(r"MkDocs: full build of \d+ pages \((.*)\)")


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A project whose docs/ build.py has written (the seeds), not yet built by MkDocs."""
    project = make_project(tmp_path_factory.mktemp("incremental"))
    result = run_build(project, "docs")
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def project(generated: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "p"
    shutil.copytree(generated, copy)
    return copy


def build(project: Path, capfd, articles: str = "Articles") -> tuple[int, str]:
    """build_site as build.py calls it (the navigation written again from docs/, with `articles`
    as the title of that section); its exit status and the MkDocs line it printed."""
    docs = project / "docs"
    config = publish.write_config(project, docs, {"articles": articles})
    capfd.readouterr()
    code = publish.build_site(project, "en", project / "site", docs=docs, config=config)
    err = capfd.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("MkDocs: ")]
    return code, lines[-1] if lines else err


def full_build(project: Path, name: str = "fresh") -> dict[str, str]:
    """The site of plain `mkdocs build` (not through the incremental step) of the same docs/."""
    assert publish.mkdocs("build", project, "en", project / name, config=project / publish.CONFIG) == 0
    return snapshot(project / name)


def an_article(project: Path) -> Path:
    return sorted(p for p in (project / "docs" / "articles").glob("*.md") if p.name != "index.md")[0]


def edit_text(page: Path, old: str = "\n\n", new: str = "\n\nOne more sentence of text here.\n\n") -> None:
    text = page.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n# ")  # after the front matter and the title
    page.write_text(head + sep + body.replace(old, new, 1), encoding="utf-8")


def test_a_changed_page_is_built_alone_and_the_site_is_that_of_a_full_build(project, capfd):
    # a page whose title in the navigation is its rendered heading (no title in front matter)
    (project / "docs" / "extra.md").write_text("# Extra *page*\n\nText.\n")
    code, line = build(project, capfd)
    assert code == 0 and FULL.fullmatch(line) and "no record of the last build" in line
    assert snapshot(project / "site") == full_build(project, "fresh0")  # the full step is MkDocs's own build

    edit_text(an_article(project))
    (project / "docs" / "data" / "extra.csv").unlink(missing_ok=True)
    data = sorted((project / "docs" / "data").iterdir())[0]
    data.write_bytes(data.read_bytes() + b"\n")  # a data file: MkDocs copies it, no page reads it
    code, line = build(project, capfd)
    match = INCREMENTAL.fullmatch(line)
    assert code == 0 and match, line
    assert (match[1], match[3]) == ("1", "1") and int(match[2]) > 10
    site = snapshot(project / "site")
    assert site == full_build(project)
    assert "One more sentence of text here." in (project / "site" / "search" / "search_index.json").read_text()
    assert {"search/search_index.json", "sitemap.xml", "sitemap.xml.gz", "404.html"} <= site.keys()

    edit_text(an_article(project), "One more sentence", "Another sentence")  # and again, from an incremental site
    code, line = build(project, capfd)
    assert code == 0 and INCREMENTAL.fullmatch(line), line
    assert snapshot(project / "site") == full_build(project, "fresh2")


def test_one_input_article_changed_then_build_py_build_again(project, tmp_path):
    """THE case: one input article gets a sentence more, `build.py build` again: the site is byte
    for byte that of a full build of the same docs/ into another folder."""
    first = run_build(project, "build")
    assert first.returncode == 0 and "MkDocs: full build" in first.stderr, first.stderr
    seed = sorted((project / "seeds").iterdir())[0]
    seed.write_text(seed.read_text(encoding="utf-8").rstrip() + "\n\nThe council met again on Tuesday.\n",
                    encoding="utf-8")
    again = run_build(project, "build")
    assert again.returncode == 0 and INCREMENTAL.search(again.stderr), again.stderr
    fresh = run_build(project, "build", "--site-dir", str(tmp_path / "fresh"))
    assert fresh.returncode == 0 and "no record of the last build" in fresh.stderr, fresh.stderr
    assert snapshot(project / "site") == snapshot(tmp_path / "fresh")
    assert "The council met again on Tuesday." in (project / "site" / "search" / "search_index.json").read_text()


@pytest.mark.parametrize("change, reason", [
    ("nav", "the MkDocs config or the navigation changed"),
    ("config", "the MkDocs config or the navigation changed"),
    ("added", "files added to or removed from docs/"),
    ("removed", "files added to or removed from docs/"),
    ("css", "a stylesheet, script or template that the config names changed: stylesheets/pressreview.css"),
    ("title", "the navigation changed: the title or meta data of articles/"),
])
def test_anything_but_changed_pages_is_a_full_build(project, capfd, change, reason):
    docs = project / "docs"
    (docs / "extra.md").write_text("# Extra\n\nA page that no other page links to.\n")
    code, _ = build(project, capfd)
    assert code == 0
    edit_text(an_article(project))  # a page changed too: alone, it would be built alone
    if change == "nav":  # a section's title in the navigation
        code, line = build(project, capfd, articles="Stories")
    elif change == "config":
        (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text() + "\nsite_author: Someone\n")
    elif change == "added":
        (docs / "articles" / "zz-new.md").write_text("# A new article\n\nText.\n")
    elif change == "removed":
        (docs / "extra.md").unlink()
    elif change == "css":
        css = docs / "stylesheets" / "pressreview.css"
        css.write_text(css.read_text() + "\n/* changed */\n")
    elif change == "title":
        article = an_article(project)
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    if change != "nav":
        code, line = build(project, capfd)
    match = FULL.fullmatch(line)
    assert code == 0 and match and match[1].startswith(reason), line
    assert snapshot(project / "site") == full_build(project)


def test_a_config_that_the_step_does_not_know_is_always_a_full_build(project, capfd):
    """A plugin or hook, theme overrides, a Markdown extension that reads other files: whatever
    they read, the step cannot tell, so every build is a full one (and the site is not copied)."""
    (project / "hook.py").write_text("def on_page_markdown(markdown, **kwargs):\n    return markdown\n")
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text() + "\nhooks:\n  - hook.py\n")
    assert build(project, capfd)[0] == 0
    record = json.loads(publish.record_path(project / "site").read_text())
    assert record["blocker"].startswith("plugins or hooks")
    edit_text(an_article(project))
    code, line = build(project, capfd)
    assert code == 0 and FULL.fullmatch(line) and "plugins or hooks" in line, line
    assert snapshot(project / "site") == full_build(project)


def test_a_failed_incremental_build_leaves_the_last_site(project, capfd):
    assert build(project, capfd)[0] == 0
    before = snapshot(project / "site")
    article = an_article(project)
    good = article.read_text(encoding="utf-8")
    article.write_text(good + "\n[a page that does not exist](nowhere.md)\n", encoding="utf-8")  # --strict fails
    code, line = build(project, capfd)
    assert code != 0 and "nowhere.md" in line
    assert snapshot(project / "site") == before
    assert not publish.record_path(project / "site").exists() and not publish.stamp_path(project / "site").exists()
    assert sorted(p.name for p in project.iterdir() if ".tmp-" in p.name or ".old-" in p.name) == []
    article.write_text(good, encoding="utf-8")
    code, line = build(project, capfd)  # no record: a full build, and the site as before
    assert code == 0 and "no record of the last build" in line
    assert snapshot(project / "site") == before


def test_the_plan_compares_with_the_record():
    record = {"config": "c", "env": "e", "blocker": "", "titles": {}, "nav": {},
              "files": {"a.md": ["page", "1"], "b.md": ["page", "2"], "data/x.json": ["static", "3"],
                        "s.css": ["asset", "4"], "_p/x.md": ["other", "5"]}}
    docs = {rel: digest for rel, (_, digest) in record["files"].items()}

    def plan(**changes: str) -> tuple[list[str] | None, str]:
        return publish.incremental_plan(record, {"config": "c", "env": "e", "docs": {**docs, **changes}})

    assert plan() == ([], "")
    assert plan(**{"b.md": "9", "data/x.json": "9", "_p/x.md": "9"}) == (["b.md", "data/x.json"], "")
    assert plan(**{"s.css": "9"})[0] is None
    assert plan(**{"new.md": "9"})[0] is None
    assert publish.incremental_plan({**record, "env": "other"}, {"config": "c", "env": "e", "docs": docs})[0] is None
    assert publish.incremental_plan({**record, "blocker": "plugins"}, {"config": "c", "env": "e", "docs": docs}) \
        == (None, "plugins")
    assert publish.incremental_plan(None, {"config": "c", "env": "e", "docs": docs})[0] is None


def test_an_incremental_build_stopped_before_the_swap_leaves_the_last_site(project, capfd, monkeypatch):
    """MkDocs wrote the changed pages into the copy, then the build is stopped (Ctrl-C): the last
    site is as it was (the copy was a real one), and the next build is a full one."""
    assert build(project, capfd)[0] == 0
    before = snapshot(project / "site")
    real = publish.mkdocs

    def stopped(*args, **kwargs):
        assert real(*args, **kwargs) == 0 and kwargs.get("plan")
        raise KeyboardInterrupt

    monkeypatch.setattr(publish, "mkdocs", stopped)
    edit_text(an_article(project))
    with pytest.raises(KeyboardInterrupt):
        build(project, capfd)
    assert snapshot(project / "site") == before
    assert sorted(p.name for p in project.iterdir() if ".tmp-" in p.name or ".old-" in p.name) == []
    monkeypatch.setattr(publish, "mkdocs", real)
    code, line = build(project, capfd)
    assert code == 0 and "no record of the last build" in line
    assert snapshot(project / "site") == full_build(project)
