"""lemmas: simplemma's dictionaries, decoded once into the project's cache folder.

simplemma ships each language's dictionary front-coded and lzma-compressed, and decodes it in
pure Python when a process first needs it: about 1.5 s CPU for German (1.1 million entries),
paid by every build (the claim rules' lemmas, the comparison's "is this word known"). Here the
decoded dictionary (a plain dict of bytes -> bytes, exactly what simplemma builds) is kept as
marshal data in .cache/pressreview/lemmas/ and read back in about 0.6 s. marshal, not pickle:
it holds plain data only and runs no code. The file's name holds simplemma's version and
the hash of the shipped dictionary file, and the data starts with its own SHA-256, so a
changed library or a damaged file is decoded again from simplemma's file, never used.

use_cache(folder) makes simplemma's shared dictionary factory (the one simplemma.lemmatize
and simplemma.is_known use) read dictionaries this way; each language still loads lazily,
when it is first asked for, and once per process.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
from collections.abc import Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from simplemma.strategies.dictionaries import dictionary_factory as factory

from .cache import IGNORE
from .output import write_if_changed

log = logging.getLogger("pressreview")

_FOLDER: list[Path] = []  # the cache folder of the project being built (the last one given)
_LOADED: dict[str, Mapping[str, str]] = {}  # language -> its dictionary, once per process


@lru_cache(maxsize=16)
def _copy_name(lang: str) -> str:
    shipped = hashlib.sha256((factory.DATA_FOLDER / f"{lang}.plzma").read_bytes()).hexdigest()[:16]
    return f"simplemma-{metadata.version('simplemma')}-{lang}-{shipped}.marshal"


def _read_copy(path: Path) -> dict[bytes, bytes] | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.info("dictionary copy %s not used: %s", path, exc)
        return None
    digest, body = data[:32], data[32:]
    if hashlib.sha256(body).digest() != digest:
        log.info("dictionary copy %s not used: damaged", path)
        return None
    try:
        value = marshal.loads(body)
    except (EOFError, ValueError, TypeError) as exc:  # pragma: no cover - the digest matched
        log.info("dictionary copy %s not used: %s", path, exc)
        return None
    return value if type(value) is dict else None


def _dictionary(lang: str) -> Mapping[str, str]:
    """simplemma's dictionary for lang (ValueError for a language it does not know)."""
    if lang not in _LOADED:
        if lang not in factory.SUPPORTED_LANGUAGES or not _FOLDER:
            return factory.DefaultDictionaryFactory._get_dictionary_uncached(factory.DEFAULT_DICTIONARY_FACTORY, lang)
        path = _FOLDER[-1] / "lemmas" / _copy_name(lang)
        decoded = _read_copy(path)
        if decoded is None:
            decoded = factory._load_dictionary_from_disk(lang)
            body = marshal.dumps(decoded)
            try:
                write_if_changed(_FOLDER[-1] / ".gitignore", IGNORE)  # as the cache's entries
                write_if_changed(path, hashlib.sha256(body).digest() + body)
            except OSError as exc:  # a full or read-only disk: decoded again next time, no more
                log.warning("could not write the dictionary copy %s: %s", path, exc)
        _LOADED[lang] = factory.MappingStrToByteString(decoded)
    return _LOADED[lang]


def use_cache(folder: Path) -> None:
    """Read simplemma's dictionaries through decoded copies in `folder` (the analysis cache)."""
    if not _FOLDER:
        # simplemma's default factory caches what its _get_dictionary returns; ours caches per
        # process, whichever project asks (a dictionary does not depend on the project)
        factory.DEFAULT_DICTIONARY_FACTORY._get_dictionary = lru_cache(maxsize=None)(_dictionary)
    _FOLDER[:] = [folder]
