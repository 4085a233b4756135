"""sitemap_files: ``sitemap.xml`` (a sitemap index of several files above
``SITEMAP_MAX_URLS`` pages) and ``robots.txt`` naming it.

Not pelican-sitemap (see the README's *Search engines*): it lists the files it
finds in the output, which in a staged build misses every page the render cache
kept, and walks the whole tree. Here the pages come from what the build
recorded (``BuildState.sitemap``): paper and Pelican pages when their generators
are done, listing pages as ``write_page`` writes or keeps them. The files are
written when Pelican has finished, only if their bytes changed.
"""

from __future__ import annotations

import logging

from pelican import signals

from papershelf.build_state import build_state
from papershelf.config import plugin_settings
from papershelf.site.sitemap import article_lastmod, robots_txt, sitemap_files
from papershelf.site.staging import keep_or_write

logger = logging.getLogger(__name__)
LOG_PREFIX = "[sitemap_files]"


def check_settings(pelican) -> None:
    plugin_settings(pelican.settings)  # SITEMAP_*, ROBOTS_SAVE_AS: papershelf.settings


def record(generator, contents) -> None:
    pages = build_state(generator.settings).sitemap
    for content in contents:
        if content.save_as:
            pages[content.save_as] = article_lastmod(content)


def record_articles(generator) -> None:
    # Hidden pages are written and may be linked; drafts are not for readers.
    hidden = [*generator.hidden_articles, *generator.hidden_translations]
    record(generator, [*generator.articles, *generator.translations, *hidden])


def record_pages(generator) -> None:
    hidden = [*generator.hidden_pages, *generator.hidden_translations]
    record(generator, [*generator.pages, *generator.translations, *hidden])


def write_files(pelican) -> None:
    settings = pelican.settings
    options = plugin_settings(settings)
    site_url = settings.get("SITEURL") or ""
    name = options["SITEMAP_SAVE_AS"]
    if name:
        pages = build_state(settings).sitemap
        files = sitemap_files(pages, site_url, name, options["SITEMAP_MAX_URLS"])
        written = sum(keep_or_write(settings, file, data) for file, data in files.items())
        logger.info(
            "%s %d pages in %d file(s), %d changed", LOG_PREFIX, len(pages), len(files), written
        )
    if options["ROBOTS_SAVE_AS"]:
        keep_or_write(settings, options["ROBOTS_SAVE_AS"], robots_txt(site_url, name))


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_finalized.connect(record_articles)
    signals.page_generator_finalized.connect(record_pages)
    signals.finalized.connect(write_files)
