"""error_page: ``404.html`` at the root of the output, in the theme, with the
search box and links to the home, tags and digests.

GitHub Pages (and most static hosts) serve it for any missing path, at that
path, so its links cannot be relative: it is written with links from the root
(``SITEURL``-based) whatever ``RELATIVE_URLS`` says, and marked ``noindex``.
"""

from __future__ import annotations

from pelican import signals
from pelican.generators import Generator

from papershelf.config import plugin_settings
from papershelf.site.listing import listing_key, write_page


def check_settings(pelican) -> None:
    plugin_settings(pelican.settings)  # NOT_FOUND_SAVE_AS: papershelf.settings


class ErrorPageGenerator(Generator):
    def generate_context(self):
        pass

    def generate_output(self, writer):
        save_as = plugin_settings(self.settings)["NOT_FOUND_SAVE_AS"]
        if save_as:
            key = listing_key("404")
            write_page(self, writer, save_as, "404", key, noindex=True, relative_urls=False)


def get_generators(pelican):
    return ErrorPageGenerator


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.get_generators.connect(get_generators)
