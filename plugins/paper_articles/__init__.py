"""paper_articles: one Pelican article per paper, at /papers/<arxiv-id>/.

An archive record and the curated note with its arXiv id (read by paper_notes)
become one article (papershelf.site.articles): the record's metadata and
abstract, the note's body, summary, rating, tags and links. A note without a
record stays an article of its own. Before merging, the notes are validated as
``papershelf check`` does, and any problem stops the build. Records are read
once per build; one unreadable record is logged and skipped unless
PAPERSHELF_STRICT. A record's merged-away ids (``papershelf dedupe``) become
redirect pages to it, and a note keyed by one of them joins it.
"""

from __future__ import annotations

import logging

from pelican import signals

from papershelf.archive import Archive, ArchiveError
from papershelf.build_state import build_state
from papershelf.config import plugin_settings
from papershelf.errors import BuildError
from papershelf.ingest.dedupe_merge import merged_away
from papershelf.model import Paper
from papershelf.notes.check import check_paths, site_index
from papershelf.notes.format import note_paths
from papershelf.notes.tags import set_joined_aliases, tag_aliases
from papershelf.progress import Progress
from papershelf.site.articles import note_only_article, paper_article, tag_named
from papershelf.site.redirects import write_redirect
from papershelf.site.tag_listing import resolve_tags

logger = logging.getLogger(__name__)
LOG_PREFIX = "[paper_articles]"


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


def check_settings(pelican) -> None:
    plugin_settings(pelican.settings)  # a bad setting stops the build before it starts


def add_papers(generator) -> None:
    """Turn every archive record into an article, merged with its note if any."""
    clock = build_state(generator.settings).clock
    with clock.stage("read"):
        archive, records = _read_records(plugin_settings(generator.settings))
    with clock.stage("merge"):
        _merge(generator, archive, records)


def _read_records(options: dict) -> tuple[Archive, list]:
    """The archive and its records, as (paper, digest, source file) each."""
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
    return archive, records


def _merge(generator, archive: Archive, records: list) -> None:
    settings = generator.settings
    notes = [a for a in generator.articles if getattr(a, "note_hash", None)]
    _check_notes([paper for paper, _, _ in records], settings)
    note_of = {note.arxiv: note for note in notes if getattr(note, "arxiv", None)}
    moved = merged_away({paper.arxiv_id: paper for paper, _, _ in records})
    for old_id, new_id in sorted(moved.items()):
        if old_id in note_of and new_id not in note_of:
            note_of[new_id] = note_of.pop(old_id)  # the note follows its paper
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
    # Every later reader (related papers, tag pages, search, feeds) sees one tag per concept.
    joined, moved_tags = resolve_tags(
        [*generator.articles, *generator.translations],
        tag_aliases(settings),
        lambda name: tag_named(name, settings),
    )
    set_joined_aliases(settings, joined)
    generator.context["tag_redirects"] = moved_tags
    by_id = {article.paper.arxiv_id: article for article in articles}
    taken = {article.slug for article in generator.articles}
    generator.context["paper_redirects"] = [
        (old_id, by_id[new_id])
        for old_id, new_id in sorted(moved.items())
        if new_id in by_id and old_id not in taken
    ]
    logger.info(
        "%s %d papers from %s, %d merged with notes, %d notes of their own",
        LOG_PREFIX,
        len(articles),
        archive.root,
        len(merged),
        len(standalone),
    )


def write_paper_redirects(generator, writer) -> None:
    """/papers/<merged-away id>/ sends readers to the paper's page."""
    for old_id, article in generator.context.get("paper_redirects", []):
        save_as = article.save_as.replace(article.slug, old_id, 1)
        write_redirect(generator, writer, save_as, article.url, article.title)


def drop_pelican_authors(generator) -> None:
    # The site has no author pages; Pelican would still scan every article per author.
    generator.authors = []


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_pretaxonomy.connect(add_papers)
    signals.article_generator_finalized.connect(drop_pelican_authors)
    signals.article_writer_finalized.connect(write_paper_redirects)
