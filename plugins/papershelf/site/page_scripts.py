"""The scripts every page runs, joined into one file: ``theme/js/site.js``.

The theme keeps them as sources of one concern each (theme/static/js); a page
loads them as one deferred script, not five: five tags were 0.4 KB of each of
100,000 paper pages and as many requests on a first visit. Each source is an
IIFE that reads its settings from ``document.currentScript``, which while the
joined file runs is its one tag: the tag carries every source's data
attributes (``partials/page_scripts.html``). i18n.js comes first, since every
other script takes its words from it; each of the others does nothing on a
page without the part it serves (cite.js without a BibTeX entry).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

SAVE_AS = "theme/js/site.js"
SOURCES = ("i18n.js", "theme.js", "saved.js", "search-ui.js", "cite.js")
# The reading list's script runs only where the reading list is on.
READING_LIST_SOURCE = "saved.js"


def source_names(settings: Mapping[str, Any]) -> list[str]:
    """The sources joined, in order, for a site with these settings."""
    return [
        name for name in SOURCES if name != READING_LIST_SOURCE or settings.get("SAVED_SAVE_AS")
    ]


def joined(sources: list[bytes]) -> bytes:
    """One script of ``sources``, each ended by a semicolon of its own, so none can
    continue the statement of the one before (also the search worker's bundle)."""
    return b"".join(source.rstrip() + b"\n;\n" for source in sources)


def page_scripts(settings: Mapping[str, Any]) -> tuple[str, bytes]:
    """Where the joined script goes in the output, and its bytes."""
    folder = Path(settings["THEME"]) / "static" / "js"
    return SAVE_AS, joined([(folder / name).read_bytes() for name in source_names(settings)])
