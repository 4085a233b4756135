"""Redirect pages: a page that moved keeps its old URL as a small static page.

No script (the site's CSP allows none inline): ``<meta http-equiv="refresh">``
sends browsers on, ``<link rel="canonical">`` tells crawlers where the page
lives now, a plain link serves everyone else, and ``noindex`` keeps the old URL
out of search engines and the sitemap. Tags whose spelling joined another use
it (tag_pages); so can any page that moves, such as a merged paper's.
"""

from __future__ import annotations

from papershelf.site.listing import listing_key, write_page

TEMPLATE = "redirect"


def write_redirect(generator, writer, save_as: str, target_url: str, target_title: str) -> None:
    """Write ``save_as`` (e.g. ``tags/llms/index.html``) sending readers to
    ``target_url`` (relative to the site root, e.g. ``tags/llm/``), whose title
    the page's link shows. Cached like a listing: unchanged, it is not rendered."""
    key = listing_key(TEMPLATE, save_as, target_url, target_title)
    write_page(
        generator,
        writer,
        save_as,
        TEMPLATE,
        key,
        noindex=True,
        target_url=target_url,
        target_title=target_title,
    )
