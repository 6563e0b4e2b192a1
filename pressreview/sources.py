"""Sources of an article: URLs, named sources and attributions -> ``Source``.

Public API
----------
- ``describe_url(url, text=None, origin='section') -> Source``
- ``unsafe_reason(url) -> str``: why a URL must not become a link ('' if fine)
- ``parse_source_entry(entry) -> list[Source]``: one entry of a sources section
- ``find_inline_urls(text) -> list[(start, end, Source)]`` (origin 'inline')
- ``find_attributions(text, lang) -> list[(start, end, Source)]`` (origin 'attribution')

For the finders, ``text[start:end] == source.text`` always holds: the span of
an attribution is the name only ("Reuters" in "laut Reuters").

Conventions
-----------
- ``url`` is the URL as given, only stripped of surrounding white space.
- ``linkable`` is True only for ``http``/``https`` URLs that literally start
  with ``http://``/``https://``, have a valid host (and port), and contain no
  white space or control characters; only those get an ``archive_url``
  (``https://web.archive.org/web/<url>``).  Everything else -- ``javascript:``,
  ``data:``, ``vbscript:``, ``file:``, ``ftp:``, ``mailto:``, protocol-relative
  ``//host``, junk -- is not linkable and has ``domain`` ''.  One exception for
  display: a schemeless URL that starts with a host name (``www.reuters.com/x``,
  ``reuters.com/x``) keeps its domain and publisher but is still not linkable
  (``unsafe_reason`` says "no scheme").
- ``domain`` is the registered domain from tldextract with its *bundled*
  Public Suffix List snapshot (``suffix_list_urls=()``, ``cache_dir=None``: no
  network, no cache writes); for an IP address or a single-label host the host.
- ``publisher`` comes only from ``rules/publishers.yml`` (host, then domain;
  for named sources the ``names`` list); unknown -> ''.  The caller can show
  ``text`` instead.
- ``date_hint`` is an ISO date carried by the URL path: ``/2025/09/11/``,
  ``2025_08_25``, ``2025-09-18``, ``20250918``; only real calendar dates
  between 1990 and 2100; '' otherwise.
- ``title_hint`` is the lower-cased words of the last path segment that has at
  least two words with letters (file extensions and dates removed); segments
  that are numeric/id-like are skipped; '' if none.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import idna
import tldextract
from .claims import required_text
from .model import Source
from .safeyaml import load_package_file

RULES_DIR = Path(__file__).parent / "rules"
PUBLISHERS_PATH = RULES_DIR / "publishers.yml"
ATTRIBUTIONS_PATH = RULES_DIR / "attributions.yml"
ARCHIVE_PREFIX = "https://web.archive.org/web/"

__all__ = [
    "describe_url",
    "unsafe_reason",
    "parse_source_entry",
    "find_inline_urls",
    "find_attributions",
    "registered_domain",
]


# --------------------------------------------------------------------------
# rules


@lru_cache(maxsize=1)
def _publishers() -> dict[str, Any]:
    data = load_package_file(PUBLISHERS_PATH) or {}
    domains = {str(k).lower(): str(v) for k, v in (data.get("domains") or {}).items()}
    hosts = {str(k).lower(): str(v) for k, v in (data.get("hosts") or {}).items()}
    names: dict[str, str] = {}
    for canon in list(domains.values()) + list(hosts.values()):
        names.setdefault(canon.casefold(), canon)
    for alias, canon in (data.get("names") or {}).items():
        names[str(alias).casefold()] = str(canon)
    # every alias as written, for the attribution regex
    written = set((data.get("names") or {}).keys()) | set(domains.values()) | set(hosts.values())
    return {"domains": domains, "hosts": hosts, "names": names, "written": sorted(map(str, written))}


@lru_cache(maxsize=1)
def _attribution_rules() -> dict[str, Any]:
    return load_package_file(ATTRIBUTIONS_PATH) or {}


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # Bundled PSL snapshot only: no fetch, no cache directory.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def known_publisher(name: str) -> str:
    """Canonical publisher for a written name ('' if unknown)."""
    return _publishers()["names"].get(name.strip().casefold(), "")


# --------------------------------------------------------------------------
# URLs

_CTRL_OR_SPACE = re.compile(r"[\x00-\x20\x7f-\x9f\s]")
_HTTP_START = re.compile(r"(?i)^https?://")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*)\s*:")
# These two take about 0.13 s to compile (case folding over most of Unicode): compiled when
# first used, not on import (a build that analyses no article with a URL never needs them).


@lru_cache(maxsize=1)
def _hostlike() -> re.Pattern[str]:
    return re.compile(r"(?i)^(?:www\.)?[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff\-]*[a-z0-9\u00a1-\uffff])?(?:\.[a-z0-9\u00a1-\uffff\-]+)*\.[a-z\u00a1-\uffff]{2,}(?::\d+)?(?:[/?#]|$)")


@lru_cache(maxsize=1)
def _host_ok() -> re.Pattern[str]:
    return re.compile(r"(?i)^(?:[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff_\-]*[a-z0-9\u00a1-\uffff])?\.)*[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff\-]*[a-z0-9\u00a1-\uffff])?\.?$")


def _host_of(url: str) -> str:
    """Lower-case host of an http(s) URL, '' if there is none or it is invalid."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # raises ValueError on a bad port
    except ValueError:
        return ""
    if not host:
        return ""
    if host.startswith("[") or ":" in host:  # IPv6 literal
        return host
    if not _host_ok().match(host):
        return ""
    return host.rstrip(".")


def to_ascii(host: str) -> str:
    """A host in ASCII: international labels as punycode (IDNA 2008 with UTS 46, else IDNA
    2003 as browsers still accept it); '' if it cannot be written so."""
    if host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        try:
            return host.encode("idna").decode("ascii")
        except UnicodeError:
            return ""


def ascii_url(url: str) -> str:
    """The URL with its host in punycode (the link target; the text may stay Unicode)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host.isascii():
        return url
    netloc = to_ascii(host) + (f":{parts.port}" if parts.port is not None else "")
    return urlunsplit(parts._replace(netloc=netloc))


def scripts(host: str) -> list[str]:
    """The writing systems of a host's letters (LATIN, CYRILLIC, GREEK, …), in order of use."""
    found: list[str] = []
    for ch in host:
        if ch.isalpha():
            script = unicodedata.name(ch, "UNKNOWN").split(" ")[0]
            if script not in found:
                found.append(script)
    return found


def idn_warning(src: Source) -> str:
    """A warning for a source whose host mixes writing systems in one label ('аpple.com'
    with a Cyrillic а looks like apple.com), '' otherwise."""
    host = _host_of(src.url if "//" in src.url else "http://" + src.url) if src.url else ""
    if host.isascii():
        return ""
    mixed = [label for label in host.split(".") if len(scripts(label)) > 1]
    if not mixed:
        return ""
    return (f"source host {host} ({to_ascii(host) or 'no punycode'}) mixes writing systems "
            f"({', '.join(scripts(mixed[0])).lower()}): it may imitate another site's name")


def unsafe_reason(url: str) -> str:
    """Why ``url`` must not be rendered as a link; '' if it may be."""
    u = (url or "").strip()
    if not u:
        return "empty URL"
    # browsers ignore tabs/newlines inside a scheme: "java\nscript:"
    sm = _SCHEME.match(re.sub(r"[\t\r\n]", "", u))
    scheme = sm.group(1).lower() if sm else ""
    if "." in scheme and not u.lower().startswith(scheme + "://"):
        scheme = ""  # "reuters.com:443/x" is a host and port, not a scheme
    if scheme and scheme not in ("http", "https"):
        return f"scheme '{scheme}' is not allowed (only http/https)"
    if not scheme:
        if u.startswith("//"):
            return "protocol-relative URL (no scheme)"
        return "no scheme (not an http/https link)"
    if not _HTTP_START.match(u):
        return "malformed http(s) URL"
    if _CTRL_OR_SPACE.search(u):
        return "contains white space or control characters"
    host = _host_of(u)
    if not host:
        return "no valid host"
    if not to_ascii(host):
        return "host is not a valid international domain name"
    try:
        if urlsplit(u).username is not None:
            return "contains user credentials (user@host)"
    except ValueError:
        return "malformed http(s) URL"
    return ""


def registered_domain(host_or_url: str) -> str:
    """Registered domain of a host (bundled PSL); the host itself for IPs/single labels."""
    host = host_or_url.lower()
    if "/" in host or ":" in host:
        host = _host_of(host if "//" in host else "http://" + host) or ""
    host = host.strip(".")
    if not host:
        return ""
    if host.startswith("[") or re.fullmatch(r"[\d.]+", host) or "." not in host:
        return host
    r = _extractor()(host)
    dom = getattr(r, "top_domain_under_public_suffix", None)
    if dom is None:  # older tldextract
        dom = r.registered_domain
    return dom or host


def _publisher_for(host: str, domain: str) -> str:
    pubs = _publishers()
    h = host.lower()
    if h.startswith("www."):
        h = h[4:]
    return pubs["hosts"].get(h) or pubs["domains"].get(domain.lower(), "")


# /2025/09/11/ (1-2 digit parts between slashes), 2025-09-18 / 2025_08_25 /
# 2025.09.18 (two-digit parts, one separator), 20250918.
_DATE_PATTERNS = [
    re.compile(r"(?<![\d])(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<![\d])(?P<y>(?:19|20)\d{2})(?P<sep>[_.\-])(?P<m>\d{2})(?P=sep)(?P<d>\d{2})(?!\d)"),
    re.compile(r"(?<![\d])(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"),
]


def _date_in(path: str) -> tuple[str, tuple[int, int] | None]:
    for rx in _DATE_PATTERNS:
        for m in rx.finditer(path):
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
            if not 1990 <= y <= 2100:
                continue
            try:
                return date(y, mo, d).isoformat(), m.span()
            except ValueError:
                continue
    return "", None


_EXT = re.compile(r"(?i)\.(?:s?html?|php\d?|aspx?|jsp|cms|cfm|amp|xml|stm)$")
_IDLIKE = re.compile(r"(?i)^(?:\d+|[0-9a-f]{8,}|[0-9a-f\-]{20,}|[a-z]{0,3}\d{4,}[a-z0-9]*)$")


def _title_hint(path: str) -> str:
    segments = [unquote(s) for s in path.split("/") if s]
    for seg in reversed(segments):
        seg = _EXT.sub("", seg)
        _, span = _date_in(seg)
        if span:
            seg = seg[: span[0]] + " " + seg[span[1]:]
        if _IDLIKE.match(seg.strip("-_ ")):
            continue
        words = [w for w in re.split(r"[-_+.\s,~]+", seg) if w]
        lettered = [w for w in words if re.search(r"[^\W\d_]", w)]
        if len(words) >= 2 and lettered:
            return " ".join(w.lower() for w in words)
    return ""


def describe_url(url: str, text: str | None = None, origin: str = "section") -> Source:
    """Describe one URL as a :class:`Source` (see the module docstring)."""
    u = (url or "").strip()
    reason = unsafe_reason(u)
    linkable = reason == ""
    host = ""
    if linkable:
        host = _host_of(u)
    elif reason.startswith("no scheme") and _hostlike().match(u) and not _CTRL_OR_SPACE.search(u):
        host = _host_of("http://" + u)
    domain = registered_domain(host) if host else ""
    path = ""
    if host:
        try:
            path = urlsplit(u if linkable else "http://" + u).path
        except ValueError:
            path = ""
    date_hint = _date_in(path)[0] if path else ""
    return Source(
        text=text if text is not None else u,
        url=u,
        domain=domain,
        domain_ascii=to_ascii(domain) if not domain.isascii() else "",
        publisher=_publisher_for(host, domain) if host else "",
        linkable=linkable,
        date_hint=date_hint,
        title_hint=_title_hint(path) if path else "",
        archive_url=ARCHIVE_PREFIX + u if linkable else "",
        origin=origin,
    )


_TRAIL = ".,;:!?)]}»«“”\"'’‘›>"
_URL_IN_TEXT = re.compile(r"(?i)\bhttps?://[^\s<>\"'`“”„«»\[\]{}|\\^]+")
_PSEUDO_IN_TEXT = re.compile(
    r"(?i)(?<![\w/.+\-])(?:(?:javascript|vbscript):[^\s<>\"'“”„«»]+"
    r"|data:(?:[a-z]+/[\w.+\-]+)?(?:;[\w=.\-]+)*,[^\s<>\"'“”„«»]*)"
)


def _trim_url(u: str) -> str:
    while u and u[-1] in _TRAIL:
        if u[-1] == ")" and u.count("(") >= u.count(")"):
            break
        if u[-1] == "]" and u.count("[") >= u.count("]"):
            break
        u = u[:-1]
    return u


def find_inline_urls(text: str) -> list[tuple[int, int, Source]]:
    """http(s) URLs in running text, plus javascript:/data:/vbscript: pseudo-URLs (not linkable)."""
    out: list[tuple[int, int, Source]] = []
    spans: list[tuple[int, int]] = []
    for m in _URL_IN_TEXT.finditer(text or ""):
        u = _trim_url(m.group(0))
        if len(u) <= len("http://"):
            continue
        s, e = m.start(), m.start() + len(u)
        spans.append((s, e))
        out.append((s, e, describe_url(u, text=u, origin="inline")))
    for m in _PSEUDO_IN_TEXT.finditer(text or ""):
        s = m.start()
        if any(a <= s < b for a, b in spans):
            continue
        u = _trim_url(m.group(0))
        if not u:
            continue
        out.append((s, s + len(u), describe_url(u, text=u, origin="inline")))
    out.sort(key=lambda t: t[0])
    return out


# --------------------------------------------------------------------------
# sources-section entries

_MARKER = re.compile(r"^\s*(?:[-*•·–—]\s+|\d{1,3}[.)]\s+|\[\d{1,3}\]\s*|\(\d{1,3}\)\s*)")
_PREFIX = re.compile(
    r"(?i)^\s*(?:quellen?|quellenangaben?|sources?|via|mit\s+material\s+von|material\s+von|nach\s+angaben\s+von)\s*:?\s+"
)
_MD_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]+)>?\s*\)")
_SPLIT = re.compile(r"\s*(?:[,;/|]|\s[-–—]\s|\s(?:und|and|sowie)\s)\s*")
_TITLE_CONNECTORS = {"of", "de", "von", "der", "the", "and", "&", "für", "for"}


def _looks_like_title(part: str) -> bool:
    words = part.split()
    if len(words) >= 4:
        return True
    return len(words) >= 2 and any(w[0].islower() and w not in _TITLE_CONNECTORS for w in words)
_NUM_DATE = re.compile(
    r"(?<!\d)(?:(\d{1,2})\.(\d{1,2})\.(\d{4})|(\d{4})-(\d{2})-(\d{2}))(?!\d)"
)


def _entry_date(s: str) -> tuple[str, list[tuple[int, int]]]:
    """First full date written in an entry, and the spans of all dates."""
    from .quantities import extract_quantities, iso_date

    found = ""
    spans: list[tuple[int, int]] = []
    for m in _NUM_DATE.finditer(s):
        try:
            if m.group(1):
                iso = date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
            else:
                iso = date(int(m.group(4)), int(m.group(5)), int(m.group(6))).isoformat()
        except ValueError:
            continue
        found = found or iso
        spans.append(m.span())
    for lang in ("de", "en"):
        for q in extract_quantities(s, lang):
            if q.kind == "date" and not any(a < q.end and q.start < b for a, b in spans):
                iso = iso_date(q)
                if len(iso) == 10 and not found:
                    found = iso
                spans.append((q.start, q.end))
    return found, spans


def parse_source_entry(entry: str) -> list[Source]:
    """One entry of a sources section -> Sources (origin 'section').

    - URLs (bare, ``<url>``, markdown ``[title](url)``, or inside a line with a
      title) -> one Source per URL, via :func:`describe_url`; with a single URL
      the Source's ``text`` is the whole entry; if the domain has no known
      publisher, a known name in the rest of the line is used.
    - Otherwise named sources: a leading "Quelle:"/"Quellen:"/"Source:"/"Mit
      Material von" is dropped, the rest split at ``,`` ``;`` ``/`` "und"
      "and"; dates become ``date_hint``; with several names each is a Source
      (``dpa, Reuters``), otherwise one Source whose text is the whole entry.
      Long unknown parts next to a known name are treated as a title
      (``title_hint``).
    """
    raw = (entry or "").strip()
    line = _MARKER.sub("", raw, count=1).strip()
    if not line:
        return []

    # ---- with URLs -------------------------------------------------------
    urls: list[tuple[int, int, str]] = []
    for m in _MD_LINK.finditer(line):
        urls.append((m.start(), m.end(), m.group(2)))
    for s, e, src in find_inline_urls(line):
        if not any(a <= s < b for a, b, _ in urls):
            urls.append((s, e, src.url))
    if not urls and " " not in line and _hostlike().match(line.strip("<>")):
        urls.append((0, len(line), line.strip("<>")))
    if urls:
        urls.sort()
        rest = line
        for s, e, _ in sorted(urls, reverse=True):
            rest = rest[:s] + " " + rest[e:]
        rest_name = ""
        for part in _SPLIT.split(_PREFIX.sub("", rest).strip(" -–—:()")):
            if known_publisher(part.strip(" -–—:()")):
                rest_name = known_publisher(part.strip(" -–—:()"))
                break
        out = []
        for _s, _e, u in urls:
            src = describe_url(u, text=line if len(urls) == 1 else u, origin="section")
            if not src.publisher and rest_name:
                src = _replace(src, publisher=rest_name)
            out.append(src)
        return out

    # ---- named sources ------------------------------------------------------
    body = _PREFIX.sub("", line).strip()
    when, spans = _entry_date(body)
    for s, e in sorted(spans, reverse=True):
        body = body[:s] + "," + body[e:]
    parts = [p.strip(" -–—:()\"'“”„") for p in _SPLIT.split(body)]
    parts = [p for p in parts if p and re.search(r"[^\W\d_]", p)]
    if not parts:
        if when:
            return [Source(text=line, date_hint=when, origin="section")]
        return []
    known = [(p, known_publisher(p)) for p in parts]
    names = [(p, pub) for p, pub in known if pub]
    titles = [p for p, pub in known if not pub and _looks_like_title(p)]
    others = [p for p, pub in known if not pub and not _looks_like_title(p)]
    if names:
        chosen = names + [(p, "") for p in others]
        title = titles[0].lower() if titles else ""
    else:
        chosen = [(p, "") for p in others] or [(line, "")]
        title = titles[0].lower() if titles and others else ""
    if len(chosen) == 1:
        p, pub = chosen[0]
        return [Source(text=line, publisher=pub, date_hint=when, title_hint=title, origin="section")]
    return [
        Source(text=p, publisher=pub, date_hint=when, title_hint=title, origin="section")
        for p, pub in chosen
    ]


def _replace(src: Source, **kw: Any) -> Source:
    from dataclasses import replace

    return replace(src, **kw)


# --------------------------------------------------------------------------
# attributions

_TOKEN = r"(?:[A-ZÄÖÜ][\w&'’\-]*(?:\.[A-Za-z]\w*)*|[A-Z]\.(?:[A-Z]\.)+)"


@lru_cache(maxsize=8)
def _attribution_patterns(lang: str) -> tuple[list[tuple[str, re.Pattern[str], bool, str]], re.Pattern[str]]:
    """(id, pattern, known only, a text every match contains) of each pattern; the name pattern."""
    rules = _attribution_rules()
    pubs = _publishers()
    known_alt = "|".join(re.escape(w) for w in sorted(pubs["written"], key=len, reverse=True))
    cap_seq = rf"{_TOKEN}(?:\s+(?:(?:of|de|&)\s+)?{_TOKEN}){{0,5}}"
    name = rf"(?:(?:{known_alt})(?![\w&'’\-])|{cap_seq})"
    # "A", "A und B", "A, B and C" -- a bare comma list ("Reuters, Alibaba plans")
    # is not taken, only one that ends in und/and/sowie
    names = rf"(?P<names>{name}(?:(?:\s*,\s*{name})*\s+(?:und|and|sowie)\s+{name})?)"
    pats = []
    key = "de" if lang == "de" else "en"
    for item in (rules.get("patterns") or {}).get(key, []):
        rx = re.compile(item["pattern"].replace("{NAMES}", names))
        pats.append((item["id"], rx, bool(item.get("known_only")), required_text(rx.pattern)))
    return pats, re.compile(name)


@lru_cache(maxsize=8)
def _vague(lang: str) -> tuple[frozenset[str], tuple[str, ...], frozenset[str]]:
    rules = _attribution_rules()
    v = rules.get("vague") or {}
    key = "de" if lang == "de" else "en"
    words = frozenset(w.casefold() for w in (v.get(key) or []))
    suffixes = tuple(s.casefold() for s in (v.get("de_suffixes") or [])) if key == "de" else ()
    drop = frozenset(rules.get("leading_drop") or [])
    return words, suffixes, drop


def _clean_name(name: str, start: int, lang: str) -> tuple[str, int] | None:
    words, suffixes, drop = _vague(lang)
    pub = known_publisher(name)
    if not pub:
        # a known name at the end of a longer run: "Yesterday Reuters"
        toks = list(re.finditer(r"\S+", name))
        for t in toks:
            tail = name[t.start():]
            if t.start() > 0 and known_publisher(tail):
                return tail, start + t.start()
        while toks and toks[0].group(0) in drop:
            toks = toks[1:]
        if not toks:
            return None
        name, start = name[toks[0].start():], start + toks[0].start()
        toks = list(re.finditer(r"\S+", name))
        if known_publisher(name):
            return name, start
        for t in toks:
            w = t.group(0).casefold().strip("’'")
            if w in words or (suffixes and len(toks) == 1 and w.endswith(suffixes)):
                return None
        if name.casefold() in words:
            return None
    return name, start


def find_attributions(text: str, lang: str) -> list[tuple[int, int, Source]]:
    """Named attributions ("laut Reuters", "according to Bloomberg") as unlinked Sources.

    Vague attributions ("Insidern zufolge", "laut Experten", "analysts said")
    are skipped.  The span is the name; ``publisher`` is the canonical name if
    the name is in publishers.yml, else ''.
    """
    if not text:
        return []
    lang = (lang or "en").lower()[:2]
    pats, name_rx = _attribution_patterns(lang)
    found: dict[tuple[int, int], Source] = {}
    for _id, rx, known_only, needed in pats:
        if needed not in text:  # ("zufolge"): no match possible, and most sentences have none
            continue
        for m in rx.finditer(text):
            gs, ge = m.span("names")
            group = text[gs:ge]
            for nm in name_rx.finditer(group):
                raw = nm.group(0)
                cleaned = _clean_name(raw, gs + nm.start(), lang)
                if cleaned is None:
                    continue
                name, s = cleaned
                pub = known_publisher(name)
                if known_only and not pub:
                    continue
                e = s + len(name)
                if any(a < e and s < b for a, b in found):
                    continue
                found[(s, e)] = Source(text=name, publisher=pub, origin="attribution")
    return sorted(((s, e, src) for (s, e), src in found.items()), key=lambda t: t[0])
