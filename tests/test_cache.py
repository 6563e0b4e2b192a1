"""The analysis cache (pressreview/cache.py), the process pool and the Dask option
(pipeline.analyse_corpus): a build that reuses cached analyses writes exactly the docs/ of a
build without the cache, a change re-analyses exactly the articles it affects, and the pool and
a Dask cluster give the same analysis as one process."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from conftest import SEEDS, make_project, run_build
from pressreview import cache as cachemod
from pressreview import pipeline
from pressreview.model import Article, Quantity, Sentence, Cue
from pressreview.pipeline import OWNED, analyse_corpus, write_docs
from pressreview.render import analysis_document, analysis_json
from pressreview.settings import load_settings

GERMAN = ["Der Umsatz stieg im dritten Quartal um 12 Prozent auf 3,2 Milliarden Euro.",
          "Experten zufolge könnte die Aktie bald deutlich steigen.",
          "Das Unternehmen beschäftigt rund 4500 Mitarbeiter in Berlin.",
          "Laut Reuters ist das Angebot das beste seiner Art.",
          "Die Anleihe läuft sieben Jahre und zahlt keine Zinsen."]
ENGLISH = ["Revenue rose 12 percent to $3.2 billion in the third quarter.",
           "Analysts say the shares could soar in the coming months.",
           "The company employs about 4,500 people in London.",
           "According to Reuters, it is the best offer of its kind.",
           "The bond runs for seven years and pays no interest."]


def article_text(title: str, sentences: list[str]) -> str:
    return f"{title}\n\n" + "\n\n".join(" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2)) + "\n"


articles = st.lists(
    st.tuples(st.sampled_from(["de", "en"]), st.lists(st.integers(0, 4), min_size=2, max_size=6)),
    min_size=1, max_size=3)
changes = st.sampled_from(["nothing", "edit", "sidecar", "setting", "other setting", "claims de", "claims en",
                           "remove", "add"])


def write_inputs(folder: Path, spec: list[tuple[str, list[int]]]) -> None:
    for n, (lang, picks) in enumerate(spec):
        pool = GERMAN if lang == "de" else ENGLISH
        title = f"{'Bericht' if lang == 'de' else 'Report'} Nummer {n} über Alibaba" if lang == "de" \
            else f"Report number {n} about Alibaba"
        (folder / f"a{n}.txt").write_text(article_text(title, [pool[i] for i in picks]), encoding="utf-8")


def build(project: Path, cache: bool, jobs: int = 1) -> dict[str, str]:
    """`build.py docs` in this process; every file of docs/ with the hash of its bytes."""
    settings = load_settings(project)
    outputs = write_docs(analyse_corpus(settings, jobs=jobs, cache=cache), settings)
    outputs.commit(OWNED)
    docs = project / "docs"
    return {p.relative_to(docs).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(docs.rglob("*")) if p.is_file()}


def claims(*languages: str) -> str:
    """pressreview.yml with a claim rule of the project for each language."""
    rules = "".join(f"    - id: {lang}.test_word\n      category: promotional\n      kind: puffery\n"
                    f"      words: ['{'Unternehmen' if lang == 'de' else 'company'}']\n      message: test\n"
                    for lang in languages)
    return f"claims:\n  add:\n{rules}"


def change(project: Path, what: str) -> None:
    seeds = project / "seeds"
    first = sorted(seeds.glob("*.txt"))[0]
    config = project / "pressreview.yml"
    if what == "edit":
        first.write_text(first.read_text(encoding="utf-8") + "\nEin neuer Absatz könnte alles ändern.\n",
                         encoding="utf-8")
    elif what == "sidecar":
        first.with_suffix(".yml").write_text("title: Ein Titel aus dem Sidecar\nauthor: A. Autor\n", encoding="utf-8")
    elif what == "setting":
        config.write_text("headline_max_words: 3\ndefault_language: en\n", encoding="utf-8")
    elif what == "other setting":  # in no article's analysis
        config.write_text("overview_max_articles: 1\n", encoding="utf-8")
    elif what.startswith("claims"):
        config.write_text(claims(*what.split()[1:]), encoding="utf-8")
    elif what == "remove":
        first.unlink()
    elif what == "add":
        (seeds / "zz.txt").write_text(article_text("Ein weiterer Bericht über Alibaba", GERMAN[:3]), encoding="utf-8")


@hsettings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=articles, what=changes)
def test_a_build_from_the_cache_writes_the_same_docs_as_a_build_without_it(spec, what):
    """Property: after any change, a build that reuses what the cache holds writes byte for
    byte the docs/ of a build that analyses everything again; and a second build with nothing
    changed too."""
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "inputs"
        inputs.mkdir()
        write_inputs(inputs, spec)
        project = make_project(Path(tmp), inputs)
        build(project, cache=True)  # fills the cache
        change(project, what)
        warm = build(project, cache=True)
        assert build(project, cache=True) == warm
        assert build(project, cache=False) == warm
        assert "data/analysis.json" in warm


@pytest.fixture
def analysed(monkeypatch) -> list[str]:
    """The input files that analyse_corpus analyses (the others came from the cache)."""
    seen: list[str] = []
    real = pipeline.analyse_input

    def counting(source, settings):
        seen.append(source.rel)
        return real(source, settings)

    monkeypatch.setattr(pipeline, "analyse_input", counting)
    return seen


def test_a_change_re_analyses_exactly_the_articles_it_affects(tmp_path, analysed):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    write_inputs(inputs, [("de", [0, 1, 2]), ("en", [0, 1, 2]), ("de", [3, 4])])
    project = make_project(tmp_path, inputs)

    def rebuild() -> list[str]:
        analysed.clear()
        build(project, cache=True)
        return sorted(analysed)

    assert rebuild() == ["a0.txt", "a1.txt", "a2.txt"]  # cold
    assert rebuild() == []  # nothing changed
    (project / "seeds" / "a2.txt").write_text(article_text("Neuer Titel", GERMAN[:2]), encoding="utf-8")
    assert rebuild() == ["a2.txt"]
    (project / "seeds" / "a1.yml").write_text("title: From the sidecar\n", encoding="utf-8")
    assert rebuild() == ["a1.txt"]
    config = project / "pressreview.yml"
    config.write_text("overview_max_articles: 1\nlock_timeout: 5\n", encoding="utf-8")
    assert rebuild() == []  # settings of the pages, not of the analysis
    config.write_text(claims("en"), encoding="utf-8")  # a rule of the project for English articles
    assert rebuild() == ["a1.txt"]
    config.write_text(claims("en", "de"), encoding="utf-8")
    assert rebuild() == ["a0.txt", "a2.txt"]
    config.write_text(config.read_text(encoding="utf-8") + "title_max_chars: 40\n", encoding="utf-8")
    assert rebuild() == ["a0.txt", "a1.txt", "a2.txt"]  # a setting of normalise: every article
    (project / "seeds" / "a1.txt").rename(project / "seeds" / "b1.txt")
    (project / "seeds" / "a1.yml").rename(project / "seeds" / "b1.yml")
    assert rebuild() == ["b1.txt"]  # its path is part of the article (source_path)
    shutil.rmtree(project / ".cache")
    assert rebuild() == ["a0.txt", "a2.txt", "b1.txt"]


def test_a_changed_rule_pack_invalidates_the_articles_of_its_language_only(tmp_path, monkeypatch):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    write_inputs(inputs, [("de", [0, 1]), ("en", [0, 1])])
    project = make_project(tmp_path, inputs)
    build(project, cache=True)
    settings = load_settings(project)
    store = cachemod.Cache(settings)
    from pressreview.read import load_input

    keys = {name: store.key(load_input(project / "seeds" / name, project / "seeds")) for name in ("a0.txt", "a1.txt")}
    assert all(isinstance(store.get(k), Article) for k in keys.values())
    rules = tmp_path / "rules"
    shutil.copytree(cachemod.RULES_DIR, rules)
    with open(rules / "de.yml", "a", encoding="utf-8") as f:
        f.write("\n# a changed German pack\n")
    monkeypatch.setattr(cachemod, "RULES_DIR", rules)
    store = cachemod.Cache(settings)
    assert store.get(keys["a0.txt"]) is None and isinstance(store.get(keys["a1.txt"]), Article)
    (rules / "quantities.yml").write_text((rules / "quantities.yml").read_text(encoding="utf-8") + "\n# changed\n",
                                          encoding="utf-8")
    store = cachemod.Cache(settings)  # a rule file that every article uses: other keys
    assert store.get(store.key(load_input(project / "seeds" / "a1.txt", project / "seeds"))) is None


def test_the_model_comes_back_from_the_cache_as_it_went_in(tmp_path):
    project = make_project(tmp_path)
    corpus = analyse_corpus(load_settings(project), jobs=1, cache=False)
    assert corpus.articles
    for article in corpus.articles:
        assert cachemod.decode(Article, json.loads(json.dumps(cachemod.encode(article)))) == article


numbers = st.one_of(st.integers(-10**12, 10**12), st.floats(allow_nan=False))


@hsettings(deadline=None)  # (2 cores shared by many test runs)
@given(st.builds(Quantity, text=st.text(), value=numbers, unit=st.text(max_size=3), qualifier=st.text(max_size=3),
                 kind=st.sampled_from(["money", "count"]), value_to=st.none() | numbers,
                 lower=st.none() | numbers, upper=st.none() | numbers),
       st.builds(Sentence, id=st.text(max_size=4), text=st.text(), block=st.integers(0, 9),
                 labels=st.lists(st.text(max_size=5), max_size=2).map(tuple),
                 cues=st.lists(st.builds(Cue, text=st.text(max_size=5), start=st.integers(0, 9),
                                         end=st.integers(0, 9), rule=st.text(max_size=5),
                                         category=st.text(max_size=5), kind=st.text(max_size=5)),
                               max_size=2).map(tuple)))
def test_values_keep_their_type_and_text_through_json(quantity, sentence):
    """3 stays 3 and 3.0 stays 3.0 (pages print them differently); any text, lone surrogates too."""
    for value in (quantity, sentence):
        back = cachemod.decode(type(value), json.loads(json.dumps(cachemod.encode(value))))
        assert back == value and repr(back) == repr(value)


def test_values_that_do_not_fit_the_model_are_refused():
    cue = cachemod.encode(Cue(text="soll", start=0, end=4, rule="de.x", category="speculative", kind="hedge",
                              messages=(("de", "Vorsicht"),)))
    quantity = cachemod.encode(Quantity(text="3", value=3.5, unit="", qualifier="", kind="count"))
    assert cachemod.decode(Cue, cue).messages == (("de", "Vorsicht"),)
    assert cachemod.decode(Quantity, {**quantity, "value": 3}).value == 3  # an int where a float may be
    for kind, value in ((Cue, {**cue, "start": "0"}), (Cue, {**cue, "start": True}), (Cue, {**cue, "text": None}),
                        (Cue, {**cue, "messages": [["de"]]}), (Cue, {**cue, "messages": [["de", 1]]}),
                        (Cue, {**cue, "messages": "de"}), (Cue, {k: v for k, v in cue.items() if k != "level"}),
                        (Cue, {**cue, "colour": "red"}), (Cue, [cue]), (Quantity, {**quantity, "value": "3"}),
                        (Quantity, {**quantity, "value_to": "4"}), (Sentence, {"id": "s1"})):
        with pytest.raises(TypeError):
            cachemod.decode(kind, value)


def test_a_damaged_entry_is_analysed_again(tmp_path, analysed):
    project = make_project(tmp_path)
    first = build(project, cache=True)
    entries = sorted((project / ".cache").rglob("*.json"))
    assert len(entries) == len(list((project / "seeds").glob("*.txt"))) == 2
    entries[0].write_bytes(entries[0].read_bytes()[:40])  # cut short
    entry = json.loads(entries[1].read_bytes())
    entry["article"]["title"] = ["not", "a", "title"]  # of the wrong type
    entries[1].write_text(json.dumps(entry))
    analysed.clear()
    assert build(project, cache=True) == first
    assert len(analysed) == 2
    analysed.clear()
    assert build(project, cache=True) == first and analysed == []  # and stored again


def documents(project: Path, **options) -> str:
    settings = load_settings(project)
    corpus = analyse_corpus(settings, cache=False, **options)
    return analysis_json(analysis_document(corpus.articles, corpus.rejected, {}, corpus.comparisons))


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory) -> Path:
    """The seeds and twelve small articles in both languages, one of them rejected."""
    tmp = tmp_path_factory.mktemp("pool")
    inputs = tmp / "inputs"
    shutil.copytree(SEEDS, inputs)
    write_inputs(inputs, [("de" if n % 3 else "en", [n % 5, (n + 1) % 5, (n + 3) % 5]) for n in range(12)])
    (inputs / "broken.txt").write_bytes(b"\x00\x01\x02 binary")
    return make_project(tmp, inputs)


def test_a_process_pool_gives_the_analysis_of_one_process(corpus_project, monkeypatch):
    monkeypatch.setattr(pipeline, "MIN_PER_PROCESS", 2)  # a pool for these few articles
    one = documents(corpus_project, jobs=1)
    assert documents(corpus_project, jobs=2) == one
    assert '"broken.txt"' in one and one.count('"source_path"') == 2 + 12 + 1


def test_a_dask_cluster_gives_the_analysis_of_a_local_run(corpus_project, monkeypatch):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        assert documents(corpus_project, scheduler=cluster.scheduler_address) == documents(corpus_project, jobs=1)
        (corpus_project / "pressreview.yml").write_text(f"dask:\n  scheduler: {cluster.scheduler_address}\n")
        try:
            monkeypatch.setattr("pressreview.cluster.worker_fingerprint", lambda: "another pressreview")
            from pressreview.settings import SettingsError

            with pytest.raises(SettingsError, match="run another pressreview"):  # the setting sends it there too
                documents(corpus_project)
        finally:
            (corpus_project / "pressreview.yml").unlink()


def test_the_command_line_takes_jobs_and_no_cache(tmp_path):
    project = make_project(tmp_path)
    result = run_build(project, "-v", "docs", "--no-cache", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert not (project / ".cache").exists()
    result = run_build(project, "-v", "docs")
    assert "0 article(s) from the cache, 2 analysed" in result.stderr and (project / ".cache" / "pressreview").is_dir()
    result = run_build(project, "docs", "--jobs", "0")
    assert result.returncode == 2 and "--jobs: must be a whole number of at least 1" in result.stderr



def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, text: str, proc, seconds: float = 120) -> str:
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, "build.py serve ended"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                page = response.read().decode("utf-8")
            if text in page:
                return page
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not show {text!r} within {seconds} s")


@pytest.mark.site
def test_serve_analyses_and_rebuilds_only_what_an_edit_touches(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    from conftest import ROOT

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    write_inputs(inputs, [("de", [0, 1]), ("de", [2, 3])])
    project = make_project(tmp_path, inputs)
    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as err:
        proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--project", str(project), "-v", "serve",
                                 "--dev-addr", f"127.0.0.1:{port}"], cwd=project, stderr=err,
                                stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        data = json.loads(_wait_for(base + "data/analysis.json", "a1.txt", proc))
        page = base + f"articles/{data['articles'][1]['id']}/"
        _wait_for(page, "Mitarbeiter", proc)
        with open(inputs.parent / "project" / "seeds" / "a1.txt", "a", encoding="utf-8") as f:
            f.write("\nDer Zauberlehrling wird angeblich befördert.\n")
        _wait_for(page, "Zauberlehrling", proc)
        text = log.read_text()
        assert "0 article(s) from the cache, 2 analysed" in text  # the start
        assert "1 article(s) from the cache, 1 analysed" in text  # the edit: that article only
        assert "builds every page again" not in text  # the same navigation: MkDocs's dirty rebuild
        (project / "seeds" / "a2.txt").write_text(article_text("Ein dritter Bericht", GERMAN[:2]), encoding="utf-8")
        _wait_for(base + "data/analysis.json", "a2.txt", proc)
        _wait_for(page, "Ein dritter Bericht", proc)  # in the navigation of the other pages too
        assert "2 article(s) from the cache, 1 analysed" in log.read_text()
        assert "builds every page again" in log.read_text()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_simplemma_dictionary_copy_is_made_then_read_and_a_damaged_one_is_not_used(tmp_path, monkeypatch):
    from simplemma.strategies.dictionaries import dictionary_factory as factory

    from pressreview import lemmas

    shipped = factory._load_dictionary_from_disk("enm")  # a small dictionary
    monkeypatch.setattr(lemmas, "_FOLDER", [tmp_path])
    monkeypatch.setattr(lemmas, "_LOADED", {})
    assert dict(lemmas._dictionary("enm").items()) == {k.decode(): v.decode() for k, v in shipped.items()}
    (copy,) = (tmp_path / "lemmas").iterdir()
    assert (tmp_path / ".gitignore").read_bytes() == cachemod.IGNORE
    good = copy.read_bytes()

    def no_decoding(lang):
        raise AssertionError("decoded again although the copy holds it")

    with monkeypatch.context() as m:  # the copy is read, simplemma's file not decoded
        m.setattr(factory, "_load_dictionary_from_disk", no_decoding)
        m.setattr(lemmas, "_LOADED", {})
        assert lemmas._dictionary("enm")._dict == shipped
    copy.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))  # damaged: decoded again and written again
    monkeypatch.setattr(lemmas, "_LOADED", {})
    assert lemmas._dictionary("enm")._dict == shipped
    assert copy.read_bytes() == good
    with pytest.raises(ValueError):
        lemmas._dictionary("xx")
