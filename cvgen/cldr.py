"""Locale data from CLDR (through Babel): dates, country names and language names.

Nothing here is written by hand: `Sep 2021`, `Sept. 2021`, `sept. 2021` and `2021年9月` are
CLDR's own "year + abbreviated month" patterns, `SE` becomes `Sweden` / `Schweden` /
`Suède`, and `sv` in a languages list becomes `Swedish` / `Schwedisch`. The theme's own
words (section titles, "Present") live in the theme's `translations/` files instead.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
# A language written as a code (`sv`, `pt-BR`, `zh-Hant`), not as a name (`Swedish`).
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
FALLBACK = "en"


def babel_name(tag: str) -> str:
    """A BCP 47 tag as Babel spells it: `de-AT` -> `de_AT`, `zh-Hant-TW` -> `zh_Hant_TW`."""
    return tag.strip().replace("-", "_")


def check_language(tag: str) -> str | None:
    """None when CLDR knows the language tag, else a message saying what to write."""
    try:
        Locale.parse(babel_name(tag))
    except (UnknownLocaleError, ValueError, TypeError):
        return (
            f"`{tag}` is not a language CLDR knows; write a BCP 47 tag like `en`, `sv` or `pt-BR`"
        )
    return None


def language_code(name: str) -> str | None:
    """The tag of a language written by its name, in English or in itself (`German`,
    `Deutsch` -> `de`), for messages; None when CLDR knows no language so named. Slow (it
    reads every language's CLDR data): only when a tag is wrong."""
    from babel.localedata import locale_identifiers

    wanted = name.strip().casefold()
    if not wanted:
        return None
    english = Locale.parse(FALLBACK)
    for tag in sorted(i for i in locale_identifiers() if "_" not in i):
        if wanted == (english.languages.get(tag) or "").casefold():
            return tag
    for tag in sorted(i for i in locale_identifiers() if "_" not in i):
        if wanted == (Locale.parse(tag).get_display_name(tag) or "").casefold():
            return tag
    return None


@functools.lru_cache(maxsize=64)
def locale_for(tag: str) -> Locale:
    """The CLDR locale for a tag; its language alone (`de` for an unknown `de-XX`), else English."""
    for name in (babel_name(tag), babel_name(tag).split("_")[0], FALLBACK):
        try:
            return Locale.parse(name)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    raise AssertionError("Babel has no English locale")  # pragma: no cover


def format_date(value: Any, language: str = FALLBACK) -> str:
    """`2021-09` / `2021-09-15` -> `Sep 2021` (CLDR's `yMMM` in `language`); `2021` stays;
    anything else is returned as it is."""
    text = str(value)
    match = _DATE.match(text)
    if match is None:
        return text
    year, month = int(match.group(1)), match.group(2)
    if month is None or not 1 <= int(month) <= 12:
        return match.group(1)
    return str(
        format_skeleton("yMMM", datetime.date(year, int(month), 1), locale=locale_for(language))
    )


def letter_date(value: str, language: str = FALLBACK) -> str:
    """`2026-12-07` -> `7 December 2026` / `7. Dezember 2026`: CLDR's long date in
    `language`, as a letter is dated; a year or month alone as `format_date` shows it."""
    match = _DATE.match(value)
    if match is None or match.group(3) is None:
        return format_date(value, language)
    day = datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return str(babel_format_date(day, format="long", locale=locale_for(language)))


def month_names(language: str = FALLBACK) -> tuple[str, ...]:
    """The twelve abbreviated month names as they stand alone (`Jan` ... `Dec`)."""
    months = locale_for(language).months["stand-alone"]["abbreviated"]
    return tuple(str(months[m]) for m in range(1, 13))


def country_name(code: Any, language: str = FALLBACK) -> str:
    """`SE` -> `Sweden` (`Schweden` in German); an unknown code is returned as written."""
    text = str(code or "").strip()
    name = locale_for(language).territories.get(text.upper()) if len(text) == 2 else None
    return str(name) if name else text


def language_name(value: Any, language: str = FALLBACK) -> str:
    """A language written as a code (`sv`, `pt-BR`) -> its name in `language` (`Swedish`,
    `Brazilian Portuguese`); a name such as `English` or `Norsk` stays as written."""
    text = str(value or "").strip()
    if not _LANGUAGE_CODE.match(text):
        return text
    languages = locale_for(language).languages
    name = languages.get(babel_name(text)) or languages.get(text)
    if not name:
        try:
            name = Locale.parse(babel_name(text)).get_display_name(locale_for(language))
        except (UnknownLocaleError, ValueError, TypeError):
            return text
    # CLDR writes language names lower-case where a sentence would (`suédois`); they stand
    # alone here, as the first word of a list item.
    name = str(name or text)
    return name[:1].upper() + name[1:]


def english_name(tag: str) -> str:
    """`de` -> `German`, `pt-BR` -> `Portuguese (Brazil)`: a language as messages name it."""
    return str(locale_for(tag).get_display_name(FALLBACK) or tag)


def native_name(tag: str) -> str:
    """`de` -> `Deutsch`, `fr` -> `Français`: a language in its own words, as a link to
    that language's page shows it."""
    own = locale_for(tag)
    name = str(own.get_display_name(own) or tag)
    return name[:1].upper() + name[1:]


def og_locale(tag: str) -> str:
    """Open Graph's `language_TERRITORY`: `de` -> `de_DE`, `pt-BR` -> `pt_BR`, `en` -> `en_US`
    (the territory CLDR finds likeliest when the tag names none)."""
    own = locale_for(tag)
    territory = own.territory
    if not territory:
        subtags = get_global("likely_subtags")
        likely = subtags.get(f"{own.language}_{own.script}") or subtags.get(own.language)
        territory = Locale.parse(likely).territory if likely else None
    return f"{own.language}_{territory}" if territory else own.language
