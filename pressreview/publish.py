"""publish: run the site generator on docs/ (MkDocs with Material)."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path


def mkdocs_env(language: str, site_url: str | None = None, epoch: int = 0, report: Path | None = None,
               report_label: str = "PDF") -> dict[str, str]:
    env = dict(os.environ)
    env["PRESSREVIEW_LANGUAGE"] = language
    # No build timestamps: MkDocs dates the sitemap by SOURCE_DATE_EPOCH when it is set.
    env["SOURCE_DATE_EPOCH"] = str(epoch)
    # Material 9.7+ prints an end-of-life notice (with print(), not as a log warning) on every
    # run. We pin MkDocs 1.6.1 and Material 9.x on purpose (see README), so we switch off
    # that one notice with its documented variable; real warnings still fail --strict.
    env["NO_MKDOCS_2_WARNING"] = "1"
    if site_url is not None:
        env["SITE_URL"] = site_url
    # mkdocs.yml prints this in every page's footer (copyright: !ENV PRESSREVIEW_FOOTER);
    # pressreview.js makes the href absolute against the site's root.
    env["PRESSREVIEW_FOOTER"] = (f'<a class="pr-pdf-link" href="{html.escape(report.name)}">{html.escape(report_label)}</a>'
                                 if report is not None else "")
    return env


def mkdocs(command: str, project: Path, language: str, site_dir: Path | None = None,
           site_url: str | None = None, extra: list[str] | None = None, epoch: int = 0,
           report: Path | None = None, report_label: str = "PDF") -> int:
    args = [sys.executable, "-m", "mkdocs", command, "-f", str(project / "mkdocs.yml")]
    if command == "build":
        args.append("--strict")
        if site_dir is not None:
            args += ["--site-dir", str(site_dir)]
    args += extra or []
    return subprocess.call(args, env=mkdocs_env(language, site_url, epoch, report, report_label), cwd=project)
