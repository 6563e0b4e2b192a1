"""Cue-word precision on the TRAINING splits only (tuning aid, not a benchmark).

    python benchmarks/cue_stats.py conll [--min 8]       # CoNLL-2010 train.csv
    python benchmarks/cue_stats.py checkthat-de          # CheckThat train_de + dev_de
    python benchmarks/cue_stats.py checkthat-en          # CheckThat train_en + dev_en
    python benchmarks/cue_stats.py conll --words may,might,could
    python benchmarks/cue_stats.py checkthat-de --rules [--show RULE_ID]

For every lower-cased token (or the given words), prints how many training
sentences contain it, how many of those are positive (uncertain / SUBJ) and
the precision.  Used to decide which cue words of the rule packs to keep; it
never reads a test or dev-test split.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_claims import load_checkthat, load_conll  # noqa: E402

TOKEN = re.compile(r"[\w'-]+")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", choices=["conll", "checkthat-de", "checkthat-en"])
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    ap.add_argument("--min", type=int, default=8, help="minimum support")
    ap.add_argument("--words", default="", help="comma-separated words/regexes to score")
    ap.add_argument("--top", type=int, default=150)
    ap.add_argument("--rules", action="store_true", help="score each rule of the built-in pack")
    ap.add_argument("--show", default="", help="with --rules: print the hits of this rule id")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    if args.data == "conll":
        rows = load_conll(shared, "train")
    else:
        lang = args.data.split("-")[1]
        rows = load_checkthat(shared, lang, "train") + load_checkthat(shared, lang, "dev")
    base = sum(y for _, y in rows) / len(rows)
    print(f"{len(rows)} sentences, base rate {base:.3f}")
    if args.rules:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from pressreview.claims import load_rules

        lang = "en" if args.data in ("conll", "checkthat-en") else "de"
        m = load_rules(lang)
        per = {r.id: [0, 0] for r in m.rules}
        cues_cnt = Counter()
        tp = fp = 0
        for text, y in rows:
            labels, cues = m.classify(text)
            if args.data == "conll":
                labels = tuple(l for l in labels if l == "speculative")
                cues = tuple(c for c in cues if c.category == "speculative")
            if labels:
                tp += y
                fp += 1 - y
            for rid in {c.rule for c in cues}:
                per[rid][0] += 1
                per[rid][1] += y
            for c in cues:
                cues_cnt[(c.rule, c.text.lower(), y)] += 1
                if args.show and c.rule == args.show:
                    print(f"  [{y}] {c.text!r}: {text[:160]}")
        for rid, (n, p) in per.items():
            print(f"{rid:32s} n={n:5d} pos={p:5d} prec={p / n if n else 0:.2f}")
        P = tp / (tp + fp) if tp + fp else 0
        R = tp / sum(y for _, y in rows)
        print(f"ALL marked: P={P:.3f} R={R:.3f} F1={2 * P * R / (P + R) if P + R else 0:.3f} n={tp + fp}")
        if args.show:
            words = Counter()
            for (rid, w, y), c in cues_cnt.items():
                if rid == args.show:
                    words[(w, y)] += c
            for w in sorted({w for w, _ in words}):
                print(f"    {w!r}: pos={words[(w, 1)]} neg={words[(w, 0)]}")
        return 0
    if args.words:
        for w in args.words.split(","):
            rx = re.compile(r"(?<!\w)" + w + r"(?!\w)", re.I)
            hits = [y for t, y in rows if rx.search(t)]
            if hits:
                print(f"{w:30s} n={len(hits):5d} pos={sum(hits):5d} prec={sum(hits)/len(hits):.2f}")
            else:
                print(f"{w:30s} n=0")
        return 0
    n, pos = Counter(), Counter()
    for text, y in rows:
        for tok in set(t.lower() for t in TOKEN.findall(text)):
            n[tok] += 1
            pos[tok] += y
    items = [(pos[t] / n[t], n[t], t) for t in n if n[t] >= args.min]
    items.sort(key=lambda x: (-x[0], -x[1]))
    for p, c, t in items[: args.top]:
        print(f"{t:25s} n={c:5d} pos={pos[t]:5d} prec={p:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
