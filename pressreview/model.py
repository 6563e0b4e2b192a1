"""The small data model every stage passes on: frozen dataclasses, no behaviour.

read -> RawDocument | Rejected
normalise -> Article (with Blocks)
analyse -> Article with Sentences (Cues), Quantities, Sources
compare -> Comparisons
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RawDocument:
    """One input file, decoded: text is NFC with '\\n' line ends."""

    source_path: str  # relative to the input folder, '/'-separated
    fmt: str  # 'txt' | 'md' | 'html' (text: the page's main text as Markdown)
    text: str
    sha256: str  # of the input bytes, as read
    encoding: str
    meta: dict[str, Any] = field(default_factory=dict)  # front matter + sidecar
    warnings: tuple[str, ...] = ()
    # an HTML page's own metadata (title, date, author, outlet, url, language) and its visible
    # text that is not article text ('dropped': 'before' | 'inside' | 'after' -> lines)
    page: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rejected:
    source_path: str
    reason: str


@dataclass(frozen=True)
class Block:
    """A unit of the normalised article.

    kind: 'heading' | 'paragraph' | 'list' | 'sources' | 'dateline' | 'aside'
    text: the heading, paragraph, dateline, list intro ('' if none) or sources title
    items: list items as (marker, text); source entries as ('', text)
    level: heading level (2 or 3)
    rule: the normalisation rule that made this block
    reason: for 'aside' blocks, why the lines are not part of the article
    """

    kind: str
    text: str = ""
    items: tuple[tuple[str, str], ...] = ()
    level: int = 0
    rule: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Cue:
    """The words in a sentence that made a rule fire."""

    text: str
    start: int  # character offsets into Sentence.text
    end: int
    rule: str
    category: str  # 'speculative' | 'promotional'
    kind: str  # e.g. 'hedge', 'forecast', 'puffery'
    message: str = ""  # in the language of the rule's pack (the data's)
    level: str = "suggestion"
    # the message in each interface language ((language, text) pairs; rules/*.yml give
    # `message: {de: ..., en: ...}`); not part of the cue's identity
    messages: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def message_in(self, language: str) -> str:
        """The message in an interface language, else the pack's own."""
        return dict(self.messages).get(language, self.message)


@dataclass(frozen=True)
class Sentence:
    id: str  # anchor id, unique within the article, e.g. 's12'
    text: str
    block: int  # index of the Block it stands in
    labels: tuple[str, ...] = ()
    cues: tuple[Cue, ...] = ()
    item: int = -1  # index of the list item it stands in, -1 for the block's own text
    start: int = 0  # offsets into that text
    end: int = 0
    note: str = ""  # e.g. why a sentence was marked or unmarked by hand


@dataclass(frozen=True)
class Quantity:
    text: str  # as written
    value: float
    unit: str  # currency code, '%', 'x', a unit word, 'year', 'date' or ''
    qualifier: str  # normalised: 'over', 'around', 'up_to', 'nearly', 'at_least', '' ...
    kind: str  # 'money' | 'percent' | 'range' | 'multiple' | 'count' | 'year' | 'date'
    start: int = 0  # offsets into the sentence text
    end: int = 0
    value_to: float | None = None  # upper bound of a range
    sentence_id: str = ""
    # Added for issue 11 (quantities.py sets them; defaults keep older constructors working):
    # what is measured, the same word in every language ('money', 'price_per_share', 'percent',
    # 'percentage_points', 'share_count', 'capacity', 'count', 'date' ...; names in
    # rules/quantities.yml `measures`), '' when not set.  For a range, the measure of its bounds.
    measure: str = ""
    # The interval the text allows: "über 50" -> (50, None), "bis zu 50" -> (None, 50),
    # "rund 2,4" -> (2.28, 2.52), "2 bis 3" -> (2, 3), "2,4" -> (2.4, 2.4); None = open.
    # Both None when not set.
    lower: float | None = None
    upper: float | None = None


@dataclass(frozen=True)
class Source:
    text: str  # as written
    url: str = ""  # '' for a named source without a link
    domain: str = ""  # registered domain
    publisher: str = ""
    linkable: bool = False  # only http(s) URLs become links
    date_hint: str = ""  # ISO date carried by the URL path
    title_hint: str = ""  # words of the URL slug
    archive_url: str = ""
    origin: str = ""  # 'section' | 'inline' | 'attribution'
    domain_ascii: str = ""  # the domain in punycode when it is an international one, else ''


@dataclass(frozen=True)
class Article:
    id: str  # the slug: file name of the page
    source_path: str
    sha256: str
    title: str
    title_source: str  # 'front matter' | 'sidecar' | 'page' | 'headline' | 'lede'
    date: str | None  # ISO YYYY-MM-DD or None (unknown)
    date_source: str  # 'front matter' | 'sidecar' | 'page' | 'dateline' | ''
    language: str
    language_source: str  # 'front matter' | 'sidecar' | 'page' | 'detected'
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...] = ()
    fmt: str = "txt"
    encoding: str = "utf-8"
    sentences: tuple[Sentence, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    sources: tuple[Source, ...] = ()
    author: str = ""  # front matter/sidecar 'author', else the page's
    outlet: str = ""  # front matter/sidecar 'publisher', else the page's site name
    canonical_url: str = ""  # front matter/sidecar 'url', else the page's canonical address (http(s) only)

    @property
    def removed(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "aside"]

    @property
    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "heading"]


@dataclass(frozen=True)
class Statement:
    """One article's statement of a compared fact: a quantity in a sentence."""

    article: str  # Article.id
    sentence_id: str
    text: str  # the sentence
    quantity: str  # the quantity as written
    value: float
    unit: str
    qualifier: str = ""
    value_to: float | None = None
    kind: str = ""  # Quantity.kind
    clause: str = ""  # the clause the number stands in
    mention: int = 1  # 1 for an article's first statement in a topic, 2... for its repeats


@dataclass(frozen=True)
class Comparison:
    """Statements about the same subject in several articles, and whether they agree."""

    id: str  # slug, file name of the topic page
    subject: str
    status: str  # 'differ' | 'compatible' | 'agree' (curated topics: also 'single')
    statements: tuple[Statement, ...]  # per article its statements, the first one counts
    origin: str = "auto"  # 'auto' | 'curated'
    terms: tuple[str, ...] = ()  # the shared context words that aligned the statements
    headline: str = ""  # the value most articles give, as written (ties: the earliest article)
    difference: str = ""  # the status in words: the difference, or why the values are compatible
    entities: tuple[str, ...] = ()  # the named entities the articles share here (part of the id)
    kind: str = ""
    unit: str = ""

    @property
    def articles(self) -> list[str]:
        return sorted({s.article for s in self.statements})

    @property
    def spread(self) -> tuple[float, float]:
        """(absolute, relative) difference between the lowest and highest value."""
        values = [s.value for s in self.statements]
        low, high = min(values), max(values)
        return high - low, ((high - low) / low if low else 0.0)
