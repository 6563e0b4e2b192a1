"""Normalisation rules, each on both seeds (seed 000: paragraphs on single lines; seed 003:
paragraphs separated by blank lines) and on small made-up inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressreview.model import RawDocument
from pressreview.normalise import normalise, parse_date, units_from_text
from pressreview.read import read_corpus
from pressreview.render import assign_ids
from pressreview.settings import load_settings

from conftest import SEEDS

SETTINGS = load_settings(Path("."))


@pytest.fixture(scope="module")
def seeds():
    docs, rejected = read_corpus(SEEDS)
    assert rejected == []
    return {d.source_path[:3]: normalise(d, SETTINGS) for d in docs}


def article(text: str, fmt: str = "txt", **meta):
    return normalise(RawDocument("x." + fmt, fmt, text, "0" * 64, "utf-8", meta), SETTINGS)


def kinds(a):
    return [b.kind for b in a.blocks]


# ---------------------------------------------------------------- headings

SEED0_HEADINGS = [
    (2, "Rekordverdächtige 3,2-Milliarden-Dollar-Wandelanleihe-Aufbringung treibt KI-Infrastruktur-Expansion voran"),
    (2, "Börsen-Aufschwung spiegelt starkes Anlegervertrauen in KI-Strategie wider"),
    (2, "Dominante 35,8% Marktanteil positioniert Alibaba Cloud als Chinas KI-Marktführer"),
    (2, "Proprietäre Qwen-Modelle und hauseigene Chips treiben technologische Unabhängigkeit voran"),
    (3, "Qwen KI-Modell-Wettbewerb"),
    (3, "Interne Chip-Entwicklung"),
    (2, "Globale Expansionspläne stehen vor Wettbewerbsherausforderungen durch AWS und Microsoft"),
    (3, "Globaler Marktanteil-Abstand"),
    (3, "Internationale Infrastrukturerweiterung"),
    (3, "Regulatorische und wettbewerbsrechtliche Hürden"),
    (3, "Kampf gegen Tech-Titanen"),
    (3, "Das Preiskampf-Problem"),
    (3, "Bürokratische Straßensperren"),
    (2, "Strategisches Comeback nach regulatorischen Rückschlägen stärkt Chinas technologische Souveränität"),
]


def test_headings_seed_000(seeds):
    assert [(b.level, b.text) for b in seeds["000"].headings] == SEED0_HEADINGS


def test_headings_seed_003(seeds):
    # all short, with no longer heading before them: section headings (##)
    assert [(b.level, b.text) for b in seeds["003"].headings] == [
        (2, "Doppelschlag sorgt für Börsen-Euphorie"),
        (2, "Frontalangriff auf die KI-Elite"),
        (2, "Bewährungsprobe steht bevor"),
    ]


def test_questions_and_sentences_are_not_headings(seeds):
    texts = [b.text for b in seeds["003"].blocks if b.kind == "paragraph"]
    assert "Sollten Anleger sofort verkaufen? Oder lohnt sich doch der Einstieg bei Alibaba?" in texts
    a = article("Kurzer Satz.\n\nEin Absatz, der weitergeht, mit Punkt am Ende.\n\nNoch ein Absatz.\n")
    assert a.headings == []


def test_heading_needs_a_paragraph_after_it():
    a = article("Ein langer erster Absatz mit Punkt am Ende.\n\nZwischentitel hier\n\nText danach.\n\nSchlusszeile ohne Punkt\n")
    assert [b.text for b in a.headings] == ["Zwischentitel hier"]
    assert a.blocks[-1].kind == "paragraph" and a.blocks[-1].text == "Schlusszeile ohne Punkt"


# ---------------------------------------------------------------- lists

def test_lists_stay_with_their_intro_seed_000(seeds):
    lists = [b for b in seeds["000"].blocks if b.kind == "list"]
    assert len(lists) == 2
    assert lists[0].text == "Die dreijährige Strategie konzentriert sich auf den Aufbau KI-gestützter Rechenzentren in wichtigen Märkten:"
    assert [t for _, t in lists[0].items][0] == "Eröffnung des dritten Rechenzentrums in Malaysia und des zweiten auf den Philippinen bis Oktober 2025"
    assert len(lists[0].items) == 5 and len(lists[1].items) == 5
    assert lists[1].text.endswith("auf eigenen Beinen stehen kann:")


@pytest.mark.parametrize("marker", ["- ", "• ", "* ", "1. ", "2) "])
def test_list_markers(marker):
    a = article(f"Das sind die Punkte:\n{marker}erster Punkt\n{marker}zweiter Punkt\n\nDanach ein Absatz.\n")
    lst = [b for b in a.blocks if b.kind == "list"][0]
    assert lst.text == "Das sind die Punkte:"
    assert [t for _, t in lst.items] == ["erster Punkt", "zweiter Punkt"]


# ---------------------------------------------------------------- sources

def test_sources_section_seed_000(seeds):
    sources = [b for b in seeds["000"].blocks if b.kind == "sources"]
    assert len(sources) == 1 and sources[0].text == "Quellenangabe"
    urls = [t for _, t in sources[0].items]
    assert len(urls) == 10
    assert urls[0] == "https://caliber.az/en/post/alibaba-shares-soar-over-3-2-billion-ai-funding-chip-strategy"
    assert urls[-1].startswith("https://www.scmp.com/tech/big-tech/article/3325034/")


def test_seed_003_has_no_sources(seeds):
    assert not [b for b in seeds["003"].blocks if b.kind == "sources"]


@pytest.mark.parametrize("text,title,items", [
    ("Text des Artikels.\n\nQuelle: dpa, Reuters\n", "Quelle", ["dpa", "Reuters"]),
    ("Text des Artikels.\n\nQuellen:\nHandelsblatt, 12.03.2025\nhttps://example.com/a\n", "Quellen:",
     ["Handelsblatt, 12.03.2025", "https://example.com/a"]),
    ("Article text.\n\nSources\n- https://reuters.com/x\n- Bloomberg\n", "Sources", ["https://reuters.com/x", "Bloomberg"]),
])
def test_sources_forms(text, title, items):
    a = article(text)
    src = [b for b in a.blocks if b.kind == "sources"][0]
    assert src.text == title and [t for _, t in src.items] == items


# ---------------------------------------------------------------- datelines and dates

def test_dateline_seed_000(seeds):
    a = seeds["000"]
    i = kinds(a).index("dateline")
    assert a.blocks[i].text == "18/09/2025"
    assert a.blocks[i + 1].text.startswith("Alibaba hat gerade eine kühne Aussage")
    assert a.date == "2025-09-18" and a.date_source == "dateline"


def test_seed_003_date_is_unknown_not_guessed(seeds):
    # "vom 14. September" stands in the advertising tail, and no year is given: unknown
    assert seeds["003"].date is None and seeds["003"].date_source == ""


def test_front_matter_date_wins():
    a = article("01.02.2024Text des Artikels.\n", date="2025-09-18")
    assert a.date == "2025-09-18" and a.date_source == "front matter"


@pytest.mark.parametrize("raw,lang,expected", [
    ("18/09/2025", "de", "2025-09-18"), ("18.09.2025", "en", "2025-09-18"), ("04/05/2025", "de", "2025-05-04"),
    ("09/18/2025", "en", "2025-09-18"), ("04/05/2025", "en", None), ("31/02/2025", "de", None),
    ("2025-09-18", "en", "2025-09-18"),
])
def test_parse_date(raw, lang, expected):
    assert parse_date(raw, lang)[0] == expected


# ---------------------------------------------------------------- set aside, never dropped

def test_teasers_seed_000(seeds):
    aside = seeds["000"].blocks[0]
    assert aside.kind == "aside" and aside.rule == "teasers"
    assert [t for _, t in aside.items] == [
        "Großbritannien erhält 39 Milliarden Dollar KI-Investition von Tech-Giganten",
        "18/09/2025Figure AI sichert sich 1 Milliarde Dollar zur Skalierung humanoider Roboter",
    ]
    assert "anderen Artikels" in aside.reason


def test_advertising_tail_seed_003(seeds):
    aside = seeds["003"].blocks[-1]
    assert aside.kind == "aside" and aside.rule == "ad_tail"
    items = [t for _, t in aside.items]
    assert items[0] == "Alibaba-Aktie: Kaufen oder verkaufen?! Neue Alibaba-Analyse vom 14. September liefert die Antwort:"
    assert items[-1] == "Alibaba: Kaufen oder verkaufen? Hier weiterlesen..."
    assert len(items) == 3 and "Werbung" in aside.reason
    assert [b.kind for b in seeds["003"].blocks].count("aside") == 1


def test_seeds_have_no_other_asides(seeds):
    assert [b.rule for b in seeds["000"].blocks if b.kind == "aside"] == ["teasers"]


def test_the_same_words_early_in_an_article_stay():
    text = "Kaufen oder verkaufen? Diese Frage stellen sich viele Anleger.\n\n" + "Ein Absatz.\n\n" * 5
    assert "aside" not in kinds(article(text))


def test_english_boilerplate_and_tail():
    text = ("Shares rose sharply on Monday after the results.\n\nAdvertisement\n\nThe company said more.\n\n"
            "Analysts were surprised.\n\nShould you buy Alibaba stock right now? Read our free report.\n\nClick here.\n")
    a = article(text, language="en")
    asides = [b for b in a.blocks if b.kind == "aside"]
    assert [b.rule for b in asides] == ["boilerplate", "ad_tail"]
    assert [t for _, t in asides[1].items][-1] == "Click here."


def test_layout_patterns_from_project_settings():
    settings = {**SETTINGS}
    settings = load_settings(Path("."), {"layout": {"de": {"boilerplate": [{"pattern": "Foto: .*", "reason": "Bildnachweis"}]}}})
    doc = RawDocument("x.txt", "txt", "Ein Absatz mit Punkt.\n\nFoto: dpa\n\nNoch ein Absatz.\n", "0" * 64, "utf-8", {"language": "de"})
    a = normalise(doc, settings)
    assert [(b.kind, b.reason) for b in a.blocks if b.kind == "aside"] == [("aside", "Bildnachweis")]


def test_rules_can_be_switched_off(seeds):
    docs, _ = read_corpus(SEEDS)
    settings = load_settings(Path("."), {"disabled_rules": ["teasers", "headings"]})
    a = normalise(docs[0], settings)
    assert a.headings == [] and a.removed == []


# ---------------------------------------------------------------- title, language, slug

def test_titles_of_the_seeds(seeds):
    assert seeds["000"].title == "Alibaba hat gerade eine kühne Aussage im Rennen um künstliche Intelligenz gemacht."
    assert seeds["000"].title_source == "lede"
    assert seeds["003"].title == "Alibaba setzt alles auf eine Karte – und die Börse belohnt es mit einem Kursfeuerwerk."
    assert seeds["000"].language == "de" and seeds["000"].language_source == "detected"


def test_title_from_headline_front_matter_and_markdown():
    assert article("Die Schlagzeile des Tages\n\nDer erste Absatz. Er geht weiter.\n").title == "Die Schlagzeile des Tages"
    a = article("# Titel aus Markdown\n\nText mit *Betonung* und [Link](https://example.com).\n", fmt="md")
    assert a.title == "Titel aus Markdown" and a.title_source == "headline"
    assert a.blocks[-1].text == "Text mit Betonung und Link (https://example.com)."
    b = article("Die Schlagzeile des Tages\n\nDer erste Absatz.\n", title="Anderer Titel")
    assert b.title == "Anderer Titel" and b.headings[0].text == "Die Schlagzeile des Tages"


def test_language_detection_and_override():
    assert article("The company said on Monday that revenue had risen sharply.\n").language == "en"
    a = article("The company said on Monday that revenue had risen sharply.\n", language="de")
    assert a.language == "de" and a.language_source == "front matter"


def test_slugs_are_ascii_and_unique():
    arts = [article("Größte Übernahme der Börse\n\nText.\n"), article("Größte Übernahme der Börse\n\nMehr Text.\n"),
            article("Größte Übernahme der Börse\n\nNoch mehr.\n"), article("Text.\n", title="index")]
    ids = [a.id for a in assign_ids(arts)]
    assert ids == ["groesste-uebernahme-der-boerse", "groesste-uebernahme-der-boerse-2",
                   "groesste-uebernahme-der-boerse-3", "index-2"]


# ---------------------------------------------------------------- units

def test_hard_wrapped_lines_are_joined():
    units = units_from_text("Das ist eine lange Zeile, die mitten im Satz umgebrochen\nwurde und hier weitergeht.\nNeue Zeile.\n")
    assert [u.text for u in units] == ["Das ist eine lange Zeile, die mitten im Satz umgebrochen wurde und hier weitergeht.", "Neue Zeile."]


def test_markdown_input_blocks():
    text = "# Titel\n\n## Abschnitt\n\nAbsatz mit <b>HTML</b>.\n\n1. eins\n2. zwei\n\n### Tiefer\n\nText.\n"
    a = article(text, fmt="md")
    assert [(b.kind, b.level) for b in a.blocks] == [("title", 0), ("heading", 2), ("paragraph", 0), ("list", 0),
                                                     ("heading", 3), ("paragraph", 0)]
    assert a.blocks[2].text == "Absatz mit <b>HTML</b>."
    assert a.blocks[3].items == (("1.", "eins"), ("2.", "zwei"))
