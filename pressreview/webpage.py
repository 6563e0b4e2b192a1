"""webpage: an HTML page -> the Markdown of its main text, its metadata, and the visible
text that is not article text.

The main text and the metadata come from trafilatura (pinned in requirements.lock); the
options below were chosen by measuring token F1 on the ScrapingHub *dev* pages (see
docs/reference/normalisation.md). What stays hand-written, and why:

- the translation of trafilatura's XML body into Markdown (`body_markdown`): trafilatura's
  own Markdown output does not escape Markdown punctuation, so a word like `*` or `1.` at a
  line start would change the structure or vanish; here every ASCII punctuation character is
  backslash-escaped, which CommonMark reads back as the character itself;
- the list of the page's visible text (`visible_lines`) and its comparison with the text
  trafilatura kept (`dropped_lines`): trafilatura has no API for "what was left out", and the
  promise that nothing is silently lost needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import Document
from trafilatura.utils import load_html

# Chosen by token F1 on the 138 ScrapingHub dev pages (benchmarks/bench_html.py and the note
# in docs/reference/normalisation.md): comments are not article text; tables are kept.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "favor_precision": True,
    "deduplicate": False,
}
# htmldate without a search through the free text (a date is never guessed), and a fixed upper
# bound instead of trafilatura's default "today", so that builds stay deterministic.
DATE_PARAMS: dict[str, Any] = {"original_date": True, "extensive_search": False, "max_date": "2100-12-31"}

# Elements whose content a reader never sees as text (alt and title attributes are not read
# either: they are shown only when an image fails or on hover).
INVISIBLE = {"script", "style", "template", "noscript", "head", "title", "meta", "link", "iframe",
             "object", "embed", "svg", "math", "canvas", "audio", "video", "frameset", "frame", "base"}
# Elements that start a new line of text.
BLOCK = {"address", "article", "aside", "blockquote", "br", "button", "caption", "dd", "details",
         "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
         "h3", "h4", "h5", "h6", "header", "hr", "label", "legend", "li", "main", "menu", "nav", "ol",
         "option", "p", "pre", "section", "select", "summary", "table", "tbody", "td", "textarea",
         "tfoot", "th", "thead", "tr", "ul", "body", "html", "center", "img", "input"}
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
# Characters of text compared to find out what trafilatura kept: at most this many are
# searched in all (a page with 50,000 words of navigation stays fast); past it, a line that is
# not found at once is listed as dropped (shown twice at worst, never lost).
SEARCH_BUDGET = 50_000_000


@dataclass
class Page:
    markdown: str  # the main text as escaped Markdown ('' if none)
    text: str  # the same text, plain, words separated by single spaces
    meta: dict[str, Any] = field(default_factory=dict)  # title, date, author, outlet, url, language
    dropped: dict[str, list[str]] = field(default_factory=dict)  # 'before' | 'inside' | 'after' -> lines
    visible_words: int = 0


def escape(text: str) -> str:
    """Text -> Markdown on one line that CommonMark reads back as exactly these words."""
    return _PUNCT.sub(r"\\\1", " ".join(text.split()))


def _text(el: etree._Element, skip_lists: bool = False) -> str:
    """All text of an element, words separated by single spaces (lb and cell breaks count)."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if not (skip_lists and child.tag == "list"):
            parts.append(" " + _text(child) + " ")
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _loose(text: str | None) -> str:
    return " ".join((text or "").split())


def _list_markdown(lst: etree._Element, out: list[str]) -> None:
    """List items as '- ' or '1. ' lines; nested lists follow their item; text between the
    items (trafilatura leaves some there) becomes an item too, so that nothing is lost."""
    ordered = lst.get("rend") == "ol"
    number = 1
    if _loose(lst.text):
        out.append(f"- {escape(_loose(lst.text))}")
    for item in lst:
        if item.tag != "item":
            text = _text(item)
            if text:
                out.append(f"- {escape(text)}")
        else:
            own = _text(item, skip_lists=True)
            if own:
                out.append(f"{number}. {escape(own)}" if ordered else f"- {escape(own)}")
                number += 1
            for sub in item:
                if sub.tag == "list":
                    _list_markdown(sub, out)
        if _loose(item.tail):
            out.append(f"- {escape(_loose(item.tail))}")


def body_markdown(body: etree._Element) -> str:
    """trafilatura's XML body (head, p, list/item, quote, table, code, ...) -> Markdown.
    Text that stands between the elements (a tail in XML) is a paragraph of its own."""
    blocks: list[str] = []
    if _loose(body.text):
        blocks.append(escape(_loose(body.text)))
    for el in body:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "head":
            text = _text(el)
            rend = el.get("rend", "")
            level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
            if text:
                blocks.append("#" * level + " " + escape(text))
        elif tag == "list":
            items: list[str] = []
            _list_markdown(el, items)
            if items:
                blocks.append("\n".join(items))
        elif tag == "quote":
            simple = len(el) and all(p.tag == "p" and not _loose(p.tail) for p in el) and not _loose(el.text)
            paras = [_text(p) for p in el] if simple else [_text(el)]
            paras = [p for p in paras if p]
            if paras:
                blocks.append("\n>\n".join("> " + escape(p) for p in paras))
        elif tag == "table":
            cells = [[_text(cell) for cell in row if cell.tag == "cell"] for row in el.iter("row")]
            rows = [" | ".join(c for c in row if c) for row in cells]
            rows = [r for r in rows if r]
            if " ".join(c for row in cells for c in row).split() != _text(el).split():
                rows = [_text(el)] if _text(el) else []  # text outside the cells, or nested tables
            blocks.extend(escape(r) for r in rows)
        elif tag:
            text = _text(el)
            if text:
                blocks.append(escape(text))
        if _loose(el.tail):
            blocks.append(escape(_loose(el.tail)))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(display\s*:\s*none|visibility\s*:\s*hidden)\b", re.I)


def _hidden(node: Any) -> bool:
    """An element that the page itself hides: the hidden attribute or an inline style."""
    return node.get("hidden") is not None or bool(_HIDDEN_STYLE.search(node.get("style") or ""))


def visible_lines(tree: etree._Element) -> list[str]:
    """The page's visible text as lines (a block element starts a new line), in document
    order; without script, style, template, noscript, head and other invisible elements, and
    without elements the page hides (`hidden`, an inline `display: none`)."""
    lines: list[str] = []
    current: list[str] = []

    def newline() -> None:
        if current:
            line = " ".join("".join(current).split())
            if line:
                lines.append(line)
            current.clear()

    stack: list[tuple[Any, bool]] = [(tree, False)]
    while stack:  # (no recursion: a deeply nested page cannot exhaust the stack)
        node, closing = stack.pop()
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if closing:
            if tag in BLOCK:
                newline()
            current.append(node.tail or "")
            continue
        if not tag or tag in INVISIBLE or _hidden(node):  # comments, processing instructions, scripts ...
            current.append(node.tail or "")
            continue
        if tag in BLOCK:
            newline()
        current.append(node.text or "")
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    newline()
    return lines


def dropped_lines(lines: list[str], kept_text: str, kept_blocks: set[str], title: str = "") -> dict[str, Any]:
    """The visible lines that are not in the kept text, by where they stood: 'before' the
    article's first kept line, 'after' the last one (lists of lines), and 'inside': groups
    (the kept line they follow, their lines) in page order. Short lines (fewer than 5 words)
    and the title found in the kept text count as kept but do not mark a place."""
    haystack = f" {kept_text} "
    budget = SEARCH_BUDGET
    kept: list[bool] = []
    anchors: list[int] = []
    for i, line in enumerate(lines):
        found = line in kept_blocks
        if not found and budget > 0:
            budget -= len(haystack)
            found = f" {line} " in haystack
        kept.append(found)
        if found and len(line.split()) >= 5 and line != title:
            anchors.append(i)
    if not anchors:
        anchors = [i for i, k in enumerate(kept) if k]
    first, last = (anchors[0], anchors[-1]) if anchors else (len(lines), len(lines))
    before = [line for i, line in enumerate(lines[:first]) if not kept[i]]
    after = [line for i, line in enumerate(lines[last + 1:], last + 1) if not kept[i]]
    inside: list[tuple[str, list[str]]] = []
    anchor_set = set(anchors)
    for i in range(first, last + 1):
        if i in anchor_set:
            inside.append((lines[i], []))
        elif not kept[i]:
            inside[-1][1].append(lines[i])
    groups: dict[str, Any] = {"before": before, "inside": [g for g in inside if g[1]], "after": after}
    return {k: v for k, v in groups.items() if v}


def _language(tree: HtmlElement) -> str:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    lang = lang.strip().lower()[:2]
    return lang if lang in ("de", "en") else ""


# Classes that mark the kicker (the line above or before a headline) inside an <h1>.
KICKER_CLASS = re.compile(r"(?i)kicker|dachzeile|overline|topline|roofline|eyebrow|spitzmarke")


def _words(el: Any) -> str:
    return " ".join(el.text_content().split())


def first_h1(tree: etree._Element, title: str = "") -> str:
    """The first non-empty <h1> as a reader sees the headline: a kicker that stands in its own
    element at the start of the <h1> ('<span class="kicker">Klimaschutz</span>: <span>Bohren,
    bis es heiß wird</span>') is not part of it. A first element is a kicker when its class
    says so, or when it has at most 4 words, the rest at least 3, and the page's metadata
    title (`title`) leaves it out ('Auftragshoch bei FACC : Luftfahrtbranche hebt …' with
    the title 'Luftfahrtbranche hebt …')."""
    for el in tree.iter("h1"):
        text = _words(el)
        if not text:
            continue
        parts = [c for c in el if isinstance(c.tag, str) and _words(c)]
        if parts and not (el.text or "").strip():
            first = _words(parts[0])
            rest = text[len(first):].lstrip(" :|–—-") if text.startswith(first) else ""
            if rest and (KICKER_CLASS.search(parts[0].get("class") or "")
                         or (len(first.split()) <= 4 and len(rest.split()) >= 3
                             and title and first.casefold() not in title.casefold())):
                return rest
        return text
    return ""


def page_title(title: str, h1: str, names: tuple[str, ...] = ()) -> str:
    """The headline a reader sees: the page's first <h1> (without its kicker) when it reads as
    a headline, at least 3 words and not the site's name (a logo); else the metadata title.
    Metadata titles are often a shorter headline written for search engines and social
    media ('Prison guards charged in connection with Jeffrey Epstein's death' over the printed
    'Two federal prison officers charged with falsifying records in connection with Jeffrey
    Epstein's suicide')."""
    keys = {re.sub(r"\W", "", n).casefold() for n in names if n} - {""}
    if h1 and len(h1.split()) >= 3 and re.sub(r"\W", "", h1).casefold() not in keys:
        return h1
    return title


def standfirst(lines: list[tuple[Any, str]], description: str) -> tuple[Any, str] | None:
    """Of the visible lines that trafilatura left out (each with where it stood), the
    standfirst: the line the page's own description (meta description) repeats, in full or
    cut short ('Saubere Sache: Filana - euer Top-Ansprechpartner für Reinig...'), or None.
    German news pages print the standfirst above the text in its own element, and trafilatura
    leaves it out on 9 of the 19 German dev pages."""
    desc = " ".join(description.split()).rstrip(".…").rstrip()
    if len(desc) < 40:
        return None
    for where, line in lines:
        if len(line) < 40:
            continue
        n = min(len(line), len(desc), 120)
        if line[:n] == desc[:n] or (len(line) >= 60 and line in desc):
            return where, line
    return None


def without_site(title: str, names: list[str]) -> str:
    """A title without a first or last part, set off by ' | ', ' - ', ' – ' or ' · ', that is
    the site's name or host ('INDUSTRIEMAGAZIN | Luftfahrtbranche hebt ab' with the host
    industriemagazin.at; 'Simple Hiking Survival Kit - The Anti-June Cleaver')."""
    keys = {re.sub(r"\W", "", n).casefold() for n in names if n}
    keys.discard("")
    parts = re.split(r"(\s+[|·–—-]\s+)", title)  # text, separator, text, ...
    if len(parts) < 3:
        return title
    if re.sub(r"\W", "", parts[-1]).casefold() in keys:
        return "".join(parts[:-2])
    if re.sub(r"\W", "", parts[0]).casefold() in keys:
        return "".join(parts[2:])
    return title


def outlet_name(sitename: str, title: str, url: str) -> str:
    """The site name as the outlet, without a title that came with it ('Achtsam durch die
    Krise | Die FURCHE' -> 'Die FURCHE'); an address instead of a name gives the canonical
    URL's host ('https://www.facebook.com/tagesspiegel' -> 'tagesspiegel.de')."""
    name = sitename
    if title and title in name and name != title:
        name = name.replace(title, "").strip(" |-–—:·»«")
    if re.match(r"(?i)(https?://|www\.)", name) or "/" in name:
        name = ""
    if not name and url:
        host = re.match(r"(?i)https?://(?:www\.)?([^/:?#]+)", url)
        name = host.group(1).lower() if host else ""
    return name


_MARKER = re.compile(r"^(#{1,6} |[-*] |\d+\\?[.)] |> )")
# How far down the main text a repeated headline is looked for (in blocks).
REPEAT_WINDOW = 8


def above_repeated_headline(markdown: str, title: str) -> tuple[str, list[str]]:
    """When the main text repeats the headline as a heading a few blocks down, what stands
    between the top and the repeat is page furniture that the extractor took in (a teaser of
    another story, a date and kicker block, as on macrumors.com and nnz-online.de): the text
    without it, and its lines (plain text, to be shown as page text above the article). The
    repeated heading itself is the title, which is shown."""
    if not title:
        return markdown, []
    blocks = markdown.split("\n\n")
    wanted = " ".join(title.split()).casefold()
    for k in range(2, min(len(blocks), REPEAT_WINDOW + 2)):
        block = blocks[k]
        if re.match(r"#{1,6} ", block) and "\n" not in block:
            plain = re.sub(r"\\(.)", r"\1", block.split(" ", 1)[1])
            if " ".join(plain.split()).casefold() == wanted:
                lines = [re.sub(r"\\(.)", r"\1", _MARKER.sub("", line))
                         for b in blocks[1:k] for line in b.split("\n") if line.strip()]
                return "\n\n".join(blocks[:1] + blocks[k + 1:]), lines
    return markdown, []


def read_page(html: str) -> Page:
    """A decoded HTML page -> its main text as Markdown, metadata and the dropped lines."""
    tree = load_html(html)
    if tree is None:
        return Page("", "", {}, {}, 0)
    lines = visible_lines(tree)
    visible_words = sum(len(line.split()) for line in lines)
    doc = trafilatura.bare_extraction(tree, with_metadata=True, output_format="python",
                                      date_extraction_params=DATE_PARAMS, **TRAFILATURA_OPTIONS)
    body = getattr(doc, "body", None)
    if not isinstance(doc, Document) or body is None:
        return Page("", "", {"language": _language(tree)}, {"before": lines} if lines else {}, visible_words)
    title = " ".join((doc.title or "").split())
    url = (doc.url or "").strip()
    host = re.match(r"(?i)https?://(?:www\.)?([^/:?#.]+)", url)
    title = without_site(title, [doc.sitename or "", host.group(1) if host else ""])
    outlet = outlet_name(" ".join((doc.sitename or "").split()), title, url)
    meta = {
        "title": page_title(title, first_h1(tree, title), (doc.sitename or "", outlet, host.group(1) if host else "")),
        "date": doc.date or "",  # (doc.filedate is today's date: never used)
        "author": " ".join((doc.author or "").split()),
        "outlet": outlet,
        "url": url,
        "language": _language(tree),
    }
    markdown = body_markdown(body)
    kept_blocks = {_text(el) for el in body.iter() if isinstance(el.tag, str)}
    text = " ".join(_text(body).split())
    first_line, kicker = markdown.split("\n", 1)[0], ""
    if meta["title"] and first_line.startswith("# ") and first_line != f"# {escape(meta['title'])}":
        # the <h1> with a kicker before the headline: the headline is the title, the kicker is
        # page text above the article ('Auftragshoch bei FACC : Luftfahrtbranche hebt ab …')
        shown = re.sub(r"\\(.)", r"\1", first_line[2:])
        if shown.endswith(meta["title"]) and shown != meta["title"]:
            kicker = shown[: -len(meta["title"])].rstrip(" :|–—-")
            markdown = f"# {escape(meta['title'])}" + markdown[len(first_line):]
    if meta["title"] and not re.match(r"# ", markdown):
        markdown = f"# {escape(meta['title'])}\n\n{markdown}"
    markdown, above = above_repeated_headline(markdown, meta["title"])
    kept_text = f"{meta['title']} {text}" if meta["title"] else text
    kept_blocks.add(meta["title"])
    dropped = dropped_lines(lines, kept_text, kept_blocks)
    if kicker or above:
        dropped["before"] = [kicker] * bool(kicker) + dropped.get("before", []) + above
    candidates = [(dropped.get("before"), line) for line in dropped.get("before", [])]
    candidates += [(group[1], line) for group in dropped.get("inside", []) for line in group[1]]
    found = standfirst(candidates, doc.description or "")
    if found:  # the standfirst is article text: the first paragraph, below the title
        group, line = found
        group.remove(line)
        dropped = {k: v for k, v in dropped.items() if k != "inside" or v}
        dropped["inside"] = [g for g in dropped.get("inside", []) if g[1]]
        dropped = {k: v for k, v in dropped.items() if v}
        head, _, rest = markdown.partition("\n\n") if markdown.startswith("# ") else ("", "", markdown)
        markdown = f"{head}\n\n{escape(line)}\n\n{rest}" if head else f"{escape(line)}\n\n{rest}"
        text = f"{line} {text}"
    return Page(markdown, text, meta, dropped, visible_words)
