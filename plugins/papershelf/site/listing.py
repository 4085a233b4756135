"""Listing pages shared by the page plugins: pagination and cache keys.

A listing page (digest, category, tag, ...) is cached by the render_cache
plugin under a key that hashes what the page shows: its own parameters and the
key of every article's card on it (``card_key``, else ``render_key``). Pages are
written by ``write_listing``.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from papershelf.build_state import build_state
from papershelf.dates import dates_of
from papershelf.site.sitemap import listing_lastmod


def listing_key(*parts: object, articles: Iterable = ()) -> str:
    """A key that changes when any part or any listed article changes."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\0")
    for article in articles:
        # What its card shows (``card_key``: its page's key less its related papers);
        # an article without a key is unknown: the page is always rendered.
        key = getattr(article, "card_key", None) or getattr(article, "render_key", None)
        digest.update((key or secrets.token_hex(16)).encode())
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass
class Page:
    number: int  # 1-based
    count: int  # pages in the listing
    items: Sequence
    url: str  # this page's URL, relative to the site root
    base_url: str  # the listing's first page
    total: int = 0  # papers in the whole listing, which every page states

    def key(self, *parts: object) -> str:
        """This page's cache key: ``parts`` (what names the listing), its place and
        the listing's size, which it shows even when its own papers stay the same."""
        return listing_key(*parts, self.number, self.count, self.total, articles=self.items)

    @property
    def compact(self) -> bool:
        """Pages past the first show one row a paper (title, date), not a card:
        a listing's later pages are for reaching a paper, and a card there would
        write every paper's authors, summary and tags again on each listing it
        is in (see the README's *Scale*)."""
        return self.number > 1

    @property
    def save_as(self) -> str:
        return self.url + "index.html"

    @property
    def previous_url(self) -> str | None:
        if self.number == 1:
            return None
        return self.base_url if self.number == 2 else f"{self.base_url}page/{self.number - 1}/"

    @property
    def next_url(self) -> str | None:
        return f"{self.base_url}page/{self.number + 1}/" if self.number < self.count else None


def paginate(items: Sequence, base_url: str, size: int) -> list[Page]:
    """Pages of ``size`` items at ``base_url`` and ``base_url/page/<n>/``."""
    count = max(1, math.ceil(len(items) / size))
    return [
        Page(
            number=number,
            count=count,
            items=items[(number - 1) * size : number * size],
            url=base_url if number == 1 else f"{base_url}page/{number}/",
            base_url=base_url,
            total=len(items),
        )
        for number in range(1, count + 1)
    ]


def write_page(
    generator,
    writer,
    save_as: str,
    template: str,
    key: str,
    *,
    noindex: bool = False,
    relative_urls: bool | None = None,
    **context,
) -> None:
    """Render one page through the site's writer, with its cache key, and record it
    for the sitemap (rendered or kept), unless it is ``noindex`` (the template then
    tells crawlers so) or a listing's later page: crawlers reach those by its page
    links, and as search results they are lists of titles (at 100,000 papers they
    were 19,000 sitemap entries). ``relative_urls=False``: links from the root even
    when the site's are relative (a page served at any path, like the 404 page)."""
    later_page = getattr(context.get("page"), "compact", False)
    if not noindex and not later_page:
        build_state(generator.settings).sitemap[save_as] = listing_lastmod(context)
    if relative_urls is None:
        relative_urls = generator.settings["RELATIVE_URLS"]
    writer.write_file(
        save_as,
        generator.get_template(template),
        generator.context,
        relative_urls=relative_urls,
        cache_key=key,
        noindex=noindex,
        **context,
    )


def write_listing_feed(
    generator,
    writer,
    papers: Sequence,
    setting: str,
    slug: str,
    title: str,
    page_url: str,
    *,
    ranked: bool = False,
):
    """The Atom feed of one listing (a tag, a category) at ``settings[setting]``
    formatted with ``slug``: its newest papers, at most FEED_MAX_ITEMS, following the
    listing's page at ``page_url`` (see papershelf.site.feeds). ``ranked``: the
    papers in the order given (a ranking, as its page shows them)."""
    template = generator.settings.get(setting)
    if not template:
        return
    # Only dated papers: an undated one is on the listing's page, not in its feed.
    newest = [article for article in papers if dates_of(article).is_dated]
    if not ranked:
        newest.sort(key=lambda article: (article.date, article.slug), reverse=True)
    newest = newest[: generator.settings.get("FEED_MAX_ITEMS")]
    path = template.format(slug=slug)
    options = {}
    if getattr(writer, "accepts_cache_key", False):  # render_cache keeps unchanged feeds
        options["cache_key"] = listing_key("feed", path, title, page_url, articles=newest)
    if getattr(writer, "accepts_alternate", False):  # papershelf.site.feeds.FeedWriter
        options["alternate"] = page_url
    writer.write_feed(
        newest, generator.context, path, feed_type="atom", feed_title=title, **options
    )
