"""Import an awesome-list README of paper notes: one note per ``## `` section.

A section usually reads::

    ## Adaptive 投机 TLT                    <- short name, maybe a rating: 5, 4+, 5？, 5(TBD)
    Taming the Long-Tail: …                 <- the full title (optional)
    https://arxiv.org/pdf/2511.16665 MIT NVIDIA 韩松团队等 2025.11.21 ASPLOS26
    https://github.com/mit-han-lab/fastrl   <- code and other links
    1. 📖 …                                 <- numbered emoji highlights: the summary
    …                                       <- the rest: the body, kept verbatim

but any part may be missing, reordered or garbled. Parsing is pure: text in,
``ImportedNote`` records (header values, body, what was recognised) out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from papershelf.importers import ImportedNote
from papershelf.importers.fields import (
    URL,
    arxiv_id_of,
    is_code_link,
    parse_meta,
    split_rating,
    venue_from_link,
)
from papershelf.importers.layout import (
    BLANK,
    LINK,
    META,
    PROSE,
    TITLE,
    Section,
    find_highlights,
    split_sections,
)
from papershelf.importers.layout import classify as classify_lines
from papershelf.ingest.matching import KeywordMatcher
from papershelf.notes.format import note_filename
from papershelf.text import HAN_CLASS, has_han

MAX_TAGS = 5
_HAN_LATIN_BOUNDARY = re.compile(
    f"(?<=[{HAN_CLASS}])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[{HAN_CLASS}])"
)


def _spaced(text: str) -> str:
    """Chinese does not space words: "对RL优化" -> "对 RL 优化", so whole-word matching works."""
    return _HAN_LATIN_BOUNDARY.sub(" ", text)


def _trim(lines: list[str]) -> list[str]:
    """Without blank (or white-space only) lines at either end."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    return lines[filled[0] : filled[-1] + 1] if filled else []


def _join_body(*parts: list[str]) -> str:
    """Parts trimmed and separated by one blank line; lines inside kept verbatim."""
    lines: list[str] = []
    for part in filter(None, map(_trim, parts)):
        lines += ([""] if lines else []) + part
    return "\n".join(lines) + "\n" if lines else ""


@dataclass
class _Head:
    title: str | None = None
    arxiv_id: str | None = None
    code: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    venues: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # lines for the body, in order
    warnings: list[str] = field(default_factory=list)


def _read_head(lines: list[str], kinds: list[str]) -> _Head:
    """Title, links and the fields of the paper's line (its first non-code link);
    what the head holds besides goes to the body."""
    head = _Head()
    paper_line_seen = False
    for line, kind in zip(lines, kinds, strict=True):
        text = line.strip()
        if kind == TITLE:
            head.title = text
            continue
        if kind not in (LINK, META):
            if kind == BLANK and head.kept and not head.kept[-1].strip():
                continue
            head.kept.append(line)
            continue
        residue = text
        if kind == LINK:
            url = URL.match(text).group(0)
            residue = text[len(url) :].strip()
            arxiv_id = arxiv_id_of(url)
            if is_code_link(url):
                head.code.append(url)
            elif arxiv_id and not head.arxiv_id:
                head.arxiv_id = arxiv_id
            else:
                head.links.append(url)
                if "arxiv.org/" in url:
                    problem = "is a second one" if arxiv_id else "holds no valid id"
                    head.warnings.append(f"arXiv link {url} {problem}; kept as a link")
            # The paper's line (its arXiv link, else its first non-code link) holds its
            # date, venue and affiliations; text after any other link is a remark on it.
            is_paper_line = bool(arxiv_id) or not (paper_line_seen or is_code_link(url))
            if not is_paper_line:
                if residue:
                    head.kept.append(line)
                continue
            paper_line_seen = True
        meta = parse_meta(residue)
        head.dates += meta.dates
        head.venues += meta.venues
        head.affiliations += meta.affiliations
        head.kept += meta.comments
        head.warnings += [f"'{bad}' is not a date; ignored" for bad in meta.bad_dates]
    head.code = list(dict.fromkeys(head.code))
    head.links = list(dict.fromkeys(head.links))
    head.affiliations = list(dict.fromkeys(head.affiliations))
    return head


def _arxiv_month(arxiv_id: str) -> str:
    """``2511.16665`` -> ``2025-11-01``; old style ``hep-th/9901001`` -> ``1999-01-01``."""
    yymm = arxiv_id.split("/")[-1][:4]
    year = int(yymm[:2]) + (1900 if int(yymm[:2]) >= 91 else 2000)
    return f"{year}-{yymm[2:]}-01"


def parse_section(
    section: Section, matcher: KeywordMatcher, canonical_tag: Callable[[str], str]
) -> ImportedNote:
    """One section as a note; its date may still be missing (see parse_awesome_notes)."""
    short_name, rating = split_rating(section.heading)
    lines = section.lines
    kinds = classify_lines(lines)
    highlights = find_highlights(lines, kinds)
    if highlights:
        head_end, rest = highlights.start, lines[highlights.end :]
    else:
        head_end = next((i for i, kind in enumerate(kinds) if kind == PROSE), len(lines))
        rest = lines[head_end:]
    head = _read_head(lines[:head_end], kinds[:head_end])
    title = head.title or short_name or f"Section at line {section.line}"
    summary = highlights.items if highlights else []
    venue = (head.venues or [None])[0]
    venue = venue or next(filter(None, map(venue_from_link, head.links)), None)
    remark = [rating.remark] if rating and rating.remark else []
    body = _join_body(remark, head.kept, rest)
    matched = matcher.match(_spaced(f"{title}\n{short_name}"), _spaced("\n".join(summary)))
    tags = list(dict.fromkeys(canonical_tag(term) for term in matched.keywords))[:MAX_TAGS]
    aliases = [short_name] if short_name and short_name.casefold() != title.casefold() else []
    values: dict[str, str | list[str]] = {
        "title": title,
        "arxiv": head.arxiv_id or "",
        "date": (head.dates or [""])[0],
        "tags": tags,
        "rating": rating.value if rating else "",
        "venue": venue or "",
        "affiliations": head.affiliations,
        "code": head.code,
        "links": head.links,
        "aliases": aliases,
        "summary": "\n".join(summary),
        "lang": "zh" if has_han("\n".join([title, *summary, body])) else "en",
    }
    note = ImportedNote(
        source=f"## {section.heading} (line {section.line})",
        filename="",
        values=values,
        body=body,
        warnings=head.warnings,
    )
    if len(set(head.dates)) > 1:
        note.warnings.append(f"several dates {', '.join(head.dates)}; took the first")
    if re.match(r"[a-z]+\b", title):  # "easoning-Focused …", not "vAttention: …"
        note.warnings.append(f"title {title[:30]!r}… starts in lower case: truncated in the list?")
    found = {
        "arxiv": head.arxiv_id,
        "date": f"{values['date']} (text)" if values["date"] else "none",
        "rating": rating,
        "venue": venue,
        "affiliations": len(head.affiliations),
        "code": len(head.code),
        "links": len(head.links),
        "highlights": len(summary),
        "body": f"{len(body)} chars",
        "tags": len(tags),
    }
    note.found = {key: str(value) for key, value in found.items() if value}
    missing = {
        "full title": not head.title,
        "arXiv id": not head.arxiv_id,
        "date in the text": not values["date"],
        "highlights": not summary,
        "body": not body,
    }
    note.missing = [name for name, absent in missing.items() if absent]
    return note


def _fill_dates(notes: list[ImportedNote], today: str | None) -> None:
    """Date is required: else the arXiv month, else the nearest dated section above
    (the list is newest first), else below, else ``today``."""
    written = [str(note.values["date"]) for note in notes]
    for index, note in enumerate(notes):
        if note.values["date"]:
            continue
        above = next((d for d in reversed(written[:index]) if d), None)
        below = next((d for d in written[index + 1 :] if d), None)
        if note.values["arxiv"]:
            note.values["date"], how = _arxiv_month(str(note.values["arxiv"])), "arXiv month"
        elif above or below:
            note.values["date"] = above or below
            how = "section above" if above else "section below"
        elif today:
            note.values["date"], how = today, "today"
        else:
            continue
        note.found["date"] = f"{note.values['date']} ({how})"
    for note in notes:
        arxiv_id, when = str(note.values["arxiv"]), str(note.values["date"])
        # Ids are given at submission: a date in the month before is fine, earlier is not.
        year, month = map(int, _arxiv_month(arxiv_id).split("-")[:2]) if arxiv_id else (0, 0)
        earliest = f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}-01"
        if arxiv_id and when and when < earliest:
            note.warnings.append(f"date {when} is long before arXiv {arxiv_id}; kept as written")


def _assign_filenames(notes: list[ImportedNote]) -> None:
    """``<arxiv-id>.md`` or a title slug; never two notes on one file or one arXiv id."""
    used: dict[str, str] = {}
    for note in notes:
        arxiv_id, title = str(note.values["arxiv"]), str(note.values["title"])
        name = note_filename(arxiv_id or None, title)
        if arxiv_id and name in used:
            note.warnings.append(
                f"arXiv {arxiv_id} was already imported from {used[name]}; this note has no "
                "Arxiv key (the link is kept): merge the two by hand"
            )
            note.values["arxiv"] = ""
            note.values["links"] = [f"https://arxiv.org/abs/{arxiv_id}", *note.values["links"]]
            name = note_filename(None, title)
        stem, number = name.removesuffix(".md"), 2
        while name in used:
            name, number = f"{stem}-{number}.md", number + 1
        used[name] = note.source
        note.filename = name


def parse_awesome_notes(
    text: str,
    canonical_tag: Callable[[str], str] = str.strip,
    *,
    keywords: Mapping[str, float],
    today: str | None = None,
) -> tuple[list[ImportedNote], list[str]]:
    """Every ``## `` section as a note, and warnings about the file as a whole.

    ``keywords``: the site's ARXIV_KEYWORDS (term -> weight); the terms a note's
    title and highlights mention become its tags. No default, so that no caller
    tags with other terms than the site ranks by."""
    sections, warnings = split_sections(text)
    matcher = KeywordMatcher(keywords)
    notes = [parse_section(section, matcher, canonical_tag) for section in sections]
    _fill_dates(notes, today)
    _assign_filenames(notes)
    return notes, warnings
