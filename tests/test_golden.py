"""Golden files: the normalised Markdown of both seeds, as reviewed. Regenerate with
`make golden` and review the change with `git diff tests/golden`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pressreview.normalise import normalise
from pressreview.read import read_corpus
from pressreview.render import environment, load_strings, normalised_markdown
from pressreview.settings import load_settings

from conftest import ROOT, SEEDS

GOLDEN = ROOT / "tests" / "golden"
SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def outputs():
    docs, _ = read_corpus(SEEDS)
    settings = load_settings(ROOT)
    strings = load_strings(environment(), "de")
    return {d.source_path: normalised_markdown(normalise(d, settings), strings) for d in docs}


@pytest.mark.parametrize("name", SEED_FILES)
def test_output_matches_golden(outputs, name):
    golden = (GOLDEN / name.replace(".txt", ".md")).read_text(encoding="utf-8")
    assert outputs[name] == golden, "normalised output changed: run `make golden` and review the diff"


def _unescape(line: str) -> str:
    line = re.sub(r"\\(.)", r"\1", line)
    return line.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@pytest.mark.parametrize("name", SEED_FILES)
def test_golden_holds_every_seed_line_in_order(name):
    """Line by line against the raw seed: every line is in the golden file, in order, either
    as it is (set aside, or a list item / heading / paragraph) or split into dateline + text."""
    golden = [_unescape(line) for line in (GOLDEN / name.replace(".txt", ".md")).read_text(encoding="utf-8").splitlines()]
    pos = 0
    for raw in (SEEDS / name).read_text(encoding="utf-8").splitlines():
        raw = raw.strip()
        if not raw:
            continue
        text = re.sub(r"^(\d{2}/\d{2}/\d{4})(?=\w)", r"\1 ", raw)  # a dateline split off
        pieces = text.split(" ", 1) if text != raw and not any(raw in g for g in golden[pos:]) else [raw]
        for piece in pieces:
            piece = re.sub(r"^- ", "", piece)
            found = next((i for i in range(pos, len(golden)) if piece in golden[i]), None)
            assert found is not None, f"{name}: line not found in order: {piece[:60]!r}"
            pos = found
