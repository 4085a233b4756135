"""site_stats: a page of what the site covers, with charts drawn at build time.

Writes ``stats/index.html``: papers per week by source, the most used tags per
month and the curators' ratings, each as inline SVG (papershelf.site.charts) with
the same numbers in a table. No JavaScript.
"""

from __future__ import annotations

import logging

from pelican import signals
from pelican.generators import Generator

from papershelf.config import plugin_settings
from papershelf.model import source_label
from papershelf.site import charts
from papershelf.site.listing import listing_key, write_page
from papershelf.site.stats import (
    Series,
    Timeline,
    rating_distribution,
    top_tags_by_month,
    totals,
    weekly_by_source,
)

logger = logging.getLogger(__name__)
LOG_PREFIX = "[site_stats]"


def check_settings(pelican) -> None:
    plugin_settings(pelican.settings)  # STATS_*: papershelf.settings


class StatsGenerator(Generator):
    def generate_output(self, writer):
        options = plugin_settings(self.settings)
        save_as = options["STATS_SAVE_AS"]
        if not save_as:
            return
        articles = self.context.get("articles", [])
        weekly = weekly_by_source(articles, options["STATS_WEEKS"])
        weekly_named = Timeline(
            weekly.periods,
            [Series(source_label(s.name), s.values) for s in weekly.series],
        )
        tags = top_tags_by_month(articles, options["STATS_TOP_TAGS"], options["STATS_MONTHS"])
        ratings = rating_distribution(articles)
        rating_labels = [f"{step:g}" for step in ratings.steps]
        figures = {
            "totals": totals(articles),
            "weekly": weekly_named,
            "weekly_svg": charts.stacked_bars(
                "chart-weekly",
                "Papers per week by source",
                f"{weekly.total} papers over {len(weekly.periods)} weeks; each bar is one "
                "week, split by where its papers came from.",
                weekly_named,
            ),
            "tags": tags,
            "tags_svg": charts.lines(
                "chart-tags",
                "Most used tags per month",
                f"Papers per month for the {len(tags.series)} most used tags, "
                f"over {len(tags.periods)} months.",
                tags,
            ),
            "ratings": ratings,
            "rating_labels": rating_labels,
            "ratings_svg": charts.bars(
                "chart-ratings",
                "Curator ratings",
                f"{sum(ratings.counts)} rated notes by rating, from 1 to 5 in half stars.",
                rating_labels,
                ratings.counts,
            ),
        }
        key = listing_key("stats", repr(figures))
        write_page(self, writer, save_as, "site_stats", key, **figures)
        logger.info("%s %d papers charted", LOG_PREFIX, len(articles))


def get_generators(pelican):
    return StatsGenerator


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.get_generators.connect(get_generators)
