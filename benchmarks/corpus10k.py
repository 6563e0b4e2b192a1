"""N distinct German news articles made of 10kGNAD, for the benchmarks that measure time per article.

../shared/benchmarks/10kgnad/test.csv holds 1,028 articles; beyond that they are reused. A reused
article (copy k > 0) gets its number words written as digits and every digit shifted by k (so its
numbers are other numbers and no comparison joins a copy to its original) and its own headline. Each article gets a date (one
of 24 months) and an outlet (one of 12) as front matter, so that the index pages and the
navigation see a corpus shaped like an archive. Timing only: the texts are never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bench_analysis import load_10kgnad

OUTLETS = [f"Zeitung {chr(65 + n)}" for n in range(12)]


@dataclass(frozen=True)
class BenchArticle:
    name: str  # file name, 00042.md
    title: str
    date: str
    outlet: str
    body: str

    def source(self) -> str:
        """The input file: front matter and the text."""
        return f'---\ntitle: "{self.title}"\ndate: {self.date}\npublisher: {self.outlet}\n---\n\n{self.body}\n'

    def plain_page(self) -> str:
        """The same article as a plain Markdown page (the bare MkDocs build)."""
        return f"# {self.title}\n\n{self.body}\n"


# Number words become digits in a copy (then shifted like the others): "zwei Millionen" in
# five copies would otherwise be one fact that five articles report, and make a topic.
NUMBER_WORDS = {"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
                "zehn": 10, "elf": 11, "zwölf": 12, "zwanzig": 20, "dreißig": 30, "hundert": 100, "tausend": 1000}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.I)


def _shift_digits(text: str, k: int) -> str:
    if not k:
        return text
    text = _NUMBER_WORD.sub(lambda m: str(NUMBER_WORDS[m.group().lower()]), text)
    return text.translate(str.maketrans("0123456789", "".join(str((d + k) % 10) for d in range(10))))


def distinct_articles(shared: Path, n: int) -> list[BenchArticle]:
    texts = [text for _, text in load_10kgnad(shared)]
    out = []
    for i in range(n):
        k, row = divmod(i, len(texts))
        body = _shift_digits(texts[row], k)
        title = " ".join(body.split()[:8]).strip(" .,:;").replace('"', "'").replace("\\", "/") + f" ({i})"
        month = i % 24
        out.append(BenchArticle(f"{i:05d}.md", title, f"{2024 + month // 12}-{1 + month % 12:02d}-{1 + i % 28:02d}",
                                OUTLETS[i % len(OUTLETS)], body))
    return out


def input_files(articles: list[BenchArticle]) -> dict[str, str]:
    return {a.name: a.source() for a in articles}
