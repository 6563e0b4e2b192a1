#!/usr/bin/env python3
"""`make screenshots`: PNGs of the site's main pages at a phone's and a laptop's width, as
review material for a pull request (how the site looks, not only what the tests check).

Takes the built site in site/ (or --site), or builds it first when there is none (or with
--build); serves it on 127.0.0.1 and photographs, with Debian chromium through Playwright
(as the browser tests do), each page of `pages()` at 390 and 1280 px, the whole page, into
screenshots/ (or --out; git-ignored): `<page>-<width>.png`, with `--dark` also
`<page>-<width>-dark.png`. Needs `make system-deps` (chromium).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = (390, 1280)
HEIGHT = {390: 844, 1280: 800}  # the viewport; the picture is the whole page

# The main pages: name -> folder inside the site ("" is the home page).
FIXED = {"home": "", "legend": "legend", "methodology": "methodology", "sources": "sources",
         "compare": "compare", "articles": "articles"}


def _first_page_under(site: Path, folder: str) -> str | None:
    """The first page (in name order) one level below `folder`: an article, a topic."""
    top = site / folder
    if not top.is_dir():
        return None
    pages = sorted(p.parent.name for p in top.glob("*/index.html"))
    return f"{folder}/{pages[0]}" if pages else None


def pages(site: Path, article: str | None = None, topic: str | None = None) -> dict[str, str]:
    """The pages to photograph in this site: name -> path below the site root (a folder with
    index.html). The fixed pages that exist, one article and one comparison topic (the ones
    named, else the first of each by name; a site without comparisons has no topic page)."""
    found = {name: path for name, path in FIXED.items() if (site / path / "index.html").is_file()}
    for name, folder, wanted in (("article", "articles", article), ("compare-topic", "compare", topic)):
        if wanted:
            if not (site / folder / wanted / "index.html").is_file():
                raise SystemExit(f"error: {site / folder / wanted} is not a page of this site")
            found[name] = f"{folder}/{wanted}"
        elif path := _first_page_under(site, folder):
            found[name] = path
    return found


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


def shoot(site: Path, out: Path, chosen: dict[str, str], dark: bool = False) -> list[Path]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SystemExit("error: the Python package playwright is not installed: run `make setup`")
    if not Path(CHROMIUM).is_file():
        raise SystemExit(f"error: chromium is not installed ({CHROMIUM} is missing): run `make system-deps` (as root)")
    out.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}/"
    written: list[Path] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for scheme in ("light", "dark") if dark else ("light",):
                for width in WIDTHS:
                    context = browser.new_context(viewport={"width": width, "height": HEIGHT[width]},
                                                  color_scheme=scheme, device_scale_factor=1)
                    page = context.new_page()
                    for name, path in chosen.items():
                        page.goto(base + (f"{path}/" if path else ""), wait_until="load")
                        page.wait_for_timeout(150)  # Material's scripts settle (tabs, palette)
                        target = out / f"{name}-{width}{'-dark' if scheme == 'dark' else ''}.png"
                        page.screenshot(path=str(target), full_page=True)
                        written.append(target)
                    context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", default=str(ROOT / "site"), help="the built site (default: site/)")
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="where the PNGs go (default: screenshots/)")
    parser.add_argument("--build", action="store_true", help="build the site from seeds/ first (build.py build)")
    parser.add_argument("--dark", action="store_true", help="also photograph the dark scheme")
    parser.add_argument("--article", help="the article's page name (its folder in site/articles/; default: the first)")
    parser.add_argument("--topic", help="the comparison topic's page name (in site/compare/; default: the first)")
    args = parser.parse_args(argv)
    site = Path(args.site).resolve()
    if args.build or not (site / "index.html").is_file():
        code = subprocess.call([sys.executable, str(ROOT / "build.py"), "--project", str(ROOT), "build",
                                "--site-dir", str(site)])
        if code != 0:
            return code
    chosen = pages(site, args.article, args.topic)
    written = shoot(site, Path(args.out).resolve(), chosen, args.dark)
    print(f"{len(written)} screenshots of {len(chosen)} pages in {Path(args.out).resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
