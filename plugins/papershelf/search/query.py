"""Search queries: the syntax readers type, as lunr query clauses.

``theme/static/js/search-core.js`` parses queries by the same rules (a test
compares the clauses of both on a query set), so lunr.py over the whole index
and lunr.js over the shards run the same query.

- Every word is required (all bigrams of a Chinese word are); ``-word``
  excludes; ``+word`` is the same as ``word``.
- ``tag:moe``, ``tag:"mixture of experts"``, ``tag:混合专家``: papers with that
  tag, under any spelling or alias.
- ``"speculative decoding"``: the words adjacent and in order, and a Chinese
  word of three or more characters only where it stands contiguously
  (papershelf.search.phrases checks lunr's matches).
- ``quant*``: words starting with ``quant``. ``attension~1``: words within one
  edit of it (``~2``: two) if at least ``MIN_FUZZY_CHARS`` long.
- While typing, the last word (Latin, three characters or more, no operator)
  also matches as a prefix; a space after it makes it exact.
- ``cat:cs.CL``, ``year:2025``, ``after:2025-10-01`` (that day or later),
  ``before:2025-10`` (earlier), ``source:note`` (``feed``, ``import``),
  ``rating:>=4`` (``>``, ``<=``, ``<``, ``=``; ``rating:4`` is exactly 4),
  ``has:note``, ``has:rating``; ``-`` before any of them excludes. They are read
  from the column files (papershelf.search.facets) of the matched refs; a word
  with one of these keys and a value it does not take is ignored. Without other
  words, every paper passing them matches, newest first.
- Sorts: ``relevance`` (score), ``newest``, ``score`` (the feed's keyword
  score), ``rating``; ties keep the relevance order.
- Results are ordered by papershelf.search.ranking: papers whose title holds
  every word first, then by score, then by ref; scores are compared rounded to
  1e-9 so that float rounding differences between Python and JavaScript in
  summing fields never reorder ties.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from lunr.query import Query, QueryPresence

from papershelf.search.facets import SOURCE_BITS, Record
from papershelf.search.index import TEXT_FIELDS
from papershelf.search.phrases import has_phrase, index_positions
from papershelf.search.ranking import ranked
from papershelf.search.shards import MIN_FUZZY_CHARS, js_length
from papershelf.search.text import WHITESPACE, is_cjk, pipeline, tag_term, tokenize

MAX_CLAUSES = 16
PREFIX_MIN_CHARS = 3
_WORD = re.compile(f'[+-]?[Tt][Aa][Gg]:"[^"]*"?|[+-]?"[^"]*"?|[^{WHITESPACE}]+')
_FUZZY = re.compile(r"^(.*)~([12])\Z", re.S)
_PIPELINE = pipeline()


@dataclass(frozen=True)
class Clause:
    term: str
    fields: tuple[str, ...]
    presence: str = "required"  # or "prohibited"
    wildcard: bool = False  # trailing
    edit_distance: int = 0

    def as_dict(self) -> dict:
        data = asdict(self)
        data["fields"] = list(self.fields)
        return data


def _processed(text: str) -> list[tuple[str, bool]]:
    """(term, came from a Latin word) for the words of ``text``."""
    result = []
    for run in tokenize(text):
        latin = not is_cjk(run)
        result += [(str(token), latin) for token in _PIPELINE.run_string(run)]
    return result


def parse(query: str) -> list[Clause]:
    words = _WORD.findall(query)
    typing = bool(words) and not re.search(f"[{WHITESPACE}]\\Z", query)
    clauses: list[Clause] = []
    for position, word in enumerate(words):
        presence = "prohibited" if word.startswith("-") else "required"
        operator = word[:1] in "+-"
        body = word[1:] if operator else word
        if body.lower().startswith("tag:"):
            name = body[4:].strip('"')
            if re.search(f"[^{WHITESPACE}]", name):  # JavaScript's trim(), not str.strip()
                clauses.append(Clause(tag_term(name), ("tag",), presence))
            continue
        if body.endswith("*"):
            runs = tokenize(body.rstrip("*"))
            if len(runs) == 1 and not is_cjk(runs[0]):
                clauses.append(Clause(runs[0], TEXT_FIELDS, presence, wildcard=True))
                continue
        if fuzzy := _FUZZY.match(body):
            for term, latin in _processed(fuzzy[1]):
                distance = int(fuzzy[2]) if latin and js_length(term) >= MIN_FUZZY_CHARS else 0
                clauses.append(Clause(term, TEXT_FIELDS, presence, edit_distance=distance))
            continue
        terms = _processed(body)
        quoted = body.startswith('"')  # a phrase is exact, even while typing
        last_word = typing and position == len(words) - 1 and not operator and not quoted
        for number, (term, latin) in enumerate(terms):
            prefix = (
                last_word
                and number == len(terms) - 1
                and latin
                and js_length(term) >= PREFIX_MIN_CHARS
            )
            clauses.append(Clause(term, TEXT_FIELDS, presence, wildcard=prefix))
    unique = list(dict.fromkeys(clauses))[:MAX_CLAUSES]
    return unique if any(c.presence == "required" for c in unique) else []


def phrases(query: str) -> list[tuple[str, ...]]:
    """Term runs a match must hold adjacent and in order in one field: the terms of a
    quoted phrase, the bigrams of a Chinese word of 3+ characters. Required words only,
    and only runs whose terms are all exact required clauses (not cut by MAX_CLAUSES)."""
    exact = {
        c.term
        for c in parse(query)
        if c.presence == "required" and not c.wildcard and not c.edit_distance
    }
    found = []
    for word in _WORD.findall(query):
        body = word[1:] if word[:1] == "+" else word
        if body.startswith('"'):
            runs = [body.strip('"')]
        elif body[:1] == "-" or body.lower().startswith("tag:") or _FUZZY.match(body):
            continue
        else:
            runs = [run for run in tokenize(body.rstrip("*")) if is_cjk(run)]
        for run in runs:
            terms = tuple(term for term, _ in _processed(run))
            if len(terms) >= 2 and set(terms) <= exact:
                found.append(terms)
    return list(dict.fromkeys(found))


def lunr_query(index, clauses: list[Clause]) -> Query:
    query = index.create_query()
    for clause in clauses:
        query.clause(
            term=clause.term,
            fields=list(clause.fields),
            use_pipeline=False,
            wildcard=Query.WILDCARD_TRAILING if clause.wildcard else Query.WILDCARD_NONE,
            edit_distance=clause.edit_distance,
            presence=QueryPresence.REQUIRED
            if clause.presence == "required"
            else QueryPresence.PROHIBITED,
        )
    return query


def search(index, query: str) -> list[tuple[int, float]]:
    """``(ref, score)`` of the matches of ``query`` in a lunr.py Index, best first."""
    clauses = parse(query)
    if not clauses:
        return []
    results = index.query(lunr_query(index, clauses))
    if runs := phrases(query):
        positions_of = index_positions(index)
        results = [
            r for r in results if all(has_phrase(run, int(r["ref"]), positions_of) for run in runs)
        ]
    return ranked(index, clauses, results)


# ---- filters and sorting (search-core.js: splitFilters, passes, sortedResults) ----

SORTS = ("relevance", "newest", "score", "rating")
# re.A: without it re.I matches "ſ" to "s", "ı" to "i" and the Kelvin sign to "k", as
# JavaScript's /i does not (a KeyError on "ſource:note", an unknown "source:ımport").
_FILTER = re.compile(r"([+-]?)(cat|year|after|before|source|rating|has):(.*)", re.I | re.S | re.A)
_FILTER_VALUES = {
    "cat": re.compile(r"[a-z][a-z-]*(?:\.[a-z-]+)?", re.I | re.A),
    "year": re.compile(r"[0-9]{4}"),
    "after": re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?"),
    "before": re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?"),
    "source": re.compile(r"note|feed|import", re.I | re.A),
    "rating": re.compile(r"(>=|<=|>|<|=)?([1-5](?:\.[05])?)"),
    "has": re.compile(r"note|rating", re.I | re.A),
}


@dataclass(frozen=True)
class Filter:
    kind: str  # cat, year, after, before, source, rating, has
    value: str  # lower case; a rating's number
    op: str = "="  # for ratings
    exclude: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def split_filters(query: str) -> tuple[str, list[Filter]]:
    """The query without its filter words (each left as a space), and the filters."""
    filters: list[Filter] = []

    def take(word: re.Match) -> str:
        found = _FILTER.fullmatch(word[0])
        if not found:
            return word[0]
        sign, kind, value = found[1], found[2].lower(), found[3]
        valid = _FILTER_VALUES[kind].fullmatch(value)
        if valid and kind == "rating":
            filters.append(Filter(kind, valid[2], valid[1] or "=", sign == "-"))
        elif valid:
            filters.append(Filter(kind, value.lower(), exclude=sign == "-"))
        return " "

    rest = _WORD.sub(take, query)
    return rest, list(dict.fromkeys(filters))


def _holds(spec: Filter, record: Record) -> bool:
    kind, value = spec.kind, spec.value
    if kind == "cat":
        return value in record.categories
    if kind == "year":
        return record.date[:4] == value
    if kind == "after":  # an undated paper (date "") is before or after no day
        return record.date != "" and record.date >= value
    if kind == "before":
        return record.date != "" and record.date < value
    if kind == "source":
        return bool(record.sources & SOURCE_BITS[value])
    if kind == "has":
        return record.rating > 0 if value == "rating" else bool(record.sources & 4)
    rating, wanted = record.rating, float(value)
    compare = {
        "=": rating == wanted,
        ">=": rating >= wanted,
        "<=": rating <= wanted,
        ">": rating > wanted,
        "<": rating < wanted,
    }
    return rating > 0 and compare[spec.op]


def passes(filters: list[Filter], record: Record) -> bool:
    return all(_holds(spec, record) != spec.exclude for spec in filters)


def sorted_results(results: list, records: list[Record], sort: str) -> list:
    """``results`` (best first) in the reader's order; ties keep their rank."""
    if sort == "newest":
        return sorted(results, key=lambda pair: -pair[0])
    position = {ref: number for number, (ref, _) in enumerate(results)}
    if sort == "score":
        return sorted(results, key=lambda pair: (-records[pair[0]].score, position[pair[0]]))
    if sort == "rating":
        return sorted(results, key=lambda pair: (-records[pair[0]].rating, position[pair[0]]))
    return results


def _excluded_refs(index, rest: str) -> set[int]:
    """Refs any ``-word`` of ``rest`` excludes (each of its clauses on its own, as lunr does)."""
    refs: set[int] = set()
    for word in _WORD.findall(rest):
        if word.startswith("-") and len(word) > 1:
            for clause in parse(word[1:] + " "):
                refs |= {int(r["ref"]) for r in index.query(lunr_query(index, [clause]))}
    return refs


def find(index, query: str, records: list[Record], sort: str = "relevance") -> list:
    """``search`` with filters and a sort: ``(ref, score)`` in the reader's order."""
    rest, filters = split_filters(query)
    sort = sort if sort in SORTS else "relevance"
    if parse(rest):
        results = search(index, rest)
    elif filters:
        excluded = _excluded_refs(index, rest)
        results = [(ref, 0.0) for ref in reversed(range(len(records))) if ref not in excluded]
    else:
        return []
    kept = [pair for pair in results if passes(filters, records[pair[0]])]
    return sorted_results(kept, records, sort)
