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

LAYOUT_FILE = Path(__file__).parent / "rules" / "layout.yml"

# A list item in plain text: "- ", "• ", "* ", "1. ", "1) ".
ITEM = re.compile(r"^(?P<marker>[-•*]|\d{1,3}[.)])\s+(?P<text>\S.*)$")
# A date glued to the start of a line ("18/09/2025Alibaba hat …") or standing alone.
DATELINE = re.compile(r"^(?P<date>\d{1,2}([./])\d{1,2}\2\d{4}|\d{4}-\d{2}-\d{2})(?=[^\W\d_]|\s*$|\s+[-–—|]\s)")
TERMINAL = re.compile(r"[.!?:;,…]['\"”“»«’)\]]*$")
URL = re.compile(r"^(<)?[a-zA-Z][a-zA-Z0-9+.-]*:\S+(?(1)>)$")
WORD = re.compile(r"\S+")


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
    return len(WORD.findall(text))


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
    for entry in patterns:
        entry = entry if isinstance(entry, dict) else {"pattern": entry}
        match = re.fullmatch(entry["pattern"], text, re.I)
        if match:
            return {**entry, "match": match}
    return None


def parse_date(raw: str, language: str) -> tuple[str | None, str]:
    """A dateline -> (ISO date or None, warning). Day-month order for German and for any
    date whose first number cannot be a month; an English date like 04/05/2025 is ambiguous
    and stays unknown (never guessed)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        y, m, d = (int(x) for x in raw.split("-"))
    else:
        a, b, y = (int(x) for x in re.split(r"[./]", raw))
        if "." in raw or language == "de" or a > 12:
            d, m = a, b
        elif b > 12:
            m, d = a, b
        else:
            return None, f"dateline {raw} is ambiguous (day/month or month/day): date left unknown"
    try:
        value = date(y, m, d)
    except ValueError:
        return None, f"dateline {raw} is not a valid date: date left unknown"
    if not in_range(value):
        return None, f"dateline {raw}: {out_of_range(value.isoformat())}: date left unknown"
    return value.isoformat(), ""


# ---------------------------------------------------------------- the rules, in order

def rule_boilerplate(ctx: Context) -> None:
    """Single lines that are never article text (ad labels, 'read more', related links)."""
    lay = ctx.layout
    for unit in ctx.units:
        if unit.kind:
            continue
        hit = _match_any(lay.get("boilerplate", []) + lay.get("related", []), unit.text)
        if hit:
            unit.kind, unit.reason, unit.rule = "aside", hit["reason"], "boilerplate"


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
    """Split a date glued to the start of a line off the text ('18/09/2025Alibaba hat …')."""
    for unit in ctx.units:
        if unit.kind or unit.hint in ("heading", "item"):
            continue
        match = DATELINE.match(unit.text)
        if match:
            unit.dateline = match["date"]
            unit.text = unit.text[match.end():].lstrip(" -–—|")
            if not unit.text:
                unit.kind = "dateline"


def rule_ad_tail(ctx: Context) -> None:
    """From a line that opens an advertising tail to the end (or to a sources section)."""
    units = ctx.units
    start = len(units) // 2
    for i in range(start, len(units)):
        if units[i].kind:
            continue
        hit = _match_any(ctx.layout.get("ad_tail_start", []), units[i].text)
        if not hit:
            continue
        for unit in units[i:]:
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


def rule_title(ctx: Context) -> None:
    """The article's own headline: a Markdown h1 before any text, else the first headline-like
    line above the first paragraph (teasers are already set aside)."""
    for unit in ctx.units:
        if unit.kind in ("aside", "dateline", "merged"):
            continue
        if unit.hint == "heading" and unit.level == 1 and not unit.kind:
            unit.kind, unit.rule = "title", "title"
        elif not unit.kind and headline_like(unit, ctx.settings):
            unit.kind, unit.rule = "title", "title"
        return


def rule_lists(ctx: Context) -> None:
    """List items stay together, with the line ending in ':' that introduces them."""
    for i, unit in enumerate(ctx.units):
        if unit.kind or not (unit.marker or unit.hint == "item"):
            continue
        unit.kind, unit.rule = "item", "lists"
        prev = ctx.units[i - 1] if i else None
        if prev and not prev.kind and prev.text.endswith(":") and not prev.marker:
            prev.kind, prev.rule = "intro", "lists"


def rule_headings(ctx: Context) -> None:
    """A short line without closing punctuation, between paragraphs, is a heading. Level: a
    heading of at most `subheading_max_words` words is ### when a longer heading stands
    before it in the article, otherwise ##. Markdown headings keep their level (h1/h2 -> ##,
    h3 and below -> ###)."""
    units = ctx.units
    seen_long = False
    s = ctx.settings
    for i, unit in enumerate(units):
        if unit.hint == "heading" and not unit.kind:
            unit.kind, unit.rule = "heading", "headings"
            unit.level = 2 if unit.level <= 2 else 3
            continue
        if unit.kind or not headline_like(unit, s):
            continue
        nxt = next((u for u in units[i + 1:] if u.kind != "merged"), None)
        if nxt is None or nxt.kind in ("aside", "title") or (not nxt.kind and headline_like(nxt, s)):
            continue
        unit.kind, unit.rule = "heading", "headings"
        if words(unit.text) <= s["subheading_max_words"] and seen_long:
            unit.level = 3
        else:
            unit.level = 2
            seen_long = seen_long or words(unit.text) > s["subheading_max_words"]


RULES: list[tuple[str, Callable[[Context], None]]] = [
    ("boilerplate", rule_boilerplate),
    ("teasers", rule_teasers),
    ("datelines", rule_datelines),
    ("ad_tail", rule_ad_tail),
    ("sources", rule_sources),
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
    data = yaml.safe_load(LAYOUT_FILE.read_text(encoding="utf-8"))
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


def normalise(doc: RawDocument, settings: dict[str, Any]) -> Article:
    units = UNIT_READERS[doc.fmt](doc.text)
    meta = doc.meta
    page = doc.page  # an HTML page's own metadata; front matter and sidecar win over it
    sidecar_keys = set(meta.get("_sidecar_keys", []))
    warnings = list(doc.warnings)

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
        language, confidence = detect_language(doc.text, settings["default_language"])
        language_source = "detected"
        if confidence < 0.5:
            warnings.append(f"language unclear (confidence {confidence}): taken as '{language}'")

    layout = load_layout(settings.get("layout_extra", ""))
    lay = {**layout.get(language, {}), "teaser_reason": layout["teaser_reason"]}
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
            date_value, problem = parse_date(dateline, language)
            date_source = "dateline" if date_value else ""
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
