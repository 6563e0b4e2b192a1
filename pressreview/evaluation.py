"""What `make eval` measures on data no one here wrote, as Markdown tables kept in step on the
methodology page: the claim markup (../shared/benchmarks), article extraction from real pages
(ScrapingHub bodies, trafilatura's German snippets; ../shared/benchmarks) and the hand-written
real-news gold set (tests/realnews), the two real-news claim sets (tests/gold: tuning and held out)
and the comparison across articles (tests/compare_gold).
Each table stands between its own pair of markers.

The claim marks' figures on the held-out real-news claim set (tests/gold) are also written into
pressreview/rules/measured.yml, which the article pages read (pressreview/measured.py), and as a
table into the legend: `eval --check` fails when any of them is stale.

The pages are hand-written once per language (docs/_pages/<language>/, pressreview/pages.py):
the tables go into every edition, with the same figures; the benchmarks write them in English,
and docs/_pages/<language>/_tables.yml gives the words of each other language (translate_tables)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from . import safeyaml
from .measured import CATEGORIES, MEASURED, Figures, percent, render_measured
from .pages import PAGES

TABLE_WORDS = "_tables.yml"  # beside each language's pages: the words of its tables

# name -> (marker pair); the claims table keeps its original markers
BLOCKS = {
    "claims": ("<!-- eval:begin (written by `python build.py eval --update`) -->", "<!-- eval:end -->"),
    "extraction": ("<!-- eval-extraction:begin (written by `python build.py eval --update`) -->",
                   "<!-- eval-extraction:end -->"),
    "gold": ("<!-- eval-gold:begin (written by `python build.py eval --update`) -->", "<!-- eval-gold:end -->"),
    "realclaims": ("<!-- eval-realclaims:begin (written by `python build.py eval --update`) -->",
                   "<!-- eval-realclaims:end -->"),
    "realclaims-holdout": ("<!-- eval-realclaims-holdout:begin (written by `python build.py eval --update`) -->",
                           "<!-- eval-realclaims-holdout:end -->"),
    "legend": ("<!-- eval-legend:begin (written by `python build.py eval --update`) -->", "<!-- eval-legend:end -->"),
    "compare": ("<!-- eval-compare:begin (written by `python build.py eval --update`) -->",
                "<!-- eval-compare:end -->"),
}
BEGIN, END = BLOCKS["claims"]


def evaluate_claims(shared: Path) -> tuple[str, str]:
    """(plain table for the terminal, Markdown table for the page) over the held-out test
    splits and, for comparison, the tuning splits."""
    from benchmarks.eval_claims import format_table, run

    test = run(shared, "test")
    dev = run(shared, "dev")
    rows = ["| Benchmark | Used for | Sentences | Positive | Marked | P | R | F1 | macro-F1 |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for use, results in (("held out", test), ("tuning", dev)):
        for r in results:
            macro = f"{r.macro_f1:.3f}" if r.macro_f1 is not None else "–"
            rows.append(f"| {r.name} | {use} | {r.n} | {r.positives} | {r.predicted} | {r.precision:.3f} | "
                        f"{r.recall:.3f} | {r.f1:.3f} | {macro} |")
    plain = "held-out splits\n" + format_table(test) + "\n\ntuning splits\n" + format_table(dev)
    return plain, "\n".join(rows)


def evaluate_extraction(shared: Path) -> tuple[str, str]:
    from benchmarks.eval_extraction import evaluate_extraction as run

    return run(shared)


def evaluate_gold(shared: Path) -> tuple[str, str]:
    """The gold set lives in tests/realnews (it needs no ../shared)."""
    from benchmarks import eval_gold

    scores, _ = eval_gold.evaluate()
    return eval_gold.format_table(scores), eval_gold.format_markdown(scores)


def evaluate_realclaims(shared: Path) -> tuple[str, str]:
    """Claim marks on the real-news claim gold set (tests/gold; it needs no ../shared)."""
    from benchmarks.eval_realclaims import evaluate_realclaims as run

    return run(shared)


def evaluate_realclaims_holdout(shared: Path) -> tuple[str, str]:
    """Claim marks on the held-out real-news claim set (tests/gold; no rule is tuned on it)."""
    from benchmarks.eval_realclaims import evaluate_holdout

    return evaluate_holdout(shared)
def evaluate_compare(shared: Path) -> tuple[str, str]:
    """Topics found across articles on the comparison gold set (tests/compare_gold; it needs
    no ../shared)."""
    from benchmarks import eval_compare

    scores, _ = eval_compare.evaluate()
    return eval_compare.format_table(scores), eval_compare.format_markdown(scores)


EVALUATIONS: dict[str, tuple[str, Callable[[Path], tuple[str, str]]]] = {
    "claims": ("Claim markup", evaluate_claims),
    "extraction": ("Article extraction from real pages", evaluate_extraction),
    "gold": ("Real-news gold set (tests/realnews)", evaluate_gold),
    "realclaims": ("Claim marks on real news (tests/gold/realnews_claims.tsv)", evaluate_realclaims),
    "realclaims-holdout": ("Claim marks on real news, held out (tests/gold/realnews_claims_holdout.tsv)",
                           evaluate_realclaims_holdout),
    "compare": ("Comparisons (tests/compare_gold)", evaluate_compare),
}


def evaluate_all(shared: Path) -> dict[str, tuple[str, str]]:
    """name -> (plain table, Markdown table) for every evaluation."""
    return {name: func(shared) for name, (_, func) in EVALUATIONS.items()}


def _split(page: Path, name: str) -> tuple[str, str, str]:
    begin, end = BLOCKS[name]
    text = page.read_text(encoding="utf-8")
    head, rest = text.split(begin, 1)
    body, tail = rest.split(end, 1)
    return head, body, tail


def check_page(page: Path, name: str, markdown: str) -> bool:
    return _split(page, name)[1].strip() == markdown.strip()


def update_page(page: Path, name: str, markdown: str) -> None:
    head, _, tail = _split(page, name)
    begin, end = BLOCKS[name]
    page.write_text(f"{head}{begin}\n{markdown}\n{end}{tail}", encoding="utf-8")


# ---------------------------------------------------------------- what a page says of unmarked sentences

LANGUAGE_NAMES = {"de": "German", "en": "English"}


def realclaims_figures(scores: Mapping[tuple[str, str], Any]) -> Figures:
    """(category, language) -> benchmarks.eval_realclaims.Score as the figures of measured.yml,
    rounded as written there (so the legend and the article pages show the same percentages)."""
    figures: Figures = {}
    for (cat, lang), s in sorted(scores.items()):
        figures.setdefault(lang, {})[cat] = {"precision": round(s.precision, 3), "recall": round(s.recall, 3),
                                             "weighted_recall": round(s.weighted_recall, 3),
                                             "gold_sentences": s.tp + s.fn}
    return figures


def legend_markdown(figures: Figures) -> str:
    """The legend's table: per language and category, how many marks are right and how many of
    the claims the rules find (the weighted recall, rounded as the article pages show it)."""
    rows = ["| Articles in | Category | Marks that are right (precision) | Claims the rules find (recall) "
            "| Claims in the gold set |", "| --- | --- | ---: | ---: | ---: |"]
    for lang, cats in sorted(figures.items()):
        for cat in CATEGORIES:
            if cat in cats:
                c = cats[cat]
                rows.append(f"| {LANGUAGE_NAMES.get(lang, lang)} | {cat} | {percent(c['precision'])} | "
                            f"{percent(c['weighted_recall'])} | {int(c['gold_sentences'])} |")
    return "\n".join(rows)


@dataclass(frozen=True)
class Target:
    """What `eval --update` writes and `eval --check` compares: a marker block of a page, or a
    whole file (block None)."""
    path: Path
    block: str | None
    text: str

    def current(self) -> bool:
        if self.block:
            return check_page(self.path, self.block, self.text)
        return self.path.is_file() and self.path.read_text(encoding="utf-8") == self.text

    def write(self) -> None:
        if self.block:
            update_page(self.path, self.block, self.text)
        elif not self.current():
            self.path.write_text(self.text, encoding="utf-8")


def editions(project: Path) -> list[Path]:
    """The language folders of the hand-written pages (docs/_pages/<language>/, pressreview/pages.py)
    that hold a methodology page: `eval --update` writes the tables into each."""
    root = project / "docs" / PAGES
    return sorted(p for p in root.iterdir() if (p / "methodology.md").is_file()) if root.is_dir() else []


def table_words(folder: Path) -> dict[str, Any]:
    """The words of the tables in one language: docs/_pages/<language>/_tables.yml ({} for the
    language the benchmarks write in, English)."""
    path = folder / TABLE_WORDS
    data = safeyaml.load(path.read_text(encoding="utf-8")) if path.is_file() else None
    return data if isinstance(data, dict) else {}


_CODE = re.compile(r"(`[^`]*`)")
_DECIMAL = re.compile(r"(?<![\w.])(\d+)\.(\d+)(?![\w.])")
_THOUSANDS = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w,])")  # 1,028 (not 100,1000)


def _words(text: str, words: Mapping[str, Any]) -> str:
    """One cell (or a line outside a table) in the page's language: a cell of `cells` whole,
    else the `patterns` (regular expression, replacement) in order; numbers with a decimal
    comma when `decimal_comma` is set, their thousands grouped by `thousands_separator` (1,028 ->
    1.028); code spans stay as they are."""
    cells = words.get("cells") or {}
    stripped = text.strip()
    if stripped in cells:
        text = text.replace(stripped, str(cells[stripped]))
    else:
        for pattern, replacement in words.get("patterns") or []:
            text = re.sub(pattern, replacement, text)
    sep = str(words.get("thousands_separator") or ",")
    parts = []
    for part in _CODE.split(text):
        if not part.startswith("`"):
            part = _THOUSANDS.sub(lambda m: m.group().replace(",", "\0"), part)  # out of the decimals' way
            if words.get("decimal_comma"):
                part = _DECIMAL.sub(r"\1,\2", part)
            part = part.replace("\0", sep)
        parts.append(part)
    return "".join(parts)


def translate_tables(markdown: str, words: Mapping[str, Any]) -> str:
    """A block that the benchmarks write in English, in the language of `words` (table_words):
    the figures stay, the words around them change."""
    if not words:
        return markdown
    lines = []
    for line in markdown.split("\n"):
        if line.startswith("|") and not re.fullmatch(r"[|\s:-]+", line):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            line = "| " + " | ".join(_words(c, words) for c in cells) + " |"
        elif line:
            line = _words(line, words)
        lines.append(line)
    return "\n".join(lines)


def targets(project: Path, results: dict[str, tuple[str, str]], figures: Figures, gold: str,
            measured: Path = MEASURED) -> list[Target]:
    """The methodology page's tables and the legend's table in every language's edition, and
    measured.yml."""
    out: list[Target] = []
    for folder in editions(project):
        words = table_words(folder)
        out += [Target(folder / "methodology.md", name, translate_tables(markdown, words))
                for name, (_, markdown) in results.items()]
        if (folder / "legend.md").is_file():
            out.append(Target(folder / "legend.md", "legend", translate_tables(legend_markdown(figures), words)))
    return out + [Target(measured, None, render_measured(figures, gold))]


def measure_realclaims() -> tuple[Figures, str]:
    """The figures the pages show, and the set's file name: the HELD-OUT real-news claim set, the one
    no rule was tuned on (the tuning set's figures are higher and would promise too much)."""
    from benchmarks import eval_realclaims as ev

    scores, _, _ = ev.score(ev.load(ev.HOLDOUT), ev.default_classify())
    return realclaims_figures(scores), ev.HOLDOUT.relative_to(ev.ROOT).as_posix()
