"""The curated note format: a ``Key: value`` header, a blank line, a Markdown body.

    Title: Taming the Long-Tail: Efficient Reasoning RL Training with Adaptive Drafter
    Arxiv: 2511.16665
    Date: 2025-11-21
    Tags: RL, Speculative Decoding
    Rating: 4.5
    Venue: ASPLOS26
    Affiliations: MIT, NVIDIA
    Code: https://github.com/mit-han-lab/fastrl
    Links: https://example.org/blog-post
    Aliases: Adaptive 投机 TLT
    Summary: 📖 The long tail of response lengths stalls RL training.
        🚀 An adaptive drafter speeds it up 1.7x.

    The body, in Markdown, with $inline$ and $$display$$ math.

Keys are case-insensitive. A line indented by spaces continues the previous
key's value: list keys then take one item per line (else their items are
comma-separated), and the summary one highlight per line. Parsing is pure and
keeps the line of every key for error messages.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from papershelf.errors import NoteError, NoteTooLarge
from papershelf.inputs import read_text

# Every key a note may use, in the order notes are written.
KEYS = (
    "title",
    "arxiv",
    "date",
    "modified",
    "authors",
    "tags",
    "rating",
    "venue",
    "affiliations",
    "code",
    "links",
    "aliases",
    "summary",
    "lang",
    "slug",
    "status",
)
REQUIRED_KEYS = ("title", "date")
# Keys whose value is a list: comma-separated on one line, or one item per line.
LIST_KEYS = ("authors", "tags", "affiliations", "code", "links", "aliases")
# URLs may hold commas, so URL lists split on whitespace only.
URL_KEYS = ("code", "links")

_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z_-]*)\s*:\s?(?P<value>.*)$")


@dataclass
class Field:
    key: str  # lower case
    raw: str  # the value as written, continuation lines joined by "\n"
    line: int  # 1-based line of the key


@dataclass
class Note:
    fields: dict[str, Field]
    body: str
    body_line: int  # 1-based line where the body starts
    problems: list[tuple[int, str]] = field(default_factory=list)  # header syntax

    def text(self, key: str, default: str = "") -> str:
        return self.fields[key].raw.strip() if key in self.fields else default

    def items(self, key: str) -> list[str]:
        return split_list(key, self.fields[key].raw) if key in self.fields else []

    def line_of(self, key: str) -> int:
        return self.fields[key].line if key in self.fields else 1


def split_list(key: str, raw: str) -> list[str]:
    """List values: URLs split on white space; other lists one item per line
    when the value has continuation lines (``Authors:`` alone, then one indented
    line, is one item even if it holds a comma), else comma-separated."""
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    if key in URL_KEYS:
        return [part for line in lines for part in line.split()]
    if "\n" in raw:
        return lines
    return [part.strip() for part in raw.split(",") if part.strip()]


def read_note(path: str | os.PathLike, max_bytes: int) -> str:
    """A note's text; a note over ``max_bytes`` is refused before it is read, so a
    20 MB file costs no memory (and no Markdown rendering). A note that is not
    UTF-8 text raises NoteError naming the file and the line."""
    size = os.stat(path).st_size
    if size > max_bytes:
        raise NoteTooLarge(
            f"the note is {size:,} bytes, over the {max_bytes:,}-byte limit "
            "(PAPERSHELF_MAX_NOTE_BYTES)",
            where=path,
            line=1,
            fix="shorten it, or link to the long text",
        )
    return read_text(path, NoteError)


def parse_note(text: str) -> Note:
    """Split a note into its header fields and body."""
    lines = text.lstrip("\ufeff").splitlines()
    fields: dict[str, Field] = {}
    problems: list[tuple[int, str]] = []
    current: Field | None = None
    number = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            break
        if line[:1] in (" ", "\t") and current is not None:
            current.raw += "\n" + line.strip()
            continue
        match = _KEY_LINE.match(line)
        if not match:
            problems.append(
                (
                    number,
                    f"header line {line.strip()[:40]!r} is not 'Key: value' "
                    "(end the header with a blank line before the body)",
                )
            )
            current = None
            continue
        key = match.group("key").lower()
        if key in fields:
            problems.append((number, f"'{key}' given twice (first on line {fields[key].line})"))
        current = Field(key, match.group("value").strip(), number)
        fields.setdefault(key, current)
    else:
        number = len(lines)
    body_start = number + 1
    body = "\n".join(lines[number:]).strip("\n") + "\n" if number < len(lines) else ""
    return Note(fields=fields, body=body, body_line=body_start, problems=problems)


def format_note(values: dict[str, str | list[str]], body: str) -> str:
    """Write a note: keys in KEYS order, lists comma-joined or one per line."""
    lines = []
    for key in KEYS:
        value = values.get(key)
        if value in (None, "", []):
            continue
        name = key.capitalize()
        if isinstance(value, list):
            if key not in URL_KEYS and len(value) == 1 and "," in value[0]:
                lines += [f"{name}:", f"    {value[0]}"]  # one item, though it holds a comma
            elif key in URL_KEYS or any("," in item for item in value):
                lines.append(f"{name}: {value[0]}")
                lines.extend(f"    {item}" for item in value[1:])
            else:
                lines.append(f"{name}: {', '.join(value)}")
        else:
            first, *rest = str(value).strip().splitlines()
            lines.append(f"{name}: {first.strip()}")
            lines.extend(f"    {line.strip()}" for line in rest if line.strip())
    return "\n".join(lines) + "\n\n" + body.strip("\n") + "\n"


def note_filename(arxiv_id: str | None, title: str) -> str:
    """``2511.16665.md`` for a paper with an arXiv id, else a slug of the title
    (Chinese titles stay readable: ``稀疏更新.md``)."""
    if arxiv_id:
        return arxiv_id.replace("/", "-") + ".md"
    slug = re.sub(r"[\W_]+", "-", title.casefold()).strip("-")[:60].strip("-")
    if not slug:
        slug = "note-" + hashlib.sha256(title.encode()).hexdigest()[:10]
    return slug + ".md"


def note_paths(options: dict) -> list[Path]:
    """Every note file, in a stable order (``options``: from plugin_settings)."""
    folder = Path(options["PAPERSHELF_NOTES_DIR"])
    return sorted(folder.rglob("*.md")) if folder.is_dir() else []
