"""Validate curated notes: one ``path:line: message (how to fix)`` per problem.

Used by ``papershelf check`` and by the build, which stops on any problem.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from papershelf.model import InvalidArxivId, parse_arxiv_id
from papershelf.notes.format import KEYS, REQUIRED_KEYS, Note, NoteTooLarge, parse_note, read_note
from papershelf.notes.tags import TagAliases, inflection_key
from papershelf.settings import DEFAULTS as SETTING_DEFAULTS

STATUSES = ("published", "draft", "hidden")
# A slug names a folder under papers/: no separators, no dot-dot, no leading dot.
_SLUG = re.compile(r"^[^\W_][\w.-]*$")
DEFAULT_MAX_NOTE_BYTES = SETTING_DEFAULTS["PAPERSHELF_MAX_NOTE_BYTES"]
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# Links in Markdown (`](target)`) and in raw HTML (href/src attributes).
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|\b(?:href|src)\s*=\s*[\"']([^\"']+)[\"']")
_SITE_PAGE = re.compile(
    r"^/(?:(?P<kind>papers|digest|categories|tags)/(?P<name>[^?#]+?)/?|about/?|search/?|)"
    r"(?:[?#].*)?$"
)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    fix: str

    def __post_init__(self) -> None:
        # One line per problem, even when it quotes a value spanning lines (a
        # header's continuation lines, a stray CR or U+2028 in what it quotes).
        for name in ("message", "fix"):
            object.__setattr__(self, name, " ".join(getattr(self, name).splitlines()))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message} ({self.fix})"


@dataclass
class SiteIndex:
    """What internal links may point at."""

    papers: set[str] = field(default_factory=set)  # arXiv ids and note slugs
    days: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)


def _field_problems(path: str, note: Note, aliases: TagAliases) -> Iterable[Problem]:
    for line, message in note.problems:
        yield Problem(path, line, message, "see CONTRIBUTING.md for the header format")
    for key in REQUIRED_KEYS:
        if not note.text(key):
            yield Problem(path, 1, f"missing '{key.capitalize()}'", f"add '{key.capitalize()}: …'")
    for key, item in note.fields.items():
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1, cutoff=0.6)
            fix = (
                f"did you mean '{close[0].capitalize()}'?"
                if close
                else f"known keys: {', '.join(KEYS)}"
            )
            yield Problem(path, item.line, f"unknown key '{key}'", fix)
    if note.text("arxiv"):
        try:
            parse_arxiv_id(note.text("arxiv"))
        except InvalidArxivId as error:
            yield Problem(path, note.line_of("arxiv"), str(error), "or remove the Arxiv line")
    for key in ("date", "modified"):
        if note.text(key):
            try:
                date.fromisoformat(note.text(key)[:10])
            except ValueError:
                yield Problem(
                    path, note.line_of(key), f"'{note.text(key)}' is not a date", "write YYYY-MM-DD"
                )
    slug = note.text("slug")
    if slug and (not _SLUG.match(slug) or ".." in slug):
        yield Problem(
            path,
            note.line_of("slug"),
            f"slug '{slug}' is not a safe page name",
            "use letters, digits, '-' and '.' only (or remove the Slug line)",
        )
    if note.text("rating"):
        yield from _rating_problems(path, note)
    if note.text("lang") and not _LANG.match(note.text("lang")):
        yield Problem(
            path,
            note.line_of("lang"),
            f"'{note.text('lang')}' is not a language code",
            "write e.g. zh, en",
        )
    if note.text("status") and note.text("status") not in STATUSES:
        yield Problem(
            path,
            note.line_of("status"),
            f"unknown status '{note.text('status')}'",
            f"use one of {', '.join(STATUSES)}",
        )
    for key in ("code", "links"):
        for url in note.items(key):
            if not url.startswith(("https://", "http://", "/")):
                yield Problem(
                    path, note.line_of(key), f"'{url}' is not a link", "write a full https:// URL"
                )
    for tag in note.items("tags"):
        canonical = aliases.canonical(tag)
        # Any inflection of the canonical spelling is that tag (joined, not an alias).
        if inflection_key(canonical) != inflection_key(tag):
            yield Problem(
                path,
                note.line_of("tags"),
                f"tag '{tag}' is an alias of '{canonical}'",
                f"write '{canonical}'",
            )


def _rating_problems(path: str, note: Note) -> Iterable[Problem]:
    raw = note.text("rating")
    try:
        rating = float(raw)
    except ValueError:
        rating = None
    if rating is None or not 1 <= rating <= 5 or rating * 2 != int(rating * 2):
        yield Problem(
            path,
            note.line_of("rating"),
            f"rating '{raw}' is not 1-5 in halves",
            "write e.g. 4 or 4.5",
        )


def _link_problems(path: str, note: Note, site: SiteIndex) -> Iterable[Problem]:
    for offset, line in enumerate(note.body.splitlines()):
        for match in _LINK.finditer(line):
            target = match.group(1) or match.group(2)
            if not target.startswith("/") or target.startswith("//"):
                continue
            page = _SITE_PAGE.match(target)
            known = page is not None and (
                page.group("kind") is None
                or page.group("kind") == "tags"
                or (page.group("kind") == "papers" and page.group("name") in site.papers)
                or (page.group("kind") == "digest" and page.group("name") in site.days)
                or (page.group("kind") == "categories" and page.group("name") in site.categories)
            )
            if not known:
                yield Problem(
                    path,
                    note.body_line + offset,
                    f"link '{target}' points inside the site but no such page exists",
                    "link /papers/<arxiv-id>/ of a paper on the site, or a full URL",
                )


@dataclass
class CheckedNote:
    path: str
    note: Note
    arxiv_id: str | None


def check_notes(
    files: Iterable[tuple[str, str]], aliases: TagAliases, site: SiteIndex | None = None
) -> list[Problem]:
    """Problems of the notes given as (path, text), sorted by path and line."""
    checked, problems = [], []
    for path, text in files:
        note = parse_note(text)
        problems.extend(_field_problems(path, note, aliases))
        try:
            arxiv_id = parse_arxiv_id(note.text("arxiv"))[0] if note.text("arxiv") else None
        except InvalidArxivId:
            arxiv_id = None
        checked.append(CheckedNote(path, note, arxiv_id))
    site = site or SiteIndex()
    site.papers |= {c.arxiv_id or Path(c.path).stem for c in checked}
    first_note_of: dict[str, str] = {}
    for item in checked:
        problems.extend(_link_problems(item.path, item.note, site))
        if item.arxiv_id is None:
            continue
        if item.arxiv_id in first_note_of:
            problems.append(
                Problem(
                    item.path,
                    item.note.line_of("arxiv"),
                    f"{first_note_of[item.arxiv_id]} and {item.path} are both notes for "
                    f"arXiv {item.arxiv_id}",
                    "merge them into one note",
                )
            )
        first_note_of.setdefault(item.arxiv_id, item.path)
    return sorted(problems)


def site_index(papers: Iterable) -> SiteIndex:
    """Link targets from archive records (model.Paper)."""
    index = SiteIndex()
    for paper in papers:
        index.papers.add(paper.arxiv_id)
        # A merged-away id is a redirect page to the paper: links to it still work.
        index.papers.update(item["id"] for item in paper.extra.get("merged", []))
        index.days.update(a.date for a in paper.announcements)
        index.days.add(paper.announced)
        index.categories.update(paper.categories)
    return index


def check_paths(
    note_files: list[Path],
    aliases: TagAliases,
    site: SiteIndex,
    only: list[Path] | None = None,
    max_bytes: int = DEFAULT_MAX_NOTE_BYTES,
) -> list[Problem]:
    """Check every note (duplicates span them all); report those in ``only``.

    A note over the size cap is a problem like any other; a note that is not
    UTF-8 text raises NoteError: it is the wrong file, not a note to correct."""
    files, too_large = [], []
    for path in note_files:
        try:
            files.append((str(path), read_note(path, max_bytes)))
        except NoteTooLarge as error:
            too_large.append(Problem(str(path), error.line or 1, error.message, error.fix))
    problems = sorted(too_large + check_notes(files, aliases, site))
    if only is None:
        return problems
    wanted = {str(path) for path in only}
    return [problem for problem in problems if problem.path in wanted]
