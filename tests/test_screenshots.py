"""`make screenshots` (scripts/screenshots.py): its list of pages is the site's main pages, and
each of them exists in the seeds' site (the shared seed build; no browser, no extra build)."""

from __future__ import annotations

import importlib.util

import pytest

from conftest import ROOT

pytestmark = pytest.mark.site  # the seeds' site (conftest.seed_site)

_spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
assert _spec and _spec.loader
screenshots = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(screenshots)


def test_every_main_page_is_listed_and_exists_in_the_seed_site(seed_site):
    site = seed_site / "site"
    pages = screenshots.pages(site)
    assert set(pages) == {"home", "legend", "methodology", "sources", "compare", "articles", "article",
                          "compare-topic"}
    for name, path in pages.items():
        assert (site / path / "index.html").is_file(), name
    assert pages["article"].startswith("articles/") and pages["compare-topic"].startswith("compare/")
    chosen = sorted(p.parent.name for p in (site / "articles").glob("*/index.html"))[-1]
    assert screenshots.pages(site, article=chosen)["article"] == f"articles/{chosen}"
    with pytest.raises(SystemExit, match="not a page"):
        screenshots.pages(site, topic="no-such-topic")


def test_a_site_without_comparisons_has_no_topic_page(tmp_path):
    for folder in ("", "legend", "articles", "articles/a", "compare"):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "index.html").write_text("<html></html>")
    assert screenshots.pages(tmp_path) == {"home": "", "legend": "legend", "compare": "compare",
                                           "articles": "articles", "article": "articles/a"}
