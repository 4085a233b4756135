"""theme_filters: the Jinja filters and tests every template of the theme may use.

``category_name`` (``cs.CL`` -> "Computation and Language"), ``source_label``
(a record's source as readers name it) and ``text_lang`` (``zh`` for Chinese
text, so it gets ``lang="zh"``), and the test ``han`` (``{% if alias is han %}``).
"""

from __future__ import annotations

from pelican import signals

from papershelf.ingest.categories import category_name
from papershelf.model import source_label
from papershelf.text import has_han, text_lang


def add_filters(pelican) -> None:
    settings = pelican.settings
    filters = settings.setdefault("JINJA_FILTERS", {})
    filters.update(category_name=category_name, source_label=source_label, text_lang=text_lang)
    settings.setdefault("JINJA_TESTS", {})["han"] = has_han


def register() -> None:
    signals.initialized.connect(add_filters)
