"""paper_articles: one Pelican article per archive record, at /papers/<arxiv-id>/.

Records are read once per build; each article carries ``paper`` (the record)
and ``render_key`` (a hash of the record), which the render_cache plugin uses
to skip pages whose inputs did not change.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from html import escape

from pelican import signals
from pelican.contents import Article
from pelican.urlwrappers import Author, Category, Tag

from papershelf.archive import Archive, ArchiveError
from papershelf.categories import category_name
from papershelf.model import Paper
from papershelf.progress import Progress
from papershelf.site import plugin_settings
from papershelf.text import lead_sentences

logger = logging.getLogger(__name__)
LOG_PREFIX = "[paper_articles]"

DEFAULTS = {
    "PAPER_URL": "papers/{arxiv_id}/",
    "PAPER_SAVE_AS": "papers/{arxiv_id}/index.html",
}
# Bump when the article fields built here change, to invalidate cached pages.
FORMAT_VERSION = "1"


def check_settings(pelican) -> None:
    plugin_settings(pelican.settings)
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    pelican.settings.setdefault("JINJA_FILTERS", {})["category_name"] = category_name


def abstract_html(abstract: str) -> str:
    # Abstracts are plain text: escape everything, keep TeX for the math renderer.
    return f'<p class="abstract">{escape(abstract)}</p>' if abstract else ""


def paper_article(paper: Paper, digest: str, settings: dict, context: dict, source: str):
    """A Pelican Article for one record."""
    year, month, day = (int(part) for part in paper.announced.split("-"))
    summary_chars = plugin_settings(settings)["PAPERSHELF_SUMMARY_CHARS"]
    metadata = {
        "title": paper.title,
        "date": datetime(year, month, day),
        "slug": paper.arxiv_id,
        "url": settings["PAPER_URL"].format(arxiv_id=paper.arxiv_id),
        "save_as": settings["PAPER_SAVE_AS"].format(arxiv_id=paper.arxiv_id),
        "authors": [Author(name, settings) for name in paper.authors] or None,
        "category": Category(paper.primary_category or "uncategorized", settings),
        "tags": [Tag(term, settings) for term in paper.matched_keywords],
        "summary": escape(lead_sentences(paper.abstract, summary_chars)),
        "template": "paper",
    }
    metadata = {key: value for key, value in metadata.items() if value is not None}
    article = Article(
        abstract_html(paper.abstract),
        metadata,
        settings,
        source_path=source,
        context=context,
    )
    article.paper = paper
    article.category_names = {c: category_name(c) for c in paper.categories}
    article.render_key = hashlib.sha256(f"{FORMAT_VERSION}:{digest}".encode()).hexdigest()
    return article


def add_papers(generator) -> None:
    """Append an article per archive record to the article generator."""
    settings = generator.settings
    archive = Archive(plugin_settings(settings)["ARXIV_ARCHIVE_PATH"])
    files = archive.files()
    progress = Progress(f"{LOG_PREFIX} reading archive", len(files), every=2.0)
    articles = []
    for path in files:
        progress.step()
        try:
            paper, digest = archive.read(path)
            articles.append(paper_article(paper, digest, settings, generator.context, str(path)))
        except (ArchiveError, ValueError) as error:
            # One bad record is reported and skipped, not fatal (unless strict).
            if settings.get("PAPERSHELF_STRICT"):
                raise
            logger.error("%s %s", LOG_PREFIX, error)
    if files:
        progress.done()
    generator.articles.extend(articles)
    generator.articles.sort(key=lambda a: (a.date, a.slug), reverse=True)
    logger.info("%s %d papers from %s", LOG_PREFIX, len(articles), archive.root)


def drop_pelican_authors(generator) -> None:
    # The site has no author pages; Pelican would still scan every article per author.
    generator.authors = []


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_pretaxonomy.connect(add_papers)
    signals.article_generator_finalized.connect(drop_pelican_authors)
