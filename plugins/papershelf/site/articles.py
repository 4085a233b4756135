"""One Pelican article per paper: a record, its curated note, or both merged.

The article carries ``paper`` (the record), ``note``, the rendered abstract and
summaries, and ``render_key`` (a hash of the record and the note), which the
render_cache plugin uses to skip pages whose inputs did not change. Its slug is
the paper's arXiv id (or local id), so Pelican's own ARTICLE_URL and
ARTICLE_SAVE_AS (``papers/{slug}/``) place it.
"""

from __future__ import annotations

import hashlib

from pelican.contents import Article
from pelican.urlwrappers import Author, Category, Tag

from papershelf.build_state import build_state
from papershelf.config import plugin_settings
from papershelf.dates import record_dates
from papershelf.model import Paper
from papershelf.notes.render import render_abstract, render_inline_math, render_markdown
from papershelf.summaries.freshness import is_stale, summary_version
from papershelf.summaries.short import short_summary
from papershelf.text import text_lang

# Bump when the article fields built here change, to invalidate cached pages.
FORMAT_VERSION = "5"


def render_key(*parts: str) -> str:
    """What render_cache keys a paper page on: the record's digest and its note's hash."""
    return hashlib.sha256(":".join((FORMAT_VERSION, *parts)).encode()).hexdigest()


def tag_named(name: str, settings: dict) -> Tag:
    """One Tag object per name and build: each new Tag costs a slugify call."""
    tags = build_state(settings).tags
    if name not in tags:
        tags[name] = Tag(name, settings)
    return tags[name]


def merged_tags(note, paper: Paper, settings: dict) -> list:
    """The note's tags, the record's imported tags, then its matched keywords, as
    written (one per URL); ``papershelf.site.tag_listing.resolve_tags`` joins them."""
    names = [*paper.extra.get("tags", []), *paper.matched_keywords]
    tags = list(getattr(note, "tags", []) if note else [])
    tags += [tag_named(name.strip(), settings) for name in names]
    unique: dict[str, Tag] = {}
    for tag in tags:
        unique.setdefault(tag.slug, tag)
    return list(unique.values())


def attach_summaries(article, paper: Paper | None, note, settings: dict) -> None:
    """Choose the short summary (papershelf.summaries.short) and render the AI
    and structured ones (see papershelf.summaries for the four kinds)."""
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
    article.summary_lang = text_lang(chosen.text)
    article.summary_source = chosen if chosen.text else None
    article.ai_summary_html = render_markdown(ai_text, settings) if ai_text else ""
    # The page says when the AI summary describes an older version of the paper.
    article.ai_summary_version = summary_version(paper) if paper else None
    article.ai_summary_stale = bool(paper) and is_stale(paper)
    structured = extra.get("structured_summary") or {}
    article.structured_lang = text_lang(" ".join(map(str, structured.values())))


def paper_article(paper: Paper, digest: str, settings: dict, context: dict, source: str, note=None):
    """A Pelican Article for one record, merged with its curated note if any."""
    # papershelf.dates: the announcement day, else the paper's own date, else
    # undated (an import's day dates nothing; Pelican gets a date that sorts last).
    dates = record_dates(paper, getattr(note, "date", None))
    metadata = {
        "title": paper.title,
        "date": dates.sort_date,
        # Pelican's ARTICLE_URL and ARTICLE_SAVE_AS place the page: papers/{slug}/.
        "slug": paper.arxiv_id,
        "authors": [Author(name, settings) for name in paper.authors] or None,
        "tags": merged_tags(note, paper, settings),
        # Other names of the paper (a note's, a title it was known by before
        # ``resolve``): search finds the paper by them as by its title.
        "aliases": list(
            dict.fromkeys(
                [*(getattr(note, "aliases", None) or ()), *paper.extra.get("title_aliases", [])]
            )
        )
        or None,
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
    article.dates = dates
    article.abstract_html = abstract
    attach_summaries(article, paper, note, settings)
    article.render_key = render_key(digest, getattr(note, "note_hash", ""))
    return article


def note_only_article(note) -> None:
    """A note without an archive record is an article of its own."""
    note.note = note
    note.paper = None
    if getattr(note, "arxiv", None):
        note.paper = Paper(arxiv_id=note.arxiv, title=note.title)
    note.dates = record_dates(note.paper, note.date)
    note.abstract_html = ""
    attach_summaries(note, None, note, note.settings)
    note.render_key = render_key("note", note.note_hash)
