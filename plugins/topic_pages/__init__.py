"""topic_pages: one page per topic of imported papers (paginated) and a topic index.

Papers imported from lists that group them by topic (paper-explorer) carry
``extra["topic"]``. The index shows each topic's paper count next to the count
its source stated, read once per build from ``<archive>/imports/*.json``
(written by the importer), so the build never re-parses a dump.

Writes ``topics/index.html`` and ``topics/<slug>/[page/<n>/]index.html``; slugs
keep the topic's own script (``topics/推理与思维链/``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from papershelf.config import plugin_settings
from papershelf.site.listing import listing_key, paginate, write_page

logger = logging.getLogger(__name__)
LOG_PREFIX = "[topic_pages]"

# Characters that are unsafe in a file name or a URL path segment.
_UNSAFE = re.compile(r"[\s/\\?#%:*\"<>|'`^{}\[\]&+;=@!$,]+")


def topic_slug(topic: str) -> str:
    """A stable, readable URL segment: the name (NFC, ASCII lowercased) with spaces,
    slashes and other unsafe characters as '-', e.g. ``Agent 与工具使用`` ->
    ``agent-与工具使用``; a name with nothing left gets a hash."""
    name = unicodedata.normalize("NFC", topic).strip()
    slug = _UNSAFE.sub("-", "".join(c.lower() if c.isascii() else c for c in name))
    slug = re.sub(r"-{2,}", "-", slug).strip("-.")
    return slug[:80] or "topic-" + hashlib.sha256(name.encode()).hexdigest()[:10]


@dataclass
class TopicListing:
    name: str
    slug: str
    url: str
    papers: list  # best first, then newest
    stated: int | None = None  # the count the source stated, if any

    @property
    def count_matches(self) -> bool:
        return self.stated is None or self.stated == len(self.papers)


def _rank(article) -> tuple:
    """Best first (score), then newest, then by id: a stable order."""
    return (-article.paper.score, -article.date.timestamp(), article.paper.arxiv_id)


def build_topic_listings(articles, stated: dict[str, int], url: str) -> list[TopicListing]:
    """One listing per topic, most papers first; slugs made unique deterministically;
    ``url``: TOPIC_URL, a template with ``{slug}``."""
    by_topic: dict[str, list] = defaultdict(list)
    for article in articles:
        paper = getattr(article, "paper", None)
        topic = paper.extra.get("topic") if paper else None
        if isinstance(topic, str) and topic.strip():
            by_topic[topic.strip()].append(article)
    listings, taken = [], set()
    for name in sorted(by_topic):
        slug = topic_slug(name)
        if slug in taken:  # two names, one slug ("A/B", "A B"): the later gets a hash
            slug = f"{slug}-{hashlib.sha256(name.encode()).hexdigest()[:6]}"
        taken.add(slug)
        papers = sorted(by_topic[name], key=_rank)
        listings.append(TopicListing(name, slug, url.format(slug=slug), papers, stated.get(name)))
    return sorted(listings, key=lambda listing: (-len(listing.papers), listing.name))


def read_stated_counts(archive: str, files: list[str]) -> dict[str, int]:
    """Topic -> the count its sources stated, summed over the files they were
    imported from; a missing or broken state file only hides the stated counts."""
    stated: dict[str, int] = defaultdict(int)
    for name in files:
        path = Path(archive) / name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        except ValueError as error:
            logger.warning("%s %s: not valid JSON (%s); no stated counts", LOG_PREFIX, path, error)
            continue
        for imported in data.get("files", {}).values():
            for topic, count in imported.get("stated_counts", {}).items():
                stated[topic] += int(count)
    return dict(stated)


def check_settings(pelican) -> None:
    plugin_settings(pelican.settings)  # TOPIC_*, TOPICS_URL: papershelf.settings


class TopicPagesGenerator(Generator):
    def generate_context(self):
        options = plugin_settings(self.settings)
        stated = read_stated_counts(
            options["ARXIV_ARCHIVE_PATH"], options["TOPIC_STATED_COUNT_FILES"]
        )
        self.topic_listings = build_topic_listings(
            self.context.get("articles", []), stated, options["TOPIC_URL"]
        )
        self.context["topic_listings"] = self.topic_listings
        # Paper pages link to their topic (rendered after every context is built).
        for listing in self.topic_listings:
            for article in listing.papers:
                article.topic_listing = listing

    def generate_output(self, writer):
        options = plugin_settings(self.settings)
        page_size = options["PAPERSHELF_LISTING_PAGE_SIZE"]
        counts = [(t.name, t.slug, len(t.papers), t.stated) for t in self.topic_listings]
        index = options["TOPICS_URL"] + "index.html"
        write_page(self, writer, index, "topics", listing_key("topics", counts))
        for listing in self.topic_listings:
            for page in paginate(listing.papers, listing.url, page_size):
                key = page.key("topic", listing.name, listing.stated)
                write_page(self, writer, page.save_as, "topic", key, listing=listing, page=page)
        mismatched = [t for t in self.topic_listings if not t.count_matches]
        for listing in mismatched:
            logger.warning(
                "%s topic %r: the source stated %d papers, the site has %d",
                LOG_PREFIX,
                listing.name,
                listing.stated,
                len(listing.papers),
            )
        logger.info("%s %d topics", LOG_PREFIX, len(self.topic_listings))


def get_generators(pelican):
    return TopicPagesGenerator


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.get_generators.connect(get_generators)
