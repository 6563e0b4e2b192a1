"""render: articles -> Markdown pages via Jinja templates; escaping happens here, in one place.

Article text is data, never a template: it only ever reaches a template as a value, and every
value printed with {{ … }} is escaped for Markdown *and* HTML by `finalize` unless it is
`Markup` made by the functions below (which escape their own inputs). Templates use
StrictUndefined, so a typo in a template is an error, not an empty string.

Text that goes into an HTML attribute (a mark's explanation, a class, an aria-label) goes
through `attr` instead, in code and as the `attr` filter in templates: plain text with every
Markdown- or HTML-special character as a numeric character reference. Explanations are never
put into `title` (Material's content.tooltips would read it as HTML) but into data-pr-tip,
which docs/javascripts/pressreview.js shows with textContent.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
import traceback
from collections import Counter
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote, urlsplit

import yaml
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from babel.numbers import format_compact_decimal, format_decimal
from markupsafe import Markup
from slugify import slugify

from .analyse import summary
from .findings import findings
from .measured import ANCHOR, load_measured, unmarked_note
from .output import Outputs
from .sources import ascii_url, parse_source_entry
from .model import Article, Block, Comparison, Cue, Rejected, Sentence, Source, Statement

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
GENERATED = ("index.md", "articles", "data", "rules", "sources", "compare")  # what render owns inside docs/

# Characters that Python-Markdown (with the extensions in mkdocs.yml) reads as markup
# anywhere in a line, escaped with a backslash; '<', '>' and '&' become entities (one pass).
_ESCAPES = str.maketrans({**{c: "\\" + c for c in "\\`*_[]{}|#"}, "&": "&amp;", "<": "&lt;", ">": "&gt;"})
_SPACES = re.compile(r"\s+")
# Line starts that open a block: lists, rules, admonitions, details, fences.
_ORDERED = re.compile(r"^(\d+)([.)])(?=\s|$)")
_RULE = re.compile(r"^[-+](?=\s|$)|^-+$")
SLUG_REPLACEMENTS = [["ä", "ae"], ["ö", "oe"], ["ü", "ue"], ["ß", "ss"],
                     ["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"], ["&", " und "]]


def md_escape(text: Any, line_start: bool = True) -> Markup:
    """Text -> Markdown that renders exactly as the text, on one line, with no live markup.
    With line_start=False (a piece inside a line) spaces at the edges are kept."""
    text = " ".join(str(text).split()) if line_start else _SPACES.sub(" ", str(text))
    text = text.translate(_ESCAPES)
    if not line_start:
        return Markup(text)
    text = _ORDERED.sub(r"\1\\\2", text)
    if _RULE.match(text):
        text = "\\" + text
    elif text.startswith(("!!!", "???", "~~~", ":::", "///", "%%", "=")):
        text = f"&#{ord(text[0])};" + text[1:]
    return Markup(text)


def md_escape_nbsp(text: str) -> Markup:
    """md_escape, keeping no-break spaces (md_escape folds every space, and "28 %" should not
    break before its % sign)."""
    first, *rest = text.split("\u00a0")
    return Markup("&nbsp;").join([md_escape(first), *(md_escape(part, line_start=False) for part in rest)])


def attr(text: Any) -> Markup:
    """Plain text -> the value of an HTML attribute in a Markdown page (or in print HTML): one
    line, and every ASCII character other than a letter, digit, space, '.', ',' or '-' as a
    numeric character reference. Neither the HTML parser (quotes, '<', '&') nor Python-Markdown
    or an extension (links, emphasis, attr_list, entities, keys, critic) finds anything to read
    in it, and the browser gives back the text exactly. The ONE way our text reaches an
    attribute or a tooltip (shown with textContent, never as HTML)."""
    return Markup(" ".join(str(text).split()).translate(_ATTR))


# attr's table: every ASCII character but a letter, digit, space, '.', ',' or '-' as a reference
_ATTR = {n: f"&#{n};" for n in range(128) if not (chr(n).isalnum() or chr(n) in " .,-")}


def in_language(text: Any, language: str) -> Markup:
    """Words quoted from an article (a title, a sentence, a figure) outside the article's own
    text, escaped like md_escape and marked with the article's language: screen readers and
    hyphenation read them in it, and the page's interface language stays its own. The `lang`
    filter in templates: {{ a.title | lang(a.language) }}."""
    return Markup(f'<span lang="{attr(language)}">{md_escape(text)}</span>') if language else md_escape(text)


def safe_url(url: str) -> str | None:
    """An http(s) URL made safe for a Markdown link target, or None for any other URL."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    try:  # an international host as punycode: the link goes where its ASCII name says
        url = ascii_url(url)
    except ValueError:
        return None
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._")


def link(url: str, text: str | None = None, language: str = "") -> Markup:
    """A Markdown link for http(s) URLs; any other URL is shown as inert text. With a
    `language`, the text is quoted from an article in that language (in_language)."""
    target = safe_url(url)
    label = in_language(text, language) if text is not None else md_escape(url)
    if target is None:
        return label
    return Markup(f"[{label}]({target})")


def yaml_front_matter(data: dict[str, Any]) -> Markup:
    return Markup(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000).strip())


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return md_escape(value)


def environment(project_templates: Path | None = None) -> Environment:
    """Project templates (same file names) override the built-in ones."""
    loaders = []
    if project_templates and project_templates.resolve() != BUILTIN_TEMPLATES and project_templates.is_dir():
        loaders.append(FileSystemLoader(str(project_templates)))
    loaders.append(FileSystemLoader(str(BUILTIN_TEMPLATES)))
    # Sandboxed: a project template is code, but it never reaches Python internals
    # (`cycler.__init__.__globals__`, `__class__.__mro__`): that is a SecurityError.
    env = SandboxedEnvironment(loader=ChoiceLoader(loaders), undefined=StrictUndefined, autoescape=True,
                      finalize=_finalize, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["link"] = link
    env.filters["md"] = md_escape
    env.filters["attr"] = attr
    env.filters["lang"] = in_language
    env.filters["percent"] = percent
    return env


def template_of(exc: BaseException) -> str:
    """The template file an error was raised in (Jinja puts template lines into tracebacks)."""
    names = [frame.filename for frame in traceback.extract_tb(exc.__traceback__) if frame.filename.endswith(".j2")]
    return names[-1] if names else "(unknown)"


def load_strings(env: Environment, language: str) -> dict[str, str]:
    source = env.loader.get_source(env, "strings.yml")[0]  # type: ignore[union-attr]
    strings = yaml.safe_load(source)
    # interface_language: which of a rule's messages (Cue.messages) the pages show
    return {**strings["en"], **strings.get(language, {}), "interface_language": language}


# ---------------------------------------------------------------- slugs and ids

class Slugs:
    """The slugs handed out so far, and per base the last suffix tried: n equal titles take n
    steps, not n² (the first free suffix of a base never goes down, as slugs are only added)."""

    def __init__(self, *reserved: str) -> None:
        self.taken = set(reserved)
        self.last: dict[str, int] = {}


def make_slug(title: str, slugs: Slugs) -> str:
    # text-unidecode is what backend 'auto' uses here (unidecode is not installed), named so
    # that slugify does not look for unidecode again on every call (1 ms each)
    base = slugify(title, replacements=SLUG_REPLACEMENTS, max_length=60, word_boundary=True, save_order=True,
                   backend="text-unidecode") or "article"
    slug, n = base, slugs.last.get(base, 1)
    if n > 1:
        slug = f"{base}-{n}"
    while slug in slugs.taken:
        n += 1
        slug = f"{base}-{n}"
    slugs.taken.add(slug)
    slugs.last[base] = n
    return slug


# ---------------------------------------------------------------- Markdown of one article

def word_count(article: Article) -> int:
    """Words of the article itself: headings, paragraphs and lists (not sources, not asides)."""
    total = 0
    for block in article.blocks:
        if block.kind in ("heading", "paragraph", "list", "title"):
            total += len(block.text.split()) + sum(len(t.split()) for _, t in block.items)
    return total


def _plain(text: str, key: tuple[int, int]) -> Markup:
    return md_escape(text)


def block_markdown(block: Block, strings: dict[str, str], text_of=_plain, index: int = 0,
                   first: bool = False, sources_table=None, aside_max_lines: int = 0) -> str:
    """One block as Markdown. `text_of(text, (block index, item index))` turns a piece of
    article text into Markdown: the default only escapes, the site's also marks claims."""
    key = (index, -1)
    if block.kind == "heading":
        return f"{'#' * block.level} {text_of(block.text, key)}"
    if block.kind == "title":
        # The page's H1 shows the title. Only when something stood above the headline in the
        # input (teasers) is it repeated where it stood, so that the page keeps the order.
        return "" if first else f"{md_escape(block.text)}\n{{: .pr-headline }}"
    if block.kind == "paragraph":
        return _break_long(str(text_of(block.text, key)))
    if block.kind == "dateline":
        return f"{md_escape(block.text)}\n{{: .pr-dateline }}"
    if block.kind == "list":
        items = "\n".join(f"{_marker(m)} {text_of(t, (index, j))}" for j, (m, t) in enumerate(block.items))
        return f"{text_of(block.text, key)}\n\n{items}" if block.text else items
    if block.kind == "sources" and sources_table is not None:
        sources = [src for _, entry in block.items for src in parse_source_entry(entry)]
        return f"## {md_escape(block.text or strings['sources'])}\n\n{sources_table(sources)}"
    if block.kind == "sources":
        items = "\n".join(f"{_marker(m)} {link(t) if safe_url(t) else md_escape(t)}" for m, t in block.items)
        return f"## {md_escape(block.text or strings['sources'])}\n\n{items}"
    if block.kind == "aside":
        count = len(block.items)
        shown = block.items[:aside_max_lines] if 0 < aside_max_lines < count else block.items
        lines = "\n".join(f"    - {md_escape(t)}" for _, t in shown)
        if len(shown) < count:  # (the PDF: the rest is on the article's page of the site)
            lines += f"\n\n    *{md_escape(strings['aside_more'].format(n=count - len(shown)))}*"
        title = strings["aside_title"].format(n=count, lines=strings["line" if count == 1 else "lines"])
        return (f'??? pr-aside "{md_escape(title)}"\n\n    *{md_escape(strings["reason"])}:* {md_escape(block.reason)}'
                f' ({strings["rule"]}: `{block.rule}`)\n\n{lines}')
    raise ValueError(f"unknown block kind {block.kind!r}")


# Python-Markdown's inline pass costs the square of a paragraph's length (at every match it
# formats the rest of the paragraph anew: one 2 MB line took MkDocs 28 s), so a paragraph
# longer than this many characters of Markdown is broken into paragraphs between sentences.
PARAGRAPH_CHARS = 20_000
_BETWEEN_SENTENCES = re.compile(r'(?<=</span>)\s+(?=<span class="pr-s[ "])')


def _break_long(markdown: str) -> str:
    if len(markdown) <= PARAGRAPH_CHARS:
        return markdown
    parts, start = [], 0
    for m in _BETWEEN_SENTENCES.finditer(markdown):
        if m.start() - start >= PARAGRAPH_CHARS:
            parts.append(markdown[start:m.start()])
            start = m.end()
    return "\n\n".join(parts + [markdown[start:]])


def _marker(marker: str) -> str:
    """Numbered items keep their number as written ('3.', '4)'): a Markdown ordered list would
    renumber them from its first number, so they become bullet items that start with it."""
    return f"- {md_escape(marker)}" if marker[:1].isdigit() else "-"


def body_markdown(article: Article, strings: dict[str, str], text_of=_plain,
                  asides: bool = True, sources_table=None, aside_max_lines: int = 0) -> str:
    """The article's blocks as Markdown; `aside_max_lines` (> 0) shortens a longer aside to
    that many lines and says how many more there are (the PDF; the site shows them all)."""
    shown = [(i, b) for i, b in enumerate(article.blocks) if asides or b.kind != "aside"]
    parts = [block_markdown(b, strings, text_of, i, first=n == 0, sources_table=sources_table,
                            aside_max_lines=aside_max_lines)
             for n, (i, b) in enumerate(shown)]
    return "\n\n".join(p for p in parts if p) + "\n"


# The symbol of each category's badge, as pressreview.css and print.css draw it.
BADGES = {"speculative": "?", "promotional": "!"}


class Marker:
    """Article text -> Markdown with every sentence anchored (id s1, s2, …) and the claims
    marked: a marked sentence carries its categories, each cue its rule and message (shown on
    hover, keyboard focus and in print). Only escaped text goes between our own tags."""

    def __init__(self, article: Article, strings: dict[str, str]):
        self.strings = strings
        self.language = strings.get("interface_language", "")
        self.labelled: set[str] = set()  # the categories a badge has named so far
        self.by_piece: dict[tuple[int, int], list[Sentence]] = {}
        for sentence in article.sentences:
            self.by_piece.setdefault((sentence.block, sentence.item), []).append(sentence)

    def __call__(self, text: str, key: tuple[int, int]) -> Markup:
        sentences = self.by_piece.get(key)
        if not sentences:
            return md_escape(text)
        ends = [0] + [s.end for s in sentences[:-1]]
        if any(s.start < end or text[s.start:s.end] != s.text for s, end in zip(sentences, ends)):
            return Markup(" ".join(self.sentence(s) for s in sentences))  # no offsets into this text
        # The text between sentences stays as it was (escaped, whitespace as md_escape has it):
        # joining with " " made '<!--' into '<! --'.
        lead = text[:sentences[0].start].lstrip()
        parts = [md_escape(lead) + (" " if lead[-1:].isspace() else "") if lead else ""]
        for s, end in zip(sentences, ends):
            if s is not sentences[0]:
                parts.append(md_escape(text[end:s.start], line_start=False))
            parts.append(self.sentence(s))
        parts.append(md_escape(text[sentences[-1].end:].rstrip(), line_start=False))
        return Markup("".join(parts))

    def sentence(self, s: Sentence) -> str:
        classes = " ".join(["pr-s"] + [f"pr-s--{label}" for label in s.labels])
        parts: list[str] = []
        pos = 0
        for cue in s.cues:
            if cue.start < pos:  # overlapping cues: the first one shows
                continue
            parts.append(md_escape(s.text[pos:cue.start], line_start=False))
            parts.append(self.cue(cue, s.text[cue.start:cue.end]))
            pos = cue.end
        parts.append(md_escape(s.text[pos:], line_start=False))
        # why it was (un)marked by hand: our tooltip (docs/javascripts/pressreview.js), plain text
        note = f' tabindex="0" data-pr-tip="{attr(s.note)}"' if s.note else ""
        # the first badge of a category on the page also names it ("? speculative"), the
        # others only show its symbol (the stylesheets draw data-pr-badge, else the symbol)
        if set(s.labels) - self.labelled:
            self.labelled.update(s.labels)
            words = " ".join(f"{BADGES.get(label, '')} {self.strings.get(label, label)}" for label in s.labels)
            note += f' data-pr-badge="{attr(words)}"'
        return f'<span class="{attr(classes)}" id="{attr(s.id)}"{note}>{"".join(parts)}</span>'

    def cue(self, cue: Cue, text: str) -> str:
        label = self.strings.get(cue.category, cue.category)
        tip = attr(f"{label}: {cue.message_in(self.language)} [{cue.rule}]")
        return (f'<mark class="pr-cue pr-cue--{attr(cue.category)}" tabindex="0" data-pr-tip="{tip}" '
                f'data-rule="{attr(cue.rule)}"><span class="pr-cue__w">'
                f'{md_escape(text, line_start=False)}</span></mark>')


def page_meta(article: Article) -> dict[str, Any]:
    # MkDocs and Material print a page's title into the HTML (nav, <title>) without escaping
    # it, so the title in front matter is HTML-escaped here.
    return {
        "title": html.escape(article.title, quote=False),
        "date": article.date,
        "language": article.language,
        "words": word_count(article),
        "source_file": article.source_path,
        "sha256": article.sha256,
    }


def normalised_markdown(article: Article, strings: dict[str, str]) -> str:
    """The clean normalised article: front matter, title, body (asides where they stood)."""
    return f"---\n{yaml_front_matter(page_meta(article))}\n---\n\n# {md_escape(article.title)}\n\n{body_markdown(article, strings)}"


# ---------------------------------------------------------------- the analysis document

def source_record(src: Source) -> dict[str, Any]:
    return {"url": src.url, "text": src.text, "domain": src.domain, "publisher": src.publisher,
            "linkable": src.linkable, "origin": src.origin, "date_hint": src.date_hint,
            "title_hint": src.title_hint, "archive_url": src.archive_url,
            **({"domain_ascii": src.domain_ascii} if src.domain_ascii else {})}


def analysis_document(articles: list[Article], rejected: list[Rejected], strings: dict[str, str],
                      comparisons: list[Comparison] | None = None) -> dict[str, Any]:
    return {
        "schema": 1,
        "articles": [
            {
                "id": a.id,
                "source_path": a.source_path,
                "sha256": a.sha256,
                "title": a.title,
                "title_source": a.title_source,
                "language": a.language,
                "language_source": a.language_source,
                "date": a.date,
                "date_source": a.date_source,
                "author": a.author,
                "outlet": a.outlet,
                "canonical_url": a.canonical_url,
                "encoding": a.encoding,
                "word_count": word_count(a),
                "headings": [{"text": b.text, "level": b.level} for b in a.headings],
                "removed": [{"text": t, "reason": b.reason, "rule": b.rule} for b in a.removed for _, t in b.items],
                "body_markdown": body_markdown(a, strings, asides=False),
                "warnings": list(a.warnings),
                "summary": summary(a),
                "sentences": [
                    {"id": s.id, "text": s.text, "labels": list(s.labels),
                     "cues": [{"text": c.text, "start": c.start, "end": c.end, "rule": c.rule,
                               "category": c.category, "kind": c.kind,
                               "message": c.message_in(strings.get("interface_language", ""))} for c in s.cues],
                     **({"note": s.note} if s.note else {})}
                    for s in a.sentences
                ],
                "sources": [source_record(src) for src in a.sources],
                "quantities": [{"text": q.text, "value": q.value, "unit": q.unit, "qualifier": q.qualifier,
                                "kind": q.kind, "value_to": q.value_to, "sentence_id": q.sentence_id}
                               for q in a.quantities],
            }
            for a in articles
        ],
        "rejected": [{"source_path": r.source_path, "reason": r.reason} for r in rejected],
        "comparisons": [
            {"id": c.id, "subject": c.subject, "status": c.status, "origin": c.origin, "terms": list(c.terms),
             "headline": c.headline, "difference": c.difference, "entities": list(c.entities), "kind": c.kind,
             "unit": c.unit,
             "statements": [{"article": st.article, "sentence_id": st.sentence_id, "text": st.text,
                             "quantity": st.quantity, "value": st.value, "unit": st.unit,
                             "qualifier": st.qualifier, "value_to": st.value_to, "kind": st.kind,
                             "clause": st.clause, "mention": st.mention} for st in c.statements]}
            for c in comparisons or []
        ],
    }


def analysis_json(data: dict[str, Any]) -> str:
    """The text of analysis.json (the changes page records its hash: see pipeline.write_docs):
    json.dumps(data, ensure_ascii=False, indent=1), made by _indented (json's C encoder does not
    indent, its Python one takes three times as long); anything else json.dumps gets."""
    out: list[str] = []
    try:
        _indented(data, 0, out)
    except TypeError:  # a key that is no text, a value JSON has no type for: json.dumps decides
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    out.append("\n")
    return "".join(out)


_JSON_STRING = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False


def _json_scalar(value: Any) -> str | None:
    """A value as json.dumps writes it, or None for a list, tuple or dict."""
    if isinstance(value, str):
        return _JSON_STRING(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (math.inf, -math.inf):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    if isinstance(value, (list, tuple, dict)):
        return None
    raise TypeError(type(value).__name__)


def _indented(value: Any, level: int, out: list[str]) -> None:
    """`value` as json.dumps(indent=1) writes it at this depth, appended to `out`."""
    text = _json_scalar(value)
    if text is not None:
        out.append(text)
        return
    close = "}" if isinstance(value, dict) else "]"
    if not value:
        out.append("{}" if close == "}" else "[]")
        return
    newline = "\n" + " " * (level + 1)
    out.append("{" if close == "}" else "[")
    separator = newline
    for item in value.items() if close == "}" else value:
        out.append(separator)
        separator = "," + newline
        if close == "}":
            key, item = item
            if not isinstance(key, str):
                raise TypeError("key")
            out.append(_JSON_STRING(key))
            out.append(": ")
        kind = type(item)
        if kind is str:  # (the most common values first, without a call)
            out.append(_JSON_STRING(item))
        elif kind is int:
            out.append(int.__repr__(item))
        elif kind is dict or kind is list:
            _indented(item, level + 1, out)
        else:
            text = _json_scalar(item)
            if text is None:
                _indented(item, level + 1, out)
            else:
                out.append(text)
    out.append("\n" + " " * level + close)


def write_json(data: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(analysis_json(data), encoding="utf-8")


# ---------------------------------------------------------------- pages

def _excerpt(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def percent(share: float) -> str:
    return f"{round(share * 100)} %"


def number(value: float, language: str) -> str:
    """A value as a reader of the interface language writes it (1,2 Mrd. / 1.2B)."""
    if abs(value) >= 1e6:
        return format_compact_decimal(value, locale=language, format_type="short", fraction_digits=2)
    return format_decimal(round(value, 2), locale=language)


# A formula character at the start of a cell, also of a cell that a spreadsheet splitting at
# ',' ';' or tab (German Excel splits at ';') would make from a piece of a field.
_FORMULA_START = re.compile(r'^["\s]*[=+\-@]|^[\t\r]')
_FORMULA_INNER = re.compile(r'([,;\t\r\n]["\s]*)(?=[=+\-@])')


def csv_guard(value: Any) -> Any:
    """A text cell that no spreadsheet runs as a formula: ' before a formula character at the
    start and after any separator inside."""
    if not isinstance(value, str):
        return value
    value = _FORMULA_INNER.sub(r"\1'", value)
    return "'" + value if _FORMULA_START.match(value) else value


def csv_text(rows: list[list[Any]]) -> str:
    """CSV for spreadsheets: every field quoted, no formula a spreadsheet would run (csv_guard)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([csv_guard(v) for v in row])
    return out.getvalue()


def figures(article: Article) -> list[dict[str, Any]]:
    """The article's own figures (the kinds compare.yml compares), each with the clause it
    stands in: one-source numbers are no topics, the article page lists them."""
    from .compare import clause, config

    kinds = set(config()["kinds"])
    text = {s.id: s.text for s in article.sentences}
    return [{"quantity": q, "clause": clause(text[q.sentence_id], q.start, q.end).strip()}
            for q in article.quantities if q.kind in kinds and q.sentence_id in text]


def topic_rows(c: Comparison, by_id: dict[str, Article]) -> list[dict[str, Any]]:
    """One row per article of a topic: its first statement, how it stands to the headline
    value (agree / compatible / differ), and its further mentions."""
    from .compare import judge

    # the headline among the articles' first statements (as compare.judge chose it): an article's
    # later mention with the headline value must not become the headline, or that article's own
    # first statement would be judged against its own mention ("single", no row status)
    firsts: dict[str, Statement] = {}
    for s in c.statements:
        firsts.setdefault(s.article, s)
    headline = next((s for s in firsts.values() if s.quantity == c.headline), c.statements[0])
    rows: dict[str, dict[str, Any]] = {}
    for s in c.statements:
        if s.article in rows:
            rows[s.article]["mentions"].append(s)
            continue
        art = by_id[s.article]
        status = "agree" if s is headline else judge([headline, s], "en")[0]
        rows[s.article] = {"article": art, "outlet": art.outlet or art.title, "statement": s,
                           "status": status, "mentions": []}
    return list(rows.values())


def quoted_parts(text: str, quotes: dict[str, str]) -> list[tuple[str, str]]:
    """Interface words with values quoted from articles ("9 Prozent vs 11,3 Prozent: 2,3 points
    apart") as (text, language) parts: each quoted piece (a key of `quotes`, longest first) with
    its article's language (the value of `quotes`), the interface's words between with ""."""
    pieces = sorted((q for q, language in quotes.items() if q and language), key=lambda q: (-len(q), q))
    if not pieces:
        return [(text, "")] if text else []
    out: list[tuple[str, str]] = []
    pos = 0
    for m in re.finditer("|".join(re.escape(q) for q in pieces), text):
        if m.start() > pos:
            out.append((text[pos:m.start()], ""))
        out.append((m.group(), quotes[m.group()]))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], ""))
    return out


def parts_markdown(parts: Iterable[tuple[str, str]]) -> Markup:
    """(text, language) parts as Markdown: escaped, each quoted part in_language of its article.
    (The PDF's HTML template writes the same parts with its own escaping.)"""
    out: list[str] = []
    for text, language in parts:
        out.append(in_language(text, language) if language else md_escape(text, line_start=not out))
    return Markup("".join(out))


def with_quotes(text: str, quotes: dict[str, str]) -> Markup:
    """Interface words with values quoted from articles, as Markdown (quoted_parts)."""
    return parts_markdown(quoted_parts(text, quotes))


def subject_parts(c: Comparison, by_id: dict[str, Article]) -> list[tuple[str, str]]:
    """A topic's subject as (text, language) parts: a phrase quoted from an article ("Aktie von
    Voltaris": the first statement whose sentence holds it; else a concept word of the
    interface's own) and the headline value that tells two facts of one subject apart
    ("…: 48,20 Euro", from the headline statement's article)."""
    def language(text: str, statements: Iterable[Any]) -> str:
        return next((by_id[s.article].language for s in statements if s.article in by_id and text in s.text), "")

    phrase = c.subject.removesuffix(f": {c.headline}")
    out = [(phrase, language(phrase, c.statements))]
    if phrase != c.subject:
        out += [(": ", ""), (c.headline, language(c.headline, [s for s in c.statements if s.quantity == c.headline]))]
    return out


def subject_markdown(c: Comparison, by_id: dict[str, Article]) -> Markup:
    """A topic's subject as Markdown, its quoted parts marked with their articles' language."""
    return parts_markdown(subject_parts(c, by_id))


def quotes_of(c: Comparison, by_id: dict[str, Article]) -> dict[str, str]:
    """Each value a topic's statements quote -> the language of the (first) article giving it."""
    quotes: dict[str, str] = {}
    for s in c.statements:
        if s.article in by_id:
            quotes.setdefault(s.quantity, by_id[s.article].language)
    return quotes


def quoted_values(c: Comparison, by_id: dict[str, Article]) -> dict[str, Markup]:
    """A topic's difference and headline value, the articles' values in their languages."""
    quotes = quotes_of(c, by_id)
    return {"difference": with_quotes(c.difference, quotes), "headline": with_quotes(c.headline, quotes)}


def render_site(articles: list[Article], rejected: list[Rejected], docs: Path,
                env: Environment, language: str, intro: str = "",
                rule_packs: list[dict[str, Any]] | None = None,
                comparisons: list[Comparison] | None = None, max_columns: int = 50,
                outputs: Outputs | None = None, page_size: int = 100) -> list[Path]:
    """Write the generated pages into docs/ (only into the folders render owns), each one only
    when its bytes change. Tables with one column per article are made only up to
    `max_columns` articles. With `outputs`, the caller commits them (and so removes what this
    build did not make again); without, that happens here."""
    strings = load_strings(env, language)
    out = outputs if outputs is not None else Outputs(docs)
    written: list[Path] = []

    def write(rel: str, text: str) -> None:
        written.append(out.write(rel, text))

    comparisons = comparisons or []
    by_id = {a.id: a for a in articles}
    subjects = {c.id: subject_markdown(c, by_id) for c in comparisons}
    env.globals["number"] = lambda v: number(v, language)
    sources_tpl = env.get_template("source_table.md.j2")

    def sources_table(sources: list[Source], language: str = "") -> Markup:
        """`language`: the citing article's, which its sources' texts are quoted in."""
        return Markup(sources_tpl.render(sources=sources, t=strings, language=language).strip())

    topics: dict[str, list[Comparison]] = {}  # per article, in the order of the comparisons
    for c in comparisons:
        for art_id in c.articles:
            topics.setdefault(art_id, []).append(c)
    article_tpl = env.get_template("article.md.j2")
    measured = load_measured()
    counts = [word_count(a) for a in articles]  # each read by several pages
    figures_of = [figures(a) for a in articles]
    for n, article in enumerate(articles):
        marked = [{"sentence": s, "excerpt": _excerpt(s.text)} for s in article.sentences if s.labels]
        has_section = any(b.kind == "sources" for b in article.blocks)
        in_text = [src for src in article.sources if src.origin != "section"]
        write(f"articles/{article.id}.md", article_tpl.render(
            article=article, meta=yaml_front_matter(page_meta(article)), words=counts[n],
            body=Markup(body_markdown(article, strings, Marker(article, strings),
                                      sources_table=lambda found: sources_table(found, article.language))),
            t=strings, summary=summary(article), marked=marked, has_sources=bool(article.sources),
            sources_in_text=sources_table(in_text, article.language) if in_text else "", has_section=has_section,
            topics=topics.get(article.id, []), subjects=subjects, figures=figures_of[n],
            unmarked=md_escape_nbsp(unmarked_note(strings, measured, article.language)),
            measured_how=strings.get("measured_how", ""), measured_anchor=ANCHOR))
    write("sources/index.md", env.get_template("sources.md.j2").render(
        t=strings, **sources_overview(articles, max_columns)))
    write("compare/index.md", env.get_template("compare.md.j2").render(
        t=strings, comparisons=comparisons, articles=articles, max_columns=max_columns,
        number_of={a.id: n for n, a in enumerate(articles, 1)}, language_of={a.id: a.language for a in articles},
        subjects=subjects,
        tone=[{"article": a, "summary": summary(a)} for a in articles]))
    topic_tpl = env.get_template("compare_topic.md.j2")
    for c in comparisons:
        write(f"compare/{c.id}.md", topic_tpl.render(t=strings, c=c, rows=topic_rows(c, by_id),
                                                     meta=yaml_front_matter({"title": html.escape(c.subject, quote=False)}),
                                                     subject=subjects[c.id], **quoted_values(c, by_id)))
    rows = [{"article": a, "words": words, "summary": summary(a)} for a, words in zip(articles, counts)]
    write("rules/index.md", env.get_template("rules.md.j2").render(packs=rule_packs, t=strings, lang=language))
    months = article_pages(rows, page_size, strings)
    page_tpl = env.get_template("articles_page.md.j2")
    for month in months:
        for page in month["pages"]:
            write(f"articles/{page['rel']}", page_tpl.render(
                t=strings, rows=page["rows"], title=page["title"], previous=page["previous"], next=page["next"],
                meta=yaml_front_matter({"title": html.escape(page["title"], quote=False), "search": {"exclude": True}})))
    write("articles/index.md", env.get_template("articles.md.j2").render(
        rows=rows, t=strings, months=months, page_size=page_size))
    write("index.md", env.get_template("index.md.j2").render(
        findings=findings(articles, comparisons, {a.id: words for a, words in zip(articles, counts)}),
        subjects=subjects,
        differences={c.id: quoted_values(c, by_id)["difference"] for c in comparisons},
        rejected=rejected, intro=Markup(intro), t=strings))
    write("data/analysis.json", analysis_json(analysis_document(articles, rejected, strings, comparisons)))
    write("data/sources.csv", csv_text(
        [["article_id", "article_title", "text", "url", "domain", "publisher", "linkable", "origin", "date_hint"]]
        + [[a.id, a.title, src.text, src.url, src.domain, src.publisher, src.linkable, src.origin, src.date_hint]
           for a in articles for src in a.sources]))
    topic_of = {(st.article, st.sentence_id, st.quantity): c.id for c in comparisons for st in c.statements}
    write("data/figures.csv", csv_text(  # every figure, with its topic when another article reports it too
        [["article_id", "sentence_id", "text", "value", "unit", "kind", "qualifier", "value_to", "clause", "topic"]]
        + [[a.id, f["quantity"].sentence_id, f["quantity"].text, f["quantity"].value, f["quantity"].unit,
            f["quantity"].kind, f["quantity"].qualifier, "" if f["quantity"].value_to is None else f["quantity"].value_to,
            f["clause"], topic_of.get((a.id, f["quantity"].sentence_id, f["quantity"].text), "")]
           for a, found in zip(articles, figures_of) for f in found]))
    write("data/claims.csv", csv_text(
        [["article_id", "sentence_id", "labels", "rules", "cues", "text", "messages"]]
        + [[a.id, s.id, " ".join(s.labels), " ".join(c.rule for c in s.cues), " | ".join(c.text for c in s.cues),
            s.text, " | ".join(c.message_in(language) for c in s.cues)]
           for a in articles for s in a.sentences if s.labels]))
    if outputs is None:
        out.commit(GENERATED)
    return written


def article_pages(rows: list[dict[str, Any]], page_size: int, strings: dict[str, str]) -> list[dict[str, Any]]:
    """Beyond `page_size` articles, the Articles page lists months (newest first, then the
    undated ones) and each month's articles are on pages of at most `page_size` rows
    (articles/months/2024-05.md, 2024-05-2.md …), so that no index page grows with the corpus
    (and the navigation can leave the article pages out). Up to `page_size` articles: []."""
    if len(rows) <= max(page_size, 1):
        return []
    by_month: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_month.setdefault((row["article"].date or "")[:7], []).append(row)
    months = []
    for key in sorted((k for k in by_month if k), reverse=True) + [k for k in by_month if not k]:
        chunk = sorted(by_month[key], key=lambda r: r["article"].date or "")
        label = key or strings["articles_undated"]
        names = [f"months/{key or 'undated'}{f'-{n + 1}' if n else ''}.md" for n in range(-(-len(chunk) // page_size))]
        pages = [{"rel": name, "rows": chunk[n * page_size:(n + 1) * page_size],
                  "title": strings["articles_month_page"].format(month=label, n=n + 1, pages=len(names)),
                  "previous": names[n - 1].split("/")[-1] if n else "",
                  "next": names[n + 1].split("/")[-1] if n + 1 < len(names) else ""}
                 for n, name in enumerate(names)]
        months.append({"label": label, "count": len(chunk), "pages": pages})
    return months


def sources_overview(articles: list[Article], max_columns: int = 10**9) -> dict[str, Any]:
    """Every source with the articles that cite it; domains x articles (only up to
    `max_columns` articles: it grows with the square of the corpus); who cites nothing."""
    entries: dict[str, dict[str, Any]] = {}
    for a in articles:
        for src in a.sources:
            key = src.url or f"name:{(src.publisher or src.text).casefold()}"
            entry = entries.setdefault(key, {"source": src, "articles": [], "ids": set()})
            if a.id not in entry["ids"]:
                entry["ids"].add(a.id)
                entry["articles"].append(a)
    matrix = []
    if len(articles) <= max_columns:
        cited = [Counter(src.domain for src in a.sources) for a in articles]
        domains = sorted({src.domain for a in articles for src in a.sources if src.domain})
        matrix = [{"domain": d, "cells": [c[d] for c in cited]} for d in domains]
    ordered = sorted(entries.values(), key=lambda e: (-len(e["articles"]), e["source"].domain or "~",
                                                      e["source"].url or e["source"].text))
    return {"entries": ordered, "articles": articles, "matrix": matrix,
            "number_of": {a.id: n for n, a in enumerate(articles, 1)},
            "matrix_limit": 0 if len(articles) <= max_columns else max_columns,
            "uncited": [a for a in articles if not a.sources]}


def assign_ids(articles: Iterable[Article]) -> list[Article]:
    from dataclasses import replace

    slugs = Slugs("index")
    return [replace(a, id=make_slug(a.title, slugs)) for a in articles]
