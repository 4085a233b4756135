"""paper_articles: one Pelican article per paper, at /papers/<arxiv-id>/.

Its slug is the paper's arXiv id (or local id), so Pelican's own ARTICLE_URL and
ARTICLE_SAVE_AS (``papers/{slug}/`` in pelicanconf.py) place it, as they place
the notes that have no record.

An archive record and the curated note with its arXiv id (read by paper_notes)
become one article: the record's metadata and abstract, the note's body,
summary, rating, tags and links. A note without a record stays an article of
its own. Before merging, the notes are validated as ``papershelf check`` does,
and any problem stops the build.

Records are read once per build; each article carries ``paper`` (the record)
and ``render_key`` (a hash of the record), which the render_cache plugin uses
to skip pages whose inputs did not change.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from pelican import signals
from pelican.contents import Article
from pelican.urlwrappers import Author, Category, Tag

from papershelf.archive import Archive, ArchiveError
from papershelf.build_state import build_state
from papershelf.ingest.categories import category_name
from papershelf.model import Paper, source_label
from papershelf.notes.check import check_paths, site_index
from papershelf.notes.render import render_abstract, render_inline_math, render_markdown
from papershelf.progress import Progress
from papershelf.site.build import BuildError
from papershelf.site.options import note_paths, plugin_settings, tag_aliases
from papershelf.summaries.short import short_summary
from papershelf.text import has_han

logger = logging.getLogger(__name__)
LOG_PREFIX = "[paper_articles]"

# Bump when the article fields built here change, to invalidate cached pages.
FORMAT_VERSION = "2"


def check_settings(pelican) -> None:
    plugin_settings(pelican.settings)  # a bad setting stops the build before it starts
    filters = pelican.settings.setdefault("JINJA_FILTERS", {})
    filters.update(category_name=category_name, source_label=source_label, text_lang=text_lang)


def text_lang(text: str, default: str = "en") -> str:
    """``zh`` for text with Chinese in it, so it gets Chinese fonts and line breaking."""
    return "zh" if has_han(str(text)) else default


def _key(*parts: str) -> str:
    return hashlib.sha256(":".join((FORMAT_VERSION, *parts)).encode()).hexdigest()


def _tag(name: str, settings: dict) -> Tag:
    """One Tag object per name and build: each new Tag costs a slugify call."""
    tags = build_state(settings).tags
    if name not in tags:
        tags[name] = Tag(name, settings)
    return tags[name]


def _merged_tags(note, paper: Paper, settings: dict, aliases) -> list:
    """The note's tags, the record's imported tags, then its matched keywords:
    one per canonical tag."""
    names = [*paper.extra.get("tags", []), *paper.matched_keywords]
    tags = list(getattr(note, "tags", []) if note else [])
    tags += [_tag(aliases.canonical(name), settings) for name in names]
    unique: dict[str, Tag] = {}
    for tag in tags:
        unique.setdefault(tag.slug, tag)
    return list(unique.values())


def paper_date(paper: Paper) -> datetime:
    """When the paper was announced, or imported (papers from lists have no
    announcement)."""
    day = paper.announced or paper.extra.get("imported") or "1970-01-01"
    return datetime.fromisoformat(day)


def summarise(article, paper: Paper | None, note, settings: dict) -> None:
    """Choose the short summary (papershelf.summaries.short) and render the full ones."""
    options = plugin_settings(settings)
    extra = paper.extra if paper else {}
    ai_text = (extra.get("ai_summary") or {}).get("text", "")
    chosen = short_summary(
        paper.abstract if paper else "",
        options["PAPERSHELF_SUMMARY_CHARS"],
        note_summary=getattr(note, "note_summary", None),
        structured=extra.get("structured_summary"),
        ai_summary=ai_text,
    )
    # HTML with rendered math for cards and feeds; plain text for meta tags.
    article.metadata["summary"] = render_inline_math(chosen.text, settings)
    article.summary_text = chosen.text
    article.summary_lang = "zh" if has_han(chosen.text) else "en"
    article.summary_source = chosen if chosen.text else None
    article.ai_summary_html = render_markdown(ai_text, settings) if ai_text else ""
    structured = extra.get("structured_summary") or {}
    article.structured_lang = "zh" if any(has_han(v) for v in structured.values()) else "en"


def paper_article(paper: Paper, digest: str, settings: dict, context: dict, source: str, note=None):
    """A Pelican Article for one record, merged with its curated note if any."""
    metadata = {
        "title": paper.title,
        "date": paper_date(paper),
        # Pelican's ARTICLE_URL and ARTICLE_SAVE_AS place the page: papers/{slug}/.
        "slug": paper.arxiv_id,
        "authors": [Author(name, settings) for name in paper.authors] or None,
        "tags": _merged_tags(note, paper, settings, tag_aliases(settings)),
        "template": "paper",
    }
    if paper.primary_category:
        metadata["category"] = Category(paper.primary_category, settings)
    metadata = {key: value for key, value in metadata.items() if value is not None}
    abstract = render_abstract(paper.abstract, settings)
    content = note.content if note else abstract
    article = Article(content, metadata, settings, source_path=source, context=context)
    # Pelican formats ARTICLE_URL anew on every access, some twenty per paper and
    # build (3% of a build); a paper's place never changes: format it once.
    article.override_url, article.override_save_as = article.url, article.save_as
    article.paper = paper
    article.note = note
    article.abstract_html = abstract
    summarise(article, paper, note, settings)
    article.render_key = _key(digest, getattr(note, "note_hash", ""))
    return article


def note_only_article(note) -> None:
    """A note without an archive record is an article of its own."""
    note.note = note
    note.paper = None
    if getattr(note, "arxiv", None):
        note.paper = Paper(arxiv_id=note.arxiv, title=note.title)
    note.abstract_html = ""
    summarise(note, None, note, note.settings)
    note.render_key = _key("note", note.note_hash)


def _check_notes(papers: list[Paper], settings: dict) -> None:
    """The build runs the same validation as ``papershelf check`` and stops on errors."""
    options = plugin_settings(settings)
    problems = check_paths(
        note_paths(options),
        tag_aliases(settings),
        site_index(papers),
        max_bytes=options["PAPERSHELF_MAX_NOTE_BYTES"],
    )
    for problem in problems:
        logger.error("%s %s", LOG_PREFIX, problem)
    if problems:
        raise BuildError(
            f"{len(problems)} problem(s) in notes, shown above",
            fix="run 'papershelf check' for the list",
        )


def add_papers(generator) -> None:
    """Turn every archive record into an article, merged with its note if any."""
    settings = generator.settings
    options = plugin_settings(settings)
    archive = Archive(options["ARXIV_ARCHIVE_PATH"])
    files = archive.files()
    progress = Progress(f"{LOG_PREFIX} reading archive", len(files), every=2.0)
    records = []
    for path in files:
        progress.step()
        try:
            records.append((*archive.read(path), str(path)))
        except ArchiveError as error:
            # One bad record is reported and skipped, not fatal (unless strict).
            if options["PAPERSHELF_STRICT"]:
                raise
            logger.error("%s %s", LOG_PREFIX, error)
    if files:
        progress.done()

    notes = [a for a in generator.articles if getattr(a, "note_hash", None)]
    _check_notes([paper for paper, _, _ in records], settings)
    note_of = {note.arxiv: note for note in notes if getattr(note, "arxiv", None)}
    articles = []
    for paper, digest, source in records:
        note = note_of.pop(paper.arxiv_id, None)
        articles.append(paper_article(paper, digest, settings, generator.context, source, note))
    merged = {id(a.note) for a in articles if a.note is not None}
    standalone = [note for note in notes if id(note) not in merged]
    for note in standalone:
        note_only_article(note)
    generator.articles = [a for a in generator.articles if id(a) not in merged] + articles
    generator.articles.sort(key=lambda a: (a.date, a.slug), reverse=True)
    logger.info(
        "%s %d papers from %s, %d merged with notes, %d notes of their own",
        LOG_PREFIX,
        len(articles),
        archive.root,
        len(merged),
        len(standalone),
    )


def drop_pelican_authors(generator) -> None:
    # The site has no author pages; Pelican would still scan every article per author.
    generator.authors = []


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_pretaxonomy.connect(add_papers)
    signals.article_generator_finalized.connect(drop_pelican_authors)
