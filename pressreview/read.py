"""read: input files -> RawDocument (decoded text + metadata) or Rejected (with a reason).

Only this module touches input files. A reader per format is a small function registered by
file extension (as in Pelican); every file that cannot be read becomes a `Rejected` whose
reason names the problem, and the other files go on.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

import charset_normalizer
import yaml

from .model import RawDocument, Rejected

READERS: dict[str, Callable[[str], tuple[str, dict[str, Any]]]] = {}

# Front matter keys we understand; anything else is kept and reported as a warning.
KNOWN_KEYS = {"title", "date", "language", "sources", "url", "author", "publisher", "claims"}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
# Control characters that never occur in text (NUL..BS, VT, SO..US, DEL); tab, LF, FF, CR do.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Encodings charset-normalizer may pick for Western text it cannot tell apart from cp1252.
_CP1252_LOOKALIKES = {"cp1250", "cp1257", "iso8859_2", "iso8859_15", "latin_1", "cp1254", "mac_roman"}


class InputError(Exception):
    """A problem with one input file; the message is shown to the user with the file name."""


def reader(*extensions: str):
    def register(func):
        for ext in extensions:
            READERS[ext] = func
        return func

    return register


def decode(data: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding). BOMs first, then strict UTF-8, then charset-normalizer."""
    if not data.strip():
        raise InputError("empty file")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise InputError(f"starts with a {enc} byte-order mark but is not valid {enc}: {exc.reason} at byte {exc.start}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError("binary or undecodable: no text encoding fits its bytes")
    encoding = best.encoding
    text = str(best)
    if encoding in _CP1252_LOOKALIKES:
        # Western European text in cp1250/latin-1/... decodes to the same letters as cp1252,
        # the encoding that German and English Windows text really uses.
        try:
            if data.decode("cp1252") == text:
                encoding = "cp1252"
        except UnicodeDecodeError:
            pass
    return text, encoding


def clean_text(text: str) -> str:
    """NFC, '\\n' line ends, no BOM, no trailing blanks at line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as exc:
        raise InputError(f"front matter is not valid YAML: {_yaml_problem(exc)}") from None
    except ValueError as exc:  # e.g. a date like 2025-02-30
        raise InputError(f"front matter has an invalid value: {exc}") from None
    if not isinstance(meta, dict):
        raise InputError("front matter must be a mapping of keys to values (key: value)")
    return meta, text[match.end():]


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"{problem} (line {mark.line + 1})" if mark else problem


def check_meta(meta: dict[str, Any], where: str) -> tuple[dict[str, Any], list[str]]:
    """Validate the keys we use; errors name the key. Returns (clean meta, warnings)."""
    clean: dict[str, Any] = {}
    warnings: list[str] = []
    for key, value in meta.items():
        key = str(key)
        if key not in KNOWN_KEYS:
            warnings.append(f"{where}: unknown key '{key}' ignored")
            continue
        if key == "date":
            if isinstance(value, datetime):
                value = value.date()
            if isinstance(value, date):
                value = value.isoformat()
            elif not (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and _valid_iso(value)):
                raise InputError(f"{where}: 'date' must be an ISO date YYYY-MM-DD, not {value!r}")
        elif key == "language":
            if value not in ("de", "en"):
                raise InputError(f"{where}: 'language' must be 'de' or 'en', not {value!r}")
        elif key == "title":
            if not isinstance(value, str) or not value.strip():
                raise InputError(f"{where}: 'title' must be a non-empty text")
            value = " ".join(value.split())
        clean[key] = value
    return clean, warnings


def _valid_iso(value: str) -> bool:
    try:
        date.fromisoformat(value)
        return True
    except ValueError:
        return False


@reader(".txt")
def read_txt(text: str) -> tuple[str, dict[str, Any]]:
    meta, body = split_front_matter(text)
    return body, meta


@reader(".md", ".markdown")
def read_md(text: str) -> tuple[str, dict[str, Any]]:
    meta, body = split_front_matter(text)
    return body, meta


def read_file(path: Path, root: Path) -> RawDocument:
    rel = path.relative_to(root).as_posix()
    data = path.read_bytes()
    text, encoding = decode(data)
    text = clean_text(text)
    if _CONTROL.search(text):
        count = len(_CONTROL.findall(text))
        raise InputError(f"binary content: {count} control character(s) that text never contains (decoded as {encoding})")
    body, meta = READERS[path.suffix.lower()](text)
    meta, warnings = check_meta(meta, "front matter")
    sidecar = path.with_suffix(".yml")
    if sidecar.is_file():
        try:
            side = yaml.safe_load(clean_text(sidecar.read_text(encoding="utf-8"))) or {}
        except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
            reason = _yaml_problem(exc) if isinstance(exc, yaml.YAMLError) else str(exc)
            raise InputError(f"sidecar {sidecar.name} is not valid YAML: {reason}") from None
        if not isinstance(side, dict):
            raise InputError(f"sidecar {sidecar.name} must be a mapping of keys to values")
        side, side_warnings = check_meta(side, f"sidecar {sidecar.name}")
        warnings += side_warnings
        meta = {**meta, **{k: v for k, v in side.items()}}
        meta["_sidecar_keys"] = sorted(side)
    if not body.strip():
        raise InputError("no article text (empty apart from front matter)")
    return RawDocument(
        source_path=rel,
        fmt="md" if path.suffix.lower() in (".md", ".markdown") else "txt",
        text=body,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        meta=meta,
        warnings=tuple(warnings),
    )


def find_inputs(root: Path) -> list[Path]:
    """Article files below root, in a stable order (by relative path)."""
    files = [p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in READERS
             and not any(part.startswith(".") for part in p.relative_to(root).parts)]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def read_corpus(root: Path) -> tuple[list[RawDocument], list[Rejected]]:
    if not root.is_dir():
        raise InputError(f"input folder {root} does not exist")
    docs: list[RawDocument] = []
    rejected: list[Rejected] = []
    for path in find_inputs(root):
        try:
            docs.append(read_file(path, root))
        except (InputError, OSError) as exc:
            rejected.append(Rejected(path.relative_to(root).as_posix(), str(exc)))
        except Exception as exc:  # one bad file never stops the others
            rejected.append(Rejected(path.relative_to(root).as_posix(),
                                     f"could not be read: {type(exc).__name__}: {exc}"))
    return docs, rejected
