"""Sentence splitting for one paragraph or list item.

`split_sentences(text, lang)` returns ``(start, end)`` character spans into
``text``.  Spans are in order, do not overlap, carry no leading or trailing
whitespace, and together cover every non-space character of ``text``.

The work is done by pysbd (one cached ``Segmenter`` per language).  pysbd
already handles most of what German and English news needs: "3,2 Milliarden",
"27,5%", "z. B.", "Dr.", "u. a.", "18. September", "3,2 Mrd. Euro", "...",
„…“ and "…" quotes, "Google und Co. Paroli".  The hand-written code here only
does what pysbd does not:

1. **Offsets.**  pysbd's own ``char_span=True`` looks every sentence up again
   with ``re.finditer`` over the whole text (quadratic on long input) and
   silently *drops* a sentence when its processed string is not found
   verbatim.  We take pysbd's sentence strings and align them to the input
   ourselves, comparing non-space characters only, so every character is
   always covered (anything pysbd lost is attached to the neighbouring span).

2. **Lower-case continuation** (``_merge_lowercase``).  pysbd's English rules
   split after unit abbreviations it does not know: "$3.2 bn. in 2024" became
   "$3.2 bn." + "in 2024" (also "5 mln. dollars").  News sentences do not start
   with a lower-case word, so a segment that starts with one (and is not a
   camel-case name such as "eBay", "iPhone") is joined to the previous segment
   when that ends in a single period.

3. **Abbreviation before a number** (``_merge_before_number``).  pysbd splits
   "Im Jan. 2025", "Art. 5 Abs. 2 GG", "approx. 5%" after the abbreviation.
   After the abbreviations in ``_BEFORE_NUMBER`` a following number never
   starts a new sentence, so the segments are joined.

4. **Sentence-final abbreviation** (``_split_after_abbrev``).  The opposite
   error: pysbd never ends a sentence at "Mrd.", "Mio.", "bn.", "etc.",
   "usw.", so "Der Kurs stieg um 3 Mrd. Die Anleger jubelten." stayed one
   sentence.  We split there only when the next word is a capitalised
   function word from a closed list ("Die", "Er", "Doch", "The", "It", ...),
   which cannot be the unit or noun that normally follows ("3 Mrd. Euro",
   "Google und Co. Paroli" stay whole).

Performance: pysbd is slow on long input (see TOOLCHAIN.md), which is why the
API takes one paragraph at a time.  For German, two pysbd steps are replaced by
versions that skip work which cannot change the text (``_DeutschFast``; tests
compare them with pysbd itself, benchmarks/check_split_identical.py with a
saved run): about a third less split time on 10kGNAD.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import pysbd
from pysbd.lang.deutsch import Deutsch
from pysbd.lists_item_replacer import ListItemReplacer
from pysbd.utils import Rule

from .claims import required_text

__all__ = ["split_sentences"]

_SUPPORTED = {"de", "en"}


_SPACE = re.compile(r"\s")
_FOLD_APART = re.compile("[İıſ]")


class _AbbreviationReplacerDe(Deutsch.AbbreviationReplacer):
    """pysbd's German abbreviation step with the same result, less work.

    pysbd's loop finds the words after each abbreviation (a ``findall`` over the
    whole text) that the German ``scan_for_replacements`` never reads, and runs
    one ``re.sub`` per occurrence of an abbreviation even when its period is
    already replaced.  Here the unused ``findall`` is left out and a ``re.sub``
    whose literal pattern text (``am`` + ".") is not in the text is skipped: it
    could not match.  An ``am`` with any other character (pysbd does not
    escape it: "z.b" holds a wildcard) always runs.  So an abbreviation of
    letters only is not even looked for when it is nowhere followed by a period.
    """

    def search_for_abbreviations_in_string(self, text: str) -> str:
        lowered = text.lower()
        # pysbd's findall ("(?:^|\s)" + abbreviation, ignoring case) finds nothing when the
        # abbreviation (without a wildcard ".") starts no word of the lower-cased text.  That
        # test is exact only where lower() and the regex's case folding agree letter for
        # letter: not for "İ" (two letters in lower case), dotless "ı" or long "ſ".
        spaced = " " + _SPACE.sub(" ", lowered) if len(lowered) == len(text) and not _FOLD_APART.search(text) else ""
        for abbr in self.lang.Abbreviation.ABBREVIATIONS:
            stripped = abbr.strip()
            if stripped not in lowered:
                continue
            if spaced and stripped.isalnum() and stripped.lower() + "." not in lowered:
                # every match ("v" of "von") is passed over below: none is followed by a period
                continue
            for am in re.findall(r"(?:^|\s|\r|\n){}".format(stripped), text, flags=re.IGNORECASE):
                if all(c.isalnum() or c.isspace() for c in am) and am + "." not in text:
                    continue
                text = self.scan_for_replacements(text, am, 0, [])
        return text


_MONTHS_DE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
              "September", "Oktober", "November", "Dezember"]


@lru_cache(maxsize=None)
def _needed(pattern: str) -> str:
    """Text that every match of a pysbd rule contains ('' when not known or case is ignored)."""
    return "" if re.compile(pattern).flags & re.IGNORECASE else required_text(pattern)


def _apply(text: str, *rules: Any) -> str:
    """pysbd's ``Text(text).apply(*rules)`` without the ``re.sub`` of a rule whose required
    text is not in the text (it could not match): most rules replace one placeholder sign
    ("∯", "&ᓰ&") that most sentences do not hold."""
    for rule in rules:
        if _needed(rule.pattern) in text:
            text = re.sub(rule.pattern, rule.replacement, text)
    return text


class _ListItems(ListItemReplacer):
    """pysbd's list-item step with the same result, less work: the two letter-list patterns
    say "at the start or after a space (or a bracket)" with one look-behind instead of three or
    four alternatives that each repeat the rest (about three times faster), and the numbered
    lists are looked for only when a number of one or two digits, a period and a space or ')'
    (what every item of such a list has) is in the text."""

    ALPHABETICAL_LIST_WITH_PERIODS = r"(?<!\S)[a-z](?=\.)"
    ALPHABETICAL_LIST_WITH_PARENS = r"(?<![^\s(])[a-z]+(?=\))"

    def replace_periods_in_numbered_list(self) -> None:
        if _NUMBERED_ITEM.search(getattr(self, "text")):
            super().replace_periods_in_numbered_list()

    def add_line_breaks_for_alphabetical_list_with_parens(self, roman_numeral: bool = False) -> str:
        if not _LETTER_PAREN.search(getattr(self, "text")):  # every item is letters and ')'
            return str(getattr(self, "text"))
        return str(super().add_line_breaks_for_alphabetical_list_with_parens(roman_numeral))


_NUMBERED_ITEM = re.compile(r"\d\.[\s)]")
_LETTER_PAREN = re.compile(r"[a-z]\)")
_THREE_MARKS = re.compile(r"[!?]{3}")


class _ProcessorDe(Deutsch.Processor):
    """pysbd's German processor; ``process``, ``split_into_segments`` and
    ``post_process_segments`` are pysbd's own (0.3.4) with _ListItems and _apply."""

    def process(self) -> Any:
        text: str = getattr(self, "text")
        if not text:
            return text
        self.text = _ListItems(text.replace("\n", "\r")).add_line_break()
        self.replace_abbreviations()
        self.replace_numbers()
        self.replace_continuous_punctuation()
        self.replace_periods_before_numeric_references()
        lang = getattr(self, "lang")
        self.text = _apply(getattr(self, "text"), lang.Abbreviation.WithMultiplePeriodsAndEmailRule,
                           lang.GeoLocationRule, lang.FileFormatRule)
        return self.split_into_segments()

    def split_into_segments(self) -> list[str]:
        self.check_for_parens_between_quotes()
        lang = getattr(self, "lang")
        sents = self.rm_none_flatten(getattr(self, "text").split("\r"))
        sents = [_apply(s, lang.SingleNewLineRule, *lang.EllipsisRules.All) for s in sents]
        sents = self.rm_none_flatten([self.check_for_punctuation(s) for s in sents])
        out: list[str] = []
        for sent in sents:
            done = self.post_process_segments(_apply(sent, *lang.SubSymbolsRules.All))
            if done and isinstance(done, str):
                out.append(done)
            elif isinstance(done, list):
                out.extend(done)
        return [_apply(s, lang.SubSingleQuoteRule) for s in out]

    def post_process_segments(self, txt: str) -> Any:
        if len(txt) > 2 and re.search(r"\A[a-zA-Z]*\Z", txt):
            return txt
        lang = getattr(self, "lang")
        txt = _apply(txt, *lang.ReinsertEllipsisRules.All)
        if re.search(lang.QUOTATION_AT_END_OF_SENTENCE_REGEX, txt):
            return re.split(lang.SPLIT_SPACE_QUOTATION_AT_END_OF_SENTENCE_REGEX, txt)
        return txt.replace("\n", "").strip()

    def replace_continuous_punctuation(self) -> None:
        if _THREE_MARKS.search(getattr(self, "text")):  # what pysbd's pattern needs ("!!!", "?!?")
            super().replace_continuous_punctuation()

    def replace_period_in_deutsch_dates(self) -> None:
        # pysbd's loop, minus the re.sub for a month name that is not in the text (it needs it)
        text: str = getattr(self, "text")  # (pysbd sets it untyped: mypy cannot see its type)
        for month in _MONTHS_DE:
            if month in text:
                text = re.sub(r"(?<=\d)\.(?=\s*{month})".format(month=month), "∯", text)
        self.text = text


# pysbd patterns that start with a look-behind, rewritten to start with the sign they replace
# and look behind from there ("(?<=\d)\." as "\.(?<=\d\.)"): the same matches, but re can jump
# from one period to the next instead of trying the look-behind at every character.
# test_sentences.py compares each with pysbd's own.
_SAME_AS_PYSBD = {
    r"(?<=\d)\.(?=\S)": r"\.(?<=\d\.)(?=\S)",
    r"(?<=\r\d)\.(?=(\s\S)|\))": r"\.(?<=\r\d\.)(?=(\s\S)|\))",
    r"(?<=^\d)\.(?=(\s\S)|\))": r"\.(?<=^\d\.)(?=(\s\S)|\))",
    r"(?<=^\d\d)\.(?=(\s\S)|\))": r"\.(?<=^\d\d\.)(?=(\s\S)|\))",
    r"(?<=\s\d)\.(?=\s)|(?<=\s\d\d)\.(?=\s)": r"\.(?:(?<=\s\d\.)|(?<=\s\d\d\.))(?=\s)",
    r"(?<=-\d)\.(?=\s)|(?<=-\d\d)\.(?=\s)": r"\.(?:(?<=-\d\.)|(?<=-\d\d\.))(?=\s)",
    # the group numbers stay: the replacement is "∯\2\r\7"
    Deutsch.NUMBERED_REFERENCE_REGEX: Deutsch.NUMBERED_REFERENCE_REGEX.replace(
        r"(?<=[^\d\s])(\.|∯)", r"(\.|∯)(?<=[^\d\s][.∯])", 1),
}
_SIGN_FIRST = re.compile(r"\(\?<=([^()]*)\)(\\\.|∯)(.*)", re.S)  # (?<=X)C… -> C(?<=XC)…
for _rule in (Deutsch.GeoLocationRule, Deutsch.FileFormatRule, *Deutsch.AmPmRules.All,
              *Deutsch.SingleLetterAbbreviationRules.All):
    _m = _SIGN_FIRST.fullmatch(_rule.pattern)
    assert _m, _rule.pattern
    _SAME_AS_PYSBD[_rule.pattern] = f"{_m[2]}(?<={_m[1]}{_m[2]}){_m[3]}"


def _same(*rules: Rule) -> list[Rule]:
    return [Rule(_SAME_AS_PYSBD.get(rule.pattern, rule.pattern), rule.replacement) for rule in rules]


class _DeutschFast(Deutsch):
    AbbreviationReplacer = _AbbreviationReplacerDe
    Processor = _ProcessorDe
    NUMBERED_REFERENCE_REGEX = _SAME_AS_PYSBD[Deutsch.NUMBERED_REFERENCE_REGEX]
    GeoLocationRule, FileFormatRule = _same(Deutsch.GeoLocationRule, Deutsch.FileFormatRule)

    class Numbers(Deutsch.Numbers):
        All = _same(*Deutsch.Numbers.All)

    class AmPmRules(Deutsch.AmPmRules):
        All = _same(*Deutsch.AmPmRules.All)

    class SingleLetterAbbreviationRules(Deutsch.SingleLetterAbbreviationRules):
        All = _same(*Deutsch.SingleLetterAbbreviationRules.All)


@lru_cache(maxsize=None)
def _segmenter(lang: str) -> pysbd.Segmenter:
    seg = pysbd.Segmenter(language=lang, clean=False, char_span=False)
    if lang == "de":
        seg.language_module = _DeutschFast
    return seg


def _norm_lang(lang: str) -> str:
    code = (lang or "en").lower().replace("_", "-").split("-")[0]
    if code in _SUPPORTED:
        return code
    try:
        pysbd.Segmenter(language=code)
    except (ValueError, KeyError):
        return "en"
    return code


# --------------------------------------------------------------------------
# 1. alignment of pysbd's strings to the input
# --------------------------------------------------------------------------


_NON_SPACE = re.compile(r"\S")


def _align(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    """Map pysbd's sentence strings back to spans of ``text``.

    Non-space characters are compared from a running cursor (on the text with
    its white space taken out, one ``startswith`` per piece).  If a piece does
    not match (pysbd rewrote something), the rest of the text becomes one
    span: better a long sentence than a lost one.
    """
    dense = "".join(text.split())  # the text without white space
    spans: list[tuple[int, int]] = []
    k = 0  # cursor in dense
    n = len(text)
    pos = 0  # cursor in text: just after the last matched character
    for piece in pieces:
        chars = "".join(piece.split())
        if not chars:
            continue
        m = _NON_SPACE.search(text, pos)
        start = m.start() if m else n
        if not dense.startswith(chars, k):
            spans.append((start, n))
            pos = n
            break
        k += len(chars)
        # the end: just after the len(chars)-th non-space character from start
        end, missing = start, len(chars)
        while missing:
            step = text[end:end + missing]
            end += missing
            missing -= len("".join(step.split()))
        pos = start + len(text[start:end].rstrip())
        spans.append((start, pos))
    # anything left over (pysbd dropped it) joins the last span
    rest = text[pos:]
    if rest.strip():
        if spans:
            spans[-1] = (spans[-1][0], pos + len(rest.rstrip()))
        else:
            lead = len(rest) - len(rest.lstrip())
            spans.append((pos + lead, pos + len(rest.rstrip())))
    return _strip(text, spans)


def _strip(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


# --------------------------------------------------------------------------
# 2.-4. fixes
# --------------------------------------------------------------------------

# a lower-case word that is not a camel-case name (eBay, iPhone, xAI)
_LOWER_START = re.compile(r"[a-zäöüß][a-zäöüß]")
# ends in exactly one period (not "...", not "?", not a closing quote)
_ENDS_SINGLE_PERIOD = re.compile(r"(?<!\.)\.$")

_BEFORE_NUMBER = {
    # German
    "jan", "feb", "febr", "mär", "apr", "jun", "jul", "aug", "sep", "sept",
    "okt", "nov", "dez", "abs", "art", "nr", "s", "bd", "kap", "ziff", "ca",
    "rd", "tab", "abb", "vgl", "bzw", "lt", "gem", "par",
    # English
    "oct", "dec", "mar", "approx", "no", "nos", "vol", "p", "pp", "ch",
    "fig", "sec", "art", "est", "para", "ref", "v", "vs", "ver",
}
_LAST_TOKEN = re.compile(r"([A-Za-zÄÖÜäöüß]+)\.$")
_DIGIT_START = re.compile(r"[0-9]")

_FINAL_ABBREV = r"(?:Mrd|Mio|Tsd|Bio|etc|usw|usf|bn|mn|mln|bln|tn|Co|Inc|Ltd|Corp|Jr)"
_FUNCTION_WORDS = (
    # German: capitalised only at a sentence start
    "Der|Die|Das|Dies|Diese|Dieser|Dieses|Ein|Eine|Er|Es|Wir|Ich|Man|Doch|Aber|"
    "Auch|Dann|Danach|Damit|Dabei|Dazu|Deshalb|Daher|Denn|So|Nun|Jetzt|Im|In|Am|"
    "An|Auf|Bei|Mit|Nach|Seit|Vor|Zum|Zur|Für|Und|Oder|Wie|Was|Wer|Wenn|Als|"
    "Noch|Zudem|Außerdem|Allerdings|Trotzdem|Insgesamt|Laut|"
    # English
    "The|This|That|These|Those|It|Its|He|She|They|We|I|But|And|However|In|On|"
    "At|For|After|Before|Meanwhile|Analysts|There|A|An"
)
_SPLIT_AFTER_ABBREV = re.compile(
    r"(?<=[\s\d])" + _FINAL_ABBREV + r"\.(\s+)(?=(?:" + _FUNCTION_WORDS + r")\b)"
)


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out:
            ps, pe = out[-1]
            prev = text[max(ps, pe - 64):pe]  # its end is enough: joined sentences can grow long
            cur = text[s:e]
            join = False
            if _ENDS_SINGLE_PERIOD.search(prev) and _LOWER_START.match(cur):
                join = True  # fix 2
            elif _DIGIT_START.match(cur):
                m = _LAST_TOKEN.search(prev)
                if m and m.group(1).lower() in _BEFORE_NUMBER:
                    join = True  # fix 3
            if join:
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


def _split_after_abbrev(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        cur = s
        for m in _SPLIT_AFTER_ABBREV.finditer(text, s, e):
            out.append((cur, m.start(1)))
            cur = m.end(1)
        out.append((cur, e))
    return out


# pysbd's work grows faster than the text (96 KB in one call: 4.8 s, TOOLCHAIN.md), so long
# text goes through it in windows: every sentence of a window but the last (which the window
# may cut) is kept, and the next window starts where that last sentence starts.
_WINDOW = 3000


def _pysbd_spans(text: str, lang: str) -> list[tuple[int, int]]:
    seg = _segmenter(lang)
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + _WINDOW)
        chunk = text[start:end]
        local = _align(chunk, list(seg.processor(chunk).process() or []))
        if end < len(text) and len(local) > 1:
            spans += [(start + s, start + e) for s, e in local[:-1]]
            start += local[-1][0]
        else:  # the last window, or one sentence longer than a window
            spans += [(start + s, start + e) for s, e in local]
            start = end
    return spans


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Split one paragraph (or list item) into sentence spans.

    Returns ``[(start, end), ...]`` offsets into ``text``; ``text[start:end]``
    is a sentence without surrounding whitespace.
    """
    if not text or not text.strip():
        return []
    spans = _pysbd_spans(text, _norm_lang(lang))
    spans = _merge(spans, text)
    spans = _split_after_abbrev(spans, text)
    return _strip(text, spans)
