"""The settings of one run: the settings file read by Pelican, every papershelf
default from the table in ``settings.py`` put in, checked once, paths resolved.

Every command and every plugin gets papershelf's settings through
``plugin_settings``; the CLI and the bench read the file with ``load_settings``.
"""

from __future__ import annotations

import copy
import logging
import os
import traceback
from pathlib import Path
from typing import Any

from pelican.settings import read_settings

from papershelf.errors import SettingsError, UsageError
from papershelf.language import interface_lang
from papershelf.settings import SETTINGS, validate

SETTINGS_KEY = "PAPERSHELF_VALIDATED"


def load_settings(path: str | os.PathLike, overrides: dict[str, Any] | None = None) -> dict:
    """Pelican settings from ``path`` plus overrides, with papershelf's validated."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(
            "settings file not found",
            where=path,
            fix="run from the project root, or pass --settings FILE",
        )
    quiet = _DropMessage("Feeds generated without SITEURL")
    logging.getLogger("pelican.settings").addFilter(quiet)
    try:
        settings = _read_settings(path, overrides or {})
    finally:
        logging.getLogger("pelican.settings").removeFilter(quiet)
    # Pelican warns about feeds without SITEURL even for local previews, where
    # relative URLs are the point; only a publishing build needs SITEURL.
    if not settings.get("RELATIVE_URLS") and not settings.get("SITEURL"):
        logging.getLogger(__name__).warning(
            "%s: SITEURL is empty: feeds and links will not be absolute (set SITEURL)", path
        )
    plugin_settings(settings)
    return settings


def _read_settings(path: Path, overrides: dict[str, Any]) -> dict:
    """Pelican's read_settings; the settings file is Python the user wrote, so what
    it raises is a SettingsError naming the file and line, not a traceback."""
    try:
        return read_settings(str(path), override=overrides)
    except SyntaxError as error:
        raise SettingsError(
            f"not valid Python: {error.msg}",
            where=error.filename or path,
            line=error.lineno,
            fix="fix the syntax",
        ) from None
    except Exception as error:
        line = _line_in(path, error)
        if line is not None:
            raise SettingsError(
                f"{type(error).__name__}: {error}",
                where=path,
                line=line,
                fix="fix the settings file",
            ) from None
        if isinstance(error, ValueError):  # Pelican's word for a missing content folder
            raise SettingsError(str(error), where=path) from None
        if isinstance(error, TypeError):  # a Pelican setting of the wrong type (PATH = 5)
            raise SettingsError(
                f"Pelican cannot use these settings: {error}",
                where=path,
                fix="check the types of Pelican's settings (PATH, THEME, OUTPUT_PATH, ...)",
            ) from None
        raise


def _line_in(path: Path, error: BaseException) -> int | None:
    """The line of ``path`` running when ``error`` was raised, if it ran at all."""
    wanted = os.path.abspath(path)
    frames = traceback.extract_tb(error.__traceback__)
    lines = [f.lineno for f in frames if os.path.abspath(f.filename) == wanted]
    return lines[-1] if lines else None


def plugin_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """Every key of papershelf.settings.SETTINGS, validated once per build and
    cached in ``settings``; the one place the CLI and every plugin get them from.

    The defaults are also put into ``settings`` itself (where unset), so that
    templates and Pelican see every key. A bad value raises SettingsError
    naming the key, which stops the build.
    """
    cached = settings.get(SETTINGS_KEY)
    if cached is None:
        for setting in SETTINGS:
            # A copy: a plugin changing its settings must not change the table.
            settings.setdefault(setting.key, copy.deepcopy(setting.default))
        cached = validate(settings)
        interface_lang(settings)  # Pelican's DEFAULT_LANG: a language the theme speaks
        archive = cached["ARXIV_ARCHIVE_PATH"]
        if not os.path.isabs(archive):
            # Relative to the project root: the folder that holds the content.
            root = os.path.dirname(os.path.abspath(settings.get("PATH", ".")))
            cached["ARXIV_ARCHIVE_PATH"] = os.path.join(root, archive)
        content = os.path.abspath(settings.get("PATH", "."))
        for key in ("PAPERSHELF_NOTES_DIR", "PAPERSHELF_TAG_ALIASES"):
            cached[key] = os.path.join(content, cached[key])
        settings[SETTINGS_KEY] = cached
    return cached


class _DropMessage(logging.Filter):
    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.prefix)
