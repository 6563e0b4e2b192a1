"""Behaviour tests for pressreview.quantities."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pressreview.model import Quantity
from pressreview.quantities import extract_quantities, iso_date, parse_number

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def q_of(text: str, lang: str, written: str) -> Quantity:
    """The quantity whose text is exactly ``written``."""
    qs = extract_quantities(text, lang)
    for q in qs:
        if q.text == written:
            return q
    raise AssertionError(f"{written!r} not in {[q.text for q in qs]}")


def texts(text: str, lang: str) -> list[str]:
    return [q.text for q in extract_quantities(text, lang)]


def check(q: Quantity, kind: str, value: float, unit: str, qualifier: str = "", value_to=None):
    assert q.kind == kind, q
    assert q.value == pytest.approx(value), q
    assert q.unit == unit, q
    assert q.qualifier == qualifier, q
    if value_to is None:
        assert q.value_to is None, q
    else:
        assert q.value_to == pytest.approx(value_to), q


# ---------------------------------------------------------------- money


@pytest.mark.parametrize(
    "lang, text, written, value, unit",
    [
        ("de", "Alibaba sammelte 3,2 Milliarden Dollar ein.", "3,2 Milliarden Dollar", 3.2e9, "USD"),
        ("de", "Die 3,2-Milliarden-Dollar-Wandelanleihe ist da.", "3,2-Milliarden-Dollar", 3.2e9, "USD"),
        ("de", "Der Kurs stieg auf 125,85 Dollar.", "125,85 Dollar", 125.85, "USD"),
        ("de", "Ein 11,9 Milliarden Dollar Rückkaufprogramm.", "11,9 Milliarden Dollar", 11.9e9, "USD"),
        ("de", "Es geht um 3,2 Mrd. Dollar.", "3,2 Mrd. Dollar", 3.2e9, "USD"),
        ("de", "Der Umsatz lag bei 2,7 Mrd. Euro.", "2,7 Mrd. Euro", 2.7e9, "EUR"),
        ("de", "Ein Fonds von 500 Mio. € startet.", "500 Mio. €", 5e8, "EUR"),
        ("de", "Das kostet 1 Milliarde Dollar.", "1 Milliarde Dollar", 1e9, "USD"),
        ("de", "Das kostet eine Milliarde Euro.", "eine Milliarde Euro", 1e9, "EUR"),
        ("de", "Umsatz: 3 Billionen Yuan.", "3 Billionen Yuan", 3e12, "CNY"),
        ("de", "Apple meldet $4.1 billion Gewinn.", "$4.1 billion", 4.1e9, "USD"),
        ("de", "Ein Kredit über 1.200 US-Dollar.", "1.200 US-Dollar", 1200, "USD"),
        ("en", "Alibaba raised $4.1 billion.", "$4.1 billion", 4.1e9, "USD"),
        ("en", "A €2.4bn deal.", "€2.4bn", 2.4e9, "EUR"),
        ("en", "It costs USD 5 million.", "USD 5 million", 5e6, "USD"),
        ("en", "It costs £3m.", "£3m", 3e6, "GBP"),
        ("en", "It raised $80B.", "$80B", 8e10, "USD"),
        ("en", "Shares hit 125.85 dollars.", "125.85 dollars", 125.85, "USD"),
        ("en", "It paid 1,200 euros.", "1,200 euros", 1200, "EUR"),
        ("en", "A 3 trillion yuan economy.", "3 trillion yuan", 3e12, "CNY"),
        ("en", "It is worth a billion dollars.", "a billion dollars", 1e9, "USD"),
        ("en", "It paid HK$12 billion.", "HK$12 billion", 12e9, "HKD"),
    ],
)
def test_money(lang, text, written, value, unit):
    check(q_of(text, lang, written), "money", value, unit)


def test_billion_depends_on_language():
    # German "Billion" = 10^12, English "billion" = 10^9
    check(q_of("Es sind 2 Billionen Dollar.", "de", "2 Billionen Dollar"), "money", 2e12, "USD")
    check(q_of("It is 2 Billion dollars.", "en", "2 Billion dollars"), "money", 2e9, "USD")
    # an English phrase in a German text keeps its English meaning
    check(q_of("Es sind $2 billion.", "de", "$2 billion"), "money", 2e9, "USD")


def test_ueber_after_amount_noun_is_not_a_qualifier():
    text = "Das Unternehmen plant die Ausgabe einer Wandelanleihe über 3,2 Milliarden Dollar."
    check(q_of(text, "de", "3,2 Milliarden Dollar"), "money", 3.2e9, "USD", "")
    text = "Alibaba will in den nächsten drei Jahren über 50 Milliarden Dollar investieren."
    check(q_of(text, "de", "über 50 Milliarden Dollar"), "money", 5e10, "USD", "over")


# ---------------------------------------------------------------- separators


@pytest.mark.parametrize(
    "raw, lang, expected",
    [
        ("1.200", "de", 1200),
        ("1,200", "de", 1.2),
        ("3,2", "de", 3.2),
        ("3.2", "de", 3.2),  # English decimal point in a German text
        ("1.200,5", "de", 1200.5),
        ("100.000", "de", 100000),
        ("1,200", "en", 1200),
        ("1.200", "en", 1.2),
        ("3.2", "en", 3.2),
        ("3,2", "en", 3.2),  # German decimal comma in an English text
        ("1,200.5", "en", 1200.5),
        ("1\u202f200", "de", 1200),
    ],
)
def test_parse_number(raw, lang, expected):
    assert float(parse_number(raw, lang)) == pytest.approx(expected)


def test_thousands_in_running_text():
    check(q_of("Es gibt 1.200 Mitarbeiter.", "de", "1.200 Mitarbeiter"), "count", 1200, "Mitarbeiter")
    check(q_of("It has 1,200 employees.", "en", "1,200 employees"), "count", 1200, "employees")
    check(q_of("Für 5.000 Unternehmen.", "de", "5.000 Unternehmen"), "count", 5000, "Unternehmen")
    check(q_of("For 5,000 companies.", "en", "5,000 companies"), "count", 5000, "companies")


# ---------------------------------------------------------------- percent


@pytest.mark.parametrize(
    "lang, text, written, value, unit, qualifier",
    [
        ("de", "Ein Gewinn von 2,53%, der zählt.", "2,53%", 2.53, "%", ""),
        ("de", "Der Markt wuchs um 55 %.", "55 %", 55, "%", ""),
        ("de", "Der Anteil fiel um 5,1 Prozent.", "5,1 Prozent", 5.1, "%", ""),
        ("de", "Rund 80% der Erlöse.", "Rund 80%", 80, "%", "around"),
        ("de", "AWS hält fast 30% des Marktes.", "fast 30%", 30, "%", "nearly"),
        ("de", "Alibaba hält nur 4%.", "nur 4%", 4, "%", "only"),
        ("de", "Sie kontrollieren über 60% des Marktes.", "über 60%", 60, "%", "over"),
        ("de", "Es sind mindestens 10 Prozent.", "mindestens 10 Prozent", 10, "%", "at_least"),
        ("de", "Es sind weniger als 5%.", "weniger als 5%", 5, "%", "under"),
        ("de", "Der Zins steigt um 0,25 Prozentpunkte.", "0,25 Prozentpunkte", 0.25, "pp", ""),
        ("en", "Margins rose 30 percent.", "30 percent", 30, "%", ""),
        ("en", "It holds nearly 30% of the market.", "nearly 30%", 30, "%", "nearly"),
        ("en", "About 12.5% of users.", "About 12.5%", 12.5, "%", "around"),
        ("en", "It fell by 50 basis points.", "50 basis points", 50, "bp", ""),
        ("en", "Up to 20 per cent.", "Up to 20 per cent", 20, "%", "up_to"),
    ],
)
def test_percent(lang, text, written, value, unit, qualifier):
    check(q_of(text, lang, written), "percent", value, unit, qualifier)


# ---------------------------------------------------------------- ranges


@pytest.mark.parametrize(
    "lang, text, written, lo, hi, unit",
    [
        ("de", "Sie zahlten 27,5% bis 32,5% mehr.", "27,5% bis 32,5%", 27.5, 32.5, "%"),
        ("de", "Ein Volumen von 10–12 Mrd. wird erwartet.", "10–12 Mrd.", 10e9, 12e9, ""),
        ("de", "Es kostet 10–12 Mrd. Euro.", "10–12 Mrd. Euro", 10e9, 12e9, "EUR"),
        ("de", "Es wuchs zwischen 20 und 30 Prozent.", "zwischen 20 und 30 Prozent", 20, 30, "%"),
        ("de", "Es wird 3 bis 4 Milliarden Dollar kosten.", "3 bis 4 Milliarden Dollar", 3e9, 4e9, "USD"),
        ("de", "Das gilt von 2020 bis 2025.", "von 2020 bis 2025", 2020, 2025, "year"),
        ("en", "Shares rose 20 to 30%.", "20 to 30%", 20, 30, "%"),
        ("en", "Growth of 20-30% is expected.", "20-30%", 20, 30, "%"),
        ("en", "Between 20 and 30 percent.", "Between 20 and 30 percent", 20, 30, "%"),
        ("en", "It costs $20 to $30 million.", "$20 to $30 million", 20e6, 30e6, "USD"),
        ("en", "The 2020-2025 plan.", "2020-2025", 2020, 2025, "year"),
    ],
)
def test_ranges(lang, text, written, lo, hi, unit):
    check(q_of(text, lang, written), "range", lo, unit, value_to=hi)


def test_no_range_across_units():
    # "5% bis 2027" is a percentage and a year, not a range
    assert texts("Das Wachstum liegt bei 5% bis 2027.", "de") == ["5%", "bis 2027"]
    # descending pairs are not ranges
    assert [q.kind for q in extract_quantities("Von 30% bis 20% fiel es.", "de")] == ["percent", "percent"]


# ---------------------------------------------------------------- multiples


@pytest.mark.parametrize(
    "lang, text, written, value, qualifier",
    [
        ("de", "Mit einem Handel von nur dem 14-fachen der Gewinne.", "nur dem 14-fachen", 14, "only"),
        ("de", "Amazons heftigem 36-fachen Multiplikator.", "36-fachen", 36, ""),
        ("de", "Es soll zehnmal schneller sein.", "zehnmal", 10, ""),
        ("de", "Das ist mehr als doppelt so viel wie der Anteil.", "mehr als doppelt so viel", 2, "over"),
        ("de", "Es wird sich mehr als verdoppeln.", "mehr als verdoppeln", 2, "over"),
        ("de", "Ein 2,5x höherer Wert.", "2,5x", 2.5, ""),
        ("de", "Das Zehnfache des Umsatzes.", "Zehnfache", 10, ""),
        ("en", "It is 10x faster.", "10x", 10, ""),
        ("en", "A tenfold increase.", "tenfold", 10, ""),
        ("en", "It is ten times faster.", "ten times", 10, ""),
        ("en", "A 10-fold rise.", "10-fold", 10, ""),
        ("en", "Nearly twice as many users.", "Nearly twice as", 2, "nearly"),
    ],
)
def test_multiples(lang, text, written, value, qualifier):
    check(q_of(text, lang, written), "multiple", value, "x", qualifier)


def test_frequency_is_not_a_multiple():
    assert texts("Ein Läufer hat alle anderen zweimal überrundet.", "de") == []
    assert texts("He did it ten times in a row.", "en") == []


# ---------------------------------------------------------------- counts


@pytest.mark.parametrize(
    "lang, text, written, value, unit, qualifier",
    [
        ("de", "Das Unternehmen betreibt 89 Verfügbarkeitszonen in 29 Regionen.", "89 Verfügbarkeitszonen", 89, "Verfügbarkeitszonen", ""),
        ("de", "Eine Rechenkapazität von 246 EFLOP/s.", "246 EFLOP/s", 246, "EFLOP/s", ""),
        ("de", "Ausbildung von 100.000 KI-Spezialisten.", "100.000 KI-Spezialisten", 100000, "KI-Spezialisten", ""),
        ("de", "Es beherrscht über 29 Sprachen.", "über 29 Sprachen", 29, "Sprachen", "over"),
        ("de", "Dokumente mit bis zu 128.000 Wörtern Länge.", "bis zu 128.000 Wörtern", 128000, "Wörtern", "up_to"),
        ("de", "Auf 18 Billionen Informationsstücken trainiert.", "18 Billionen Informationsstücken", 18e12, "Informationsstücken", ""),
        ("de", "Amazon operiert in 31 globalen Regionen.", "31 globalen Regionen", 31, "Regionen", ""),
        ("de", "Es hat über 2000 Mitarbeiter.", "über 2000 Mitarbeiter", 2000, "Mitarbeiter", "over"),
        ("en", "It has 89 availability zones.", "89 availability zones", 89, "zones", ""),
        ("en", "It trains 100,000 AI specialists.", "100,000 AI specialists", 100000, "specialists", ""),
        ("en", "It speaks more than 29 languages.", "more than 29 languages", 29, "languages", "over"),
        ("en", "At least 10 stores closed.", "At least 10 stores", 10, "stores", "at_least"),
        ("en", "Almost 5 million users joined.", "Almost 5 million users", 5e6, "users", "nearly"),
    ],
)
def test_counts(lang, text, written, value, unit, qualifier):
    check(q_of(text, lang, written), "count", value, unit, qualifier)


# ---------------------------------------------------------------- model names


@pytest.mark.parametrize(
    "lang, text",
    [
        ("de", "Qwen 2.5 übertrifft führende Modelle wie GPT-4 und Claude."),
        ("de", 'Das neue Modell "Qwen3-Next-80B-A3B" ist da.'),
        ("de", "Es übertrifft Googles Gemini-2.5-Flash deutlich."),
        ("de", "Das neueste Qwen 3 verwendet intelligente Technologie."),
        ("en", "Qwen 2.5 outperforms GPT-4 and Gemini-2.5-Flash."),
        ("en", "GPT 4 handles it; the 80B model and 5G phones too."),
        ("en", "Qwen 3 models are open."),
        ("de", "Ein Altman Z-Score von 3,54 zeigt Stabilität."),
    ],
)
def test_model_names_are_not_quantities(lang, text):
    assert extract_quantities(text, lang) == []


def test_numbers_in_urls_are_skipped():
    text = "Siehe https://caliber.az/en/post/alibaba-shares-soar-over-3-2-billion-ai-funding"
    assert extract_quantities(text, "de") == []


# ---------------------------------------------------------------- years and dates


def test_years():
    check(q_of("Die Aktien im Geschäftsjahr 2025 fielen.", "de", "2025"), "year", 2025, "year")
    check(q_of("Ein Rückgang von 6% im Jahr 2020.", "de", "2020"), "year", 2020, "year")
    check(q_of("Gewinne, die bis 2027 wachsen.", "de", "bis 2027"), "year", 2027, "year", "until")
    check(q_of("Seit 2020 wächst es.", "de", "Seit 2020"), "year", 2020, "year", "since")
    check(q_of("Growth by 2027.", "en", "by 2027"), "year", 2027, "year", "until")
    check(q_of("Im Q2 2025 stieg es.", "de", "2025"), "year", 2025, "year")


@pytest.mark.parametrize(
    "lang, text, written, iso",
    [
        ("de", "Am 18. September 2025 kam es.", "18. September 2025", "2025-09-18"),
        ("de", "Analyse vom 14. September liefert die Antwort.", "14. September", "--09-14"),
        ("de", "Die im September 2023 die Kontrolle übernahmen.", "September 2023", "2023-09"),
        ("de", "18/09/2025Figure AI sichert sich Geld.", "18/09/2025", "2025-09-18"),
        ("de", "Stand: 18.09.2025.", "18.09.2025", "2025-09-18"),
        ("de", "Stand: 03/04/2025.", "03/04/2025", "2025-04-03"),
        ("de", "Bis Oktober 2025 eröffnet es.", "Bis Oktober 2025", "2025-10"),
        ("en", "On Sept. 11, 2025 it rose.", "Sept. 11, 2025", "2025-09-11"),
        ("en", "On September 11, 2025 it rose.", "September 11, 2025", "2025-09-11"),
        ("en", "On 11 September 2025 it rose.", "11 September 2025", "2025-09-11"),
        ("en", "As of 03/04/2025.", "03/04/2025", "2025-03-04"),
        ("en", "As of 2025-09-18.", "2025-09-18", "2025-09-18"),
        ("en", "In May 2024 it fell.", "May 2024", "2024-05"),
    ],
)
def test_dates(lang, text, written, iso):
    q = q_of(text, lang, written)
    assert q.kind == "date" and q.unit == "date"
    assert iso_date(q) == iso
    if len(iso) == 10:
        assert q.value == float(iso.replace("-", ""))


def test_invalid_date_is_not_a_date():
    # no 2025-02-31; the month and year alone are still a (month) date
    qs = extract_quantities("Am 31. Februar 2025.", "de")
    assert [(q.text, iso_date(q)) for q in qs] == [("Februar 2025", "2025-02")]
    assert extract_quantities("Am 30. Februar ging es los.", "de") == []


# ---------------------------------------------------------------- whole sentences


def test_sentence_spans_and_order():
    text = (
        "Während Amazon Web Services fast 30% des globalen Cloud-Marktes beherrscht, "
        "hält Alibaba nur 4% – ein Rückgang von 6% im Jahr 2020."
    )
    qs = extract_quantities(text, "de")
    assert [q.text for q in qs] == ["fast 30%", "nur 4%", "6%", "2020"]
    for q in qs:
        assert text[q.start:q.end] == q.text
        assert q.sentence_id == ""
    assert [q.start for q in qs] == sorted(q.start for q in qs)


def test_empty_and_plain_text():
    assert extract_quantities("", "de") == []
    assert extract_quantities("Keine Zahlen hier.", "de") == []
    assert extract_quantities("In sieben Jahren.", "de") == []


def _seed_quantities(name: str) -> list[Quantity]:
    text = next(SEEDS.glob(name)).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        out.extend(extract_quantities(line, "de"))
    return out


@pytest.mark.skipif(not SEEDS.exists(), reason="seeds not present")
def test_seed_000():
    qs = _seed_quantities("000_*.txt")
    by_text = {}
    for q in qs:
        by_text.setdefault(q.text, q)
    check(by_text["3,2 Milliarden Dollar"], "money", 3.2e9, "USD")
    check(by_text["3,2-Milliarden-Dollar"], "money", 3.2e9, "USD")
    check(by_text["über 52 Milliarden Dollar"], "money", 5.2e10, "USD", "over")
    check(by_text["27,5% bis 32,5%"], "range", 27.5, "%", value_to=32.5)
    check(by_text["nur dem 14-fachen"], "multiple", 14, "x", "only")
    check(by_text["89 Verfügbarkeitszonen"], "count", 89, "Verfügbarkeitszonen")
    check(by_text["246 EFLOP/s"], "count", 246, "EFLOP/s")
    assert "2.5" not in " ".join(by_text) and "4" not in by_text


@pytest.mark.skipif(not SEEDS.exists(), reason="seeds not present")
def test_seed_003():
    qs = _seed_quantities("003_*.txt")
    by_text = {q.text: q for q in qs}
    check(by_text["3,2 Milliarden Dollar"], "money", 3.2e9, "USD")
    check(by_text["über 50 Milliarden Dollar"], "money", 5e10, "USD", "over")
    check(by_text["zehnmal"], "multiple", 10, "x")
    check(by_text["Rund 80%"], "percent", 80, "%", "around")
    assert iso_date(by_text["14. September"]) == "--09-14"
    assert not any(t in by_text for t in ("3", "80", "2.5", "80B"))


# ---------------------------------------------------------------- properties

_alphabet = st.sampled_from(
    list("0123456789.,%$€£-–/ ")
    + ["Milliarden", "Mrd.", "Dollar", "Euro", "bis", "to", "über", "rund", "fach", "mal", "x", "bn",
       "September", "Sept.", "Jahr", "Qwen", "GPT-", "Prozent", "percent", "zehn", "ten", "Regionen",
       "zwischen", "und", "and", "schneller", "a", "eine", "Billionen", "times", "KI-", "1.200", "3,2"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_alphabet, max_size=25).map("".join), st.sampled_from(["de", "en", "fr"]))
def test_property_never_raises_and_spans_match(text, lang):
    qs = extract_quantities(text, lang)
    last_end = -1
    for q in qs:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.text
        assert q.start >= last_end, "spans overlap"
        last_end = q.end
        assert q.kind in {"money", "percent", "range", "multiple", "count", "year", "date"}
        assert q.value == q.value  # not NaN
        if q.kind == "range":
            assert q.value_to is not None and q.value <= q.value_to


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["de", "en"]))
def test_property_arbitrary_text(text, lang):
    for q in extract_quantities(text, lang):
        assert text[q.start:q.end] == q.text


# ---------------------------------------------------------------- numbers as written in the wild


@pytest.mark.parametrize(
    "lang, text, written, value, unit",
    [
        # a plain space, a no-break space and a narrow no-break space between thousands
        ("de", "Die Stiftung erhielt 300 000 Euro.", "300 000 Euro", 300_000, "EUR"),
        ("de", "Die Stiftung erhielt 300\u00a0000 Euro.", "300\u00a0000 Euro", 300_000, "EUR"),
        ("de", "Die Stiftung erhielt 300\u202f000 Euro.", "300\u202f000 Euro", 300_000, "EUR"),
        ("en", "The fund paid 300 000 euros.", "300 000 euros", 300_000, "EUR"),
        ("en", "The fund paid 1 250 000 euros.", "1 250 000 euros", 1_250_000, "EUR"),
        # Swiss apostrophes, typographic and typewriter
        ("de", "Die Busse kostet 80’000 Franken.", "80’000 Franken", 80_000, "CHF"),
        ("de", "Die Busse kostet 80'000 Franken.", "80'000 Franken", 80_000, "CHF"),
        ("de", "Der Umbau kostet 1’234’500.50 Franken.", "1’234’500.50 Franken", 1_234_500.5, "CHF"),
        ("en", "The fine was 80’000 francs.", "80’000 francs", 80_000, "CHF"),
        # the two conventions of decimal and thousands separators
        ("de", "Das kostet 1.234,5 Mio. Euro.", "1.234,5 Mio. Euro", 1_234.5e6, "EUR"),
        ("en", "That costs 1,234.5 million euros.", "1,234.5 million euros", 1_234.5e6, "EUR"),
        # scale words, glued suffixes, currency before and after
        ("de", "Voltaris will 2,4 Mrd. Euro einsammeln.", "2,4 Mrd. Euro", 2.4e9, "EUR"),
        ("en", "Voltaris raises €2.4bn from investors.", "€2.4bn", 2.4e9, "EUR"),
        ("en", "Voltaris raises $2.4 billion from investors.", "$2.4 billion", 2.4e9, "USD"),
        ("en", "Voltaris raises 2.4 billion euros from investors.", "2.4 billion euros", 2.4e9, "EUR"),
    ],
)
def test_numbers_in_the_wild(lang, text, written, value, unit):
    check(q_of(text, lang, written), "money", value, unit)


def test_thousands_with_spaces_are_one_number_not_000():
    # the bug of issue 11: "300 000 Euro" and "80’000 Franken" were read as 000 (value 0)
    for lang, text in [("de", "Es geht um 300 000 Euro."), ("de", "Es geht um 80’000 Franken.")]:
        qs = extract_quantities(text, lang)
        assert len(qs) == 1 and qs[0].value > 0, qs


def test_sentence_full_stop_is_not_part_of_an_english_scale():
    assert texts("Voltaris raises €2.4bn.", "en") == ["€2.4bn"]
    assert texts("Revenue was $3.2 bn. in 2024.", "en")[0] == "$3.2 bn."  # an abbreviation mid-sentence
    assert texts("Voltaris sammelt 2,4 Mrd.", "de") == ["2,4 Mrd."]  # German abbreviation keeps its dot


@pytest.mark.parametrize(
    "lang, text",
    [
        # spaces or apostrophes that do not separate groups of three digits are not thousands
        ("de", "Im Jahr 2019 300 Mitarbeiter."),
        ("de", "Es waren 30 0000 Stimmen."),
        ("en", "In 2019 300 workers left."),
    ],
)
def test_spaces_that_are_not_thousands(lang, text):
    assert all(q.value < 10_000 or q.kind == "year" for q in extract_quantities(text, lang))


@pytest.mark.parametrize(
    "lang, text, written, value, unit, measure",
    [
        ("de", "Die Aktie stieg um 11,3 %.", "11,3 %", 11.3, "%", "percent"),
        ("de", "Die Aktie stieg um 11,3%.", "11,3%", 11.3, "%", "percent"),
        ("en", "The shares rose 11.3 percent.", "11.3 percent", 11.3, "%", "percent"),
        ("de", "Die Marge stieg um 9 Prozentpunkte.", "9 Prozentpunkte", 9, "pp", "percentage_points"),
        ("en", "The margin rose 9 percentage points.", "9 percentage points", 9, "pp", "percentage_points"),
    ],
)
def test_percent_and_percentage_points_are_distinct(lang, text, written, value, unit, measure):
    q = q_of(text, lang, written)
    check(q, "percent", value, unit)
    assert q.measure == measure


@pytest.mark.parametrize(
    "lang, text, written, kind, lo, hi, unit, measure",
    [
        ("de", "Das kostet zwischen 2 und 3 Mrd. Euro.", "zwischen 2 und 3 Mrd. Euro", "range", 2e9, 3e9, "EUR", "money"),
        ("de", "Das kostet 2-3 Milliarden Euro.", "2-3 Milliarden Euro", "range", 2e9, 3e9, "EUR", "money"),
        ("de", "Gesucht werden zwischen 2 und 3 Mrd.", "zwischen 2 und 3 Mrd.", "range", 2e9, 3e9, "", "count"),
        ("en", "It will cost $2bn-$3bn, analysts say.", "$2bn-$3bn", "range", 2e9, 3e9, "USD", "money"),
        ("en", "Growth of 20-30% is expected.", "20-30%", "range", 20, 30, "%", "percent"),
        # bounds: a lower bound is open above, an upper bound open below, "around" a band
        ("de", "Es kamen über 50 Gäste.", "über 50 Gäste", "count", 50, None, "Gäste", "count"),
        ("de", "Der Konzern will mehr als 52 Mrd. Euro.", "mehr als 52 Mrd. Euro", "money", 52e9, None, "EUR", "money"),
        ("de", "Der Konzern will rund 2,4 Mrd. Euro.", "rund 2,4 Mrd. Euro", "money", 2.28e9, 2.52e9, "EUR", "money"),
        ("de", "Der Anteil liegt bei rund 2,4 Prozent.", "rund 2,4 Prozent", "percent", 2.28, 2.52, "%", "percent"),
        ("de", "Es sind bis zu 3 Prozent.", "bis zu 3 Prozent", "percent", None, 3, "%", "percent"),
        ("en", "It raised more than $50bn last year.", "more than $50bn", "money", 50e9, None, "USD", "money"),
        ("en", "It raised around 2.4 billion euros.", "around 2.4 billion euros", "money", 2.28e9, 2.52e9, "EUR", "money"),
        ("en", "It holds nearly 30% of the market.", "nearly 30%", "percent", None, 30, "%", "percent"),
        ("de", "Der Umsatz lag bei 2,38 Mrd. Euro.", "2,38 Mrd. Euro", "money", 2.38e9, 2.38e9, "EUR", "money"),
    ],
)
def test_ranges_and_bounds(lang, text, written, kind, lo, hi, unit, measure):
    q = q_of(text, lang, written)
    assert (q.kind, q.unit, q.measure) == (kind, unit, measure), q
    assert q.lower == (pytest.approx(lo) if lo is not None else None), q
    assert q.upper == (pytest.approx(hi) if hi is not None else None), q


def test_bounds_that_overlap_and_that_do_not():
    # what compare needs: "über 50" and "über 52" overlap, "rund 2,4" and "2,38" overlap, 2,4 and 3 do not
    def overlap(a, b):
        lo = max(x for x in (a.lower, b.lower, float("-inf")) if x is not None)
        hi = min(x for x in (a.upper, b.upper, float("inf")) if x is not None)
        return lo <= hi

    def one(text):
        (q,) = extract_quantities(text, "de")
        return q

    assert overlap(one("Es sind über 50 Mrd. Euro."), one("Es sind über 52 Mrd. Euro."))
    assert overlap(one("Es sind rund 2,4 Mrd. Euro."), one("Es sind 2,38 Mrd. Euro."))
    assert not overlap(one("Es sind rund 2,4 Mrd. Euro."), one("Es sind 3 Mrd. Euro."))
    assert not overlap(one("Es sind unter 50 Mrd. Euro."), one("Es sind über 52 Mrd. Euro."))


@pytest.mark.parametrize(
    "lang, text, written, kind, value, unit, measure",
    [
        # price per share: after "je Aktie"/"a share", or after a share word or an offer price in its clause
        ("de", "Die Aktien werden zu 48,20 Euro je Aktie ausgegeben.", "48,20 Euro", "money", 48.2, "EUR", "price_per_share"),
        ("de", "Die Dividende sinkt auf 0,60 Euro/Aktie.", "0,60 Euro", "money", 0.6, "EUR", "price_per_share"),
        ("en", "The new stock is priced at €48.20 a share.", "€48.20", "money", 48.2, "EUR", "price_per_share"),
        ("de", "Bei einem Ausgabepreis von 40 Euro war sie überzeichnet.", "40 Euro", "money", 40, "EUR", "price_per_share"),
        ("de", "Die Aktie stieg um 11,3 % auf 48,20 Euro.", "48,20 Euro", "money", 48.2, "EUR", "price_per_share"),
        ("en", "Voltaris shares jumped 9% to €48.20 on Tuesday.", "€48.20", "money", 48.2, "EUR", "price_per_share"),
        # ... but an amount written with a scale word is the money raised, not a price
        ("de", "Die neuen Aktien brachten 2,4 Mrd. Euro ein.", "2,4 Mrd. Euro", "money", 2.4e9, "EUR", "money"),
        ("en", "The new shares raised €2.4bn.", "€2.4bn", "money", 2.4e9, "EUR", "money"),
        # ... and a share word in another clause does not make a price
        ("de", "Die Aktie stieg, der Umsatz lag bei 40 Euro je Kunde.", "40 Euro", "money", 40, "EUR", "money"),
        ("de", "Der Kurs in Yoga kostet 300 Euro.", "300 Euro", "money", 300, "EUR", "money"),
        # counts of shares, in both languages the same measure
        ("de", "Es werden 60 Millionen neue Aktien ausgegeben.", "60 Millionen neue Aktien", "count", 60e6, "Aktien", "share_count"),
        ("de", "Es werden 60 Millionen Stammaktien ausgegeben.", "60 Millionen Stammaktien", "count", 60e6, "Stammaktien", "share_count"),
        ("en", "It issues 60 million new shares.", "60 million new shares", "count", 60e6, "shares", "share_count"),
        ("de", "Es kamen 60 Millionen Besucher.", "60 Millionen Besucher", "count", 60e6, "Besucher", "count"),
        # capacity
        ("de", "Das Werk hat 2 GW Leistung.", "2 GW", "count", 2, "GW", "capacity"),
        ("en", "A 500 MW wind farm.", "500 MW", "count", 500, "MW", "capacity"),
        ("de", "Die Zellfabrik soll 40 GWh liefern.", "40 GWh", "count", 40, "GWh", "capacity"),
        # dates and years
        ("de", "Am 18. September 2025 beginnt es.", "18. September 2025", "date", 20250918, "date", "date"),
        ("en", "It starts on Sept. 18, 2025.", "Sept. 18, 2025", "date", 20250918, "date", "date"),
        ("de", "Die Fabrik soll 2027 öffnen.", "2027", "year", 2027, "year", "year"),
    ],
)
def test_measures(lang, text, written, kind, value, unit, measure):
    q = q_of(text, lang, written)
    assert (q.kind, q.unit, q.measure) == (kind, unit, measure), q
    assert q.value == pytest.approx(value)


def test_a_user_adds_a_measure_in_the_yaml(tmp_path, monkeypatch):
    import yaml

    from pressreview import quantities

    rules = yaml.safe_load(quantities.RULES_PATH.read_text(encoding="utf-8"))
    rules["measures"].insert(0, {"name": "distance", "kinds": ["count"], "units": ["km"]})
    path = tmp_path / "quantities.yml"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(quantities, "RULES_PATH", path)
    quantities._rules.cache_clear()
    quantities._lang.cache_clear()
    try:
        assert q_of("Die Strecke ist 40 km lang.", "de", "40 km").measure == "distance"
    finally:
        monkeypatch.undo()
        quantities._rules.cache_clear()
        quantities._lang.cache_clear()
    assert q_of("Die Strecke ist 40 km lang.", "de", "40 km").measure == "count"


def test_times_are_not_numbers():
    # "1:14,607 Minuten" is a lap time, "10:30 p.m." a time of day: no 14,607 minutes, no 30 "p"
    assert extract_quantities("Er fuhr in 1:14,607 Minuten Bestzeit.", "de") == []
    assert texts("Checks were made from 10:30 p.m. to 11 p.m. on 5 floors.", "en") == ["5 floors"]


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        # a bare number takes the unit of the next one across "statt"/"oder"/"instead of" ...
        ("de", "Das BIP legte um 0,5 statt 0,4 Prozent zu.", [("0,5", 0.5, "%"), ("0,4 Prozent", 0.4, "%")]),
        ("de", "Es kostet 2 oder 3 Mrd. Euro.", [("2", 2e9, "EUR"), ("3 Mrd. Euro", 3e9, "EUR")]),
        # ... or across "auf"/"to" after "von"/"from" (a change, not a range)
        ("de", "Die Dividende sinkt von 1,40 auf 0,60 Euro/Aktie.", [("1,40", 1.4, "EUR"), ("0,60 Euro", 0.6, "EUR")]),
        ("en", "It fell from 7 to 5 percent.", [("7", 7, "%"), ("5 percent", 5, "%")]),
        # "um 1,5 auf 3 Prozent": 1,5 is a rise in points, not 1,5 Prozent: left out
        ("de", "Der Zins steigt um 1,5 auf 3 Prozent.", [("3 Prozent", 3, "%")]),
        # cents are hundredths of their currency
        ("de", "Die Dividende steigt um 10 Cent.", [("10 Cent", 0.1, "EUR")]),
        ("en", "A stamp costs 60 cents.", [("60 cents", 0.6, "USD")]),
    ],
)
def test_shared_units_and_cents(lang, text, expected):
    assert [(q.text, pytest.approx(q.value), q.unit) for q in extract_quantities(text, lang)] == [
        (t, pytest.approx(v), u) for t, v, u in expected
    ]


def test_price_per_share_carries_over_a_change_and_a_bracket():
    qs = extract_quantities("Die Dividende wird von 1,40 Euro auf 60 Cent je Aktie gekürzt.", "de")
    assert [(q.text, q.measure) for q in qs] == [("1,40 Euro", "price_per_share"), ("60 Cent", "price_per_share")]
    q = q_of("Papiere der Andritz (minus 1,74 Prozent auf 49,65 Euro) fielen.", "de", "49,65 Euro")
    assert q.measure == "price_per_share"


def test_metres_and_a_list_of_results_is_not_a_range():
    qs = extract_quantities("Hoch: 1,86 m – Kugel: 13,73 m – 200 m: 23,42 Sek.", "de")
    assert [(q.text, q.kind, q.unit) for q in qs][:3] == [
        ("1,86 m", "count", "m"), ("13,73 m", "count", "m"), ("200 m", "count", "m")]
    check(q_of("Es wuchs um 10 – 12 Prozent.", "de", "10 – 12 Prozent"), "range", 10, "%", value_to=12)


@pytest.mark.parametrize(
    "lang, text, written",
    [
        ("de", "Das Unterhaus stimmte mit 322 zu 306 Stimmen für den Antrag.", "322 zu 306 Stimmen"),
        ("de", "Die Abgeordneten billigten den Plan mit 322 zu 306.", "322 zu 306"),
        ("en", "MPs voted 322 to 306 in favour of the deal.", "322 to 306"),
        ("en", "The motion passed by 322 votes to 306.", "322 votes to 306"),
    ],
)
def test_votes_are_one_score(lang, text, written):
    q = q_of(text, lang, written)
    assert (q.kind, q.value, q.value_to, q.measure) == ("score", 322, 306, "score")
    assert (q.lower, q.upper) == (None, None)


def test_two_numbers_without_a_vote_are_no_score():
    assert all(q.kind != "score" for q in extract_quantities("Das Team gewann 3 zu 2 und mit 40 zu 30 Punkten.", "de"))


def test_second_part_of_a_season_is_no_count():
    assert texts("He stays until the end of the 2022/23 season.", "en") == ["2022"]
