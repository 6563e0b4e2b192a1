"""Score pressreview's reading and normalisation against the hand-written real-news gold set.

    python benchmarks/eval_gold.py [--markdown] [--misses] [--only SOURCE]

The gold set lives in tests/realnews (see its README.md): one page per file under pages/<source>/ and one
YAML file per page under gold/<source>/ with the expected title, date, headings, set-aside lines and
article-text snippets.  This script reads only that folder (no ../shared).

Every page goes through pressreview as a user would give it (read.read_file + normalise.normalise with the
default settings, a fresh temporary folder per page), in two variants:

* ``html``: the page file as it is (``.html.gz`` for the German and ScrapingHub pages; for 10kGNAD, whose
  input is plain text, the ``.txt``);
* ``text``: the page as a scraper would hand it over: ``trafilatura.extract(html, include_comments=True,
  include_tables=True)`` written as a ``.txt`` (for 10kGNAD the same ``.txt`` as above).

Figures per source and variant:

* title: right / pages whose gold title is not null (and, for ``text``, occurs as a line of the input:
  a title that is not in the input cannot be found);
* date: right / pages with a gold date; "invented": pages with no gold date that got one;
* headings: precision and recall over all pages (exact match after normalisation, counted with
  multiplicity);
* boilerplate left in: pages where any set_aside snippet is in the article text / all pages;
* keep lost: keep snippets not in the article text (target 0), and on how many pages.

"Article text" is the text of the article's title, heading, paragraph and list blocks (not asides, not
sources, not datelines).  Texts are compared after NFKC, unifying quotes and dashes, dropping soft
hyphens and zero-width characters, collapsing whitespace and casefolding (``norm``).

A page that pressreview cannot read (e.g. no reader for ``.html.gz`` yet) counts as a miss for every field
it has (title, date, each gold heading, each keep snippet), with the reason in the list of misses; it
never stops the run.  The gold pages are all ``dev`` pages, so printing per-page misses is allowed.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

REALNEWS = ROOT / "tests" / "realnews"
SOURCES = ("scrapinghub", "trafilatura", "10kgnad")
VARIANTS = ("html", "text")
# how the tables name the variants: the input file as it is (the page; 10kGNAD's text), and the
# page as trafilatura.extract gives it to a scraper
VARIANT_LABELS = {"html": "as given", "text": "scraped text"}
GOLD_KEYS = ("source", "page", "url", "title", "date", "outlet", "headings", "set_aside", "keep", "notes")
ARTICLE_KINDS = ("title", "heading", "paragraph", "list")

# ------------------------------------------------------------------ normalisation used for all matching

_QUOTES = str.maketrans({c: '"' for c in "„“”‟«»〝〞＂"} | {c: "'" for c in "‘’‚‛′‹›`´"}
                        | {c: "-" for c in "‐‑‒–—―−"})
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def norm(text: str) -> str:
    """NFKC, quotes and dashes unified, soft hyphens/zero-width characters dropped, whitespace collapsed,
    casefolded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _INVISIBLE.sub("", text)
    return " ".join(text.split()).casefold()


# ------------------------------------------------------------------ gold and pages

def load_gold(root: Path = REALNEWS) -> list[dict[str, Any]]:
    """All gold entries, sorted by source and file name; each gets '_file' (its path)."""
    entries = []
    for path in sorted((root / "gold").glob("*/*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["_file"] = path
        entries.append(data)
    return entries


def page_bytes(root: Path, gold: dict[str, Any]) -> bytes:
    path = root / gold["page"]
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def page_html(root: Path, gold: dict[str, Any]) -> str:
    """The page decoded as trafilatura decodes it (charset from the page, else detected)."""
    from trafilatura.utils import decode_file
    return str(decode_file(page_bytes(root, gold)))


_BLOCK_TAGS = {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
               "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
               "nav", "ol", "p", "pre", "section", "table", "td", "th", "title", "tr", "ul", "button",
               "label", "option", "select"}


def visible_text(root: Path, gold: dict[str, Any]) -> str:
    """The text a reader can see: for HTML the lxml text of the page without script/style/noscript/
    template, one line per block element, the title element included; for .txt the file itself."""
    if not gold["page"].endswith((".html", ".html.gz", ".htm")):
        return page_bytes(root, gold).decode("utf-8")
    import lxml.html
    doc = lxml.html.document_fromstring(page_html(root, gold))
    for bad in doc.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    for el in doc.iter():
        if isinstance(el.tag, str) and el.tag in _BLOCK_TAGS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    return str(doc.text_content())


def scraped_text(html: str) -> str:
    """The 'text' variant input: what trafilatura gives a scraper."""
    import trafilatura
    return trafilatura.extract(html, include_comments=True, include_tables=True) or ""


# ------------------------------------------------------------------ running pressreview

@dataclass
class Outcome:
    title: str | None = None
    date: str | None = None
    headings: list[str] = field(default_factory=list)
    text: str = ""  # normalised article text
    error: str = ""


def run_pressreview(name: str, data: bytes, settings: dict[str, Any]) -> Outcome:
    """Read one input file the way a build does; any failure becomes Outcome.error."""
    from pressreview import normalise, read
    try:
        with tempfile.TemporaryDirectory(prefix="eval_gold_") as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)
            doc = read.read_file(path, Path(tmp), settings["max_file_bytes"])
            article = normalise.normalise(doc, settings)
    except Exception as exc:  # noqa: BLE001 - one page never stops the run
        return Outcome(error=f"{type(exc).__name__}: {exc}"[:200])
    parts = []
    for block in article.blocks:
        if block.kind in ARTICLE_KINDS:
            parts.append(block.text)
            parts.extend(f"{marker} {text}".strip() for marker, text in block.items)  # (markers are shown)
    return Outcome(title=article.title, date=article.date,
                   headings=[norm(b.text) for b in article.blocks if b.kind == "heading"],
                   text=norm("\n".join(parts)))


def default_settings() -> dict[str, Any]:
    from pressreview.settings import load_settings
    with tempfile.TemporaryDirectory(prefix="eval_gold_settings_") as tmp:
        return load_settings(Path(tmp))


def inputs(root: Path, gold: dict[str, Any], variant: str) -> tuple[str, bytes]:
    """File name and bytes that pressreview gets for this page and variant."""
    page = root / gold["page"]
    if gold["source"] == "10kgnad" or variant == "html":
        return page.name, page.read_bytes()
    stem = page.name.split(".html")[0]
    return stem + ".txt", scraped_text(page_html(root, gold)).encode("utf-8")


# ------------------------------------------------------------------ scoring

@dataclass
class Score:
    pages: int = 0
    title_right: int = 0
    title_pages: int = 0
    date_right: int = 0
    date_pages: int = 0
    date_invented: int = 0
    date_none_pages: int = 0
    heading_tp: int = 0
    heading_pred: int = 0
    heading_gold: int = 0
    boiler_pages: int = 0
    keep_lost: int = 0
    keep_total: int = 0
    keep_lost_pages: int = 0
    keep_absent: int = 0  # must-keep snippets the input does not hold (the text variant)
    unreadable: int = 0

    def figures(self) -> dict[str, float | int | None]:
        def share(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None
        return {
            "pages": self.pages,
            "title": share(self.title_right, self.title_pages),
            "date": share(self.date_right, self.date_pages),
            "date_invented": self.date_invented,
            "heading_p": share(self.heading_tp, self.heading_pred),
            "heading_r": share(self.heading_tp, self.heading_gold),
            "boilerplate_left": share(self.boiler_pages, self.pages),
            "keep_lost": self.keep_lost,
            "keep_absent": self.keep_absent,
            "unreadable": self.unreadable,
        }


def score_page(gold: dict[str, Any], out: Outcome, variant: str, input_text: str,
               score: Score, misses: list[str]) -> None:
    where = f"{gold['source']}/{Path(gold['page']).name} [{variant}]"
    score.pages += 1
    if out.error:
        score.unreadable += 1
        misses.append(f"{where}: not read: {out.error}")
    title = gold.get("title")
    if title is not None:
        in_input = variant == "html" or gold["source"] == "10kgnad" or \
            norm(title) in {norm(line) for line in input_text.splitlines()}
        if in_input:
            score.title_pages += 1
            if out.title is not None and norm(out.title) == norm(title):
                score.title_right += 1
            elif not out.error:
                misses.append(f"{where}: title {out.title!r}, expected {title!r}")
    gold_date = str(gold["date"]) if gold.get("date") else None
    if gold_date:
        score.date_pages += 1
        if out.date == gold_date:
            score.date_right += 1
        elif not out.error:
            misses.append(f"{where}: date {out.date}, expected {gold_date}")
    else:
        score.date_none_pages += 1
        if out.date:
            score.date_invented += 1
            misses.append(f"{where}: date {out.date} invented (the page shows none)")
    want = Counter(norm(h) for h in gold.get("headings") or [])
    got = Counter(out.headings)
    score.heading_tp += sum((want & got).values())
    score.heading_pred += sum(got.values())
    score.heading_gold += sum(want.values())
    if not out.error:
        for h in (got - want):
            misses.append(f"{where}: false heading {h!r}")
        for h in (want - got):
            misses.append(f"{where}: heading missed {h!r}")
    left = [s for s in gold.get("set_aside") or [] if norm(s) in out.text]
    if left:
        score.boiler_pages += 1
        misses.append(f"{where}: boilerplate left in: " + "; ".join(repr(s) for s in left[:3])
                      + (f" (+{len(left) - 3})" if len(left) > 3 else ""))
    # a must-keep snippet that the input does not hold (trafilatura.extract leaves out many
    # standfirsts) cannot be kept: it is counted apart, not as lost
    given = norm(input_text) if input_text else ""
    keep = gold.get("keep") or []
    absent = [s for s in keep if given and norm(s) not in given and norm(s) not in out.text]
    lost = [s for s in keep if norm(s) not in out.text and s not in absent]
    score.keep_total += len(keep)
    score.keep_absent += len(absent)
    if lost:
        score.keep_lost += len(lost)
        score.keep_lost_pages += 1
        if not out.error:
            misses.append(f"{where}: article text lost: " + "; ".join(repr(s) for s in lost))
    if absent and not out.error:
        misses.append(f"{where}: not in the input: " + "; ".join(repr(s) for s in absent))


def evaluate(root: Path = REALNEWS, sources: tuple[str, ...] = SOURCES
             ) -> tuple[dict[tuple[str, str], Score], list[str]]:
    """Scores per (source, variant) and the per-page misses."""
    settings = default_settings()
    scores: dict[tuple[str, str], Score] = {}
    misses: list[str] = []
    for gold in load_gold(root):
        if gold["source"] not in sources:
            continue
        for variant in VARIANTS:
            try:
                name, data = inputs(root, gold, variant)
            except Exception as exc:  # noqa: BLE001
                name, data = "", b""
                out = Outcome(error=f"input not made: {type(exc).__name__}: {exc}"[:200])
            else:
                out = run_pressreview(name, data, settings)
            text = data.decode("utf-8", "replace") if variant == "text" else ""
            score_page(gold, out, variant, text, scores.setdefault((gold["source"], variant), Score()), misses)
    return scores, misses


# ------------------------------------------------------------------ tables

COLUMNS = [("source", "source"), ("variant", "input"), ("pages", "pages"), ("title", "title"),
           ("date", "date"), ("date_invented", "dates invented"), ("heading_p", "heading P"),
           ("heading_r", "heading R"), ("boilerplate_left", "boilerplate left in"),
           ("keep_lost", "article text lost"), ("keep_absent", "not in the input"), ("unreadable", "not read")]


def rows(scores: dict[tuple[str, str], Score]) -> list[dict[str, Any]]:
    order = {s: i for i, s in enumerate(SOURCES)}
    return [{"source": s, "variant": VARIANT_LABELS.get(v, v), **score.figures()}
            for (s, v), score in sorted(scores.items(), key=lambda kv: (order.get(kv[0][0], 9), kv[0][1]))]


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def format_table(scores: dict[tuple[str, str], Score]) -> str:
    table = [[title for _, title in COLUMNS]] + [[_cell(r[k]) for k, _ in COLUMNS] for r in rows(scores)]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in table)


def format_markdown(scores: dict[tuple[str, str], Score]) -> str:
    lines = ["| " + " | ".join(title for _, title in COLUMNS) + " |",
             "|" + "|".join(" --- " if i < 2 else " ---: " for i in range(len(COLUMNS))) + "|"]
    lines += ["| " + " | ".join(_cell(r[k]) for k, _ in COLUMNS) + " |" for r in rows(scores)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--markdown", action="store_true", help="print the Markdown table too")
    parser.add_argument("--misses", action="store_true", help="list every miss per page (dev data only)")
    parser.add_argument("--only", choices=SOURCES, action="append", help="score only this source (repeatable)")
    args = parser.parse_args(argv)
    scores, misses = evaluate(REALNEWS, tuple(args.only) if args.only else SOURCES)
    print(format_table(scores))
    if args.markdown:
        print()
        print(format_markdown(scores))
    if args.misses:
        print()
        print("\n".join(misses) if misses else "no misses")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
