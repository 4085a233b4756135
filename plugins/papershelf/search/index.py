"""The search index: papers in, one lunr.py index out.

Each paper becomes a ``SearchDoc`` (plain text per field); its terms
(papershelf.search.text) are cached by the hash of its text, so a rebuild
re-tokenises only the papers that changed, and new papers are tokenised on
both cores. lunr.py's Builder then computes the BM25 field vectors over the
whole collection (those depend on every paper: document frequencies, average
field lengths). Refs are positions in (date, id) order, so new papers get new
numbers and old papers keep theirs.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import pickle
import sys
from array import array
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cached_property
from multiprocessing import get_context
from pathlib import Path

from lunr.builder import Builder
from lunr.index import Index
from lunr.token_set import TokenSet
from lunr.vector import Vector

from papershelf.errors import SearchIndexError
from papershelf.files import write_through
from papershelf.progress import Progress
from papershelf.search.text import MAX_TERM_CHARS, pipeline, terms

# (field, build-time boost). "tag" holds one hashed term per tag name and alias,
# for tag: filters; every other field is matched by plain query words.
FIELDS = (
    ("title", 10),
    ("tags", 5),
    ("id", 8),
    ("authors", 3),
    ("summary", 2),
    ("body", 1),
    ("topic", 2),
    ("categories", 2),
    ("tag", 1),
)
TEXT_FIELDS = tuple(name for name, _ in FIELDS if name != "tag")
BODY_MAX_CHARS = 20_000  # a huge note is indexed by its beginning
TERM_CACHE_FILE = "search-terms.pickle"  # under CACHE_PATH; shared with related papers
PARALLEL_FROM = 400  # fewer new papers than this are tokenised in-process
# Bump when the terms of a text change (tokenizer, pipeline), to drop cached terms.
TERMS_VERSION = "1"


@dataclass(frozen=True)
class SearchDoc:
    key: str  # the paper's id (arXiv id or local id)
    date: str  # YYYY-MM-DD
    url: str
    title: str
    summary: str = ""
    body: str = ""
    authors: Sequence[str] = ()
    categories: str = ""  # codes and readable names
    topic: str = ""
    tags: Sequence[tuple[str, str]] = ()  # (display name, slug)
    tag_text: str = ""  # tag names and their aliases
    tag_terms: Sequence[str] = ()  # papershelf.search.text.tag_term of names, slugs, aliases
    names: Sequence[str] = ()  # a note's aliases: other names of the paper, searched as its title
    source: str = dataclass_field(default="", compare=False)  # file it came from, for errors
    facets: object = dataclass_field(default=None, compare=False)  # search.facets.DocFacets

    def texts(self) -> dict[str, str]:
        return {
            "title": "\n".join([self.title, *self.names]),
            "tags": self.tag_text,
            "id": self.key,
            "authors": "; ".join(self.authors),
            "summary": self.summary,
            "body": self.body[:BODY_MAX_CHARS],
            "topic": self.topic,
            "categories": self.categories,
        }

    @cached_property
    def text_hash(self) -> str:
        payload = json.dumps([TERMS_VERSION, self.texts()], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()


def doc_terms(texts: dict[str, str]) -> tuple[tuple[str, ...], ...]:
    """Index terms per text field, in TEXT_FIELDS order."""
    return tuple(tuple(sys.intern(t) for t in terms(texts[name])) for name in TEXT_FIELDS)


def _terms_of_batch(batch: list[dict[str, str]]) -> list[tuple[tuple[str, ...], ...]]:
    return [doc_terms(texts) for texts in batch]


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


def all_terms(docs: Sequence[SearchDoc], cache: TermCache, log_prefix: str = "") -> list[tuple]:
    hashes = [doc.text_hash for doc in docs]
    missing = sorted(
        {h: doc for h, doc in zip(hashes, docs, strict=True) if h not in cache.entries}.items()
    )
    if missing:
        progress = Progress(f"{log_prefix} tokenising papers".strip(), len(missing), every=2.0)
        batches = [missing[i : i + 200] for i in range(0, len(missing), 200)]
        texts = [[doc.texts() for _, doc in batch] for batch in batches]
        workers = min(2, os.cpu_count() or 1)
        if len(missing) >= PARALLEL_FROM and workers > 1:
            with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
                results = pool.map(_terms_of_batch, texts)
                for batch, batch_terms in zip(batches, results, strict=True):
                    _remember(cache, batch, batch_terms, progress)
        else:
            for batch, batch_texts in zip(batches, texts, strict=True):
                _remember(cache, batch, _terms_of_batch(batch_texts), progress)
        progress.done()
    cache.save(set(hashes))
    return [cache.entries[h] for h in hashes]


def _remember(cache: TermCache, batch, batch_terms, progress: Progress) -> None:
    for (text_hash, _), doc_field_terms in zip(batch, batch_terms, strict=True):
        cache.entries[text_hash] = tuple(tuple(map(sys.intern, ts)) for ts in doc_field_terms)
        progress.step()
    cache.changed = True


def ordered(docs: Sequence[SearchDoc]) -> list[SearchDoc]:
    """Docs in ref order: oldest first, so new papers are appended."""
    return sorted(docs, key=lambda doc: (doc.date, doc.key))


class FastBuilder(Builder):
    """lunr.py's Builder for documents given as term lists, fast enough for 10,000 papers.

    Builder.add makes a Token per term and Builder.build inserts every weight
    into a sorted vector one by one: minutes at this size. Here postings are kept per
    field as parallel arrays of machine ints (refs, term frequencies: 8 bytes a posting,
    lists of ints take 44) and the BM25 weights come out per term (lunr.py's expression,
    in the same order and rounded the same way). ``build`` still returns a real lunr.py
    Index (tests, the dump); a test checks it equals lunr.py's own. Refs are 0, 1, 2, ...
    """

    def __init__(self):
        super().__init__()
        self._term_order: dict[str, int] = {}  # first-seen order, as lunr numbers terms
        self._field_refs_with: Counter = Counter()  # term -> (field, doc) pairs having it
        self._postings: list[dict[str, tuple[array, array]]] = []
        self._lengths: list[list[int]] = []
        self.doc_terms: list[tuple] = []  # per ref, terms per text field (phrase positions)

    def field(self, field_name, boost=1, extractor=None):
        super().field(field_name, boost, extractor)
        self._postings.append({})
        self._lengths.append([])

    def add_terms(self, ref: int, field_terms: dict[str, Sequence[str]]) -> None:
        if ref != self.document_count:
            raise ValueError("refs must be added in order: 0, 1, 2, ...")
        self._documents[str(ref)] = {}
        self.document_count += 1
        for number, field_name in enumerate(self._fields):
            counts = Counter(field_terms[field_name])
            self._lengths[number].append(len(field_terms[field_name]))
            self._term_order.update(counts)
            self._field_refs_with.update(counts.keys())
            postings = self._postings[number]
            for term, tf in counts.items():
                entry = postings.get(term)
                if entry is None:
                    postings[term] = entry = (array("i"), array("i"))
                entry[0].append(ref)
                entry[1].append(tf)

    def term_numbers(self) -> dict[str, int]:
        return {term: index for index, term in enumerate(self._term_order)}

    def prepare(self) -> None:
        """Corpus statistics the weights need: idf per term, length norm per field."""
        n, k1, b = self.document_count, self._k1, self._b
        # lunr.idf.idf, from the counts instead of a posting.
        self._idf = {
            term: math.log(1 + abs((n - count + 0.5) / (count + 0.5)))
            for term, count in self._field_refs_with.items()
        }
        self._norms = []
        for lengths in self._lengths:
            average = sum(lengths) / n if n else 0
            self._norms.append(
                [k1 * (1 - b + b * (length / average)) if length else 0.0 for length in lengths]
            )

    def postings(self, term: str) -> list[tuple[int, list[int], list[float]]]:
        """``(field number, refs, weights)`` of a term, fields in order (after ``prepare``)."""
        idf, k1_plus_1 = self._idf[term], self._k1 + 1
        result = []
        for number, field in enumerate(self._fields.values()):
            entry = self._postings[number].get(term)
            if entry is None:
                continue
            refs, tfs = entry
            norms, boost = self._norms[number], field.boost
            # lunr.py: (idf * ((k1 + 1) * tf)) / (norm + tf), * field boost, * doc boost 1.
            weights = [
                round(idf * (k1_plus_1 * tf) / (norms[ref] + tf) * boost, 3)
                for ref, tf in zip(refs, tfs, strict=True)
            ]
            result.append((number, refs, weights))
        return result

    def build(self):
        """The lunr.py Index (slow at 10,000 papers: for tests and dumps)."""
        self.prepare()
        names = list(self._fields)
        index_of = self.term_numbers()
        inverted = {}
        elements: dict[str, list] = {
            f"{name}/{ref}": [] for ref in self._documents for name in names
        }
        for term, term_index in index_of.items():
            posting = {name: {} for name in names}
            for number, refs, weights in self.postings(term):
                for ref, weight in zip(refs, weights, strict=True):
                    posting[names[number]][str(ref)] = {}
                    elements[f"{names[number]}/{ref}"].append((term_index, weight))
            posting["_index"] = term_index
            inverted[term] = posting
        vectors = {
            key: Vector([value for pair in sorted(pairs) for value in pair])
            for key, pairs in elements.items()
        }
        return Index(
            inverted_index=inverted,
            field_vectors=vectors,
            token_set=TokenSet.from_list(sorted(inverted)),
            fields=names,
            pipeline=self.search_pipeline,
        )


def build_index(docs: Sequence[SearchDoc], cache: TermCache, log_prefix: str = "") -> FastBuilder:
    """The builder holding ``docs`` (already in ref order), ready for shards or ``build()``."""
    builder = FastBuilder()
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    builder.search_pipeline = pipeline()
    builder.doc_terms = all_terms(docs, cache, log_prefix)
    for ref, (doc, field_terms) in enumerate(zip(docs, builder.doc_terms, strict=True)):
        record = dict(zip(TEXT_FIELDS, field_terms, strict=True))
        record["tag"] = tuple(doc.tag_terms)
        builder.add_terms(ref, record)
    _check_term_lengths(builder.term_numbers(), builder, docs)
    return builder


def _check_term_lengths(index_of: dict, builder: FastBuilder, docs) -> None:
    long_terms = {term for term in index_of if len(term) > MAX_TERM_CHARS}
    if not long_terms:
        return
    for term in sorted(long_terms):
        for field_name, postings in zip(builder._fields, builder._postings, strict=True):
            if term not in postings:
                continue
            doc = docs[postings[term][0][0]]
            raise SearchIndexError(
                f"the {field_name} gives the search term {term[:40]!r}, longer than "
                f"{MAX_TERM_CHARS} characters: text in a script the search does not split "
                "into words (papershelf/search_text.py)",
                where=doc.source or doc.key,
                fix="put spaces between its words or leave it out",
            )
