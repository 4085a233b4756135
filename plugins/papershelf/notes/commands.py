"""``papershelf check`` and ``papershelf new-note``: the contributor's commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from papershelf.archive import Archive
from papershelf.errors import NoteError, UsageError
from papershelf.ingest.client import FetchError, PoliteClient
from papershelf.ingest.feeds import FeedEntry, FeedError, parse_feed
from papershelf.ingest.matching import KeywordMatcher
from papershelf.inputs import read_bytes, read_text
from papershelf.model import Paper, parse_arxiv_id
from papershelf.notes.check import check_paths, site_index
from papershelf.notes.format import (
    NoteTooLarge,
    format_note,
    note_filename,
    note_paths,
    parse_note,
    read_note,
)
from papershelf.notes.tag_check import near_duplicates, shared_pages
from papershelf.notes.tags import load_aliases

NOTE_BODY = """\
<!--
Write what matters in this paper for a reader who has not read it: the problem,
the key idea, the results that convince you, and the limits. Markdown, tables,
images and $inline$ or $$display$$ math all work. See CONTRIBUTING.md.
-->

## Key idea

## Results

## Limitations
"""


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def run_check(
    options: dict[str, Any],
    paths: list[str] | None = None,
    out=None,
    tag_page: Callable[[str], str] | None = None,
) -> int:
    """Print one line per problem; 0 when every note is clean, 1 otherwise.
    ``tag_page``: a tag's URL, to warn about different tags sharing a page."""
    out = out or sys.stdout
    notes = note_paths(options)
    only = None
    if paths:
        only = [Path(path).resolve() for path in paths]
        missing = [path for path in only if not path.is_file()]
        if missing:
            raise UsageError(
                "no such note file",
                where=missing[0],
                fix="check the path, or run 'papershelf check' alone for every note",
            )
        notes = sorted({*map(Path.resolve, notes), *only})
    aliases = load_aliases(options["PAPERSHELF_TAG_ALIASES"])
    archive_papers = list(Archive(options["ARXIV_ARCHIVE_PATH"]).load().values())
    site = site_index(archive_papers)
    problems = check_paths(notes, aliases, site, only, options["PAPERSHELF_MAX_NOTE_BYTES"])
    for problem in problems:
        print(f"{_shown(problem.path)}:{problem.line}: {problem.message} ({problem.fix})", file=out)
    uses = _tag_uses(notes, archive_papers, options["PAPERSHELF_MAX_NOTE_BYTES"])
    warnings = near_duplicates(uses, aliases)
    if tag_page:
        warnings += shared_pages(uses, aliases, tag_page)
    for warning in warnings:
        print(warning, file=out)
    checked = len(only) if only is not None else len(notes)
    print(f"{checked} notes checked, {len(problems)} problems, {len(warnings)} warnings", file=out)
    return 1 if problems else 0


def _tag_uses(notes: list[Path], papers, max_bytes: int) -> list[tuple[str, str]]:
    """Every tag as written, with where: notes (path:line) and archive records."""
    uses = []
    for path in notes:
        try:
            note = parse_note(read_note(path, max_bytes))
        except NoteTooLarge:
            continue  # already a problem of its own

        where = f"{_shown(str(path))}:{note.line_of('tags')}"
        uses += [(tag, where) for tag in note.items("tags")]
    for paper in papers:
        uses += [
            (tag, "the archive") for tag in [*paper.extra.get("tags", []), *paper.matched_keywords]
        ]
    return uses


def _from_api(arxiv_id: str, options: dict[str, Any], source: str | None) -> FeedEntry:
    if source:
        data = read_bytes(source)
        where = source
    else:
        url = options["ARXIV_API_URL"].format(ids=arxiv_id)
        client = PoliteClient.from_settings(options)
        try:
            data = client.get(url).body
        except FetchError as error:
            raise NoteError(
                error.message, where=url, fix="pass --source with a saved answer"
            ) from None
        finally:
            client.close()
        where = url
    try:
        entries = parse_feed(data).entries
    except FeedError as error:
        raise NoteError(
            error.reason,
            where=where,
            line=error.line,
            fix=error.fix or "pass --source with a saved arXiv API answer",
        ) from None
    for entry in entries:
        if entry.arxiv_id == arxiv_id:
            return entry
    raise NoteError(
        f"no entry for arXiv {arxiv_id} in this answer",
        where=where,
        fix="check the id, or pass the API answer for this paper",
    )


def note_values(paper: Paper | FeedEntry, options: dict[str, Any], today: date) -> dict:
    """The header a new note starts with, from an archive record or API entry."""
    matcher = KeywordMatcher(options["ARXIV_KEYWORDS"])
    matched = getattr(paper, "matched_keywords", None)
    if matched is None:
        matched = matcher.match(paper.title, paper.abstract).keywords
    aliases = load_aliases(options["PAPERSHELF_TAG_ALIASES"])
    tags = list(dict.fromkeys(aliases.canonical(term) for term in matched))
    return {
        "title": paper.title,
        "arxiv": paper.arxiv_id,
        "date": today.isoformat(),
        "authors": paper.authors,
        "tags": tags,
        "lang": options["PAPERSHELF_NOTE_LANG"],
    }


def _note_arxiv_id(path: Path) -> str | None:
    written = parse_note(read_text(path, NoteError)).text("arxiv")
    try:
        return parse_arxiv_id(written)[0] if written else None
    except ValueError:
        return None


def run_new_note(
    options: dict[str, Any],
    arxiv_id: str,
    source: str | None = None,
    today: date | None = None,
    out=None,
) -> Path:
    """Write ``<notes>/<arxiv-id>.md`` prefilled; refuse to overwrite any note."""
    out = out or sys.stdout
    arxiv_id, _ = parse_arxiv_id(arxiv_id)
    for path in note_paths(options):
        if _note_arxiv_id(path) == arxiv_id:
            raise NoteError(
                f"a note for arXiv {arxiv_id} exists", where=_shown(str(path)), fix="edit it"
            )
    archive = Archive(options["ARXIV_ARCHIVE_PATH"])
    record_path = archive.path_for(arxiv_id)
    if record_path.is_file():
        paper, _ = archive.read(record_path)
        origin = "the archive"
    else:
        paper = _from_api(arxiv_id, options, source)
        origin = source or "the arXiv API"
    values = note_values(paper, options, today or date.today())
    path = Path(options["PAPERSHELF_NOTES_DIR"]) / note_filename(arxiv_id, paper.title)
    if path.exists():
        raise NoteError("the note exists", where=_shown(str(path)), fix="edit it instead")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite
        handle.write(format_note(values, NOTE_BODY))
    print(
        f"wrote {_shown(str(path))} from {origin}; edit it, then run 'papershelf check'", file=out
    )
    return path
