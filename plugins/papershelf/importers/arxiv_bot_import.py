"""``papershelf import arxiv-bot FILE``: a bot digest's papers into archive records.

Merging is pure (records in, changed records out) and idempotent: a second import
of the same file changes no byte. Reading, repairing and writing are at the edge.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from papershelf.archive import Archive
from papershelf.errors import NotADigest
from papershelf.importers.arxiv_bot import SOURCE, BotDigest, BotPaper, parse_arxiv_bot
from papershelf.importers.mojibake.repair import repair
from papershelf.ingest.dedupe_run import dedupe_archive, merge_lines
from papershelf.ingest.matching import KeywordMatcher
from papershelf.inputs import read_text
from papershelf.model import Announcement, Paper
from papershelf.progress import Progress

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


@dataclass
class ImportResult:
    changed: dict[str, Paper]  # records to write, by arXiv id
    outcomes: list[tuple[BotPaper, str]]  # each paper with new / updated / unchanged


def import_entry(paper: BotPaper, file_name: str, day: str) -> dict[str, Any]:
    return {
        "source": SOURCE,
        "file": file_name,
        "date": day,
        "score": paper.score,
        "rank": paper.rank,
    }


def ai_summary_of(paper: BotPaper, file_name: str) -> dict[str, Any] | None:
    """The bot's summary, made from the version its digest lists."""
    if not paper.ai_summary:
        return None
    source = f"{SOURCE}:{file_name}"
    return {
        "text": paper.ai_summary,
        "model": paper.ai_model,
        "source": source,
        "version": paper.version,
    }


def _with_import(entries: Any, entry: dict[str, Any]) -> list:
    """``entries`` with ``entry`` in place of an earlier import of the same file, or added."""
    entries = list(entries or [])
    for index, earlier in enumerate(entries):
        if _same_file(earlier, entry):
            entries[index] = entry
            return entries
    return [*entries, entry]


def _same_file(a: Any, b: dict[str, Any]) -> bool:
    return isinstance(a, dict) and (a.get("source"), a.get("file")) == (b["source"], b["file"])


def _fuller_abstract(
    current: str, current_truncated: bool, offered: str, offered_truncated: bool
) -> tuple[str, bool]:
    """The abstract to keep: a complete one wins over a cut one; of two cut ones, the
    longer. So a feed's abstract is never replaced by the bot's shortened copy."""
    if not current:
        return offered, offered_truncated
    if not current_truncated:
        return current, False
    if not offered_truncated or len(offered) > len(current):
        return offered, offered_truncated
    return current, True


def _with_announcement(paper: Paper, announcement: Announcement) -> None:
    """One announcement per day and version, the paper's own listing over a cross-list
    (the rule of ingest), and ``announced`` the earliest day."""
    same = (announcement.date, announcement.version)
    kept = [
        a
        for a in paper.announcements
        if (a.date, a.version) != same or a.key() <= announcement.key()
    ]
    if not any((a.date, a.version) == same for a in kept):
        kept.append(announcement)
    paper.announcements = sorted(kept, key=Announcement.key)
    paper.announced = min(filter(None, [paper.announced, announcement.date]))
    first = paper.announcements[0]
    if first.date == paper.announced:
        paper.announce_type = first.announce_type


def new_record(
    paper: BotPaper, file_name: str, day: str, announced: str, matcher: KeywordMatcher
) -> Paper:
    """A record for a paper the archive does not hold yet."""
    extra: dict[str, Any] = {"imports": [import_entry(paper, file_name, day)]}
    if summary := ai_summary_of(paper, file_name):
        extra["ai_summary"] = summary
    if paper.abstract_truncated:
        extra["abstract_truncated"] = True
    return Paper(
        arxiv_id=paper.arxiv_id,
        title=paper.title,
        version=paper.version,
        authors=list(paper.authors),
        abstract=paper.abstract,
        primary_category=paper.primary_category,
        categories=list(paper.categories),
        announce_type=paper.announce_type,
        announced=announced,
        announcements=[Announcement(announced, paper.announce_type, paper.version)],
        score=paper.score,
        matched_keywords=list(matcher.match(paper.title, paper.abstract).keywords),
        feeds=[],
        extra=extra,
    )


def merged_record(
    record: Paper, paper: BotPaper, file_name: str, day: str, announced: str
) -> Paper:
    """``record`` with what the digest adds; ``record`` itself is untouched. Its score and
    keywords stay (the bot's score is kept in the import entry)."""
    merged = Paper.from_dict(record.to_dict())
    if paper.version > merged.version:  # never lower the version
        merged.version = paper.version
        merged.title = paper.title or merged.title
        merged.authors = list(paper.authors) or merged.authors
    merged.authors = merged.authors or list(paper.authors)
    merged.abstract, truncated = _fuller_abstract(
        merged.abstract, bool(merged.extra.get("abstract_truncated")),
        paper.abstract, paper.abstract_truncated,
    )  # fmt: skip
    merged.extra.pop("abstract_truncated", None)
    if truncated:
        merged.extra["abstract_truncated"] = True
    merged.primary_category = merged.primary_category or paper.primary_category
    others = (set(merged.categories) | set(paper.categories)) - {merged.primary_category}
    merged.categories = [c for c in [merged.primary_category] if c] + sorted(others)
    _with_announcement(merged, Announcement(announced, paper.announce_type, paper.version))
    merged.extra["imports"] = _with_import(
        merged.extra.get("imports"), import_entry(paper, file_name, day)
    )
    # An AI summary from elsewhere is kept; one from this same file is refreshed.
    current = merged.extra.get("ai_summary")
    summary = ai_summary_of(paper, file_name)
    from_here = isinstance(current, dict) and current.get("source") == f"{SOURCE}:{file_name}"
    if summary and (not current or from_here):
        merged.extra["ai_summary"] = summary
    return merged


def merge_digest(
    existing: Mapping[str, Paper],
    digest: BotDigest,
    file_name: str,
    matcher: KeywordMatcher,
    day: str,
    announce_date: str | None = None,
    on_step: Callable[[str], None] | None = None,
) -> ImportResult:
    """Merge a digest's papers into the archive's records; only changed ones are returned.

    ``day`` is the digest's day; a paper is announced on ``announce_date`` if given,
    else on its own published day, else on ``day``."""
    changed: dict[str, Paper] = {}
    outcomes: list[tuple[BotPaper, str]] = []
    for paper in digest.papers:
        announced = announce_date or paper.published or day
        record = existing.get(paper.arxiv_id)
        if record is None:
            changed[paper.arxiv_id] = new_record(paper, file_name, day, announced, matcher)
            status = NEW
        else:
            merged = merged_record(record, paper, file_name, day, announced)
            status = UNCHANGED if merged.to_dict() == record.to_dict() else UPDATED
            if status == UPDATED:
                changed[paper.arxiv_id] = merged
        outcomes.append((paper, status))
        if on_step:
            on_step(paper.arxiv_id)
    return ImportResult(changed, outcomes)


def report_lines(result: ImportResult, digest: BotDigest) -> list[str]:
    """A line per paper, then the totals and the bot's keywords."""
    lines = []
    for paper, status in result.outcomes:
        cut = " (truncated)" if paper.abstract_truncated else ""
        summary = f"yes ({paper.ai_model or 'model not named'})" if paper.ai_summary else "no"
        lines.append(
            f"[{paper.rank}] {paper.arxiv_id}v{paper.version}: {status}: "
            f"{len(paper.authors)} authors, abstract {len(paper.abstract)} chars{cut}, "
            f"AI summary {summary}"
        )
    counts = Counter(status for _, status in result.outcomes)
    lines.append(
        f"{len(result.outcomes)} papers: "
        + ", ".join(f"{counts[s]} {s}" for s in (NEW, UPDATED, UNCHANGED))
        + f"; {sum(bool(p.ai_summary) for p in digest.papers)} with an AI summary"
    )
    keywords = ", ".join(digest.keywords) or "none listed"
    lines.append(f"the bot's keywords ({len(digest.keywords)}, not applied): {keywords}")
    return lines


def repair_text(text: str) -> tuple[str, str | None]:
    """``text`` with double encoding undone, and a line saying so (None if untouched)."""
    fixed = repair(text)
    if not fixed.changed:
        return text, None
    return fixed.text, (
        f"repaired double-encoded text (UTF-8 read as {fixed.codepage}): "
        f"{fixed.recovered_bytes} dropped bytes restored, {fixed.ambiguous_choices} "
        f"characters chosen by context, {fixed.unrecoverable} lines left as they were"
    )


def run_import_arxiv_bot(
    options: dict[str, Any],
    source: str | Path,
    announce_date: date | None = None,
    out=None,
    err=None,
) -> int:
    """Read, repair, parse, merge under the archive lock, write, report."""
    out = out or sys.stdout
    path = Path(source)
    raw = read_text(path, NotADigest)
    text, repaired = repair_text(raw)
    digest = parse_arxiv_bot(text)
    if not digest.papers:
        raise NotADigest(
            "not an arXiv-bot digest: no '### N. [Title](https://arxiv.org/abs/…)' "
            "paper with an arXiv id found",
            where=source,
            fix="give the README of an arXiv-bot digest",
        )
    day = announce_date.isoformat() if announce_date else digest.day
    day = day or max((p.published for p in digest.papers), default="")
    if not day:
        raise NotADigest(
            "no 'Last Updated' or published date", where=source, fix="pass --date YYYY-MM-DD"
        )
    matcher = KeywordMatcher(options["ARXIV_KEYWORDS"], title_bonus=options["ARXIV_TITLE_BONUS"])
    archive = Archive(options["ARXIV_ARCHIVE_PATH"])
    progress = Progress("import arxiv-bot", len(digest.papers), every=0.5, stream=err)
    with archive.lock(on_wait=lambda: print("waiting for another run…", file=sys.stderr)):
        existing = archive.load()
        result = merge_digest(
            existing,
            digest,
            path.name,
            matcher,
            day,
            announce_date.isoformat() if announce_date else None,
            on_step=progress.step,
        )
        written = archive.save(result.changed.values())
        merges = dedupe_archive(archive, err=err)
    progress.done()
    if repaired:
        print(f"{source}: {repaired}", file=out)
    for warning in digest.warnings:
        print(f"{source}: warning: {warning}", file=out)
    print(f"{source}: digest of {day}", file=out)
    print("\n".join(report_lines(result, digest)), file=out)
    for line in merge_lines(merges):
        print(line, file=out)
    total = len(existing) + sum(1 for arxiv_id in result.changed if arxiv_id not in existing)
    total -= len(merges)
    print(f"archive: {total} papers, {written} files written", file=out)
    return 0
