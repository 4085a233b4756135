"""The search documents of a build's papers, made once per build.

related_papers and search_index both need every paper as a search document and
the term cache behind them; the build state holds one copy of each, so the
documents are built and the cache is read once per build, not once per plugin.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from papershelf.build_state import build_state
from papershelf.notes.tags import tag_aliases
from papershelf.search.documents import search_doc
from papershelf.search.index import TERM_CACHE_FILE, SearchDoc, TermCache, ordered


def paper_documents(settings: dict, articles: Sequence) -> list[SearchDoc]:
    """The documents of ``articles``, in index order (made again only for other articles)."""
    state = build_state(settings)
    identity = tuple(map(id, articles))
    if state.search_documents is None or state.search_documents[0] != identity:
        aliases = tag_aliases(settings)
        state.search_documents = (identity, ordered(search_doc(a, aliases) for a in articles))
    return state.search_documents[1]


def term_cache(settings: dict) -> TermCache:
    """The build's term cache (terms per paper text), read from CACHE_PATH once."""
    state = build_state(settings)
    if state.term_cache is None:
        cache_dir = Path(settings.get("CACHE_PATH") or "cache")
        state.term_cache = TermCache(cache_dir / TERM_CACHE_FILE)
    return state.term_cache
