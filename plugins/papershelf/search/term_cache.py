"""Index terms per paper, cached by the hash of the paper's text.

The search index and the related papers read the same terms, so a rebuild
re-tokenises only the papers whose text changed; new papers are tokenised on
both cores.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from papershelf.files import write_through
from papershelf.progress import Progress
from papershelf.search.text import terms

TERM_CACHE_FILE = "search-terms.pickle"  # under CACHE_PATH
PARALLEL_FROM = 400  # fewer new papers than this are tokenised in-process
BATCH_PAPERS = 200


def doc_terms(texts: dict[str, str]) -> tuple[tuple[str, ...], ...]:
    """Index terms per text field, in the order of ``texts`` (SearchDoc.texts: TEXT_FIELDS)."""
    return tuple(tuple(sys.intern(t) for t in terms(text)) for text in texts.values())


def _terms_of_batch(payload: str) -> list[tuple[tuple[str, ...], ...]]:
    return [doc_terms(texts) for texts in json.loads(payload)]


class TermCache:
    """Terms per paper text hash, kept in one pickle under the cache path."""

    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, tuple] = {}
        self.changed = False  # terms added since it was read
        if path and path.is_file():
            try:
                # Read from the file, not from its bytes: at 100,000 papers they are
                # 100 MB held beside the terms they make.
                with path.open("rb") as handle:
                    self.entries = pickle.load(handle)
            except Exception:  # a damaged cache is rebuilt, never fatal
                self.entries = {}

    def save(self, keep: set[str]) -> None:
        """Keep the terms of ``keep``'s hashes; written only when they differ from
        the file's (the related papers saved them already for the search index)."""
        if self.path is None or (not self.changed and keep.issuperset(self.entries)):
            return
        kept = {key: value for key, value in self.entries.items() if key in keep}
        write_through(self.path, lambda handle: pickle.dump(kept, handle, pickle.HIGHEST_PROTOCOL))
        self.changed = False


def all_terms(docs, cache: TermCache, log_prefix: str = "") -> list[tuple]:
    """Terms per doc (each with ``text_hash`` and ``texts()``), from the cache or tokenised."""
    hashes = [doc.text_hash for doc in docs]
    missing = sorted(
        {h: doc for h, doc in zip(hashes, docs, strict=True) if h not in cache.entries}.items()
    )
    if missing:
        progress = Progress(f"{log_prefix} tokenising papers".strip(), len(missing), every=2.0)
        batches = [missing[i : i + BATCH_PAPERS] for i in range(0, len(missing), BATCH_PAPERS)]
        workers = min(2, os.cpu_count() or 1)
        if len(missing) >= PARALLEL_FROM and workers > 1:
            # Each batch goes as one ASCII JSON string: pickling the papers' own
            # strings would leave a UTF-8 copy on every non-ASCII one for as long
            # as the paper lives (120 MB at 100,000 papers).
            payloads = (json.dumps([doc.texts() for _, doc in batch]) for batch in batches)
            with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
                results = pool.map(_terms_of_batch, payloads)
                for batch, batch_terms in zip(batches, results, strict=True):
                    _remember(cache, batch, batch_terms, progress)
        else:
            for batch in batches:
                batch_terms = [doc_terms(doc.texts()) for _, doc in batch]
                _remember(cache, batch, batch_terms, progress)
        progress.done()
    cache.save(set(hashes))
    return [cache.entries[h] for h in hashes]


def _remember(cache: TermCache, batch, batch_terms, progress: Progress) -> None:
    for (text_hash, _), doc_field_terms in zip(batch, batch_terms, strict=True):
        cache.entries[text_hash] = tuple(tuple(map(sys.intern, ts)) for ts in doc_field_terms)
        progress.step()
    cache.changed = True
