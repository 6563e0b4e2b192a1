"""All settings in one place: defaults, the project file (pressreview.yml) and validation
whose errors name the key, in the way MkDocs checks its config."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import yaml

from . import safeyaml
from .safeyaml import shown

CONFIG_FILE = "pressreview.yml"

# key: (default, type, description)
SCHEMA: dict[str, tuple[Any, type | tuple[type, ...], str]] = {
    "input": ("seeds", str, "Folder with the articles (*.txt, *.md, *.html, *.html.gz), relative to the project and inside it "
              "(--input on the command line may point anywhere)."),
    "docs_dir": ("docs", str, "The MkDocs docs folder, inside the project; generated pages go into git-ignored folders in it."),
    "site_dir": ("site", str, "Where `mkdocs build` writes the site, inside the project (--site-dir may point anywhere)."),
    "templates": ("templates", str, "A folder of Jinja templates, inside the project, that override the built-in ones by name."),
    "max_file_bytes": (5_000_000, int, "An input file (or sidecar) larger than this many bytes is rejected unread."),
    "follow_symlinks": (False, bool, "Follow symbolic links in the input folder whose target lies inside it "
                        "(--follow-symlinks); other links are always rejected, never followed."),
    "interface_language": (None, (str, type(None)), "Language of the site's interface (de or en); default: the corpus's most common language."),
    "default_language": ("de", str, "Language assumed for an article whose language cannot be detected."),
    "headline_max_words": (15, int, "A line of at most this many words, without closing punctuation, can be a headline."),
    "headline_max_chars": (150, int, "... and of at most this many characters."),
    "subheading_max_words": (5, int, "A heading this short is a sub-heading (###) when a longer heading stands before it."),
    "title_min_words": (2, int, "A line of fewer words is a section label ('Gesundheit', 'Review'), never the title."),
    "kicker_max_words": (3, int, "A line of at most this many words directly above another headline-like line is a "
                         "kicker or section label; the line below it is the title."),
    "dateline_max_chars": (60, int, "Only a line at most this long, holding a year, is tried as a date line "
                           "(dateparser takes about a millisecond a line)."),
    "resume_min_words": (20, int, "After a trigger line (related stories, a newsletter blurb), article text resumes "
                         "at a paragraph of at least this many words ending in closing punctuation."),
    "run_min_words_before": (80, int, "A trigger that sets aside everything after it (reader comments, a disclaimer) "
                             "counts only after this many words of article text."),
    "ad_tail_lead_lines": (3, int, "An advertising tail also takes up to this many lines right above its first line "
                           "that belong to it (ending in ':', headline-like, or in the promo's wording)."),
    "headline_list_min": (3, int, "So many headings of the page's markup in a row, with no text between them, are a "
                          "list of other stories' headlines (set aside), not the article's headings."),
    "pdf_aside_max_lines": (12, int, "In the PDF, text set aside as not part of the article shows at most this many "
                            "lines per block and says how many more the site shows (0: all)."),
    "title_max_chars": (160, int, "An inferred title (the lede's first sentence) is cut at this length."),
    "disabled_rules": ([], list, "Normalisation rules to switch off, by name (see the normalisation reference)."),
    "layout": ({}, dict, "Extra layout patterns per language, same shape as pressreview/rules/layout.yml."),
    "comparisons": ("comparisons.yml", str, "Curated comparison topics (optional file, relative to the project and inside it)."),
    "overview_max_articles": (50, int, "The Sources and Comparison pages have a table with one column per article only up to this many articles (it grows with the square of the corpus); beyond, each row lists its articles."),
    "claims": ({}, dict, "Claim rules: `add` (list of rules), `disable` (list of ids), `override` (id -> fields)."),
    "lock_timeout": (600, int, "Seconds a command waits while another one writes this project's docs/ or site/ "
                                "(lock file .pressreview.lock beside the docs folder); then it fails. -1: wait for ever."),
    "dask": ({}, dict, "Analyse the articles on a Dask cluster: `scheduler: tcp://host:8786` (as --scheduler); its "
             "workers need the same pressreview and rule packs. Default: a process pool on this machine (--jobs)."),
    "nav_max_pages": (50, int, "A folder of docs/ with more pages than this (Articles, Comparison) shows only its index page in "
                      "the navigation; its pages are reached through the index pages. Keeps every page's navigation "
                      "short (navigation links grow with the square of the corpus otherwise)."),
    "index_page_size": (100, int, "Beyond this many articles the Articles page lists months, and each month's "
                        "articles are on pages of at most this many."),
}

# Settings that change no article's analysis (read, normalise, analyse): the analysis cache
# (cache.py) leaves them out of its key, so changing them re-analyses nothing. `claims` is
# checked per language (cache.language_key). Any other setting, also a new one, is in the key.
NOT_ANALYSIS = frozenset({"input", "docs_dir", "site_dir", "templates", "comparisons", "overview_max_articles",
                          "lock_timeout", "pdf_aside_max_lines", "interface_language", "claims", "dask"})


# Settings that name a place: from pressreview.yml they must stay inside the project folder
# (a pull request may change the file); given on the command line they may point anywhere.
PATH_KEYS = ("input", "docs_dir", "site_dir", "templates", "comparisons")


class SettingsError(Exception):
    pass


def load_settings(project: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then pressreview.yml in the project folder, then command-line overrides."""
    settings = {key: (list(d) if isinstance(d, list) else dict(d) if isinstance(d, dict) else d)
                for key, (d, _, _) in SCHEMA.items()}
    project = project.resolve()
    path = project / CONFIG_FILE
    if path.is_file():
        try:
            data = safeyaml.load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise SettingsError(f"{path}: not valid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise SettingsError(f"{path}: must be a mapping of keys to values")
        for key, value in data.items():
            _check(str(key), value, path.name)
            settings[str(key)] = value
    given = {key for key, value in (overrides or {}).items() if value is not None}
    for key in PATH_KEYS:  # also the defaults: 'seeds' may be a symbolic link
        if key not in given:
            check_inside(project, key, str(settings[key]), path.name if path.is_file() else "default")
    for key, value in (overrides or {}).items():
        if value is not None:
            _check(key, value, "command line")
            settings[key] = value
    settings["project"] = project
    settings["layout_extra"] = yaml.safe_dump(settings["layout"], sort_keys=True) if settings["layout"] else ""
    return settings


def input_dir(settings: dict[str, Any]) -> Path:
    """The input folder, resolved."""
    return (Path(settings["project"]) / settings["input"]).resolve()


def _check(key: str, value: Any, where: str) -> None:
    if key not in SCHEMA:
        raise SettingsError(f"{where}: unknown setting '{key}' (known: {', '.join(sorted(SCHEMA))})")
    _, kind, _ = SCHEMA[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise SettingsError(f"{where}: setting '{key}' must be {names}, not {shown(value)}")
    if key == "interface_language" and value not in (None, "de", "en"):
        raise SettingsError(f"{where}: setting 'interface_language' must be 'de' or 'en', not {shown(value)}")
    if key == "dask" and (set(value) - {"scheduler"} or not isinstance(value.get("scheduler", ""), str)):
        raise SettingsError(f"{where}: setting 'dask' knows one key, scheduler (an address like tcp://host:8786), "
                            f"not {shown(value)}")
    if key == "max_file_bytes" and value < 1:
        raise SettingsError(f"{where}: setting 'max_file_bytes' must be a positive number of bytes")


def check_inside(project: Path, key: str, value: str, where: str) -> Path:
    """The place a setting names, resolved (symbolic links too); a SettingsError naming the key
    if it lies outside the project folder."""
    place = (project / value).resolve()
    if not place.is_relative_to(project.resolve()):
        raise SettingsError(f"{where}: setting '{key}' ({shown(value)}) points outside the project folder "
                            f"{project}: refused (only --input and --site-dir on the command line may)")
    return place


def check_mkdocs_dirs(project: Path, config: dict[str, Any], site_dir_given: bool) -> None:
    """mkdocs.yml's own docs_dir and site_dir (MkDocs empties site_dir) stay inside the project
    too, unless --site-dir names the site's place on the command line."""
    for key in ("docs_dir",) + (() if site_dir_given else ("site_dir",)):
        value = config.get(key)
        if isinstance(value, str):
            check_inside(project, key, value, "mkdocs.yml")


# ---------------------------------------------------------------- mkdocs.yml

class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml like MkDocs does as far as we need: !ENV, !relative, !!python/name."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = items[:-1], items[-1]
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else ""
    return default


def _python_name(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    module, _, attr = suffix.rpartition(".")
    return getattr(importlib.import_module(module), attr)


_MkDocsLoader.add_constructor("!ENV", _env_tag)
_MkDocsLoader.add_constructor("!relative", lambda loader, node: loader.construct_scalar(node))  # type: ignore[arg-type]
_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)


def load_mkdocs_config(project: Path) -> dict[str, Any]:
    path = project / "mkdocs.yml"
    if not path.is_file():
        return {}
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_MkDocsLoader) or {}  # noqa: S506 (safe loader subclass)
