"""The order of search results: titles holding every query word first, then lunr's score.

BM25 alone lets a long note that repeats the query words in its body outrank the
paper whose title is exactly those words (``KV cache`` put the ThinKV note 12th).
So results come in two tiers: first the papers whose title field (the title and a
note's aliases, the paper's own names) holds every required query word, then the
rest; within a tier by score, then by ref. ``tag:`` clauses are filters and do not
count; a ``quant*`` or ``attension~1`` word is in the title if any word it expands
to is.

Whether a word is in a paper's title is in lunr's match data (term -> field ->
metadata) of each result, so ``theme/static/js/search-core.js`` ranks the same
way over the shards it loaded, with no extra bytes (``titleFirst`` there).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from lunr.token_set import TokenSet

TITLE_FIELD = "title"


def score_key(score: float) -> int:
    """Scores rounded to 1e-9 (floor(x * 1e9 + 0.5), as search-core.js does)."""
    return math.floor(score * 1e9 + 0.5)


def clause_terms(index, clause) -> set[str]:
    """The index terms a clause matches, as lunr.py's Index.query expands it."""
    if clause.edit_distance:
        wanted = TokenSet.from_fuzzy_string(clause.term, clause.edit_distance)
    else:
        wanted = TokenSet.from_string(clause.term + ("*" if clause.wildcard else ""))
    return set(index.token_set.intersect(wanted).to_list())


def title_word_sets(index, clauses: Sequence) -> list[set[str]]:
    """Per required query word searched in titles, the terms standing for it."""
    return [
        clause_terms(index, clause)
        for clause in clauses
        if clause.presence == "required" and TITLE_FIELD in clause.fields
    ]


def in_title(match_fields: dict, word_sets: list[set[str]]) -> bool:
    """Whether every query word has one of its terms in the title (``match_fields``:
    term -> the fields it matched in, lunr's match data of one result)."""
    return all(
        any(TITLE_FIELD in match_fields.get(term, ()) for term in terms) for terms in word_sets
    )


def ranked(index, clauses: Sequence, results: list[dict]) -> list[tuple[int, float]]:
    """``(ref, score)`` of lunr.py's results, best first (title tier, score, ref)."""
    word_sets = title_word_sets(index, clauses)

    def key(result):
        title_tier = 0 if in_title(result["match_data"].metadata, word_sets) else 1
        return (title_tier, -score_key(result["score"]), int(result["ref"]))

    return [(int(r["ref"]), r["score"]) for r in sorted(results, key=key)]
