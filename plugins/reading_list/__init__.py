"""reading_list: the reader's own list of saved papers, at ``saved/``.

The list lives in the reader's browser (localStorage, written by
``theme/static/js/saved.js``), so the build writes one page with no paper on it:
``saved-page.js`` fills it from storage and from each saved paper's own page.
The page is per reader, hence ``noindex`` and out of the sitemap. The save
toggles on cards, paper pages and search results come from the theme
(``partials/save_button.html``, ``search-ui.js``); ``SAVED_SAVE_AS = ""`` turns
the page and the toggles off.
"""

from __future__ import annotations

from pelican import signals
from pelican.generators import Generator

from papershelf.config import plugin_settings
from papershelf.site.listing import listing_key, write_page


def check_settings(pelican) -> None:
    plugin_settings(pelican.settings)  # SAVED_URL, SAVED_SAVE_AS: papershelf.settings


class ReadingListGenerator(Generator):
    def generate_context(self):
        pass

    def generate_output(self, writer):
        save_as = plugin_settings(self.settings)["SAVED_SAVE_AS"]
        if save_as:
            write_page(self, writer, save_as, "saved", listing_key("saved"), noindex=True)


def get_generators(pelican):
    return ReadingListGenerator


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.get_generators.connect(get_generators)
