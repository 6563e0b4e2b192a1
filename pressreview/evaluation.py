"""What `make eval` measures on data no one here wrote, as Markdown tables kept in step on the
methodology page: the claim markup (../shared/benchmarks), article extraction from real pages
(ScrapingHub bodies, trafilatura's German snippets; ../shared/benchmarks) and the hand-written
real-news gold set (tests/realnews) and the comparison across articles (tests/compare_gold).
Each table stands between its own pair of markers."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

# name -> (marker pair); the claims table keeps its original markers
BLOCKS = {
    "claims": ("<!-- eval:begin (written by `python build.py eval --update`) -->", "<!-- eval:end -->"),
    "extraction": ("<!-- eval-extraction:begin (written by `python build.py eval --update`) -->",
                   "<!-- eval-extraction:end -->"),
    "gold": ("<!-- eval-gold:begin (written by `python build.py eval --update`) -->", "<!-- eval-gold:end -->"),
    "realclaims": ("<!-- eval-realclaims:begin (written by `python build.py eval --update`) -->",
                   "<!-- eval-realclaims:end -->"),
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
