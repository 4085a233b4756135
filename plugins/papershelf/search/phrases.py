"""Exact Chinese words and quoted phrases: a check after lunr has matched.

lunr matches a query's terms anywhere in a document, so ``奖励模型`` (bigrams
``奖励``, ``励模``, ``模型``) would find a paper with ``奖励`` and ``模型`` apart
and ``励模`` elsewhere. A *phrase* is a run of terms that must stand adjacent
and in order within one field: the bigrams of a Chinese word of three or more
characters, or the terms of a quoted phrase (``"speculative decoding"``). A
lunr match is kept only if, for every phrase, some text field has its first
term at a position p, the second at p + 1, and so on.

Positions count a field's index terms (after stop words and bigrams), so
``"mixture of experts"`` is ``mixtur expert`` both in the query and in the
text. Scores are lunr's, untouched: the check only removes matches, and every
page holding the string keeps its match (recall is as before).

The positions live in ``p/<n>.json`` beside shard ``s/<n>.json``, one flat list
per shard term in the shard's order: for each (field, ref) pair of the term's
postings, in the shard's order and text fields only, the number of positions
and then the positions as deltas (none, count 0, for a summary that its body
repeats).
A big term (search/impacts.py) lists its (field, refs) itself, as its shard
entry holds no postings per field.
The browser loads them only for a query with a phrase, and only the shards of
the phrase's terms. The whole lunr.py index (tests, ``SEARCH_DUMP_INDEX``)
carries the same positions as posting metadata ``term_positions``.
``theme/static/js/search-core.js`` checks phrases by the same rule.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import accumulate

from papershelf.search.index import TEXT_FIELDS

METADATA_KEY = "term_positions"

# term -> flat ints: for each (field, ref) of its postings, by field then ref (the
# shards' order), the count of positions and then their deltas. An int array: lists
# per pair would take ten times the postings' memory.
Positions = dict[str, array]


SUMMARY, BODY = TEXT_FIELDS.index("summary"), TEXT_FIELDS.index("body")


def within(run: Sequence[str], terms: Sequence[str]) -> bool:
    """Whether ``run`` stands in ``terms`` as a contiguous piece."""
    run, terms = tuple(run), tuple(terms)
    if not run:
        return True
    at = -1
    while True:
        try:
            at = terms.index(run[0], at + 1)  # a scan in C, not a loop per term
        except ValueError:
            return False
        if terms[at : at + len(run)] == run:
            return True


def term_positions(doc_terms: Sequence[Sequence[Sequence[str]]]) -> Positions:
    """Where each term stands in each text field of each doc (refs 0, 1, 2, ...).

    A summary that is a piece of its body (an abstract's first sentences, most feed
    papers') gets no positions of its own, its count 0: any phrase in it stands in
    the body too, which the check reads anyway (a tenth of the positions' bytes)."""
    positions: Positions = {}
    for number in range(len(TEXT_FIELDS)):
        for fields in doc_terms:
            # Grouped per field first: one append per term and doc, not per occurrence.
            local = defaultdict(list)
            for position, term in enumerate(fields[number]):
                local[term].append(position)
            repeated = number == SUMMARY and within(fields[SUMMARY], fields[BODY])
            for term, where in local.items():
                entry = positions.get(term)
                if entry is None:
                    positions[term] = entry = array("i")
                if repeated:
                    entry.append(0)
                elif len(where) == 1:
                    entry.extend((1, where[0]))
                else:
                    entry.append(len(where))
                    entry.extend([b - a for a, b in zip([0, *where], where, strict=False)])
    return positions


def position_file(
    positions: Positions, terms: Sequence[str], big_fields: dict | None = None
) -> bytes:
    """``p/<n>.json`` of the shard holding ``terms``: one flat list per term. A big
    term's shard entry has no per-field postings to follow (search/impacts.py), so
    its list says which papers it is about: ``[[field number, ref deltas, flat], ...]``,
    ``big_fields`` giving per big term its ``(text field number, refs)``."""
    big_fields = big_fields or {}
    entries = []
    for term in terms:
        flat = positions.get(term, ())
        if term in big_fields:
            entries.append(_self_described(flat, big_fields[term]))
        else:
            entries.append("[" + ",".join(map(str, flat)) + "]")
    return ("[" + ",".join(entries) + "]").encode("utf-8")


def _self_described(flat, fields: Sequence[tuple[int, Sequence[int]]]) -> str:
    parts, at = [], 0
    for number, refs in fields:
        start = at
        for _ in refs:
            at += 1 + flat[at]
        deltas = [b - a for a, b in zip([0, *refs], refs, strict=False)]
        segment = ",".join(map(str, flat[start:at]))
        parts.append(f"[{number},[{','.join(map(str, deltas))}],[{segment}]]")
    return "[" + ",".join(parts) + "]"


def add_to_index(index, positions: Positions, builder) -> None:
    """Put the positions into a whole lunr.py Index as posting metadata."""
    for term, flat in positions.items():
        posting = index.inverted_index[term]
        at = 0
        for number, field in enumerate(TEXT_FIELDS):
            for ref in builder.refs(number, term):
                count = flat[at]
                where = list(accumulate(flat[at + 1 : at + 1 + count]))
                posting[field][str(ref)] = {METADATA_KEY: where}
                at += 1 + count


def whole_index(builder):
    """``builder.build()`` with term positions (for tests and the index dump)."""
    index = builder.build()
    add_to_index(index, term_positions(builder.doc_terms), builder)
    return index


# (term, field name, ref) -> positions or None
PositionsOf = Callable[[str, str, int], Sequence[int] | None]


def has_phrase(phrase: Sequence[str], ref: int, positions_of: PositionsOf) -> bool:
    """Whether some text field of ``ref`` holds ``phrase``'s terms adjacent, in order."""
    for field in TEXT_FIELDS:
        first = positions_of(phrase[0], field, ref)
        if not first:
            continue
        later = [set(positions_of(term, field, ref) or ()) for term in phrase[1:]]
        for start in first:
            if all(start + offset in where for offset, where in enumerate(later, 1)):
                return True
    return False


def index_positions(index) -> PositionsOf:
    """Positions read from a whole lunr.py Index made by ``whole_index``."""

    def positions_of(term: str, field: str, ref: int):
        posting = index.inverted_index.get(term, {}).get(field, {})
        return posting.get(str(ref), {}).get(METADATA_KEY)

    return positions_of
