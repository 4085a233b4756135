"""top_papers: the best papers of each ISO week and each month, with an Atom feed each.

Writes ``<TOP_URL>index.html`` (every week and month with papers, newest first,
with counts), ``<TOP_URL>week/<YYYY-Www>/index.html`` and
``<TOP_URL>month/<YYYY-MM>/index.html`` (the ``TOP_SIZE`` best by the
``TOP_BLEND`` rank value, with the previous and next period) and a feed per
period at ``TOP_FEED_ATOM``. Puts ``top_periods`` in the context, so the home
and digest pages link to their week and month. The periods and the ranking are
``papershelf.site.top``.
"""

from __future__ import annotations

import logging

from pelican import signals
from pelican.generators import Generator

from papershelf.config import plugin_settings
from papershelf.site.i18n import filters, translations
from papershelf.site.listing import listing_key, paginate, write_listing_feed, write_page
from papershelf.site.top import KINDS, TopPeriods, build_periods

logger = logging.getLogger(__name__)
LOG_PREFIX = "[top_papers]"


def check_settings(pelican) -> None:
    plugin_settings(pelican.settings)  # TOP_URL, TOP_SIZE, TOP_BLEND: papershelf.settings


def period_key(period) -> str:
    """What a period's page shows: its papers, their ranks and values, and the
    neighbours it links to."""
    neighbours = (getattr(period.previous, "key", None), getattr(period.next, "key", None))
    ranks = [(r.rank, r.value) for r in period.shown]
    return listing_key(
        "top",
        period.kind,
        period.key,
        neighbours,
        period.count,
        ranks,
        articles=[r.article for r in period.shown],
    )


def feed_title(settings, period) -> str:
    gettext = translations(settings).gettext
    if period.kind == "week":
        return gettext("best of week %(week)s, %(year)s") % {
            "week": period.week,
            "year": period.year,
        }
    return gettext("best of %(month)s") % {"month": filters(settings)["month_text"](period.key)}


class TopPapersGenerator(Generator):
    def generate_context(self):
        options = plugin_settings(self.settings)
        articles = self.context.get("articles", [])
        blend, url, size = options["TOP_BLEND"], options["TOP_URL"], options["TOP_SIZE"]
        self.periods = TopPeriods(
            *(build_periods(articles, kind, blend, url, size) for kind in KINDS)
        )
        self.context["top_periods"] = self.periods

    def generate_output(self, writer):
        options = plugin_settings(self.settings)
        counts = [(p.kind, p.key, p.count) for p in self.periods.weeks + self.periods.months]
        index = options["TOP_URL"] + "index.html"
        write_page(self, writer, index, "top_index", listing_key("top-index", counts))
        for period in self.periods.weeks + self.periods.months:
            shown = [r.article for r in period.shown]
            # One page of the shown papers: the sitemap dates it by them.
            (page,) = paginate(shown, period.url, max(1, len(shown)))
            write_page(
                self,
                writer,
                page.save_as,
                "top",
                period_key(period),
                period=period,
                page=page,
                blend=options["TOP_BLEND"],
            )
            title = feed_title(self.settings, period)
            write_listing_feed(
                self, writer, shown, "TOP_FEED_ATOM", period.slug, title, period.url, ranked=True
            )
        logger.info(
            "%s %d weeks, %d months",
            LOG_PREFIX,
            len(self.periods.weeks),
            len(self.periods.months),
        )


def get_generators(pelican):
    return TopPapersGenerator


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.get_generators.connect(get_generators)
