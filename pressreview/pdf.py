"""pdf: the corpus -> one printable report (PDF), from our own print template.

    Jinja (templates/print.html.j2 + print.css; autoescape, StrictUndefined)
      -> one HTML file -> Debian chromium driven by Playwright -> page.pdf()

Why Chromium and not WeasyPrint: Chromium is the browser the site is tested with anyway (the
browser tests need it), so the report needs no second renderer with its own CSS dialect; it
was the fastest route measured (see /work/shared/TOOLCHAIN.md: 308 pages in 5.6 s) and prints
colour emoji with fonts-noto-color-emoji. Since Chromium 131 it also lays out CSS paged media
well enough for a report: named pages with `@page` margin boxes give every article its own
running header, `counter(page)`/`counter(pages)` number the pages. WeasyPrint would be fine
for this template too (it has no Material layout), but it is one more large dependency with
native libraries and was not measured faster.

Why the running headers are CSS margin boxes and not Playwright's `display_header_footer`
templates: those templates only know document-wide values (`title`, `url`, `date`,
`pageNumber`, `totalPages`), so they cannot show the title of the article a page belongs to,
and they cannot leave out the cover. Margin boxes can do both, and number the pages the same.

Article text is data: it reaches the print template only as values (escaped by autoescape) or
as HTML converted from the site's own Markdown (`render.body_markdown` with the site's
`Marker`, converted with the Markdown extensions of mkdocs.yml), so escaping stays in one
place (`render.md_escape`). Every `<details>` block (text set aside as not part of the
article) is opened, so nothing is hidden in print; a block longer than `pdf_aside_max_lines`
(a web page's navigation can be a hundred lines) shows its first lines and says how many more
are on the article's page of the site. Links stay links only for http(s) URLs
(and the report's own table of contents); any other link becomes plain text.

The renderer trusts nothing in the HTML either: JavaScript is off in its browser context, the
report is served from https://report.pressreview.invalid/ (never file:) with a
Content-Security-Policy that allows only our inline styles, and every other request (file:,
network, frames, images) is aborted by page.route.

Table of contents with page numbers, in two passes: the first rendering carries an invisible
token at the start of every section; `pdftotext` tells on which page each token is; the
second rendering prints those numbers (in a fixed-width column, so nothing moves).

Determinism: no wall clock anywhere in the content; the report's date is the newest article
date. Chromium itself writes the wall-clock time into the PDF's /CreationDate and /ModDate,
and numbers the tagged-PDF structure elements by Blink's DOM node ids (which vary between
runs); `normalise_pdf` rewrites both in place (same length, so the cross-reference offsets
stay valid), which makes two builds of the same corpus byte-identical with the same
Chromium and fonts.
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

import markdown
from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from .analyse import summary
from .findings import findings
from .measured import CATEGORIES, Figures, load_measured, percent, unmarked_note
from .model import Article, Cue, Sentence
from .settings import load_mkdocs_config
from .render import (BUILTIN_TEMPLATES, Marker, body_markdown, environment, load_strings, quoted_parts, quotes_of,
                     safe_url, subject_parts, word_count)

log = logging.getLogger("pressreview")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DEFAULT_NAME = "report.pdf"
SETUP_HINT = "run `make system-deps` (scripts/system-deps.sh)"

# Words of the report that the site's strings.yml does not have.
PRINT_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "contents": "Contents",
        "period": "Period",
        "articles_count": "Articles",
        "as_of": "As of",
        "as_of_note": "date of the newest article",
        "rejected_count": "Rejected inputs",
        "undated": "{n} without a date",
        "page": "Page",
        "of": "of",
        "legend": "Legend",
        "notes": "Notes on the marks",
        "notes_none": "No sentence of this article is marked.",
        "summary": "Summary",
        "sources_title": "Sources",
        "sources_intro": "The sources each article names, as found in its text. Only http(s) addresses are links.",
        "comparisons_title": "Comparisons",
        "comparisons_intro": "Facts reported by at least two articles, and whether they agree: what differs first.",
        "article": "Article",
        "subject": "Subject",
        "status": "Status",
        "value": "Value",
        "sentence": "Sentence",
        "manual": "set by hand",
        "status_agree": "agree",
        "status_compatible": "compatible",
        "status_differ": "differ",
        "headline": "value most articles give",
        "more_mentions": "+{n} more",
        "date": "Date",
        "status_single": "single source",
        "col_publisher": "Publisher",
        "col_domain": "Domain",
        "col_url": "Address",
        "col_date_hint": "Date (from the address)",
        "col_origin": "Found in",
        "origin_section": "sources section",
        "origin_inline": "text",
        "origin_attribution": "attribution",
        # the first page: the findings (pressreview/findings.py)
        "findings_title": "Findings",
        "findings_more": "and {n} more",
        "accuracy": "How often the marks are right, measured on hand-labelled real news no rule was tuned on: {figures}.",
        "accuracy_figures": "{where}, speculative {spec_p} right and {spec_r} found, promotional {promo_p} right and {promo_r} found",
        "accuracy_none": "How often the marks are right has not been measured for this build.",
        "difference_label": "Difference",
        # the printed legend: what a reader of paper sees (no screen instructions)
        "legend_intro": "A mark is a question to the reader, not a verdict: it shows why a sentence deserves a second look. Each marked passage carries a small number; the notes after the article give, for each number, the rule that made the mark and why it matters.",
        "legend_category": "Category",
        "legend_badge": "Before the sentence",
        "legend_words": "The marked words",
        "legend_question": "The question to ask",
        "legend_speculative_words": "dashed underline",
        "legend_promotional_words": "double underline",
        "legend_speculative_question": "Who knows this, and how?",
        "legend_promotional_question": "What is the fact under the adjective?",
        "legend_speculative_text": "presented as possible, expected, second-hand or open rather than established",
        "legend_promotional_text": "talks the subject up beyond the facts given, or tells the reader what to do with their money",
        "legend_unmarked": "A sentence without a mark is not certified neutral: the rules miss much of such wording, and some of their marks are wrong.",
        "legend_statuses": "How the articles' figures compare",
        "legend_status_differ": "the values contradict each other; the difference is stated",
        "legend_status_compatible": "the values differ in wording but do not contradict each other (bounds, rounding, ranges)",
        "legend_status_agree": "the articles give the same value",
        "legend_status_single": "only one article gives the figure",
    },
    "de": {
        "contents": "Inhalt",
        "period": "Zeitraum",
        "articles_count": "Artikel",
        "as_of": "Stand",
        "as_of_note": "Datum des neuesten Artikels",
        "rejected_count": "Abgewiesene Eingaben",
        "undated": "{n} ohne Datum",
        "page": "Seite",
        "of": "von",
        "legend": "Legende",
        "notes": "Anmerkungen zu den Markierungen",
        "notes_none": "Kein Satz dieses Artikels ist markiert.",
        "summary": "Übersicht",
        "sources_title": "Quellen",
        "sources_intro": "Die Quellen, die jeder Artikel nennt, wie sie im Text stehen. Nur http(s)-Adressen sind Links.",
        "comparisons_title": "Vergleiche",
        "comparisons_intro": "Tatsachen, die mindestens zwei Artikel nennen, und ob sie übereinstimmen: Abweichungen zuerst.",
        "article": "Artikel",
        "subject": "Gegenstand",
        "status": "Status",
        "value": "Wert",
        "sentence": "Satz",
        "manual": "von Hand gesetzt",
        "status_agree": "stimmen überein",
        "status_compatible": "vereinbar",
        "status_differ": "weichen ab",
        "headline": "Wert der meisten Artikel",
        "more_mentions": "+{n} weitere",
        "date": "Datum",
        "status_single": "nur eine Quelle",
        "col_publisher": "Herausgeber",
        "col_domain": "Domain",
        "col_url": "Adresse",
        "col_date_hint": "Datum (aus der Adresse)",
        "col_origin": "Fundort",
        "origin_section": "Quellenabschnitt",
        "origin_inline": "Text",
        "origin_attribution": "Zuschreibung",
        "findings_title": "Befunde",
        "findings_more": "und {n} weitere",
        "accuracy": "Wie oft die Markierungen stimmen, gemessen an von Hand ausgewerteten echten Nachrichten, auf die keine Regel abgestimmt wurde: {figures}.",
        "accuracy_figures": "{where} spekulativ {spec_p} richtig und {spec_r} gefunden, werblich {promo_p} richtig und {promo_r} gefunden",
        "accuracy_none": "Wie oft die Markierungen stimmen, ist für diesen Bericht nicht gemessen.",
        "difference_label": "Unterschied",
        "legend_intro": "Eine Markierung ist eine Frage an die Leserin und den Leser, kein Urteil: Sie zeigt, warum ein Satz einen zweiten Blick verdient. Jede markierte Stelle trägt eine kleine Nummer; die Anmerkungen nach dem Artikel nennen zu jeder Nummer die Regel, die markiert hat, und warum es wichtig ist.",
        "legend_category": "Art",
        "legend_badge": "Vor dem Satz",
        "legend_words": "Die markierten Wörter",
        "legend_question": "Die Frage an den Text",
        "legend_speculative_words": "gestrichelt unterstrichen",
        "legend_promotional_words": "doppelt unterstrichen",
        "legend_speculative_question": "Wer weiß das, und woher?",
        "legend_promotional_question": "Welche Tatsache steckt unter dem Adjektiv?",
        "legend_speculative_text": "als möglich, erwartet, aus zweiter Hand oder offen dargestellt statt als gesichert",
        "legend_promotional_text": "lobt über die genannten Tatsachen hinaus oder sagt, was man mit seinem Geld tun soll",
        "legend_unmarked": "Ein Satz ohne Markierung ist nicht geprüft neutral: Die Regeln übersehen viele solche Formulierungen, und manche ihrer Markierungen sind falsch.",
        "legend_statuses": "Wie die Zahlen der Artikel zueinander stehen",
        "legend_status_differ": "die Werte widersprechen sich; der Unterschied ist genannt",
        "legend_status_compatible": "die Werte sind verschieden formuliert, widersprechen sich aber nicht (Mindestangaben, Rundung, Spannen)",
        "legend_status_agree": "die Artikel nennen denselben Wert",
        "legend_status_single": "nur ein Artikel nennt die Zahl",
    },
}

# Source fields shown in the sources table, in this order, when any source has them.
SOURCE_COLUMNS = ("publisher", "domain", "url", "date_hint", "origin")


class PdfError(RuntimeError):
    """The report cannot be made (a missing system program, a failed rendering)."""


# ---------------------------------------------------------------- mkdocs.yml -> Markdown

# MkDocs always loads these, before the ones mkdocs.yml lists.
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")


def markdown_setup(config: dict[str, Any]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The extensions and their configs, as MkDocs passes them to Python-Markdown."""
    names: list[str] = list(MKDOCS_BUILTIN_EXTENSIONS)
    configs: dict[str, dict[str, Any]] = {}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, dict):
            for name, cfg in item.items():
                if name not in names:
                    names.append(name)
                configs[name] = dict(cfg or {})
        elif item not in names:
            names.append(str(item))
    return names, configs


class MarkdownConverter:
    """Markdown -> HTML with the site's extensions; heading ids carry a per-section prefix so
    that they stay unique in the one HTML document of the report."""

    def __init__(self, config: dict[str, Any]):
        self.names, self.configs = markdown_setup(config)

    def __call__(self, text: str, prefix: str) -> str:
        configs = {k: dict(v) for k, v in self.configs.items()}
        toc = configs.setdefault("toc", {})
        toc["permalink"] = False  # the ¶ anchors are for the screen
        from markdown.extensions.toc import slugify as default_slugify

        base_slugify = toc.get("slugify") or default_slugify
        toc["slugify"] = lambda value, sep, _f=base_slugify: f"{prefix}{_f(value, sep)}"
        md = markdown.Markdown(extensions=self.names, extension_configs=configs)
        return md.convert(text)


# ---------------------------------------------------------------- HTML clean-up for print

_A = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S)
_HREF = re.compile(r'\bhref="([^"]*)"')
_DETAILS = re.compile(r"<details\b(?![^>]*\sopen\b)")


def print_html(fragment: str) -> str:
    """Open every <details>; keep links only for http(s) URLs and in-document anchors."""
    fragment = _DETAILS.sub("<details open", fragment)

    def fix(m: re.Match[str]) -> str:
        href = _HREF.search(m.group(1))
        target = html.unescape(href.group(1)) if href else ""
        if target.startswith("#") or safe_url(target):
            return m.group(0)
        return f'<span class="pr-unlinked">{m.group(2)}</span>'

    return _A.sub(fix, fragment)


# ---------------------------------------------------------------- marks with numbered notes

class PrintMarker(Marker):
    """The site's Marker, plus: every cue gets a note number (one note per rule and message
    in an article), and sentence ids get the article's prefix (unique in the report)."""

    def __init__(self, article: Article, strings: dict[str, str], prefix: str):
        super().__init__(article, strings)
        self.prefix = prefix
        self.notes: list[dict[str, Any]] = []
        self._numbers: dict[tuple[str, str, str], int] = {}

    def _note(self, category: str, rule: str, message: str) -> int:
        key = (category, rule, message)
        if key not in self._numbers:
            self._numbers[key] = len(self.notes) + 1
            self.notes.append({"n": self._numbers[key], "category": category, "rule": rule, "message": message,
                               "label": self.strings.get(category, category)})
        return self._numbers[key]

    def sentence(self, s: Sentence) -> str:
        out = super().sentence(s).replace(f'id="{s.id}"', f'id="{self.prefix}{s.id}"', 1)
        if s.note and s.labels and not s.cues:  # marked by hand, without words to point at
            n = self._note(" ".join(s.labels), "manual", s.note)
            out = out[:-len("</span>")] + f'<sup class="pr-ref">{n}</sup></span>'
        return out

    def cue(self, cue: Cue, text: str) -> str:
        n = self._note(cue.category, cue.rule, cue.message_in(self.language))
        return super().cue(cue, text) + f'<sup class="pr-ref">{n}</sup>'


# ---------------------------------------------------------------- the report's data

def _as_dict(obj: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return dict(obj)
    return {k: getattr(obj, k) for k in dir(obj) if not k.startswith("_") and not callable(getattr(obj, k))}


def _format_date(iso: str | None, language: str, unknown: str) -> str:
    if not iso:
        return unknown
    try:
        from babel.dates import format_date

        return format_date(datetime.fromisoformat(iso).date(), format="long", locale=language)
    except Exception:  # an unknown locale: ISO is still readable
        return iso


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _summary_lines(article: Article, t: dict[str, str], measured: Figures) -> dict[str, str]:
    counts = summary(article)
    return {"marks_line": t["marks_title"].format(marked=counts["marked"], sentences=counts["sentences"],
                                                  share=f"{round(counts['share'] * 100)} %"),
            "counts_line": t["marks_counts"].format(speculative=counts.get("speculative", 0),
                                                    promotional=counts.get("promotional", 0)),
            "unmarked_line": unmarked_note(t, measured, article.language),
            "marked": counts["marked"]}


def accuracy_line(t: dict[str, str], measured: Figures, languages: list[str]) -> str:
    """The measured accuracy of the marks in one sentence: precision ("right") and the
    estimated recall ("found") per category, for each language of the corpus (most articles
    first) that has both figures."""
    parts = []
    for lang, _ in Counter(languages).most_common():
        cells = measured.get(lang, {})
        where = t.get(f"recall_in_{lang}")
        if not where or not all(c in cells for c in CATEGORIES):
            continue
        parts.append(t["accuracy_figures"].format(
            where=where,
            spec_p=percent(cells["speculative"]["precision"]), spec_r=percent(cells["speculative"]["weighted_recall"]),
            promo_p=percent(cells["promotional"]["precision"]),
            promo_r=percent(cells["promotional"]["weighted_recall"])))
    return t["accuracy"].format(figures="; ".join(parts)) if parts else t["accuracy_none"]


def report_context(corpus: Any, settings: dict[str, Any], md_config: dict[str, Any]) -> dict[str, Any]:
    """Everything the print template shows, as plain values (text is escaped by the template)."""
    project = Path(settings["project"])
    md_env = environment(project / settings["templates"])
    language = corpus.interface_language(settings)
    t = {**load_strings(md_env, language), **PRINT_STRINGS["en"], **PRINT_STRINGS.get(language, {})}
    convert = MarkdownConverter(md_config)
    articles = list(corpus.articles)

    dates = sorted(a.date for a in articles if a.date)
    undated = sum(1 for a in articles if not a.date)
    if not dates:
        period = t["unknown"]
    elif dates[0] == dates[-1]:
        period = _format_date(dates[0], language, t["unknown"])
    else:
        period = f"{_format_date(dates[0], language, t['unknown'])} – {_format_date(dates[-1], language, t['unknown'])}"
    if dates and undated:
        period += f" ({t['undated'].format(n=undated)})"

    sections: list[dict[str, Any]] = []

    # The legend in print wording (print.html.j2 and the strings above), not the site's
    # legend page, which speaks of hovering and keys.
    sections.append({"key": "legend", "kind": "legend", "title": t["legend"]})

    titles = {a.id: f"{i}. {a.title}" for i, a in enumerate(articles, 1)}
    number_of = {a.id: i for i, a in enumerate(articles, 1)}
    measured = load_measured()
    for i, article in enumerate(articles, 1):
        strings = load_strings(md_env, language)  # the report's words (asides, notes) in its own language
        prefix = f"a{i}-"
        marker = PrintMarker(article, strings, prefix)
        body = print_html(convert(body_markdown(article, strings, marker,
                                                aside_max_lines=settings["pdf_aside_max_lines"]), prefix))
        sections.append({
            "key": f"article{i}", "kind": "article", "n": i, "article": article, "title": article.title,
            "anchor": f"a{i}", "date": _format_date(article.date, language, t["unknown"]),
            "words": word_count(article), "notes": marker.notes, **_summary_lines(article, t, measured),
            "html": Markup(body),
        })

    source_groups: list[dict[str, Any]] = []
    source_fields: list[dict[str, Any]] = []
    for i, article in enumerate(articles, 1):
        rows: list[dict[str, Any]] = []
        for src in getattr(article, "sources", ()) or ():
            d = _as_dict(src)
            if d.get("domain_ascii"):  # an international domain with its punycode
                d["domain"] = f"{d['domain']} ({d['domain_ascii']})"
            url = str(d.get("url") or "")
            rows.append({"fields": d, "url": url, "text": str(d.get("text") or url),
                         "href": safe_url(url) if url and d.get("linkable", True) else None})
        if rows:
            source_groups.append({"n": i, "title": article.title, "rows": rows})
            source_fields += [r["fields"] for r in rows]
    if source_groups:
        columns = [c for c in SOURCE_COLUMNS if any(f.get(c) for f in source_fields)]
        sections.append({"key": "sources", "kind": "sources", "title": t["sources_title"], "groups": source_groups,
                         "columns": columns})

    comparisons = []
    by_id = {a.id: a for a in articles}
    for comp in getattr(corpus, "comparisons", None) or []:
        c = _as_dict(comp)
        headline = str(c.get("headline") or "")
        per_article: dict[str, dict[str, Any]] = {}  # one row per article; its repeats are counted
        for st in c.get("statements") or ():
            s = _as_dict(st)
            art_id = str(s.get("article", ""))
            if art_id in per_article:
                per_article[art_id]["more"] += 1
                continue
            value = s.get("quantity") or " ".join(x for x in (_number(s.get("value", "")), str(s.get("unit") or "")) if x)
            art = by_id.get(art_id)
            per_article[art_id] = {"article": titles.get(art_id, art_id), "outlet": art.outlet if art else "",
                            "date": _format_date(art.date if art else None, language, t["unknown"]),
                            "sentence_id": str(s.get("sentence_id", "")), "text": str(s.get("text", "")),
                            "value": value, "more": 0}
        status = str(c.get("status", ""))
        comparisons.append({"id": str(c.get("id", "")), "subject": str(c.get("subject", "")),
                            "status": t.get(f"status_{status}", status), "status_key": status,
                            "headline": headline, "difference": str(c.get("difference") or ""),
                            "statements": list(per_article.values())})
    if comparisons:
        sections.append({"key": "comparisons", "kind": "comparisons", "title": t["comparisons_title"],
                         "comparisons": comparisons})

    newest = dates[-1] if dates else None
    words = {a.id: word_count(a) for a in articles}
    # subject, difference and headline of each topic as (text, language) parts: the values quoted
    # from articles carry their article's language (print.html.j2 writes each part escaped)
    quoted = {}
    for comp in getattr(corpus, "comparisons", None) or []:
        quotes = quotes_of(comp, by_id)
        quoted[comp.id] = {"subject": subject_parts(comp, by_id), "difference": quoted_parts(comp.difference, quotes),
                           "headline": quoted_parts(comp.headline, quotes)}
    return {
        "quoted_of": quoted,
        "findings": findings(articles, list(getattr(corpus, "comparisons", None) or []), words),
        "number_of": number_of,
        "accuracy": accuracy_line(t, measured, [a.language for a in articles]),
        "t": t,
        "language": language,
        "site_name": str(md_config.get("site_name") or ""),
        "title": t["home_title"],
        "period": period,
        "count": len(articles),
        "rejected": list(corpus.rejected),
        "as_of": _format_date(newest, language, t["unknown"]),
        "as_of_iso": newest,
        "sections": sections,
        "csp": CSP,
        "css": Markup(_read_template_file(project / settings["templates"], "print.css")),
    }


def _read_template_file(project_templates: Path, name: str) -> str:
    for folder in (project_templates, BUILTIN_TEMPLATES):
        if (folder / name).is_file():
            return (folder / name).read_text(encoding="utf-8")
    raise PdfError(f"template {name} not found")


def css_string(value: Any) -> Markup:
    """A CSS string literal that is safe inside <style>: every character that is not a letter,
    a digit or a space is a hex escape (which also takes care of '</style>')."""
    out = []
    for ch in str(value):
        if ch.isalnum() or ch == " ":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return Markup('"' + "".join(out) + '"')


def print_environment(project_templates: Path | None = None) -> SandboxedEnvironment:
    """An HTML environment of its own (the site's one escapes for Markdown)."""
    loaders = []
    if project_templates and project_templates.resolve() != BUILTIN_TEMPLATES and project_templates.is_dir():
        loaders.append(FileSystemLoader(str(project_templates)))
    loaders.append(FileSystemLoader(str(BUILTIN_TEMPLATES)))
    env = SandboxedEnvironment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["css_string"] = css_string
    env.filters["href"] = safe_url
    env.filters["percent"] = percent
    return env


# ---------------------------------------------------------------- rendering

def check_tools() -> None:
    """Fail with the name of what is missing (never a silent skip)."""
    if not Path(CHROMIUM).is_file():
        raise PdfError(f"chromium is not installed ({CHROMIUM} is missing): {SETUP_HINT}")
    if shutil.which("pdftotext") is None:
        raise PdfError(f"pdftotext is not installed (Debian package poppler-utils): {SETUP_HINT}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise PdfError("the Python package playwright is not installed: run `make setup`") from None


def page_texts(pdf: Path) -> list[str]:
    """The text of every page (pdftotext separates pages with form feeds)."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=False)
    if result.returncode != 0:
        raise PdfError(f"pdftotext failed on {pdf}: {result.stderr.decode(errors='replace').strip()}")
    pages = result.stdout.decode("utf-8").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def _token(key: str) -> str:
    return f"prtok{key}end"


def _find_tokens(pages: list[str], keys: list[str]) -> dict[str, int]:
    squeezed = ["".join(p.split()) for p in pages]
    found: dict[str, int] = {}
    for key in keys:
        token = _token(key)
        for number, text in enumerate(squeezed, 1):
            if token in text:
                found[key] = number
                break
        else:
            raise PdfError(f"section {key} was not found in the measuring pass of the report")
    return found


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})([^)]*)\)")
_NODE_ID = re.compile(rb"\(node(\d+)\)")


def normalise_pdf(data: bytes, iso_date: str | None) -> bytes:
    """Take out what differs between two renderings of the same HTML, in place (every
    replacement has the length of what it replaces, so the xref offsets stay right):
    - Chromium's wall-clock /CreationDate and /ModDate -> the report's date;
    - the ids of the tagged structure elements (Blink's DOM node numbers, which depend on
      what the browser process did before) -> their rank, which keeps their order (the
      /IDTree stays sorted) and their uniqueness."""
    stamp = (iso_date or "1970-01-01").replace("-", "").encode() + b"000000"

    def date(m: re.Match[bytes]) -> bytes:
        tz = b"+00'00'" if len(m.group(3)) == 7 else m.group(3)
        return b"/" + m.group(1) + b" (D:" + stamp + tz + b")"

    data = _PDF_DATE.sub(date, data)
    ids = sorted({int(n) for n in _NODE_ID.findall(data)})
    rank = {n: i for i, n in enumerate(ids, 1)}

    def node(m: re.Match[bytes]) -> bytes:
        digits = m.group(1)
        new = str(rank[int(digits)]).zfill(len(digits)).encode()
        return b"(node" + new + b")" if len(new) == len(digits) else m.group(0)

    return _NODE_ID.sub(node, data)


# The report is served to Chromium from this address (answered by _route from the report file),
# never from file:, so that no file: URL is even same-origin with it. Everything else is refused.
REPORT_URL = "https://report.pressreview.invalid/report.html"
# Only our own inline styles; no script, no frame, no image, font or request to anywhere.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
       "base-uri 'none'; form-action 'none'")


def _route(route: Any, report: Path) -> None:
    """The report's own HTML (with the CSP as a header, whatever the template says); every other
    request (file:, the network, a frame, an image) is aborted."""
    if route.request.url == REPORT_URL:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=report.read_bytes(),
                      headers={"Content-Security-Policy": CSP})
    else:
        log.info("pdf: blocked a request from the report to %s", route.request.url[:200])
        route.abort("blockedbyclient")


def build_pdf(corpus: Any, settings: dict[str, Any], out: Path, keep_html: Path | None = None) -> dict[str, Any]:
    """Render the report of `corpus` into `out`. Returns {pages, bytes, seconds, toc}."""
    started = time.monotonic()
    check_tools()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    project = Path(settings["project"])
    md_config = load_mkdocs_config(project)
    context_values = report_context(corpus, settings, md_config)
    template = print_environment(project / settings["templates"]).get_template("print.html.j2")
    keys = [s["key"] for s in context_values["sections"]]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="pressreview-pdf-") as tmp:
        work = Path(tmp)
        page_html = work / "report.html"
        draft = work / "draft.pdf"
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             env={**os.environ, "TZ": "UTC"})
                try:
                    # The report is article text: no script runs, and nothing but the report
                    # itself is loaded (see _route); the CSP header says the same to Chromium.
                    context = browser.new_context(java_script_enabled=False)
                    page = context.new_page()
                    page.route("**/*", lambda route: _route(route, page_html))

                    def render(numbers: dict[str, int] | None, target: Path) -> None:
                        text = template.render(**context_values, measuring=numbers is None, numbers=numbers or {})
                        page_html.write_text(text, encoding="utf-8")
                        page.goto(REPORT_URL, wait_until="load")
                        final = numbers is not None  # the measuring pass needs no outline or tags (half the time)
                        page.pdf(path=str(target), prefer_css_page_size=True, print_background=True,
                                 outline=final, tagged=final)

                    render(None, draft)
                    numbers = _find_tokens(page_texts(draft), keys)
                    render(numbers, out)
                    for _ in range(2):  # the numbers should not move anything; check, and settle if they did
                        final = _find_sections(page_texts(out), context_values["sections"], numbers)
                        if final == numbers:
                            break
                        log.info("pdf: the contents moved sections (%s -> %s); rendering again", numbers, final)
                        numbers = final
                        render(numbers, out)
                finally:
                    browser.close()
        except PlaywrightError as exc:
            raise PdfError(f"chromium could not render the report: {exc}") from exc
        if keep_html:
            keep_html.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(page_html, keep_html)

    data = normalise_pdf(out.read_bytes(), context_values["as_of_iso"])
    out.write_bytes(data)
    pages = len(page_texts(out))
    return {"pages": pages, "bytes": len(data), "seconds": round(time.monotonic() - started, 2),
            "toc": [{"title": s["title"], "page": numbers[s["key"]]} for s in context_values["sections"]]}


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _find_sections(pages: list[str], sections: list[dict[str, Any]], expected: dict[str, int]) -> dict[str, int]:
    """Where each section's title stands in the final PDF: the expected page when the title is
    there, else the first later page with it (the check after the second pass)."""
    found = {}
    for s in sections:
        title = _squeeze(s["title"])[:40]
        page = expected[s["key"]]
        if page <= len(pages) and title in _squeeze(pages[page - 1]):
            found[s["key"]] = page
            continue
        later = [n for n in range(page + 1, len(pages) + 1) if title in _squeeze(pages[n - 1])]
        found[s["key"]] = later[0] if later else page
    return found


# ---------------------------------------------------------------- command line

def default_output(settings: dict[str, Any]) -> Path:
    return Path(settings["project"]) / settings["site_dir"] / DEFAULT_NAME


def cmd_pdf(args: argparse.Namespace) -> int:
    from .output import project_lock, replacing
    from .pipeline import analyse_corpus
    from .settings import load_settings

    settings = load_settings(Path(args.project).resolve(),
                             {"input": args.input, "follow_symlinks": getattr(args, "follow_symlinks", None)})
    corpus = analyse_corpus(settings)
    if getattr(args, "strict", False) and corpus.rejected:
        for r in corpus.rejected:
            print(f"error: rejected input {r.source_path}: {r.reason}", file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else default_output(settings)
    try:
        with project_lock(settings), replacing(out) as draft:  # a failed run leaves the old PDF
            figures = build_pdf(corpus, settings, draft, Path(args.html) if getattr(args, "html", None) else None)
    except PdfError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out}: {figures['pages']} pages, {figures['bytes']} bytes in {figures['seconds']} s")
    return 0


def register(subparsers: Any, command: Callable[[argparse.Namespace], int] = cmd_pdf) -> argparse.ArgumentParser:
    """Add the `pdf` subcommand to build.py's subparsers."""
    p = subparsers.add_parser("pdf", help="write the report as one PDF (Chromium; default site/report.pdf)")
    p.add_argument("--input", help="folder of articles (default: seeds/, or 'input' in pressreview.yml)")
    p.add_argument("--strict", action="store_true", help="exit non-zero if any input file is rejected")
    p.add_argument("--follow-symlinks", action="store_true", default=None,
                   help="follow symbolic links in the input folder that point inside it (others are rejected)")
    p.add_argument("--out", metavar="FILE", help=f"the PDF to write (default: <site_dir>/{DEFAULT_NAME})")
    p.add_argument("--html", metavar="FILE", help="also keep the print HTML here (for debugging the template)")
    p.set_defaults(func=command)
    return p
