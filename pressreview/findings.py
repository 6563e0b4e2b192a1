"""findings: what a reader of the press review wants first, computed once for the home page
(templates/index.md.j2) and the PDF's first page (templates/print.html.j2).

- the facts the articles disagree on: comparisons whose status is 'differ', then 'compatible',
  each with every article's value (its first statement of the topic) and the difference in words;
- the articles ranked by their share of promotional and of speculative sentences (only those
  with such sentences);
- the articles that cite no source;
- the dated articles, newest first.

Every list is complete and ordered; the templates decide how many entries they show. The work
is linear in the corpus and the comparisons (plus the sorts).
"""

from __future__ import annotations

from typing import Any

from .analyse import summary
from .model import Article, Comparison

# The statuses that are findings, in the order they are shown: what contradicts first.
DISAGREEMENT_ORDER = ("differ", "compatible")


def article_row(article: Article, words: int) -> dict[str, Any]:
    """One article as the lists show it: the article, its word count and its marks summary."""
    counts = summary(article)
    total = counts["sentences"] or 1
    return {"article": article, "words": words, "summary": counts,
            "promotional_share": counts["promotional"] / total,
            "speculative_share": counts["speculative"] / total}


def disagreements(comparisons: list[Comparison], by_id: dict[str, Article]) -> list[dict[str, Any]]:
    """Comparisons that differ, then those that are only compatible, in the comparisons' own
    order within each status; with one value per article (its first statement)."""
    out = []
    for status in DISAGREEMENT_ORDER:
        for c in comparisons:
            if c.status != status:
                continue
            values: dict[str, dict[str, Any]] = {}
            for st in c.statements:
                if st.article not in values and st.article in by_id:
                    values[st.article] = {"article": by_id[st.article], "value": st.quantity,
                                          "headline": st.quantity == c.headline}
            out.append({"comparison": c, "per_article": list(values.values())})
    return out


def _ranked(rows: list[dict[str, Any]], key: str, category: str) -> list[dict[str, Any]]:
    marked = [r for r in rows if r["summary"][category]]
    return sorted(marked, key=lambda r: (-r[key], -r["summary"][category], r["article"].id))


def findings(articles: list[Article], comparisons: list[Comparison], words: dict[str, int]) -> dict[str, Any]:
    """The findings of a corpus: `words` is each article's word count (render.word_count)."""
    by_id = {a.id: a for a in articles}
    rows = [article_row(a, words[a.id]) for a in articles]
    dated = sorted((r for r in rows if r["article"].date), key=lambda r: (r["article"].date, r["article"].id),
                   reverse=True)
    return {
        "disagreements": disagreements(comparisons, by_id),
        "most_promotional": _ranked(rows, "promotional_share", "promotional"),
        "most_speculative": _ranked(rows, "speculative_share", "speculative"),
        "without_sources": [r for r in rows if not r["article"].sources],
        "newest": dated,
        "rows": rows,
    }
