"""Related papers: TF-IDF cosine over a paper's words, without comparing every pair.

Each paper keeps only its ``TOP_TERMS`` heaviest terms (log tf x idf, unit length)
among those another paper shares.
Candidates come from an inverted index of those terms, in which each term keeps
only its ``POSTINGS_PER_TERM`` heaviest papers; a paper's score for another is the
dot product accumulated along the way. The work is about papers x TOP_TERMS x
POSTINGS_PER_TERM, linear in the number of papers. Every ordering has a tie-break
(weight, then term or key), so the result is the same for the same input.

The vectors, postings and scores are numpy arrays, worked on ``BLOCK_PAPERS``
papers at a time: at 100,000 papers, lists of tuples and dicts of floats took
minutes and most of a gigabyte, arrays take seconds and tens of megabytes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

TOP_TERMS = 16
POSTINGS_PER_TERM = 40
MIN_SCORE = 0.05  # below this, two papers share little more than common words
BLOCK_PAPERS = 1_000  # papers worked on at once (up to 640,000 candidate pairs)


def _group_starts(sorted_groups: np.ndarray) -> np.ndarray:
    """Where each run of equal values starts in a sorted array."""
    if not len(sorted_groups):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])


def _first_of_each(groups: np.ndarray, keep: int) -> np.ndarray:
    """A mask of the first ``keep`` entries of each run of ``groups`` (sorted)."""
    starts = _group_starts(groups)
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(groups)]))
    return (np.arange(len(groups)) - run_start) < keep


def _vectors(term_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two passes over ``term_lists``: the document frequencies, then each paper's
    vector. The vectors as three parallel arrays, paper by paper, heaviest first:
    paper number, term rank (the term's place in sorted order), weight."""
    document_frequency: Counter = Counter()
    for terms in term_lists:
        document_frequency.update(set(terms))
    n = len(term_lists)
    # A term no other paper has cannot find a related paper: it has no rank.
    shared = sorted(term for term, count in document_frequency.items() if count > 1)
    rank = {term: number for number, term in enumerate(shared)}
    idf = np.log((n + 1) / (np.array([document_frequency[t] for t in shared], float) + 1))
    del document_frequency
    chosen: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for block in range(0, n, BLOCK_PAPERS):
        # A block's (paper, term) pairs at a time: all of them at once would be
        # 16 bytes for every distinct word of every paper, a gigabyte at 100,000.
        papers, ranks, counts = [], [], []
        for number in range(block, min(block + BLOCK_PAPERS, n)):
            tf = Counter(term for term in term_lists[number] if term in rank)
            papers.append(np.full(len(tf), number, dtype=np.int32))
            ranks.append(np.fromiter((rank[term] for term in tf), np.int32, len(tf)))
            counts.append(np.fromiter(tf.values(), np.float64, len(tf)))
        chosen.append(
            _heaviest(np.concatenate(papers), np.concatenate(ranks), np.concatenate(counts), idf)
        )
    paper = np.concatenate([part[0] for part in chosen]) if chosen else np.zeros(0, np.int32)
    term = np.concatenate([part[1] for part in chosen]) if chosen else np.zeros(0, np.int32)
    weight = np.concatenate([part[2] for part in chosen]) if chosen else np.zeros(0)
    del chosen
    norms = np.zeros(n)
    np.add.at(norms, paper, weight * weight)
    norms = np.sqrt(norms)
    norms[norms == 0] = 1.0
    return paper, term, weight / norms[paper]


def _heaviest(paper: np.ndarray, term: np.ndarray, count: np.ndarray, idf: np.ndarray) -> tuple:
    """Each paper's ``TOP_TERMS`` heaviest terms of positive weight (ties by term),
    from its (paper, term, count) rows."""
    weight = (1 + np.log(count)) * idf[term]
    order = np.lexsort((term, -weight, paper))
    paper, term, weight = paper[order], term[order], weight[order]
    top = _first_of_each(paper, TOP_TERMS) & (weight > 0)
    return paper[top], term[top], weight[top]


def related(keys: Sequence[str], term_lists: Sequence[Sequence[str]], limit: int = 5) -> dict:
    """``key -> [related keys, best first]`` for papers given as term lists (a
    sequence read twice, which may make each list when it is read)."""
    n = len(keys)
    paper, term, weight = _vectors(term_lists)
    key_rank = np.empty(n, dtype=np.int64)
    key_rank[sorted(range(n), key=keys.__getitem__)] = np.arange(n)
    # The postings: each term's heaviest papers, ties by key.
    order = np.lexsort((key_rank[paper], -weight, term))
    keep = order[_first_of_each(term[order], POSTINGS_PER_TERM)]
    posting_paper, posting_weight = paper[keep], weight[keep]
    terms_count = int(term.max()) + 1 if len(term) else 0
    posting_end = np.cumsum(np.bincount(term[keep], minlength=terms_count))
    posting_start = posting_end - np.bincount(term[keep], minlength=terms_count)
    # The vectors are paper by paper: a block of papers is a slice of them.
    paper_start = np.searchsorted(paper, np.arange(0, n + 1))
    result: dict[str, list[str]] = {}
    for block in range(0, n, BLOCK_PAPERS):
        low, high = paper_start[block], paper_start[min(block + BLOCK_PAPERS, n)]
        own, own_term, own_weight = paper[low:high], term[low:high], weight[low:high]
        lengths = posting_end[own_term] - posting_start[own_term]
        # Each vector entry against each paper of its term's postings.
        at = np.repeat(posting_start[own_term] - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
        at += np.arange(int(lengths.sum()))
        source = np.repeat(own, lengths)
        other = posting_paper[at]
        product = np.repeat(own_weight, lengths) * posting_weight[at]
        apart = source != other
        pair = source[apart].astype(np.int64) * n + other[apart]
        product = product[apart]
        order = np.argsort(pair, kind="stable")  # sums in one fixed order
        pair, product = pair[order], product[order]
        starts = _group_starts(pair)
        pair = pair[starts]
        score = np.add.reduceat(product, starts) if len(starts) else product
        good = score >= MIN_SCORE
        pair, score = pair[good], np.round(score[good], 12)
        source, other = pair // n, pair % n
        order = np.lexsort((key_rank[other], -score, source))
        source, other = source[order], other[order]
        best = _first_of_each(source, limit)
        for number in range(block, min(block + BLOCK_PAPERS, n)):
            result[keys[number]] = []
        for number, found in zip(source[best].tolist(), other[best].tolist(), strict=True):
            result[keys[number]].append(keys[found])
    return result
