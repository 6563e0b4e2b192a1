"""The fuzzed site: 1,000 generated articles with sidecars (seeded, so every run builds the same
corpus), built ONCE with a real `build.py build --pdf`, then read back in the real browser
(Playwright + Debian chromium) and from the PDF.

The generator mixes every payload family of issue 8 into article text, titles, front matter,
sidecar reasons, a project's rule messages (pressreview.yml) and its strings.yml: Markdown
links with attribute breakouts, raw HTML, Jinja, pymdownx syntax, unicode; and the inputs
that crashed or leaked: symbolic links out of the input folder, YAML alias bombs in front
matter and sidecars, out-of-range dates (2106-02-08, a 2199 dateline, 1969).

Found must be nothing: no element, attribute, class, handler, URL or script that we did not
make, in any article page after its scripts ran and every mark was hovered and focused; no
request to anywhere but the site; and neither the linked file's content nor a payload's
effect in the site's files or the PDF's text.
"""

from __future__ import annotations

import functools
import http.server
import json
import random
import shutil
import re
import threading
import time
from pathlib import Path

import pytest
import yaml

from audit import AUDIT_DOCUMENT, CHROMIUM, CHROMIUM_ARGS, PAYLOADS, audit_content, audit_html, hover_all, project_strings
from conftest import make_project, run_build

pytestmark = pytest.mark.site

SEED = 8  # issue 8
ARTICLES = 1000
SECRET = "LOCALSECRETMARKER"

WORDS = ("Die Aktie des Unternehmens stieg im dritten Quartal um drei Prozent der Umsatz lag bei "
         "Milliarden Euro Anleger reagierten gelassen Analysten erwarten weitere Zahlen im Bericht "
         "der Vorstand kündigte eine neue Strategie für den Markt in Europa an").split()
CLAIMS = ["könnte", "dürfte", "revolutionär", "angeblich", "soll", "wohl", "Experten meinen", "Schnäppchen",
          "jetzt kaufen", "einzigartig", "Kursfeuerwerk", "vermutlich"]
ENGLISH = "The company could double its revenue says an unnamed expert in a revolutionary move".split()
UNICODE = ["\u202e", "\u202c", "\u200b", "\u200d", "\ufeff", "\u0301", "аpple.com", "ß", "„", "“", "😀", "\U0001F9E8",
           "\u2028", "\u00a0", "ﬁ", "Ⅻ", "\U0001d400", "؟", "עברית", "中文"]
TITLE_PAYLOADS = ['x" onmouseover="window.pwn=1', "<img src=x onerror=window.pwn=1>", "{{ 7*7 }}",
                  "[t](javascript:window.pwn=1)", "</title><script>window.pwn=1</script>", "# pwn", "&amp;pwn"]


def _payload(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return "".join(rng.choice(UNICODE) for _ in range(rng.randint(1, 4))) + rng.choice(WORDS)
    return rng.choice(PAYLOADS)


def _sentence(rng: random.Random, hostile: float = 0.5) -> str:
    words = rng.sample(WORDS, rng.randint(3, 9))
    if rng.random() < 0.6:
        words.insert(rng.randrange(len(words) + 1), rng.choice(CLAIMS))
    if rng.random() < hostile:
        words.insert(rng.randrange(len(words) + 1), _payload(rng))
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice([".", ".", ".", "!", "?", "…", " <!--", "?!"])


def _article(rng: random.Random, n: int, secret: Path) -> dict[str, str]:
    """The files of one generated article: {file name: text}."""
    name = f"a{n:04d}"
    sentences = [_sentence(rng) for _ in range(rng.randint(2, 6))]
    paragraphs = [" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2)]
    if rng.random() < 0.3:
        paragraphs.insert(1, "\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(1, 3))))
    if rng.random() < 0.2:
        paragraphs.append(f"Quelle: https://example.com/{n}/{rng.choice(['a', 'b_c', 'x(y)'])} " + _payload(rng))
    if rng.random() < 0.1:
        paragraphs.append("Anzeige " + _payload(rng))
    title = " ".join(rng.sample(WORDS, 4)).capitalize() + f" {n}"
    if rng.random() < 0.3:
        title += " " + rng.choice(TITLE_PAYLOADS)
    meta: dict[str, object] = {}
    if rng.random() < 0.5:
        meta["title"] = title
    else:
        paragraphs.insert(0, title)
    if rng.random() < 0.5:
        meta["date"] = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if rng.random() < 0.1:
        meta["language"] = "en"
        paragraphs.append(" ".join(rng.sample(ENGLISH, 8)) + ".")
    body = "\n\n".join(paragraphs).replace("{secret}", secret.as_uri())
    fmt = rng.choice(["txt", "md"])
    files: dict[str, str] = {}
    front = f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n\n" if meta and rng.random() < 0.5 else ""
    files[f"{name}.{fmt}"] = front + body + "\n"
    if rng.random() < 0.5 or not front and meta:
        side: dict[str, object] = {} if front else dict(meta)
        claims = []
        for _ in range(rng.randint(0, 3)):
            target = rng.choice([f"s{rng.randint(1, len(sentences))}", rng.choice(sentences)[:30].strip() or "s1"])
            claims.append({"sentence": target, "labels": rng.choice([[], ["promotional"], ["speculative"],
                                                                     ["promotional", "speculative"]]),
                           "reason": _payload(rng) + " " + rng.choice(PAYLOADS)})
        if claims:
            side["claims"] = claims
        if side:
            files[f"{name}.yml"] = yaml.safe_dump(side, allow_unicode=True)
    return files


BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(5))


def write_corpus(folder: Path, outside: Path) -> dict[str, int]:
    """ARTICLES articles into `folder`, seeded; returns how many of each special family."""
    rng = random.Random(SEED)
    folder.mkdir(parents=True)
    outside.mkdir(parents=True)
    secret = outside / "secret.txt"
    secret.write_text(f"{SECRET} Geheimer Text, der nie veröffentlicht werden darf.\n", encoding="utf-8")
    (outside / "secret.yml").write_text(f"title: {SECRET}\n", encoding="utf-8")
    special = 0
    # symbolic links out of the input folder: a file, a sidecar, a folder
    (folder / "passwd.txt").symlink_to(secret)
    (folder / "a0000.yml").symlink_to(outside / "secret.yml")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    # YAML alias bombs in front matter and in a sidecar
    (folder / "bomb1.md").write_text(f"---\n{BOMB}---\n\nEin Satz über Bomben.\n", encoding="utf-8")
    (folder / "bomb2.txt").write_text("Ein Satz über die Anlage.\n", encoding="utf-8")
    (folder / "bomb2.yml").write_text(BOMB + "claims: *f\n", encoding="utf-8")
    # dates out of range
    (folder / "date1.md").write_text("---\ndate: 2106-02-08\n---\n\nDie Zukunft könnte kommen.\n", encoding="utf-8")
    (folder / "date2.txt").write_text("31.12.2199 Frankfurt – Die Aktie dürfte steigen.\n", encoding="utf-8")
    (folder / "date3.txt").write_text("Die Mondlandung.\n", encoding="utf-8")
    (folder / "date3.yml").write_text("date: 1969-07-20\n", encoding="utf-8")
    (folder / "date4.md").write_text("---\ndate: 0001-01-01\n---\n\nSehr alt.\n", encoding="utf-8")
    special = 9
    for n in range(ARTICLES - special):
        for name, text in _article(rng, n, secret).items():
            if not (folder / name).exists():
                (folder / name).write_text(text, encoding="utf-8")
    return {"special": special}


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    project = make_project(tmp)
    shutil.rmtree(project / "seeds")  # written in place: copying would resolve the symbolic links
    write_corpus(project / "seeds", tmp / "outside")
    rng = random.Random(SEED + 1)
    rules = {"claims": {
        "add": [{"id": f"de.fuzz.r{i}", "category": rng.choice(["speculative", "promotional"]), "kind": "fuzz",
                 "words": [rng.choice(WORDS)], "message": p} for i, p in enumerate(PAYLOADS[:6])],
        "override": {"de.hedge.modal": {"message": PAYLOADS[4]}, "de.puffery.adjective": {"message": PAYLOADS[0]}}}}
    (project / "pressreview.yml").write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    (project / "templates").mkdir()
    (project / "templates" / "strings.yml").write_text(project_strings(PAYLOADS[2]), encoding="utf-8")
    started = time.monotonic()
    result = run_build(project, "build", "--pdf")
    seconds = time.monotonic() - started
    return project, result, seconds, tmp


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


BROWSER_PAGES = 20  # opened in the browser, spread over the corpus (each ~1.5 s with its nav of 1,000 links)
_CONTENT = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
_LIVE = re.compile(r"<(iframe|frame|object|embed|img|base|portal)\b|<[a-z][^>]*\son[a-z]+\s*=|<[a-z][^>]*\sclass=\"?[^\">]*\bpwn\b"
                   r"|<[a-z][^>]*\s(href|src)=\"?\s*(javascript|file|data|vbscript):", re.I)


def test_fuzzed_site_has_no_markup_but_ours(fuzzed):
    project, result, seconds, tmp = fuzzed
    assert result.returncode == 0, result.stderr[-3000:]
    site = project / "site"
    pages = sorted((site / "articles").glob("*/index.html"))
    analysis = (site / "data" / "analysis.json").read_text(encoding="utf-8")
    data = json.loads(analysis)
    assert len(pages) == len(data["articles"]) >= ARTICLES * 0.85, (len(pages), len(data["rejected"]))

    # nothing of the file behind the symbolic links, in any file of the site or in the PDF;
    # no alias bomb expanded
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".md", ".xml", ".txt", ".js"):
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path
    from pressreview.pdf import page_texts

    pdf_text = "\n".join(page_texts(site / "report.pdf"))
    assert SECRET not in pdf_text
    assert "root:x:0:0" not in pdf_text
    assert analysis.count("lol") < 1000, "an alias bomb was expanded"

    # every page as written: the content holds only our markup, the document nothing live
    problems: list[str] = []
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        content = _CONTENT.search(text)
        if path.parent.parent.name == "articles" or path.parent.name in ("rules", "sources", "compare", "articles"):
            assert content, path
        if content and "reference" not in path.parts:
            problems += [f"{path.parent.name}: {p}" for p in audit_html(content.group(1))]
        problems += [f"{path.parent.name}: live markup {m.group(0)[:80]}" for m in _LIVE.finditer(text)]
    assert not problems, "\n".join(problems[:50])

    # a sample in the real browser, after the scripts ran, every mark hovered and focused
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"chromium is not installed ({CHROMIUM} is missing): run `make system-deps`")
    from playwright.sync_api import sync_playwright

    step = max(1, len(pages) // BROWSER_PAGES)
    sample = ["", "rules/", "sources/", "compare/"] + [
        path.relative_to(site).parent.as_posix() + "/" for path in pages[::step]]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context()
            outside: list[str] = []

            def route(r):
                if r.request.url.startswith(base):
                    r.continue_()
                else:
                    outside.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.on("dialog", lambda d: (problems.append(f"dialog {d.message}"), d.dismiss()))
            page.on("pageerror", lambda e: problems.append(f"uncaught {e}"))
            for url in sample:
                page.goto(base + url, wait_until="load")
                found = audit_content(page) + hover_all(page, 60) + page.evaluate(AUDIT_DOCUMENT)
                problems += [f"{url}: {p}" for p in found]
            problems += [f"request to {u}" for u in outside]
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert not problems, "\n".join(problems[:50])
