"""tag_pages: one page per tag, newest first and best first, and a tag index.

Pelican's own tag pages are replaced: they cost a quadratic scan per tag
(every article against every tagged article), which a 10,000-paper site
cannot afford, and they cannot be cached per page.

Writes ``tags/index.html`` (the most used tags as a cloud, then every tag
grouped by initial), ``tags/<slug>/[page/<n>/]index.html`` (newest first),
``tags/<slug>/top/[page/<n>/]index.html`` (best first: curator rating, then
keyword score), when ``TAG_FEED_ATOM`` is set an Atom feed per tag, and a
redirect page (papershelf.site.redirects) at the old URL of each spelling that
joined another tag.
"""

from __future__ import annotations

import logging

from pelican import signals
from pelican.generators import Generator

from papershelf.config import plugin_settings
from papershelf.notes.tags import tag_aliases
from papershelf.site.i18n import translations
from papershelf.site.listing import listing_key, paginate, write_listing_feed, write_page
from papershelf.site.redirects import write_redirect
from papershelf.site.tag_listing import (
    build_tag_listings,
    group_by_initial,
    tag_cloud,
)

logger = logging.getLogger(__name__)
LOG_PREFIX = "[tag_pages]"


def check_settings(pelican) -> None:
    plugin_settings(pelican.settings)  # TAG_CLOUD_SIZE, TAG_BEST_URL: papershelf.settings


def drop_pelican_tags(generator) -> None:
    generator.tags = {}


class TagPagesGenerator(Generator):
    def generate_context(self):
        options = plugin_settings(self.settings)
        articles = self.context.get("articles", [])  # tags resolved by paper_articles
        self.tag_listings = build_tag_listings(
            articles, tag_aliases(self.settings), options["TAG_BEST_URL"]
        )
        self.context["tag_listings"] = self.tag_listings

    def generate_output(self, writer):
        options = plugin_settings(self.settings)
        page_size = options["PAPERSHELF_LISTING_PAGE_SIZE"]
        cloud = tag_cloud(self.tag_listings, options["TAG_CLOUD_SIZE"])
        groups = group_by_initial(self.tag_listings)
        counts = [(t.name, t.url, t.count) for t in self.tag_listings]
        key = listing_key("tags", counts, options["TAG_CLOUD_SIZE"])
        write_page(self, writer, "tags/index.html", "tags", key, cloud=cloud, groups=groups)
        for listing in self.tag_listings:
            orders = [("newest", listing.url, listing.papers)]
            if listing.best_url:
                orders.append(("best", listing.best_url, listing.best_first()))
            for order, url, papers in orders:
                for page in paginate(papers, url, page_size):
                    key = page.key(listing.name, listing.aliases, order)
                    write_page(
                        self,
                        writer,
                        page.save_as,
                        "tag",
                        key,
                        listing=listing,
                        page=page,
                        order=order,
                    )
            title = translations(self.settings).gettext("papers tagged %(tag)s") % {
                "tag": listing.name
            }
            write_listing_feed(
                self, writer, listing.papers, "TAG_FEED_ATOM", listing.tag.slug, title, listing.url
            )
        # A spelling that joined another tag: its old page sends readers on.
        moved = self.context.get("tag_redirects", [])
        for old, tag in moved:
            write_redirect(self, writer, old.save_as, tag.url, tag.name)
        logger.info("%s %d tags, %d redirects", LOG_PREFIX, len(self.tag_listings), len(moved))


def get_generators(pelican):
    return TagPagesGenerator


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.get_generators.connect(get_generators)
    signals.article_generator_finalized.connect(drop_pelican_tags)
