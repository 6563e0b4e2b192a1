"""The site works when it is served under a sub-path, as a pull-request preview is
(`https://<owner>.github.io/<repo>/pr-preview/pr-12/`): the seeds (and a change summary page)
built with SITE_URL set to such an address, served by a local HTTP server that maps only
/pr-preview/pr-12/ to the site folder and answers 404 to everything else, and every internal
link, asset and anchor checked with a real link checker (LinkChecker, run as a program).
External URLs are never fetched: only their syntax is checked."""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT, make_project

pytestmark = pytest.mark.site

PREFIX = "/pr-preview/pr-12/"
LINKCHECKER = Path(sys.executable).with_name("linkchecker")


class PrefixHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `root` under PREFIX only, like GitHub Pages serves a preview folder."""

    root: Path = Path(".")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.root), **kwargs)

    def log_message(self, *args) -> None:  # quiet
        pass

    def end_headers(self) -> None:
        # LinkChecker throttles every host to 10 requests a second unless the server answers
        # with this header (its documented opt-in): a local server may take more.
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def send_head(self):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path + "/" == PREFIX:
            self.send_response(301)
            self.send_header("Location", PREFIX)
            self.end_headers()
            return None
        if not path.startswith(PREFIX):
            self.send_error(404, "outside the preview folder")
            return None
        self.path = "/" + self.path[len(PREFIX):]
        return super().send_head()


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # a client that hangs up early is fine


class Server:
    """A local server on 127.0.0.1 (a free port), in a thread of the test process."""

    def __init__(self) -> None:
        self.handler = type("Handler", (PrefixHandler,), {})
        self.httpd = QuietServer(("127.0.0.1", 0), self.handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, root: Path) -> str:
        self.handler.root = root
        return f"http://127.0.0.1:{self.port}{PREFIX}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    s.close()


def build(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """conftest.run_build with extra environment variables."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project), "build", "--strict"],
                          capture_output=True, text=True, cwd=project, timeout=300, env={**os.environ, **env})


def linkcheck(tmp: Path, port: int, *urls: str, recursion: int = -1) -> subprocess.CompletedProcess:
    """LinkChecker on `urls`: recursion only below the preview folder (its start URL), every
    URL on our host checked (a link that leaves the folder gets the server's 404), anchors
    checked, any other URL only checked for syntax, never fetched."""
    assert LINKCHECKER.is_file(), "LinkChecker is not installed: pip install linkchecker==10.6.0"
    config = tmp / "linkcheckerrc"
    config.write_text(
        "[checking]\n"
        "threads=4\n"
        "timeout=20\n"
        f"recursionlevel={recursion}\n"
        "maxrequestspersecond=1000\n"
        "[filtering]\n"
        "checkextern=1\n"
        "ignore=\n"
        f"  ^(?!http://127\\.0\\.0\\.1:{port}/)\n"
        "[output]\n"
        "status=0\n"
        "[AnchorCheck]\n", encoding="utf-8")
    config.chmod(0o644)
    home = tmp / "lc-home"
    home.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home), "XDG_DATA_HOME": str(home),
           "no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1"}
    return subprocess.run([str(LINKCHECKER), "-f", str(config), *urls],
                          capture_output=True, text=True, env=env, timeout=240)


@pytest.fixture(scope="module")
def preview_site(tmp_path_factory, server) -> Path:
    """The seeds and a change summary page, built for http://127.0.0.1:PORT/pr-preview/pr-12/."""
    tmp = tmp_path_factory.mktemp("subpath")
    project = make_project(tmp)
    from pressreview.diff import diff, write_page

    empty = tmp / "empty.json"  # every article is new: the page links to every article and mark
    empty.write_text(json.dumps({"schema": 1, "articles": [], "rejected": [], "comparisons": []}))
    result = diff(project, str(empty))
    write_page(result.report, result.settings, result.language, result.analysis)
    url = f"http://127.0.0.1:{server.port}{PREFIX}"
    built = build(project, {"SITE_URL": url})
    assert built.returncode == 0, built.stderr
    assert "WARNING" not in built.stderr, built.stderr
    return project / "site"


def test_every_internal_link_and_asset_works_under_the_subpath(preview_site, server, tmp_path):
    url = server.serve(preview_site)
    result = linkcheck(tmp_path, server.port, url, url + "404.html", url + "sitemap.xml")
    assert result.returncode == 0, result.stdout + result.stderr
    found = re.search(r"(\d+) links in (\d+) URLs checked\. 0 warnings found\. 0 errors found\.", result.stdout)
    assert found and int(found.group(2)) > 50, result.stdout  # it crawled the site, not one page
    # the addresses MkDocs writes from site_url (canonical links, sitemap) carry the sub-path
    home = (preview_site / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{url}">' in home
    assert f"<loc>{url}articles/" in (preview_site / "sitemap.xml").read_text(encoding="utf-8")
    changes = (preview_site / "changes" / "index.html").read_text(encoding="utf-8")
    assert 'href="../articles/' in changes and "#s1" in changes


def test_a_broken_link_fails_the_check(preview_site, server, tmp_path):
    """The same check on a copy with planted faults: a link that leaves the preview folder
    (root-absolute), a missing image and a missing anchor."""
    site = tmp_path / "site"
    shutil.copytree(preview_site, site)
    index = site / "index.html"
    planted = ('<a href="/assets/stylesheets/planted.css">out of the folder</a>'
               '<img src="planted-missing.png" alt="">'
               '<a href="legend/#planted-no-such-anchor">no anchor</a>')
    index.write_text(index.read_text(encoding="utf-8").replace("</article>", planted + "</article>", 1),
                     encoding="utf-8")
    url = server.serve(site)
    try:
        result = linkcheck(tmp_path, server.port, url, recursion=1)
    finally:
        server.serve(preview_site)
    assert result.returncode == 1, result.stdout + result.stderr
    for fault in ("/assets/stylesheets/planted.css", "planted-missing.png", "planted-no-such-anchor"):
        assert fault in result.stdout, (fault, result.stdout)
    assert "404" in result.stdout
