"""Cue-word precision on the TRAINING splits only (tuning aid, not a benchmark).

    python benchmarks/cue_stats.py conll [--min 8]       # CoNLL-2010 train.csv
    python benchmarks/cue_stats.py checkthat-de          # CheckThat train_de + dev_de
    python benchmarks/cue_stats.py checkthat-en          # CheckThat train_en + dev_en
    python benchmarks/cue_stats.py conll --words may,might,could
    python benchmarks/cue_stats.py checkthat-de --rules [--show RULE_ID]
    python benchmarks/cue_stats.py conll --rules --halves          # per half A / B
    python benchmarks/cue_stats.py conll --ngrams 2 --uncovered    # mine new cues
    python benchmarks/cue_stats.py conll --half a --words ...      # one half only

For every lower-cased token (or the given words), prints how many training
sentences contain it, how many of those are positive (uncertain / SUBJ) and
the precision.  Used to decide which cue words of the rule packs to keep; it
never reads a test or dev-test split.

Half-split (CoNLL has no dev split): ``--half a|b`` keeps the sentences whose
MD5 of the text is even (a) or odd (b); ``--halves`` prints the figures on both
halves side by side.  Choose cues on one half, check them on the other, and
prefer cues that hold on both.  ``--ngrams N`` scores word n-grams (1..N);
``--uncovered`` restricts that to sentences the current pack does not mark, so
the list shows what a new cue would add.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_claims import load_checkthat, load_conll  # noqa: E402

TOKEN = re.compile(r"[\w'-]+")


def half_of(text: str) -> str:
    """Deterministic half 'a' or 'b' of a sentence (MD5 of the text, even/odd)."""
    return "ab"[hashlib.md5(text.encode("utf-8")).digest()[-1] & 1]


def _fmt(n: int, p: int) -> str:
    return f"n={n:5d} pos={p:5d} prec={p / n if n else 0:.2f}"


def _prf(tp: int, fp: int, npos: int) -> str:
    P = tp / (tp + fp) if tp + fp else 0.0
    R = tp / npos if npos else 0.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    return f"P={P:.3f} R={R:.3f} F1={F:.3f} n={tp + fp}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", choices=["conll", "checkthat-de", "checkthat-en"])
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    ap.add_argument("--min", type=int, default=8, help="minimum support")
    ap.add_argument("--words", default="", help="comma-separated words/regexes to score")
    ap.add_argument("--top", type=int, default=150)
    ap.add_argument("--rules", action="store_true", help="score each rule of the built-in pack")
    ap.add_argument("--show", default="", help="with --rules: print the hits of this rule id")
    ap.add_argument("--only", choices=["pos", "neg"], default="", help="with --show: only positive/negative hits")
    ap.add_argument("--half", choices=["a", "b"], default="", help="use only one half of the data")
    ap.add_argument("--halves", action="store_true", help="print figures on half A and half B")
    ap.add_argument("--ngrams", type=int, default=1, help="score word n-grams up to this length")
    ap.add_argument("--uncovered", action="store_true", help="only sentences the pack does not mark")
    ap.add_argument("--minprec", type=float, default=0.0, help="hide n-grams below this precision")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    if args.data == "conll":
        rows = load_conll(shared, "train")
    else:
        lang = args.data.split("-")[1]
        rows = load_checkthat(shared, lang, "train") + load_checkthat(shared, lang, "dev")
    if args.half:
        rows = [(t, y) for t, y in rows if half_of(t) == args.half]
    halves = ("a", "b") if args.halves else ()
    hrow = [half_of(t) for t, _ in rows]
    base = sum(y for _, y in rows) / len(rows)
    print(f"{len(rows)} sentences, base rate {base:.3f}" + (f" (half {args.half})" if args.half else ""))

    lang = "en" if args.data in ("conll", "checkthat-en") else "de"
    cats = ("speculative",) if args.data == "conll" else ("speculative", "promotional")
    m = None
    if args.rules or args.uncovered:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from pressreview.claims import load_rules

        m = load_rules(lang)

    if args.rules:
        per = {r.id: Counter() for r in m.rules}
        cues_cnt = Counter()
        tot = Counter()
        for (text, y), h in zip(rows, hrow):
            labels, cues = m.classify(text)
            labels = tuple(l for l in labels if l in cats)
            cues = tuple(c for c in cues if c.category in cats)
            for k in ("", h):
                tot[(k, "pos")] += y
                if labels:
                    tot[(k, "tp")] += y
                    tot[(k, "fp")] += 1 - y
            for rid in {c.rule for c in cues}:
                for k in ("", h):
                    per[rid][(k, "n")] += 1
                    per[rid][(k, "p")] += y
            for c in cues:
                cues_cnt[(c.rule, c.text.lower(), y)] += 1
            if args.show and any(c.rule == args.show for c in cues):
                if not args.only or (args.only == "pos") == bool(y):
                    hit = [c.text for c in cues if c.rule == args.show]
                    print(f"  [{y}] {hit}: {text[:200]}")
        for rid, c in per.items():
            line = f"{rid:32s} {_fmt(c[('', 'n')], c[('', 'p')])}"
            for h in halves:
                line += f" | {h}: {_fmt(c[(h, 'n')], c[(h, 'p')])}"
            print(line)
        print(f"ALL marked: {_prf(tot[('', 'tp')], tot[('', 'fp')], tot[('', 'pos')])}")
        for h in halves:
            print(f"  half {h}:   {_prf(tot[(h, 'tp')], tot[(h, 'fp')], tot[(h, 'pos')])}")
        if args.show:
            words = Counter()
            for (rid, w, y), c in cues_cnt.items():
                if rid == args.show:
                    words[(w, y)] += c
            for w in sorted({w for w, _ in words}, key=lambda w: -(words[(w, 0)] + words[(w, 1)])):
                print(f"    {w!r}: pos={words[(w, 1)]} neg={words[(w, 0)]}")
        return 0

    covered = [False] * len(rows)
    if args.uncovered:
        covered = [bool(set(m.classify(t)[0]) & set(cats)) for t, _ in rows]

    if args.words:
        for w in args.words.split(","):
            rx = re.compile(r"(?<!\w)" + w + r"(?!\w)", re.I)
            c = Counter()
            for (t, y), h, cov in zip(rows, hrow, covered):
                if cov or not rx.search(t):
                    continue
                for k in ("", h):
                    c[(k, "n")] += 1
                    c[(k, "p")] += y
            line = f"{w:30s} {_fmt(c[('', 'n')], c[('', 'p')])}"
            for h in halves:
                line += f" | {h}: {_fmt(c[(h, 'n')], c[(h, 'p')])}"
            print(line)
        return 0

    c = Counter()
    for (text, y), h, cov in zip(rows, hrow, covered):
        if cov:
            continue
        toks = [t.lower() for t in TOKEN.findall(text)]
        grams = set()
        for n in range(1, args.ngrams + 1):
            grams.update(" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1))
        for g in grams:
            for k in ("", h):
                c[(g, k, "n")] += 1
                c[(g, k, "p")] += y
    items = []
    for (g, k, what), v in c.items():
        if k == "" and what == "n" and v >= args.min:
            p = c[(g, "", "p")]
            if p / v >= args.minprec:
                items.append((p / v, v, g))
    items.sort(key=lambda x: (-x[0], -x[1]))
    for p, v, g in items[: args.top]:
        line = f"{g:25s} {_fmt(v, c[(g, '', 'p')])}"
        for h in halves:
            line += f" | {h}: {_fmt(c[(g, h, 'n')], c[(g, h, 'p')])}"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
