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
import math
from collections import defaultdict
from dataclasses import dataclass, field

from pelican import signals
from pelican.generators import Generator

from papershelf.categories import category_name
from papershelf.site import plugin_settings

logger = logging.getLogger(__name__)
LOG_PREFIX = "[daily_digests]"


@dataclass
class Digest:
    day: str  # YYYY-MM-DD
    papers: list = field(default_factory=list)  # announced that day, best first
    updated: list = field(default_factory=list)  # replaced that day, seen before
    previous: Digest | None = None  # the day before (older)
    next: Digest | None = None  # the day after (newer)

    @property
    def url(self) -> str:
        return f"digest/{self.day}/"

    @property
    def save_as(self) -> str:
        return f"digest/{self.day}/index.html"


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


def build_digests(articles) -> list[Digest]:
    """Digests, newest first, linked to their neighbours."""
    announced, updated = defaultdict(list), defaultdict(list)
    for article in articles:
        paper = getattr(article, "paper", None)
        if paper is None:
            continue
        announced[paper.announced].append(article)
        for announcement in paper.announcements:
            if announcement.date != paper.announced:
                updated[announcement.date].append(article)
    days = sorted(set(announced) | set(updated), reverse=True)
    digests = [
        Digest(
            day,
            sorted(announced[day], key=by_score),
            sorted(updated[day], key=by_score),
        )
        for day in days
    ]
    for newer, older in zip(digests, digests[1:], strict=False):
        newer.previous, older.next = older, newer
    return digests


def build_categories(articles) -> list[CategoryListing]:
    listed = defaultdict(list)
    for article in articles:  # already newest first
        paper = getattr(article, "paper", None)
        for code in paper.categories if paper else ():
            listed[code].append(article)
    return [CategoryListing(code, listed[code]) for code in sorted(listed)]


class DigestGenerator(Generator):
    def generate_context(self):
        articles = self.context.get("articles", [])
        self.digests = build_digests(articles)
        self.category_listings = build_categories(articles)
        self.context["digests"] = self.digests
        self.context["category_listings"] = self.category_listings

    def _write(self, writer, save_as, template, **kwargs):
        writer.write_file(
            save_as,
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            **kwargs,
        )

    def generate_output(self, writer):
        options = plugin_settings(self.settings)
        home_days = options["PAPERSHELF_HOME_DAYS"]
        latest = self.digests[0] if self.digests else None
        self._write(
            writer,
            "index.html",
            "index",
            digest=latest,
            recent=self.digests[:home_days],
            page_name="index",
        )
        self._write(writer, "digest/index.html", "digests", page_name="digest/index")
        for digest in self.digests:
            self._write(writer, digest.save_as, "digest", digest=digest, page_name=digest.url)
        self._write(writer, "categories/index.html", "categories", page_name="categories/index")
        page_size = options["PAPERSHELF_LISTING_PAGE_SIZE"]
        for listing in self.category_listings:
            pages = max(1, math.ceil(len(listing.papers) / page_size))
            for number in range(1, pages + 1):
                url = listing.url + (f"page/{number}/" if number > 1 else "")
                self._write(
                    writer,
                    url + "index.html",
                    "arxiv_category",
                    listing=listing,
                    papers=listing.papers[(number - 1) * page_size : number * page_size],
                    page_number=number,
                    page_count=pages,
                    page_name=url,
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
