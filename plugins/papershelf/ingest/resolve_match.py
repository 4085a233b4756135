"""What ``papershelf resolve`` asks arXiv and which answer it accepts (pure).

A record without an arXiv id is looked up by a distinctive phrase of its abstract
(and its title when short enough to be a name): one API query, a few candidates.
A candidate is accepted only when its abstract is the record's, by the rules of
``dedupe`` (the same text up to markup and truncation, or word-3-shingle similarity
of at least ``ACCEPT_SIMILARITY``); a title alone never decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from papershelf.ingest.dedupe import Signature, WordHashes, same_abstract, signature, similarity
from papershelf.ingest.feeds import FeedEntry
from papershelf.model import Paper
from papershelf.text import match_key

# Measured on the demo archive (README, `resolve`): two different papers of its 861
# abstracts score at most 0.064; a copy with 40% of one sentence reworded scores 0.54 or
# more in 99 of 100 (median 0.83), a re-typeset one (TeX, wrapping, entities) 1.0.
ACCEPT_SIMILARITY = 0.5
PHRASE_WORDS = 8  # words of the quoted abstract phrase: rare enough to find one paper
TITLE_QUERY_MAX_WORDS = 10  # a longer guessed title is a clause, not a name: not queried
MAX_RESULTS = 5
# A phrase may not cross math, brackets or a sentence end: arXiv indexes the raw TeX.
_PHRASE_BREAK = re.compile(r"[$\\{}^_~()\[\]<>.;:!?\"|]+")
_PLAIN_WORD = re.compile(r"^[A-Za-z][A-Za-z-]*[A-Za-z],?$")
_STOPWORDS_TEXT = """a an and are as at be by for from has have in is it its of on or our that
the this to was we which with these those their can via using based into than not"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def distinctive_phrase(abstract: str, words: int = PHRASE_WORDS) -> str:
    """The run of ``words`` plain words (no math, digits or sentence end inside)
    with the most letters outside stopwords; the earliest of equals; "" if none."""
    best, best_score = "", -1
    for run in _PHRASE_BREAK.split(abstract or ""):
        tokens = run.split()
        for start in range(len(tokens) - words + 1):
            window = tokens[start : start + words]
            if not all(_PLAIN_WORD.match(token) for token in window[:-1]):
                continue
            if not re.match(r"^[A-Za-z][A-Za-z-]*[A-Za-z]$", window[-1]):
                continue
            cleaned = [token.rstrip(",") for token in window]
            score = sum(len(w) for w in cleaned if w.lower() not in STOPWORDS)
            if score > best_score:
                best, best_score = " ".join(cleaned), score
    return best


def query_title(paper: Paper) -> str:
    """The title worth a ``ti:`` query: a short one (a method's name), plain words."""
    title = match_key(paper.title.rstrip("…"))
    if not title or len(title.split()) > TITLE_QUERY_MAX_WORDS:
        return ""
    return title


def search_query(paper: Paper) -> str:
    """``abs:"phrase"``, ``OR ti:"title"`` where useful; "" when nothing can be asked."""
    parts = []
    phrase = distinctive_phrase(paper.abstract)
    if phrase:
        parts.append(f'abs:"{phrase}"')
    title = query_title(paper)
    if title and parts:  # never a title alone: its answers could not be checked anyway
        parts.append(f'ti:"{title}"')
    return " OR ".join(parts)


def query_url(api_url: str, query: str, max_results: int = MAX_RESULTS) -> str:
    """The API's search URL: ``ARXIV_API_URL`` up to its ``?``, then the query."""
    base = api_url.split("?", 1)[0]
    params = {"search_query": query, "start": 0, "max_results": max_results}
    return f"{base}?{urlencode(params, quote_via=quote)}"


@dataclass(frozen=True)
class Candidate:
    entry: FeedEntry
    score: float  # the abstracts' similarity (1.0 for the same text)
    reason: str


def _entry_signature(entry: FeedEntry, known: WordHashes) -> Signature:
    return signature(Paper(arxiv_id=entry.arxiv_id, title="", abstract=entry.abstract), known)


def judge(paper: Paper, entries: list[FeedEntry]) -> tuple[Candidate | None, float]:
    """The accepted candidate (the best scoring), and the best score seen."""
    known = WordHashes()
    mine = signature(paper, known)
    best: Candidate | None = None
    best_seen = 0.0
    for entry in entries:
        theirs = _entry_signature(entry, known)
        score = similarity(mine, theirs)
        if same_abstract(mine, theirs):  # equal, or one cut short: as sure as equal
            found = Candidate(entry, 1.0, "same abstract")
        elif score >= ACCEPT_SIMILARITY:
            found = Candidate(entry, score, f"abstract similarity {score:.2f}")
        else:
            best_seen = max(best_seen, score)
            continue
        best_seen = max(best_seen, found.score)
        if best is None or found.score > best.score:
            best = found
    return best, best_seen


def api_record(entry: FeedEntry, guessed_title: str = "") -> Paper:
    """The arXiv record the API describes, with the guessed title as an alias. Its
    dates are the paper's own (first and latest version), not an announcement day."""
    extra: dict = {"published": entry.date}
    if entry.updated and entry.updated != entry.date:
        extra["updated"] = entry.updated
    if guessed_title and match_key(guessed_title) != match_key(entry.title):
        extra["title_aliases"] = [guessed_title]
    return Paper(
        arxiv_id=entry.arxiv_id,
        title=entry.title,
        version=entry.version,
        authors=list(entry.authors),
        abstract=entry.abstract,
        primary_category=entry.primary_category,
        categories=list(entry.categories),
        comment=entry.comment,
        journal_ref=entry.journal_ref,
        doi=entry.doi,
        extra=extra,
    )


def with_aliases(paper: Paper, aliases: list[str]) -> Paper:
    """``paper`` whose ``title_aliases`` also hold ``aliases`` (not its own title)."""
    known = list(paper.extra.get("title_aliases", []))
    for alias in aliases:
        if alias and match_key(alias) != match_key(paper.title) and alias not in known:
            known.append(alias)
    if known:
        paper.extra["title_aliases"] = known
    return paper
