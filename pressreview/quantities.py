"""Quantities in one sentence: money, percentages, ranges, multiples, counts, years, dates.

``extract_quantities(text, lang)`` reads ONE sentence and returns
:class:`pressreview.model.Quantity` objects, ordered by position, whose
``start``/``end`` slice ``text`` to ``Quantity.text`` (``sentence_id`` is left
'' for the caller).  Spans never overlap: every character belongs to at most
one quantity.

What is found (kind, unit, value)
---------------------------------
- ``money``: ``3,2 Milliarden Dollar``, ``3,2-Milliarden-Dollar`` (inside a
  compound), ``$4.1 billion``, ``€2.4bn``, ``USD 5 million``, ``2,7 Mrd. Euro``.
  unit = ISO 4217 code (bare "Dollar"/"$" = USD, "¥" = JPY), value = amount
  in units of that currency (3.2e9).
- ``percent``: ``27,5%``, ``55 %``, ``5,1 Prozent``, ``30 percent``; unit '%'
  (value 27.5, not 0.275).  Percentage points give unit 'pp', basis points 'bp'.
- ``range``: ``27,5% bis 32,5%``, ``20 to 30%``, ``10–12 Mrd.``,
  ``zwischen 20 und 30 Prozent``, ``2020 bis 2025``; value = lower bound,
  value_to = upper bound, unit from the bounds ('%', a currency, a count noun,
  'year' or '').  A scale written only on the upper bound applies to both.
- ``multiple``: ``14-fachen``, ``zehnmal schneller``, ``10x``, ``tenfold``,
  ``doppelt so viel``, ``verdoppeln``; unit 'x'.  "-mal"/"times" only count
  when a comparative follows ("zweimal überrundet" is a frequency, skipped).
- ``count``: a number with a counted noun or a measurement unit:
  ``89 Verfügbarkeitszonen`` (unit 'Verfügbarkeitszonen'), ``246 EFLOP/s``,
  ``100.000 KI-Spezialisten``, ``31 globalen Regionen`` (unit 'Regionen'),
  ``18 Billionen Informationsstücken`` (1.8e13).  The unit is the noun as
  written (no lemmatiser).  A scaled number without a noun ("7 Mrd.") is a
  count with unit ''.  A bare number without any unit is NOT extracted.
- ``year``: a four-digit number from 1900 to 2100 written without separators
  (``2025``, ``im Jahr 2020``, ``bis 2027``); value 2025.0, unit 'year'.
  "über 2000 Mitarbeiter" (a qualifier and a noun) is a count instead.
- ``score``: a vote of two whole numbers near a word of voting: ``mit 322 zu
  306 Stimmen``, ``voted 322 to 306``, ``by 322 votes to 306``; value = the
  first, value_to = the second, unit ''.
- ``date``: ``18. September 2025``, ``14. September``, ``September 2023``,
  ``18/09/2025``, ``18.09.2025``, ``2025-09-18``, ``Sept. 11, 2025``,
  ``11 September 2025``.  Convention: unit 'date', value = YYYYMMDD as a
  float with unknown parts 0 (20250918.0; "September 2023" -> 20230900.0;
  "14. September" -> 914.0).  :func:`iso_date` turns it back into ISO 8601
  ('2025-09-18', '2023-09', '--09-14').

Measure and bounds (added for issue 11)
---------------------------------------
``Quantity.measure`` says what is measured in words that do not depend on the
language: ``price_per_share`` ("48,20 Euro je Aktie", "€48.20 a share",
"Ausgabepreis von 40 Euro", "Shares closed at €48.20"), ``share_count`` ("60
Millionen neue Aktien", "60 million new shares"), ``capacity`` (GW, MW, GWh
...), ``percentage_points``, ``basis_points``; otherwise the kind (``money``,
``percent``, ``count``, ``year``, ``date``, ``multiple``, ``score``; a range:
the kind of its bounds).  The rules are the ``measures`` list of
``rules/quantities.yml``, where users add their own.  A number joined to the
next by "von ... auf" / "statt" / "or" measures what that one does ("von
1,40 Euro auf 60 Cent je Aktie": both prices per share).
``Quantity.lower``/``upper`` give the interval the text allows ("über 50" ->
50..open, "bis zu 3" -> open..3, "rund 2,4" -> 2.28..2.52 with
``around_relative``, a range its two ends, a score none); the mapping from
qualifiers is ``bounds`` in the YAML.

Qualifiers
----------
Words right before the quantity are part of its span and normalised:
over, around, up_to, nearly, at_least, under, only (lists in
``rules/quantities.yml``); before years and dates also until ("bis 2027",
"by 2027"), since ("seit"), from ("ab").  "über" right after an amount noun
("Wandelanleihe über 3,2 Milliarden Dollar") means "amounting to" and is not
a qualifier.  Between a qualifier and a multiple an article may stand
("nur dem 14-fachen").

Number formats
--------------
German ``1.200`` = 1200 and ``3,2`` = 3.2; English ``1,200`` = 1200 and
``3.2`` = 3.2; ``1.234,5`` / ``1,234.5`` in either language.  A number is parsed with Babel in the text's locale (de_DE for
'de', en_US for anything else) in strict mode; if strict parsing fails
(``3.2`` in a German text, ``3,2`` in an English one) the other locale is
tried.  So the one truly ambiguous shape -- one separator followed by exactly
three digits, ``1.200`` / ``1,200`` -- is decided by ``lang``: in German
``1.200`` = 1200 and ``1,200`` = 1.2; in English ``1,200`` = 1200 and
``1.200`` = 1.2.  Spaces (plain, no-break, narrow no-break, thin: ``300 000``)
and Swiss apostrophes (’ and ': ``80’000``, ``1’234.50``) are thousands
separators when they stand between groups of exactly three digits, the same
separator throughout; they are removed before Babel reads the number, since
no one CLDR locale has them all (de_CH knows ’ but not ', fr_FR U+202F but not
a plain space).  Minutes and seconds of a time ("10:30", "1:14,607") are not
numbers.  A number may take the unit of the next one ("0,5 statt 0,4
Prozent", "von 1,40 auf 0,60 Euro", "2 oder 3 Mrd. Euro"); cents, Rappen and
pence are hundredths of their currency.  Negative numbers are not read (the
sign is dropped).

Model names
-----------
Numbers that are part of a name are not quantities.  A number is skipped when
(1) a letter or "letter-" stands right before it (``Qwen3``, ``GPT-4``,
``Gemini-2.5-Flash``, ``A3B``, ``Q2``), (2) letters are glued right after it
that are not a known suffix (``80B``, ``5G``; known: bn/Mrd/Mio..., x, -fach,
and after a currency sign k/m/b), or (3) for counts and unit-less numbers,
the word before it is a product/model name (``Qwen 2.5``, ``GPT 4``: a word in
``model_names`` or one with digits, CamelCase or three capitals).  Unit-less
numbers are never extracted anyway, so ``Qwen 2.5 übertrifft`` yields nothing.

What Babel does and does not do here
------------------------------------
Babel (2.18) is used for: parsing the digits (``parse_decimal`` with
de_DE/en_US, strict mode to detect the wrong convention); the scale words
of CLDR's compact-number patterns (Tausend, Million(en), Milliarde(n),
Billion(en), Mio., Mrd., Bio.; thousand ... trillion); month names
(wide and abbreviated, format and stand-alone) and currency names and
symbols for the codes listed in the YAML.  Babel lacks, and this module adds
by hand: finding numbers in running text at all; compact numbers *with*
scale words (Babel only formats "3,2 Mrd.", it cannot parse it), suffixes
like "bn"/"mn" and glued "$5m"; colloquial currency words ("Dollar" = USD);
date parsing from running text (``babel.dates.parse_date`` needs a whole
numeric date string in one locale pattern); percent words ("Prozent");
qualifiers, multiples, ranges, count nouns and model-name filtering; the
thousands separators of the wild (spaces, apostrophes) that no single locale
reads; measures, bounds and votes (word lists in the YAML).

price-parser (0.5.1) was measured for amounts with a currency and not taken:
on 15 money strings like those in tests/test_quantities.py it read the amount right in
10 and amount and currency together in 3; it knows no scale words (``€2.4bn``
-> 2.4), no currency words like "Euro", "Franken", "US-Dollar", reads
``80’000`` as 80, has no notion of the text's language (``1,200`` in German)
and parses one price string, not running text -- so it would have replaced
none of the hand-written parts above, only the digits that Babel already reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import get_month_names
from babel.numbers import (
    NumberFormatError,
    get_currency_name,
    get_currency_symbol,
    parse_decimal,
)

from .claims import folded, required_text
from .model import Quantity
from .safeyaml import load_package_file

RULES_PATH = Path(__file__).parent / "rules" / "quantities.yml"

__all__ = ["extract_quantities", "iso_date", "parse_number", "RULES_PATH"]

_SP = "[ \u00a0\u202f]"  # a space inside a quantity
# Thousands separators that no single Babel locale reads in a de_DE/en_US text: spaces
# (plain, no-break U+00A0, narrow no-break U+202F, thin U+2009: "300 000") and the Swiss
# apostrophes (U+2019 and U+0027: "80’000").  The number pattern accepts them only between
# groups of exactly three digits, the same separator throughout ("1 234 567", not "1 234.567"),
# and parse_number removes them before Babel reads the rest.
_SEPS = " \u00a0\u202f\u2009\u2019'"
_L = r"[^\W\d_]"  # one letter
_NUM = (
    r"(?<![\w.,'\u2019])(?<![^\W\d_][-\u2011])(?<!\d[:/])"  # not "10:30", "1:14,607", "2022/23"
    r"(?:\d{1,3}(?P<grp>[.," + _SEPS + r"])\d{3}(?:(?P=grp)\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?![.,'\u2019]?\d)"
)


_URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)\S+")


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    return load_package_file(RULES_PATH)


def _alt(words: list[str], flags_i: bool = False) -> str:
    """A regex alternation of literal words, longest first, spaces flexible."""
    parts = []
    for w in sorted(set(words), key=lambda s: (-len(s), s)):
        parts.append((_SP + "+").join(re.escape(p) for p in w.split()))
    body = "|".join(parts) or "(?!)"
    return f"(?i:{body})" if flags_i else f"(?:{body})"


def _locale(lang: str) -> str:
    return "de_DE" if lang == "de" else "en_US"


def _base(lang: str) -> str:
    return "de" if lang == "de" else "en"


@lru_cache(maxsize=4096)
def parse_number(raw: str, lang: str) -> Decimal:
    """Parse digits as written in a ``lang`` text (see the module docstring)."""
    s = raw
    for ch in _SEPS:
        s = s.replace(ch, "")
    first = _locale(lang)
    second = "en_US" if first == "de_DE" else "de_DE"
    for loc in (first, second):
        try:
            return parse_decimal(s, locale=loc, strict=True)
        except (NumberFormatError, InvalidOperation, ValueError):
            continue
    digits = re.sub(r"\D", "", s)
    return Decimal(digits or "0")


def iso_date(q: Quantity) -> str:
    """ISO 8601 text of a 'date' quantity: 'YYYY-MM-DD', 'YYYY-MM' or '--MM-DD'."""
    if q.kind != "date":
        return ""
    v = int(q.value)
    y, m, d = v // 10000, v // 100 % 100, v % 100
    if y and m and d:
        return f"{y:04d}-{m:02d}-{d:02d}"
    if y and m:
        return f"{y:04d}-{m:02d}"
    if m and d:
        return f"--{m:02d}-{d:02d}"
    return f"{y:04d}" if y else ""


@dataclass
class _Atom:
    start: int  # including the qualifier
    core: int  # start of the currency sign, month or number
    end: int
    num: Decimal  # unscaled number
    scale: Decimal
    scaled: bool
    unit: str
    kind: str  # money percent multiple count year date bare
    qualifier: str = ""
    value_to: Decimal | None = None
    literal_value: Decimal | None = None  # for dates: YYYYMMDD
    of_kind: str = ""  # for a range: the kind of its bounds
    same_as_next: bool = False  # "von 1,40 Euro auf 60 Cent je Aktie": measures what the next one does

    @property
    def value(self) -> Decimal:
        if self.literal_value is not None:
            return self.literal_value
        return self.num * self.scale


class _Lang:
    """Compiled patterns for one language."""

    def __init__(self, lang: str) -> None:
        r = _rules()
        self.lang = lang
        base = _base(lang)
        self.base = base
        other = "en" if base == "de" else "de"

        # --- scales -------------------------------------------------------
        de_scales: dict[str, Decimal] = {}
        en_scales: dict[str, Decimal] = {}
        for loc, table in (("de_DE", de_scales), ("en_US", en_scales)):
            for word, val in _cldr_scales(loc).items():
                table.setdefault(word, val)
        de_scales.update({k: Decimal(v) for k, v in r["scales"]["de"].items()})
        en_scales.update({k.lower(): Decimal(v) for k, v in r["scales"]["en"].items()})
        self.de_scales = de_scales
        self.en_scales = en_scales
        self.abbrev = set(r["scale_abbreviations"])
        self.dot_continues_re = re.compile(rf"{_SP}+[a-z0-9]")
        sep_alt = "|".join(
            [f"(?-i:{_alt(list(de_scales))})", _alt(list(en_scales), flags_i=True)]
        )
        self.scale_sep_re = re.compile(rf"(?:{_SP}|[-\u2011])(?P<w>{sep_alt})(?!{_L})")
        self.scale_att_re = re.compile(rf"(?P<w>{_alt(r['scale_attached'])})(?!{_L})")
        letters = r["scale_letters_after_currency"]
        self.scale_letters = {k: Decimal(v) for k, v in letters.items()}
        self.scale_letter_re = re.compile(rf"(?P<w>[{''.join(letters)}])(?!{_L})")

        # --- currencies ----------------------------------------------------
        codes = list(r["currency_codes"])
        words: dict[str, str] = {}
        symbols: dict[str, str] = dict(r["currency_symbols"])
        for code in codes:
            for loc in ("de_DE", "en_US"):
                for count in (1, 2):
                    try:
                        name = get_currency_name(code, count=count, locale=loc)
                    except Exception:  # pragma: no cover - babel data gap
                        continue
                    if name and name != code:
                        words.setdefault(name.lower(), code)
                try:
                    sym = get_currency_symbol(code, locale=loc)
                except Exception:  # pragma: no cover
                    sym = code
                if sym and sym != code and not sym.isalpha():
                    symbols.setdefault(sym, code)
        for w, code in r["currency_words"].items():
            words[w.lower()] = code
        self.cur_words = words
        self.subunits = {" ".join(w.split()): str(c) for w, c in r["currency_subunits"].items()}
        self.subunit_re = re.compile(
            rf"(?:{_SP}|[-\u2011])(?P<w>{_alt(list(r['currency_subunits']))})(?!{_L})"
        )
        self.cur_symbols = symbols
        self.cur_codes = set(codes)
        sym_alt = _alt(list(symbols))
        code_alt = _alt(codes)
        self.cur_prefix_re = re.compile(
            rf"(?:(?P<sym>{sym_alt})|(?<!{_L})(?P<code>{code_alt})){_SP}?$"
        )
        self.cur_suffix_re = re.compile(
            rf"(?:{_SP}?(?P<sym>{sym_alt})(?![\w$])"
            rf"|(?:{_SP}|[-\u2011])(?:(?P<code>{code_alt})|(?P<word>{_alt(list(words), True)}))(?!{_L}))"
        )

        # --- percent -------------------------------------------------------
        pw = r["percent_words"]
        self.percent_units = {k.lower(): v for k, v in pw.items()}
        words_only = [w for w in pw if w != "%"]
        self.percent_re = re.compile(
            rf"(?:{_SP}?(?P<sign>%)|{_SP}(?P<word>{_alt(words_only, True)})(?!{_L}))"
        )

        # --- qualifiers -----------------------------------------------------
        self.qual_map: dict[str, str] = {}
        for norm, lst in r["qualifiers"][base].items():
            for w in lst:
                self.qual_map[_norm_space(w)] = norm
        self.year_qual_map: dict[str, str] = {}
        for norm, lst in r["year_qualifiers"][base].items():
            for w in lst:
                self.year_qual_map[_norm_space(w)] = norm
        qalt = _alt(list(self.qual_map), True)
        yalt = _alt(list(self.year_qual_map), True)
        art = _alt(r["multiple_articles"], True)
        self.qual_re = re.compile(rf"(?<![\w.])(?P<q>{qalt}){_SP}+$")
        self.qual_art_re = re.compile(rf"(?<![\w.])(?P<q>{qalt}){_SP}+(?:{art}{_SP}+)?$")
        self.year_qual_re = re.compile(rf"(?<![\w.])(?P<q>{yalt}){_SP}+$")
        self.amount_nouns = tuple(w.lower() for w in r["amount_nouns_de"])

        # --- number words -----------------------------------------------------
        nw: dict[str, Decimal] = {}
        for lg in (base, other):
            for w, v in r["number_words"][lg].items():
                nw.setdefault(w.lower(), Decimal(v))
        self.scale_articles = {w.lower() for w in r["scale_articles"][base]}
        for w in self.scale_articles:
            nw.setdefault(w, Decimal(1))
        self.number_words = nw
        self.number_re = re.compile(
            rf"(?P<num>{_NUM})|(?<![\w\-\u2011])(?P<word>{_alt(list(nw), True)})"
        )

        # --- multiples --------------------------------------------------------
        suffixes: dict[str, bool] = {}
        for lg in ("de", "en"):
            for suf, opts in r["multiple_suffixes"][lg].items():
                suffixes[suf.lower()] = bool((opts or {}).get("needs_comparative"))
        self.mult_suffixes = suffixes
        self.mult_suffix_re = re.compile(
            rf"(?:[-\u2011]|{_SP})?(?P<m>{_alt(list(suffixes), True)})(?!{_L})"
        )
        signs = r["multiple_signs"]
        self.mult_sign_re = re.compile(
            rf"(?:(?P<glued>{_alt(signs, True)})|{_SP}(?P<spaced>×))(?![\w])"
        )
        comp = r["comparatives"][base]
        self.comp_words = {w.lower() for w in comp["words"]}
        self.comp_endings = tuple(comp["endings"])
        self.comp_next_re = re.compile(rf"{_SP}+(?P<w>{_L}+)")
        phrases = []
        for lg in (base, other):
            for item in r["multiple_phrases"][lg]:
                rx = re.compile(rf"(?<!{_L})(?:{item['pattern']})(?!{_L})", re.I)
                phrases.append((rx, Decimal(str(item["value"])), required_text(rx.pattern, re.I)))
        self.mult_phrases = phrases

        # --- counts -------------------------------------------------------------
        self.measure_re = re.compile(
            rf"{_SP}?(?P<unit>{_alt(r['measure_units'])})(?![\w/])"
        )
        self.count_skip_de = {w.lower() for w in r["count_skip_words_de"]}
        self.count_stop_de = set(r["count_stop_nouns_de"])
        self.count_stop_en = {w.lower() for w in r["count_stop_words_en"]}
        self.mod_endings_en = tuple(r["count_modifier_endings_en"])
        self.mod_words_en = {w.lower() for w in r["count_modifier_words_en"]}
        self.de_count_re = re.compile(
            rf"(?:{_SP}+(?P<adj>[a-zäöüß]{_L}*))?{_SP}+"
            rf"(?P<unit>[A-ZÄÖÜ]{_L}*(?:[-/\u2011]\w+)*)"
        )
        self.de_compound_re = re.compile(rf"[-\u2011](?P<unit>[A-ZÄÖÜ]{_L}+)(?=[-\u2011])")
        self.en_count_re = re.compile(
            rf"{_SP}+(?P<w1>[A-Za-z][A-Za-z\-]*)(?:{_SP}+(?P<w2>[A-Za-z][a-z\-]*))?"
        )
        self.model_names = set(r["model_names"])

        # --- dates ------------------------------------------------------------------
        months: dict[str, int] = {}
        for loc in ("de_DE", "en_US"):
            for width in ("wide", "abbreviated"):
                for ctx in ("format", "stand-alone"):
                    for num, name in get_month_names(width, context=ctx, locale=loc).items():
                        months.setdefault(name.rstrip("."), int(num))
        for name, num in r["month_extra"].items():
            months.setdefault(name, int(num))
        self.months = months
        malt = _alt([m for m in months if len(m) >= 3])
        self.month_left_re = re.compile(rf"(?<!{_L})(?P<mon>{malt})(?P<dot>\.)?{_SP}+$")
        self.day_month_re = re.compile(
            rf"(?:\.|st|nd|rd|th)?{_SP}+(?:of{_SP}+)?(?P<mon>{malt})(?P<dot>\.)?(?!{_L})"
            rf"(?:,?{_SP}+(?P<y>\d{{4}})(?![\d]))?"
        )
        self.month_day_re = re.compile(
            rf"(?:st|nd|rd|th)?(?:,?{_SP}+(?P<y>\d{{4}})(?!\d))?(?!{_L})"
        )
        self.numeric_date_re = re.compile(
            r"(?<![\w.,/\-])(?:(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"
            r"|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))(?!\d)"
        )
        self.day_first = base == "de" or lang in set(r["day_first_languages"])
        self.year_min = int(r["year_min"])
        self.year_max = int(r["year_max"])
        self.range_re = re.compile(rf"^{_SP}*(?:(?P<w>bis|to|und|and)|[–—\-]){_SP}*$", re.I)
        self.between_re = re.compile(rf"(?<!{_L})(?:zwischen|between){_SP}+$", re.I)
        self.from_re = re.compile(rf"(?<!{_L})(?:von|from){_SP}+$", re.I)
        self.prev_token_re = re.compile(rf"(?P<t>[^\s]+){_SP}+$")
        sc = r["scores"]
        self.score_gap_re = re.compile(rf"^{_SP}*{_alt(sc['between'][base], True)}{_SP}*$")
        self.score_units = {str(u).lower() for u in sc["units"]}
        self.score_cues = tuple(str(c).lower() for c in sc["cue_prefixes"])
        su = r["shared_unit"][base]
        self.shared_re = re.compile(rf"^{_SP}*{_alt(su['between'], True)}{_SP}*$")
        self.change_re = re.compile(rf"^{_SP}*{_alt(su['change_to'], True)}{_SP}*$")
        self.change_from_re = re.compile(rf"(?<!{_L}){_alt(su['change_from'], True)}{_SP}+$")

        # --- measures and bounds ------------------------------------------------------
        self.measures = [_MeasureRule(item) for item in r["measures"]]
        self.before_chars = int(r["before_chars"])
        self.bounds = {str(k): str(v) for k, v in r["bounds"].items()}
        self.around = Decimal(str(r["around_relative"]))

    # ------------------------------------------------------------------
    def scale_value(self, word: str) -> Decimal | None:
        w = word.rstrip(".")
        tables = [(self.de_scales, False), (self.en_scales, True)]
        if self.base != "de":
            tables.reverse()
        for table, lower in tables:
            key = w.lower() if lower else w
            if key in table:
                return table[key]
        return None

    def qualifier(self, text: str, core: int, floor: int, *, kind: str) -> tuple[str, int]:
        left = text[max(floor, core - 40):core]
        if kind in ("year", "date"):
            m = self.year_qual_re.search(left)
            if m:
                return self.year_qual_map[_norm_space(m.group("q"))], core - len(left) + m.start()
            return "", core
        rx = self.qual_art_re if kind == "multiple" else self.qual_re
        m = rx.search(left)
        if not m:
            return "", core
        word = _norm_space(m.group("q"))
        norm = self.qual_map[word]
        qstart = core - len(left) + m.start()
        if word == "über" and self.base == "de":
            before = text[max(0, qstart - 40):qstart]
            pm = re.search(rf"({_L}+){_SP}+$", before)
            if pm and pm.group(1).lower().endswith(self.amount_nouns):
                return "", core
        return norm, qstart

    def is_comparative(self, text: str, pos: int) -> bool:
        m = self.comp_next_re.match(text, pos)
        if not m:
            return False
        w = m.group("w").lower()
        return w in self.comp_words or (len(w) > 4 and w.endswith(self.comp_endings))

    def name_before(self, text: str, core: int) -> bool:
        m = self.prev_token_re.search(text[max(0, core - 40):core])
        if not m:
            return False
        tok = m.group("t")
        if tok in self.model_names:
            return True
        if re.search(r"\d", tok) and re.search(_L, tok):
            return True
        if re.search(r"[a-z][A-Z]", tok):
            return True
        return len(re.findall(r"[A-Z]", tok)) >= 3 and tok.isalnum()

    def count_unit(self, text: str, pos: int) -> tuple[str, int] | None:
        m = self.measure_re.match(text, pos)
        if m:
            return m.group("unit"), m.end()
        if self.base == "de":
            m = self.de_compound_re.match(text, pos)
            if m:
                return m.group("unit"), m.end()
            m = self.de_count_re.match(text, pos)
            if not m:
                return None
            adj = m.group("adj")
            if adj and (adj.lower() in self.count_skip_de or not adj.endswith(("e", "en", "er", "es", "em"))):
                return None
            unit = m.group("unit").rstrip("-/\u2011")
            head = unit.split("-")[0]
            if (
                unit in self.count_stop_de
                or head in self.months
                or unit.lower() in self.cur_words
                or self.scale_value(unit) is not None
            ):
                return None
            return unit, m.start("unit") + len(unit)
        m = self.en_count_re.match(text, pos)
        if not m:
            return None
        w1, w2 = m.group("w1").rstrip("-"), m.group("w2")
        if w1.lower() in self.count_stop_en or w1 in self.months or len(w1) == 1:
            return None  # a single letter is no counted noun: "11 p.m.", "5 a.m."
        modifier = (w1.isupper() and len(w1) > 1) or w1.lower() in self.mod_words_en or (
            len(w1) > 4 and w1.lower().endswith(self.mod_endings_en)
        )
        plural_next = bool(w2) and w2.endswith("s") and not w1.lower().endswith("s")
        if (modifier or plural_next) and w2 and w2.lower() not in self.count_stop_en:
            w2 = w2.rstrip("-")
            return w2, m.start("w2") + len(w2)
        return w1, m.start("w1") + len(w1)

    # ------------------------------------------------------------------
    def read_number(self, text: str, m: re.Match[str], floor: int) -> _Atom | None:
        core = m.start()
        pos = m.end()
        is_word = m.group("word") is not None
        if is_word:
            word = m.group("word").lower()
            num = self.number_words[word]
            raw = ""
        else:
            word = ""
            raw = m.group("num")
            num = parse_number(raw, self.lang)
        glued = pos < len(text) and text[pos].isalpha()
        left = text[max(floor, core - 12):core]

        cur = ""
        if not is_word:
            cm = self.cur_prefix_re.search(left)
            if cm:
                cur = self.cur_symbols.get(cm.group("sym") or "", "") or cm.group("code") or ""
                if cur:
                    core = core - len(left) + cm.start()

        # dates --------------------------------------------------------------
        if not is_word and not cur and re.fullmatch(r"\d+", raw):
            n = int(raw)
            mleft = self.month_left_re.search(text[max(floor, core - 16):core])
            if mleft:
                month = self.months[mleft.group("mon")]
                mstart = core - len(text[max(floor, core - 16):core]) + mleft.start()
                if len(raw) == 4 and self.year_min <= n <= self.year_max:
                    return self._date(text, mstart, pos, n, month, 0, floor)
                if 1 <= n <= 31 and len(raw) <= 2:
                    dm = self.month_day_re.match(text, pos)
                    if dm and (dm.group("y") or self.base == "en"):
                        y = int(dm.group("y") or 0)
                        if _valid(y or 2000, month, n):
                            return self._date(text, mstart, dm.end(), y, month, n, floor)
            if 1 <= n <= 31 and len(raw) <= 2:
                dm = self.day_month_re.match(text, pos)
                if dm:
                    month = self.months[dm.group("mon")]
                    y = int(dm.group("y") or 0)
                    if y and not (self.year_min <= y <= self.year_max):
                        y = 0
                    if _valid(y or 2000, month, n):
                        end = dm.end() if y else (dm.end("dot") if dm.group("dot") else dm.end("mon"))
                        return self._date(text, core, end, y, month, n, floor)

        # scale --------------------------------------------------------------
        scale = Decimal(1)
        scaled = False
        sm = self.scale_att_re.match(text, pos) if not is_word else None
        if sm is None:
            sm = self.scale_sep_re.match(text, pos)
        if sm is not None:
            val = self.scale_value(sm.group("w"))
            if val is not None:
                scale, scaled = val, True
                pos = sm.end()
                w = sm.group("w")
                if w.rstrip(".") in self.abbrev and text[pos:pos + 1] == "." and not w.endswith("."):
                    # "2,4 Mrd." is one abbreviation; "€2.4bn." ends the sentence (English
                    # writes "bn" without a full stop unless a lower-case word follows)
                    if w in self.de_scales or self.dot_continues_re.match(text, pos + 1):
                        pos += 1
        elif cur and not is_word:
            lm = self.scale_letter_re.match(text, pos)
            if lm:
                scale, scaled = self.scale_letters[lm.group("w")], True
                pos = lm.end()
        if is_word and word in self.scale_articles and not scaled:
            return None

        # money ----------------------------------------------------------------
        if not cur:
            cs = self.cur_suffix_re.match(text, pos)
            if cs:
                if cs.group("sym"):
                    cur = self.cur_symbols[cs.group("sym")]
                elif cs.group("code"):
                    cur = cs.group("code")
                else:
                    cur = self.cur_words.get(_norm_space(cs.group("word")).lower(), "")
                if cur:
                    pos = cs.end()
            elif not scaled and not is_word:
                sub = self.subunit_re.match(text, pos)
                if sub:  # "60 Cent je Aktie" = 0.60 EUR
                    cur = self.subunits[" ".join(sub.group("w").split())]
                    scale, scaled, pos = Decimal("0.01"), True, sub.end()
        if cur:
            return self._atom(text, core, pos, num, scale, scaled, cur, "money", floor)

        if not scaled:
            # percent -----------------------------------------------------------
            if not is_word:
                pm = self.percent_re.match(text, pos)
                if pm:
                    unit = "%" if pm.group("sign") else self.percent_units[_norm_space(pm.group("word")).lower()]
                    return self._atom(text, core, pm.end(), num, scale, False, unit, "percent", floor)
            # multiple ----------------------------------------------------------
            mm = self.mult_suffix_re.match(text, pos)
            if mm:
                needs = self.mult_suffixes[mm.group("m").lower()]
                if not needs or self.is_comparative(text, mm.end()):
                    return self._atom(text, core, mm.end(), num, scale, False, "x", "multiple", floor)
            if not is_word:
                sg = self.mult_sign_re.match(text, pos)
                if sg:
                    return self._atom(text, core, sg.end(), num, scale, False, "x", "multiple", floor)
        if is_word and not scaled:
            return None
        if glued and pos == m.end():
            return None  # model-like: 80B, 5G, Qwen3 ...

        # year --------------------------------------------------------------------
        plain_year = (
            not scaled and not is_word and re.fullmatch(r"\d{4}", raw) is not None
            and self.year_min <= int(raw) <= self.year_max
        )
        if plain_year:
            q, _ = self.qualifier(text, core, floor, kind="count")
            cu = self.count_unit(text, pos) if q else None
            if not cu:
                return self._atom(text, core, pos, num, Decimal(1), False, "year", "year", floor)

        # count ---------------------------------------------------------------------
        cu = self.count_unit(text, pos)
        if cu and not self.name_before(text, core):
            unit, end = cu
            return self._atom(text, core, end, num, scale, scaled, unit, "count", floor)
        if scaled:
            return self._atom(text, core, pos, num, scale, scaled, "", "count", floor)
        if self.name_before(text, core):
            return None
        return self._atom(text, core, pos, num, scale, scaled, "", "bare", floor)

    def _atom(self, text, core, end, num, scale, scaled, unit, kind, floor) -> _Atom:
        q, qstart = self.qualifier(text, core, floor, kind=kind)
        return _Atom(qstart, core, end, num, scale, scaled, unit, kind, q)

    def _date(self, text, core, end, y, mo, d, floor) -> _Atom:
        q, qstart = self.qualifier(text, core, floor, kind="date")
        lit = Decimal(y * 10000 + mo * 100 + d)
        return _Atom(qstart, core, end, lit, Decimal(1), False, "date", "date", q, literal_value=lit)


# a clause ends at a comma (not the one of "11,3"), ; : ) ] or a dash between spaces; an opening
# bracket does not end it ("Papiere der Andritz (minus 1,7 Prozent auf 49,65 Euro)")
_CLAUSE_BREAK = re.compile(r",(?!\d)|[;:)\]]|\s[–—-]\s")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


class _MeasureRule:
    """One entry of `measures` in rules/quantities.yml (see the comments there)."""

    def __init__(self, item: dict[str, Any]) -> None:
        self.name = str(item["name"])
        self.kinds = set(item.get("kinds") or ())
        self.units = {str(u).lower() for u in item.get("units") or ()}
        self.unit_endings = tuple(str(u).lower() for u in item.get("unit_endings") or ())
        self.scaled: bool | None = item.get("scaled")
        self.max_value = Decimal(str(item["max_value"])) if "max_value" in item else None
        after = [str(w) for w in item.get("after") or ()]
        self.after_re = re.compile(rf"{_SP}?{_alt(after, True)}(?!{_L})") if after else None
        self.before_words = {str(w).lower() for w in item.get("before_words") or ()}
        self.before_prefixes = tuple(str(w).lower() for w in item.get("before_prefixes") or ())

    def matches(self, text: str, a: _Atom, kind: str, before_chars: int) -> bool:
        if self.kinds and kind not in self.kinds:
            return False
        unit = a.unit.lower()
        if (self.units or self.unit_endings) and not (
            unit in self.units or (self.unit_endings and unit.endswith(self.unit_endings))
        ):
            return False
        if self.scaled is not None and (a.scaled and a.scale > 1) != self.scaled:
            return False
        if self.max_value is not None and a.value > self.max_value:
            return False
        if self.after_re is None and not (self.before_words or self.before_prefixes):
            return True
        if self.after_re is not None and self.after_re.match(text, a.end):
            return True
        if self.before_words or self.before_prefixes:
            left = text[max(0, a.start - before_chars):a.start]
            cut = None
            for cut in _CLAUSE_BREAK.finditer(left):
                pass
            if cut is not None:
                left = left[cut.end():]
            for w in _WORD.findall(left):
                lw = w.lower()
                if lw in self.before_words or (self.before_prefixes and lw.startswith(self.before_prefixes)):
                    return True
        return False


def _measure(text: str, a: _Atom, L: _Lang) -> str:
    kind = a.of_kind if a.kind == "range" else a.kind
    for rule in L.measures:
        if rule.matches(text, a, kind, L.before_chars):
            return rule.name
    return kind


def _bounds(a: _Atom, L: _Lang) -> tuple[Decimal | None, Decimal | None]:
    v = a.value
    if a.kind == "score":
        return None, None  # two counts, not an interval
    if a.value_to is not None:
        return v, a.value_to
    how = L.bounds.get(a.qualifier, "exact")
    if how == "lower":
        return v, None
    if how == "upper":
        return None, v
    if how == "around":
        return v * (1 - L.around), v * (1 + L.around)
    return v, v


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def _norm_space(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip()).lower()


def _cldr_scales(loc: str) -> dict[str, Decimal]:
    """Scale words from CLDR compact decimal patterns ('0 Milliarden' -> 1e9)."""
    out: dict[str, Decimal] = {}
    try:
        formats = Locale.parse(loc).compact_decimal_formats
    except Exception:  # pragma: no cover - babel data gap
        return out
    for width in ("long", "short"):
        for _plural, table in (formats.get(width) or {}).items():
            for key, pattern in table.items():
                pat = getattr(pattern, "pattern", pattern)
                zeros = str(pat).count("0")
                word = re.sub(r"[0'\s\u00a0.]", "", str(pat))
                if len(word) < 2 or not zeros:
                    continue
                val = Decimal(int(key)) / Decimal(10) ** (zeros - 1)
                out.setdefault(word if loc.startswith("de") else word.lower(), val)
    return out


@lru_cache(maxsize=8)
def _lang(lang: str) -> _Lang:
    return _Lang(lang)


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(s < b and a < e for a, b in spans)


class _Taken:
    """The spans already read, also as a map of covered characters, so that a check costs the
    length of the span asked about, not the number of spans (a sentence with 10,000 numbers
    stays linear)."""

    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        self.spans: list[tuple[int, int]] = []
        self.covered = bytearray(len(text) + 1)
        for s, e in spans:
            self.add(s, e)

    def add(self, s: int, e: int) -> None:
        self.spans.append((s, e))
        self.covered[s:e] = b"\x01" * (e - s)

    def overlaps(self, s: int, e: int) -> bool:
        if s < e:
            return self.covered.find(1, s, e) != -1
        # an empty span overlaps a span it stands strictly inside (then its position is covered)
        return bool(self.covered[s]) and _overlaps(self.spans, s, e)

    def end_before(self, pos: int) -> int:
        """The end of the last span that ends at or before pos (0 if none); pos itself is not
        covered, so that span ends right after the last covered character before pos."""
        last = self.covered.rfind(1, 0, pos)
        return last + 1 if last >= 0 else 0


def extract_quantities(text: str, lang: str) -> list[Quantity]:
    """Quantities in one sentence, in text order, with non-overlapping spans."""
    if not text:
        return []
    L = _lang((lang or "en").lower()[:2])
    atoms: list[_Atom] = []
    # numbers inside URLs ("...-3-2-billion-...") are not quantities
    taken = _Taken(text, [m.span() for m in _URL_RE.finditer(text)])

    for m in L.numeric_date_re.finditer(text):
        if m.group("iy"):
            y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
        else:
            a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
            if m.group("sep") == "." or a > 12 or (L.day_first and b <= 12):
                d, mo = a, b
            else:
                mo, d = a, b
        if not (L.year_min <= y <= L.year_max) or not _valid(y, mo, d):
            continue
        atoms.append(L._date(text, m.start(), m.end(), y, mo, d, 0))
        taken.add(m.start(), m.end())

    low = folded(text)
    for rx, val, needed in L.mult_phrases:
        if needed and low is not None and needed not in low:  # "verdoppel": cannot match
            continue
        for m in rx.finditer(text):
            if taken.overlaps(m.start(), m.end()):
                continue
            q, qstart = L.qualifier(text, m.start(), 0, kind="multiple")
            if taken.overlaps(qstart, m.start()):
                q, qstart = "", m.start()
            atoms.append(_Atom(qstart, m.start(), m.end(), val, Decimal(1), False, "x", "multiple", q))
            taken.add(qstart, m.end())

    floor = 0
    for m in L.number_re.finditer(text):
        if m.start() < floor or taken.overlaps(m.start(), m.end()):
            continue
        atom = L.read_number(text, m, taken.end_before(m.start()))
        if atom is None or taken.overlaps(atom.start, atom.end):
            continue
        atoms.append(atom)
        taken.add(atom.start, atom.end)
        floor = atom.end

    atoms.sort(key=lambda a: a.start)
    atoms = _merge_ranges(text, atoms, L)
    atoms = _merge_scores(text, atoms, L)
    _share_units(text, atoms, L)
    measures = [_measure(text, atom, L) for atom in atoms]
    for i in range(len(atoms) - 2, -1, -1):
        if atoms[i].same_as_next:
            measures[i] = measures[i + 1]
    out = []
    for atom, measure in zip(atoms, measures):
        if atom.kind == "bare":
            continue
        lo, hi = _bounds(atom, L)
        out.append(
            Quantity(
                text=text[atom.start:atom.end],
                value=float(atom.value),
                unit=atom.unit,
                qualifier=atom.qualifier,
                kind=atom.kind,
                start=atom.start,
                end=atom.end,
                value_to=float(atom.value_to) if atom.value_to is not None else None,
                measure=measure,
                lower=float(lo) if lo is not None else None,
                upper=float(hi) if hi is not None else None,
            )
        )
    return out


def _merge_scores(text: str, atoms: list[_Atom], L: _Lang) -> list[_Atom]:
    """A vote or score of two whole numbers, "mit 322 zu 306 Stimmen", "voted 322 to 306",
    "by 322 votes to 306": kind 'score', value = the first, value_to = the second.  Only when
    a word of voting (rules: `scores`) stands near, so "von 3 zu 2" alone is nothing."""
    out: list[_Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        if b is not None and _is_score(text, a, b, L):
            out.append(_Atom(a.start, a.core, b.end, a.num, Decimal(1), False, "", "score", "",
                             value_to=b.num))
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def _is_score(text: str, a: _Atom, b: _Atom, L: _Lang) -> bool:
    for x in (a, b):
        if x.kind not in ("bare", "count") or x.scaled or x.qualifier or x.num != x.num.to_integral_value():
            return False
        if x.kind == "count" and x.unit.lower() not in L.score_units:
            return False
    if b.start < a.end or not L.score_gap_re.match(text[a.end:b.start]):
        return False
    window = text[max(0, a.start - 80):b.end + 40].lower()
    return any(w.startswith(L.score_cues) for w in _WORD.findall(window))


def _share_units(text: str, atoms: list[_Atom], L: _Lang) -> None:
    """A bare number takes the unit of the next quantity across "statt", "oder", "instead of"
    ... ("um 0,5 statt 0,4 Prozent") or across "auf"/"to" after "von"/"from" ("von 1,40 auf
    0,60 Euro"); a scale word written only on the second applies to both, as in ranges."""
    for a, b in zip(atoms, atoms[1:]):
        if a.kind not in ("bare", b.kind) or b.kind not in ("money", "percent", "count") or b.start < a.end:
            continue
        if a.kind != "bare" and a.unit != b.unit:
            continue
        if not L.shared_re.match(text[a.end:b.start]):
            m = L.change_re.match(text[a.end:b.start])
            if not m or not L.change_from_re.search(text[max(0, a.start - 12):a.start]):
                continue
        if a.kind == "bare":
            a.kind, a.unit = b.kind, b.unit
            if not a.scaled and b.scaled:
                a.scale, a.scaled = b.scale, True
        a.same_as_next = True


def _merge_ranges(text: str, atoms: list[_Atom], L: _Lang) -> list[_Atom]:
    out: list[_Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        merged = _try_range(text, a, b, L) if b is not None else None
        if merged is not None:
            out.append(merged)
            i += 2
        else:
            out.append(a)
            i += 1
    return out


def _try_range(text: str, a: _Atom, b: _Atom, L: _Lang) -> _Atom | None:
    if a.kind in ("date", "multiple") or b.kind in ("date", "bare", "multiple"):
        return None
    gap = L.range_re.match(text[a.end:b.core])
    if not gap:
        return None
    if not gap.group("w") and " " in gap.group() and a.kind == "count" and a.unit:
        return None  # "Kugel: 13,73 m – 200 m: 23,42 Sek." is a list, not a range
    if b.qualifier and b.start < a.end:
        return None
    if a.kind == "bare":
        kind, unit = b.kind, b.unit
        if kind == "year":
            return None
    elif a.kind == b.kind and a.unit == b.unit:
        kind, unit = a.kind, a.unit
    elif a.kind == "money" and b.kind == "count" and b.unit == "" and b.scaled:
        kind, unit = "money", a.unit
    else:
        return None
    start = a.start
    qualifier = a.qualifier
    word = (gap.group("w") or "").lower()
    left = text[max(0, a.start - 20):a.start]
    if word in ("und", "and"):
        bm = L.between_re.search(left)
        if not bm:
            return None
        start = a.start - len(left) + bm.start()
    elif word and not qualifier:  # "von 10 bis 20", "from 2020 to 2025"
        fm = L.from_re.search(left)
        if fm:
            start = a.start - len(left) + fm.start()
    if kind == "year":
        qualifier = ""
        unit = "year"
    lo_scale = a.scale if a.scaled else b.scale
    lo = a.num * lo_scale
    hi = b.value
    if lo > hi:
        return None
    return _Atom(start, a.core, b.end, a.num, lo_scale, True, unit, "range", qualifier, value_to=hi, of_kind=kind)
