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
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import charset_normalizer
import yaml

from . import safeyaml
from .model import RawDocument, Rejected
from .safeyaml import shown
from .settings import input_dir

if TYPE_CHECKING:
    from . import webpage

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
# HTML pages, also gzip-compressed; a .txt or .md file that holds a page is read as one too.
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
_COMPOUND_SUFFIXES = (".html.gz", ".htm.gz")
SHORT_PAGE_WORDS = 25  # a page whose main text is shorter is read, with a warning
# The start of an HTML page: an XML declaration and comments may come before <!DOCTYPE html>
# or <html>; else <head> or <body> near the start of a file that starts with a tag.
_HTML_START = re.compile(rb"(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.I | re.S)
_HTML_PARTS = re.compile(rb"<(head|body)[\s>]", re.I)
# <meta charset="..."> or <meta http-equiv="Content-Type" content="text/html; charset=...">
_META_CHARSET = re.compile(rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9_.:-]+)", re.I)
# What browsers read for a declared charset (WHATWG Encoding): Latin-1 is cp1252, and a
# UTF-16 declaration in a page whose bytes could be read to find it is UTF-8.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                    "ascii": "cp1252", "iso8859-1": "cp1252", "utf-16": "utf-8", "utf-16le": "utf-8",
                    "utf-16be": "utf-8", "x-user-defined": "cp1252"}


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


def input_suffix(name: str) -> str:
    """'a.html.gz' -> '.html.gz', 'a.TXT' -> '.txt': the suffix that says how a file is read."""
    lower = name.lower()
    for suffix in _COMPOUND_SUFFIXES:
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return suffix
    return os.path.splitext(lower)[1]


def sniff_html(data: bytes) -> bool:
    """Whether a file's bytes are an HTML page (cheap: looks at the first 2 kB only)."""
    head = data[:2048].removeprefix(codecs.BOM_UTF8).lstrip()
    return bool(_HTML_START.match(head)) or (head.startswith(b"<") and bool(_HTML_PARTS.search(head)))


def gunzip(data: bytes, limit: int) -> bytes:
    """A gzip file's content, decompressed only up to `limit` bytes: more is a decompression
    bomb (or just too large) and is refused before it fills the memory."""
    out: list[bytes] = []
    total = 0
    rest = data
    while rest:
        unzip = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            chunk = unzip.decompress(rest, limit + 1 - total)
        except zlib.error as exc:
            raise InputError(f"is not a valid gzip file: {exc}") from None
        total += len(chunk)
        out.append(chunk)
        if total > limit or unzip.unconsumed_tail:
            raise InputError(f"decompresses to more than the limit max_file_bytes = {size_text(limit)} "
                             "(a compressed file counts by its decompressed size)")
        if not unzip.eof:
            raise InputError("is a truncated gzip file: it ends before the compressed data does")
        rest = unzip.unused_data.lstrip(b"\x00")  # a further gzip member, after any padding
    return b"".join(out)


def decode_html(data: bytes) -> tuple[str, str, list[str]]:
    """An HTML page's bytes -> (text, encoding, warnings): a byte-order mark, then UTF-16
    without one (NUL bytes in every other place), then the page's own meta charset, then
    strict UTF-8, then charset-normalizer (as `decode`)."""
    if any(data.startswith(bom) for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = decode(data)
        return text, encoding, []
    head = data[:2048]
    for encoding, zeros in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        if len(head) >= 8 and zeros.count(0) > 0.8 * len(zeros):
            try:
                return data.decode(encoding), encoding, []
            except UnicodeDecodeError:
                break
    warnings: list[str] = []
    match = _META_CHARSET.search(data[:8192])
    if match:
        declared = match.group(1).decode("ascii").lower()
        encoding = _CHARSET_ALIASES.get(declared, declared)
        try:
            name = codecs.lookup(encoding).name
            if name != "utf-8" and not data.isascii():
                # bytes that are valid UTF-8 with letters beyond ASCII are UTF-8 whatever the
                # page says (a declaration copied from an old template is a common mistake;
                # a legacy encoding almost never forms valid UTF-8 by chance)
                try:
                    text = data.decode("utf-8")
                    return text, "utf-8", [f"the page declares charset {shown(declared)} but is UTF-8: read as UTF-8"]
                except UnicodeDecodeError:
                    pass
            return data.decode(encoding), name, []
        except LookupError:
            warnings.append(f"the page declares an unknown charset {shown(declared)}: encoding detected instead")
        except UnicodeDecodeError as exc:
            warnings.append(f"the page declares charset {shown(declared)} but is not valid {declared} "
                            f"(at byte {exc.start}): encoding detected instead")
    text, encoding = decode(data)
    return text, encoding, warnings


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
        elif key in ("author", "publisher", "url"):
            if not isinstance(value, str) or not value.strip():
                warnings.append(f"{where}: '{key}' must be a non-empty text, not {shown(value)}: ignored")
                continue
            value = " ".join(value.split())
            if key == "url" and not web_url(value):
                warnings.append(f"{where}: 'url' {shown(value)} is not an http(s) address: ignored")
                continue
        clean[key] = value
    return clean, warnings


def web_url(url: str) -> bool:
    """Whether a URL is an http(s) address with a host (the only kind that becomes a link)."""
    parts = re.match(r"(?i)https?://([^/?#\s]+)", url)
    return bool(parts) and " " not in url


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


@reader(*HTML_SUFFIXES)
def read_html(text: str) -> tuple[str, dict[str, Any]]:
    """(An HTML page has no front matter; read_file hands it to webpage.read_page.)"""
    return text, {}


def page_meta(page: webpage.Page, warnings: list[str]) -> dict[str, Any]:
    """The metadata trafilatura found in a page, checked as front matter is: a date outside
    the range or a URL that is not http(s) is dropped with a warning."""
    meta: dict[str, Any] = {k: v for k, v in page.meta.items() if v}
    if "date" in meta:
        value, problem = check_date(meta["date"])
        if problem:
            warnings.append(f"page date {problem}: date left unknown")
            del meta["date"]
        else:
            meta["date"] = value
    if "url" in meta and not web_url(meta["url"]):
        warnings.append(f"the page's canonical address {shown(meta['url'])} is not an http(s) address: ignored")
        del meta["url"]
    if page.dropped:
        meta["dropped"] = page.dropped
    return meta


@dataclass(frozen=True)
class Input:
    """The bytes of one input file and of its sidecar, as read from the input folder: all that
    parse_input needs (the cache's key is their hash; a Dask worker gets them, not a path)."""

    rel: str  # relative to the input folder, '/'-separated
    suffix: str
    data: bytes
    sidecar_name: str = ""
    sidecar: bytes | None = None  # None: no sidecar
    sidecar_error: str = ""  # why the sidecar could not be read (reported as parse_input reaches it)


def load_input(path: Path, root: Path, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
               follow_symlinks: bool = False) -> Input:
    """Read an input file and its sidecar (<name>.yml beside it), checked, not yet decoded."""
    suffix = input_suffix(path.name)
    data = read_limited(path, max_file_bytes, follow_symlinks)
    sidecar = path.with_name(path.name[: len(path.name) - len(suffix)] + ".yml")
    side_bytes, error = None, ""
    if sidecar.is_symlink() and (problem := link_problem(sidecar, root, follow_symlinks)):
        error = f"sidecar {sidecar.name} {problem}"
    elif sidecar.is_file():
        try:
            side_bytes = read_limited(sidecar, max_file_bytes, follow_symlinks)
        except InputError as exc:
            error = f"sidecar {sidecar.name} {exc}"
    return Input(path.relative_to(root).as_posix(), suffix, data, sidecar.name, side_bytes, error)


def read_file(path: Path, root: Path, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
              follow_symlinks: bool = False) -> RawDocument:
    return parse_input(load_input(path, root, max_file_bytes, follow_symlinks), max_file_bytes)


def parse_input(source: Input, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> RawDocument:
    """An input file's bytes -> RawDocument; touches no file (so it runs on any worker)."""
    rel, suffix, data = source.rel, source.suffix, source.data
    content = gunzip(data, max_file_bytes) if suffix.endswith(".gz") else data
    warnings: list[str] = []
    is_html = suffix in HTML_SUFFIXES
    if not is_html and sniff_html(content):
        is_html = True
        warnings.append(f"the file is named {suffix} but holds an HTML page: read as an HTML page")
    if is_html:
        text, encoding, more = decode_html(content)
        warnings += more
    else:
        text, encoding = decode(content)
    text = clean_text(text)
    if _CONTROL.search(text):
        count = len(_CONTROL.findall(text))
        if not is_html or count > len(text) // 1000:
            raise InputError(f"binary content: {count} control character(s) that text never contains (decoded as {encoding})")
        text = _CONTROL.sub("", text)  # a few stray ones in a page are dropped, as browsers do
        warnings.append(f"{count} control character(s) removed from the page")
    page: dict[str, Any] = {}
    if is_html:
        from . import webpage  # trafilatura: imported for the first page, not for a build that reads no page

        found = webpage.read_page(text)
        body, meta = found.markdown, dict[str, Any]()
        page = page_meta(found, warnings)
        if not body.strip():
            raise InputError(f"no article text found in the HTML page ({found.visible_words} word(s) of visible "
                             "text, none of it recognised as an article's main text)")
        if len(found.text.split()) < SHORT_PAGE_WORDS:
            warnings.append(f"only {len(found.text.split())} word(s) of main text found in the page "
                            f"(of {found.visible_words} visible): it may hold no article")
    else:
        body, meta = READERS[suffix](text)
    meta, meta_warnings = check_meta(meta, "front matter")
    warnings += meta_warnings
    if source.sidecar_error:
        raise InputError(source.sidecar_error)
    if source.sidecar is not None:
        side_bytes, name = source.sidecar, source.sidecar_name
        try:
            side = safeyaml.load(clean_text(side_bytes.decode("utf-8"))) or {}
        except safeyaml.YamlLimitError as exc:
            raise InputError(f"sidecar {name}: {exc}") from None
        except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
            reason = _yaml_problem(exc) if isinstance(exc, yaml.YAMLError) else shown(str(exc), 120, quote=False)
            raise InputError(f"sidecar {name} is not valid YAML: {reason}") from None
        if not isinstance(side, dict):
            raise InputError(f"sidecar {name} must be a mapping of keys to values")
        side, side_warnings = check_meta(side, f"sidecar {name}")
        warnings += side_warnings
        meta = {**meta, **{k: v for k, v in side.items()}}
        meta["_sidecar_keys"] = sorted(side)
    if not body.strip():
        raise InputError("no article text (empty apart from front matter)")
    return RawDocument(
        source_path=rel,
        fmt="html" if is_html else "md" if suffix in (".md", ".markdown") else "txt",
        text=body,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        meta=meta,
        warnings=tuple(warnings),
        page=page,
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
            if not (is_dir or input_suffix(path.name) in READERS):
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
            if not (is_dir or (entry.is_file(follow_symlinks=False) and input_suffix(path.name) in READERS)):
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


def read_inputs(settings: dict[str, Any]) -> tuple[list[Input | Rejected], list[Rejected]]:
    """The bytes of every input file in order (or why one could not be read), and the files
    find_inputs rejected."""
    root = input_dir(settings)
    if not root.is_dir():
        raise InputError(f"input folder {root} does not exist")
    files, rejected = find_inputs(root, bool(settings["follow_symlinks"]))
    sources: list[Input | Rejected] = []
    for path in files:
        try:
            sources.append(load_input(path, root, settings["max_file_bytes"], bool(settings["follow_symlinks"])))
        except (InputError, OSError) as exc:
            sources.append(Rejected(path.relative_to(root).as_posix(), str(exc)))
    return sources, rejected
