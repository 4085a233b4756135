"""theme_filters: the Jinja filters and tests every template of the theme may use.

``category_name`` (``cs.CL`` -> "Computation and Language"), ``source_label``
(a record's source as readers name it) and ``text_lang`` (``zh`` for Chinese
text, so it gets ``lang="zh"``), and the test ``han`` (``{% if alias is han %}``).
For the head (``partials/meta.html``, see papershelf.site.seo): ``og_locale``,
``page_url`` (a page's file -> its URL path), ``meta_description``, ``scholarly_article`` and
``json_ld`` (JSON that cannot close its script block), ``double_quoted`` (a
setting in a double-quoted attribute, its ``'`` kept), and the global
``canonical_siteurl``: ``SITEURL`` as set, which the writer does not make
relative, so canonical and OpenGraph URLs are absolute. For citing
(papershelf.site.citation, papershelf.site.coins): ``bibtex``,
``highwire`` (a paper's ``citation_*`` meta tags) and
``coins`` (a card's OpenURL for Zotero). ``paper_dates``: an article's dates
(papershelf.dates), which cards and paper pages show. ``lang_attr``:
`` lang="zh"`` only where the text's language is not its surroundings'
(``{{ title|text_lang|lang_attr }}``; inside an element of a note's language,
``{{ html_lang|lang_attr(note.lang) }}``). ``feed_root``: where a page's links to
the Atom feeds start (``{{ SITEURL|feed_root }}``), FEED_DOMAIN only when it is
not the site's own.
"""

from __future__ import annotations

import functools

from pelican import signals

from papershelf.dates import dates_of
from papershelf.ingest.categories import category_name
from papershelf.language import interface_lang, lang_attr
from papershelf.model import source_label
from papershelf.site.citation import bibtex, highwire_tags
from papershelf.site.coins import coins
from papershelf.site.feeds import feed_root
from papershelf.site.seo import (
    double_quoted,
    json_ld,
    meta_description,
    og_locale,
    scholarly_article,
)
from papershelf.site.sitemap import page_url
from papershelf.text import has_han, text_lang


def add_filters(pelican) -> None:
    settings = pelican.settings
    filters = settings.setdefault("JINJA_FILTERS", {})
    filters.update(category_name=category_name, source_label=source_label, text_lang=text_lang)
    filters["paper_dates"] = dates_of
    filters.update(
        og_locale=og_locale,
        page_url=page_url,
        scholarly_article=scholarly_article,
        json_ld=json_ld,
        meta_description=meta_description,
        double_quoted=double_quoted,
    )
    filters.update(
        bibtex=bibtex,
        highwire=highwire_tags,
        coins=coins,
    )
    site_url = (settings.get("SITEURL") or "").rstrip("/")
    feed_domain = (settings.get("FEED_DOMAIN") or "").rstrip("/")
    filters["feed_root"] = functools.partial(feed_root, site_url, feed_domain)
    filters["lang_attr"] = functools.partial(lang_attr, interface_lang(settings))
    settings["JINJA_GLOBALS"] = {**settings.get("JINJA_GLOBALS", {}), "canonical_siteurl": site_url}
    settings.setdefault("JINJA_TESTS", {})["han"] = has_han


def register() -> None:
    signals.initialized.connect(add_filters)
