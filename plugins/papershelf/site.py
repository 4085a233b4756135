"""What the Pelican plugins share: the validated settings and the archive path."""

from __future__ import annotations

import logging
import os
from typing import Any

from .settings import SettingsError, validate

logger = logging.getLogger(__name__)

SETTINGS_KEY = "PAPERSHELF_VALIDATED"


def plugin_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The papershelf settings, validated once per build and cached in ``settings``.

    A bad setting raises SettingsError naming the key, which stops the build.
    """
    cached = settings.get(SETTINGS_KEY)
    if cached is None:
        cached = validate(settings)
        archive = cached["ARXIV_ARCHIVE_PATH"]
        if not os.path.isabs(archive):
            # Relative to the project root: the folder that holds the content.
            root = os.path.dirname(os.path.abspath(settings.get("PATH", ".")))
            cached["ARXIV_ARCHIVE_PATH"] = os.path.join(root, archive)
        settings[SETTINGS_KEY] = cached
    return cached


__all__ = ["SettingsError", "plugin_settings"]
