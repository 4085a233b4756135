"""Related papers: TF-IDF cosine over a paper's words, without comparing every pair.

Each paper keeps only its ``TOP_TERMS`` heaviest terms (log tf x idf, unit length)
among those another paper shares.
Candidates come from an inverted index of those terms, in which each term keeps
only its ``POSTINGS_PER_TERM`` heaviest papers; a paper's score for another is the
dot product accumulated along the way. The work is about papers x TOP_TERMS x
POSTINGS_PER_TERM, linear in the number of papers. Every ordering has a tie-break
(weight, then term or key), so the result is the same for the same input.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

TOP_TERMS = 16
POSTINGS_PER_TERM = 40
MIN_SCORE = 0.05  # below this, two papers share little more than common words


def _vectors(term_lists: Sequence[Sequence[str]]) -> list[list[tuple[str, float]]]:
    """Two passes over ``term_lists``: the document frequencies, then each paper's
    vector; a paper's term counts are held only while its vector is made."""
    document_frequency: Counter = Counter()
    for terms in term_lists:
        document_frequency.update(set(terms))
    n = len(term_lists)
    vectors = []
    for terms in term_lists:
        tf = Counter(terms)
        # A term no other paper has cannot find a related paper: leave it out.
        weights = {
            term: (1 + math.log(count)) * math.log((n + 1) / (document_frequency[term] + 1))
            for term, count in tf.items()
            if document_frequency[term] > 1
        }
        top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:TOP_TERMS]
        norm = math.sqrt(sum(weight * weight for _, weight in top)) or 1.0
        vectors.append([(term, weight / norm) for term, weight in top if weight > 0])
    return vectors


def related(keys: Sequence[str], term_lists: Sequence[Sequence[str]], limit: int = 5) -> dict:
    """``key -> [related keys, best first]`` for papers given as term lists (a
    sequence read twice, which may make each list when it is read)."""
    vectors = _vectors(term_lists)
    postings: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for number, vector in enumerate(vectors):
        for term, weight in vector:
            postings[term].append((weight, number))
    for entries in postings.values():
        entries.sort(key=lambda entry: (-entry[0], keys[entry[1]]))
        del entries[POSTINGS_PER_TERM:]
    result = {}
    for number, vector in enumerate(vectors):
        scores: dict[int, float] = defaultdict(float)
        for term, weight in vector:
            for other_weight, other in postings[term]:
                if other != number:
                    scores[other] += weight * other_weight
        best = sorted(
            (item for item in scores.items() if item[1] >= MIN_SCORE),
            key=lambda item: (-round(item[1], 12), keys[item[0]]),
        )[:limit]
        result[keys[number]] = [keys[other] for other, _ in best]
    return result
