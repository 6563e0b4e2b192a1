"""Hypothesis strategies for hostile inputs, shared by the input tests and the fuzzed build:
symbolic links, YAML alias bombs and dates outside 1970-01-01 … 2100-12-31.

The expected behaviour is simple on purpose:
- a symbolic link (file, folder, sidecar, broken) -> Rejected, its target never read;
- an alias bomb in front matter or a sidecar -> Rejected with a short reason;
- an out-of-range or unparseable date -> the article is kept, its date unknown, and a warning
  shows the date's text.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from hypothesis import strategies as st

SECRET = "TOP-SECRET-7f3a"  # the text of every file outside the input folder

LINK_KINDS = ("file-outside", "dir-outside", "file-inside", "dir-inside", "broken", "sidecar-outside", "dir-loop")


def link_layouts() -> st.SearchStrategy[list[tuple[str, str]]]:
    """A few (name, kind) pairs: symbolic links to make in an input folder (make_links)."""
    names = st.text(alphabet="abcdefgh", min_size=1, max_size=6)
    return st.lists(st.tuples(names, st.sampled_from(LINK_KINDS)), min_size=1, max_size=5,
                    unique_by=lambda pair: pair[0])


def make_links(root: Path, outside: Path, layout: list[tuple[str, str]]) -> list[str]:
    """Make the links of a layout below root (with targets in `outside`); returns the relative
    paths of the links that read_corpus must reject when it does not follow links."""
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.txt").write_text(f"{SECRET} root:x:0:0\n", encoding="utf-8")
    (outside / "sub").mkdir(exist_ok=True)
    (outside / "sub" / "secret.md").write_text(f"{SECRET} in a folder\n", encoding="utf-8")
    (root / "inside").mkdir(exist_ok=True)
    (root / "inside" / "real.txt").write_text("Ein echter Artikel im Ordner.\n", encoding="utf-8")
    expected = []
    for name, kind in layout:
        if kind == "file-outside":
            os.symlink(outside / "secret.txt", root / f"{name}.txt")
        elif kind == "dir-outside":
            os.symlink(outside / "sub", root / name)
        elif kind == "file-inside":
            os.symlink(root / "inside" / "real.txt", root / f"{name}.txt")
        elif kind == "dir-inside":
            os.symlink(root / "inside", root / name)
        elif kind == "broken":
            os.symlink(root / "does-not-exist.txt", root / f"{name}.md")
        elif kind == "dir-loop":
            os.symlink(root, root / name)
        elif kind == "sidecar-outside":
            (root / f"{name}.txt").write_text("Ein Artikel mit einem verlinkten Beiwagen.\n", encoding="utf-8")
            os.symlink(outside / "secret.txt", root / f"{name}.yml")
        expected.append(f"{name}.txt" if kind in ("file-outside", "file-inside", "sidecar-outside")
                        else f"{name}.md" if kind == "broken" else name)
    return expected


def alias_bomb(levels: int, fan: int, leaf: int, key: str = "language") -> str:
    """YAML whose `key` expands to fan**levels copies of a leaf of `leaf` characters."""
    lines = [f'a0: &a0 "{"x" * leaf}"']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * fan) + "]")
    lines.append(f"{key}: *a{levels}")
    return "\n".join(lines) + "\n"


def alias_bombs() -> st.SearchStrategy[str]:
    """Alias bombs of a few hundred bytes whose expansion is far beyond any real document."""
    return st.builds(alias_bomb, st.integers(7, 12), st.integers(6, 9), st.integers(10, 50),
                     st.sampled_from(["language", "title", "date", "claims", "extra"]))


def out_of_range_dates() -> st.SearchStrategy[str]:
    """Date texts an article must survive: before 1970, after 2100, or not a date at all."""
    return st.one_of(
        st.dates(max_value=date(1969, 12, 31)).map(date.isoformat),
        st.dates(min_value=date(2101, 1, 1)).map(date.isoformat),
        st.sampled_from(["2025-02-30", "2025-13-01", "18.09.2025", "gestern", "0000-01-01", "99999-01-01",
                         "2106-02-08", "1969-12-31", "2101-01-01"]),
    )
