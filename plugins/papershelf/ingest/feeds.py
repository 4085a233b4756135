"""Parse arXiv feeds (RSS 2.0, Atom, API answers) into plain entries.

Pure: bytes in, entries out. feedparser does the XML work, with its HTML
sanitiser off so that abstract text such as ``<think>`` survives as text.
"""

from __future__ import annotations

import re
import xml.sax
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime

import feedparser

from papershelf.errors import FeedError
from papershelf.ingest.categories import is_category_code
from papershelf.model import find_arxiv_id
from papershelf.text import collapse_whitespace, split_authors

_DESCRIPTION_RE = re.compile(
    r"^\s*arXiv:(?P<id>\S+)\s+Announce Type:\s*(?P<type>[\w-]+)\s*"
    r"(?:Abstract:\s*)?(?P<abstract>.*)$",
    re.DOTALL,
)


@dataclass
class FeedEntry:
    arxiv_id: str
    version: int
    title: str
    authors: list[str]
    abstract: str
    categories: list[str]  # primary first
    announce_type: str
    date: str  # YYYY-MM-DD of the announcement (or publication, for API answers)
    comment: str = ""
    journal_ref: str = ""
    doi: str = ""
    updated: str = ""  # YYYY-MM-DD of the latest version (API answers only)

    @property
    def primary_category(self) -> str:
        return self.categories[0] if self.categories else ""


@dataclass
class ParsedFeed:
    kind: str  # "rss", "atom" or "api"
    title: str
    date: str | None
    entries: list[FeedEntry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # why entries were dropped


def _local_date(value: str | None) -> str | None:
    """The calendar date of a feed timestamp, in the timezone it was written in."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError):
        return None


def _feed_kind(parsed) -> str:
    if parsed.get("version", "").startswith("atom"):
        title = parsed.feed.get("title", "")
        return "api" if title.startswith("ArXiv Query") else "atom"
    return "rss"


def _check_usable(parsed) -> None:
    exc = parsed.get("bozo_exception")
    if parsed.get("bozo") and isinstance(exc, xml.sax.SAXException):
        line = exc.getLineNumber() if hasattr(exc, "getLineNumber") else None
        raise FeedError(
            f"malformed or truncated XML ({exc.getMessage()})",
            line=line,
            fix="the feed was not applied; fetch it again later",
        )
    title = parsed.feed.get("title", "")
    if title.startswith("Feed error for query"):
        raise FeedError(
            f"arXiv answered {title!r}", fix="check the category name in ARXIV_CATEGORIES"
        )
    # An empty body gives a result without even a "version" key.
    if not parsed.get("version"):
        raise FeedError("not an RSS or Atom feed (an HTML error page, or empty?)")


def _entry(raw, kind: str, feed_date: str | None) -> FeedEntry:
    if "/api/errors" in raw.get("id", ""):  # the API's way of saying a query was bad
        raise FeedError(f"arXiv answered an error: {collapse_whitespace(raw.get('summary', ''))}")
    found = find_arxiv_id(raw.get("id", "")) or find_arxiv_id(raw.get("link", ""))
    summary = raw.get("summary", "")
    announce_type = raw.get("arxiv_announce_type", "")
    match = _DESCRIPTION_RE.match(summary) if kind != "api" else None
    if match:
        found = find_arxiv_id(match.group("id")) or found
        announce_type = announce_type or match.group("type")
        abstract = match.group("abstract")
    else:
        abstract = summary
    if not found:
        raise FeedError(f"entry {raw.get('title', '?')!r} has no arXiv id")
    arxiv_id, version = found
    version = version or 1
    if not announce_type:
        announce_type = "new" if version == 1 else "replace"

    categories = [tag["term"] for tag in raw.get("tags", []) if tag.get("term")]
    primary = raw.get("arxiv_primary_category", {}).get("term")
    if primary:
        categories = [primary] + [c for c in categories if c != primary]
    # The API lists MSC/ACM classes among categories; keep arXiv ones only.
    categories = list(dict.fromkeys(c for c in categories if is_category_code(c)))

    if kind == "api":
        authors = [collapse_whitespace(a.get("name", "")) for a in raw.get("authors", [])]
        authors = split_authors(", ".join(a for a in authors if a))
        entry_date = _local_date(raw.get("published"))
        updated = _local_date(raw.get("updated")) or ""
    else:
        updated = ""
        authors = split_authors(raw.get("author", ""))
        entry_date = _local_date(raw.get("published")) or feed_date
    if not entry_date:
        raise FeedError(f"entry {arxiv_id} has no date; pass --date YYYY-MM-DD")

    return FeedEntry(
        arxiv_id=arxiv_id,
        version=version,
        title=collapse_whitespace(raw.get("title", "")),
        authors=authors,
        abstract=collapse_whitespace(abstract),
        categories=categories,
        announce_type=announce_type,
        date=entry_date,
        comment=collapse_whitespace(raw.get("arxiv_comment", "")),
        journal_ref=collapse_whitespace(raw.get("arxiv_journal_ref", "")),
        doi=collapse_whitespace(raw.get("arxiv_doi", "")),
        updated=updated,
    )


def parse_feed(data: bytes, announce_date: date | None = None) -> ParsedFeed:
    """Parse one feed document; raise FeedError when it is unusable as a whole.

    ``announce_date`` overrides the listing day the feed states.
    """
    try:
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    except (ValueError, LookupError) as error:  # UnicodeError, "embedded null character"
        # feedparser decodes the encoding name of the XML declaration itself, and
        # fails on a byte there that is not UTF-8 (encoding='UTF-8\x99') or a NUL.
        raise FeedError(
            f"unreadable XML declaration ({error.__class__.__name__}: {error})",
            line=1,
            fix="the feed was not applied; fetch it again later",
        ) from None
    _check_usable(parsed)
    kind = _feed_kind(parsed)
    feed_date = announce_date.isoformat() if announce_date else None
    feed_date = feed_date or _local_date(parsed.feed.get("published") or parsed.feed.get("updated"))
    result = ParsedFeed(kind=kind, title=parsed.feed.get("title", ""), date=feed_date)
    for raw in parsed.entries:
        try:
            entry = _entry(raw, kind, feed_date)
        except FeedError as error:
            result.skipped.append(error.reason)
            continue
        if announce_date:
            entry.date = announce_date.isoformat()
        result.entries.append(entry)
    return result
