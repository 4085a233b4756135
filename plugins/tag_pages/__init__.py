"""tag_pages: one page per tag (paginated, newest first) and a tag index.

Pelican's own tag pages are replaced: they cost a quadratic scan per tag
(every article against every tagged article), which a 10,000-paper site
cannot afford, and they cannot be cached per page.

Writes ``tags/index.html``, ``tags/<slug>/[page/<n>/]index.html`` and, when
``TAG_FEED_ATOM`` is set, an Atom feed per tag.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

from pelican import signals
from pelican.generators import Generator

from papershelf.listing import listing_key, paginate, write_listing_feed, write_page
from papershelf.site import plugin_settings

logger = logging.getLogger(__name__)
LOG_PREFIX = "[tag_pages]"


@dataclass
class TagListing:
    tag: object  # pelican.urlwrappers.Tag: name, slug, url
    papers: list  # newest first

    @property
    def name(self) -> str:
        return self.tag.name

    @property
    def url(self) -> str:
        return self.tag.url


def build_tag_listings(articles) -> list[TagListing]:
    by_slug: dict[str, list] = defaultdict(list)
    tag_of: dict[str, object] = {}
    for article in articles:  # already newest first
        for tag in getattr(article, "tags", ()):
            tag_of.setdefault(tag.slug, tag)
            by_slug[tag.slug].append(article)
    return [
        TagListing(tag_of[slug], by_slug[slug])
        for slug in sorted(by_slug, key=lambda slug: (tag_of[slug].name.lower(), slug))
    ]


def drop_pelican_tags(generator) -> None:
    generator.tags = {}


class TagPagesGenerator(Generator):
    def generate_context(self):
        self.tag_listings = build_tag_listings(self.context.get("articles", []))
        self.context["tag_listings"] = self.tag_listings

    def generate_output(self, writer):
        page_size = plugin_settings(self.settings)["PAPERSHELF_LISTING_PAGE_SIZE"]
        counts = [(t.name, t.url, len(t.papers)) for t in self.tag_listings]
        write_page(self, writer, "tags/index.html", "tags", listing_key("tags", counts))
        for listing in self.tag_listings:
            for page in paginate(listing.papers, listing.url, page_size):
                key = listing_key(listing.name, page.number, page.count, articles=page.items)
                write_page(self, writer, page.save_as, "tag", key, listing=listing, page=page)
            title = f"papers tagged {listing.name}"
            write_listing_feed(
                self, writer, listing.papers, "TAG_FEED_ATOM", listing.tag.slug, title
            )
        logger.info("%s %d tags", LOG_PREFIX, len(self.tag_listings))


def get_generators(pelican):
    return TagPagesGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.article_generator_finalized.connect(drop_pelican_tags)
