"""The interface's catalogs, and dates and numbers in its language.

The catalogs are gettext files in the theme, ``translations/<lang>/LC_MESSAGES/``:
``messages`` for the templates and the Python text they show, ``js`` for the
scripts. The set-up compiles each ``.po`` to its ``.mo`` (``make setup``); the
build reads the ``.mo`` files. English is the msgids themselves, so ``en`` needs
no catalog. ``js_messages`` is what the scripts load: the ``js`` catalog as
JSON (``theme/i18n/<lang>.json`` in the output).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_interval, format_skeleton
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from papershelf.errors import BuildError
from papershelf.language import LOCALES, interface_lang

DOMAINS = ("messages", "js")
JS_SAVE_AS = "theme/i18n/{lang}.json"


def catalog_path(settings: Mapping[str, Any], lang: str, domain: str, suffix: str) -> Path:
    return Path(settings["THEME"]) / "translations" / lang / "LC_MESSAGES" / f"{domain}{suffix}"


def translations(settings: Mapping[str, Any], domain: str = "messages") -> NullTranslations:
    """The compiled catalog of the interface language (none for English)."""
    lang = interface_lang(settings)
    if lang == "en":
        return NullTranslations()
    path = catalog_path(settings, lang, domain, ".mo")
    if not path.is_file():
        raise BuildError(
            f"the compiled catalog {path.name} of language {lang!r} is missing",
            where=path,
            fix="run 'make setup', which compiles theme/translations",
        )
    with path.open("rb") as file:
        return Translations(file, domain=domain)


def _day(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def filters(settings: Mapping[str, Any]) -> dict[str, Callable[..., str]]:
    """``date_text`` (9 Dec 2025 / 2025年12月9日), ``month_text`` (December 2025 /
    2025年12月), ``days_text`` (Dec 8 – 14 / 12月8日至14日) and ``number`` (1,234)
    in the interface language."""
    locale = LOCALES[interface_lang(settings)]
    style = "long" if locale != "en" else "medium"

    # Every card formats its day: a site has a few hundred distinct days and
    # hundreds of thousands of cards, so each day is formatted once per build.
    formatted_days: dict[str, str] = {}

    def date_text(value: Any) -> str:
        key = str(value)
        if key not in formatted_days:
            day = _day(value)
            formatted_days[key] = format_date(day, style, locale=locale) if day else key
        return formatted_days[key]

    def month_text(value: Any) -> str:
        try:
            year, month = (int(part) for part in str(value)[:7].split("-"))
            return format_skeleton("yMMMM", datetime.date(year, month, 1), locale=locale)
        except ValueError:
            return str(value)

    def number(value: Any) -> str:
        return format_decimal(value, locale=locale)

    def days_text(start: Any, end: Any) -> str:
        """A run of days without its year: Dec 8 – 14 / 12月8日至14日."""
        first, last = _day(start), _day(end)
        if first is None or last is None:
            return f"{start} – {end}"
        return format_interval(first, last, "MMMd", locale=locale)

    return {
        "date_text": date_text,
        "month_text": month_text,
        "days_text": days_text,
        "number": number,
    }


def js_messages(settings: Mapping[str, Any]) -> tuple[str, bytes]:
    """The output path and bytes of the scripts' catalog: ``{"lang", "nplurals",
    "messages": {msgid: msgstr or [plural forms]}}``, sorted, so a build is
    byte-identical. Plural forms are English's (n != 1) or one form (Chinese)."""
    lang = interface_lang(settings)
    catalog = translations(settings, "js")
    messages: dict[str, Any] = {}
    plurals: dict[str, dict[int, str]] = {}
    for key, text in getattr(catalog, "_catalog", {}).items():
        if isinstance(key, tuple):
            plurals.setdefault(key[0], {})[key[1]] = text
        elif key and text:
            messages[key] = text
    for msgid, forms in plurals.items():
        messages[msgid] = [forms[n] for n in sorted(forms)]
    nplurals = 1 if lang == "zh" else 2
    data = {"lang": lang, "nplurals": nplurals, "messages": messages}
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n"
    return JS_SAVE_AS.format(lang=lang), body.encode("utf-8")
