"""read: input files -> RawDocument (decoded text + metadata) or Rejected (with a reason).

Only this module touches input files. A reader per format is a small function registered by
file extension (as in Pelican); every file that cannot be read becomes a `Rejected` whose
reason names the problem, and the other files go on.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

import charset_normalizer
import yaml

from . import safeyaml
from .model import RawDocument, Rejected
from .safeyaml import shown

READERS: dict[str, Callable[[str], tuple[str, dict[str, Any]]]] = {}

# Front matter keys we understand; anything else is kept and reported as a warning.
KNOWN_KEYS = {"title", "date", "language", "sources", "url", "author", "publisher", "claims"}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
# Control characters that never occur in text (NUL..BS, VT, SO..US, DEL); tab, LF, FF, CR do.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Encodings charset-normalizer may pick for Western text it cannot tell apart from cp1252.
_CP1252_LOOKALIKES = {"cp1250", "cp1257", "iso8859_2", "iso8859_15", "latin_1", "cp1254", "mac_roman"}
# Dates an article may carry: the site's date (SOURCE_DATE_EPOCH, gzip and zip time stamps)
# must be a valid Unix time; any other date is kept as text in a warning, the date unknown.
DATE_MIN, DATE_MAX = date(1970, 1, 1), date(2100, 12, 31)
DATE_RANGE = f"{DATE_MIN.isoformat()} … {DATE_MAX.isoformat()}"
DEFAULT_MAX_FILE_BYTES = 5_000_000


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
        meta = safeyaml.load(match.group(1) or "") or {}
    except safeyaml.YamlLimitError as exc:
        raise InputError(f"front matter: {exc}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"front matter is not valid YAML: {_yaml_problem(exc)}") from None
    except ValueError as exc:
        raise InputError(f"front matter has an invalid value: {shown(str(exc), 120, quote=False)}") from None
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
            value, problem = check_date(value)
            if problem:  # the article is kept, its date unknown; the warning shows the text
                warnings.append(f"{where}: 'date' {problem}: date left unknown")
        elif key == "language":
            if value not in ("de", "en"):
                raise InputError(f"{where}: 'language' must be 'de' or 'en', not {shown(value)}")
        elif key == "title":
            if not isinstance(value, str) or not value.strip():
                raise InputError(f"{where}: 'title' must be a non-empty text")
            value = " ".join(value.split())
        clean[key] = value
    return clean, warnings


def check_date(value: Any) -> tuple[str | None, str]:
    """A date from front matter or a sidecar -> (ISO date, '') or (None, what is wrong with it)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            return None, f"{shown(value)} is not a calendar date"
    if not isinstance(value, date):
        return None, f"must be an ISO date YYYY-MM-DD, not {shown(value)}"
    return (value.isoformat(), "") if DATE_MIN <= value <= DATE_MAX else (None, out_of_range(value.isoformat()))


def out_of_range(text: str) -> str:
    return f"{text} is outside {DATE_RANGE}"


def in_range(value: date) -> bool:
    return DATE_MIN <= value <= DATE_MAX


def size_text(n: int) -> str:
    """6_200_000 -> '6.2 MB' (decimal units, as file managers show them)."""
    for unit, factor in (("MB", 1_000_000), ("kB", 1_000)):
        if n >= factor:
            return f"{n / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def read_limited(path: Path, limit: int, follow_symlinks: bool = False) -> bytes:
    """The bytes of a file of at most `limit` bytes; a larger file is refused before it is read
    (and a symbolic link is not opened unless links are followed)."""
    flags = os.O_RDONLY | (0 if follow_symlinks else getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(os.open(path, flags), "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        data = fh.read(size + 1) if size <= limit else b""  # (read(n) allocates n bytes at once)
        if len(data) > size:  # it grew since
            data += fh.read(limit + 1 - len(data))
        size = max(size, len(data))
        if size > limit:
            shown_size = size_text(size) if size_text(size) != size_text(limit) else f"{size:,} bytes"
            raise InputError(f"is {shown_size}, larger than the limit max_file_bytes = {size_text(limit)}")
    return data


@reader(".txt")
def read_txt(text: str) -> tuple[str, dict[str, Any]]:
    meta, body = split_front_matter(text)
    return body, meta


@reader(".md", ".markdown")
def read_md(text: str) -> tuple[str, dict[str, Any]]:
    meta, body = split_front_matter(text)
    return body, meta


def read_file(path: Path, root: Path, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
              follow_symlinks: bool = False) -> RawDocument:
    rel = path.relative_to(root).as_posix()
    data = read_limited(path, max_file_bytes, follow_symlinks)
    text, encoding = decode(data)
    text = clean_text(text)
    if _CONTROL.search(text):
        count = len(_CONTROL.findall(text))
        raise InputError(f"binary content: {count} control character(s) that text never contains (decoded as {encoding})")
    body, meta = READERS[path.suffix.lower()](text)
    meta, warnings = check_meta(meta, "front matter")
    sidecar = path.with_suffix(".yml")
    if sidecar.is_symlink() and (problem := link_problem(sidecar, root, follow_symlinks)):
        raise InputError(f"sidecar {sidecar.name} {problem}")
    if sidecar.is_file():
        try:
            side_bytes = read_limited(sidecar, max_file_bytes, follow_symlinks)
        except InputError as exc:
            raise InputError(f"sidecar {sidecar.name} {exc}") from None
        try:
            side = safeyaml.load(clean_text(side_bytes.decode("utf-8"))) or {}
        except safeyaml.YamlLimitError as exc:
            raise InputError(f"sidecar {sidecar.name}: {exc}") from None
        except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
            reason = _yaml_problem(exc) if isinstance(exc, yaml.YAMLError) else shown(str(exc), 120, quote=False)
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


def inside(path: Path, root: Path) -> bool:
    """Whether path, with every symbolic link resolved, is root or lies below it."""
    return path.resolve().is_relative_to(root.resolve())


def link_problem(path: Path, root: Path, follow_symlinks: bool) -> str:
    """Why the symbolic link `path` is not followed ('' if it may be)."""
    if not path.exists():
        return "is a broken symbolic link: not followed"
    if not follow_symlinks:
        return "is a symbolic link: not followed (--follow-symlinks follows links inside the input folder)"
    if not inside(path, root):
        return "is a symbolic link to a place outside the input folder: not followed"
    return ""


def find_inputs(root: Path, follow_symlinks: bool = False) -> tuple[list[Path], list[Rejected]]:
    """Article files below root, in a stable order (by relative path), and the symbolic links
    that were not followed (to article files or folders; hidden names are skipped).
    With follow_symlinks, a link is followed only when its target lies inside root, after the
    real folders, and no folder or file is read twice (so link loops end)."""
    files: list[Path] = []
    skipped: list[Rejected] = []
    seen = {root.resolve()}  # real folders and files already taken
    stack: list[Path] = [root]
    links: list[Path] = []
    while stack or links:
        if not stack:  # every real folder is done: now the links, in order
            links.sort(key=lambda p: p.relative_to(root).as_posix(), reverse=True)
            path = links.pop()
            is_dir = path.is_dir()
            rel = path.relative_to(root).as_posix()
            if not (is_dir or path.suffix.lower() in READERS):
                continue  # not an input (a sidecar link is judged with its article)
            problem = link_problem(path, root, follow_symlinks)
            if problem:
                skipped.append(Rejected(rel, problem))
            elif path.resolve() in seen:
                skipped.append(Rejected(rel, "is a symbolic link to a place that is read already: not followed"))
            elif is_dir or path.is_file():
                seen.add(path.resolve())
                (stack if is_dir else files).append(path)
            continue
        with os.scandir(stack.pop()) as scan:
            entries = list(scan)
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                links.append(path)
                continue
            is_dir = entry.is_dir(follow_symlinks=False)
            if not (is_dir or (entry.is_file(follow_symlinks=False) and path.suffix.lower() in READERS)):
                continue
            if follow_symlinks:  # (without links, no place can be reached twice)
                real = path.resolve()
                if real in seen:
                    continue
                seen.add(real)
            (stack if is_dir else files).append(path)
    return sorted(files, key=lambda p: p.relative_to(root).as_posix()), skipped


def read_corpus(root: Path, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
                follow_symlinks: bool = False) -> tuple[list[RawDocument], list[Rejected]]:
    if not root.is_dir():
        raise InputError(f"input folder {root} does not exist")
    docs: list[RawDocument] = []
    files, rejected = find_inputs(root, follow_symlinks)
    for path in files:
        try:
            docs.append(read_file(path, root, max_file_bytes, follow_symlinks))
        except (InputError, OSError) as exc:
            rejected.append(Rejected(path.relative_to(root).as_posix(), str(exc)))
        except Exception as exc:  # one bad file never stops the others
            rejected.append(Rejected(path.relative_to(root).as_posix(),
                                     f"could not be read: {type(exc).__name__}: {shown(str(exc), 200, quote=False)}"))
    return docs, sorted(rejected, key=lambda r: r.source_path)
