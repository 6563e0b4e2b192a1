"""normalise: RawDocument -> Article made of Blocks (heading, paragraph, list, sources,
dateline, aside).

The text is first cut into *units* (one paragraph, heading or list item each) by a reader
for its format, then a named, ordered list of rules (RULES) decides what each unit is, in the
way markdown-it-py keeps its rules: each rule is a small function over the units that the
settings can switch off. Layout patterns (sources headings, advertising, boilerplate) are
data in rules/layout.yml. No rule drops text: what is not part of the article becomes an
'aside' block with the reason, shown on the page where it stood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import yaml
from markdown_it import MarkdownIt

from .language import detect_language
from .model import Article, Block, RawDocument
from .read import in_range, out_of_range
from .safeyaml import load_package_file

LAYOUT_FILE = Path(__file__).parent / "rules" / "layout.yml"

# A list item in plain text: "- ", "• ", "* ", "1. ", "1) ".
ITEM = re.compile(r"^(?P<marker>[-•*]|\d{1,3}[.)])\s+(?P<text>\S.*)$")
# A date glued to the start of a line ("18/09/2025Alibaba hat …") or standing alone.
DATELINE = re.compile(r"^(?P<date>\d{1,2}([./])\d{1,2}\2\d{4}|\d{4}-\d{2}-\d{2})(?=[^\W\d_]|\s*$|\s+[-–—|]\s)")
TERMINAL = re.compile(r"[.!?:;,…。！？]['\"”“»«’)\]」』]*$")
URL = re.compile(r"^(<)?[a-zA-Z][a-zA-Z0-9+.-]*:\S+(?(1)>)$")


@dataclass
class Unit:
    """A paragraph, heading or list item of the input, before the rules decide what it is."""

    text: str
    raw: str  # the line as written (shown as is when moved aside)
    blank_before: bool = True
    hint: str = ""  # 'heading' | 'item' | 'para' when the format says so; '' = the rules decide
    level: int = 0
    marker: str = ""
    kind: str = ""  # decided: 'heading' | 'paragraph' | 'item' | 'aside' | 'title' | 'sources' ...
    reason: str = ""
    rule: str = ""
    dateline: str = ""  # a date split off the start of the line
    sources: list[tuple[str, str]] = field(default_factory=list)  # (list marker, text)


@dataclass
class Context:
    units: list[Unit]
    language: str
    layout: dict[str, Any]
    settings: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- units from each format

def units_from_text(text: str) -> list[Unit]:
    """Plain text: every line is a unit. A hard-wrapped line (no closing punctuation, the next
    line starts in lower case) is joined with the next one."""
    units: list[Unit] = []
    blank = True
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            blank = True
            continue
        prev = units[-1] if units else None
        if (prev and not blank and not prev.marker and not ITEM.match(line) and line[0].islower()
                and not TERMINAL.search(prev.text) and len(prev.text) >= 40):
            prev.text += " " + line
            prev.raw += "\n" + line
            continue
        match = ITEM.match(line)
        if match:
            units.append(Unit(match["text"], line, blank, "item", marker=match["marker"]))
        else:
            units.append(Unit(line, line, blank))
        blank = False
    return units


def _inline_text(token) -> str:
    """Markdown inline content as plain text: markup goes, every word and link target stays."""
    out: list[str] = []
    hrefs: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "link_open":
            hrefs.append(str(child.attrs.get("href", "")))
        elif child.type == "link_close":
            href = hrefs.pop() if hrefs else ""
            if href and href not in "".join(out[-3:]):
                out.append(f" ({href})")
        elif child.type == "image":
            out.append(child.content)
            src = str(child.attrs.get("src", ""))
            if src:
                out.append(f" ({src})")
    return " ".join("".join(out).split())


def units_from_markdown(text: str) -> list[Unit]:
    """Markdown: markdown-it-py finds the blocks; inline markup is reduced to its text."""
    tokens = MarkdownIt("commonmark").parse(text)
    units: list[Unit] = []
    heading = 0
    ordered: list[int] = []  # next number of each open ordered list (0 for bullets)
    in_item = 0
    for tok in tokens:
        if tok.type == "heading_open":
            heading = int(tok.tag[1])
        elif tok.type == "heading_close":
            heading = 0
        elif tok.type == "bullet_list_open":
            ordered.append(0)
        elif tok.type == "ordered_list_open":
            ordered.append(int(tok.attrs.get("start", 1) or 1))
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            ordered.pop()
        elif tok.type == "list_item_open":
            in_item += 1
            marker = "-"
            if ordered and ordered[-1]:
                marker = f"{ordered[-1]}."
                ordered[-1] += 1
            units.append(Unit("", "", True, "item", marker=marker))
        elif tok.type == "list_item_close":
            in_item -= 1
        elif tok.type == "inline":
            content = _inline_text(tok)
            if not content:
                continue
            if in_item and units and units[-1].hint == "item" and not units[-1].text:
                units[-1].text = content
                units[-1].raw = tok.content
            elif heading:
                units.append(Unit(content, tok.content, True, "heading", level=heading))
            else:
                units.append(Unit(content, tok.content, True, "para"))
        elif tok.type in ("fence", "code_block", "html_block"):
            content = " ".join(tok.content.split())
            if content:
                units.append(Unit(content, tok.content.rstrip("\n"), True, "para"))
    return [u for u in units if u.text]


def units_from_html(text: str) -> list[Unit]:
    """An HTML page's main text, as read.py made it: escaped Markdown. A line moved aside is
    shown as its text (the Markdown is ours, not the author's)."""
    units = units_from_markdown(text)
    for unit in units:
        unit.raw = unit.text
    return units


UNIT_READERS: dict[str, Callable[[str], list[Unit]]] = {
    "txt": units_from_text, "md": units_from_markdown, "html": units_from_html}


# ---------------------------------------------------------------- helpers

def words(text: str) -> int:
    """The number of runs of non-space characters (as re's \\S+ counts them: str.split() splits
    at the same white space), without a regex pass over a long paragraph."""
    return len(text.split())


def headline_like(unit: Unit, settings: dict[str, Any]) -> bool:
    """Short, no closing punctuation, not a list item, has letters, is no URL."""
    text = unit.text
    return (not unit.marker and not unit.hint
            and words(text) <= settings["headline_max_words"]
            and len(text) <= settings["headline_max_chars"]
            and not TERMINAL.search(text)
            and not URL.match(text)
            and any(c.isalpha() for c in text))


def _match_any(patterns: list[Any], text: str) -> dict[str, Any] | None:
    """The first layout entry whose pattern matches the whole text (case-insensitively,
    unless the entry says `case: true`)."""
    for entry in patterns:
        entry = entry if isinstance(entry, dict) else {"pattern": entry}
        match = re.fullmatch(entry["pattern"], text, 0 if entry.get("case") else re.I)
        if match:
            return {**entry, "match": match}
    return None


NUMERIC_DATE = re.compile(r"(?P<date>\d{1,2}([./])\d{1,2}\2\d{4}|\d{4}-\d{2}-\d{2})(?![\d./-])")
# What may follow a numeric date on a date line: a time ("18.09.2025, 13.47 Uhr").
TIME_TAIL = re.compile(r"\s*([,|–—-]\s*)?(\d{1,2}[:.]\d{2}(\s*(uhr|h|[ap]\.?m\.?))?(\s*[a-z]{2,4})?)?\s*", re.I)
# A four-digit year: only a short line holding one is tried as a date line (a cheap filter
# before dateparser, which takes about a millisecond a line). The range check (1970-2100,
# read.in_range) comes after parsing, so a date line of 1960 is a date line with a warning.
YEAR = re.compile(r"(?<!\d)(1[6-9]\d\d|2[01]\d\d)(?!\d)")
# dateparser: absolute dates only, and only when day, month and year are all written; a date
# without a year ("14. September") is never completed from today's date.
DATEPARSER_SETTINGS = {"REQUIRE_PARTS": ["day", "month", "year"], "STRICT_PARSING": True,
                       "PARSERS": ["absolute-time"], "DATE_ORDER": "DMY", "RETURN_TIME_AS_PERIOD": False}


def _strip_date_prefix(raw: str, prefixes: list[str]) -> str:
    for pattern in prefixes:
        match = re.match(pattern, raw, re.I)
        if match and match.end() < len(raw):
            return raw[match.end():]
    return raw


@lru_cache(maxsize=4096)
def _dateparser(text: str, language: str) -> date | None:
    import dateparser  # type: ignore[import-untyped,unused-ignore]  # loaded on first use (importing costs about 0.3 s)

    other = "en" if language == "de" else "de"
    found = dateparser.parse(text, languages=[language, other], settings=DATEPARSER_SETTINGS)
    return found.date() if found else None


def parse_date(raw: str, language: str, prefixes: tuple[str, ...] = ()) -> tuple[str | None, str]:
    """A dateline -> (ISO date or None, warning). Numeric dates (18.09.2025, 18/09/2025, ISO)
    by hand: day-month order for German and for any date whose first number cannot be a month;
    an English date like 04/05/2025 is ambiguous and stays unknown (never guessed; dateparser
    would read it as April 5). Written-out dates ('20. März 2021 - 15:00 Uhr', 'Nov 18, 2019',
    '18 November 2019 | 10:19 GMT') by dateparser, after a prefix such as 'Stand' is removed."""
    text = _strip_date_prefix(raw.strip(), list(prefixes))
    numeric = NUMERIC_DATE.match(text)
    if numeric:
        raw_date = numeric["date"]
        if "-" in raw_date:
            y, m, d = (int(x) for x in raw_date.split("-"))
        else:
            a, b, y = (int(x) for x in re.split(r"[./]", raw_date))
            if "." in raw_date or language == "de" or a > 12:
                d, m = a, b
            elif b > 12:
                m, d = a, b
            else:
                return None, f"dateline {raw} is ambiguous (day/month or month/day): date left unknown"
        try:
            value = date(y, m, d)
        except ValueError:
            return None, f"dateline {raw} is not a valid date: date left unknown"
    else:
        found = _dateparser(text, language)
        if found is None:
            return None, f"dateline {raw} is not a complete date (day, month and year): date left unknown"
        value = found
    if not in_range(value):
        return None, f"dateline {raw}: {out_of_range(value.isoformat())}: date left unknown"
    return value.isoformat(), ""


def signoff_date(blocks: list[Block], language: str, patterns: list[str]) -> tuple[str | None, str]:
    """The date of the author's or agency's sign-off, '(red, 16. 5. 2016)', '(APA/dpa,
    23.8.2015)': the last one in the article's paragraphs (results or a fact box may follow
    it). Only a date with a name before it in the brackets counts; a bare date in brackets
    is not a sign-off. Group 1 of a pattern (layout `signoff_date`) is the date."""
    found = ""
    for block in blocks:
        if block.kind == "paragraph" and "(" in block.text:
            for pattern in patterns:
                for match in re.finditer(pattern, block.text):
                    found = match.group(1)
    if not found:
        return None, ""
    value, problem = parse_date(re.sub(r"\s+", "", found), language)
    return value, problem.replace("dateline", "sign-off date") if problem else ""


def date_line(text: str, language: str, layout: dict[str, Any], settings: dict[str, Any]) -> bool:
    """Is this short line a date (with an optional prefix and time) and nothing else?"""
    if len(text) > settings["dateline_max_chars"] or not YEAR.search(text):
        return False
    prefixes = tuple(layout.get("date_prefix", []))
    numeric = NUMERIC_DATE.match(_strip_date_prefix(text, list(prefixes)))
    if numeric and not TIME_TAIL.fullmatch(numeric.string[numeric.end():]):
        return False
    value, problem = parse_date(text, language, prefixes)
    return value is not None or "not a complete date" not in problem


# ---------------------------------------------------------------- the rules, in order

def resumes(unit: Unit, settings: dict[str, Any]) -> bool:
    """Article text resumes here: a paragraph of at least `resume_min_words` words that ends
    with closing punctuation (teasers and link lists are short and mostly unpunctuated)."""
    return (unit.hint in ("", "para") and not unit.marker
            and words(unit.text) >= settings["resume_min_words"] and bool(TERMINAL.search(unit.text)))


def rule_runs(ctx: Context) -> None:
    """A trigger line (an ad label, related stories, reader comments, a newsletter blurb, a
    live-ticker banner) and the run after it: up to where article text resumes
    (`until: resume`), or to the end of the article or a sources section (`until: end`, taken
    only after `run_min_words_before` words of article text, so a 'Kommentare' link at the
    top cannot take the article with it); `until: line` is the trigger alone (a disclaimer)."""
    units, s = ctx.units, ctx.settings
    before = 0
    i = 0
    while i < len(units):
        unit = units[i]
        hit = None if unit.kind or len(unit.text) > 600 else _match_any(ctx.layout.get("runs", []), unit.text)
        if not hit or (hit.get("until") == "end" and before < s["run_min_words_before"]):
            if not unit.kind and before < s["run_min_words_before"]:
                before += words(unit.text)
            i += 1
            continue
        j = i + 1
        while j < len(units) and hit.get("until") != "line":
            nxt = units[j]
            if (nxt.kind == "sources" or _match_any(ctx.layout.get("sources_heading", []), nxt.text)
                    or (nxt.hint == "heading" and nxt.level == 1)):
                break
            if hit.get("until") != "end":
                if resumes(nxt, s):
                    break
                after = units[j + 1] if j + 1 < len(units) else None
                if nxt.hint == "heading" and after is not None and resumes(after, s):
                    break
            j += 1
        for run_unit in units[i:j]:
            if not run_unit.kind:  # a line a reader already set aside keeps its own reason
                run_unit.kind, run_unit.reason, run_unit.rule = "aside", hit["reason"], "runs"
                run_unit.dateline = ""
        i = j


def rule_boilerplate(ctx: Context) -> None:
    """Single lines that are never article text (ad labels, 'read more', related links)."""
    lay = ctx.layout
    for unit in ctx.units:
        if unit.kind:
            continue
        hit = _match_any(lay.get("boilerplate", []) + lay.get("related", []), unit.text)
        if hit:
            unit.kind, unit.reason, unit.rule = "aside", hit["reason"], "boilerplate"


def rule_meta_lines(ctx: Context) -> None:
    """Page furniture on a line of its own, wherever it stands and also when the format marked
    it as a heading: bylines, photo credits and captions ending in one, place lines
    ('CALDEN.'), embedded-post signatures, interface labels ('Login für Vote'), and a time of
    day without a date ('Di, 10:19 Uhr')."""
    lay = ctx.layout
    for unit in ctx.units:
        if unit.kind or len(unit.text) > 300:
            continue
        hit = _match_any(lay.get("meta_lines", []), unit.text)
        if hit:
            unit.kind, unit.reason, unit.rule = "aside", hit["reason"], "meta_lines"
        elif _match_any(lay.get("time_line", []), unit.text):
            unit.kind, unit.reason, unit.rule = "aside", lay.get("time_reason", ""), "meta_lines"


def rule_teasers(ctx: Context) -> None:
    """Headline-like lines above the first paragraph that form a list of other stories: the
    run counts as such a list when at least one line in it carries a glued date."""
    top: list[Unit] = []
    for unit in ctx.units:
        if unit.kind == "aside":
            continue
        if unit.hint or not headline_like(unit, ctx.settings):
            break
        top.append(unit)
    dated = [i for i, u in enumerate(top) if (m := DATELINE.match(u.text)) and m.end() < len(u.text)]
    if not dated:
        return
    reason = ctx.layout["teaser_reason"][ctx.language]
    for unit in top[: dated[-1] + 1]:
        unit.kind, unit.reason, unit.rule = "aside", reason, "teasers"


def rule_datelines(ctx: Context) -> None:
    """A date glued to the start of a line ('18/09/2025Alibaba hat …') is split off the text
    (by hand: no date library splits a date from a glued word); a short line that is a date
    and nothing else ('20. März 2021 - 15:00 Uhr', 'Stand 14. Januar 2022', 'Nov 18, 2019') is
    a dateline, also when it looked like a numbered list item ('20. März …')."""
    for unit in ctx.units:
        if unit.kind or unit.hint == "heading":
            continue
        line = f"{unit.marker} {unit.text}" if unit.marker[:1].isdigit() else unit.text
        if date_line(line, ctx.language, ctx.layout, ctx.settings):
            unit.kind, unit.dateline, unit.marker, unit.hint = "dateline", line, "", ""
            continue
        if unit.hint == "item":
            continue
        match = DATELINE.match(unit.text)
        if match:
            unit.dateline = match["date"]
            unit.text = unit.text[match.end():].lstrip(" -–—|")
            if not unit.text:
                unit.kind = "dateline"


def rule_ad_tail(ctx: Context) -> None:
    """From a line that opens an advertising tail to the end (or to a sources section). The
    tail also takes up to `ad_tail_lead_lines` lines right above that line which belong to it:
    a line ending in ':', a headline-like line (the promo's own headline) or a line of the
    promo's wording (layout `ad_tail_lead`), so a tail is set aside whole even when only its
    last line says 'Kaufen oder verkaufen?'."""
    units = ctx.units
    start = len(units) // 2
    for i in range(start, len(units)):
        if units[i].kind:
            continue
        hit = _match_any(ctx.layout.get("ad_tail_start", []), units[i].text)
        if not hit:
            continue
        lead = 0
        while lead < ctx.settings["ad_tail_lead_lines"] and i - lead - 1 >= start:
            above = units[i - lead - 1]
            if above.kind not in ("", "aside") or not (
                    above.text.endswith(":") or headline_like(above, ctx.settings)
                    or _match_any(ctx.layout.get("ad_tail_lead", []), above.text)):
                break
            lead += 1
        for unit in units[i - lead:]:
            if unit.kind == "sources" or _match_any(ctx.layout.get("sources_heading", []), unit.text):
                break
            unit.kind, unit.reason, unit.rule = "aside", hit["reason"], "ad_tail"
            unit.dateline = ""
        return


def rule_sources(ctx: Context) -> None:
    """A sources heading and the list or URL lines under it; or one 'Quelle: …' line."""
    units = ctx.units
    i = 0
    while i < len(units):
        unit = units[i]
        if unit.kind:
            i += 1
            continue
        if _match_any(ctx.layout.get("sources_heading", []), unit.text):
            j = i + 1
            while j < len(units) and not units[j].kind and (
                    units[j].marker or units[j].hint == "item" or URL.match(units[j].text)
                    or (words(units[j].text) <= 8 and not TERMINAL.search(units[j].text.rstrip("."))
                        and not units[j].blank_before)):
                unit.sources.append((units[j].marker, units[j].text))
                units[j].kind = "merged"
                j += 1
            if unit.sources:
                unit.kind, unit.rule = "sources", "sources_section"
            i = j
            continue
        hit = None if unit.marker else _match_any(ctx.layout.get("sources_inline", []), unit.text)
        if hit and words(unit.text) <= 40:
            unit.sources = [("", s) for s in re.split(r"\s*[;,]\s*(?=[^\d\s])", hit["match"].group(1)) if s]
            unit.kind, unit.rule = "sources", "sources_line"
            unit.text = unit.text[: hit["match"].start(1)].rstrip(" :")
        i += 1


def rule_headline_lists(ctx: Context) -> None:
    """`headline_list_min` or more headings of the input's markup (h2-h6 or Markdown '##')
    in a row, with no text between them, are the headlines of other stories (a 'related'
    or 'most read' box that the extractor kept), not the article's headings: a real
    heading introduces text."""
    units, least = ctx.units, ctx.settings["headline_list_min"]
    i = 0
    while i < len(units):
        j = i
        while j < len(units) and units[j].hint == "heading" and units[j].level >= 2 and not units[j].kind:
            j += 1
        if j - i >= least:
            for unit in units[i:j]:
                unit.kind, unit.reason, unit.rule = "aside", ctx.layout.get("headline_list_reason", ""), "headline_lists"
        i = max(j, i + 1)


def short_line(unit: Unit, settings: dict[str, Any]) -> bool:
    """headline_like, also for a Markdown paragraph (scraped Markdown writes kickers and
    headlines without markup as paragraphs)."""
    if unit.hint == "para":
        return headline_like(Unit(unit.text, unit.raw), settings)
    return headline_like(unit, settings)


def rule_title(ctx: Context) -> None:
    """The article's own headline, among the lines above the first paragraph (teasers,
    datelines, bylines and other page furniture are already set aside): a Markdown h1, else
    the first headline-like line. A short line (at most `kicker_max_words` words) directly
    above another headline-like line or an h1 is a kicker or section label ('Semesterstart',
    'Stadt eröffnet Nordpark-Anlage'): the line below it is the headline, and the kicker is
    set aside with its reason. A line of fewer than `title_min_words` words is never the
    title. Without a headline the lede becomes the title (see infer_title)."""
    s = ctx.settings
    top: list[Unit] = []
    for unit in ctx.units:
        if unit.kind in ("aside", "dateline", "merged"):
            continue
        if unit.kind or len(top) >= 3:
            break
        top.append(unit)
        if not (short_line(unit, s) or (unit.hint == "heading" and unit.level == 1)):
            break
    reason = ctx.layout.get("kicker_reason", "")
    for i, unit in enumerate(top):
        is_h1 = unit.hint == "heading" and unit.level == 1
        if not is_h1 and not short_line(unit, s):
            return
        nxt = top[i + 1] if i + 1 < len(top) else None
        below = (nxt is not None and ((nxt.hint == "heading" and nxt.level == 1) or short_line(nxt, s))
                 and words(nxt.text) > words(unit.text))  # a kicker is shorter than its headline
        if not is_h1 and ((below and words(unit.text) <= s["kicker_max_words"])
                          or (words(unit.text) < s["title_min_words"] and len(unit.text) <= 40)):
            unit.kind, unit.reason, unit.rule = "aside", reason, "title"
            continue
        unit.kind, unit.rule, unit.hint = "title", "title", ""
        return


def numbered_heading(units: list[Unit], i: int, settings: dict[str, Any]) -> bool:
    """A numbered subhead of a listicle ('1. Ditch the diet', then a paragraph, then '2. Avoid
    skipping meals'): a numbered item on its own, between paragraphs, without closing
    punctuation. Two numbered lines in a row are a list."""
    unit = units[i]
    prev = units[i - 1] if i else None
    nxt = units[i + 1] if i + 1 < len(units) else None
    return (unit.marker[:1].isdigit() and headline_like(Unit(unit.text, unit.raw), settings)
            and (prev is None or not prev.marker) and nxt is not None and not nxt.marker and not nxt.kind
            and nxt.hint in ("", "para") and bool(TERMINAL.search(nxt.text)))


def rule_lists(ctx: Context) -> None:
    """List items stay together, with the line ending in ':' that introduces them; a numbered
    item on its own between paragraphs is a numbered subhead."""
    for i, unit in enumerate(ctx.units):
        if unit.kind or not (unit.marker or unit.hint == "item"):
            continue
        if numbered_heading(ctx.units, i, ctx.settings):
            unit.kind, unit.rule, unit.level = "heading", "headings", 2
            unit.text = f"{unit.marker} {unit.text}"
            continue
        unit.kind, unit.rule = "item", "lists"
        prev = ctx.units[i - 1] if i else None
        if prev and not prev.kind and prev.text.endswith(":") and not prev.marker:
            prev.kind, prev.rule = "intro", "lists"


QUESTION = re.compile(r"[^.!?…]*\?['\"”“»«’)]*")
# An interview's question ('Q: Where did you grow up?', 'Frage: …') is a paragraph, not a subhead.
INTERVIEW_QUESTION = re.compile(r"(q|f|frage|question)\s*:", re.I)


def question_heading(unit: Unit, prev: Unit | None, nxt: Unit | None, settings: dict[str, Any]) -> bool:
    """A question subhead ('What did the prosecutors say?', 'Wo liegen die Ursachen?'): one
    short question on its own line, between two paragraphs, the one after it longer than the
    question. Two sentences ('Sollten Anleger sofort verkaufen? Oder
    lohnt sich …') are a paragraph."""
    text = unit.text
    return (not unit.marker and unit.hint in ("", "para") and 3 <= words(text) <= settings["headline_max_words"]
            and text[:1].isupper() and bool(QUESTION.fullmatch(text)) and not INTERVIEW_QUESTION.match(text)
            and prev is not None and prev.kind in ("", "paragraph") and bool(TERMINAL.search(prev.text))
            and nxt is not None and not nxt.kind and not nxt.marker and nxt.hint in ("", "para")
            and bool(TERMINAL.search(nxt.text)) and words(nxt.text) > words(text))


# A Markdown paragraph that is all bold ('**Module efficiency**'): a pseudo-heading of the page.
BOLD_LINE = re.compile(r"(\*\*|__)[^*_\n]+\1")


def markup_heading(unit: Unit, settings: dict[str, Any]) -> bool:
    """Is a heading of the input's markup (Markdown '##', HTML h2) a heading of the article?
    Not when it has no letters ('*', '----'), nor when it is a sentence longer than
    `headline_max_words` words that ends with closing punctuation (a standfirst or a caption
    marked as a heading). Page furniture marked as a heading is set aside before (meta_lines)."""
    text = unit.text
    if not any(c.isalpha() for c in text):
        return False
    return not (words(text) > settings["headline_max_words"] and TERMINAL.search(text))


def rule_headings(ctx: Context) -> None:
    """A short line without closing punctuation, between paragraphs, is a heading; so is a
    question subhead. Level: a heading of at most `subheading_max_words` words is ### when a
    longer heading stands before it in the article, otherwise ##. Markdown headings keep their
    level (h1/h2 -> ##, h3 and below -> ###); page furniture that the format marked as a
    heading is already set aside (rule meta_lines)."""
    units = ctx.units
    seen_long = False
    s = ctx.settings
    prev: Unit | None = None
    for i, unit in enumerate(units):
        if unit.kind == "merged":
            continue
        if unit.hint == "heading" and not unit.kind:
            if markup_heading(unit, s):
                unit.kind, unit.rule = "heading", "headings"
                unit.level = 2 if unit.level <= 2 else 3
            else:
                unit.kind, unit.rule = "paragraph", "headings"
            prev = unit
            continue
        nxt = next((u for u in units[i + 1:] if u.kind != "merged"), None)
        bold = unit.hint == "para" and BOLD_LINE.fullmatch(unit.raw) is not None
        if not unit.kind and question_heading(unit, prev, nxt, s):
            unit.kind, unit.rule, unit.level = "heading", "headings", 2
        elif unit.kind or not (headline_like(unit, s) or (bold and short_line(unit, s))):
            pass
        elif nxt is None or nxt.kind in ("aside", "title") or (not nxt.kind and headline_like(nxt, s)):
            pass
        else:
            unit.kind, unit.rule = "heading", "headings"
            if words(unit.text) <= s["subheading_max_words"] and seen_long:
                unit.level = 3
            else:
                unit.level = 2
                seen_long = seen_long or words(unit.text) > s["subheading_max_words"]
        prev = unit


RULES: list[tuple[str, Callable[[Context], None]]] = [
    ("runs", rule_runs),
    ("boilerplate", rule_boilerplate),
    ("meta_lines", rule_meta_lines),
    ("teasers", rule_teasers),
    ("datelines", rule_datelines),
    ("ad_tail", rule_ad_tail),
    ("sources", rule_sources),
    ("headline_lists", rule_headline_lists),
    ("title", rule_title),
    ("lists", rule_lists),
    ("headings", rule_headings),
]


# ---------------------------------------------------------------- units -> blocks

def to_blocks(units: list[Unit]) -> list[Block]:
    blocks: list[Block] = []
    items: list[tuple[str, str]] = []
    intro = ""

    def flush() -> None:
        nonlocal items, intro
        if items:
            blocks.append(Block("list", intro, tuple(items), rule="lists"))
        elif intro:
            blocks.append(Block("paragraph", intro, rule="paragraphs"))
        items, intro = [], ""

    for unit in units:
        if unit.kind == "merged":
            continue
        if unit.kind == "item":
            items.append((unit.marker or "-", unit.text))
            continue
        flush()
        if unit.kind == "intro":
            intro = unit.text
            continue
        if unit.kind == "aside":
            if blocks and blocks[-1].kind == "aside" and blocks[-1].reason == unit.reason:
                last = blocks.pop()
                blocks.append(Block("aside", "", last.items + (("", unit.raw),), rule=last.rule, reason=last.reason))
            else:
                blocks.append(Block("aside", "", (("", unit.raw),), rule=unit.rule, reason=unit.reason))
            continue
        if unit.dateline:
            blocks.append(Block("dateline", unit.dateline, rule="datelines"))
        if unit.kind == "dateline":
            continue
        if unit.kind == "title":
            blocks.append(Block("title", unit.text, rule="title"))
        elif unit.kind == "heading":
            blocks.append(Block("heading", unit.text, level=unit.level, rule="headings"))
        elif unit.kind == "sources":
            blocks.append(Block("sources", unit.text, tuple(unit.sources), rule=unit.rule))
        else:
            blocks.append(Block("paragraph", unit.text, rule="paragraphs"))
    flush()
    return blocks


@lru_cache(maxsize=8)
def load_layout(extra: str = "") -> dict[str, Any]:
    data = load_package_file(LAYOUT_FILE)
    if extra:
        for lang, section in (yaml.safe_load(extra) or {}).items():
            for key, patterns in section.items():
                data.setdefault(lang, {}).setdefault(key, [])
                data[lang][key] = list(patterns) + data[lang][key]
    return data


def with_dropped_asides(blocks: list[Block], dropped: dict[str, Any], reasons: dict[str, str]) -> list[Block]:
    """An HTML page's visible lines that are not article text, as asides where they stood:
    one 'before' the article, one 'after' it, and 'inside' ones after the block that holds
    the kept line they followed on the page (looked for in the next 200 blocks; one that is
    not found goes after the article's text)."""
    def aside(where: str, lines: list[str]) -> Block:
        return Block("aside", "", tuple(("", line) for line in lines), rule="html_page", reason=reasons[where])

    texts = [" ".join(" ".join([b.text, *(t for _, t in b.items)]).split()) for b in blocks]
    placed: dict[int, list[str]] = {}
    rest: list[str] = []
    start = 0
    for anchor, lines in dropped.get("inside", []):
        at = next((i for i in range(start, min(len(blocks), start + 200)) if anchor in texts[i]), None)
        if at is None:
            rest += lines
        else:
            placed.setdefault(at, []).extend(lines)
            start = at
    out = [aside("before", dropped["before"])] if dropped.get("before") else []
    for i, block in enumerate(blocks):
        out.append(block)
        if i in placed:
            out.append(aside("inside", placed[i]))
    out += [aside("inside", rest)] if rest else []
    return out + ([aside("after", dropped["after"])] if dropped.get("after") else [])


def infer_title(blocks: list[Block], language: str, max_chars: int) -> tuple[str, str]:
    for block in blocks:
        if block.kind == "title":
            return block.text, "headline"
    from .sentences import split_sentences

    for block in blocks:
        if block.kind in ("paragraph", "list") and block.text:
            head = block.text[: max_chars * 4]  # the first sentence is all we need
            spans = split_sentences(head, language)
            first = head[spans[0][0]:spans[0][1]] if spans else head
            if len(first) > max_chars:
                first = first[:max_chars].rsplit(" ", 1)[0] + " …"
            return first, "lede"
    return "", ""


# A cheap test before ftfy is asked: UTF-8 read as cp1252/latin-1 shows a lead byte (Â-ï)
# followed by a continuation byte (\x80-\xbf, or the cp1252 letters those bytes became).
MOJIBAKE_HINT = re.compile("[\u00c2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                           "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")


def repair_mojibake(text: str) -> tuple[str, int]:
    """UTF-8 text that was once decoded as cp1252/latin-1 ('Ã¤' for 'ä', 'â€ž' for '„'),
    repaired by ftfy's encoding fixer only (no other ftfy fixes), line by line; -> (text,
    number of lines repaired). Pure ASCII text is left alone without asking ftfy."""
    if text.isascii():
        return text, 0
    import ftfy
    import unicodedata

    if not MOJIBAKE_HINT.search(text):
        return text, 0
    lines = text.split("\n")
    repaired = 0
    for i, line in enumerate(lines):
        if not MOJIBAKE_HINT.search(line):
            continue
        fixed = ftfy.fix_encoding(line)
        if fixed != line:
            lines[i] = unicodedata.normalize("NFC", fixed)
            repaired += 1
    return "\n".join(lines), repaired


def normalise(doc: RawDocument, settings: dict[str, Any]) -> Article:
    meta = doc.meta
    page = doc.page  # an HTML page's own metadata; front matter and sidecar win over it
    sidecar_keys = set(meta.get("_sidecar_keys", []))
    warnings = list(doc.warnings)
    text = doc.text
    if doc.fmt in ("txt", "md") and "mojibake" not in settings["disabled_rules"]:
        text, repaired = repair_mojibake(text)
        if repaired:
            warnings.append(f"mojibake repaired by ftfy in {repaired} line(s) (text that had been decoded "
                            "with the wrong encoding, such as 'Ã¤' for 'ä')")
    units = UNIT_READERS[doc.fmt](text)

    if meta.get("language"):
        language, language_source = meta["language"], "sidecar" if "language" in sidecar_keys else "front matter"
    elif page.get("language"):  # a page's lang attribute, unless its text clearly says otherwise
        language, confidence = detect_language(doc.text, page["language"])
        language_source = "detected"
        if language != page["language"] and confidence >= 0.9:
            warnings.append(f"the page says its language is '{page['language']}' but its text is '{language}'")
        else:
            language, language_source = page["language"], "page"
    else:
        language, confidence = detect_language(text, settings["default_language"])
        language_source = "detected"
        if confidence < 0.5:
            warnings.append(f"language unclear (confidence {confidence}): taken as '{language}'")

    layout = load_layout(settings.get("layout_extra", ""))
    lay = {**layout.get(language, {}), "teaser_reason": layout["teaser_reason"],
           "kicker_reason": layout["kicker_reason"].get(language, ""),
           "headline_list_reason": layout["headline_list_reason"].get(language, "")}
    ctx = Context(units, language, lay, settings, warnings)
    for name, rule in RULES:
        if name not in settings["disabled_rules"]:
            rule(ctx)
    blocks = to_blocks(ctx.units)
    if page.get("dropped"):
        blocks = with_dropped_asides(blocks, page["dropped"], layout["html_dropped"][language])

    if meta.get("title") or page.get("title"):
        title, title_source = ((meta["title"], "sidecar" if "title" in sidecar_keys else "front matter")
                               if meta.get("title") else (page["title"], "page"))
        # a headline that merely repeats the given title is the title; another one is a heading
        blocks = [b if b.kind != "title" or b.text.casefold() == title.casefold()
                  else Block("heading", b.text, level=2, rule="headline") for b in blocks]
    else:
        title, title_source = infer_title(blocks, language, settings["title_max_chars"])
        if not title:
            title, title_source = doc.source_path.rsplit("/", 1)[-1], "file name"
            warnings.append("no title found: the file name is used")

    date_value, date_source = None, ""
    if "date" in meta:  # None when the given date was not usable (read.check_meta warned)
        date_value = meta["date"]
        date_source = ("sidecar" if "date" in sidecar_keys else "front matter") if date_value else ""
    elif page.get("date"):
        date_value, date_source = page["date"], "page"
    else:
        dateline = next((b.text for b in blocks if b.kind == "dateline"), None)
        if dateline:
            date_value, problem = parse_date(dateline, language, tuple(lay.get("date_prefix", [])))
            date_source = "dateline" if date_value else ""
            if problem:
                warnings.append(problem)
        elif "signoff_date" not in settings["disabled_rules"]:
            date_value, problem = signoff_date(blocks, language, layout.get("signoff_date", []))
            date_source = "sign-off" if date_value else ""
            if problem:
                warnings.append(problem)

    return Article(
        id="",
        source_path=doc.source_path,
        sha256=doc.sha256,
        title=title,
        title_source=title_source,
        date=date_value,
        date_source=date_source,
        language=language,
        language_source=language_source,
        blocks=tuple(blocks),
        warnings=tuple(warnings),
        fmt=doc.fmt,
        encoding=doc.encoding,
        author=meta.get("author") or page.get("author", ""),
        outlet=meta.get("publisher") or page.get("outlet", ""),
        canonical_url=meta.get("url") or page.get("url", ""),
    )
