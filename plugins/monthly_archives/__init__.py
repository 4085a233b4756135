"""monthly_archives: one page per month of papers (paginated) and an index of months.

A paper's month is that of its real date (papershelf.dates: its announcement day,
else its own date); an undated paper (known only from an import) is in no month.
Writes ``archive/index.html`` and ``archive/<YYYY-MM>/[page/<n>/]index.html``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

from pelican import signals
from pelican.generators import Generator

from papershelf.config import plugin_settings
from papershelf.dates import dates_of
from papershelf.site.listing import listing_key, paginate, write_page

logger = logging.getLogger(__name__)
LOG_PREFIX = "[monthly_archives]"


@dataclass
class MonthListing:
    month: str  # YYYY-MM
    papers: list  # newest first

    @property
    def year(self) -> str:
        return self.month[:4]

    @property
    def url(self) -> str:
        return f"archive/{self.month}/"


def build_month_listings(articles) -> list[MonthListing]:
    """Newest month first; papers in the order given (the site's: newest first)."""
    by_month: dict[str, list] = defaultdict(list)
    for article in articles:
        day = dates_of(article).real_date
        if day:
            by_month[day[:7]].append(article)
    return [MonthListing(month, by_month[month]) for month in sorted(by_month, reverse=True)]


def check_settings(pelican) -> None:
    plugin_settings(pelican.settings)  # MONTHS_URL: papershelf.settings


class MonthlyArchivesGenerator(Generator):
    def generate_context(self):
        self.month_listings = build_month_listings(self.context.get("articles", []))
        self.context["month_listings"] = self.month_listings

    def generate_output(self, writer):
        options = plugin_settings(self.settings)
        page_size = options["PAPERSHELF_LISTING_PAGE_SIZE"]
        counts = [(m.month, len(m.papers)) for m in self.month_listings]
        index = options["MONTHS_URL"] + "index.html"
        write_page(self, writer, index, "months", listing_key("months", counts))
        for listing in self.month_listings:
            for page in paginate(listing.papers, listing.url, page_size):
                key = page.key(listing.month)
                write_page(self, writer, page.save_as, "month", key, listing=listing, page=page)
        logger.info("%s %d months", LOG_PREFIX, len(self.month_listings))


def get_generators(pelican):
    return MonthlyArchivesGenerator


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.get_generators.connect(get_generators)
