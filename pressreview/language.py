"""Language of an article: front matter or sidecar wins, else lingua decides between the
languages we support. lingua is deterministic; restricting it to our languages keeps it
fast and small (low-accuracy mode: about 21 MB instead of 139 MB, see TOOLCHAIN.md)."""

from __future__ import annotations

from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

SUPPORTED = {"de": Language.GERMAN, "en": Language.ENGLISH}
_CODES = {lang: code for code, lang in SUPPORTED.items()}


@lru_cache(maxsize=1)
def _detector():
    return LanguageDetectorBuilder.from_languages(*SUPPORTED.values()).with_low_accuracy_mode().build()


def detect_language(text: str, default: str = "en") -> tuple[str, float]:
    """(language code, confidence 0..1). Text with no clue gets the default and confidence 0."""
    values = _detector().compute_language_confidence_values(text[:20000])
    best = values[0]
    if best.value <= 0:
        return default, 0.0
    return _CODES[best.language], round(best.value, 3)
