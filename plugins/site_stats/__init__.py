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
from papershelf.site.i18n import filters, translations
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
        # The charts are drawn here, so their text is translated here (the interface's
        # catalog); the templates translate the rest.
        catalog = translations(self.settings)
        _, ngettext = catalog.gettext, catalog.ngettext
        number = filters(self.settings)["number"]
        weekly = weekly_by_source(articles, options["STATS_WEEKS"])
        weekly_named = Timeline(
            weekly.periods,
            [Series(_(source_label(s.name)), s.values) for s in weekly.series],
        )
        tags = top_tags_by_month(articles, options["STATS_TOP_TAGS"], options["STATS_MONTHS"])
        ratings = rating_distribution(articles)
        rating_labels = [f"{step:g}" for step in ratings.steps]
        figures = {
            "totals": totals(articles),
            "weekly": weekly_named,
            "weekly_svg": charts.stacked_bars(
                "chart-weekly",
                _("Papers per week by source"),
                ngettext(
                    "%(num)s paper over %(weeks)s weeks; each bar is one week, split by "
                    "where its papers came from.",
                    "%(num)s papers over %(weeks)s weeks; each bar is one week, split by "
                    "where its papers came from.",
                    weekly.total,
                )
                % {"num": number(weekly.total), "weeks": number(len(weekly.periods))},
                weekly_named,
            ),
            "tags": tags,
            "tags_svg": charts.lines(
                "chart-tags",
                _("Most used tags per month"),
                _("Papers per month for the %(tags)s most used tags, over %(months)s months.")
                % {"tags": number(len(tags.series)), "months": number(len(tags.periods))},
                tags,
            ),
            "ratings": ratings,
            "rating_labels": rating_labels,
            "ratings_svg": charts.bars(
                "chart-ratings",
                _("Curator ratings"),
                ngettext(
                    "%(num)s rated note by rating, from 1 to 5 in half stars.",
                    "%(num)s rated notes by rating, from 1 to 5 in half stars.",
                    sum(ratings.counts),
                )
                % {"num": number(sum(ratings.counts))},
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
