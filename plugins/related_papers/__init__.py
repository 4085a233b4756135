"""related_papers: up to five related papers on each paper page.

Papers are compared by TF-IDF cosine over the terms of their title, tags, summary
and page text (papershelf.search.related: near-linear, deterministic). The terms are the
search index's, read from the same cache, so a paper is tokenised once per change.
The lists are cached under the hash of every paper's text; a paper whose list
changes gets a new render key, so its cached page is rendered again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path

from pelican import signals

from papershelf.build_state import build_state
from papershelf.config import plugin_settings
from papershelf.files import replace_file
from papershelf.notes.tags import tag_aliases
from papershelf.search.documents import search_doc
from papershelf.search.index import TEXT_FIELDS, ordered
from papershelf.search.related import related
from papershelf.search.term_cache import TERM_CACHE_FILE, TermCache, all_terms
from papershelf.site.fingerprint import code_digest

logger = logging.getLogger(__name__)
LOG_PREFIX = "[related_papers]"
CACHE_FILE = "related-papers.json"
COMPARED_FIELDS = ("title", "tags", "summary", "body")


def check_settings(pelican) -> None:
    plugin_settings(pelican.settings)  # RELATED_PAPERS_LIMIT: papershelf.settings


class _ComparedTerms(Sequence):
    """Each paper's terms of the compared fields, joined when read: one paper's
    list at a time instead of a second copy of every paper's terms."""

    def __init__(self, field_terms: list[tuple], positions: list[int]):
        self.field_terms, self.positions = field_terms, positions

    def __len__(self) -> int:
        return len(self.field_terms)

    def __getitem__(self, number: int) -> list[str]:
        fields = self.field_terms[number]
        return [term for position in self.positions for term in fields[position]]


def related_lists(docs, cache_dir: Path, limit: int) -> dict[str, list[str]]:
    code = code_digest(["papershelf.search.related"])
    key = hashlib.sha256(
        json.dumps([code, limit, [(d.key, d.text_hash) for d in docs]]).encode()
    ).hexdigest()
    cache_path = cache_dir / CACHE_FILE
    try:
        cached = json.loads(cache_path.read_text(encoding="utf-8"))
        if cached.get("key") == key:
            return cached["related"]
    except (OSError, ValueError):
        pass
    positions = [TEXT_FIELDS.index(name) for name in COMPARED_FIELDS]
    started = time.perf_counter()
    field_terms = all_terms(docs, TermCache(cache_dir / TERM_CACHE_FILE), LOG_PREFIX)
    # The search index finds these terms cached; benchmarks count their time for it.
    terms_seconds = round(time.perf_counter() - started, 3)
    lists = related([doc.key for doc in docs], _ComparedTerms(field_terms, positions), limit)
    del field_terms
    cache_dir.mkdir(parents=True, exist_ok=True)
    record = {
        "key": key,
        "terms_seconds": terms_seconds,
        "related_seconds": round(time.perf_counter() - started - terms_seconds, 3),
        "related": lists,
    }
    replace_file(cache_path, json.dumps(record).encode())
    return lists


def add_related(generator) -> None:
    with build_state(generator.settings).clock.stage("related"):
        _add_related(generator)


def _add_related(generator) -> None:
    settings = generator.settings
    options = plugin_settings(settings)
    limit = options["RELATED_PAPERS_LIMIT"]
    articles = list(generator.articles)
    if not limit or not articles:
        return
    aliases = tag_aliases(settings)
    # Only the texts are compared: no snippets or facets, which only the index reads.
    docs = ordered(search_doc(article, aliases, for_index=False) for article in articles)
    cache_dir = Path(settings.get("CACHE_PATH") or "cache")
    lists = related_lists(docs, cache_dir, limit)
    by_slug = {article.slug: article for article in articles}
    # A page shows its related papers' titles and dates: their records are part of its key.
    own_keys = {article.slug: getattr(article, "render_key", None) for article in articles}
    for article in articles:
        slugs = lists.get(article.slug, [])
        article.related = [by_slug[slug] for slug in slugs]
        if own_keys[article.slug]:
            # Cards in listings show no related papers: they keep the record's own key,
            # so a day's papers that change related lists do not render every listing.
            article.card_key = own_keys[article.slug]
            parts = [own_keys[article.slug], *(f"{s}={own_keys[s]}" for s in slugs)]
            article.render_key = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()
    logger.info("%s related papers for %d papers", LOG_PREFIX, len(articles))


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_finalized.connect(add_related)
