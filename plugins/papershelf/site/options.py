"""What the Pelican plugins share: the validated settings and the archive path."""

from __future__ import annotations

import copy
import logging
import os
from typing import Any

from papershelf.build_state import build_state
from papershelf.notes.tags import load_aliases
from papershelf.settings import SETTINGS, SettingsError, validate

logger = logging.getLogger(__name__)

SETTINGS_KEY = "PAPERSHELF_VALIDATED"


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


def tag_aliases(settings: dict[str, Any]):
    """The alias file, read once per build (and again only if it changed)."""
    path = plugin_settings(settings)["PAPERSHELF_TAG_ALIASES"]
    stamp = (path, os.stat(path).st_mtime_ns if os.path.exists(path) else None)
    cached = build_state(settings).aliases
    if cached.get("stamp") != stamp:
        cached.update(stamp=stamp, value=load_aliases(path))
    return cached["value"]


__all__ = ["SettingsError", "plugin_settings", "tag_aliases"]
