"""The search index: papers in, one lunr.py index out.

Each paper becomes a ``SearchDoc`` (plain text per field); its terms come
from papershelf.search.term_cache, by the hash of its text. lunr.py's Builder
then computes the BM25 field vectors over the whole collection (those depend on
every paper: document frequencies, average field lengths). Refs are positions
in (date, id) order, so new papers get new numbers and old papers keep theirs.
"""

from __future__ import annotations

import hashlib
import json
import math
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cached_property

import numpy as np
from lunr.builder import Builder
from lunr.index import Index
from lunr.token_set import TokenSet
from lunr.vector import Vector

from papershelf.errors import SearchIndexError
from papershelf.search.term_cache import TermCache, all_terms
from papershelf.search.text import MAX_TERM_CHARS, pipeline

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


def ordered(docs: Sequence[SearchDoc]) -> list[SearchDoc]:
    """Docs in ref order: oldest first, so new papers are appended."""
    return sorted(docs, key=lambda doc: (doc.date, doc.key))


def _view(ints: array) -> np.ndarray:
    """A numpy view of an array of C ints, to fill it in place."""
    return np.frombuffer(ints, dtype=np.intc)


class FastBuilder(Builder):
    """lunr.py's Builder for documents given as term lists, fast enough for 100,000 papers.

    Builder.add makes a Token per term and Builder.build inserts every weight
    into a sorted vector one by one: minutes at this size. Here each field's postings
    are three flat arrays of machine ints as they are added (term number, ref, term
    frequency), sorted by term once all are in: a field's refs and frequencies, and
    where each term's run starts (8 bytes a posting; an array per term and field
    took 30 more). The BM25 weights come out per term (lunr.py's expression, in the
    same order and rounded the same way). ``build`` still returns a real lunr.py
    Index (tests, the dump); a test checks it equals lunr.py's own. Refs are 0, 1, 2, ...
    """

    def __init__(self):
        super().__init__()
        self._term_ids: dict[str, int] = {}  # first-seen order, as lunr numbers terms
        self._added: list[tuple[array, array, array] | None] = []  # per field, as added
        self._postings: list[tuple[array, array, array]] = []  # per field: refs, tfs, starts
        self._lengths: list[array] = []
        self.doc_terms: list[tuple] = []  # per ref, terms per text field (phrase positions)

    def field(self, field_name, boost=1, extractor=None):
        super().field(field_name, boost, extractor)
        self._added.append((array("i"), array("i"), array("i")))
        self._lengths.append(array("i"))

    def add_terms(self, ref: int, field_terms: dict[str, Sequence[str]]) -> None:
        if ref != self.document_count or self._postings:
            raise ValueError("refs must be added in order: 0, 1, 2, ..., before any is read")
        self._documents[str(ref)] = {}
        self.document_count += 1
        term_ids = self._term_ids
        for number, field_name in enumerate(self._fields):
            counts = Counter(field_terms[field_name])
            self._lengths[number].append(len(field_terms[field_name]))
            numbers, refs, tfs = self._added[number]
            for term, tf in counts.items():
                term_id = term_ids.get(term)
                if term_id is None:
                    term_ids[term] = term_id = len(term_ids)
                numbers.append(term_id)
                refs.append(ref)
                tfs.append(tf)

    def _seal(self) -> None:
        """Each field's postings sorted by term (stably: refs stay in order)."""
        if self._postings:
            return
        term_count = len(self._term_ids)
        for number, (numbers, refs, tfs) in enumerate(self._added):
            term_of = np.frombuffer(numbers, dtype=np.intc)
            order = np.argsort(term_of, kind="stable")
            starts = array("i", bytes(4 * (term_count + 1)))
            np.cumsum(np.bincount(term_of, minlength=term_count), out=_view(starts)[1:])
            sorted_refs, sorted_tfs = (
                array("i", bytes(len(refs) * 4)),
                array("i", bytes(len(tfs) * 4)),
            )
            np.take(np.frombuffer(refs, dtype=np.intc), order, out=_view(sorted_refs))
            np.take(np.frombuffer(tfs, dtype=np.intc), order, out=_view(sorted_tfs))
            del term_of, order
            self._added[number] = None  # let each field's unsorted arrays go in turn
            self._postings.append((sorted_refs, sorted_tfs, starts))

    def term_numbers(self) -> dict[str, int]:
        return dict(self._term_ids)

    def refs(self, number: int, term: str) -> array:
        """The refs of papers whose field ``number`` holds ``term`` (empty if none)."""
        self._seal()
        term_id = self._term_ids.get(term)
        if term_id is None:
            return array("i")
        refs, _, starts = self._postings[number]
        return refs[starts[term_id] : starts[term_id + 1]]

    def prepare(self) -> None:
        """Corpus statistics the weights need: idf per term, length norm per field."""
        self._seal()
        n, k1, b = self.document_count, self._k1, self._b
        having = sum(
            np.diff(np.frombuffer(starts, dtype=np.intc)) for _, _, starts in self._postings
        )
        # lunr.idf.idf, from the counts of (field, paper) pairs instead of a posting.
        self._idf = array(
            "d", [math.log(1 + abs((n - count + 0.5) / (count + 0.5))) for count in having.tolist()]
        )
        self._norms = []
        for lengths in self._lengths:
            average = sum(lengths) / n if n else 0
            self._norms.append(
                array(
                    "d",
                    [
                        k1 * (1 - b + b * (length / average)) if length else 0.0
                        for length in lengths
                    ],
                )
            )

    def postings(self, term: str) -> list[tuple[int, array, list[float]]]:
        """``(field number, refs, weights)`` of a term, fields in order (after ``prepare``)."""
        term_id = self._term_ids[term]
        idf, k1_plus_1 = self._idf[term_id], self._k1 + 1
        result = []
        for number, field in enumerate(self._fields.values()):
            all_refs, all_tfs, starts = self._postings[number]
            start, end = starts[term_id], starts[term_id + 1]
            if start == end:
                continue
            refs, tfs = all_refs[start:end], all_tfs[start:end]
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
        for number, field_name in enumerate(builder._fields):
            refs = builder.refs(number, term)
            if not refs:
                continue
            doc = docs[refs[0]]
            raise SearchIndexError(
                f"the {field_name} gives the search term {term[:40]!r}, longer than "
                f"{MAX_TERM_CHARS} characters: text in a script the search does not split "
                "into words (papershelf/search/text.py)",
                where=doc.source or doc.key,
                fix="put spaces between its words or leave it out",
            )
