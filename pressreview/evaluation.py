"""The claim markup measured on labelled data no one here wrote (../shared/benchmarks): the
held-out figures as a Markdown table for the methodology page, kept in step by `make eval`."""

from __future__ import annotations

from pathlib import Path

BEGIN = "<!-- eval:begin (written by `python build.py eval --update`) -->"
END = "<!-- eval:end -->"


def evaluate_all(shared: Path) -> tuple[str, str]:
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


def _split(page: Path) -> tuple[str, str, str]:
    text = page.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    body, tail = rest.split(END, 1)
    return head, body, tail


def check_page(page: Path, markdown: str) -> bool:
    return _split(page)[1].strip() == markdown.strip()


def update_page(page: Path, markdown: str) -> None:
    head, _, tail = _split(page)
    page.write_text(f"{head}{BEGIN}\n{markdown}\n{END}{tail}", encoding="utf-8")
