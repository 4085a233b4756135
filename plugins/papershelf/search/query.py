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
- Results are ordered by score, then by ref; scores are compared rounded to
  1e-9 so that float rounding differences between Python and JavaScript in
  summing fields never reorder ties.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

from lunr.query import Query, QueryPresence

from papershelf.search.index import TEXT_FIELDS
from papershelf.search.phrases import has_phrase, index_positions
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
            if name.strip():
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


def score_key(score: float) -> int:
    """Scores rounded to 1e-9 (floor(x * 1e9 + 0.5), as search-core.js does)."""
    return math.floor(score * 1e9 + 0.5)


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
    ranked = sorted(results, key=lambda r: (-score_key(r["score"]), int(r["ref"])))
    return [(int(r["ref"]), r["score"]) for r in ranked]
