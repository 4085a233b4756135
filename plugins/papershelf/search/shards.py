"""The search index as static files the browser loads piece by piece.

lunr scores a document field by the dot product of the query vector with the
field's vector, divided by the query vector's magnitude only; so an index
holding just the query's terms (their postings and their entries in the field
vectors) returns the same refs with the same scores as the whole index. The
files:

- ``meta.json``: fields, pipeline labels, the first term of every shard and
  a version (a hash of all the files). Loaded when the search box gets focus.
- ``s/<n>.json``: shard n, a run of consecutive terms (in JavaScript string
  order) with, per term: ``[term, term number, field number, ref deltas,
  weights x 1000, field number, ...]``.
  A term in more than ``impacts.BIG_TERM_REFS`` papers is written as a docset
  and impact-ordered tiers instead (papershelf.search.impacts): tier 0 here,
  later tiers in ``t/<n>-<tier>.json``.
- ``p/<n>.json``: the term positions of shard n, for exact Chinese words and
  quoted phrases (papershelf.search.phrases).
- ``v/<length>.json``: all terms of one length (3 or more), for fuzzy queries
  such as ``attension~1``.
- ``c/<n>.json``: the columns filters, counts and sorts read, per
  ``COLUMN_BLOCK`` refs (papershelf.search.facets).
- ``d/<n>.json``: title, URL, date and tags of the ``DOCS_PER_CHUNK``
  refs from ``n * DOCS_PER_CHUNK``, loaded for the results shown.

A result's snippet is cut from its abstract and note, which the browser reads from
the paper page itself (``pageTexts`` in search-core.js): the index keeps no copy.

The browser asks for every file with ``?v=<version>``, so a new build is never
mixed with cached files of an old one.

Every file but ``meta.json`` is stored gzip-compressed, as ``<name>.gz``
(``stored_file``; ``meta.json`` says so in ``stored``): a static host serves its
files as they are, and the index's JSON of numbers and words is about 40% of
itself compressed, the most bytes of a site of 100,000 papers saved in one place.
The worker unpacks them with the browser's ``DecompressionStream``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from lunr import __TARGET_JS_VERSION__

from papershelf.search import impacts
from papershelf.search.facets import COLUMN_BLOCK, column_files
from papershelf.search.index import TEXT_FIELDS, FastBuilder, SearchDoc
from papershelf.search.phrases import position_file, term_positions

SHARD_TARGET_BYTES = 12_000
# 40 papers a d/ chunk (titles, dates, tags: about 2 KB compressed): a quarter of
# the files of 10 (at 100,000 papers 7,500 fewer, under a static host's file count)
# for a few KB more before the first results.
DOCS_PER_CHUNK = 40
PARALLEL_FROM_TERMS = 20_000
ENCODE_CHUNK = 10_000  # terms encoded (and held) at a time
MIN_FUZZY_CHARS = 4  # shorter words are matched exactly, even with ~
FORMAT = 3
STORED_SUFFIX = ".gz"
# zlib's default level: level 9 saves 0.2% more for twice the time.
GZIP_LEVEL = 6
META = "meta.json"


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def js_order(term: str) -> bytes:
    """Sort key matching JavaScript's string comparison (UTF-16 code units)."""
    return term.encode("utf-16-be")


def js_length(term: str) -> int:
    return len(term.encode("utf-16-le")) // 2


def _entry(term: str, number: int, postings: list, doc_count: int, big, companions) -> tuple:
    """A term's shard entry, and for a big term its later tiers (else None)."""
    if term in big:
        values = companions.values_of(term, postings)
        entry, later = impacts.big_entry(term, number, values, doc_count)
        return entry, later
    return _full_entry(term, number, postings, companions.of(term, postings)), None


def _full_entry(term: str, number: int, postings: list, companions: list | None = None) -> str:
    flat: list = [term, number]
    for field_number, refs, weights in postings:
        deltas = [b - a for a, b in zip([0, *refs], refs, strict=False)]
        flat += [field_number, deltas, [round(weight * 1000) for weight in weights]]
    if companions:
        flat.append(companions)
    return _dumps(flat)


def doc_payload(doc: SearchDoc) -> dict:
    """What a result shows at once. Its passage (the summary, or the words around the
    matched ones) comes from its paper page, which the browser reads next: a summary
    here too would be 13 MB of a 100,000-paper index."""
    return {
        "t": doc.title,
        "u": doc.url,
        "d": doc.date,
        "g": [list(tag) for tag in doc.tags],
    }


# What a forked encoder works on: set in the child by its initializer, never in
# the build's own process (fork hands it over without pickling).
_CHILD_ENCODING: tuple = ()


def _start_encoder(builder, terms, numbers, big) -> None:
    global _CHILD_ENCODING
    _CHILD_ENCODING = (builder, terms, numbers, big)


def _encode_span(builder, terms, numbers, big, span: tuple[int, int]) -> list[tuple]:
    count, companions = builder.document_count, impacts.Companions(builder, big)
    return [
        _entry(term, numbers[term], builder.postings(term), count, big, companions)
        for term in terms[slice(*span)]
    ]


def _encode_in_child(span: tuple[int, int]) -> list[tuple]:
    return _encode_span(*_CHILD_ENCODING, span)


def encoded_entries(builder: FastBuilder, terms: list[str], numbers: dict) -> Iterator[tuple]:
    """Every term's shard entry and big-term extras (``_entry``), in ``terms`` order;
    on both cores for big indexes. They come ``ENCODE_CHUNK`` terms at a time, so
    only a chunk's entries are held while its shards are written."""
    workers = min(2, os.cpu_count() or 1)
    big = impacts.big_terms(builder, terms)
    count = len(terms)
    spans = [(start, min(start + ENCODE_CHUNK, count)) for start in range(0, count, ENCODE_CHUNK)]
    if len(terms) < PARALLEL_FROM_TERMS or workers < 2:
        for span in spans:
            yield from _encode_span(builder, terms, numbers, big, span)
        return
    with ProcessPoolExecutor(
        workers,
        mp_context=get_context("fork"),
        initializer=_start_encoder,
        initargs=(builder, terms, numbers, big),
    ) as pool:
        for entries in pool.map(_encode_in_child, spans):
            yield from entries


def stored_name(name: str) -> str:
    """The file name ``name`` is stored under: ``meta.json`` as it is, else ``.gz``."""
    return name if name == META else name + STORED_SUFFIX


def stored_file(name: str, data: bytes) -> tuple[str, bytes]:
    """The name and bytes a search file is stored under in the site (``meta.json``
    as it is, the rest compressed). The same bytes for the same file, always: no
    time or file name in the gzip header."""
    stored = stored_name(name)
    return stored, data if stored == name else gzip.compress(data, GZIP_LEVEL, mtime=0)


def search_files(builder: FastBuilder, docs: Sequence[SearchDoc]) -> dict[str, bytes]:
    """Every file of the search index, by path under the search directory, as JSON
    (before ``stored_file``)."""
    files: dict[str, bytes] = {}
    write_search_files(builder, docs, files.__setitem__)
    return files


def write_search_files(
    builder: FastBuilder,
    docs: Sequence[SearchDoc],
    put: Callable[[str, bytes], None],
    let_go: bool = False,
) -> list[str]:
    """Hand every file of the search index to ``put(name, data)`` as soon as it is
    made, so no more than a shard's worth is held; ``meta.json`` last, whose
    version hashes every other file. The names. ``let_go``: the builder's term
    lists, which only the positions read, are dropped once those are made (a
    quarter of the stage's memory), so the builder cannot make a whole index after."""
    numbers = builder.term_numbers()
    builder.prepare()
    names: list[str] = []
    digests: dict[str, bytes] = {}

    def emit(name: str, data: bytes) -> None:
        names.append(name)
        digests[name] = hashlib.sha256(data).digest()
        put(name, data)

    positions = term_positions(builder.doc_terms)
    if let_go:
        builder.doc_terms = []
    shards: list[str] = []
    shard_terms: list[list[str]] = []
    pending: list[str] = []
    big: list[tuple[str, list]] = []  # (term, later tiers) of the pending shard's big terms
    big_terms: list[str] = []  # of every shard
    pending_bytes = 0
    first_term = ""
    terms = sorted(numbers, key=js_order)
    for term, (entry, extras) in zip(terms, encoded_entries(builder, terms, numbers), strict=True):
        if not pending:
            first_term = term
            shard_terms.append([])
        shard_terms[-1].append(term)
        pending.append(entry)
        if extras is not None:
            big.append((term, extras))
            big_terms.append(term)
        pending_bytes += len(entry)
        if pending_bytes >= SHARD_TARGET_BYTES:
            for name, data in _shard_files(len(shards), pending, big).items():
                emit(name, data)
            shards.append(first_term)
            pending, big, pending_bytes = [], [], 0
    if pending:
        for name, data in _shard_files(len(shards), pending, big).items():
            emit(name, data)
        shards.append(first_term)
    big_fields = {
        term: [
            (number, refs)
            for number in range(len(TEXT_FIELDS))
            if (refs := builder.refs(number, term))
        ]
        for term in big_terms
    }
    for number, terms_of_shard in enumerate(shard_terms):
        emit(f"p/{number}.json", position_file(positions, terms_of_shard, big_fields))
    del positions, big_fields

    by_length: dict[int, list[str]] = {}
    for term in terms:
        by_length.setdefault(js_length(term), []).append(term)
    for length, terms in sorted(by_length.items()):
        if length >= MIN_FUZZY_CHARS - 1:
            emit(f"v/{length}.json", _dumps(terms).encode("utf-8"))

    for start in range(0, len(docs), DOCS_PER_CHUNK):
        payload = [doc_payload(doc) for doc in docs[start : start + DOCS_PER_CHUNK]]
        emit(f"d/{start // DOCS_PER_CHUNK}.json", _dumps(payload).encode("utf-8"))

    for name, data in column_files(docs):
        emit(name, data)

    meta = {
        "format": FORMAT,
        "lunr": __TARGET_JS_VERSION__,
        "fields": list(builder._fields),
        "textFields": list(TEXT_FIELDS),
        "pipeline": builder.search_pipeline.serialize(),
        "docCount": len(docs),
        "docsPerChunk": DOCS_PER_CHUNK,
        "columnBlock": COLUMN_BLOCK,
        "minFuzzyChars": MIN_FUZZY_CHARS,
        "shards": shards,
        "vocab": sorted(int(name[2:-5]) for name in names if name.startswith("v/")),
        "stored": STORED_SUFFIX,
    }
    version = hashlib.sha256()
    for name in sorted(names):
        version.update(name.encode() + b"\0" + digests[name])
    meta["version"] = version.hexdigest()[:16]
    emit(META, _dumps(meta).encode("utf-8"))
    return names


def _shard(entries: list[str]) -> bytes:
    return ("[" + ",".join(entries) + "]").encode("utf-8")


def _shard_files(number: int, entries: list[str], big: list[tuple[str, list]]) -> dict:
    """``s/<n>.json``, and for its big terms the ``t/`` tiers."""
    files = {f"s/{number}.json": _shard(entries)}
    if big:
        files.update(impacts.tier_files(number, big))
    return files
