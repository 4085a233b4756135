"""The sitemap and robots.txt of a build, as bytes: pure functions.

The build records every indexable page it makes, kept from the last build or
rendered anew (``BuildState.sitemap``: the page's file -> its ``lastmod`` day):
paper and Pelican pages when their generators are done, listing pages in
``papershelf.site.listing.write_page``. Pages marked ``noindex`` (search, 404)
are never recorded. Nothing here reads the output, so the cost is one sort of
the recorded pages, and the bytes depend on the records alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import quote
from xml.sax.saxutils import escape

from papershelf.dates import dates_of

SITEMAP_PROTOCOL_LIMIT = 50_000  # URLs per sitemap file (sitemaps.org)
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def page_url(save_as: str) -> str:
    """The URL path (relative to the site root) a page file is served at."""
    if save_as == "index.html":
        return ""
    if save_as.endswith("/index.html"):
        return save_as[: -len("index.html")]
    return save_as


def newest(days: Iterable[str | None]) -> str | None:
    return max((day for day in days if day), default=None)


def article_lastmod(article) -> str | None:
    """A paper page's last change: its record's last version or its note's day,
    whichever is later; else its real date, else its import's day (None for pages
    without any)."""
    paper = getattr(article, "paper", None)
    note = getattr(article, "note", None)
    days = [paper.last_updated if paper is not None else None]
    if note is not None and getattr(note, "date", None):
        days.append(note.date.strftime("%Y-%m-%d"))
    if not any(days):
        # The page changed on its real date, or an undated paper's on its import.
        dates = dates_of(article)
        days.append(dates.real_date or dates.import_day)
    return newest(days)


def listing_lastmod(context: Mapping) -> str | None:
    """A listing's last change: the newest paper it shows (its page's items, else
    its digest's papers); None for an index of everything (the newest of the site)."""
    page = context.get("page")
    items = getattr(page, "items", None)
    if items is None and context.get("digest") is not None:
        digest = context["digest"]
        items = [*digest.papers, *getattr(digest, "updated", [])]
    if items is None:
        return None
    return newest(article_lastmod(article) for article in items)


def _url_entry(location: str, lastmod: str | None) -> str:
    day = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(location)}</loc>{day}</url>\n"


def _document(root: str, body: list[str]) -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{NAMESPACE}">\n'
    return (head + "".join(body) + f"</{root}>\n").encode("utf-8")


def sitemap_files(
    pages: Mapping[str, str | None], site_url: str, name: str, max_urls: int
) -> dict[str, bytes]:
    """``name`` (e.g. sitemap.xml) listing every page, or, above ``max_urls`` pages,
    ``name`` as a sitemap index of ``<stem>-1.xml``, ``<stem>-2.xml``, ... each
    holding at most ``max_urls``. Paths are percent-encoded (a tag's URL keeps
    its script) and sorted, so the bytes depend on the pages alone. Pages without
    a day of their own (indexes of everything) get the newest day of the site.
    URLs are ``site_url`` + the page's path; with an empty ``site_url`` they are
    paths from the root."""
    base = site_url.rstrip("/") + "/"
    site_day = newest(pages.values())
    entries = sorted(
        (quote(page_url(save_as), safe="/"), day or site_day) for save_as, day in pages.items()
    )
    if len(entries) <= max_urls:
        return {name: _document("urlset", [_url_entry(base + u, d) for u, d in entries])}
    stem = name[: -len(".xml")] if name.endswith(".xml") else name
    files: dict[str, bytes] = {}
    index = []
    for start in range(0, len(entries), max_urls):
        part = entries[start : start + max_urls]
        part_name = f"{stem}-{start // max_urls + 1}.xml"
        files[part_name] = _document("urlset", [_url_entry(base + u, d) for u, d in part])
        day = newest(d for _, d in part)
        day_tag = f"<lastmod>{day}</lastmod>" if day else ""
        index.append(f"<sitemap><loc>{escape(base + part_name)}</loc>{day_tag}</sitemap>\n")
    files[name] = _document("sitemapindex", index)
    return files


def robots_txt(site_url: str, sitemap_name: str | None) -> bytes:
    """Every crawler may read everything (the search page says noindex itself, which
    a crawler must be allowed to read); the sitemap is named when its absolute URL
    is known (SITEURL set)."""
    lines = ["User-agent: *", "Disallow:"]
    if site_url and sitemap_name:
        lines += ["", f"Sitemap: {site_url.rstrip('/')}/{sitemap_name}"]
    return ("\n".join(lines) + "\n").encode("utf-8")
