"""analyse: Article -> Article with sentences (each with its labels and cues).

A sentence is found in the article text only: headings (one sentence each), paragraphs,
list intros and list items. Set-aside text, datelines and sources are not article text and
get no sentences. Every sentence gets an anchor id (s1, s2, …) in reading order, so marks,
summaries and comparisons can link to it.

Claims are marked by the rule packs (claims.py) for the article's language, with the
project's rules from pressreview.yml (`claims:` add / disable / override), and a sidecar may
mark or unmark single sentences by hand (`claims:` in <name>.yml), with a reason.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any

import yaml

from .claims import CATEGORIES, Matcher, RuleError, load_rules
from .language import SUPPORTED, detect_language
from .model import Article, Cue, Quantity, Sentence, Source
from .normalise import load_layout
from .quantities import extract_quantities
from .sentences import split_sentences
from .sources import describe_url, find_attributions, find_inline_urls, idn_warning, parse_source_entry, unsafe_reason

MANUAL_RULE = "manual"


def project_rules(settings: dict[str, Any], language: str) -> tuple[list[dict], list[str], dict[str, dict]]:
    """The project's claim rules for one language: rules whose id starts with '<lang>.' or
    that say `language: <lang>`."""
    claims = settings.get("claims") or {}
    unknown = set(claims) - {"add", "disable", "override"}
    if unknown:
        raise RuleError(f"pressreview.yml: claims: unknown key '{sorted(unknown)[0]}' (known: add, disable, override)")
    add = []
    for rule in claims.get("add") or []:
        if not isinstance(rule, dict):
            raise RuleError("pressreview.yml: claims: add: every rule must be a mapping")
        lang = rule.get("language") or str(rule.get("id", "")).split(".")[0]
        if lang == language:
            add.append({k: v for k, v in rule.items() if k != "language"})
    return add, list(claims.get("disable") or []), dict(claims.get("override") or {})


@lru_cache(maxsize=16)
def _matcher(language: str, frozen: str) -> Matcher:
    add, disable, override = yaml.safe_load(frozen)
    return load_rules(language, extra_rules=add, disabled=disable, overrides=override)


_FROZEN: dict[str, str] = {}  # repr of the project's rules -> the same as sorted YAML (the cache key)


def matcher_for(settings: dict[str, Any], language: str) -> Matcher:
    add, disable, override = project_rules(settings, language)
    key = repr([add, disable, override])  # cheaper than YAML, which took 0.7 ms per article
    if key not in _FROZEN:
        _FROZEN[key] = yaml.safe_dump([add, disable, override], sort_keys=True)
    return _matcher(language, _FROZEN[key])


def prepare(settings: dict[str, Any]) -> None:
    """Load now what analysing an article needs, in every language we support: the rule packs
    with their compiled patterns and dictionary, the quantity and attribution patterns, the
    sentence splitter, the language detector and the layout rules. A process pool forked
    afterwards inherits all of it instead of loading it again in every process."""
    for language in SUPPORTED:
        matcher_for(settings, language).prepare()
        extract_quantities("1,5 Prozent", language)
        find_attributions("laut Reuters", language)
        split_sentences("Ein Satz. Noch einer.", language)
    describe_url("https://www.example.org/")
    detect_language("Der erste Satz.", "de")
    load_layout(settings.get("layout_extra", ""))


def _pieces(article: Article):
    """(block index, item index or -1, text) of every piece of article text, in order."""
    for i, block in enumerate(article.blocks):
        if block.kind == "heading":
            yield i, -1, block.text, True
        elif block.kind == "paragraph":
            yield i, -1, block.text, False
        elif block.kind == "list":
            if block.text:
                yield i, -1, block.text, False
            for j, (_, text) in enumerate(block.items):
                yield i, j, text, False


def _manual(sentence: Sentence, override: dict[str, Any], where: str) -> Sentence:
    labels = override.get("labels")
    reason = str(override.get("reason") or "").strip()
    if not isinstance(labels, list) or any(label not in CATEGORIES for label in labels):
        raise RuleError(f"{where}: claims: 'labels' must be a list of {', '.join(CATEGORIES)} (or [] to unmark)")
    if not reason:
        raise RuleError(f"{where}: claims: every hand-made mark needs a 'reason'")
    cues = tuple(c for c in sentence.cues if c.category in labels)
    for label in labels:
        if not any(c.category == label for c in cues):
            cues += (Cue(sentence.text, 0, len(sentence.text), MANUAL_RULE, label, "manual", reason, "warning"),)
    note = f"{'marked' if labels else 'unmarked'} by hand: {reason}"
    return replace(sentence, labels=tuple(sorted(labels)), cues=tuple(sorted(cues, key=lambda c: (c.start, c.end))), note=note)


def analyse(article: Article, settings: dict[str, Any], overrides: list[dict] | None = None) -> Article:
    matcher = matcher_for(settings, article.language)
    sentences: list[Sentence] = []
    for block, item, text, whole in _pieces(article):
        spans = [(0, len(text))] if whole else split_sentences(text, article.language)
        for start, end in spans:
            sentence_text = text[start:end]
            labels, cues = matcher.classify(sentence_text)
            sentences.append(Sentence(f"s{len(sentences) + 1}", sentence_text, block, labels, cues,
                                      item=item, start=start, end=end))
    warnings = list(article.warnings)
    for override in overrides or []:
        where = f"{article.source_path} sidecar"
        if not isinstance(override, dict) or "sentence" not in override:
            raise RuleError(f"{where}: claims: every entry needs 'sentence' (the text, or an id like s12)")
        key = str(override["sentence"] if override["sentence"] is not None else "").strip()
        if not key:  # an empty selector is in every sentence: it would mark them all
            raise RuleError(f"{where}: claims: 'sentence' is empty: give the sentence's text or its id (like s12)")
        hits = [k for k, s in enumerate(sentences) if s.id == key or key in s.text]
        if not hits:
            warnings.append(f"sidecar claims: no sentence matches {key[:60]!r}: nothing marked")
            continue
        for k in hits:
            sentences[k] = _manual(sentences[k], override, where)
    quantities = [replace(q, sentence_id=s.id) for s in sentences for q in extract_quantities(s.text, article.language)]
    sources = find_sources(article, sentences, warnings)
    return replace(article, sentences=tuple(sentences), warnings=tuple(warnings),
                   quantities=tuple(quantities), sources=tuple(sources))


def find_sources(article: Article, sentences: list[Sentence], warnings: list[str]) -> list[Source]:
    """Sources from the sources section, from URLs in the text and from named attributions
    ("laut Morningstar"), each once (by URL, else by name), in order of appearance."""
    found: list[Source] = []
    for block in article.blocks:
        if block.kind == "sources":
            for _, entry in block.items:
                found += parse_source_entry(entry)
    for s in sentences:
        found += [src for _, _, src in find_inline_urls(s.text)]
        found += [src for _, _, src in find_attributions(s.text, article.language)]
    unique: list[Source] = []
    seen: set[str] = set()
    for src in found:
        key = src.url.strip() or f"name:{(src.publisher or src.text).casefold()}"
        if key in seen:
            continue
        seen.add(key)
        if src.url and not src.linkable:
            warnings.append(f"source {src.url[:80]!r} is not a web link ({unsafe_reason(src.url)}): shown as text")
        if src.domain_ascii and (warning := idn_warning(src)):
            warnings.append(warning)
        unique.append(src)
    return unique


def summary(article: Article) -> dict[str, Any]:
    """Counts per category and the share of marked sentences."""
    total = len(article.sentences)
    counts = {c: sum(1 for s in article.sentences if c in s.labels) for c in CATEGORIES}
    marked = sum(1 for s in article.sentences if s.labels)
    return {"sentences": total, "marked": marked, "share": round(marked / total, 3) if total else 0.0, **counts}
