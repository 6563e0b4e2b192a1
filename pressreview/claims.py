"""Speculative and promotional claim markup: YAML rule packs and a matcher.

A rule pack (``pressreview/rules/<lang>.yml``) is a list of rules in the
spirit of Vale.  Each rule says *which words* make a sentence speculative or
promotional and *why* a reader should care::

    - id: de.hedge.modal               # unique; "<lang>.<group>.<name>"
      category: speculative            # speculative | promotional
      kind: hedge                      # free text, shown in the legend
      words: [könnte{,n}, dürfte{,n}]  # or regex: '...' or lemmas: [...] (one)
      case: insensitive                # default; or: sensitive
      exceptions: ['...']              # regexes that cancel a cue they overlap
      message: Why this matters.       # one sentence; or one per interface language:
                                       # message: {de: Warum …, en: Why …}
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

``lemmas:`` rules match tokens, not characters: the sentence is split into
words and each word is reduced to its dictionary form with simplemma
("mächtigsten" -> "mächtig", "dreams" -> "dream"); an entry matches a word
whose lemma or lower-cased form equals the entry or the entry's own lemma, so
"kühn" matches "kühnsten" but never the surname "Kühnel".  Several words
("american dream") match consecutive tokens.  ``+head`` matches the head of a
German compound: a word whose lemma ends in ``head`` after at least three
more letters ("+feuerwerk": "Kursfeuerwerk", not "Feuerwerk").

``regex:`` rules are Python regular expressions; they must bring their own
word boundaries (``\\b`` or ``(?<!\\w)``), may use look-arounds to keep
context out of the cue, and may not use named groups or numbered
back-references (the rules are combined into one pattern).

Exceptions are regexes searched in the whole sentence; a match that overlaps
the cue cancels it.  Written as ``{regex: '...', scope: sentence}`` a match
anywhere in the sentence cancels the cue.

Context conditions (pack ``conditions:``) name a piece of context a rule can
``forbids:`` (the cue is cancelled when it holds) or ``requires:`` (the cue
stands only when it holds)::

    conditions:
      negation:   {regex: '\b(?:not|never)\b', scope: before, words: 3, explain: ...}
      vague_source: {regex: ..., scope: after, words: 3, explain: ...}
      quoted:     {scope: quoted, explain: ...}

``scope`` says where the regex is searched: ``sentence`` (default), the
``words`` words ``before`` or ``after`` the cue, or ``around`` it (both),
the ``clause`` holding the cue (between commas, semicolons, colons, dashes),
or ``quoted``: the cue stands inside quotation marks (no regex).  Every
condition's ``explain`` is added to the message of the marks of the rules
that use it, so the tooltip says which context was checked.

Interface language: ``message``, a condition's ``explain`` and ``short`` and the pack's
``checked_label`` are words a reader sees, in the site's interface language, not the
article's. Each is either one string (used for every interface language: a project's own
rule in one language still works) or a mapping ``{de: ..., en: ...}``. ``Cue.message`` is the
text in the pack's own language (the data's); ``Cue.messages`` holds every interface
language, so a page picks its own without the rules at hand. ``kind`` and ``level`` stay
data (the same words in every pack); their interface words are in templates/strings.yml
(``claim_kind_<kind>``, ``level_<level>``).

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

import simplemma

from .model import Cue
from .safeyaml import PackageLoader

__all__ = ["RuleError", "Rule", "Matcher", "load_rules", "available_languages", "expand_word"]

RULES_DIR = Path(__file__).resolve().parent / "rules"

CATEGORIES = ("promotional", "speculative")
LEVELS = ("suggestion", "warning")
ALLOWED_KEYS = {
    "id", "category", "kind", "words", "regex", "case", "exceptions",
    "message", "level", "link", "examples", "note", "forbids", "requires", "lemmas",
}
SCOPES = ("sentence", "before", "after", "around", "clause", "quoted")
INTERFACE_LANGUAGES = ("de", "en")  # settings.py: interface_language
COMPOUND_MIN_PREFIX = 3  # letters a compound needs before its head ("Kurs" + "feuerwerk")
_TOKEN_RX = re.compile(r"\w+(?:[-'’]\w+)*")
_CLAUSE_RX = re.compile(r"[,;:()\[\]–—]|\s-\s")
_QUOTES = frozenset('"„“”«»')
_CUE_START = re.compile(r"(?<!\w)\w|[^\w\s]")  # where a cue may start: a word's first letter, or a sign
_ID_RX = re.compile(r"^\w[\w.-]*$")


class RuleError(ValueError):
    """A rule or rule pack is invalid; the message names the pack, rule id and key."""


class _PackLoader(PackageLoader):
    """A safe loader (libyaml's parser: the packs are the package's own files) that refuses a key given twice in one mapping (YAML keeps the last one
    silently: a second `negative:` would drop the first list of examples)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} given twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _load_pack_yaml(path: Path) -> Any:
    """The pack's data, parsed once per text (rules, conditions and the label all read it).
    The callers copy what they change."""
    return _parse_pack(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=16)
def _parse_pack(text: str) -> Any:
    return yaml.load(text, Loader=_PackLoader)  # noqa: S506 - a SafeLoader


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
    requires: tuple[str, ...] = ()  # context conditions without which the cue does not stand
    lemmas: tuple[str, ...] = ()
    examples: dict = field(default_factory=dict, compare=False, hash=False)
    origin: str = ""  # pack file or 'project'
    messages: dict = field(default_factory=dict, compare=False, hash=False)  # interface language -> message

    def message_in(self, language: str) -> str:
        """The message in an interface language (else the pack's own)."""
        return str(self.messages.get(language, self.message))

    @property
    def pattern(self) -> str:
        """The rule's match as one regex (without the case flag)."""
        if self.lemmas:
            return ""
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


def texts(value: Any, language: str, where: str) -> dict[str, str]:
    """A reader-facing text of a pack: one string (the same for every interface language) or
    ``{de: ..., en: ...}`` -> {language: text}, ``language`` (the pack's) first. Raises
    ValueError naming ``where`` when it is neither."""
    if isinstance(value, str) and value.strip():
        return {lang: value.strip() for lang in dict.fromkeys([language, *INTERFACE_LANGUAGES]) if lang}
    if (isinstance(value, dict) and value and all(isinstance(k, str) and _LANG_RX.match(k) for k in value)
            and all(isinstance(v, str) and v.strip() for v in value.values())):
        given = {str(k): str(v).strip() for k, v in value.items()}
        own = given.get(language) or next(iter(given.values()))
        return {language or next(iter(given)): own, **given} if language else given
    raise ValueError(f"{where}: must be a non-empty string or a mapping {{de: ..., en: ...}} of non-empty strings")


def _as_list(v: Any) -> list:
    return list(v) if isinstance(v, (list, tuple)) else [v]


def validate_rule(raw: Any, origin: str, language: str = "") -> Rule:
    """Check one rule mapping and return a Rule; raise RuleError otherwise. ``language`` is the
    pack's: a message given per language takes that one as its own."""
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
    try:
        messages = texts(raw.get("message"), language or rid.split(".")[0], "message")
    except ValueError as exc:
        raise _err(origin, rid, "message", str(exc).split(": ", 1)[1]) from None
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
    kinds = [k for k in ("words", "regex", "lemmas") if k in raw]
    if len(kinds) != 1:
        raise _err(origin, rid, kinds[-1] if kinds else "words", "give exactly one of 'words', 'regex' or 'lemmas'")
    words: tuple[str, ...] = ()
    regex: tuple[str, ...] = ()
    lemmas: tuple[str, ...] = ()
    if kinds[0] == "lemmas":
        ls = raw["lemmas"]
        if not isinstance(ls, list) or not ls or not all(isinstance(w, str) and w.strip() for w in ls):
            raise _err(origin, rid, "lemmas", "must be a non-empty list of non-empty strings")
        for w in ls:
            body = w.strip()[1:] if w.strip().startswith("+") else w.strip()
            if not body or any(not _TOKEN_RX.fullmatch(t) for t in body.split()):
                raise _err(origin, rid, "lemmas", f"{w!r}: words only ('+' only at the start, for a compound head)")
            if w.strip().startswith("+") and len(body.split()) > 1:
                raise _err(origin, rid, "lemmas", f"{w!r}: a compound head is one word")
        lemmas = tuple(" ".join(w.split()) for w in ls)
    elif kinds[0] == "words":
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
            if not starts_at_boundary(rx):
                raise _err(origin, rid, "regex", f"{rx!r} must start with a word boundary (\\b or (?<!\\w)) "
                           "or a sign: a cue never starts inside a word")
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
    requires = tuple(str(c) for c in _as_list(raw.get("requires") or []))
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
        message=next(iter(messages.values())),
        level=level,
        link=link,
        case=case,
        words=words,
        regex=regex,
        exceptions=tuple(exc_out),
        forbids=forbids,
        requires=requires,
        lemmas=lemmas,
        examples={k: list(v) for k, v in examples.items()},
        origin=origin,
        messages=messages,
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
        data = _load_pack_yaml(path)
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


@dataclass(frozen=True)
class Condition:
    """A piece of context a rule can require or forbid (see the module docstring)."""

    name: str
    explain: str
    scope: str = "sentence"
    regex: str = ""
    words: int = 3
    case: str = "insensitive"
    short: str = ""  # a few words for the tooltip list of checks ("not in a question")
    explains: dict = field(default_factory=dict, compare=False, hash=False)  # per interface language
    shorts: dict = field(default_factory=dict, compare=False, hash=False)

    def explain_in(self, language: str) -> str:
        return str(self.explains.get(language, self.explain))

    def short_in(self, language: str) -> str:
        """The tooltip's few words for this check (else its explanation without the stop)."""
        return str(self.shorts.get(language, self.short) or self.explain_in(language).rstrip("."))

    def compiled(self) -> re.Pattern | None:
        return re.compile(self.regex, re.I if self.case == "insensitive" else 0) if self.regex else None


def _word_window(text: str, n: int, from_end: bool) -> str:
    toks = list(_TOKEN_RX.finditer(text))
    if not toks:
        return text
    if from_end:
        return text[toks[max(0, len(toks) - n)].start():]
    return text[: toks[min(n, len(toks)) - 1].end()]


def condition_holds(cond: Condition, rx: re.Pattern | None, sentence: str, start: int, end: int) -> bool:
    """Does the context condition hold for the cue sentence[start:end]?"""
    if cond.scope == "quoted":
        return sum(1 for ch in sentence[:start] if ch in _QUOTES) % 2 == 1
    if rx is None:
        return False
    if cond.scope == "sentence":
        return rx.search(sentence) is not None
    if cond.scope == "clause":
        a = max((m.end() for m in _CLAUSE_RX.finditer(sentence, 0, start)), default=0)
        m = _CLAUSE_RX.search(sentence, end)
        return rx.search(sentence[a : m.start() if m else len(sentence)]) is not None
    before = _word_window(sentence[:start], cond.words, True) if cond.scope in ("before", "around") else ""
    after = _word_window(sentence[end:], cond.words, False) if cond.scope in ("after", "around") else ""
    # the cue itself stays in the window so that look-arounds can see it ("n't" + cue)
    return rx.search(before + sentence[start:end] + after) is not None if before or after else False


@lru_cache(maxsize=None)
def _read_conditions(lang: str) -> dict[str, Condition]:
    """The pack's ``conditions:`` {name: {regex, explain, scope, words, case}}."""
    path = RULES_DIR / f"{lang}.yml"
    origin = f"rules/{lang}.yml"
    if not _LANG_RX.match(lang) or not path.is_file():
        return {}
    data = _load_pack_yaml(path)
    raw = data.get("conditions") if isinstance(data, dict) else None
    out: dict[str, Condition] = {}
    for name, c in (raw or {}).items():
        if not isinstance(c, dict) or set(c) - {"regex", "explain", "short", "scope", "words", "case"}:
            raise RuleError(f"{origin}: condition {name!r}: keys are regex, explain, short, scope, words, case")
        scope = c.get("scope", "sentence")
        if scope not in SCOPES:
            raise RuleError(f"{origin}: condition {name!r}: scope must be one of {SCOPES}, got {scope!r}")
        if scope != "quoted" and not isinstance(c.get("regex"), str):
            raise RuleError(f"{origin}: condition {name!r}: needs 'regex' (every scope but 'quoted')")
        words = c.get("words", 3)
        if not isinstance(words, int) or isinstance(words, bool) or not 1 <= words <= 50:
            raise RuleError(f"{origin}: condition {name!r}: words must be a whole number from 1 to 50")
        case = c.get("case", "insensitive")
        if case not in ("insensitive", "sensitive"):
            raise RuleError(f"{origin}: condition {name!r}: case must be 'insensitive' or 'sensitive'")
        if c.get("regex") is not None:
            _check_regex(origin, str(name), "conditions", c["regex"], re.I)
        if not c.get("explain"):
            raise RuleError(f"{origin}: condition {name!r}: needs 'explain' (it is shown in the tooltip)")
        try:
            explains = texts(c["explain"], lang, "explain")
            shorts = texts(c["short"], lang, "short") if c.get("short") else {}
        except ValueError as exc:
            raise RuleError(f"{origin}: condition {name!r}: {exc}") from None
        out[str(name)] = Condition(str(name), next(iter(explains.values())), scope, c.get("regex") or "", words,
                                   case, next(iter(shorts.values()), ""), explains, shorts)
    return out


@lru_cache(maxsize=None)
def _read_checked_label(lang: str) -> dict[str, str]:
    """The pack's ``checked_label`` ("Checked:"), which introduces the list of context checks,
    per interface language."""
    path = RULES_DIR / f"{lang}.yml"
    data = _load_pack_yaml(path) if _LANG_RX.match(lang) and path.is_file() else None
    label = data.get("checked_label") if isinstance(data, dict) else None
    try:
        return texts(label, lang, "checked_label")
    except ValueError:
        return texts("Checked:", lang, "checked_label")


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
    rules = [validate_rule(e, org, lang) for e, org in entries if not (isinstance(e, dict) and e.get("id") in dis)]
    conditions = _read_conditions(lang)
    for r in rules:
        for key, names in (("forbids", r.forbids), ("requires", r.requires)):
            for c in names:
                if c not in conditions:
                    raise _err(r.origin, r.id, key, f"unknown condition {c!r} (pack conditions: {sorted(conditions)})")
    return Matcher(lang, rules, conditions)


# --------------------------------------------------------------------------
# matcher
# --------------------------------------------------------------------------


def starts_at_boundary(pattern: str) -> bool:
    """Can a match of ``pattern`` only start at a word's start or at a sign (not inside a word)?
    True when every alternative begins with \\b, ^, a look-behind (?<!\\w) / (?<=…), or a
    character that is not a letter or digit."""
    from re import _constants as c, _parser  # type: ignore[attr-defined]

    def ok(items: Any) -> bool:
        if not items:
            return False
        op, av = items[0]
        if op is c.AT:
            return av in (c.AT_BOUNDARY, c.AT_BEGINNING, c.AT_BEGINNING_STRING)
        if op is c.ASSERT_NOT and av[0] < 0:  # (?<!\\w): no letter before the cue
            return list(av[1]) == [(c.IN, [(c.CATEGORY, c.CATEGORY_WORD)])] or ok(items[1:])
        if op is c.ASSERT and av[0] < 0:  # (?<=\\s), (?<=[„"]): only a space or sign before the cue
            return all(kind is c.CATEGORY and val in (c.CATEGORY_SPACE, c.CATEGORY_NOT_WORD)
                       or kind is c.LITERAL and not (chr(val).isalnum() or chr(val) == "_")
                       for op2, av2 in av[1] if op2 is c.IN for kind, val in av2) \
                and all(op2 is c.IN or op2 is c.LITERAL and not chr(av2).isalnum() for op2, av2 in av[1]) \
                or ok(items[1:])
        if op in (c.ASSERT, c.ASSERT_NOT):  # a look-ahead says nothing about where the match starts
            return ok(items[1:])
        if op is c.SUBPATTERN:
            return ok(av[3])
        if op is c.BRANCH:
            return all(ok(alt) for alt in av[1])
        if op is c.LITERAL:
            return not chr(av).isalnum() and chr(av) != "_"
        first = first_chars(pattern)
        return first is not None and not any(ch.isalnum() or ch == "_" for ch in first)

    return ok(list(_parser.parse(pattern, re.I)))


# Under re.IGNORECASE these non-ASCII letters match ASCII ones (Python's re documentation)
_FOLDS = {"ſ": "s", "\u212a": "k", "\u0130": "i", "\u0131": "i"}


def first_chars(pattern: str) -> frozenset[str] | None:
    """The lower-cased characters a match of ``pattern`` can start with, or None when it could
    start with (almost) anything. Read from the parsed pattern (re's own parser): literals,
    character sets and ranges, alternatives, groups and repeats; zero-width parts (word
    boundaries, look-arounds) are skipped, which can only make the set larger, never smaller."""
    from re import _constants as c, _parser  # type: ignore[attr-defined]

    def seq(items: Any) -> tuple[set[str] | None, bool]:
        out: set[str] = set()
        for op, av in items:
            f, nullable = item(op, av)
            if f is None:
                return None, False
            out |= f
            if not nullable:
                return out, False
        return out, True

    def item(op: Any, av: Any) -> tuple[set[str] | None, bool]:
        if op is c.LITERAL:
            return {chr(av)}, False
        if op is c.IN:
            chars: set[str] = set()
            for kind, val in av:
                if kind is c.LITERAL:
                    chars.add(chr(val))
                elif kind is c.RANGE and val[1] - val[0] <= 400:
                    chars.update(chr(x) for x in range(val[0], val[1] + 1))
                else:  # a negated set, a category (\w, \s), a wide range
                    return None, False
            return chars, False
        if op is c.BRANCH:
            out: set[str] = set()
            nullable = False
            for alternative in av[1]:
                f, n = seq(alternative)
                if f is None:
                    return None, False
                out |= f
                nullable = nullable or n
            return out, nullable
        if op is c.SUBPATTERN:
            return seq(av[3])
        if op is c.ATOMIC_GROUP:
            return seq(av)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            f, n = seq(av[2])
            return f, n or av[0] == 0
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return set(), True
        return None, False

    first, nullable = seq(_parser.parse(pattern, re.I))
    if first is None or nullable:
        return None
    out = set()
    for ch in first:
        for x in (ch.lower(), ch.upper().lower(), _FOLDS.get(ch, "")):
            if len(x) == 1:
                out.add(x)
    return frozenset(out)


def required_text(pattern: str, flags: int = 0) -> str:
    """The longest run of literal characters that every match of ``pattern`` contains ('' if
    none is found): a text without it cannot match, so the search can be skipped. Read from
    re's own parser: only literals in sequence, in groups and in repeats of at least one
    count; anything else (an alternative, a set, an optional part) ends a run. When the
    pattern ignores case, the run is in lower case and ASCII only, to be looked for in
    folded(text)."""
    from re import _constants as c, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    ignore_case = bool(parsed.state.flags & re.IGNORECASE)
    runs: list[str] = [""]

    def walk(items: Any) -> None:
        for op, av in items:
            if op is c.LITERAL and (not ignore_case or chr(av).isascii()):
                runs[-1] += chr(av).lower() if ignore_case else chr(av)
                continue
            runs.append("")
            if op is c.SUBPATTERN and not (av[1] | av[2]) & re.IGNORECASE:
                walk(av[3])
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
                walk(av[2])
            runs.append("")

    walk(parsed)
    return max(runs, key=len)


_FOLD_APART = re.compile("[İıſ]")  # under re.IGNORECASE they match i, i and s; str.lower() keeps them apart


def folded(text: str) -> str | None:
    """The text to look for required_text of a pattern that ignores case in: the text in lower
    case, or None (look no further) when re's case folding and str.lower() differ on it."""
    return None if _FOLD_APART.search(text) else text.lower()


@lru_cache(maxsize=262144)
def lemma(word: str, lang: str) -> str:
    """The lower-cased dictionary form of one word (simplemma; the word itself where it knows none)."""
    try:
        return str(simplemma.lemmatize(word, lang=lang)).lower()
    except (ValueError, KeyError):  # a language simplemma does not know
        return word.lower()


class Matcher:
    """Classifies sentences with one combined regex pass plus one token pass for ``lemmas:`` rules."""

    def __init__(self, lang: str, rules: list[Rule], conditions: dict[str, Condition] | None = None):
        self.lang = lang
        conds = conditions or {}
        self.conditions: dict[str, Condition] = dict(conds)
        self.checked_label = _read_checked_label(lang)
        self.rules: list[Rule] = list(rules)
        self._by_group: dict[str, Rule] = {}
        self._exceptions: dict[str, list[tuple[re.Pattern, str]]] = {}
        self._forbids: dict[str, list[tuple[Condition, re.Pattern | None]]] = {}
        self._requires: dict[str, list[tuple[Condition, re.Pattern | None]]] = {}
        self._messages: dict[str, tuple[tuple[str, str], ...]] = {}  # per group: (language, tooltip), the pack's first
        # lemmas: first lemma -> [(group, rest of the sequence)]; compound heads: [(group, head)]
        self._lemma_index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self._heads: list[tuple[str, str]] = []
        parts = []
        self._firsts: list[frozenset[str] | None] = []  # per regex part: the letters a match can start with
        for i, r in enumerate(self.rules):
            g = f"r{i}"
            self._by_group[g] = r
            fl = re.I if r.case == "insensitive" else 0
            if r.lemmas:
                for entry in r.lemmas:
                    if entry.startswith("+"):
                        self._heads.append((g, entry[1:].lower()))
                        continue
                    seq = tuple(entry.lower().split())
                    firsts = {seq[0], lemma(seq[0], lang)}
                    for f in firsts:
                        self._lemma_index.setdefault(f, []).append((g, seq[1:]))
            else:
                flag = "(?i:" if r.case == "insensitive" else "(?:"
                parts.append(f"(?P<{g}>{flag}{r.pattern}))")
                self._firsts.append(first_chars(r.pattern))
            self._exceptions[g] = [(re.compile(p, fl), scope) for p, scope in r.exceptions]
            self._forbids[g] = [(conds[c], conds[c].compiled()) for c in r.forbids if c in conds]
            self._requires[g] = [(conds[c], conds[c].compiled()) for c in r.requires if c in conds]
            self._messages[g] = tuple((language, self._tooltip(r, language))
                                      for language in dict.fromkeys([lang, *INTERFACE_LANGUAGES]))
        try:
            self._rx = re.compile("|".join(parts)) if parts else None
            self._parts = parts
            self._by_key: dict[str, re.Pattern | None] = {}
            self._by_char: dict[str, re.Pattern | None] = {}  # a sentence's character -> its pattern
        except re.error as exc:  # pragma: no cover - single rules compile, so unlikely
            raise RuleError(f"rules/{lang}.yml: combined pattern does not compile: {exc}") from None

    def __repr__(self) -> str:
        return f"Matcher(lang={self.lang!r}, rules={len(self.rules)})"

    def _tooltip(self, r: Rule, language: str) -> str:
        """The rule's message in an interface language, with the context it checked: a required
        condition says why the mark stands; the forbidden ones are listed briefly."""
        explains = [self.conditions[c].explain_in(language) for c in r.requires if c in self.conditions]
        checked = [self.conditions[c].short_in(language) for c in r.forbids if c in self.conditions]
        if checked:
            label = self.checked_label.get(language) or next(iter(self.checked_label.values()))
            explains.append(f"{label} {'; '.join(checked)}.")
        return " ".join([r.message_in(language), *explains])

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
        if any(condition_holds(c, rx, sentence, start, end) for c, rx in self._forbids[group]):
            return True
        return not all(condition_holds(c, rx, sentence, start, end) for c, rx in self._requires[group])

    def _bucket(self, key: str) -> re.Pattern | None:
        """The combined pattern of only the rules whose match can start with ``key`` (a lower-case
        ASCII character), in pack order, so the rule listed first still wins. Exact: a rule
        left out cannot match at that position (see first_chars)."""
        if key not in self._by_key:
            keep = [part for part, first in zip(self._parts, self._firsts) if first is None or key in first]
            self._by_key[key] = re.compile("|".join(keep)) if keep else None
        return self._by_key[key]

    def prepare(self) -> None:
        """Compile the pattern for every ASCII character now rather than on first use (before
        a process pool forks, so that its processes inherit them)."""
        for code in range(128):
            self._bucket(chr(code).lower())

    def _cue(self, g: str, sentence: str, s: int, e: int) -> Cue:
        r = self._by_group[g]
        messages = self._messages[g]
        return Cue(sentence[s:e], s, e, r.id, r.category, r.kind, messages[0][1], r.level, messages)

    def _regex_cues(self, sentence: str) -> list[Cue]:
        """Try the combined pattern only where a cue can start: at the start of a word or at a
        character that is neither a letter nor a space. Every rule brings its own word boundary
        (checked when the pack is loaded), so no cue starts inside a word; skipping those
        positions makes the pass about four times faster than ``rx.search`` from each position."""
        cues: list[Cue] = []
        rx = self._rx
        if rx is None:
            return cues
        pos = 0
        by_char = self._by_char
        for start in _CUE_START.finditer(sentence):
            p = start.start()
            if p < pos:
                continue
            ch = sentence[p]
            if ch in by_char:
                bucket = by_char[ch]
            else:
                bucket = by_char[ch] = self._bucket(ch.lower()) if ch.isascii() else rx
            m = bucket.match(sentence, p) if bucket is not None else None
            if m is None:
                continue
            g = m.lastgroup
            if g not in self._by_group:  # defensive: find the rule group that matched
                g = next(k for k, v in m.groupdict().items() if v is not None and k in self._by_group)
            s, e = m.span(g)
            if e <= s or self._cancelled(g, sentence, s, e):
                continue
            cues.append(self._cue(g, sentence, s, e))
            pos = e
        return cues

    def _lemma_cues(self, sentence: str, taken: list[Cue]) -> list[Cue]:
        if not self._lemma_index and not self._heads:
            return []
        toks = [(m.start(), m.end(), m.group().lower(), lemma(m.group(), self.lang))
                for m in _TOKEN_RX.finditer(sentence)]
        spans = [(c.start, c.end) for c in taken]
        cues: list[Cue] = []

        def free(s: int, e: int) -> bool:
            return all(e <= a or s >= b for a, b in spans)

        index, head_ends = self._lemma_index, tuple(head for _, head in self._heads)
        for i, (s, e, low, lem) in enumerate(toks):
            if lem not in index and low not in index and not lem.endswith(head_ends):
                continue  # (most words): no entry starts here and no compound head ends here
            found = None
            for g, rest in self._lemma_index.get(lem, []) + (self._lemma_index.get(low, []) if low != lem else []):
                j = i + 1 + len(rest)
                if j > len(toks) or any(toks[i + 1 + k][2] != w and toks[i + 1 + k][3] != w
                                        for k, w in enumerate(rest)):
                    continue
                end = toks[j - 1][1]
                if free(s, end) and not self._cancelled(g, sentence, s, end):
                    found = (g, s, end)
                    break
            if found is None:
                for g, head in self._heads:
                    if len(lem) - len(head) >= COMPOUND_MIN_PREFIX and lem.endswith(head) and free(s, e) \
                            and not self._cancelled(g, sentence, s, e):
                        found = (g, s, e)
                        break
            if found is not None:
                g, a, b = found
                cues.append(self._cue(g, sentence, a, b))
                spans.append((a, b))
        return cues

    def find(self, sentence: str) -> list[Cue]:
        """All cues in the sentence, in order of start."""
        if not sentence:
            return []
        cues = self._regex_cues(sentence)
        cues += self._lemma_cues(sentence, cues)
        cues.sort(key=lambda c: (c.start, c.end, c.rule))
        return cues

    def classify(self, sentence: str) -> tuple[tuple[str, ...], tuple[Cue, ...]]:
        """Return (sorted labels, cues sorted by start) for one sentence."""
        cues = self.find(sentence)
        labels = tuple(sorted({c.category for c in cues}))
        return labels, tuple(cues)
