"""All settings in one place: defaults, the project file (pressreview.yml) and validation
whose errors name the key, in the way MkDocs checks its config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CONFIG_FILE = "pressreview.yml"

# key: (default, type, description)
SCHEMA: dict[str, tuple[Any, type | tuple[type, ...], str]] = {
    "input": ("seeds", str, "Folder with the articles (*.txt, *.md), relative to the project."),
    "docs_dir": ("docs", str, "The MkDocs docs folder; generated pages go into git-ignored folders in it."),
    "site_dir": ("site", str, "Where `mkdocs build` writes the site."),
    "templates": ("templates", str, "A folder of Jinja templates that override the built-in ones by name."),
    "interface_language": (None, (str, type(None)), "Language of the site's interface (de or en); default: the corpus's most common language."),
    "default_language": ("de", str, "Language assumed for an article whose language cannot be detected."),
    "headline_max_words": (15, int, "A line of at most this many words, without closing punctuation, can be a headline."),
    "headline_max_chars": (150, int, "... and of at most this many characters."),
    "subheading_max_words": (5, int, "A heading this short is a sub-heading (###) when a longer heading stands before it."),
    "title_max_chars": (160, int, "An inferred title (the lede's first sentence) is cut at this length."),
    "disabled_rules": ([], list, "Normalisation rules to switch off, by name (see the normalisation reference)."),
    "layout": ({}, dict, "Extra layout patterns per language, same shape as pressreview/rules/layout.yml."),
    "comparisons": ("comparisons.yml", str, "Curated comparison topics (optional file, relative to the project)."),
    "overview_max_articles": (50, int, "The Sources and Comparison pages have a table with one column per article only up to this many articles (it grows with the square of the corpus); beyond, each row lists its articles."),
    "claims": ({}, dict, "Claim rules: `add` (list of rules), `disable` (list of ids), `override` (id -> fields)."),
}


class SettingsError(Exception):
    pass


def load_settings(project: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then pressreview.yml in the project folder, then command-line overrides."""
    settings = {key: (list(d) if isinstance(d, list) else dict(d) if isinstance(d, dict) else d)
                for key, (d, _, _) in SCHEMA.items()}
    path = project / CONFIG_FILE
    if path.is_file():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise SettingsError(f"{path}: not valid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise SettingsError(f"{path}: must be a mapping of keys to values")
        for key, value in data.items():
            _check(str(key), value, path.name)
            settings[str(key)] = value
    for key, value in (overrides or {}).items():
        if value is not None:
            _check(key, value, "command line")
            settings[key] = value
    settings["project"] = project
    settings["layout_extra"] = yaml.safe_dump(settings["layout"], sort_keys=True) if settings["layout"] else ""
    return settings


def _check(key: str, value: Any, where: str) -> None:
    if key not in SCHEMA:
        raise SettingsError(f"{where}: unknown setting '{key}' (known: {', '.join(sorted(SCHEMA))})")
    _, kind, _ = SCHEMA[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise SettingsError(f"{where}: setting '{key}' must be {names}, not {value!r}")
    if key == "interface_language" and value not in (None, "de", "en"):
        raise SettingsError(f"{where}: setting 'interface_language' must be 'de' or 'en', not {value!r}")
