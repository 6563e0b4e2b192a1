"""The PDF report (pressreview/pdf.py), rendered for real by Debian chromium and read back
with poppler (pdftotext, pdftoppm). A missing program fails with its name, it never skips."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

import sys

from conftest import ROOT, make_project
from pressreview import pdf as pdfmod
from pressreview.pipeline import analyse_corpus
from pressreview.settings import load_settings

SETUP = "run `make system-deps`"


def _require_tools() -> None:
    for tool, package in (("pdftotext", "poppler-utils"), ("pdftoppm", "poppler-utils"), ("pdfinfo", "poppler-utils")):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed (Debian package {package}): {SETUP}")
    if not Path(pdfmod.CHROMIUM).is_file():
        pytest.fail(f"chromium is not installed ({pdfmod.CHROMIUM} is missing): {SETUP}")


def body_text(pdf: Path) -> str:
    """The text inside the page margins (A4 in points, margins of print.css): no running
    headers or page numbers between the two halves of a sentence split by a page break."""
    return subprocess.run(["pdftotext", "-x", "0", "-y", "62", "-W", "595", "-H", "723", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def header_texts(pdf: Path) -> list[str]:
    """The running header of every page (the top margin)."""
    out = subprocess.run(["pdftotext", "-x", "0", "-y", "0", "-W", "595", "-H", "60", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out.split("\f")


def squeeze(text: str) -> str:
    """Text without whitespace and hyphens: line breaks fall anywhere in the PDF, and
    pdftotext joins a word broken after its hyphen ("Cloud-" + "Infrastruktur")."""
    return "".join(text.split()).replace("-", "")


@pytest.fixture(scope="session")
def report(tmp_path_factory) -> SimpleNamespace:
    """The seeds' report, built once through the `pdf` command (as build.py will call it)."""
    _require_tools()
    tmp = tmp_path_factory.mktemp("pdf")
    project = make_project(tmp)
    out = tmp / "report.pdf"
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", default=".")
    sub = parser.add_subparsers(dest="command", required=True)
    pdfmod.register(sub)
    args = parser.parse_args(["--project", str(project), "pdf", "--out", str(out)])
    assert args.func(args) == 0
    settings = load_settings(project, {"input": None})
    corpus = analyse_corpus(settings)
    pages = pdfmod.page_texts(out)
    return SimpleNamespace(project=project, out=out, settings=settings, corpus=corpus, pages=pages,
                           text=body_text(out), tmp=tmp)


@pytest.fixture(scope="session")
def figures(report) -> dict:
    """A second build of the same corpus, straight through build_pdf (its figures, its file)."""
    out = report.tmp / "again.pdf"
    result = pdfmod.build_pdf(report.corpus, report.settings, out)
    result["path"] = out
    return result


def test_every_title_and_a_sample_of_sentences_from_both_seeds(report):
    assert len(report.corpus.articles) == 2
    text = squeeze(report.text)
    for article in report.corpus.articles:
        assert squeeze(article.title) in text, article.title
        plain = [s for s in article.sentences if not s.cues and not s.labels and len(s.text) > 20]
        assert len(plain) >= 3
        for s in (plain[0], plain[len(plain) // 2], plain[-1]):
            assert squeeze(s.text) in text, s.text


def test_text_set_aside_is_printed(report):
    """<details> blocks are opened: the asides' lines are in the PDF, with their reason."""
    text = squeeze(report.text)
    asides = [b for a in report.corpus.articles for b in a.removed]
    assert asides
    for block in asides:
        for _, line in block.items:
            assert squeeze(line) in text, line
        assert squeeze(block.reason) in text


def test_every_page_renders(report, tmp_path):
    pages = len(report.pages)
    result = subprocess.run(["pdftoppm", "-gray", "-r", "24", "-png", str(report.out), str(tmp_path / "p")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == pages
    for png in pngs:
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 200, png
    # and every page has ink on it (8-bit PGM: some pixel darker than white)
    result = subprocess.run(["pdftoppm", "-gray", "-r", "24", str(report.out), str(tmp_path / "g")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for pgm in sorted(tmp_path.glob("g-*.pgm")):
        data = pgm.read_bytes()
        header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
        assert header, pgm
        assert min(data[header.end():]) < 128, f"{pgm.name} is blank"


def test_page_count(report, figures):
    articles = len(report.corpus.articles)
    # cover, contents, legend, at least one page per article
    assert len(report.pages) >= 3 + articles
    assert len(report.pages) >= 10  # the seeds: about 15
    info = subprocess.run(["pdfinfo", str(report.out)], capture_output=True, text=True).stdout
    assert re.search(rf"^Pages:\s+{len(report.pages)}$", info, re.M)
    assert "A4" in info
    assert figures["pages"] == len(report.pages)
    assert figures["bytes"] == figures["path"].stat().st_size > 10_000
    assert figures["seconds"] > 0


def _toc_numbers(report, toc: list[dict]) -> dict[str, int]:
    """The page numbers as printed in the table of contents (pdftotext -layout of its pages)."""
    first_section = min(e["page"] for e in toc)
    lines = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", str(first_section - 1), str(report.out), "-"],
                           capture_output=True, text=True, check=True).stdout.splitlines()
    found = {}
    for entry in toc:
        tail = squeeze(entry["title"])[-12:]
        for i, line in enumerate(lines):
            if tail in squeeze(lines[i - 1] + line if i else line):
                # the number stands at the end of the entry's last line
                for candidate in lines[i:i + 2]:
                    m = re.search(r"\s(\d+)\s*$", candidate)
                    if m:
                        found[entry["title"]] = int(m.group(1))
                        break
                break
    return found


def test_contents_lists_every_section_with_the_right_page(report, figures):
    toc = figures["toc"]
    titles = [e["title"] for e in toc]
    for article in report.corpus.articles:
        assert article.title in titles
    assert "Legende" in titles
    if any(a.sources for a in report.corpus.articles):
        assert "Quellen" in titles
    if getattr(report.corpus, "comparisons", None):
        assert "Vergleiche" in titles

    headers = header_texts(report.out)
    printed = _toc_numbers(report, toc)
    assert set(printed) == set(titles), printed
    first_section = min(e["page"] for e in toc)
    for entry in toc:
        page = entry["page"]
        assert printed[entry["title"]] == page, entry
        title = squeeze(entry["title"])[:40]
        # the section's heading is on that page, its running header starts on that page
        assert title in squeeze(report.pages[page - 1]), entry
        assert title in squeeze(headers[page - 1]), entry
        assert title not in squeeze(headers[page - 2]), entry
        # and it runs on no page between the contents and it
        for earlier in range(first_section, page):
            assert title not in squeeze(headers[earlier - 1]), (entry, earlier)
    pages = [e["page"] for e in toc]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)


def test_marks_carry_their_rule_messages(report):
    text = squeeze(report.text)
    messages = {(c.rule, c.message) for a in report.corpus.articles for s in a.sentences for c in s.cues}
    assert len(messages) >= 5
    for rule, message in messages:
        assert squeeze(message) in text, message
        assert f"[{rule}]" in text, rule


def test_cover_facts(report):
    cover = squeeze(report.pages[0])
    assert squeeze("Pressespiegel") in cover
    assert squeeze("18. September 2025") in cover  # the one known date; the other article has none
    assert squeeze("1 ohne Datum") in cover
    assert "Artikel2" in cover
    assert squeeze(report.pages[1]).startswith(squeeze("Inhalt")) or "Inhalt" in squeeze(report.pages[1])


def test_running_headers_and_page_numbers(report, figures):
    n = len(report.pages)
    assert f"1 / {n}" not in report.pages[0]  # no header or footer on the cover
    for number in range(2, n + 1):
        assert f"{number} / {n}" in report.pages[number - 1]
        assert "Pressespiegel" in report.pages[number - 1]
    # a section's title runs in the header of its pages: also on the page after its first
    # one when the section is longer than a page
    toc = figures["toc"]
    for entry, following in zip(toc, toc[1:]):
        if following["page"] - entry["page"] > 1:
            assert squeeze(entry["title"])[:30] in squeeze(report.pages[entry["page"]]), entry


def test_links_only_for_http_urls(report):
    raw = report.out.read_bytes()
    uris = re.findall(rb"/URI \(([^)]*)\)", raw)
    assert uris, "the sources should be links"
    for uri in uris:
        assert uri.startswith((b"http://", b"https://")), uri
    # the legend links to the rules page on the site: printed as text, not as a dead link
    assert b"rules/index" not in raw


def test_deterministic(report, figures):
    again = pdfmod.page_texts(figures["path"])
    assert len(again) == len(report.pages)
    assert again == report.pages
    info = subprocess.run(["pdfinfo", "-isodates", str(figures["path"])], capture_output=True, text=True).stdout
    # Chromium writes the wall clock; we overwrite it with the newest article date
    assert re.search(r"^CreationDate:\s+2025-09-18T00:00:00", info, re.M), info
    assert figures["path"].read_bytes() == report.out.read_bytes()


def test_hostile_text_stays_text(tmp_path):
    """Article text is data: Markdown, HTML, Jinja and CSS in it are printed as written."""
    _require_tools()
    seeds = tmp_path / "in"
    seeds.mkdir()
    (seeds / "evil.txt").write_text(
        '---\ntitle: \'Böse </style><b>fett</b> "Zitat" \\ Ende\'\ndate: 2024-02-03\n---\n'
        "Der Vorstand schrieb <script>alert(1)</script> und {{ 7*7 }} in den Bericht.\n\n"
        "Die Aktie könnte sich **verdoppeln**, sagt er [hier](javascript:alert(1)).\n",
        encoding="utf-8")
    project = make_project(tmp_path, seeds)
    settings = load_settings(project, {"input": None})
    corpus = analyse_corpus(settings)
    out = tmp_path / "evil.pdf"
    figures = pdfmod.build_pdf(corpus, settings, out)
    flat = squeeze(body_text(out))
    assert squeeze("<script>alert(1)</script>") in flat
    assert "{{7*7}}" in flat
    assert "**verdoppeln**" in flat
    assert squeeze("[hier](javascript:alert(1))") in flat
    assert squeeze('Böse </style><b>fett</b> "Zitat" \\ Ende') in flat
    assert not re.search(rb"/URI \((?!https?://)", out.read_bytes())
    assert figures["pages"] >= 4
    assert "2024" in squeeze(pdfmod.page_texts(out)[0])


def test_missing_chromium_fails_with_its_name(monkeypatch, tmp_path):
    monkeypatch.setattr(pdfmod, "CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(pdfmod.PdfError, match=r"chromium is not installed.*make system-deps"):
        pdfmod.check_tools()


def test_css_string_cannot_leave_the_string():
    value = str(pdfmod.css_string('a"b\\c</style>\n d'))
    assert value.startswith('"') and value.endswith('"')
    inner = value[1:-1]
    assert '"' not in inner and "<" not in inner and "\n" not in inner
    assert inner.count("\\") == 6  # one escape each for " \\ < / > and the newline


# ---------------------------------------------------------------- no script, no file:, no network

class _Recorder:
    """A local web server that records every request (the 'external' site of the payloads)."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.paths: list[str] = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the base class's name)
                recorder.paths.append(self.path)
                body = b"EXTERNALCONTENTLOADED"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):  # noqa: A002
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def leak_targets(tmp_path):
    """A local file with a marker and a recording web server: neither may reach the PDF."""
    secret = tmp_path / "secret.html"
    secret.write_text("LOCALSECRETMARKER\n", encoding="utf-8")
    recorder = _Recorder()
    yield secret.as_uri(), recorder
    recorder.close()


def _payloads(local: str, external: str) -> list[str]:
    """Frames and images to the local file and the server: as raw HTML, as a Markdown link
    with an attribute breakout (with JavaScript that adds them), and as plain URLs."""
    import base64

    frames = f'<iframe src="{local}"></iframe><img src="{external}/img"><iframe src="{external}/frame"></iframe>'
    js = base64.b64encode(frames.encode()).decode()
    return [
        f"ok [x](http://a/autofocus/onfocus=document.body.innerHTML=atob('{js}')//)",
        f"http://a/ <img src=x onerror=\"document.body.innerHTML=atob('{js}')\">",
        frames,
        f'<object data="{local}"></object><embed src="{external}/embed"> {local}',
    ]


def _check_no_leak(pdf: Path, recorder: _Recorder) -> None:
    text = "\n".join(pdfmod.page_texts(pdf))
    assert "LOCALSECRETMARKER" not in text
    assert "EXTERNALCONTENTLOADED" not in text
    assert recorder.paths == []


def test_payloads_in_articles_sidecars_and_rule_messages_load_nothing(tmp_path, leak_targets):
    """Article text, a sidecar's reasons and a project rule's message, each with frames and
    images to a local file and to a web server: the PDF holds neither's content, and no
    request reaches the server (JavaScript is off, only the report itself is loaded)."""
    _require_tools()
    local, recorder = leak_targets
    payloads = _payloads(local, recorder.url)
    inputs = tmp_path / "in"
    inputs.mkdir()
    body = "\n\n".join(f"Die Aktie könnte steigen, sagt man. {p} Ein ruhiger Satz Nummer {i}."
                       for i, p in enumerate(payloads))
    (inputs / "a.txt").write_text(f"Ein Titel über Aktien\n\n{body}\n", encoding="utf-8")
    claims = [{"sentence": f"Ein ruhiger Satz Nummer {i}.", "labels": ["promotional"], "reason": p}
              for i, p in enumerate(payloads)]
    import yaml

    (inputs / "a.yml").write_text(yaml.safe_dump({"claims": claims}, allow_unicode=True), encoding="utf-8")
    (tmp_path / "p").mkdir()
    project = make_project(tmp_path / "p", inputs)
    rules = {"claims": {"add": [{"id": f"de.project.leak{i}", "category": "speculative", "kind": "project",
                                 "words": ["Aktie"], "message": p} for i, p in enumerate(payloads[:1])],
                        "override": {"de.hedge.modal": {"message": payloads[1] + payloads[2]}}}}
    (project / "pressreview.yml").write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "report.pdf"
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project), "pdf",
                             "--out", str(out), "--html", str(tmp_path / "report.html")],
                            capture_output=True, text=True, cwd=project, timeout=300)
    assert result.returncode == 0, result.stderr
    _check_no_leak(out, recorder)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<iframe" not in html and "<img" not in html and "<object" not in html and "<embed" not in html
    assert "Content-Security-Policy" in html
    text = squeeze("\n".join(pdfmod.page_texts(out)))
    assert squeeze("Nummer 3") in text  # the article was printed


def test_the_renderer_itself_loads_no_file_and_nothing_from_the_network(tmp_path, leak_targets):
    """Even markup that a project's own print template writes (templates are code, but the
    renderer does not trust them either) loads no local file and nothing from the network."""
    _require_tools()
    local, recorder = leak_targets
    project = make_project(tmp_path)
    (project / "templates").mkdir()
    original = (ROOT / "templates" / "print.html.j2").read_text(encoding="utf-8")
    frames = "".join(_payloads(local, recorder.url)[2:])
    (project / "templates" / "print.html.j2").write_text(
        original.replace("<body>", f"<body>\n{frames}<script>document.write('SCRIPTRAN')</script>", 1)
                .replace('<meta http-equiv="Content-Security-Policy" content="{{ csp }}">', ""),
        encoding="utf-8")
    out = tmp_path / "report.pdf"
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project), "pdf",
                             "--out", str(out)], capture_output=True, text=True, cwd=project, timeout=300)
    assert result.returncode == 0, result.stderr
    _check_no_leak(out, recorder)
    assert "SCRIPTRAN" not in "\n".join(pdfmod.page_texts(out))


# ---------------------------------------------------------------- the first page and print (issue 12)

def test_first_page_holds_the_findings(report):
    from pressreview.findings import findings
    from pressreview.measured import load_measured, percent
    from pressreview.render import word_count

    first = squeeze(report.pages[0])
    corpus = report.corpus
    found = findings(list(corpus.articles), list(corpus.comparisons), {a.id: word_count(a) for a in corpus.articles})
    assert found["disagreements"], "the seeds disagree on the expansion plan (52 against 50 Mrd.)"
    assert squeeze("Zahlen, die die Artikel unterschiedlich angeben") in first
    for d in found["disagreements"]:
        c = d["comparison"]
        for words in (c.subject, pdfmod.PRINT_STRINGS["de"]["status_" + c.status], c.difference,
                      *(v["value"] for v in d["per_article"])):
            assert squeeze(words) in first, words
    assert squeeze("über 52 Milliarden Dollar") in first and squeeze("über 50 Milliarden Dollar") in first
    top = found["most_promotional"][0]
    assert squeeze(f"{round(top['promotional_share'] * 100)} % der Sätze") in first
    assert squeeze(top["article"].title[:40]) in first
    assert squeeze("Artikel ohne Quellenangabe") in first
    for r in found["without_sources"]:
        assert squeeze(r["article"].title[:40]) in first
    # the measured accuracy of the marks, in one line, with the committed figures
    cells = load_measured()["de"]
    for cat in ("speculative", "promotional"):
        for figure in ("precision", "weighted_recall"):
            assert squeeze(percent(cells[cat][figure])) in first
    assert "Wie oft die Markierungen stimmen" in report.pages[0].replace("\n", " ")


def test_legend_uses_print_wording(report):
    legend = next(p for p in report.pages[2:] if squeeze("Legende") in squeeze(p.split("\n", 3)[-1]))
    for screen_word in ("Tab", "hover", "Maus", "klicken", "Mauszeiger", "tippen", "Markierungen zeigen"):
        assert not re.search(rf"\b{screen_word}\b", legend), screen_word
    assert "Nummer" in legend and "Anmerkungen" in legend  # how paper shows the rule behind a mark
    for symbol, word in (("≠", "weichen ab"), ("≈", "vereinbar"), ("=", "stimmen überein"), ("○", "nur eine Quelle")):
        assert squeeze(f"{symbol} {word}") in squeeze(legend), word


@pytest.fixture(scope="module")
def print_page(report):
    """The report's HTML (final pass) in Chromium with print media, at the width of the A4
    page's text (210 mm less print.css's 18 and 20 mm margins)."""
    from playwright.sync_api import sync_playwright

    context = pdfmod.report_context(report.corpus, report.settings, pdfmod.load_mkdocs_config(report.project))
    template = pdfmod.print_environment(report.project / report.settings["templates"]).get_template("print.html.j2")
    html = template.render(**context, measuring=False, numbers={s["key"]: 1 for s in context["sections"]})
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=pdfmod.CHROMIUM, args=pdfmod.CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": round(172 / 25.4 * 96), "height": 1000},
                                java_script_enabled=False)
        page.emulate_media(media="print")
        page.set_content(html, wait_until="load")
        yield page
        browser.close()


def test_tables_fit_the_page_width(print_page):
    overflow = print_page.evaluate("""() => {
        const right = document.documentElement.clientWidth + 0.5;
        const out = [];
        for (const table of document.querySelectorAll('table')) {
            const box = table.getBoundingClientRect();
            if (box.right > right) out.push(['table', table.className, box.right]);
            for (const cell of table.querySelectorAll('td, th'))
                if (cell.scrollWidth > cell.clientWidth + 1) out.push(['cell', cell.textContent.slice(0, 40)]);
        }
        return [document.querySelectorAll('table').length, out];
    }""")
    count, out = overflow
    assert count >= 4  # the legend, the sources, two comparisons
    assert out == []


def test_comparison_statuses_differ_in_grayscale(print_page):
    styles = print_page.evaluate("""() => ['differ', 'compatible', 'agree', 'single'].map(key => {
        const el = document.querySelector('.pr-status--' + key);
        const s = getComputedStyle(el), before = getComputedStyle(el, '::before');
        return [key, s.borderTopStyle, s.borderTopWidth, s.backgroundColor, before.content, el.textContent];
    })""")
    # each status: its own frame (pattern, width or fill) and its own symbol, with the word
    frames = {(style, width, background) for _, style, width, background, _, _ in styles}
    symbols = {content for *_, content, _ in styles}
    assert len(frames) == 4 and len(symbols) == 4, styles
    for key, *_, text in styles:
        assert text == pdfmod.PRINT_STRINGS["de"]["status_" + key]
    # a comparison states its difference in words
    assert print_page.locator(".pr-section--comparisons .pr-difference").count() >= 1
    assert "Unterschied" in print_page.locator(".pr-section--comparisons .pr-difference").first.inner_text()
