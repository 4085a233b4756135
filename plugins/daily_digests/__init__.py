"""daily_digests: the home page, one digest page per announcement day, and
arXiv category pages (cross-lists included) with readable names.

Writes, from the papers the paper_articles plugin added:
  index.html                          latest digest and recent days
  digest/index.html                   every day with its paper count
  digest/<YYYY-MM-DD>/index.html      that day's papers by score, prev/next day
  categories/index.html               categories with counts
  categories/<code>/[page/<n>/]       papers listed in (or cross-listed to) it
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from pelican import signals
from pelican.generators import Generator

from papershelf.config import plugin_settings
from papershelf.dates import dates_of
from papershelf.ingest.categories import category_name, is_category_code
from papershelf.site.listing import listing_key, paginate, write_listing_feed, write_page

logger = logging.getLogger(__name__)
LOG_PREFIX = "[daily_digests]"


@dataclass
class Digest:
    day: str  # YYYY-MM-DD
    papers: list = field(default_factory=list)  # announced that day, best first
    updated: list = field(default_factory=list)  # replaced that day, seen before
    previous: Digest | None = None  # the day before (older)
    next: Digest | None = None  # the day after (newer)
    # Papers shown as cards before the rows: every day's digest would otherwise hold
    # fifty cards for good, the largest share of a long archive's listings.
    cards: int = 0

    @property
    def url(self) -> str:
        return f"digest/{self.day}/"

    def key(self) -> str:
        neighbours = (getattr(self.previous, "day", None), getattr(self.next, "day", None))
        return listing_key(
            self.day,
            neighbours,
            len(self.papers),
            self.cards,
            articles=self.papers + self.updated,
        )


@dataclass
class CategoryListing:
    code: str
    papers: list

    @property
    def name(self) -> str:
        return category_name(self.code)

    @property
    def url(self) -> str:
        return f"categories/{self.code}/"


def by_score(article) -> tuple:
    return (-article.paper.score, article.paper.arxiv_id)


def build_digests(articles, recent_days: int, recent_cards: int, past_cards: int) -> list[Digest]:
    """Digests, newest first, linked to their neighbours; the newest ``recent_days``
    show ``recent_cards`` cards, older ones ``past_cards``."""
    announced, updated = defaultdict(list), defaultdict(list)
    for article in articles:
        # Only announced papers: a paper's own date or an import's day is no digest's.
        day_announced = dates_of(article).announcement_day
        if not day_announced:
            continue
        paper = article.paper
        announced[day_announced].append(article)
        for day in sorted({a.date for a in paper.announcements} - {day_announced}):
            updated[day].append(article)
    days = sorted(set(announced) | set(updated), reverse=True)
    digests = [
        Digest(
            day,
            sorted(announced[day], key=by_score),
            sorted(updated[day], key=by_score),
            cards=recent_cards if number < recent_days else past_cards,
        )
        for number, day in enumerate(days)
    ]
    for newer, older in zip(digests, digests[1:], strict=False):
        newer.previous, older.next = older, newer
    return digests


def build_categories(articles) -> list[CategoryListing]:
    listed = defaultdict(list)
    for article in articles:  # already newest first
        paper = getattr(article, "paper", None)
        for code in paper.categories if paper else ():
            if is_category_code(code):  # a hand-edited record may hold anything
                listed[code].append(article)
    return [CategoryListing(code, listed[code]) for code in sorted(listed)]


def drop_pelican_categories(generator) -> None:
    # Pelican's own category pages list the primary category only and cost a
    # quadratic scan per category; ours include cross-lists.
    generator.categories = []


class DigestGenerator(Generator):
    def generate_context(self):
        articles = self.context.get("articles", [])
        options = plugin_settings(self.settings)
        self.digests = build_digests(
            articles,
            options["PAPERSHELF_HOME_DAYS"],
            options["PAPERSHELF_LISTING_PAGE_SIZE"],
            options["PAPERSHELF_PAST_DAY_CARDS"],
        )
        self.category_listings = build_categories(articles)
        self.context["digests"] = self.digests
        self.context["category_listings"] = self.category_listings

    def generate_output(self, writer):
        options = plugin_settings(self.settings)
        recent = self.digests[: options["PAPERSHELF_HOME_DAYS"]]
        latest = recent[0] if recent else None
        home_key = listing_key(
            "home", [(d.day, len(d.papers)) for d in recent], latest and latest.key()
        )
        write_page(self, writer, "index.html", "index", home_key, digest=latest, recent=recent)
        days_key = listing_key(
            "days", [(d.day, len(d.papers), len(d.updated)) for d in self.digests]
        )
        write_page(self, writer, "digest/index.html", "digests", days_key)
        for digest in self.digests:
            write_page(
                self, writer, digest.url + "index.html", "digest", digest.key(), digest=digest
            )

        counts = [(c.code, len(c.papers)) for c in self.category_listings]
        write_page(
            self, writer, "categories/index.html", "categories", listing_key("categories", counts)
        )
        for listing in self.category_listings:
            pages = paginate(listing.papers, listing.url, options["PAPERSHELF_LISTING_PAGE_SIZE"])
            for page in pages:
                key = page.key(listing.code)
                write_page(
                    self, writer, page.save_as, "arxiv_category", key, listing=listing, page=page
                )
            title = f"{listing.name} ({listing.code})"
            write_listing_feed(
                self, writer, listing.papers, "CATEGORY_FEED_ATOM", listing.code, title, listing.url
            )
        logger.info(
            "%s %d digests, %d categories",
            LOG_PREFIX,
            len(self.digests),
            len(self.category_listings),
        )


def get_generators(pelican):
    return DigestGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.article_generator_finalized.connect(drop_pelican_categories)
