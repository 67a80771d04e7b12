"""The theme's own words (section titles, "Present", "views" ...) in the page's language.

They live in the theme's `translations/<language>.yaml` files (`en.yaml` is the reference:
every key a template uses is there), so a contributor adds a language by adding one file,
and a site overrides a word with its own `theme/<name>/translations/<language>.yaml`.
For `site.language: de-AT` the keys of `de-AT.yaml` win over `de.yaml`, which wins over
`en.yaml`. Month names, dates, countries and language names come from CLDR instead
(`cvgen.cldr`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cvgen.cldr import babel_name, month_names
from cvgen.errors import CvgenError

REFERENCE = "en"


def parse_translation(data: Any, filename: str) -> dict[str, str]:
    """A translation file's mapping of word keys to text, or a CvgenError naming the file."""
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise CvgenError(
            f"{filename}: expected `key: text` lines (like `work: Experience`), one per word"
        )
    return dict(data)


def _language_keys(language: str) -> list[str]:
    """`de-AT` -> [`de`, `de-AT`] (lowest priority first); file names are matched loosely."""
    parts = babel_name(language).split("_")
    return ["-".join(parts[: i + 1]).lower() for i in range(len(parts)) if parts[i]]


def labels_for(language: str, translations: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """English words overlaid with `language`'s (and its base language's) translations, plus
    `months` (CLDR's abbreviated month names) for templates that format dates themselves."""
    by_key = {name.lower().replace("_", "-"): words for name, words in translations.items()}
    labels: dict[str, Any] = dict(by_key.get(REFERENCE, {}))
    for key in _language_keys(language):
        if key != REFERENCE:
            labels.update(by_key.get(key, {}))
    labels["months"] = month_names(language)
    return labels
