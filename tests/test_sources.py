"""Behaviour tests for pressreview.sources."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pressreview import sources as S
from pressreview.sources import (
    describe_url,
    find_attributions,
    find_inline_urls,
    parse_source_entry,
    unsafe_reason,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

SEED_000_URLS = {
    "https://caliber.az/en/post/alibaba-shares-soar-over-3-2-billion-ai-funding-chip-strategy": ("caliber.az", "Caliber.Az"),
    "https://coincentral.com/alibaba-to-raise-3-2b-for-cloud-expansion-via-convertible-notes/": ("coincentral.com", "CoinCentral"),
    "https://cbonds.com/news/3581735/": ("cbonds.com", "Cbonds"),
    "https://www.caproasia.com/2025/09/11/alibaba-to-issue-3-2-billion-7-year-zero-coupon-convertible-bond-at-27-5-to-32-5-premium-to-united-states-listed-share-price-current-market-value-at-276-billion-share-price-75-ytd-78-last/": ("caproasia.com", "Caproasia"),
    "https://www.ainvest.com/news/alibaba-group-announces-completion-3-2-billion-coupon-convertible-senior-notes-offering-2509/": ("ainvest.com", "AInvest"),
    "https://www.tradingnews.com/news/alibaba-stock-price-forecast-2025-nyse-baba-targets-150-usd": ("tradingnews.com", "TradingNews"),
    "https://stockstotrade.com/news/alibaba-group-holding-limited-baba-news-2025_08_25/": ("stockstotrade.com", "StocksToTrade"),
    "https://www.morningstar.com/stocks/xnys/baba/quote": ("morningstar.com", "Morningstar"),
    "https://www.nasdaq.com/articles/why-alibaba-stock-was-riding-higher-wednesday": ("nasdaq.com", "Nasdaq"),
    "https://www.scmp.com/tech/big-tech/article/3325034/alibaba-holds-wide-lead-over-rivals-bytedance-huawei-tencent-chinas-ai-cloud-market": ("scmp.com", "South China Morning Post"),
}


# ---------------------------------------------------------------- describe_url


@pytest.mark.parametrize("url", sorted(SEED_000_URLS))
def test_seed_000_urls(url):
    domain, publisher = SEED_000_URLS[url]
    s = describe_url(url)
    assert s.domain == domain
    assert s.publisher == publisher
    assert s.linkable is True
    assert s.url == url and s.text == url
    assert s.archive_url == "https://web.archive.org/web/" + url
    assert s.origin == "section"


@pytest.mark.skipif(not SEEDS.exists(), reason="seeds not present")
def test_seed_000_source_list_is_covered():
    text = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    found = {src.url for _s, _e, src in find_inline_urls(text)}
    assert found == set(SEED_000_URLS)


def test_date_hints():
    caproasia = next(u for u in SEED_000_URLS if "caproasia" in u)
    stocks = next(u for u in SEED_000_URLS if "stockstotrade" in u)
    assert describe_url(caproasia).date_hint == "2025-09-11"
    assert describe_url(stocks).date_hint == "2025-08-25"
    assert describe_url("https://example.com/news/2025-09-18/alibaba").date_hint == "2025-09-18"
    assert describe_url("https://example.com/a/20250918/b").date_hint == "2025-09-18"
    # not dates: invalid calendar day, YYMM ids, article numbers, slug numbers
    assert describe_url("https://example.com/2025/02/31/x").date_hint == ""
    assert describe_url(next(u for u in SEED_000_URLS if "ainvest" in u)).date_hint == ""
    assert describe_url("https://cbonds.com/news/3581735/").date_hint == ""
    assert describe_url("https://example.com/alibaba-2025-3-2-billion").date_hint == ""


def test_title_hints():
    caproasia = next(u for u in SEED_000_URLS if "caproasia" in u)
    assert describe_url(caproasia).title_hint.startswith("alibaba to issue 3 2 billion 7 year zero coupon")
    stocks = next(u for u in SEED_000_URLS if "stockstotrade" in u)
    assert describe_url(stocks).title_hint == "alibaba group holding limited baba news"
    assert describe_url("https://cbonds.com/news/3581735/").title_hint == ""
    assert describe_url("https://www.morningstar.com/stocks/xnys/baba/quote").title_hint == ""
    scmp = next(u for u in SEED_000_URLS if "scmp" in u)
    assert describe_url(scmp).title_hint.startswith("alibaba holds wide lead")
    assert describe_url("https://example.com/news/alibaba-raises-funds.html").title_hint == "alibaba raises funds"
    assert describe_url("https://example.com/news/alibaba-raises-funds/12345").title_hint == "alibaba raises funds"


def test_domains_of_subdomains_and_public_suffixes():
    assert describe_url("https://news.bbc.co.uk/2/hi/x.stm").domain == "bbc.co.uk"
    assert describe_url("https://finance.yahoo.com/news/x-y").publisher == "Yahoo Finance"
    assert describe_url("https://www.handelsblatt.com/x/y-z").publisher == "Handelsblatt"
    assert describe_url("https://www.faz.net/aktuell/x-y").publisher == "Frankfurter Allgemeine Zeitung"
    assert describe_url("https://unknown-blog.example.org/a-b").publisher == ""
    assert describe_url("http://127.0.0.1:8000/a").domain == "127.0.0.1"


def test_url_is_stripped_and_text_kept():
    s = describe_url("  https://www.reuters.com/a-b  ", text="Reuters: A b", origin="inline")
    assert s.url == "https://www.reuters.com/a-b"
    assert s.text == "Reuters: A b" and s.origin == "inline"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(document.cookie)",
        "java\nscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "ftp://ftp.example.com/file",
        "mailto:someone@example.com",
        "//evil.example.com/x",
        "not a url at all",
        "http://",
        "https://exa mple.com/",
        "https://user:secret@evil.example.com/",
        "https://example.com:99999/",
        "",
    ],
)
def test_unsafe_urls_are_not_linkable(url):
    s = describe_url(url)
    assert s.linkable is False
    assert s.archive_url == ""
    assert s.domain == ""
    assert unsafe_reason(url) != ""


def test_unsafe_reason_messages():
    assert unsafe_reason("https://www.reuters.com/x") == ""
    assert "javascript" in unsafe_reason("javascript:alert(1)")
    assert "scheme" in unsafe_reason("www.reuters.com/x")


def test_schemeless_host_keeps_domain_but_is_not_linkable():
    s = describe_url("www.reuters.com/world/alibaba-bond")
    assert s.linkable is False and s.archive_url == ""
    assert s.domain == "reuters.com" and s.publisher == "Reuters"


def test_no_network(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", boom)
    monkeypatch.setattr(socket, "create_connection", boom)
    monkeypatch.setattr(socket, "getaddrinfo", boom)
    S._extractor.cache_clear()
    try:
        assert describe_url("https://www.example.co.uk/a-b").domain == "example.co.uk"
        ex = S._extractor()
        assert tuple(ex.suffix_list_urls) == ()
        cache = getattr(ex, "_cache", None)
        assert cache is None or getattr(cache, "enabled", False) is False
    finally:
        S._extractor.cache_clear()


# ---------------------------------------------------------------- entries


def test_entry_url_with_marker():
    url = next(u for u in SEED_000_URLS if "caproasia" in u)
    [s] = parse_source_entry("- " + url)
    assert s.url == url and s.domain == "caproasia.com" and s.linkable
    assert s.date_hint == "2025-09-11" and s.origin == "section"


def test_entry_named_sources():
    dpa, reuters = parse_source_entry("Quelle: dpa, Reuters")
    assert (dpa.text, dpa.publisher, dpa.url, dpa.linkable) == ("dpa", "dpa", "", False)
    assert (reuters.text, reuters.publisher) == ("Reuters", "Reuters")
    [r] = parse_source_entry("Reuters")
    assert r.publisher == "Reuters" and r.url == "" and not r.linkable
    assert [s.publisher for s in parse_source_entry("Quellen: dpa/AFP")] == ["dpa", "AFP"]


def test_entry_name_with_date():
    [s] = parse_source_entry("Handelsblatt, 12.03.2025")
    assert s.publisher == "Handelsblatt" and s.date_hint == "2025-03-12"
    assert s.text == "Handelsblatt, 12.03.2025"
    [s] = parse_source_entry("Caliber, 11. September 2025")
    assert s.date_hint == "2025-09-11" and s.publisher == ""


def test_entry_title_and_url():
    entry = "Alibaba to raise $3.2bn (Reuters) https://www.reuters.com/tech/alibaba-raise-2025-09-11/"
    [s] = parse_source_entry(entry)
    assert s.url == "https://www.reuters.com/tech/alibaba-raise-2025-09-11/"
    assert s.text == entry and s.publisher == "Reuters" and s.date_hint == "2025-09-11"
    [m] = parse_source_entry("[Alibaba bond](https://coincentral.com/alibaba-bond/)")
    assert m.url == "https://coincentral.com/alibaba-bond/" and m.publisher == "CoinCentral"


def test_entry_title_and_name():
    [s] = parse_source_entry("Alibaba plant Milliarden-Anleihe – Handelsblatt, 12.03.2025")
    assert s.publisher == "Handelsblatt"
    assert s.title_hint == "alibaba plant milliarden-anleihe"
    assert s.date_hint == "2025-03-12"


def test_entry_unsafe_url():
    [s] = parse_source_entry("javascript:alert(1)")
    assert not s.linkable and s.archive_url == ""


def test_entry_empty():
    assert parse_source_entry("") == []
    assert parse_source_entry("   - ") == []


# ---------------------------------------------------------------- inline URLs


def test_inline_urls_trailing_punctuation():
    text = (
        "Mehr unter https://www.reuters.com/x-y. Oder (siehe https://de.wikipedia.org/wiki/Foo_(Bar)). "
        "Und „https://example.com/a“; auch «https://example.com/b» und \"https://example.com/c\", "
        "dazu https://example.com/d: fertig"
    )
    got = [(text[s:e], src) for s, e, src in find_inline_urls(text)]
    urls = [u for u, _ in got]
    assert urls == [
        "https://www.reuters.com/x-y",
        "https://de.wikipedia.org/wiki/Foo_(Bar)",
        "https://example.com/a",
        "https://example.com/b",
        "https://example.com/c",
        "https://example.com/d",
    ]
    for u, src in got:
        assert src.url == u == src.text and src.origin == "inline" and src.linkable


def test_inline_pseudo_urls_not_linkable():
    text = "Klick javascript:alert(1) oder data:text/html;base64,AAAA hier. Key data: fine. JavaScript: a language."
    got = [(text[s:e], src) for s, e, src in find_inline_urls(text)]
    assert [u for u, _ in got] == ["javascript:alert(1)", "data:text/html;base64,AAAA"]
    assert all(not src.linkable and src.archive_url == "" and src.domain == "" for _, src in got)


# ---------------------------------------------------------------- attributions


@pytest.mark.parametrize(
    "lang, text, names",
    [
        ("de", "Laut Morningstar ist die Aktie günstig.", ["Morningstar"]),
        ("de", "Nach Angaben von Reuters plant Alibaba eine Anleihe.", ["Reuters"]),
        ("de", "Wie die Financial Times berichtet, plant Alibaba mehr.", ["Financial Times"]),
        ("de", "Das berichtete Bloomberg am Montag.", ["Bloomberg"]),
        ("de", "Reuters zufolge steigt der Kurs.", ["Reuters"]),
        ("de", "Dem Wall Street Journal zufolge plant Alibaba mehr.", ["Wall Street Journal"]),
        ("de", "Laut dpa und Reuters stieg der Kurs.", ["dpa", "Reuters"]),
        ("de", "Laut einem Bericht der Financial Times plant Alibaba.", ["Financial Times"]),
        ("de", "Das meldete die Nachrichtenagentur Reuters.", ["Reuters"]),
        ("de", "Er sagte gegenüber Bloomberg, dass es gut sei.", ["Bloomberg"]),
        ("de", "Laut Goldman Sachs ist das Ziel realistisch.", ["Goldman Sachs"]),
        ("en", "According to Reuters, Alibaba plans a bond.", ["Reuters"]),
        ("en", "Reuters reported on Monday.", ["Reuters"]),
        ("en", "Yesterday Reuters reported that shares rose.", ["Reuters"]),
        ("en", "He told Bloomberg that demand is strong.", ["Bloomberg"]),
        ("en", "Alibaba said in a statement that it will invest.", ["Alibaba"]),
        ("en", "Sources told Reuters the deal is close.", ["Reuters"]),
        ("en", "According to the Financial Times and Bloomberg, it is big.", ["Financial Times", "Bloomberg"]),
    ],
)
def test_attributions_found(lang, text, names):
    got = find_attributions(text, lang)
    assert [src.text for _s, _e, src in got] == names
    for s, e, src in got:
        assert text[s:e] == src.text
        assert src.origin == "attribution" and src.url == "" and not src.linkable


def test_attribution_publishers():
    [(_s, _e, ft)] = find_attributions("Dem Wall Street Journal zufolge plant Alibaba.", "de")
    assert ft.publisher == "The Wall Street Journal"
    [(_s, _e, al)] = find_attributions("Alibaba said in a statement that it grows.", "en")
    assert al.publisher == ""  # unknown names keep publisher ''


@pytest.mark.parametrize(
    "lang, text",
    [
        ("de", "Insidern zufolge steigt der Kurs."),
        ("de", "Berichten zufolge steigt der Kurs."),
        ("de", "Medienberichten zufolge steigt der Kurs."),
        ("de", "Laut Experten ist das gut."),
        ("de", "Laut Analysten ist das gut."),
        ("de", "Laut Unternehmensangaben stieg der Umsatz."),
        ("de", "Laut Plan wird es fertig."),
        ("de", "Der Umsatz stieg gegenüber dem Vorjahr um 5%."),
        ("de", "Experten prognostizieren, dass er sich verdoppeln wird."),
        ("en", "Analysts said the deal is big."),
        ("en", "According to analysts, it is big."),
        ("en", "According to experts, it is fine."),
        ("en", "The company reported strong growth."),
        ("en", "It reported a loss."),
        ("en", "Sources said the deal is close."),
    ],
)
def test_vague_attributions_are_not_sources(lang, text):
    assert find_attributions(text, lang) == []


def test_attribution_rules_are_yaml():
    rules = S._attribution_rules()
    assert {"de", "en"} <= set(rules["patterns"])
    assert "Experten" in rules["vague"]["de"] and "analysts" in [w.lower() for w in rules["vague"]["en"]]


# ---------------------------------------------------------------- properties

_SCHEMES = st.sampled_from(
    ["javascript:", "JavaScript:", "data:", "vbscript:", "file://", "ftp://", "mailto:", "", "//",
     "http:", "https:/", "jav\tascript:", "about:", "blob:", "tel:", "ws://", "wss://"]
)


@settings(max_examples=150, deadline=None)
@given(_SCHEMES, st.text(max_size=40))
def test_property_non_http_never_linkable(scheme, rest):
    url = scheme + rest
    s = describe_url(url)
    if s.linkable:
        assert re.match(r"(?i)^https?://", s.url)
        assert unsafe_reason(url) == ""
        assert s.archive_url.endswith(s.url)
    else:
        assert s.archive_url == ""


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_property_describe_url_never_raises(url):
    s = describe_url(url)
    assert s.linkable == (unsafe_reason(url) == "")
    if s.linkable:
        assert re.match(r"(?i)^https?://\S+$", s.url)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(list("abc :/.()\"“”»,;") + ["https://", "javascript:", "x.com", " laut ", "Reuters", " zufolge"]),
        max_size=30,
    ).map("".join)
)
def test_property_finders_spans(text):
    for s, e, src in find_inline_urls(text):
        assert text[s:e] == src.text == src.url
        assert src.origin == "inline"
    for s, e, src in find_attributions(text, "de"):
        assert text[s:e] == src.text
        assert src.origin == "attribution"
