"""diff: what a change does to the analysis — the change summary of a pull request.

    python build.py diff --base REF [--input DIR] [--markdown FILE] [--page] [--site-url URL]

compares the analysis of a *base* with the analysis of the working tree (the files on disk,
uncommitted changes included) and writes a Markdown summary for a pull-request comment
(`--markdown FILE`, else standard output); `--page` also writes the page "Changes in this
preview" into the docs folder as `docs/changes.md` (generated, git-ignored), rendered from
`templates/changes.md.j2` with the escaping environment of `render`.

The base is, in this order:

1. a path to a saved analysis JSON (`python build.py analyse --json FILE`, or a site's
   `data/analysis.json`), `"schema": 1`;
2. a git ref (branch, tag, commit; `origin/main`, `HEAD~1`): the *data* of the project at that
   ref — its `pressreview.yml`, its input folder (sidecars included) and its curated
   comparisons file — analysed by the code of the WORKING TREE;
3. a git blob spec `REF:PATH` that names a saved analysis JSON at a ref
   (e.g. `origin/gh-pages:data/analysis.json`, the published site's analysis).

Code from the base ref is never executed, imported or rendered: the base's files are read
as blobs with `git ls-tree`/`git cat-file` (nothing is checked out, no hook runs) into a
temporary folder, only regular files (no symlinks, no submodules) under the paths above,
and the base's `pressreview.yml` is read as data with `yaml.safe_load` and checked by this
version's settings schema and claim rules (if it does not load, the working tree's settings
are used, and the summary says so). Both sides are analysed by the same code, with the same built-in rule
packs and templates, so the comparison is of data: articles added, removed or edited, and
what the project's settings (its own claim rules, layout patterns, curated comparisons) do to
them. A change to the code or the built-in rule packs (`pressreview/rules/*.yml`) therefore
shows no difference here; to see one, compare with an analysis built by the base's code
(form 1 or 3).

How the two analyses are compared:

- Articles are matched by `source_path` (the input file relative to the input folder); ids
  are slugs of titles and change with them. **Added**/**removed**: the path is on one side
  only — except that a file moved without a change of its bytes (same `sha256`) is reported
  as **renamed** and compared as one article. **Changed**: same path, another `sha256` (the
  input file's bytes changed). An article whose input did not change but whose marks,
  sources or title did (because the settings changed) is listed as changed with
  "same input".
- Marks: per article, the multiset of (sentence text, category) over the marked sentences.
  What is only on the working-tree side is a mark added, what is only on the base side a mark
  removed; so a sentence whose text is unchanged but whose labels changed counts, and an
  edited marked sentence counts as one mark removed and one added. An article that is absent
  on one side has no marks there (an added article's marks are all added).
- Sources (`articles[].sources[]`, optional key): per article, by URL, else by text, the same
  way. Compared only when both sides have the key.
- Comparisons (top-level `comparisons[]`, optional key): by id; listed when the status changed,
  or when one side does not have the comparison. Compared only when both sides have the key.
- Rejected inputs: by `source_path`: newly rejected and no longer rejected files.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterable
from urllib.parse import quote

from markupsafe import Markup

from .output import LockError, Outputs, project_lock
from .render import analysis_json, environment, load_strings, md_escape, safe_url
from .settings import CONFIG_FILE, SettingsError, load_settings

PAGE = "changes.md"
CATEGORY_ORDER = ("speculative", "promotional")
# Settings whose value names a data file or folder of the project: read from the base ref.
DATA_SETTINGS = ("input", "comparisons")
COMMENT_MARKS_PER_ARTICLE = 15  # the PR comment lists at most this many marks per article
EXCERPT = 120


class DiffError(Exception):
    pass


# ---------------------------------------------------------------- the report

@dataclass(frozen=True)
class Mark:
    category: str
    text: str
    sentence_id: str  # on the working-tree side for an added mark, on the base side for a removed one

    @property
    def excerpt(self) -> str:
        return _excerpt(self.text)


@dataclass
class ArticleChange:
    status: str  # 'added' | 'removed' | 'changed' | 'renamed'
    source_path: str
    title: str  # the working tree's title, else the base's
    id: str | None = None  # the working tree's id (its page is articles/<id>/); None when removed
    old_title: str | None = None  # when the title changed
    old_path: str | None = None  # when renamed
    input_changed: bool = False
    marks_added: list[Mark] = field(default_factory=list)
    marks_removed: list[Mark] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)
    sources_removed: list[str] = field(default_factory=list)

    def counts(self, which: str) -> dict[str, int]:
        marks = self.marks_added if which == "added" else self.marks_removed
        return dict(Counter(m.category for m in marks))

    @property
    def page(self) -> Markup | None:
        """The article's page in the docs folder, for a Markdown link (MkDocs checks it)."""
        return Markup(f"articles/{quote(self.id)}.md") if self.id else None

    def anchor(self, mark: Mark) -> Markup | None:
        """The page of an added mark's sentence, for a Markdown link."""
        return Markup(f"{self.page}#{quote(mark.sentence_id)}") if self.id and mark.sentence_id else None


@dataclass(frozen=True)
class ComparisonChange:
    id: str
    subject: str
    old_status: str | None  # None: not in the base
    new_status: str | None  # None: not in the working tree


@dataclass
class Report:
    base: str
    head: str = "working tree"
    notes: list[str] = field(default_factory=list)
    articles: list[ArticleChange] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    sources_compared: bool = True
    comparisons: list[ComparisonChange] | None = None  # None: not compared
    rejected_added: list[dict[str, str]] = field(default_factory=list)
    rejected_removed: list[dict[str, str]] = field(default_factory=list)

    def of(self, status: str) -> list[ArticleChange]:
        return [a for a in self.articles if a.status == status]

    @property
    def added(self) -> list[ArticleChange]:
        return self.of("added")

    @property
    def removed(self) -> list[ArticleChange]:
        return self.of("removed")

    @property
    def changed(self) -> list[ArticleChange]:
        return self.of("changed")

    @property
    def renamed(self) -> list[ArticleChange]:
        return self.of("renamed")

    @property
    def marks(self) -> dict[str, dict[str, int]]:
        """Per category: marks added and removed over the whole corpus."""
        total = {c: {"added": 0, "removed": 0} for c in self.categories}
        for a in self.articles:
            for which in ("added", "removed"):
                for c, n in a.counts(which).items():
                    total.setdefault(c, {"added": 0, "removed": 0})[which] += n
        return total

    @property
    def sources(self) -> dict[str, int]:
        return {"added": sum(len(a.sources_added) for a in self.articles),
                "removed": sum(len(a.sources_removed) for a in self.articles)}

    @property
    def empty(self) -> bool:
        return not (self.articles or self.comparisons or self.rejected_added or self.rejected_removed)


def _norm(text: Any) -> str:
    return " ".join(str(text or "").split())


def _excerpt(text: str, limit: int = EXCERPT) -> str:
    text = _norm(text)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _marks(article: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """(normalised text, category, sentence id) of every mark, in the article's order."""
    if not article:
        return []
    return [(_norm(s.get("text")), str(label), str(s.get("id", "")))
            for s in article.get("sentences") or [] for label in s.get("labels") or []]


def _only_in(these: list[tuple[str, str, str]], others: list[tuple[str, str, str]]) -> list[Mark]:
    """The marks of `these` that `others` does not have (as multisets of (text, category))."""
    left = Counter((t, c) for t, c, _ in others)
    out = []
    for text, category, sid in these:
        if left[(text, category)]:
            left[(text, category)] -= 1
        else:
            out.append(Mark(category, text, sid))
    return out


def _source_keys(article: dict[str, Any] | None) -> list[str]:
    if not article:
        return []
    return [_norm(s.get("url") or s.get("text")) for s in article.get("sources") or []
            if isinstance(s, dict) and (s.get("url") or s.get("text"))]


def _multiset_minus(these: list[str], others: list[str]) -> list[str]:
    left = Counter(others)
    out = []
    for item in these:
        if left[item]:
            left[item] -= 1
        else:
            out.append(item)
    return out


def _has_key(doc: dict[str, Any], key: str) -> bool:
    """Whether the articles of `doc` carry the optional `key` (a side without articles does)."""
    articles = doc.get("articles") or []
    return not articles or any(key in a for a in articles)


def compare(base: dict[str, Any], head: dict[str, Any], base_name: str = "base",
            head_name: str = "working tree") -> Report:
    """The differences between two analysis documents (see the module's docstring)."""
    for name, doc in ((base_name, base), (head_name, head)):
        if not isinstance(doc, dict) or doc.get("schema") != 1 or not isinstance(doc.get("articles"), list):
            raise DiffError(f"{name}: not an analysis document with \"schema\": 1")
    report = Report(base=base_name, head=head_name)
    report.sources_compared = _has_key(base, "sources") and _has_key(head, "sources")
    if not report.sources_compared:
        report.notes.append("Sources were not compared: one side's analysis has no sources.")

    old = {a["source_path"]: a for a in base["articles"]}
    new = {a["source_path"]: a for a in head["articles"]}
    pairs: list[tuple[str, dict | None, dict | None, str | None]] = []  # status, base, head, old path
    gone = [p for p in old if p not in new]
    came = [p for p in new if p not in old]
    by_sha: dict[str, list[str]] = {}
    for p in gone:
        by_sha.setdefault(old[p].get("sha256", ""), []).append(p)
    for p in came:
        candidates = by_sha.get(new[p].get("sha256", ""))
        if candidates and new[p].get("sha256"):
            before = candidates.pop(0)
            gone.remove(before)
            pairs.append(("renamed", old[before], new[p], before))
        else:
            pairs.append(("added", None, new[p], None))
    pairs += [("removed", old[p], None, None) for p in gone]
    pairs += [("changed", old[p], new[p], None) for p in new if p in old]

    labels: set[str] = set()
    for status, a, b, old_path in pairs:
        ma, mb = _marks(a), _marks(b)
        labels.update(c for _, c, _ in ma + mb)
        sa, sb = (_source_keys(a), _source_keys(b)) if report.sources_compared else ([], [])
        shown = b or a
        assert shown is not None
        change = ArticleChange(
            status=status, source_path=shown["source_path"], title=str(shown.get("title", "")),
            id=b.get("id") if b else None, old_path=old_path,
            old_title=a.get("title") if a and b and a.get("title") != b.get("title") else None,
            input_changed=bool(a and b and a.get("sha256") != b.get("sha256")),
            marks_added=_only_in(mb, ma), marks_removed=_only_in(ma, mb),
            sources_added=_multiset_minus(sb, sa), sources_removed=_multiset_minus(sa, sb))
        if status == "changed" and not (change.input_changed or change.old_title or change.marks_added
                                        or change.marks_removed or change.sources_added or change.sources_removed):
            continue
        report.articles.append(change)
    order = {"added": 0, "removed": 1, "renamed": 2, "changed": 3}
    report.articles.sort(key=lambda c: (order[c.status], c.source_path))
    report.categories = [c for c in CATEGORY_ORDER if c in labels] + sorted(labels - set(CATEGORY_ORDER))

    if "comparisons" in base and "comparisons" in head:
        cold = {c["id"]: c for c in base.get("comparisons") or []}
        cnew = {c["id"]: c for c in head.get("comparisons") or []}
        report.comparisons = []
        for cid in sorted(set(cold) | set(cnew)):
            a, b = cold.get(cid), cnew.get(cid)
            if a and b and a.get("status") == b.get("status"):
                continue
            shown = b or a or {}
            report.comparisons.append(ComparisonChange(
                cid, str(shown.get("subject", cid)), a.get("status") if a else None, b.get("status") if b else None))
    elif "comparisons" in base or "comparisons" in head:
        report.notes.append("Comparisons were not compared: one side's analysis has none.")

    rold = {r["source_path"]: r for r in base.get("rejected") or []}
    rnew = {r["source_path"]: r for r in head.get("rejected") or []}
    report.rejected_added = [rnew[p] for p in sorted(rnew) if p not in rold]
    report.rejected_removed = [rold[p] for p in sorted(rold) if p not in rnew]
    return report


# ---------------------------------------------------------------- the two sides

def _document(corpus: Any, settings: dict[str, Any], strings: dict[str, str]) -> dict[str, Any]:
    """The analysis document of a corpus, as `build.py analyse` writes it."""
    from . import render

    comparisons = getattr(corpus, "comparisons", None)
    if comparisons is not None and "comparisons" in inspect.signature(render.analysis_document).parameters:
        doc = render.analysis_document(corpus.articles, corpus.rejected, strings, comparisons)
    else:
        doc = render.analysis_document(corpus.articles, corpus.rejected, strings)
    return json.loads(json.dumps(doc, ensure_ascii=False))  # the same values as the JSON file


def _strings(project: Path, settings: dict[str, Any], corpus: Any) -> dict[str, str]:
    env = environment(project / settings["templates"])
    return load_strings(env, corpus.interface_language(settings))


def head_document(project: Path, input_dir: str | None) -> tuple[dict[str, Any], dict[str, Any], str]:
    """The working tree's analysis, its settings and its site's interface language."""
    from .pipeline import analyse_corpus

    settings = load_settings(project, {"input": input_dir})
    corpus = analyse_corpus(settings)
    language = corpus.interface_language(settings)
    return _document(corpus, settings, _strings(project, settings, corpus)), settings, language


def _git(top: Path, *args: str, stdin: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    result = subprocess.run(["git", "-C", str(top), *args], input=stdin, capture_output=True, env=env)
    if check and result.returncode != 0:
        raise DiffError(f"git {' '.join(args)}: {result.stderr.decode('utf-8', 'replace').strip()}")
    return result


def _repo(project: Path) -> Path | None:
    result = _git(project, "rev-parse", "--show-toplevel", check=False)
    return Path(result.stdout.decode().strip()).resolve() if result.returncode == 0 else None


def _snapshot(top: Path, commit: str, paths: Iterable[str], dest: Path) -> int:
    """Write the regular files under `paths` (relative to the repository) at `commit` into
    dest, by their blobs: no checkout, nothing run, no symlinks or submodules. Returns how
    many files were written."""
    paths = [p for p in paths if p]
    if not paths:
        return 0
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *paths).stdout
    entries: list[tuple[str, PurePosixPath]] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        rel = PurePosixPath(name.decode("utf-8", "surrogateescape"))
        if kind != "blob" or mode not in ("100644", "100755"):
            continue  # symlinks (120000) and submodules are never written
        if rel.is_absolute() or any(part in ("", ".", "..", ".git") for part in rel.parts):
            continue
        entries.append((sha, rel))
    if not entries:
        return 0
    out = _git(top, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha, _ in entries).encode()).stdout
    pos = 0
    for sha, rel in entries:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if len(header) != 3 or header[1] != b"blob":
            raise DiffError(f"git cat-file: unexpected answer for {rel}: {out[pos:end]!r}")
        size = int(header[2])
        target = dest.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(out[end + 1:end + 1 + size])
        pos = end + 1 + size + 1
    return len(entries)


def _inside(path: Path, root: Path) -> str | None:
    """`path` relative to `root` as a posix string, or None when it lies outside."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None


def base_from_git(project: Path, top: Path, commit: str, input_dir: str | None,
                  head_settings: dict[str, Any], tmp: Path) -> tuple[dict[str, Any], list[str]]:
    """The analysis of the project's data at `commit`, made by the working tree's code."""
    from .analyse import matcher_for
    from .claims import RuleError
    from .language import SUPPORTED
    from .pipeline import analyse_corpus

    notes: list[str] = []
    prefix = _inside(project, top)
    if prefix is None:
        raise DiffError(f"{project} is not inside the git repository {top}")
    prefix = "" if prefix == "." else prefix
    repo = tmp / "repo"
    base_project = repo.joinpath(*PurePosixPath(prefix).parts) if prefix else repo
    base_project.mkdir(parents=True, exist_ok=True)

    config = f"{prefix}/{CONFIG_FILE}" if prefix else CONFIG_FILE
    _snapshot(top, commit, [config], repo)
    override = input_dir
    if input_dir and Path(input_dir).is_absolute():  # the same folder, at the base
        rel = _inside(Path(input_dir).resolve(), top)
        if rel is None:
            raise DiffError(f"--input {input_dir} is outside the git repository: it cannot be read at a ref")
        override = str(repo / rel)
    def fall_back(exc: Exception) -> dict[str, Any]:
        notes.append(f"The base's {CONFIG_FILE} does not work with this version ({exc}); "
                     f"the base was analysed with the working tree's settings.")
        (base_project / CONFIG_FILE).unlink(missing_ok=True)
        own = project / CONFIG_FILE
        if own.is_file():
            shutil.copy(own, base_project / CONFIG_FILE)
        return load_settings(base_project, {"input": override})

    try:
        settings = load_settings(base_project, {"input": override})
        for language in SUPPORTED:  # the base's own claim rules, checked by this version
            matcher_for(settings, language)
    except (SettingsError, RuleError) as exc:
        settings = fall_back(exc)

    wanted: list[str] = []
    for key in DATA_SETTINGS:
        value = settings.get(key)
        if not isinstance(value, str) or not value:
            continue
        rel = _inside(Path(os.path.normpath(base_project / value)), repo.resolve()) \
            if not Path(value).is_absolute() else _inside(Path(os.path.normpath(value)), repo)
        if rel is None:
            raise DiffError(f"setting '{key}' ({value}) is outside the git repository: it cannot be read at a ref")
        if rel != ".":
            wanted.append(rel)
    _snapshot(top, commit, wanted, repo)
    folder = Path(os.path.normpath(base_project / settings["input"]))
    if not folder.is_dir():
        notes.append(f"The base has no input folder {settings['input']}: it counts as empty.")
        folder.mkdir(parents=True, exist_ok=True)
    corpus = analyse_corpus(settings)
    return _document(corpus, settings, _strings(project, head_settings, corpus)), notes


def load_base(base: str, project: Path, input_dir: str | None, head_settings: dict[str, Any],
              tmp: Path) -> tuple[dict[str, Any], str, list[str]]:
    """(analysis document, description, notes) of the base: a saved JSON file, a git ref, or
    REF:PATH of a saved JSON file at a ref."""
    path = Path(base)
    if path.is_file():
        return _load_json(path.read_bytes(), str(path)), str(path), []
    if base.startswith("-"):
        raise DiffError(f"--base {base!r}: not a file and not a git ref")
    top = _repo(project)
    if top is None:
        raise DiffError(f"--base {base!r}: not a file, and {project} is not in a git repository")
    commit = _git(top, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}", check=False)
    if commit.returncode == 0:
        sha = commit.stdout.decode().strip()
        doc, notes = base_from_git(project, top, sha, input_dir, head_settings, tmp)
        return doc, f"{base} ({sha[:12]})", notes
    if ":" in base and _git(top, "cat-file", "-t", base, check=False).stdout.strip() == b"blob":
        return _load_json(_git(top, "cat-file", "blob", base).stdout, base), base, []
    raise DiffError(f"--base {base!r}: not a file, not a git commit and not REF:PATH of a file at a ref")


def _load_json(data: bytes, name: str) -> dict[str, Any]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DiffError(f"{name}: not a JSON file: {exc}") from None
    if not isinstance(doc, dict) or doc.get("schema") != 1 or not isinstance(doc.get("articles"), list):
        raise DiffError(f"{name}: not an analysis document with \"schema\": 1")
    return doc


@dataclass
class Result:
    report: Report
    settings: dict[str, Any]  # the working tree's
    language: str  # the interface language of the working tree's site
    analysis: str = ""  # sha256 of the working tree's analysis.json, as a build writes it


def diff(project: Path, base: str, input_dir: str | None = None) -> Result:
    """Compare the base with the working tree."""
    head, settings, language = head_document(project, input_dir)
    with tempfile.TemporaryDirectory(prefix="pressreview-diff-") as tmp:
        old, name, notes = load_base(base, project, input_dir, settings, Path(tmp))
    report = compare(old, head, name)
    report.notes[:0] = notes
    return Result(report, settings, language, hashlib.sha256(analysis_json(head).encode("utf-8")).hexdigest())


# ---------------------------------------------------------------- output

def _comment_text(text: Any, limit: int | None = None) -> str:
    """Untrusted text for a GitHub comment: escaped Markdown and HTML, and no @mentions
    (a word joiner after '@', so that article text never notifies anybody)."""
    text = _excerpt(str(text), limit) if limit else str(text)
    return str(md_escape(text)).replace("@", "@\u2060")


def _counts(added: dict[str, int], removed: dict[str, int], categories: list[str]) -> str:
    parts = [f"+{added[c]} {c}" for c in categories if added.get(c)]
    parts += [f"−{removed[c]} {c}" for c in categories if removed.get(c)]
    return ", ".join(parts)


def summary_markdown(report: Report, site_url: str | None = None) -> str:
    """The change summary for a pull-request comment (GitHub Markdown). All text from the
    analysis is escaped; article titles link to the preview when `site_url` is an http(s) URL."""
    base_url = safe_url(site_url) if site_url else None
    if base_url and not base_url.endswith("/"):
        base_url += "/"

    def title(a: ArticleChange, anchor: str = "") -> str:
        text = _comment_text(a.title) or "(untitled)"
        if base_url and a.id:
            return f"[{text}]({base_url}articles/{quote(a.id)}/{'#' + quote(anchor) if anchor else ''})"
        return text

    cats = report.categories or list(CATEGORY_ORDER)
    marks, sources = report.marks, report.sources
    lines = ["### Change summary", "",
             f"Compared with {_comment_text(report.base)}: the analysis of the {_comment_text(report.head)}.", ""]
    if report.empty:
        lines += ["No changes to the analysis: the same articles, marks, sources and comparisons.", ""]
    lines += ["| | added | removed |", "| --- | ---: | ---: |",
              f"| Articles | {len(report.added)} | {len(report.removed)} |"]
    lines += [f"| Marks: {c} | {marks.get(c, {}).get('added', 0)} | {marks.get(c, {}).get('removed', 0)} |" for c in cats]
    if report.sources_compared:
        lines.append(f"| Sources | {sources['added']} | {sources['removed']} |")
    lines.append("")
    lines.append(f"Articles changed: {len(report.changed)}, renamed: {len(report.renamed)}.")
    lines.append("")

    sections = (("Articles added", report.added), ("Articles removed", report.removed),
                ("Articles renamed", report.renamed), ("Articles changed", report.changed))
    for heading, items in sections:
        if not items:
            continue
        lines += [f"#### {heading}", ""]
        for a in items:
            bits = [_comment_text(a.source_path)]
            if a.status == "renamed":
                bits = [f"{_comment_text(a.old_path)} → {_comment_text(a.source_path)}"]
            if a.status == "changed":
                bits.append("input changed" if a.input_changed else "same input")
            if a.old_title:
                bits.append(f"title was: {_comment_text(a.old_title)}")
            counted = _counts(a.counts("added"), a.counts("removed"), cats)
            if counted:
                bits.append(f"marks {counted}")
            if a.sources_added or a.sources_removed:
                bits.append(f"sources +{len(a.sources_added)} −{len(a.sources_removed)}")
            lines.append(f"- {title(a)} ({'; '.join(bits)})")
            details = [("+", m) for m in a.marks_added] + [("−", m) for m in a.marks_removed]
            if details and a.status in ("changed", "renamed"):
                for sign, m in details[:COMMENT_MARKS_PER_ARTICLE]:
                    text = _comment_text(m.text, EXCERPT)
                    if sign == "+" and base_url and a.id:
                        text = f"[{text}]({base_url}articles/{quote(a.id)}/#{quote(m.sentence_id)})"
                    lines.append(f"    - {sign} {m.category}: {text}")
                if len(details) > COMMENT_MARKS_PER_ARTICLE:
                    lines.append(f"    - … and {len(details) - COMMENT_MARKS_PER_ARTICLE} more")
        lines.append("")
    if report.comparisons:
        lines += ["#### Comparisons whose status changed", "", "| Subject | before | now |", "| --- | --- | --- |"]
        for c in report.comparisons:
            lines.append(f"| {_comment_text(c.subject)} | {_comment_text(c.old_status or '—')} | "
                         f"{_comment_text(c.new_status or '—')} |")
        lines.append("")
    if report.rejected_added or report.rejected_removed:
        lines += ["#### Rejected inputs", ""]
        lines += [f"- newly rejected: {_comment_text(r['source_path'])}: {_comment_text(r.get('reason', ''))}"
                  for r in report.rejected_added]
        lines += [f"- no longer rejected: {_comment_text(r['source_path'])}" for r in report.rejected_removed]
        lines.append("")
    for note in report.notes:
        lines += [f"> {_comment_text(note)}", ""]
    return "\n".join(lines).rstrip() + "\n"


def page_markdown(report: Report, settings: dict[str, Any], language: str) -> str:
    """The page "Changes in this preview", from templates/changes.md.j2 (values escaped by
    render's environment)."""
    env = environment(Path(settings["project"]) / settings["templates"])
    return env.get_template("changes.md.j2").render(report=report, lang=language if language in ("de", "en") else "en")


def write_page(report: Report, settings: dict[str, Any], language: str, analysis: str) -> Path:
    """Write docs/changes.md, recorded in the docs folder's manifest with `analysis`, the hash
    of the analysis.json it describes (Result.analysis): a build keeps the page only while it
    builds that analysis, and removes it otherwise."""
    outputs = Outputs(Path(settings["project"]) / settings["docs_dir"])
    for rel in outputs.old:
        outputs.keep(rel)
    path = outputs.write(PAGE, page_markdown(report, settings, language), by="changes", analysis=analysis)
    outputs.commit(prune=False)
    return path


# ---------------------------------------------------------------- command line

def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--base", required=True, metavar="REF",
                   help="a saved analysis.json, a git ref (its data analysed by this working tree's code), "
                        "or REF:PATH of an analysis.json at a ref")
    p.add_argument("--input", help="folder of articles (default: seeds/, or 'input' in pressreview.yml), on both sides")
    p.add_argument("--markdown", metavar="FILE", help="write the summary for a PR comment here (default: standard output)")
    p.add_argument("--page", action="store_true", help=f"also write the page 'Changes in this preview' as docs/{PAGE}")
    p.add_argument("--site-url", help="link the articles in the summary to this site (default: $SITE_URL)")


def cmd_diff(args: argparse.Namespace) -> int:
    project = Path(getattr(args, "project", None) or ".").resolve()
    try:
        result = diff(project, args.base, args.input)
    except DiffError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    site_url = args.site_url if args.site_url is not None else os.environ.get("SITE_URL") or None
    text = summary_markdown(result.report, site_url)
    if args.markdown:
        out = Path(args.markdown)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if args.page:
        with project_lock(result.settings):
            write_page(result.report, result.settings, result.language, result.analysis)
    return 0


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `diff` subcommand to build.py's subparsers."""
    p = subparsers.add_parser("diff", help="compare the analysis with a base (git ref or analysis.json): "
                                           "change summary for a pull request",
                              description=__doc__.split("\n\n")[0])
    add_arguments(p)
    p.set_defaults(func=cmd_diff)
    return p


def main(argv: list[str] | None = None) -> int:
    """`python -m pressreview.diff [--project DIR] --base REF …`: the same as `build.py diff`."""
    parser = argparse.ArgumentParser(prog="python -m pressreview.diff", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", default=".")
    add_arguments(parser)
    args = parser.parse_args(argv)
    from .claims import RuleError
    from .read import InputError

    try:
        return cmd_diff(args)
    except (SettingsError, InputError, RuleError, LockError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
