"""Inputs stay inside their folders and cost bounded work (issue 8): symbolic links, settings
that name places, sandboxed templates, YAML alias and size limits, the per-file size limit,
out-of-range dates, the CSV formula guard, international host names, empty sidecar selectors."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from jinja2.sandbox import SecurityError

from pressreview import safeyaml
from pressreview.analyse import analyse
from pressreview.claims import RuleError
from pressreview.model import RawDocument
from pressreview.normalise import normalise
from pressreview.pdf import print_environment
from pressreview.pipeline import Corpus, analyse_corpus, write_docs
from pressreview.read import read_corpus
from pressreview.render import csv_text, environment, link
from pressreview.settings import SCHEMA, SettingsError, load_settings
from pressreview.sources import describe_url, idn_warning

from conftest import ROOT, make_project, run_build
from hostile_inputs import SECRET, alias_bomb, alias_bombs, link_layouts, make_links, out_of_range_dates

SETTINGS = load_settings(ROOT)
ARTICLE = "Die Aktie könnte sich verdoppeln. Der Umsatz stieg um 5 Prozent.\n"


# ---------------------------------------------------------------- symbolic links

def test_symbolic_links_are_rejected_and_never_read(tmp_path):
    """passwd.txt -> /etc/passwd was published; now every link is listed as rejected, unread."""
    root, outside = tmp_path / "in", tmp_path / "outside"
    root.mkdir()
    (root / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "passwd.txt").symlink_to("/etc/passwd")
    expected = make_links(root, outside, [("leak", "file-outside"), ("folder", "dir-outside"),
                                          ("side", "sidecar-outside"), ("gone", "broken"),
                                          ("twin", "file-inside")])
    docs, rejected = read_corpus(root)
    assert sorted(d.source_path for d in docs) == ["good.txt", "inside/real.txt"]
    reasons = {r.source_path: r.reason for r in rejected}
    assert set(reasons) == {"passwd.txt", *expected}
    assert "symbolic link" in reasons["passwd.txt"] and "not followed" in reasons["passwd.txt"]
    assert reasons["side.txt"].startswith("sidecar side.yml is a symbolic link")
    assert "broken" in reasons["gone.md"]
    assert not any(SECRET in d.text or "root:" in d.text for d in docs)


def test_follow_symlinks_follows_only_links_inside_the_input_folder(tmp_path):
    root, outside = tmp_path / "in", tmp_path / "outside"
    root.mkdir()
    (root / "other").mkdir()
    (root / "other" / "b.md").write_text(ARTICLE, encoding="utf-8")
    (root / "hidden-target.text").write_text(ARTICLE, encoding="utf-8")  # not an article name
    (root / "alias.txt").symlink_to(root / "hidden-target.text")
    make_links(root, outside, [("leak", "file-outside"), ("folder", "dir-outside"), ("twin", "dir-inside"),
                               ("loop", "dir-loop"), ("side", "sidecar-outside")])
    docs, rejected = read_corpus(root, follow_symlinks=True)
    assert sorted(d.source_path for d in docs) == ["alias.txt", "inside/real.txt", "other/b.md"]
    reasons = {r.source_path: r.reason for r in rejected}
    assert "outside the input folder" in reasons["leak.txt"] and "outside" in reasons["folder"]
    assert "read already" in reasons["twin"] and "read already" in reasons["loop"]
    assert "outside the input folder" in reasons["side.txt"]
    assert not any(SECRET in d.text for d in docs)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layout=link_layouts(), follow=st.booleans())
def test_property_no_link_leads_outside(layout, follow):
    with tempfile.TemporaryDirectory() as tmp:
        root, outside = Path(tmp) / "in", Path(tmp) / "outside"
        root.mkdir()
        expected = make_links(root, outside, layout)
        docs, rejected = read_corpus(root, follow_symlinks=follow)
        assert not any(SECRET in d.text for d in docs)
        paths = [d.source_path for d in docs]
        assert len({d.sha256 for d in docs if d.text.startswith("Ein echter")}) <= 1 and len(paths) == len(set(paths))
        if not follow:
            assert sorted(r.source_path for r in rejected) == sorted(expected)
            assert all("symbolic link" in r.reason for r in rejected)


def test_build_never_publishes_a_linked_file(tmp_path):
    """The reproduction: passwd.txt -> /etc/passwd was an article, in the search index and in
    analysis.json. One build also carries the other hostile inputs of this area."""
    project = make_project(tmp_path, _hostile_seeds(tmp_path / "hostile"))
    (project / "seeds" / "passwd.txt").symlink_to("/etc/passwd")
    (project / "seeds" / "etc").symlink_to("/etc")
    result = run_build(project, "build")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    published = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                          if p.is_file() and p.suffix in (".html", ".json", ".csv", ".xml"))
    assert "root:x:0:0" not in published and "/bin/bash" not in published
    data = json.loads((site / "data" / "analysis.json").read_text(encoding="utf-8"))
    rejected = {r["source_path"]: r["reason"] for r in data["rejected"]}
    assert "symbolic link" in rejected["passwd.txt"] and "symbolic link" in rejected["etc"]
    assert "passwd" in (site / "index.html").read_text(encoding="utf-8")  # listed under rejected inputs
    by_file = {a["source_path"]: a for a in data["articles"]}

    # dates out of range: the article is kept, its date unknown, the warning shows the text
    for name, text in (("future.txt", "2106-02-08"), ("dateline.txt", "31.12.2199"), ("old.txt", "1969-07-20")):
        article = by_file[name]
        assert article["date"] is None and any(text in w for w in article["warnings"]), article["warnings"]
        page = (site / "articles" / article["id"] / "index.html").read_text(encoding="utf-8")
        assert text in page
    # the alias bomb: rejected with a short reason, and analysis.json stays small
    assert "alias" in rejected["bomb.md"] and len(rejected["bomb.md"]) < 300
    assert "alias" in rejected["sidecarbomb.txt"] and len(rejected["sidecarbomb.txt"]) < 300
    assert (site / "data" / "analysis.json").stat().st_size < 2_000_000
    # the look-alike host: shown with its punycode, linked by it, and warned about
    idn = by_file["idn.txt"]
    assert any("mixes writing systems" in w for w in idn["warnings"])
    page = (site / "articles" / idn["id"] / "index.html").read_text(encoding="utf-8")
    assert "xn--pple-43d.com" in page and 'href="https://xn--pple-43d.com/' in page
    assert 'href="https://аpple.com' not in page
    # the CSV guard: no piece of a ';'-split line starts a formula
    claims_csv = (site / "data" / "claims.csv").read_text(encoding="utf-8")
    assert "verdoppeln;'=cmd" in claims_csv
    _assert_no_formula(claims_csv)


def _hostile_seeds(folder: Path) -> Path:
    folder.mkdir()
    (folder / "good.txt").write_text("---\ndate: 2025-09-18\n---\n" + ARTICLE, encoding="utf-8")
    (folder / "future.txt").write_text("---\ndate: 2106-02-08\n---\n" + ARTICLE, encoding="utf-8")
    (folder / "dateline.txt").write_text("31.12.2199Die Aktie könnte sich verdoppeln. Mehr folgt.\n", encoding="utf-8")
    (folder / "old.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "old.yml").write_text("date: 1969-07-20\n", encoding="utf-8")
    (folder / "bomb.md").write_text("---\n" + alias_bomb(8, 4, 100) + "---\nText.\n", encoding="utf-8")
    (folder / "sidecarbomb.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "sidecarbomb.yml").write_text(alias_bomb(8, 4, 100, key="date"), encoding="utf-8")
    (folder / "idn.txt").write_text(ARTICLE + "\nMehr dazu unter https://аpple.com/news/aktie im Netz.\n",
                                    encoding="utf-8")
    (folder / "csv.txt").write_text("Ein Bericht über Aktien.\n\nDie Aktie könnte sich verdoppeln;=cmd|' /C calc'!A0\n",
                                    encoding="utf-8")
    return folder


def _assert_no_formula(text: str) -> None:
    for line in text.splitlines():
        for sep in (",", ";", "\t"):
            for piece in line.split(sep):
                assert not re.match(r'["\s]*[=+\-@]', piece), (sep, piece, line)


# ---------------------------------------------------------------- dates

def test_newest_date_before_1970_builds(tmp_path):
    """A corpus whose newest date is before 1970 crashed MkDocs (negative SOURCE_DATE_EPOCH)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "moon.txt").write_text("---\ndate: 1969-07-20\n---\n" + ARTICLE, encoding="utf-8")
    project = make_project(tmp_path, folder)
    result = run_build(project, "build")
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "index.html").is_file()


@pytest.mark.parametrize("where", ["front matter", "sidecar"])
@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=out_of_range_dates())
def test_property_out_of_range_dates_are_kept_as_text(where, text):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if where == "front matter":
            (root / "a.txt").write_text(f"---\ndate: {text}\n---\n{ARTICLE}", encoding="utf-8")
        else:
            (root / "a.txt").write_text(f"2025-09-18 – {ARTICLE}", encoding="utf-8")  # a good dateline
            (root / "a.yml").write_text(f"date: {text}\n", encoding="utf-8")
        docs, rejected = read_corpus(root)
        assert rejected == []
        article = normalise(docs[0], SETTINGS)
        assert article.date is None  # never guessed from elsewhere
        assert any(text in w and "date left unknown" in w for w in article.warnings), article.warnings


@given(day=st.dates(max_value=datetime(1969, 12, 31).date()) | st.dates(min_value=datetime(2101, 1, 1).date()))
@hsettings(max_examples=60, deadline=None)
def test_property_out_of_range_datelines_leave_the_date_unknown(day):
    raw = f"{day.day:02d}.{day.month:02d}.{day.year:04d}"
    doc = RawDocument("a.txt", "txt", f"{raw}Die Aktie könnte sich verdoppeln.\n", "0" * 64, "utf-8")
    article = normalise(doc, SETTINGS)
    assert article.date is None and any(raw in w for w in article.warnings)


def test_epoch_is_clamped():
    def epoch(*dates):
        return Corpus([SimpleNamespace(date=d) for d in dates], []).epoch()  # type: ignore[list-item]

    assert epoch() == 0 and epoch(None) == 0
    assert epoch("2025-09-18", "2024-01-01") == int(datetime(2025, 9, 18, tzinfo=timezone.utc).timestamp())
    assert epoch("1969-07-20") == 0
    assert epoch("2199-12-31") == int(datetime(2100, 12, 31, tzinfo=timezone.utc).timestamp()) < 2**32


# ---------------------------------------------------------------- YAML limits

def test_alias_bomb_in_front_matter_is_rejected_with_a_short_reason(tmp_path):
    """661 bytes of aliases cost 1.6 GB: the rejection message held the expanded repr."""
    (tmp_path / "bomb.md").write_text("---\n" + alias_bomb(8, 4, 100) + "---\nText.\n", encoding="utf-8")
    (tmp_path / "side.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "side.yml").write_text(alias_bomb(8, 4, 100, key="date"), encoding="utf-8")
    docs, rejected = read_corpus(tmp_path)
    assert docs == []
    for r in rejected:
        assert "alias" in r.reason and len(r.reason) < 300 and "xxxxxxxxxx" not in r.reason, r.reason
    assert "'language'" in rejected[0].reason  # names the key


@hsettings(max_examples=60, deadline=None)
@given(bomb=alias_bombs())
def test_property_alias_bombs_are_refused_quickly(bomb):
    start = time.perf_counter()
    with pytest.raises(safeyaml.YamlLimitError) as info:
        safeyaml.load(bomb)
    assert time.perf_counter() - start < 1.0
    assert len(str(info.value)) < 200 and "xxxxxxxxxx" not in str(info.value)


def test_yaml_limits_everywhere_and_plain_yaml_still_loads(tmp_path):
    assert safeyaml.load("a: &x [1, 2]\nb: *x\nd: 2025-09-18\nbad: 2025-02-30\n") == \
        {"a": [1, 2], "b": [1, 2], "d": datetime(2025, 9, 18).date(), "bad": "2025-02-30"}
    with pytest.raises(safeyaml.YamlLimitError, match="refers to itself"):
        safeyaml.load("a: &a [1, *a]\n")
    with pytest.raises(safeyaml.YamlLimitError, match="characters of YAML"):
        safeyaml.load("a: " + "x" * (safeyaml.MAX_CHARS + 1))
    project = tmp_path / "p"
    (project / "seeds").mkdir(parents=True)
    (project / "pressreview.yml").write_text(alias_bomb(8, 4, 100, key="default_language"))
    with pytest.raises(SettingsError, match="alias") as info:
        load_settings(project)
    assert len(str(info.value)) < 400
    (project / "pressreview.yml").write_text("interface_language: " + "x" * 5000 + "\n")
    with pytest.raises(SettingsError) as info:
        load_settings(project)
    assert len(str(info.value)) < 400  # the value is cut, never echoed whole
    (project / "pressreview.yml").unlink()
    (project / "comparisons.yml").write_text(alias_bomb(8, 4, 100, key="topic"))
    (project / "seeds" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    from pressreview.compare import CompareError

    with pytest.raises(CompareError, match="alias"):
        analyse_corpus(load_settings(project))


def test_untrusted_values_in_messages_are_cut(tmp_path):
    (tmp_path / "a.txt").write_text("---\nlanguage: " + "y" * 10_000 + "\n---\nText.\n", encoding="utf-8")
    _, rejected = read_corpus(tmp_path)
    assert "'language' must be 'de' or 'en'" in rejected[0].reason and len(rejected[0].reason) < 200


# ---------------------------------------------------------------- file size limit

def test_large_file_is_rejected_unread(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"")
    os.truncate(tmp_path / "big.txt", 6_200_000)  # sparse: no 6 MB written
    (tmp_path / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "ok.yml").write_bytes(b"")
    os.truncate(tmp_path / "ok.yml", 5_000_001)
    tracemalloc.start()
    try:
        docs, rejected = read_corpus(tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert docs == []
    assert [(r.source_path, r.reason) for r in rejected] == [
        ("big.txt", "is 6.2 MB, larger than the limit max_file_bytes = 5 MB"),
        ("ok.txt", "sidecar ok.yml is 5,000,001 bytes, larger than the limit max_file_bytes = 5 MB")]
    assert peak < 1_000_000


def test_max_file_bytes_is_a_setting(tmp_path):
    assert SCHEMA["max_file_bytes"][0] == 5_000_000 and SCHEMA["max_file_bytes"][2]
    project = tmp_path / "p"
    (project / "seeds").mkdir(parents=True)
    (project / "seeds" / "a.txt").write_text(ARTICLE * 30, encoding="utf-8")
    (project / "seeds" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (project / "pressreview.yml").write_text("max_file_bytes: 1000\n")
    corpus = analyse_corpus(load_settings(project))
    assert [a.source_path for a in corpus.articles] == ["b.txt"]
    assert corpus.rejected[0].reason.endswith("larger than the limit max_file_bytes = 1 kB")
    (project / "pressreview.yml").write_text("max_file_bytes: 0\n")
    with pytest.raises(SettingsError, match="max_file_bytes"):
        load_settings(project)


# ---------------------------------------------------------------- places named by settings

@pytest.mark.parametrize("key,value", [("docs_dir", "../victim"), ("input", "/etc"), ("site_dir", "../../x"),
                                       ("templates", "/tmp"), ("comparisons", "../c.yml"), ("input", "a/../../b")])
def test_settings_from_the_project_file_stay_inside_the_project(tmp_path, key, value):
    project = tmp_path / "p"
    (project / "seeds").mkdir(parents=True)
    (project / "pressreview.yml").write_text(f"{key}: {value}\n")
    with pytest.raises(SettingsError, match=f"setting '{key}'.*outside the project"):
        load_settings(project)


def test_symbolic_links_in_project_places_are_resolved(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    (project / "seeds").symlink_to("/etc")
    with pytest.raises(SettingsError, match="'input'"):
        load_settings(project)
    assert load_settings(project, {"input": "/etc"})["input"] == "/etc"  # the command line may
    (project / "seeds").unlink()
    (project / "seeds").mkdir()
    (project / "comparisons.yml").symlink_to("/etc/passwd")
    with pytest.raises(SettingsError, match="'comparisons'"):
        load_settings(project)


def test_home_text_linked_to_outside_is_not_read(tmp_path):
    project = tmp_path / "p"
    (project / "seeds").mkdir(parents=True)
    (project / "docs").mkdir()
    (project / "seeds" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (project / "docs" / "_home.md").symlink_to("/etc/passwd")
    settings = load_settings(project)
    with pytest.raises(SettingsError, match="_home.md is a symbolic link"):
        write_docs(analyse_corpus(settings), settings)
    assert not (project / "docs" / "index.md").exists()


def test_docs_dir_outside_the_project_deletes_nothing(tmp_path):
    """docs_dir: ../victim deleted a folder outside the project."""
    project = make_project(tmp_path)
    victim = tmp_path / "victim"
    (victim / "articles").mkdir(parents=True)
    (victim / "articles" / "keep.md").write_text("mine\n")
    (project / "pressreview.yml").write_text("docs_dir: ../victim\n")
    result = run_build(project, "docs")
    assert result.returncode == 2 and "setting 'docs_dir'" in result.stderr
    assert (victim / "articles" / "keep.md").read_text() == "mine\n"
    (project / "pressreview.yml").unlink()
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.replace("site_dir: site", "site_dir: ../victim"), encoding="utf-8")
    result = run_build(project, "build")
    assert result.returncode == 2 and "mkdocs.yml: setting 'site_dir'" in result.stderr
    assert (victim / "articles" / "keep.md").read_text() == "mine\n"


# ---------------------------------------------------------------- sandboxed templates

ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_templates_cannot_reach_python_internals(tmp_path, payload, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "article.md.j2").write_text(payload)
    (tmp_path / "print.html.j2").write_text(payload)
    for env, name in ((environment(tmp_path), "article.md.j2"), (print_environment(tmp_path), "print.html.j2")):
        with pytest.raises(SecurityError):
            env.get_template(name).render()
    assert not (tmp_path / "MARKER").exists()


def test_build_with_a_hostile_template_override_fails_clearly_and_runs_nothing(tmp_path):
    project = make_project(tmp_path)
    (project / "templates").mkdir()
    (project / "templates" / "index.md.j2").write_text(ESCAPES[0].replace("MARKER", str(tmp_path / "MARKER")))
    result = run_build(project, "docs")
    assert result.returncode == 2
    assert "index.md.j2" in result.stderr and "not allowed in templates" in result.stderr
    assert not (tmp_path / "MARKER").exists()


# ---------------------------------------------------------------- CSV, hosts, sidecar selectors

def test_csv_guard_quotes_everything_and_defuses_formulas_after_separators():
    text = csv_text([["id", "text"], ["a", "Die Aktie könnte sich verdoppeln;=cmd|' /C calc'!A0"],
                     ["b", "-5 %"], ["c", 3]])
    assert text == ('"id","text"\n"a","Die Aktie könnte sich verdoppeln;\'=cmd|\' /C calc\'!A0"\n'
                    '"b","\'-5 %"\n"c","3"\n')


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("=+-@;,\t\r\n\" 'ab1")), max_size=12), min_size=1, max_size=4))
def test_property_no_spreadsheet_split_starts_a_formula(row):
    text = csv_text([row])
    _assert_no_formula(text.replace("\r", "\n"))
    (back,) = list(csv.reader(io.StringIO(text)))
    assert [v.replace("'", "") for v in back] == [v.replace("'", "") for v in row]  # only ' added


def test_international_hosts_show_punycode_and_warn_of_mixed_scripts():
    src = describe_url("https://аpple.com/news")  # Cyrillic а
    assert src.domain == "аpple.com" and src.domain_ascii == "xn--pple-43d.com" and src.linkable
    assert "mixes writing systems" in idn_warning(src) and "cyrillic" in idn_warning(src)
    assert str(link(src.url, src.url)).endswith("(https://xn--pple-43d.com/news)")
    plain = describe_url("https://bücher.de/x")  # one script: punycode shown, no warning
    assert plain.domain_ascii == "xn--bcher-kva.de" and idn_warning(plain) == ""
    assert describe_url("https://apple.com/").domain_ascii == ""


@pytest.mark.parametrize("selector", ["", "   ", None])
def test_empty_sidecar_selector_is_rejected(selector):
    """`sentence: ""` marked every sentence."""
    doc = RawDocument("a.txt", "txt", ARTICLE, "0" * 64, "utf-8")
    article = normalise(doc, SETTINGS)
    with pytest.raises(RuleError, match="'sentence' is empty"):
        analyse(article, SETTINGS, [{"sentence": selector, "labels": ["promotional"], "reason": "x"}])
