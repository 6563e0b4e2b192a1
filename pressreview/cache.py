"""cache: each article's analysis (read -> normalise -> analyse), stored by content.

An entry is found by the hash of everything its result depends on: the input file's bytes, its
sidecar's bytes, its path in the input folder, the settings that reach read, normalise and
analyse (settings.NOT_ANALYSIS lists those that do not), the rule files every article uses
(layout, quantities, attributions, publishers) and this pressreview's code and library
versions. The claim rules of one language (rules/<lang>.yml and the project's `claims:` for that
language) are checked on reading an entry, against its article's language: a change to the
German rules re-analyses the German articles only.

The store is a folder of plain JSON files (.cache/pressreview/ in the project, git-ignored),
each written whole (temporary file + os.replace, as every file pressreview writes), so a
killed or concurrent build never leaves half an entry. Not diskcache: its last release (5.6.3,
2023) unpickles what it reads (CVE-2025-69872, no fix), and a folder of JSON files needs no
dependency, survives any interruption and is removed with `rm -rf` (`make clean`).
The model is written field by field (frozen dataclasses of strings, numbers and tuples) and read
back by its type annotations, with a decoder made once per type as Python source that checks
every value (about three times faster than walking the annotations): never pickle.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import types
import unicodedata
from dataclasses import fields, is_dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Union, get_args, get_origin, get_type_hints

from .model import Article, Rejected
from .output import write_if_changed
from .safeyaml import shown
from .settings import NOT_ANALYSIS, SCHEMA

if TYPE_CHECKING:
    from .read import Input

log = logging.getLogger("pressreview")

FOLDER = Path(".cache") / "pressreview"  # in the project
# claims.RULES_DIR, without importing claims (and simplemma) where only the files are hashed
RULES_DIR = Path(__file__).resolve().parent / "rules"
IGNORE = b"# written by pressreview: the analysis cache\n*\n"  # the folder's .gitignore
FORMAT = 1  # of an entry; a change makes every earlier entry a miss
# rules/*.yml that no article's analysis reads (comparison; the measured figures of the pages)
NOT_ANALYSIS_RULES = ("compare.yml", "measured.yml")
# The libraries whose results end up in an analysis (a new version may split, detect or extract
# differently).
LIBRARIES = ("charset-normalizer", "dateparser", "ftfy", "htmldate", "idna", "lingua-language-detector", "lxml",
             "lxml_html_clean", "pysbd", "python-slugify", "PyYAML", "simplemma", "tldextract", "trafilatura")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """This pressreview's code and the versions of the libraries it uses (its rule files are
    in the keys one by one: see _rule_files_key and language_key)."""
    h = hashlib.sha256(f"format {FORMAT}; python {sys.version_info[:2]}; unicode {unicodedata.unidata_version}\n"
                       .encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        h.update(f"{path.name}\n".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    for name in LIBRARIES:
        h.update(f"{name}=={_version(name)}\n".encode())
    return h.hexdigest()


def worker_fingerprint() -> str:
    """The code and every rule file: a Dask worker must have the same as this machine."""
    h = hashlib.sha256(code_fingerprint().encode())
    for path in sorted(RULES_DIR.glob("*.yml")):
        h.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _rule_files_key(settings: dict[str, Any]) -> str:
    """The part of every entry's key that is the same for all articles of a build."""
    from .claims import available_languages

    languages = set(available_languages())
    shared = sorted(p.name for p in RULES_DIR.glob("*.yml")
                    if p.stem not in languages and p.name not in NOT_ANALYSIS_RULES)
    relevant = {k: settings[k] for k in sorted(SCHEMA) if k not in NOT_ANALYSIS}
    h = hashlib.sha256(json.dumps(relevant, sort_keys=True, default=str).encode())
    for name in shared:
        h.update(name.encode() + b"\0" + hashlib.sha256((RULES_DIR / name).read_bytes()).digest())
    return h.hexdigest()


def language_key(settings: dict[str, Any], language: str) -> str:
    """What the claim rules of one language are: the built-in pack and the project's rules."""
    from .analyse import project_rules

    h = hashlib.sha256(language.encode() + b"\0")
    pack = RULES_DIR / f"{language}.yml"
    h.update(hashlib.sha256(pack.read_bytes()).digest() if pack.is_file() else b"-")
    h.update(json.dumps(project_rules(settings, language), sort_keys=True, default=str).encode())
    return h.hexdigest()


def input_key(common: str, source: Input) -> str:
    """The hash of one input file as read (its path, bytes and sidecar) after `common`."""
    h = hashlib.sha256(common.encode())
    for part in (source.rel.encode(), source.suffix.encode(), source.data, source.sidecar_name.encode(),
                 b"-" if source.sidecar is None else b"+" + source.sidecar, source.sidecar_error.encode()):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


# -- the model as JSON ----------------------------------------------------------------------

def encode(value: Any) -> Any:
    """A dataclass of the model (or a part of it) as JSON values."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


def decode(kind: Any, value: Any) -> Any:
    """JSON values back into `kind` (a model dataclass, tuple[...], X | None …); a TypeError
    when they do not fit it."""
    return _decoder(kind)(value)


# A field's type -> the test of what JSON may hold for it (a float field may hold an int, as
# Python allows; JSON gives exactly these types, never a subclass, and a bool is not an int).
_PLAIN = {str: "type({}) is str", int: "type({}) is int", float: "type({}) in _NUMBER", bool: "type({}) is bool"}


@lru_cache(maxsize=None)
def _decoder(kind: Any) -> Callable[[Any], Any]:
    """The function that decodes values of one type, made once per type as Python source with
    every check written out (a build decodes hundreds of thousands of values): a dataclass from
    a mapping of exactly its fields, a tuple from a list; a TypeError for anything else."""
    names: dict[str, Any] = {"_bad": _bad, "_list": _listed, "_NUMBER": (int, float)}
    if isinstance(kind, type) and is_dataclass(kind):
        hints = get_type_hints(kind)
        init = [f.name for f in fields(kind) if f.init]
        names.update(_cls=kind, _keys=frozenset(init), _new=object.__new__)
        parts = ", ".join(f"{name!r}: {_expression(hints[name], f'value[{name!r}]', names)}" for name in init)
        # Every field is given and checked: the object is made without the dataclass's __init__,
        # which a frozen class runs through object.__setattr__ field by field (4 times slower),
        # unless the class has work of its own to do on making one (or no __dict__).
        plain = len(init) == len(fields(kind)) and not hasattr(kind, "__post_init__") \
            and not hasattr(kind, "__slots__")
        make = "(_o := _new(_cls)).__dict__.update({%s})\n    return _o" if plain else "return _cls(**{%s})"
        source = (f"def decode(value):\n"
                  f"    if type(value) is not dict or value.keys() != _keys:\n"
                  f"        _bad(value, 'a mapping of the fields of {kind.__name__}')\n"
                  f"    {make % parts}\n")
    else:
        source = f"def decode(value):\n    return {_expression(kind, 'value', names)}\n"
    exec(source, names)  # noqa: S102 (our own source, made from the model's type annotations)
    return names["decode"]


def _expression(kind: Any, value: str, names: dict[str, Any]) -> str:
    """Python source that decodes the JSON value that the source `value` gives (evaluated once)
    into `kind`; `names` receives what it refers to."""
    var = f"_v{len(names)}"
    names[var] = None  # (a new name for each expression)
    origin = get_origin(kind)
    if isinstance(kind, type) and is_dataclass(kind):
        names[f"_d{var}"] = _decoder(kind)
        return f"_d{var}({value})"
    if origin is tuple:
        args = get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return f"tuple([{_expression(args[0], var, names)} for {var} in _list({value})])"
        items = "".join(f"{_expression(a, f'{var}[{i}]', names)}, " for i, a in enumerate(args))
        return f"(({items}) if len({var} := _list({value})) == {len(args)} else _bad({var}, 'a list of {len(args)}'))"
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(kind) if a is not type(None)]
        inner = _expression(options[0], var, names) if len(options) == 1 else var
        return f"(None if ({var} := {value}) is None else {inner})"
    if kind in _PLAIN:
        return f"({var} if {_PLAIN[kind].format(f'({var} := {value})')} else _bad({var}, {kind.__name__!r}))"
    return value  # Any (as JSON gave it)


def _bad(value: Any, kind: str) -> Any:
    raise TypeError(f"{shown(value)} is not {kind}")


def _listed(value: Any) -> list:
    if type(value) is not list:
        raise TypeError(f"{shown(value)} is not a list")
    return value


# -- the store ------------------------------------------------------------------------------

class Cache:
    """The analyses of one project's articles by content (see the module's text)."""

    def __init__(self, settings: dict[str, Any]):
        self.folder = Path(settings["project"]) / FOLDER
        self.settings = settings
        self.common = hashlib.sha256(f"{code_fingerprint()}\n{_rule_files_key(settings)}".encode()).hexdigest()
        self._languages: dict[str, str] = {}
        self.hits = self.misses = 0
        self._ignored = False

    def _language(self, language: str) -> str:
        if language not in self._languages:
            self._languages[language] = language_key(self.settings, language)
        return self._languages[language]

    def key(self, source: Input) -> str:
        return input_key(self.common, source)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Article | Rejected | None:
        """The stored result, or None when there is none or it no longer holds (then its
        article's language rules have changed since)."""
        try:
            entry = json.loads(self._path(key).read_bytes())
            if entry.get("format") != FORMAT:
                result = None
            elif "rejected" in entry:
                result = decode(Rejected, entry["rejected"])
            elif entry["rules"] == self._language(entry["article"]["language"]):
                result = decode(Article, entry["article"])
            else:
                result = None
        except FileNotFoundError:
            result = None
        except (OSError, ValueError, KeyError, TypeError) as exc:  # a damaged entry is made again
            log.info("cache entry %s not used: %s", self._path(key), exc)
            result = None
        if result is None:
            self.misses += 1
        else:
            self.hits += 1
        return result

    def put(self, key: str, result: Article | Rejected) -> None:
        entry: dict[str, Any] = {"format": FORMAT}
        if isinstance(result, Article):
            entry.update(rules=self._language(result.language), article=encode(result))
        else:
            entry["rejected"] = encode(result)
        try:
            if not self._ignored:
                # like .pytest_cache: the folder ignores itself, so a project's git status stays
                # clean without an entry in its .gitignore
                write_if_changed(self.folder / ".gitignore", IGNORE)
                self._ignored = True
            write_if_changed(self._path(key), json.dumps(entry, sort_keys=True).encode("ascii"))
        except OSError as exc:  # a full or read-only disk slows the next build, no more
            log.warning("could not write to the cache %s: %s", self.folder, exc)
