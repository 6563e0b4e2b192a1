"""Speculative and promotional claim markup: YAML rule packs and a matcher.

A rule pack (``pressreview/rules/<lang>.yml``) is a list of rules in the
spirit of Vale.  Each rule says *which words* make a sentence speculative or
promotional and *why* a reader should care::

    - id: de.hedge.modal               # unique; "<lang>.<group>.<name>"
      category: speculative            # speculative | promotional
      kind: hedge                      # free text, shown in the legend
      words: [könnte{,n}, dürfte{,n}]  # or  regex: '...'  (exactly one)
      case: insensitive                # default; or: sensitive
      exceptions: ['...']              # regexes that cancel a cue they overlap
      message: Why this matters.       # one sentence
      level: suggestion                # suggestion | warning
      link: https://...                # optional
      examples:
        positive: [Die Aktie könnte steigen.]
        negative: [Die Aktie stieg.]

Word lists (``words:``) use a small convention, documented at the top of
each pack: ``{a,b}`` alternatives (``{,n}`` = nothing or "n"), ``*`` at the
end or start of a word for any further letters (German compounds and
inflections), ``+`` likewise but at least one letter ("+feuerwerk" matches
"Kursfeuerwerk", not "Feuerwerk"); a space matches any run of whitespace;
everything else is literal.  Every word is matched as a whole word.

``regex:`` rules are Python regular expressions; they must bring their own
word boundaries (``\\b`` or ``(?<!\\w)``), may use look-arounds to keep
context out of the cue, and may not use named groups or numbered
back-references (the rules are combined into one pattern).

Exceptions are regexes searched in the whole sentence; a match that overlaps
the cue cancels it.  Written as ``{regex: '...', scope: sentence}`` a match
anywhere in the sentence cancels the cue.

Matching: all rules of a pack are compiled once into ONE alternation of named
groups (``r0``, ``r1``, ...), so classifying a sentence is one left-to-right
regex pass plus the exceptions of the rules that actually matched.  Where
two rules could match at the same position, the rule listed first wins; a
cancelled cue lets the search resume one character later so another rule
can still fire there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

from .model import Cue

__all__ = ["RuleError", "Rule", "Matcher", "load_rules", "available_languages", "expand_word"]

RULES_DIR = Path(__file__).resolve().parent / "rules"

CATEGORIES = ("promotional", "speculative")
LEVELS = ("suggestion", "warning")
ALLOWED_KEYS = {
    "id", "category", "kind", "words", "regex", "case", "exceptions",
    "message", "level", "link", "examples", "note", "forbids",
}
_ID_RX = re.compile(r"^\w[\w.-]*$")


class RuleError(ValueError):
    """A rule or rule pack is invalid; the message names the pack, rule id and key."""


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    kind: str
    message: str
    level: str = "suggestion"
    link: str = ""
    case: str = "insensitive"
    words: tuple[str, ...] = ()
    regex: tuple[str, ...] = ()
    exceptions: tuple[tuple[str, str], ...] = ()  # (regex, scope)
    forbids: tuple[str, ...] = ()  # context conditions (pack ``conditions:``) that cancel the cue
    examples: dict = field(default_factory=dict, compare=False, hash=False)
    origin: str = ""  # pack file or 'project'

    @property
    def pattern(self) -> str:
        """The rule's match as one regex (without the case flag)."""
        if self.words:
            parts = sorted({expand_word(w) for w in self.words}, key=lambda p: (-len(p), p))
            return r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)"
        return "|".join(f"(?:{r})" for r in self.regex)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "kind": self.kind,
            "message": self.message,
            "level": self.level,
            "link": self.link,
        }


# --------------------------------------------------------------------------
# word-list convention
# --------------------------------------------------------------------------


def expand_word(word: str) -> str:
    """Turn one ``words:`` entry into a regex fragment (no boundaries).

    ``{a,b}`` -> ``(?:a|b)``; ``*`` at the start or end -> ``\\w*`` (any
    further letters), ``+`` -> ``\\w+`` (at least one more letter);
    a space -> ``\\s+``; everything else literal.
    """
    w = word.strip()
    if not w:
        raise ValueError("empty word")
    lead = trail = ""
    if w[:1] in ("*", "+"):
        lead, w = r"\w" + w[0], w[1:]
    if w[-1:] in ("*", "+"):
        trail, w = r"\w" + w[-1], w[:-1]
    if not w or "*" in w or "+" in w:
        raise ValueError(f"'*' and '+' are only allowed at the start or end of a word: {word!r}")
    out = []
    i = 0
    while i < len(w):
        c = w[i]
        if c == "{":
            j = w.find("}", i)
            if j < 0:
                raise ValueError(f"unclosed '{{' in {word!r}")
            alts = w[i + 1 : j].split(",")
            if any("{" in a for a in alts):
                raise ValueError(f"nested '{{' in {word!r}")
            alts_rx = sorted((_literal(a) for a in alts), key=lambda a: -len(a))
            out.append("(?:" + "|".join(alts_rx) + ")")
            i = j + 1
        elif c == "}":
            raise ValueError(f"unbalanced '}}' in {word!r}")
        else:
            j = i
            while j < len(w) and w[j] not in "{}":
                j += 1
            out.append(_literal(w[i:j]))
            i = j
    return lead + "".join(out) + trail


def _literal(s: str) -> str:
    return r"\s+".join(re.escape(p) for p in s.split(" ")) if s else ""


# --------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------


def _err(origin: str, rid: str, key: str, msg: str) -> RuleError:
    return RuleError(f"{origin}: rule {rid!r}: key {key!r}: {msg}")


def _check_regex(origin: str, rid: str, key: str, rx: Any, flags: int) -> None:
    if not isinstance(rx, str) or not rx:
        raise _err(origin, rid, key, "must be a non-empty string")
    if "(?P<" in rx or re.search(r"\\[1-9]|\(\?P=", rx):
        raise _err(origin, rid, key, "named groups and back-references are not allowed")
    try:
        compiled = re.compile(rx, flags)
    except re.error as exc:
        raise _err(origin, rid, key, f"bad regex {rx!r}: {exc}") from None
    if compiled.match(""):
        raise _err(origin, rid, key, f"regex {rx!r} matches the empty string")


def _as_list(v: Any) -> list:
    return list(v) if isinstance(v, (list, tuple)) else [v]


def validate_rule(raw: Any, origin: str) -> Rule:
    """Check one rule mapping and return a Rule; raise RuleError otherwise."""
    if not isinstance(raw, dict):
        raise RuleError(f"{origin}: rule entry must be a mapping, got {type(raw).__name__}")
    rid = raw.get("id")
    if not isinstance(rid, str) or not _ID_RX.match(rid):
        raise _err(origin, str(rid), "id", "missing or not a valid id (letters, digits, '_', '.', '-')")
    unknown = sorted(set(raw) - ALLOWED_KEYS)
    if unknown:
        raise _err(origin, rid, unknown[0], f"unknown key (allowed: {', '.join(sorted(ALLOWED_KEYS))})")
    cat = raw.get("category")
    if cat not in CATEGORIES:
        raise _err(origin, rid, "category", f"must be one of {CATEGORIES}, got {cat!r}")
    kind = raw.get("kind")
    if not isinstance(kind, str) or not kind.strip():
        raise _err(origin, rid, "kind", "must be a non-empty string")
    msg = raw.get("message")
    if not isinstance(msg, str) or not msg.strip():
        raise _err(origin, rid, "message", "must be a non-empty string")
    level = raw.get("level", "suggestion")
    if level not in LEVELS:
        raise _err(origin, rid, "level", f"must be one of {LEVELS}, got {level!r}")
    link = raw.get("link", "") or ""
    if not isinstance(link, str):
        raise _err(origin, rid, "link", "must be a string")
    case = raw.get("case", "insensitive")
    if case not in ("insensitive", "sensitive"):
        raise _err(origin, rid, "case", f"must be 'insensitive' or 'sensitive', got {case!r}")
    flags = re.I if case == "insensitive" else 0
    has_words, has_regex = "words" in raw, "regex" in raw
    if has_words == has_regex:
        raise _err(origin, rid, "words" if has_words else "regex", "give exactly one of 'words' or 'regex'")
    words: tuple[str, ...] = ()
    regex: tuple[str, ...] = ()
    if has_words:
        ws = raw["words"]
        if not isinstance(ws, list) or not ws or not all(isinstance(w, str) and w.strip() for w in ws):
            raise _err(origin, rid, "words", "must be a non-empty list of non-empty strings")
        for w in ws:
            try:
                expand_word(w)
            except ValueError as exc:
                raise _err(origin, rid, "words", str(exc)) from None
        words = tuple(ws)
    else:
        rxs = _as_list(raw["regex"])
        if not rxs:
            raise _err(origin, rid, "regex", "must not be empty")
        for rx in rxs:
            _check_regex(origin, rid, "regex", rx, flags)
        regex = tuple(rxs)
    exc_out: list[tuple[str, str]] = []
    for e in _as_list(raw.get("exceptions") or []):
        if isinstance(e, dict):
            bad = sorted(set(e) - {"regex", "scope"})
            if bad:
                raise _err(origin, rid, "exceptions", f"unknown key {bad[0]!r} in exception")
            scope = e.get("scope", "overlap")
            if scope not in ("overlap", "sentence"):
                raise _err(origin, rid, "exceptions", f"scope must be 'overlap' or 'sentence', got {scope!r}")
            pat = e.get("regex")
        else:
            scope, pat = "overlap", e
        _check_regex(origin, rid, "exceptions", pat, flags)
        exc_out.append((str(pat), str(scope)))
    forbids = tuple(str(c) for c in _as_list(raw.get("forbids") or []))
    examples = raw.get("examples") or {}
    if not isinstance(examples, dict) or set(examples) - {"positive", "negative"}:
        raise _err(origin, rid, "examples", "must be a mapping with 'positive' and/or 'negative' lists")
    for k, v in examples.items():
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise _err(origin, rid, "examples", f"'{k}' must be a list of strings")
    return Rule(
        id=rid,
        category=cat,
        kind=kind.strip(),
        message=msg.strip(),
        level=level,
        link=link,
        case=case,
        words=words,
        regex=regex,
        exceptions=tuple(exc_out),
        forbids=forbids,
        examples={k: list(v) for k, v in examples.items()},
        origin=origin,
    )


# --------------------------------------------------------------------------
# packs
# --------------------------------------------------------------------------


_LANG_RX = re.compile(r"^[a-z]{2,3}$")  # pressreview/rules/ also holds other YAML files (layout.yml ...)


def available_languages() -> list[str]:
    """Languages with a claim rule pack (files named by an ISO 639 code)."""
    return sorted(p.stem for p in RULES_DIR.glob("*.yml") if _LANG_RX.match(p.stem))


@lru_cache(maxsize=None)
def _read_pack(lang: str) -> tuple[dict, ...]:
    if not _LANG_RX.match(lang):
        return ()
    path = RULES_DIR / f"{lang}.yml"
    if not path.is_file():
        return ()
    origin = f"rules/{lang}.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleError(f"{origin}: invalid YAML: {exc}") from None
    if isinstance(data, dict):
        entries = data.get("rules")
    else:
        entries = data
    if not isinstance(entries, list):
        raise RuleError(f"{origin}: expected a list under 'rules'")
    return tuple(entries)


def load_rules(
    lang: str,
    extra_rules: list[dict] | None = None,
    disabled: Iterable[str] = (),
    overrides: dict[str, dict] | None = None,
) -> "Matcher":
    """Build a Matcher from the built-in pack for ``lang`` plus project rules.

    * ``extra_rules``: rule mappings in the pack schema; a project rule with
      the id of a built-in rule replaces it (in place), others are appended.
    * ``disabled``: rule ids to drop.
    * ``overrides``: ``{rule_id: {field: value}}``, e.g. ``{"de.hedge.modal":
      {"level": "warning"}}``; applied before validation.

    Ids in ``disabled``/``overrides`` that belong to another language (do not
    start with ``"<lang>."``) are ignored, so one project config can serve
    both packs; an unknown id of this language raises RuleError.
    A language without a pack gets only the project rules.
    """
    lang = (lang or "").lower().split("-")[0]
    key_simple = not extra_rules and not overrides
    disabled_t = tuple(sorted(set(disabled or ())))
    if key_simple:
        return _cached_matcher(lang, disabled_t)
    return _build(lang, extra_rules or [], disabled_t, overrides or {})


@lru_cache(maxsize=32)
def _cached_matcher(lang: str, disabled: tuple[str, ...]) -> "Matcher":
    return _build(lang, [], disabled, {})


@lru_cache(maxsize=None)
def _read_conditions(lang: str) -> dict[str, tuple[str, str]]:
    """The pack's ``conditions:`` {name: {regex, explain}}: context a rule can forbid."""
    path = RULES_DIR / f"{lang}.yml"
    if not _LANG_RX.match(lang) or not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw = data.get("conditions") if isinstance(data, dict) else None
    out: dict[str, tuple[str, str]] = {}
    for name, c in (raw or {}).items():
        if not isinstance(c, dict) or not isinstance(c.get("regex"), str):
            raise RuleError(f"rules/{lang}.yml: condition {name!r}: needs 'regex' and 'explain'")
        _check_regex(f"rules/{lang}.yml", str(name), "conditions", c["regex"], re.I)
        out[str(name)] = (c["regex"], str(c.get("explain", "")).strip())
    return out


def _build(lang: str, extra: list[dict], disabled: tuple[str, ...], overrides: dict[str, dict]) -> "Matcher":
    origin = f"rules/{lang}.yml"
    entries: list[tuple[dict, str]] = [(dict(e) if isinstance(e, dict) else e, origin) for e in _read_pack(lang)]
    seen: dict[str, int] = {}
    for i, (e, org) in enumerate(entries):
        rid = e.get("id") if isinstance(e, dict) else None
        if isinstance(rid, str):
            if rid in seen:
                raise _err(org, rid, "id", "duplicate id in pack")
            seen[rid] = i
    if not isinstance(extra, list):
        raise RuleError("project rules: extra_rules must be a list of rule mappings")
    for e in extra:
        rid = e.get("id") if isinstance(e, dict) else None
        item = (dict(e) if isinstance(e, dict) else e, "project rules")
        if isinstance(rid, str) and rid in seen:
            entries[seen[rid]] = item
        else:
            if isinstance(rid, str):
                seen[rid] = len(entries)
            entries.append(item)
    prefix = f"{lang}."
    for rid in disabled:
        if rid not in seen and rid.startswith(prefix):
            raise RuleError(f"{origin}: rule {rid!r}: key 'disabled': no such rule")
    for rid, fields in overrides.items():
        if rid not in seen:
            if rid.startswith(prefix):
                raise RuleError(f"{origin}: rule {rid!r}: key 'overrides': no such rule")
            continue
        if not isinstance(fields, dict):
            raise RuleError(f"{origin}: rule {rid!r}: key 'overrides': must be a mapping of fields")
        if "id" in fields and fields["id"] != rid:
            raise RuleError(f"{origin}: rule {rid!r}: key 'id': an override cannot change the id")
        i = seen[rid]
        e, org = entries[i]
        merged = dict(e)
        merged.update(fields)
        # an override that switches words <-> regex replaces the other
        if "words" in fields and "regex" not in fields:
            merged.pop("regex", None)
        if "regex" in fields and "words" not in fields:
            merged.pop("words", None)
        entries[i] = (merged, org)
    dis = set(disabled)
    rules = [validate_rule(e, org) for e, org in entries if not (isinstance(e, dict) and e.get("id") in dis)]
    conditions = _read_conditions(lang)
    for r in rules:
        for c in r.forbids:
            if c not in conditions:
                raise _err(r.origin, r.id, "forbids", f"unknown condition {c!r} (pack conditions: {sorted(conditions)})")
    return Matcher(lang, rules, conditions)


# --------------------------------------------------------------------------
# matcher
# --------------------------------------------------------------------------


class Matcher:
    """Classifies sentences with one combined regex pass."""

    def __init__(self, lang: str, rules: list[Rule], conditions: dict[str, tuple[str, str]] | None = None):
        self.lang = lang
        conds = conditions or {}
        self.rules: list[Rule] = list(rules)
        self._by_group: dict[str, Rule] = {}
        self._exceptions: dict[str, list[tuple[re.Pattern, str]]] = {}
        self._messages: dict[str, str] = {}
        parts = []
        for i, r in enumerate(self.rules):
            g = f"r{i}"
            self._by_group[g] = r
            flag = "(?i:" if r.case == "insensitive" else "(?:"
            parts.append(f"(?P<{g}>{flag}{r.pattern}))")
            fl = re.I if r.case == "insensitive" else 0
            self._exceptions[g] = [(re.compile(p, fl), scope) for p, scope in r.exceptions]
            # a forbidden context condition is a sentence-wide exception
            self._exceptions[g] += [(re.compile(conds[c][0], re.I), "sentence") for c in r.forbids if c in conds]
            # the tooltip says which context keeps the mark away
            self._messages[g] = " ".join([r.message] + [conds[c][1] for c in r.forbids if c in conds and conds[c][1]])
        try:
            self._rx = re.compile("|".join(parts)) if parts else None
        except re.error as exc:  # pragma: no cover - single rules compile, so unlikely
            raise RuleError(f"rules/{lang}.yml: combined pattern does not compile: {exc}") from None

    def __repr__(self) -> str:
        return f"Matcher(lang={self.lang!r}, rules={len(self.rules)})"

    def legend(self) -> list[dict[str, Any]]:
        """id, category, kind, message, level, link of every loaded rule."""
        return [r.as_dict() for r in self.rules]

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def _cancelled(self, group: str, sentence: str, start: int, end: int) -> bool:
        for rx, scope in self._exceptions[group]:
            for em in rx.finditer(sentence):
                if scope == "sentence" or (em.start() < end and em.end() > start):
                    return True
                if em.start() >= end:
                    break
        return False

    def find(self, sentence: str) -> list[Cue]:
        """All cues in the sentence, in order of start."""
        cues: list[Cue] = []
        rx = self._rx
        if rx is None or not sentence:
            return cues
        pos, n = 0, len(sentence)
        while pos <= n:
            m = rx.search(sentence, pos)
            if m is None:
                break
            g = m.lastgroup
            if g not in self._by_group:  # defensive: find the rule group that matched
                g = next(k for k, v in m.groupdict().items() if v is not None and k in self._by_group)
            s, e = m.span(g)
            if e <= s:
                pos = m.end() + 1
                continue
            if self._exceptions[g] and self._cancelled(g, sentence, s, e):
                pos = s + 1
                continue
            r = self._by_group[g]
            cues.append(Cue(sentence[s:e], s, e, r.id, r.category, r.kind, self._messages[g], r.level))
            pos = e
        return cues

    def classify(self, sentence: str) -> tuple[tuple[str, ...], tuple[Cue, ...]]:
        """Return (sorted labels, cues sorted by start) for one sentence."""
        cues = self.find(sentence)
        cues.sort(key=lambda c: (c.start, c.end, c.rule))
        labels = tuple(sorted({c.category for c in cues}))
        return labels, tuple(cues)
