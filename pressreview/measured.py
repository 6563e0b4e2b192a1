"""How well the claim marks do on real news, as measured: precision and recall per language and
category on the hand-labelled, held-out real-news claim set (tests/gold/realnews_claims_holdout.tsv:
no rule was tuned on it).

`python build.py eval --update` writes the figures into ``rules/measured.yml`` (render_measured;
pressreview/evaluation.py) and `make eval` fails when that file is stale. A build only reads the
committed file (load_measured): when it is missing or malformed, the pages say that an unmarked
sentence is not certified neutral, without a figure.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml

from . import safeyaml

log = logging.getLogger("pressreview")

MEASURED = Path(__file__).resolve().parent / "rules" / "measured.yml"
CATEGORIES = ("speculative", "promotional")  # the order the sentence names them
SHARES = ("precision", "recall", "weighted_recall")
# Where the figures are explained: docs/methodology.md, the real-news claim table.
ANCHOR = "measured-recall"

HEADER = """\
# Written by `python build.py eval --update` (pressreview/measured.py); do not edit by hand.
# The claim marks on the real-news gold set, per language and category: precision, recall over the
# gold rows, and weighted_recall, the estimate over every article sentence of the gold pages (the
# figure the pages show); gold_sentences: sentences the gold gives this category.
"""

Figures = dict[str, dict[str, dict[str, float]]]  # language -> category -> figure -> value


def render_measured(figures: Figures, gold: str) -> str:
    """The file's text: sorted keys, three decimals, nothing that changes between runs."""
    data = {"gold": gold, "measured": {
        lang: {cat: {"gold_sentences": int(cell["gold_sentences"]),
                     **{k: round(float(cell[k]), 3) for k in SHARES}}
               for cat, cell in sorted(cats.items())}
        for lang, cats in sorted(figures.items())}}
    return HEADER + yaml.safe_dump(data, sort_keys=True, allow_unicode=True, default_flow_style=False)


def _cell(value: Any) -> dict[str, float] | None:
    """One language and category's figures, or None unless every one is a number of the right kind."""
    if not isinstance(value, dict):
        return None
    cell: dict[str, float] = {}
    for key in (*SHARES, "gold_sentences"):
        v = value.get(key)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
            return None
        if key == "gold_sentences" and not isinstance(v, int) or key != "gold_sentences" and v > 1:
            return None
        cell[key] = v
    return cell


def load_measured(path: Path | None = None) -> Figures:
    """language -> category -> figures, only the well-formed ones; {} when the file (default
    MEASURED) is missing or unreadable (the pages then give no figure)."""
    path = path or MEASURED
    try:
        data = safeyaml.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        log.warning("%s is missing: the pages give no measured recall", path)
        return {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError, safeyaml.YamlLimitError) as exc:
        log.warning("%s cannot be read (%s): the pages give no measured recall", path, exc)
        return {}
    measured = data.get("measured") if isinstance(data, dict) else None
    if not isinstance(measured, dict):
        log.warning("%s has no 'measured' table: the pages give no measured recall", path)
        return {}
    figures: Figures = {}
    for lang, cats in measured.items():
        if not isinstance(lang, str) or not isinstance(cats, dict):
            continue
        cells = {cat: cell for cat in CATEGORIES if (cell := _cell(cats.get(cat))) is not None}
        if cells:
            figures[lang] = cells
    return figures


def percent(share: float) -> str:
    """A share as "28 %", with a no-break space: a narrow screen never puts the % sign on the next line."""
    return f"{round(share * 100)}\u00a0%"


def unmarked_note(strings: dict[str, str], figures: Figures, language: str) -> str:
    """The summary's sentence on unmarked sentences, in the interface language (`strings`), with
    the weighted recall of the article's `language` when both categories have one."""
    note = strings.get("unmarked_note", "")
    cells = figures.get(language, {})
    template, where = strings.get("unmarked_recall"), strings.get(f"recall_in_{language}")
    if not note or not template or not where or not all(c in cells for c in CATEGORIES):
        return note + "." if note else ""
    recall = {c: percent(cells[c]["weighted_recall"]) for c in CATEGORIES}
    return f"{note}: " + template.format(where=where, **recall)
