"""`build.py diff`: the change summary of a pull request, on a temporary git repository with
real commits (the seeds, then: one article added, one removed, one edited), against a git
ref and against a saved analysis.json."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from markdown_it import MarkdownIt

from conftest import ROOT, make_project, run_build
from pressreview.diff import DiffError, compare, diff, page_markdown, summary_markdown

SEED_000 = "000_5d3a0130056c44c1.txt"
SEED_003 = "003_0a9a06f716b1c245.txt"
NEW = "neu.txt"
NEW_TEXT = ("Die Aktie könnte sich bis 2030 verdoppeln, erwarten Analysten.\n\n"
            "Das revolutionäre Produkt ist schlicht unschlagbar!\n\n"
            "Der Umsatz lag im zweiten Quartal bei 3 Milliarden Euro.\n")
INSERTED = "Experten erwarten, dass sich der Kurs bis zum Jahresende verdoppeln könnte."
HOSTILE_TITLE = ('<img src=x onerror=alert(1)> <script>alert(2)</script> **fett** [klick](javascript:alert(3)) '
                 '@octocat | `code` _x_ #1')
HOSTILE = f"---\ntitle: \"{HOSTILE_TITLE}\"\n---\n\n{HOSTILE_TITLE} könnte sich verdoppeln.\n\nMehr Text.\n"


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    env = {k: v for k, v in env.items() if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    result = subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                            cwd=repo, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@functools.lru_cache(maxsize=1)
def build_py_has_diff() -> bool:
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "diff", "--help"],
                            capture_output=True, text=True, cwd=ROOT)
    return result.returncode == 0 and "--base" in result.stdout


def run_diff(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`build.py diff` once build.py registers it, until then the module's own entry point."""
    if build_py_has_diff():
        cmd = [sys.executable, str(ROOT / "build.py"), "--project", str(project), "diff", *args]
    else:
        cmd = [sys.executable, "-m", "pressreview.diff", "--project", str(project), *args]
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """Commit 1: the seeds. Commit 2: NEW added, 000 removed, 003 edited (one sentence more)."""
    project = make_project(tmp_path_factory.mktemp("diffrepo"))
    for p in (project / "seeds").iterdir():
        p.chmod(0o644)
    (project / ".gitignore").write_text("/docs/changes.md\n/site/\n/docs/.pressreview-manifest.json\n/.pressreview.lock\n")
    git(project, "init", "-q")
    commit(project, "seeds")
    (project / "seeds" / NEW).write_text(NEW_TEXT, encoding="utf-8")
    (project / "seeds" / SEED_000).unlink()
    path = project / "seeds" / SEED_003
    text = path.read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    path.write_text(f"{first} {INSERTED}\n{rest}", encoding="utf-8")
    commit(project, "add one, remove one, edit one")
    return project


def analysis_at(project: Path, tmp: Path, name: str) -> Path:
    out = tmp / name
    result = run_build(project, "analyse", "--json", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_git_ref_base_reports_added_removed_changed_and_marks(repo):
    report = diff(repo, "HEAD~1").report
    assert [a.source_path for a in report.added] == [NEW]
    assert [a.source_path for a in report.removed] == [SEED_000]
    assert [(a.source_path, a.input_changed) for a in report.changed] == [(SEED_003, True)]
    assert report.renamed == []
    changed = report.changed[0]
    # the edited sentence: its old text's marks are removed and its new text's added;
    # the inserted sentence is a new speculative mark
    assert any(m.category == "speculative" and INSERTED in m.text for m in changed.marks_added)
    new = report.added[0]
    assert new.counts("added") == {"speculative": 1, "promotional": 1} and new.counts("removed") == {}
    removed = report.removed[0]
    assert removed.id is None and removed.counts("added") == {} and sum(removed.counts("removed").values()) > 10
    totals = report.marks
    assert totals["speculative"]["added"] >= 2
    assert totals["promotional"]["removed"] >= removed.counts("removed")["promotional"]
    assert report.sources["removed"] >= 10  # the removed seed cites ten sources
    assert report.comparisons is not None and report.rejected_added == [] and report.rejected_removed == []
    assert re.fullmatch(r"HEAD~1 \([0-9a-f]{12}\)", report.base)


def test_same_ref_is_no_change(repo):
    report = diff(repo, "HEAD").report
    assert report.empty and report.articles == []
    assert "No changes to the analysis" in summary_markdown(report)


def test_saved_analysis_json_base_gives_the_same_report(repo, tmp_path):
    # the base's analysis, saved by `build.py analyse` in a checkout of HEAD~1
    other = tmp_path / "checkout"
    git(repo, "worktree", "add", "-q", "--detach", str(other), "HEAD~1")
    try:
        saved = analysis_at(other, tmp_path, "base.json")
    finally:
        git(repo, "worktree", "remove", "--force", str(other))
    from_json = diff(repo, str(saved)).report
    from_git = diff(repo, "HEAD~1").report
    assert from_json.base == str(saved)
    assert from_json.articles == from_git.articles
    assert from_json.marks == from_git.marks and from_json.sources == from_git.sources


def test_cli_markdown_file_page_and_stdout(repo, tmp_path):
    out = tmp_path / "summary.md"
    result = run_diff(repo, "--base", "HEAD~1", "--markdown", str(out), "--page",
                      "--site-url", "https://owner.github.io/repo/pr-preview/pr-12/")
    assert result.returncode == 0, result.stderr
    summary = out.read_text(encoding="utf-8")
    assert summary.startswith("### Change summary")
    assert "| Articles | 1 | 1 |" in summary
    assert "(https://owner.github.io/repo/pr-preview/pr-12/articles/" in summary
    page = (repo / "docs" / "changes.md").read_text(encoding="utf-8")
    assert page.startswith("---\ntitle: Änderungen in dieser Vorschau\n---\n")  # the corpus is German
    assert re.search(r"\]\(articles/[a-z0-9-]+\.md#s\d+\)", page)  # links MkDocs checks
    assert git(repo, "status", "--porcelain") == ""  # the page is git-ignored, nothing else written
    stdout = run_diff(repo, "--base", "HEAD~1")  # no --markdown: standard output; no site URL: no links
    assert stdout.returncode == 0, stdout.stderr
    assert stdout.stdout.startswith("### Change summary") and "](" not in stdout.stdout
    assert stdout.stdout.split("####")[0] == summary.split("####")[0]


def test_bad_bases_are_errors(repo, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": 2, "articles": []}')
    for base, message in (("no-such-ref", "not a file, not a git commit"), (str(bad), "schema"),
                          ("-x", "not a file and not a git ref")):
        result = run_diff(repo, f"--base={base}")
        assert result.returncode == 2 and message in result.stderr, result.stderr
    with pytest.raises(DiffError):
        diff(repo, "HEAD:no/such/file.json")


def test_rename_sidecar_marks_symlinks_and_base_settings(tmp_path):
    """A moved file is renamed, not removed and added; a hand-made mark on an unchanged input
    (a label change on the same sentence text) counts; the base's symlinks are never read; a
    base pressreview.yml that this version rejects falls back to the working tree's."""
    project = make_project(tmp_path)
    for p in (project / "seeds").iterdir():
        p.chmod(0o644)
    (project / "seeds" / "link.txt").symlink_to("/etc/hostname")
    (project / "pressreview.yml").write_text("no_such_setting: 1\n")
    git(project, "init", "-q")
    commit(project, "base")
    (project / "seeds" / "link.txt").unlink()
    (project / "pressreview.yml").unlink()
    git(project, "mv", f"seeds/{SEED_000}", "seeds/moved.txt")
    (project / "seeds" / (SEED_003[:-4] + ".yml")).write_text(
        "claims:\n  - sentence: \"Der erste Coup\"\n    labels: [promotional, speculative]\n    reason: test\n")
    commit(project, "rename, hand-made mark")
    report = diff(project, "HEAD~1").report
    assert [(a.old_path, a.source_path) for a in report.renamed] == [(SEED_000, "moved.txt")]
    assert report.renamed[0].marks_added == [] and report.renamed[0].marks_removed == []
    assert report.added == [] and report.removed == []
    (changed,) = report.changed
    assert changed.source_path == SEED_003 and not changed.input_changed
    assert [(m.category, m.text.startswith("Der erste Coup")) for m in changed.marks_added] == [("speculative", True)]
    assert changed.marks_removed == []
    assert any("does not work with this version" in n for n in report.notes)


def test_hostile_article_text_is_inert_in_summary_and_page(repo, tmp_path):
    (repo / "seeds" / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    try:
        result = diff(repo, "HEAD")
    finally:
        (repo / "seeds" / "hostile.md").unlink()
    (added,) = result.report.added
    assert added.title == HOSTILE_TITLE
    summary = summary_markdown(result.report, "https://owner.github.io/repo/pr-preview/pr-1/")
    page = page_markdown(result.report, result.settings, "en")
    summary_html = MarkdownIt("commonmark").enable("table").render(summary)
    for text, html in ((summary, summary_html),
                       (page, markdown.markdown(page.split("---", 2)[2],
                                                extensions=["tables", "attr_list", "admonition", "toc"]))):
        assert "<img" not in text and "<script" not in text
        for tag in ("<img", "<script", "<strong>", "<code>", "<em>", 'href="javascript'):
            assert tag not in html, (tag, html)
        assert "&lt;img src=x onerror=alert(1)&gt;" in html  # shown as text
    assert "@\u2060octocat" in summary and "@octocat" not in summary  # no mention from the comment
    # the only links in the summary are ours: the preview's article page
    links = re.findall(r'href="([^"]*)"', summary_html)
    assert links and all(link.startswith("https://owner.github.io/repo/pr-preview/pr-1/articles/") for link in links)


def test_optional_keys_sources_and_comparisons():
    def doc(sources, comparisons=None, status="agree"):
        art = {"id": "a", "source_path": "a.txt", "sha256": "1", "title": "A",
               "sentences": [{"id": "s1", "text": "Satz.", "labels": ["speculative"]}]}
        if sources is not None:
            art["sources"] = [{"url": u, "text": u} for u in sources]
        d = {"schema": 1, "articles": [art], "rejected": []}
        if comparisons:
            d["comparisons"] = [{"id": "umsatz", "subject": "Umsatz <b>", "status": status, "statements": []}]
        return d

    report = compare(doc(["https://a.example/", "https://b.example/"], True),
                     doc(["https://b.example/", "https://c.example/"], True, status="differ"))
    (art,) = report.changed
    assert not art.input_changed and art.sources_added == ["https://c.example/"]
    assert art.sources_removed == ["https://a.example/"] and art.marks_added == []
    assert [(c.id, c.old_status, c.new_status) for c in report.comparisons] == [("umsatz", "agree", "differ")]
    assert "| Umsatz &lt;b&gt; | agree | differ |" in summary_markdown(report)
    older = compare(doc(None), doc(["https://b.example/"], True))  # a base from before the keys
    assert older.articles == [] and older.comparisons is None and len(older.notes) == 2
    assert "| Sources |" not in summary_markdown(older)


def test_build_py_registers_diff():
    assert build_py_has_diff(), "build.py does not call pressreview.diff.register(subparsers)"
