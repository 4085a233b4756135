"""Merge parsed feed entries into paper records: pure, order-independent."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from papershelf.ingest.feeds import FeedEntry, ParsedFeed
from papershelf.ingest.matching import KeywordMatcher
from papershelf.model import ANNOUNCE_TYPE_RANK, Announcement, Paper

NEW, UPDATED, KEPT = "new", "updated", "kept"


@dataclass
class FeedOutcome:
    feed: str
    items: int = 0
    counts: Counter = field(default_factory=Counter)  # new / updated / kept
    rejected: Counter = field(default_factory=Counter)  # reason -> count

    def line(self) -> str:
        parts = [f"{self.counts[k]} {k}" for k in (NEW, UPDATED, KEPT)]
        rejected = sum(self.rejected.values())
        reasons = ", ".join(f"{n} {r}" for r, n in sorted(self.rejected.items()))
        parts.append(f"{rejected} rejected" + (f" ({reasons})" if reasons else ""))
        return f"{self.feed}: {self.items} items: " + ", ".join(parts)


@dataclass
class MergeResult:
    changed: dict[str, Paper]  # records to write, by arXiv id
    outcomes: list[FeedOutcome]


def _rank(entry: FeedEntry) -> tuple:
    # The most authoritative copy of a paper among a day's feeds: newest version,
    # then its own listing over cross-lists, then a stable tie-break.
    return (
        -entry.version,
        ANNOUNCE_TYPE_RANK.get(entry.announce_type, 9),
        entry.date,
        entry.categories,
        entry.title,
        -len(entry.abstract),
    )


def combine_entries(entries: list[FeedEntry]) -> FeedEntry:
    """One entry for a paper seen in several feeds, whatever their order."""
    best = min(entries, key=_rank)
    announce_type = min(
        (e.announce_type for e in entries), key=lambda t: ANNOUNCE_TYPE_RANK.get(t, 9)
    )
    others = sorted({c for e in entries for c in e.categories} - {best.primary_category})
    return FeedEntry(
        arxiv_id=best.arxiv_id,
        version=best.version,
        title=best.title,
        authors=best.authors,
        abstract=best.abstract,
        categories=[best.primary_category, *others] if best.categories else others,
        announce_type=announce_type,
        date=min(e.date for e in entries),
        comment=best.comment,
        journal_ref=best.journal_ref,
        doi=best.doi,
    )


def _update(paper: Paper, entry: FeedEntry, feeds: list[str]) -> Paper:
    """``paper`` after a later (or repeated) announcement; the input is untouched."""
    updated = Paper.from_dict(paper.to_dict())
    if entry.version > updated.version:
        updated.version = entry.version
        updated.title = entry.title or updated.title
        updated.authors = entry.authors or updated.authors
        # A feed abstract is cut short; never replace a fuller one with it.
        if len(entry.abstract) >= len(updated.abstract) or not updated.abstract:
            updated.abstract = entry.abstract
    if entry.primary_category and not updated.primary_category:
        updated.primary_category = entry.primary_category
    categories = set(updated.categories) | set(entry.categories)
    categories.discard(updated.primary_category)
    updated.categories = [updated.primary_category, *sorted(categories)]
    updated.feeds = sorted(set(updated.feeds) | set(feeds))
    for attr in ("comment", "journal_ref", "doi"):
        setattr(updated, attr, getattr(entry, attr) or getattr(updated, attr))
    # One announcement per day and version: a paper's own listing outranks a
    # cross-list of it, so runs over the same day's feeds agree in any order.
    announcement = Announcement(entry.date, entry.announce_type, entry.version)
    kept = [
        a
        for a in updated.announcements
        if (a.date, a.version) != (entry.date, entry.version) or a.key() <= announcement.key()
    ]
    if not any((a.date, a.version) == (entry.date, entry.version) for a in kept):
        kept.append(announcement)
    updated.announcements = sorted(kept, key=Announcement.key)
    first = updated.announcements[0]
    if first.date == updated.announced:
        updated.announce_type = first.announce_type
    return updated


def _new_paper(entry: FeedEntry, feeds: list[str]) -> Paper:
    return Paper(
        arxiv_id=entry.arxiv_id,
        title=entry.title,
        version=entry.version,
        authors=entry.authors,
        abstract=entry.abstract,
        primary_category=entry.primary_category,
        categories=entry.categories,
        announce_type=entry.announce_type,
        announced=entry.date,
        announcements=[Announcement(entry.date, entry.announce_type, entry.version)],
        feeds=feeds,
        comment=entry.comment,
        journal_ref=entry.journal_ref,
        doi=entry.doi,
    )


def _by_version(entries: list[FeedEntry]) -> list[FeedEntry]:
    """One combined entry per version, oldest first: a run that brings v1 and
    its replacement v2 gives what two runs in that order would."""
    versions: dict[int, list[FeedEntry]] = defaultdict(list)
    for entry in entries:
        versions[entry.version].append(entry)
    return [combine_entries(versions[v]) for v in sorted(versions)]


def merge_feeds(
    existing: Mapping[str, Paper],
    feeds: list[tuple[str, ParsedFeed]],
    matcher: KeywordMatcher,
    min_score: float,
    max_per_day: int,
) -> MergeResult:
    """Merge a run's feeds into the archive's records.

    ``existing``: the archive's records of the ids the feeds list (a fetch reads no
    others); the daily limit counts the papers of each day among them, so running a
    day's feeds again adds none. Returns only the records that change; ``existing``
    is never modified.
    """
    by_id: dict[str, list[FeedEntry]] = defaultdict(list)
    feeds_of: dict[str, set[str]] = defaultdict(set)
    for name, parsed in feeds:
        for entry in parsed.entries:
            by_id[entry.arxiv_id].append(entry)
            feeds_of[entry.arxiv_id].add(name)

    outcome_of: dict[str, str] = {}
    rejected_reason: dict[str, str] = {}
    changed: dict[str, Paper] = {}
    candidates: dict[str, list[tuple[float, str, Paper]]] = defaultdict(list)

    for arxiv_id in sorted(by_id):
        first, *later = _by_version(by_id[arxiv_id])
        feed_names = sorted(feeds_of[arxiv_id])
        if arxiv_id in existing:
            updated = existing[arxiv_id]
            for entry in (first, *later):
                updated = _update(updated, entry, feed_names)
            if updated.to_dict() != existing[arxiv_id].to_dict():
                changed[arxiv_id] = updated
                outcome_of[arxiv_id] = UPDATED
            else:
                outcome_of[arxiv_id] = KEPT
            continue
        paper = _new_paper(first, feed_names)
        for entry in later:
            paper = _update(paper, entry, feed_names)
        match = matcher.match(paper.title, paper.abstract)
        if match.excluded_by:
            rejected_reason[arxiv_id] = f"excluded by '{match.excluded_by}'"
        elif not match.keywords or match.score < min_score:
            rejected_reason[arxiv_id] = "below min score"
        else:
            paper.score, paper.matched_keywords = match.score, list(match.keywords)
            candidates[paper.announced].append((-match.score, arxiv_id, paper))

    day_counts = Counter(paper.announced for paper in existing.values())
    for day, ranked in sorted(candidates.items()):
        room = max(0, max_per_day - day_counts[day])
        for position, (_, arxiv_id, paper) in enumerate(sorted(ranked, key=lambda c: c[:2])):
            if position < room:
                changed[arxiv_id] = paper
                outcome_of[arxiv_id] = NEW
            else:
                rejected_reason[arxiv_id] = "over daily limit"

    outcomes = []
    for name, parsed in feeds:
        outcome = FeedOutcome(feed=name, items=len(parsed.entries))
        for entry in parsed.entries:
            if entry.arxiv_id in rejected_reason:
                outcome.rejected[rejected_reason[entry.arxiv_id]] += 1
            else:
                outcome.counts[outcome_of[entry.arxiv_id]] += 1
        if parsed.skipped:
            outcome.rejected["unreadable entry"] += len(parsed.skipped)
        outcomes.append(outcome)
    return MergeResult(changed=changed, outcomes=outcomes)
