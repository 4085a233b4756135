"""Duplicate records: which records describe one paper, and why (pure).

Candidates come from keys, never from comparing all pairs, so the work grows
with the number of records: an arXiv id, the first ``PREFIX_WORDS`` words of the
normalised abstract (equal or truncated copies share them), the normalised
title, and MinHash bands over word shingles for near-duplicates (one-permutation
hashing: each shingle's hash lands in one of ``BINS`` bins, a record keeps each
bin's smallest hash, ``ROWS`` bins make a band). Two arXiv records pair only on
their id (two arXiv ids never merge), which keeps an arXiv archive's pairs few.
Each candidate pair is then decided by ``match``: the bins estimate the
similarity, and the exact figure is worked out only near the threshold.
"""

from __future__ import annotations

import gc
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from papershelf.model import Paper
from papershelf.text import match_key

SAME_ID, SAME_ABSTRACT, SAME_TITLE, NEAR = "same arXiv id", "same abstract", "same title", "near"
PREFIX_WORDS = 30  # a truncated copy must keep at least this many words of the abstract
SHINGLE_WORDS = 3
NEAR_DUPLICATE = 0.8  # Jaccard similarity of word 3-shingles: the near-duplicate threshold
TITLE_MIN_WORDS = 4  # a shorter title ("Introduction", "Attention") is generic: never alone
# Same title, yet abstracts this far apart (both long enough to tell) are two papers.
TITLE_ABSTRACTS_DIFFER = 0.2
# 12 bands of 6 bins: a pair at similarity 0.8 is a candidate 97% of the time, at 0.9
# always, at 0.5 one time in six, at 0.3 one in a hundred (what costs time is candidates).
BINS, ROWS = 72, 6
MAX_BUCKET = 32  # a key shared by more records is boilerplate, not a sign of one paper
NEAR_ESTIMATE_MARGIN = 0.15  # pairs estimated this close to the threshold get the exact figure
_MASK = (1 << 32) - 1


@dataclass(frozen=True)
class Signature:
    """What matching reads of one record."""

    record_id: str
    arxiv_id: str | None  # its arXiv id, or the one a local record learnt
    text: str  # the normalised abstract
    title: str  # the normalised title, "" when derived from the text or generic
    mins: array  # the smallest shingle hash of each bin (4 bytes each); empty for a short text

    @property
    def bands(self) -> tuple[int, ...]:
        """The MinHash band keys: a band is ``ROWS`` bins' minimums."""
        return tuple(
            hash((band, *self.mins[band * ROWS : (band + 1) * ROWS]))
            for band in range(len(self.mins) // ROWS)
        )


class WordHashes(dict):
    """Each word's 32-bit hash, computed once per run: crc32 is the same in every run
    (Python's str hash is not), and the multiply mixes its bits."""

    def __missing__(self, word: str) -> int:
        value = self[word] = (zlib.crc32(word.encode()) * 0x9E3779B1) & _MASK
        return value


def shingles_of(words: list[str], known: WordHashes) -> frozenset[int]:
    """The hashes of the text's runs of ``SHINGLE_WORDS`` words: a shingle's hash mixes
    its words' hashes, so no string is built per shingle."""
    hashes = list(map(known.__getitem__, words))
    if 0 < len(hashes) < SHINGLE_WORDS:
        hashes += [0] * (SHINGLE_WORDS - len(hashes))
    return frozenset(
        (a * 0x85EBCA6B + b * 0xC2B2AE35 + c) & _MASK
        for a, b, c in zip(hashes, hashes[1:], hashes[2:], strict=False)
    )


def minimums(shingles: frozenset[int]) -> array:
    """One-permutation MinHash: each hash lands in bin ``hash % BINS``, and each bin
    keeps its smallest; none for a text too short to fill the bins."""
    if len(shingles) < BINS:
        return array("I")
    mins = [_MASK] * BINS
    for value in shingles:
        slot = value % BINS
        if value < mins[slot]:
            mins[slot] = value
    return array("I", mins)


def claimed_arxiv_id(paper: Paper) -> str | None:
    if paper.is_arxiv:
        return paper.arxiv_id
    return paper.extra.get("resolved_arxiv_id") or None


def signature(paper: Paper, known: WordHashes | None = None) -> Signature:
    """``known`` caches word hashes across the records of one run."""
    text = match_key(paper.abstract)
    title = match_key(paper.title)
    if paper.extra.get("title_derived") or len(title.split()) < TITLE_MIN_WORDS:
        title = ""
    mins = minimums(shingles_of(text.split(), WordHashes() if known is None else known))
    return Signature(paper.arxiv_id, claimed_arxiv_id(paper), text, title, mins)


def similarity(a: Signature, b: Signature) -> float:
    """Jaccard similarity of the abstracts' word 3-shingles."""
    known = WordHashes()
    first, second = shingles_of(a.text.split(), known), shingles_of(b.text.split(), known)
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def estimate(a: Signature, b: Signature) -> float:
    """The similarity as the bins' minimums estimate it (within about 0.05 at 0.8): cheap,
    so the exact one is worked out only for a pair that may be a near-duplicate."""
    if not a.mins or not b.mins:
        return similarity(a, b)
    filled = [(x, y) for x, y in zip(a.mins, b.mins, strict=True) if x != _MASK or y != _MASK]
    return sum(x == y for x, y in filled) / len(filled) if filled else 0.0


def same_abstract(a: Signature, b: Signature) -> bool:
    """Equal, or one is the other cut short (its last word maybe cut mid-word)."""
    if not a.text or not b.text:
        return False
    if a.text == b.text:
        return True
    short, long = sorted((a.text, b.text), key=len)
    return short.count(" ") + 1 >= PREFIX_WORDS and long.startswith(short)


def match(a: Signature, b: Signature) -> tuple[str, float] | None:
    """Why ``a`` and ``b`` are one paper, with the abstracts' similarity; None if not."""
    if a.arxiv_id and b.arxiv_id and a.arxiv_id != b.arxiv_id:
        return None  # two arXiv papers stay two, whatever their texts say
    score = estimate(a, b)
    if a.arxiv_id and a.arxiv_id == b.arxiv_id:
        return SAME_ID, score
    if same_abstract(a, b):
        return SAME_ABSTRACT, score
    if a.title and a.title == b.title:
        long_enough = min(a.text.count(" "), b.text.count(" ")) + 1 >= PREFIX_WORDS
        if not (long_enough and score < TITLE_ABSTRACTS_DIFFER):
            return SAME_TITLE, score
    if score >= NEAR_DUPLICATE - NEAR_ESTIMATE_MARGIN:
        score = similarity(a, b)
        if score >= NEAR_DUPLICATE:
            return NEAR, score
    return None


def reason_text(reason: str, score: float) -> str:
    if reason == NEAR:
        return f"near-duplicate abstract (similarity {score:.2f})"
    return reason


def _keys(sig: Signature) -> Iterator[tuple]:
    if sig.arxiv_id:
        yield ("id", sig.arxiv_id)
    if sig.text:
        yield ("abstract", " ".join(sig.text.split(" ", PREFIX_WORDS)[:PREFIX_WORDS]))
    if sig.title:
        yield ("title", sig.title)
    for band, key in enumerate(sig.bands):
        yield ("band", band, key)


def candidate_pairs(signatures: Iterable[Signature]) -> set[tuple[str, str]]:
    """Pairs of record ids sharing a key, each once, smaller id first. Two records with
    arXiv ids pair only on the id itself: two arXiv ids never merge."""
    buckets: dict[tuple, list[tuple[str, bool]]] = defaultdict(list)
    for sig in signatures:
        for key in _keys(sig):
            buckets[key].append((sig.record_id, bool(sig.arxiv_id)))
    pairs = set()
    for key, members in buckets.items():
        if len(members) < 2 or (len(members) > MAX_BUCKET and key[0] != "id"):
            continue
        members = sorted(members)
        for i, (a, a_arxiv) in enumerate(members):
            for b, b_arxiv in members[i + 1 :]:
                if key[0] == "id" or not (a_arxiv and b_arxiv):
                    pairs.add((a, b))
    return pairs


@dataclass(frozen=True)
class Link:
    """One record found to be another's paper."""

    kept: str
    merged: str
    reason: str  # as the log and the record say it

    def line(self) -> str:
        return f"{self.merged} -> {self.kept}: {self.reason}"


def keep_rank(paper: Paper) -> tuple:
    """Which record of a group stays: the arXiv one, a real title, a real day, the
    fullest abstract, then the smaller id."""
    return (
        not (paper.is_arxiv or claimed_arxiv_id(paper)),
        bool(paper.extra.get("title_derived")),
        not paper.announced,
        bool(paper.extra.get("abstract_truncated")),
        -len(paper.abstract),
        paper.arxiv_id,
    )


RULE_ORDER = {SAME_ID: 0, SAME_ABSTRACT: 1, SAME_TITLE: 2, NEAR: 3}


@contextmanager
def collector_paused() -> Iterator[None]:
    """Finding makes millions of small tuples and no reference cycle: the cyclic
    collector's passes over them all would grow faster than the work does."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def find_links(papers: dict[str, Paper], on_step=None) -> list[Link]:
    with collector_paused():
        return _find_links(papers, on_step)


def _find_links(papers: dict[str, Paper], on_step=None) -> list[Link]:
    """Every record that is another's paper, with the reason, sorted.

    Stronger rules join first; a group never holds two arXiv ids. The kept record
    is the best by ``keep_rank``; each other record is told with its own reason
    against the kept one, or else the one that brought it into the group."""
    sigs, known = {}, WordHashes()
    for record_id in sorted(papers):
        sigs[record_id] = signature(papers[record_id], known)
        if on_step:
            on_step(record_id)
    decided = []
    for a, b in candidate_pairs(sigs.values()):
        found = match(sigs[a], sigs[b])
        if found:
            decided.append((RULE_ORDER[found[0]], -found[1], a, b, reason_text(*found)))
    parent: dict[str, str] = {}
    arxiv_of: dict[str, str | None] = {}
    joined_by: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.get(node, node) != node:
            parent[node] = parent.get(parent[node], parent[node])
            node = parent[node]
        return node

    for _, _, a, b, reason in sorted(decided):
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        ida, idb = arxiv_of.get(ra, sigs[ra].arxiv_id), arxiv_of.get(rb, sigs[rb].arxiv_id)
        if ida and idb and ida != idb:
            continue
        parent[rb], arxiv_of[ra] = ra, ida or idb
        joined_by.setdefault(a, reason)
        joined_by.setdefault(b, reason)
    groups: dict[str, list[str]] = defaultdict(list)
    for node in parent:
        groups[root(node)].append(node)
    links = []
    for root_id, members in groups.items():
        members = sorted({root_id, *members}, key=lambda m: keep_rank(papers[m]))
        kept, *others = members
        for other in others:
            direct = match(sigs[kept], sigs[other])
            reason = reason_text(*direct) if direct else joined_by[other]
            links.append(Link(kept, other, reason))
    return sorted(links, key=lambda link: (link.kept, link.merged))
