"""Evaluate the claim markup (pressreview.claims) on the external benchmarks.

    python benchmarks/eval_claims.py [--shared ../shared] [--split test|dev|train] [--json out.json]

Benchmarks (see ../shared/benchmarks/README.md):

* CoNLL-2010 Task 1, Wikipedia weasel/uncertainty (English, derived copy):
  a sentence counts as predicted positive when the English pack marks it
  SPECULATIVE; gold positive is label 1 ("uncertain").  This measures the
  speculative rules only (hedges, weasel words, vague attribution), and on a
  copy whose positive rate (30.7 % in test) is higher than the official set,
  so F1 is not comparable to the published 60.2.
* CLEF CheckThat! 2025 Task 1 subjectivity, German and English: a sentence
  counts as predicted SUBJ when it gets either label (speculative or
  promotional).  SUBJ/OBJ is a proxy: forecasts and reported speech are often
  OBJ in that data, opinion that uses none of our cues is SUBJ.

``--split test`` (default) reports the held-out splits: CoNLL test.csv,
CheckThat test_*_labeled (primary) and dev_test_* (secondary; German also
without the 13 sentences it shares with train/dev).  ``--split dev`` reports
the CheckThat dev splits (CoNLL has no dev split: its train.csv is shown).
``--split train`` reports the tuning data.  Rules were tuned on train/dev only.

The functions here (``load_conll``, ``load_checkthat``, ``evaluate``,
``run``, ``format_table``) are importable for ``make eval`` / ``build.py eval``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_SHARED = ROOT.parent / "shared"

CHECKTHAT_FILES = {
    ("de", "train"): "german/train_de.tsv",
    ("de", "dev"): "german/dev_de.tsv",
    ("de", "dev_test"): "german/dev_test_de.tsv",
    ("de", "test"): "german/test_de_labeled.tsv",
    ("en", "train"): "english/train_en.tsv",
    ("en", "dev"): "english/dev_en.tsv",
    ("en", "dev_test"): "english/dev_test_en.tsv",
    ("en", "test"): "english/test_en_labeled.tsv",
}


class DataMissing(RuntimeError):
    pass


def _bench_dir(shared: Path) -> Path:
    shared = Path(shared)
    bench = shared / "benchmarks"
    if not bench.is_dir():
        raise DataMissing(
            f"benchmark data not found: {bench} does not exist "
            f"(pass --shared PATH to the folder that holds benchmarks/)"
        )
    return bench


# --------------------------------------------------------------------------
# loaders
# --------------------------------------------------------------------------

_PTB = [
    (re.compile(r"-LRB-"), "("),
    (re.compile(r"-RRB-"), ")"),
    (re.compile(r"-LSB-"), "["),
    (re.compile(r"-RSB-"), "]"),
    (re.compile(r"-LCB-"), "{"),
    (re.compile(r"-RCB-"), "}"),
    (re.compile(r"``|''"), '"'),
    (re.compile(r"(?<=\w) (?='s\b|'re\b|'ve\b|'ll\b|'d\b|'m\b|n't\b)"), ""),
    (re.compile(r" (?=[,.;:!?)\]])"), ""),
    (re.compile(r"(?<=[(\[]) "), ""),
]


def detokenize_ptb(text: str) -> str:
    """Undo the PTB tokenisation of the CoNLL copy (-LRB-, `` '', "Zeno 's")."""
    for rx, rep in _PTB:
        text = rx.sub(rep, text)
    return text


def load_conll(shared: Path, split: str) -> list[tuple[str, int]]:
    """CoNLL-2010 wiki weasel rows as (detokenised text, label); empty texts dropped."""
    path = _bench_dir(shared) / "conll2010_wikiweasel" / f"{split}.csv"
    if not path.is_file():
        raise DataMissing(f"missing {path}")
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            text = rec["text"].rstrip("\n").strip()
            if not text:
                continue
            rows.append((detokenize_ptb(text), int(rec["label"])))
    return rows


def load_checkthat_rows(shared: Path, lang: str, split: str) -> list[dict]:
    """CheckThat rows as dicts with sentence_id, sentence, label (QUOTE_NONE)."""
    path = _bench_dir(shared) / "checkthat2025_subjectivity" / CHECKTHAT_FILES[(lang, split)]
    if not path.is_file():
        raise DataMissing(f"missing {path}")
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        # column order differs between files: look the columns up by name
        idx = {name: i for i, name in enumerate(header) if name}
        for rec in reader:
            if not rec:
                continue
            out.append(
                {
                    "sentence_id": rec[idx["sentence_id"]],
                    "sentence": rec[idx["sentence"]],
                    "label": rec[idx["label"]].strip(),
                }
            )
    return out


def load_checkthat(shared: Path, lang: str, split: str) -> list[tuple[str, int]]:
    """CheckThat rows as (sentence, 1 if SUBJ else 0)."""
    return [(r["sentence"], int(r["label"] == "SUBJ")) for r in load_checkthat_rows(shared, lang, split)]


# --------------------------------------------------------------------------
# metrics
# --------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    n: int
    positives: int
    predicted: int
    tp: int
    precision: float
    recall: float
    f1: float
    note: str = ""
    # CheckThat only
    obj_precision: float | None = None
    obj_recall: float | None = None
    obj_f1: float | None = None
    macro_f1: float | None = None
    extra: dict = field(default_factory=dict)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(name: str, gold: list[int], pred: list[int], note: str = "", two_class: bool = False) -> Result:
    tp = sum(1 for g, p in zip(gold, pred) if g and p)
    fp = sum(1 for g, p in zip(gold, pred) if not g and p)
    fn = sum(1 for g, p in zip(gold, pred) if g and not p)
    tn = len(gold) - tp - fp - fn
    p, r, f = _prf(tp, fp, fn)
    res = Result(name, len(gold), sum(gold), sum(pred), tp, p, r, f, note)
    if two_class:
        op, orr, of = _prf(tn, fn, fp)
        res.obj_precision, res.obj_recall, res.obj_f1 = op, orr, of
        res.macro_f1 = (f + of) / 2
    return res


def evaluate(
    rows: list[tuple[str, int]],
    predict: Callable[[str], bool],
    name: str,
    note: str = "",
    two_class: bool = False,
) -> Result:
    gold = [y for _, y in rows]
    pred = [int(bool(predict(t))) for t, _ in rows]
    return score(name, gold, pred, note, two_class)


# CoNLL-2010's Wikipedia annotators count every vague quantifier ("several hits", "in some
# countries") as a weasel word; on news an editor does not (issue 10), so the English pack marks
# "some/many/several/certain" only with a vague view ("many critics say"). This profile is the
# Wikipedia reading: the same rule without that condition, as a project would set it in
# pressreview.yml (claims: override: en.weasel.quantifier: {requires: []}).
WIKIPEDIA_PROFILE: dict[str, dict] = {"en.weasel.quantifier": {"requires": []}}


def make_predictors(categories: Iterable[str] = ("speculative", "promotional"), overrides: dict | None = None):
    """Return predict(lang) -> function(text) -> bool using the built-in packs (with overrides)."""
    from pressreview.claims import load_rules

    cats = set(categories)
    cache = {}

    def for_lang(lang: str):
        if lang not in cache:
            cache[lang] = load_rules(lang, overrides=overrides)
        m = cache[lang]

        def predict(text: str) -> bool:
            labels, _ = m.classify(text)
            return bool(cats.intersection(labels))

        return predict

    return for_lang


def run(shared: Path = DEFAULT_SHARED, split: str = "test") -> list[Result]:
    """Run every benchmark for one split; raises DataMissing without data."""
    shared = Path(shared)
    _bench_dir(shared)
    spec = make_predictors(("speculative",))
    anyc = make_predictors(("speculative", "promotional"))
    results: list[Result] = []

    conll_split = "test" if split == "test" else "train"
    rows = load_conll(shared, conll_split)
    results.append(
        evaluate(
            rows,
            spec("en"),
            f"CoNLL-2010 wiki weasel {conll_split}",
            note="speculative vs label 1 (uncertain); English pack; PTB tokens detokenised",
        )
    )
    results.append(
        evaluate(
            rows,
            make_predictors(("speculative",), WIKIPEDIA_PROFILE)("en"),
            f"CoNLL-2010 wiki weasel {conll_split}, Wikipedia profile",
            note="the same, with every vague quantifier marked (WIKIPEDIA_PROFILE in eval_claims.py)",
        )
    )

    ct_splits = {"test": ["test", "dev_test"], "dev": ["dev"], "train": ["train"]}[split]
    for lang in ("de", "en"):
        for sp in ct_splits:
            rows_full = load_checkthat_rows(shared, lang, sp)
            rows = [(r["sentence"], int(r["label"] == "SUBJ")) for r in rows_full]
            results.append(
                evaluate(
                    rows,
                    anyc(lang),
                    f"CheckThat 2025 {lang} {sp}",
                    note="either label vs SUBJ",
                    two_class=True,
                )
            )
            if lang == "de" and sp == "dev_test":
                seen = {r["sentence_id"] for s in ("train", "dev") for r in load_checkthat_rows(shared, lang, s)}
                kept = [
                    (r["sentence"], int(r["label"] == "SUBJ")) for r in rows_full if r["sentence_id"] not in seen
                ]
                results.append(
                    evaluate(
                        kept,
                        anyc(lang),
                        f"CheckThat 2025 {lang} {sp} (no train/dev overlap)",
                        note=f"{len(rows) - len(kept)} shared sentences removed",
                        two_class=True,
                    )
                )
    return results


def format_table(results: list[Result]) -> str:
    head = f"{'benchmark':52s} {'n':>5s} {'pos':>5s} {'pred':>5s} {'P':>6s} {'R':>6s} {'F1':>6s}"
    head += f" {'OBJ-P':>6s} {'OBJ-R':>6s} {'OBJ-F1':>6s} {'macroF1':>7s}"
    lines = [head, "-" * len(head)]
    for r in results:
        line = f"{r.name:52s} {r.n:5d} {r.positives:5d} {r.predicted:5d} {r.precision:6.3f} {r.recall:6.3f} {r.f1:6.3f}"
        if r.macro_f1 is not None:
            line += f" {r.obj_precision:6.3f} {r.obj_recall:6.3f} {r.obj_f1:6.3f} {r.macro_f1:7.3f}"
        lines.append(line)
    lines.append("")
    lines.append("P/R/F1: CoNLL = the speculative class vs label 1; CheckThat = SUBJ class (marked with")
    lines.append("either category = SUBJ). CheckThat macroF1 = mean of SUBJ-F1 and OBJ-F1 (official metric).")
    notes = sorted({f"{r.name}: {r.note}" for r in results if r.note and "CoNLL" in r.name})
    lines.extend(notes)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Evaluate claim markup on external benchmarks.")
    ap.add_argument("--shared", default=str(DEFAULT_SHARED), help="folder holding benchmarks/ (default ../shared)")
    ap.add_argument("--split", choices=["test", "dev", "train"], default="test")
    ap.add_argument("--json", help="write the results as JSON to this file")
    args = ap.parse_args(argv)
    try:
        results = run(Path(args.shared), args.split)
    except DataMissing as exc:
        print(f"eval_claims: {exc}", file=sys.stderr)
        return 2
    print(format_table(results))
    if args.json:
        Path(args.json).write_text(
            json.dumps([asdict(r) for r in results], indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
