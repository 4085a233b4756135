"""The scripts every page runs, joined into one file: ``theme/js/site.js``.

The theme keeps them as sources of one concern each (theme/static/js); a page
loads them as one deferred script, not five: five tags were 0.4 KB of each of
100,000 paper pages and as many requests on a first visit. Each source is an
IIFE that reads the settings of the whole site from ``window.papershelfSite``
(the file's first statement, ``site_settings``) and those of the page from
``document.currentScript``, which while the joined file runs is its one tag: the
tag carries the catalog's URL and the site's root (``partials/page_scripts.html``).
i18n.js comes first, since every other script takes its words from it; each of
the others does nothing on a page without the part it serves (cite.js without a
BibTeX entry).
"""

from __future__ import annotations

import json
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


def site_settings(settings: Mapping[str, Any]) -> bytes:
    """The settings the scripts share, the same on every page, as the joined file's
    first statement: ``window.papershelfSite``. Written once here rather than as data
    attributes on each page's tag. Relative to the site's root, which the tag names
    (it differs from page to page)."""
    values = {
        "articleUrl": settings["ARTICLE_URL"],
        "searchIndex": settings["SEARCH_INDEX_DIR"] + "/",
        "searchPage": settings["SEARCH_URL"],
    }
    return b"window.papershelfSite = " + json.dumps(values, sort_keys=True).encode() + b";"


def page_scripts(settings: Mapping[str, Any]) -> tuple[str, bytes]:
    """Where the joined script goes in the output, and its bytes."""
    folder = Path(settings["THEME"]) / "static" / "js"
    sources = [(folder / name).read_bytes() for name in source_names(settings)]
    return SAVE_AS, joined([site_settings(settings), *sources])
