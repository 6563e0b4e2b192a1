"""YAML from untrusted files (front matter, sidecars, comparisons.yml, pressreview.yml) with
limits: a document size, a number of aliases and a size of what the aliases expand to.

`yaml.safe_load` never runs code, but aliases may expand a few hundred bytes into gigabytes
("billion laughs"). Here the composed node graph is measured *before* anything is built, and
errors never contain the expanded value, only the key, the line and the problem. A date
that is not a calendar date (`2025-02-30`) stays text, so the caller can warn about it.
"""

from __future__ import annotations

import reprlib
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # libyaml's parser (about ten times faster); PyYAML's wheels bring it
    from yaml import CSafeLoader as PackageLoader
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    from yaml import SafeLoader as PackageLoader  # type: ignore[assignment]

MAX_CHARS = 1_000_000  # a YAML document longer than this is refused
MAX_ALIASES = 50  # aliases (*name) in one document
MAX_EXPANDED = 2_000_000  # characters + nodes of the document with every alias expanded


class YamlLimitError(yaml.YAMLError):
    """A document over one of the limits; the message names the problem, never the value."""


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                line = self.peek_event().start_mark.line + 1
                raise YamlLimitError(f"more than {MAX_ALIASES} YAML aliases (*name), line {line}: refused")
        return super().compose_node(parent, index)

    def construct_lenient_timestamp(self, node: ScalarNode) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except (ValueError, OverflowError):  # 2025-02-30: kept as text
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_lenient_timestamp)


def _weight(node: Node, memo: dict[int, int], open_: set[int]) -> int:
    """Characters + nodes of a node with its aliases expanded (shared nodes counted each time)."""
    key = id(node)
    if key in memo:
        return memo[key]
    if key in open_:
        raise YamlLimitError("a YAML alias refers to itself (a recursive structure): refused")
    open_.add(key)
    if isinstance(node, ScalarNode):
        total = 1 + len(node.value)
    elif isinstance(node, SequenceNode):
        total = 1 + sum(_weight(child, memo, open_) for child in node.value)
    elif isinstance(node, MappingNode):
        total = 1 + sum(_weight(k, memo, open_) + _weight(v, memo, open_) for k, v in node.value)
    else:  # pragma: no cover - PyYAML has no other node kinds
        total = 1
    open_.discard(key)
    memo[key] = total
    return total


def load(text: str) -> Any:
    """Like yaml.safe_load, within the limits above (YamlLimitError otherwise)."""
    if len(text) > MAX_CHARS:
        raise YamlLimitError(f"{len(text):,} characters of YAML, more than {MAX_CHARS:,}: refused")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        memo: dict[int, int] = {}
        if _weight(node, memo, set()) > MAX_EXPANDED:
            where = ""
            if isinstance(node, MappingNode) and node.value:  # the key(s) with the largest expansion
                top = max(memo[id(v)] for _, v in node.value)
                keys = [f"'{shown(k.value, 40, quote=False)}'" for k, v in node.value
                        if memo[id(v)] == top and isinstance(k, ScalarNode)][:3]
                where = f" under key {', '.join(keys)}" if keys else ""
            raise YamlLimitError(f"YAML aliases{where} expand to more than {MAX_EXPANDED:,} characters "
                                 f"(an alias bomb?): refused")
        return loader.construct_document(node)
    finally:
        loader.dispose()


def load_package_file(path: Any) -> Any:
    """One of pressreview's own YAML files (pressreview/rules/*.yml): code that ships with the
    package, not a contributor's input, so read with libyaml and without the limits above."""
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=PackageLoader)  # noqa: S506 - a SafeLoader


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 60
_REPR.maxlist = _REPR.maxdict = _REPR.maxtuple = _REPR.maxset = 4
_REPR.maxlevel = 2


def shown(value: Any, limit: int = 60, quote: bool = True) -> str:
    """An untrusted value for a message: its repr (or the text) cut to about `limit` characters."""
    if isinstance(value, str):
        text = " ".join(value.split())
        if len(text) > limit:
            text = text[:limit] + "…"
        return repr(text) if quote else text
    text = _REPR.repr(value)
    return text if len(text) <= limit + 10 else text[:limit] + "…"
