"""``papershelf fetch``: read feeds, merge them into the archive, report."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from papershelf.archive import Archive
from papershelf.errors import PapershelfError, UsageError
from papershelf.ingest.client import FetchError, PoliteClient
from papershelf.ingest.dedupe_run import dedupe_records, merge_lines
from papershelf.ingest.feeds import FeedError, ParsedFeed, parse_feed
from papershelf.ingest.matching import KeywordMatcher
from papershelf.ingest.merge import merge_feeds
from papershelf.progress import Progress

FEED_SUFFIXES = (".xml", ".rss", ".atom")


@dataclass
class FeedSource:
    name: str  # what messages call the feed: its category, file or URL
    location: str  # a path or an http(s) URL

    @property
    def is_url(self) -> bool:
        return self.location.startswith(("http://", "https://"))


def resolve_sources(settings: dict[str, Any], sources: list[str] | None) -> list[FeedSource]:
    """The feeds to read: configured categories, or the given files, dirs, URLs."""
    if not sources:
        return [
            FeedSource(category, settings["ARXIV_FEED_URL"].format(category=category))
            for category in settings["ARXIV_CATEGORIES"]
        ]
    resolved = []
    for source in sources:
        if source.startswith(("http://", "https://")):
            resolved.append(FeedSource(source, source))
            continue
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix in FEED_SUFFIXES)
            if not files:
                raise UsageError(
                    "no feed files (*.xml, *.rss, *.atom) in this folder",
                    where=source,
                    fix="give a folder of saved feeds, a feed file or a URL",
                )
            resolved.extend(FeedSource(p.name, str(p)) for p in files)
        elif path.is_file():
            resolved.append(FeedSource(path.name, source))
        else:
            raise UsageError(
                "no such file, directory or URL",
                where=source,
                fix="check the path; a URL starts with http:// or https://",
            )
    return resolved


# Media types no feed comes as (servers label feeds as XML, text or octet-stream).
NOT_FEED_TYPES = ("image/", "audio/", "video/", "font/", "application/json", "application/pdf")


def _read(
    source: FeedSource, client: PoliteClient | None, state: dict, max_bytes: int
) -> bytes | None:
    """The feed's bytes, or None when the server says it has not changed."""
    if not source.is_url:
        # Refused before it is read, like a download over the cap.
        size = Path(source.location).stat().st_size
        if size > max_bytes:
            raise FeedError(
                f"{size:,} bytes, over the {max_bytes:,}-byte cap (ARXIV_MAX_FEED_BYTES)",
                fix="raise ARXIV_MAX_FEED_BYTES if the feed is genuine",
            )
        return Path(source.location).read_bytes()
    remembered = state.get(source.location, {})
    response = client.get(source.location, remembered.get("etag"), remembered.get("last_modified"))
    if response.not_modified:
        return None
    media_type = response.content_type.split(";")[0].strip().lower()
    if media_type == "text/html":
        # Real HTML is rarely well-formed XML: say what it is, not "malformed XML".
        raise FeedError(f"not an RSS or Atom feed (an HTML page: {response.content_type})")
    if media_type.startswith(NOT_FEED_TYPES):
        raise FeedError(f"not an RSS or Atom feed (the server sent {media_type})")
    validators = {"etag": response.etag, "last_modified": response.last_modified}
    state[source.location] = {k: v for k, v in validators.items() if v}
    return response.body


def failure_line(name: str, error: Exception) -> str:
    """``name:line: message (fix)``: a feed's failure in the shape of every error."""
    if isinstance(error, PapershelfError):
        return str(PapershelfError(error.message, where=name, line=error.line, fix=error.fix))
    return f"{name}: {getattr(error, 'strerror', None) or error}"


def run_fetch(
    settings: dict[str, Any],
    sources: list[str] | None = None,
    announce_date: date | None = None,
    client: PoliteClient | None = None,
    out=None,
) -> int:
    """Fetch, merge and save; return the exit status (0 ok, 1 some feed failed)."""
    out = out or sys.stdout
    feeds = resolve_sources(settings, sources)
    archive = Archive(settings["ARXIV_ARCHIVE_PATH"])
    owns_client = client is None and any(f.is_url for f in feeds)
    if owns_client:
        client = PoliteClient.from_settings(
            settings, log=lambda message: print(f"  {message}", file=sys.stderr)
        )
    failures: list[str] = []
    quiet: list[str] = []
    parsed_feeds: list[tuple[str, ParsedFeed]] = []
    try:
        with archive.lock(on_wait=lambda: print("waiting for another fetch…", file=sys.stderr)):
            state = archive.load_state()
            new_state = dict(state)
            progress = Progress("fetch", len(feeds))
            for source in feeds:
                progress.step(source.name)
                try:
                    data = _read(source, client, new_state, settings["ARXIV_MAX_FEED_BYTES"])
                    if data is None:
                        quiet.append(f"{source.name}: not modified since the last fetch")
                        continue
                    parsed = parse_feed(data, announce_date)
                except (FetchError, FeedError, OSError) as error:
                    failures.append(failure_line(source.name, error))
                    new_state.pop(source.location, None)  # retry it in full next time
                    continue
                if not parsed.entries:
                    quiet.append(f"{source.name}: no announcements ({parsed.date or 'no date'})")
                    continue
                parsed_feeds.append((source.name, parsed))
            progress.done()

            # Only the records this fetch can change or merge with are read, never the
            # whole archive: a day's fetch costs the same into 100,000 papers as into none.
            listed = {entry.arxiv_id for _, parsed in parsed_feeds for entry in parsed.entries}
            local = archive.load_local()
            existing = {**local, **archive.load_ids(listed)}
            result = merge_feeds(
                existing,
                parsed_feeds,
                KeywordMatcher(
                    settings["ARXIV_KEYWORDS"],
                    settings["ARXIV_EXCLUDE_KEYWORDS"],
                    settings["ARXIV_TITLE_BONUS"],
                ),
                settings["ARXIV_MIN_SCORE"],
                settings["ARXIV_MAX_PAPERS_PER_DAY"],
            )
            written = archive.save(result.changed.values())
            # A fetched (arXiv) record can be a duplicate only of a local record: two
            # arXiv ids never merge, and each has one file. ``papershelf dedupe`` reads all.
            merges = dedupe_records(archive, {**local, **result.changed})
            total = archive.count()
            if new_state != state:
                archive.save_state(new_state)
    finally:
        if owns_client:
            client.close()

    for outcome in result.outcomes:
        print(outcome.line(), file=out)
    for line in quiet:
        print(line, file=out)
    for line in merge_lines(merges):
        print(line, file=out)
    print(
        f"archive: {total} papers, {written} files written ({len(result.changed)} records changed)",
        file=out,
    )
    for line in failures:
        print(f"error: {line}", file=out)
    if failures:
        print(
            f"{len(failures)} of {len(feeds)} feeds failed; the archive kept everything "
            "it had and took what the other feeds brought",
            file=out,
        )
    return 1 if failures else 0
