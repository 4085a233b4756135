"""``papershelf resolve``: find the arXiv records of records that have no arXiv id.

I/O at the edges: one lookup per record through the one polite client (arXiv's
etiquette: one connection, ``ARXIV_REQUEST_INTERVAL`` between requests, retries
honouring Retry-After, the size cap). Each result is written as it arrives: the
arXiv record, the local record with ``resolved_arxiv_id``, and the record's line
in ``resolve-log.json`` (what was asked, when, with what outcome). ``dedupe`` then
merges each pair under "same arXiv id"; a run cut short keeps what it got, and the
next ``resolve``, ``dedupe``, ``fetch`` or ``import`` merges it.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from papershelf.archive import Archive, dump_json, load_json_file
from papershelf.files import replace_file
from papershelf.ingest.client import FetchError, PoliteClient
from papershelf.ingest.dedupe_merge import merge_records
from papershelf.ingest.dedupe_run import dedupe_archive, merge_lines
from papershelf.ingest.feeds import FeedError, parse_feed
from papershelf.ingest.resolve_match import api_record, judge, query_url, search_query, with_aliases
from papershelf.model import Paper
from papershelf.progress import Progress

LOG_NAME = "resolve-log.json"
RESOLVED, NO_MATCH, NO_RESULT, FAILED = "resolved", "no match", "no result", "failed"


def due(paper: Paper, log: dict[str, dict], today: date, retry_days: int) -> bool:
    """Whether ``paper`` is to be looked up: no arXiv id, and not answered "no" within
    ``retry_days`` (a failed lookup got no answer and is tried again at once)."""
    if paper.is_arxiv or paper.extra.get("resolved_arxiv_id"):
        return False
    tried = log.get(paper.arxiv_id)
    if not tried or tried.get("outcome") in (FAILED, RESOLVED):
        return True
    return (today - date.fromisoformat(tried["tried"])).days >= retry_days


def lookup_order(papers: dict[str, Paper], log: dict[str, dict]) -> list[str]:
    """Never tried first, then the longest ago; ids break ties (a stable order)."""
    return sorted(papers, key=lambda key: (log.get(key, {}).get("tried", ""), key))


def _answer(client: PoliteClient, url: str) -> list:
    """The API's entries for ``url``; FetchError/FeedError when it gave no usable answer."""
    response = client.get(url)
    media_type = response.content_type.split(";")[0].strip().lower()
    if media_type == "text/html":
        raise FeedError(f"not an API answer (an HTML page: {response.content_type})")
    parsed = parse_feed(response.body)
    if not parsed.entries and parsed.skipped:
        raise FeedError(parsed.skipped[0])
    return parsed.entries


def _record_result(
    archive: Archive, papers: dict[str, Paper], paper: Paper, entry, reason: str
) -> tuple[Paper, Paper]:
    """The arXiv record (new or the archive's, filled from the API) and the local
    record pointing to it, written now."""
    found = api_record(entry, paper.title)
    existing = papers.get(entry.arxiv_id)
    if existing is not None:
        # The archive's record keeps what it had; the API fills the rest.
        found = with_aliases(merge_records(existing, found, reason), [paper.title])
    local = Paper.from_dict(paper.to_dict())
    local.extra["resolved_arxiv_id"] = entry.arxiv_id
    local.extra["resolved_by"] = reason
    archive.save([found, local])
    papers[found.arxiv_id], papers[local.arxiv_id] = found, local
    return found, local


def run_resolve(
    settings: dict[str, Any],
    limit: int | None = None,
    dry_run: bool = False,
    client: PoliteClient | None = None,
    today: date | None = None,
    out=None,
    err=None,
) -> int:
    """Look up, write, merge; 0 when every lookup got an answer, 1 when some failed."""
    out, err = out or sys.stdout, err or sys.stderr
    today = today or date.today()
    archive = Archive(settings["ARXIV_ARCHIVE_PATH"])
    log_path = archive.root / LOG_NAME
    owns_client = client is None
    client = client or PoliteClient.from_settings(
        settings, log=lambda message: print(f"  {message}", file=err)
    )
    counts = {RESOLVED: 0, NO_MATCH: 0, NO_RESULT: 0, FAILED: 0}
    merges = []
    try:
        with archive.lock(on_wait=lambda: print("waiting for another run…", file=err)):
            papers = archive.load()
            log = load_json_file(log_path)
            retry_days = settings["ARXIV_RESOLVE_RETRY_DAYS"]
            todo = [k for k in lookup_order(papers, log) if due(papers[k], log, today, retry_days)]
            todo = todo[:limit] if limit else todo
            progress = Progress("resolve", len(todo), stream=err)
            for record_id in todo:
                progress.step(record_id)
                outcome, line = _resolve_one(archive, papers, record_id, settings, client, dry_run)
                counts[outcome["outcome"]] += 1
                if not dry_run:  # kept before it is told: a line shown is a result saved
                    log[record_id] = {**outcome, "tried": today.isoformat()}
                    replace_file(log_path, dump_json(log))
                print(line, file=out, flush=True)
            progress.done()
            if not dry_run:
                merges = dedupe_archive(archive, err=err)
    finally:
        if owns_client:
            client.close()
    for line in merge_lines(merges):
        print(line, file=out)
    verb = "would resolve" if dry_run else "resolved"
    print(
        f"resolve: {verb} {counts[RESOLVED]} of {sum(counts.values())} looked up; "
        f"{counts[NO_MATCH]} without a matching abstract, {counts[NO_RESULT]} without "
        f"results, {counts[FAILED]} failed",
        file=out,
    )
    return 1 if counts[FAILED] else 0


def _resolve_one(
    archive: Archive,
    papers: dict[str, Paper],
    record_id: str,
    settings: dict[str, Any],
    client: PoliteClient,
    dry_run: bool,
) -> tuple[dict[str, Any], str]:
    """One lookup: its log entry and its report line."""
    paper = papers[record_id]
    query = search_query(paper)
    if not query:
        return {"outcome": NO_RESULT, "query": ""}, f"{record_id}: no abstract phrase to ask by"
    try:
        entries = _answer(client, query_url(settings["ARXIV_API_URL"], query))
    except (FetchError, FeedError) as error:
        message = getattr(error, "message", str(error))
        return {"outcome": FAILED, "query": query, "error": message}, (
            f"error: {record_id}: {message}"
        )
    if not entries:
        return {"outcome": NO_RESULT, "query": query}, f"{record_id}: no result for {query}"
    candidate, best = judge(paper, entries)
    if candidate is None:
        return {"outcome": NO_MATCH, "query": query, "best": round(best, 2)}, (
            f"{record_id}: {len(entries)} results, no abstract matches (best similarity {best:.2f})"
        )
    entry = candidate.entry
    if not dry_run:
        _record_result(archive, papers, paper, entry, f"resolved: {candidate.reason}")
    verb = "would resolve" if dry_run else "resolved"
    return {"outcome": RESOLVED, "query": query, "arxiv_id": entry.arxiv_id}, (
        f"{record_id}: {verb} to {entry.arxiv_id} ({candidate.reason}): {entry.title}"
    )
