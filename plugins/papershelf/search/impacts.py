"""Big terms written for pruned search: a docset and impact-ordered tiers.

For a query of words (exact, prefix, fuzzy) and ``tag:`` filters, lunr's score
of a paper is a sum over the query's terms of the term's weights in the
paper's fields, times a constant per query (the clause count over the query
vector's magnitude): the weights are the field vectors' entries, and every
positive text clause is narrowed to the same fields. So a term's *impact* on a
paper, the sum of its weights over the fields (in thousandths, as the shards
store them: a sum of integers, exact), is all ranking needs from it.

A term in more than ``BIG_TERM_REFS`` papers is therefore written as:

- its papers as a docset (a delta list or a bitmap, whichever is shorter):
  enough for the exact count, and for AND and NOT over every match, with no
  score;
- its (paper, impact) postings ordered as ranking wants them first: papers
  with the term in the title (``search/ranking.py``'s first tier), then by
  impact, then by ref; cut into tiers of ``TIER_SIZES`` (the last one holds
  the rest). Tier 0 is inline in the shard, later ones in
  ``t/<shard>-<tier>.json`` (one file per shard and tier, for all its big
  terms). Each tier records the highest impact still to come among titled and
  untitled postings, the bounds ``search-core.js`` stops on;
- its term positions (``p/<shard>.json``, search/phrases.py) with the papers
  and fields they are about, as this entry has no postings per field.

A term written in full may end with its ``Companions`` (below).
"""

from __future__ import annotations

import base64
import json

BIG_TERM_REFS = 1_000  # terms in more papers than this are written as below
TIER_SIZES = (200, 800, 3_200, 12_800)  # postings per tier; a last tier holds the rest
BIG = -1  # in an entry's third place (a field number otherwise): a big term
FAMILY_CHARS = 3  # search-core.js PREFIX_MIN_CHARS: the shortest word matched as a prefix


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def big_terms(builder, terms) -> frozenset[str]:
    """The terms in more than ``BIG_TERM_REFS`` papers (``builder``: a FastBuilder)."""
    found = []
    for term in terms:
        fields = [builder.refs(number, term) for number in range(len(builder._fields))]
        if sum(map(len, fields)) <= BIG_TERM_REFS:
            continue  # no field lists can hold more papers than their sum
        if len(set().union(*fields)) > BIG_TERM_REFS:
            found.append(term)
    return frozenset(found)


def family(term: str) -> str:
    """Terms a prefix query word can expand to together share their first
    ``FAMILY_CHARS`` characters ("" for a term no prefix word reaches)."""
    if len(term) < FAMILY_CHARS or term.startswith("#"):
        return ""
    return term[:FAMILY_CHARS]


class Companions:
    """For a term written in full, the values (impact x 2 + 1 if titled) of the big
    terms of its family in its papers: ``[[big term, ref deltas, values], ...]``.

    A prefix word (``model`` while typing) expands to a big term and rare ones; the
    rare terms' papers rank high (high idf) and need the big term's impact there,
    which could sit in its last tier. With these, the pruned search knows it at once.
    Terms come in JavaScript order, so a family's terms are consecutive: one family's
    big-term impacts are kept at a time.
    """

    def __init__(self, builder, big: frozenset[str]):
        self.builder = builder
        self.by_family: dict[str, list[str]] = {}
        for term in sorted(big):
            if family(term):
                self.by_family.setdefault(family(term), []).append(term)
        self.key, self.cache = "", {}

    def of(self, term: str, postings: list) -> list:
        key = family(term)
        bigs = self.by_family.get(key) if key else None
        if not bigs:
            return []
        if key != self.key:
            self.key = key
            self.cache = {b: term_values(self.builder.postings(b)) for b in bigs}
        refs = sorted({ref for _, field_refs, _ in postings for ref in field_refs})
        found = []
        for big in bigs:
            values = self.cache[big]
            hits = [ref for ref in refs if ref in values]
            if hits:
                found.append([big, _deltas(hits), [values[ref] for ref in hits]])
        return found

    def values_of(self, term: str, postings: list) -> dict[int, int]:
        """A big term's ``term_values``, from the family kept if it is there."""
        if self.key and family(term) == self.key and term in self.cache:
            return self.cache[term]
        return term_values(postings)


def term_values(postings: list, title_field: int = 0) -> dict[int, int]:
    """ref -> impact in thousandths x 2 + 1 if in the title field."""
    found: dict[int, int] = {}
    get = found.get
    for field_number, refs, weights in postings:
        titled = 1 if field_number == title_field else 0
        for ref, weight in zip(refs, weights, strict=True):
            found[ref] = get(ref, 0) + round(weight * 1000) * 2 + titled
    return found


def _deltas(refs: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *refs], refs, strict=False)]


def docset(refs: list[int], doc_count: int) -> list:
    """``["d", deltas]`` or ``["b", base64 bitmap]`` (bit ref % 8 of byte ref // 8)."""
    deltas = _deltas(refs)
    as_deltas = ["d", deltas]
    bitmap = bytearray((doc_count + 7) // 8)
    for ref in refs:
        bitmap[ref >> 3] |= 1 << (ref & 7)
    as_bitmap = ["b", base64.b64encode(bytes(bitmap)).decode("ascii")]
    return as_bitmap if len(as_bitmap[1]) < len(_dumps(deltas)) else as_deltas


def tiers(values: dict[int, int]) -> tuple[list[list], list[list[int]]]:
    """The tiers ``[titled count, ref deltas, impacts]`` (the titled postings, then
    the others, each by ref, deltas starting from 0 for both) and per tier ``[size, highest
    titled impact from it on, highest untitled impact from it on]`` (-1: none)."""
    # (title, impact, ref) tuples sort natively: titled first, then by impact, then ref.
    keyed = sorted([(-(value & 1), -(value >> 1), ref) for ref, value in values.items()])
    order = [(ref, (-impact, -titled)) for titled, impact, ref in keyed]
    cuts = [0]
    for size in TIER_SIZES:
        if cuts[-1] + size >= len(order):
            break
        cuts.append(cuts[-1] + size)
    cuts.append(len(order))
    first_untitled = next((i for i, (_, (_, t)) in enumerate(order) if not t), len(order))
    result, bounds = [], []
    for start, end in zip(cuts, cuts[1:], strict=False):
        part = order[start:end]
        titled = sum(title for _, (_, title) in part)
        # Order within a tier does not matter to its bound: by ref, to store deltas.
        part = sorted(part[:titled]) + sorted(part[titled:])
        refs = [ref for ref, _ in part]
        deltas = _deltas(refs[:titled]) + _deltas(refs[titled:])
        result.append([titled, deltas, [impact for _, (impact, _) in part]])
        title_bound = order[start][1][0] if start < first_untitled else -1
        untitled_at = max(start, first_untitled)
        other_bound = order[untitled_at][1][0] if untitled_at < len(order) else -1
        bounds.append([end - start, title_bound, other_bound])
    return result, bounds


def big_entry(term: str, number: int, values: dict[int, int], doc_count: int) -> tuple[str, list]:
    """A big term's shard entry ``[term, number, BIG, docset, tier 0, bounds]`` and
    the tiers after the first as JSON (for ``t/`` files); ``values``: its ``term_values``."""
    parts, bounds = tiers(values)
    entry = [term, number, BIG, docset(sorted(values), doc_count), parts[0], bounds]
    return _dumps(entry), [_dumps(part) for part in parts[1:]]


def tier_files(shard: int, big: list[tuple[str, list]]) -> dict[str, bytes]:
    """``t/<shard>-<tier>.json``: term -> that tier, for the shard's big terms."""
    files: dict[str, bytes] = {}
    deepest = max((len(later) for _, later in big), default=0)
    for tier in range(1, deepest + 1):
        payload = [f"{_dumps(term)}:{later[tier - 1]}" for term, later in big if len(later) >= tier]
        files[f"t/{shard}-{tier}.json"] = ("{" + ",".join(payload) + "}").encode("utf-8")
    return files
