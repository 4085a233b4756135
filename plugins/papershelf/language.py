"""The interface language: Pelican's own ``DEFAULT_LANG`` chooses it.

The theme speaks English (``en``) or Simplified Chinese (``zh``); its strings
are gettext messages in ``theme/translations/`` (the ``interface_language``
plugin installs them). ``zh-Hans``, ``zh-CN``, ``zh_CN`` and ``zh-Hans-CN``
name the same catalog. Content keeps its own language per field.

Python code whose text ends up on a page marks it with ``N_`` (a no-op that
``make translations`` extracts) and hands the English msgid to the template,
which translates it with the ``label`` filter; the one exception, text rendered in Python
(the stats page's SVG charts), asks ``papershelf.site.i18n.translations``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from papershelf.errors import SettingsError

# Interface language -> the <html lang> of its pages, and Babel's locale for dates.
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
LOCALES = {"en": "en", "zh": "zh_Hans_CN"}
_ALIASES = {"zh-hans": "zh", "zh-cn": "zh", "zh-hans-cn": "zh", "zh-sg": "zh", "en-us": "en"}


def N_(message: str) -> str:
    """Marks ``message`` for the catalogs; the template translates it."""
    return message


def interface_lang(settings: Mapping[str, Any]) -> str:
    """``en`` or ``zh`` from ``DEFAULT_LANG``; anything else is a SettingsError."""
    value = settings.get("DEFAULT_LANG", "en")
    name = value.strip().replace("_", "-").lower() if isinstance(value, str) else None
    lang = _ALIASES.get(name, name)
    if lang not in HTML_LANG:
        raise SettingsError(
            f"setting DEFAULT_LANG = {value!r} is invalid: expected 'en' or 'zh' "
            "(Simplified Chinese; 'zh-Hans', 'zh-CN' and 'zh_CN' mean the same)",
            fix="fix it in pelicanconf.py",
        )
    return lang


def lang_attr(interface: str, code: str, within: str | None = None) -> Markup:
    """`` lang="<code>"`` for text in language ``code`` where its surroundings
    speak another (the page's ``interface`` language, unless ``within`` names the
    enclosing element's), else nothing: an attribute that repeats the inherited
    language was a tenth of a card's bytes. Compared by primary subtag, so
    ``zh-Hans`` is ``zh``."""
    surrounding = within or interface
    if code.split("-")[0].lower() == surrounding.split("-")[0].lower():
        return Markup("")
    return Markup(' lang="%s"') % code
