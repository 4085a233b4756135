"""How a section of an awesome list is laid out: its lines' kinds and its highlights.

Sections start at ``## `` headings. Inside one, the head (title line, link
lines, date and affiliation lines) comes first, then the numbered emoji
highlights, then the long text. Pure functions over lists of lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papershelf.importers.fields import DOTTED_DATE, EMOJI, URL
from papershelf.text import HAN

HEADING = re.compile(r"^## (?P<text>.*)$")
# "##Name" is a paragraph in CommonMark (and on GitHub): reported, not split on.
HEADING_WITHOUT_SPACE = re.compile(r"^##[^#\s]")
NUMBERED = re.compile(r"^\s{0,3}(?P<number>\d{1,2})\.\s+(?P<text>\S.*)$")


@dataclass
class Section:
    heading: str
    line: int  # 1-based line of the heading
    lines: list[str] = field(default_factory=list)


def split_sections(text: str) -> tuple[list[Section], list[str]]:
    """The ``## `` sections (text above the first one is the list's own intro)."""
    sections: list[Section] = []
    warnings: list[str] = []
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        match = HEADING.match(line)
        if match:
            sections.append(Section(match["text"].strip(), number))
            continue
        if HEADING_WITHOUT_SPACE.match(line) and sections:
            warnings.append(
                f"line {number} {line.strip()!r} looks like a heading without a space after "
                f"'##'; kept in the body of '## {sections[-1].heading}'"
            )
        if sections:
            sections[-1].lines.append(line)
    return sections, warnings


def is_title(line: str) -> bool:
    """A full English title: Latin words, no Han, not a link or a list item."""
    text = line.strip()
    return (
        8 <= len(text) <= 250
        and not HAN.search(text)
        and not URL.match(text)
        and not NUMBERED.match(text)
        and text[0] not in "<!*#-●○>|`$"
        and not text.endswith((".", "。"))  # a sentence, not a title
        and len(re.findall(r"[A-Za-z][A-Za-z-]*", text)) >= 2
    )


def starts_with_emoji(text: str) -> bool:
    return bool(EMOJI.match(text.strip()))


def highlight_text(text: str) -> str:
    return " ".join(text.replace("**", "").split())


@dataclass
class Highlights:
    start: int
    end: int  # index after the last line taken
    items: list[str]


def numbered_run(lines: list[str], start: int) -> Highlights:
    """Items numbered 1, 2, 3… from ``start``, blank lines allowed between them."""
    items: list[str] = []
    positions: list[int] = []
    for index in range(start, len(lines)):
        match = NUMBERED.match(lines[index])
        if match and int(match["number"]) == len(items) + 1:
            items.append(match["text"])
            positions.append(index)
        elif lines[index].strip() or not items:
            break
    if any(map(starts_with_emoji, items)):
        # "4. EEPO 是…" after three emoji items is the long summary, numbered by mistake.
        while not starts_with_emoji(items[-1]):
            items.pop()
    end = positions[len(items) - 1] + 1 if items else start
    return Highlights(start, end, items)


BLANK, TITLE, LINK, META, PROSE = "blank", "title", "link", "meta", "prose"


def _is_affiliation_line(text: str) -> bool:
    """``小米``, ``田渊栋等``: a short line of names where a link line would be."""
    return (
        len(text) <= 16
        and not re.search(r"[。；;：:！!？?，,]", text)
        and not NUMBERED.match(text)
        and not starts_with_emoji(text)
        and text[0] not in "<!*#-●○>|`$"
    )


def classify(lines: list[str]) -> list[str]:
    """The kind of each line, as the section's head would read it."""
    kinds: list[str] = []
    seen_link = seen_prose = seen_text = False
    for line in lines:
        text = line.strip()
        if not text:
            kinds.append(BLANK)
            continue
        first, seen_text = not seen_text, True
        if first and is_title(text):
            kinds.append(TITLE)
        elif URL.match(text):
            kinds.append(LINK)
            seen_link = True
        elif not seen_prose and DOTTED_DATE.search(text) and len(text) <= 80:
            kinds.append(META)  # "NVIDIA 2025.11.26", "2024.11.14 丰田研究院（芝加哥），UCSD等"
        elif not seen_prose and not seen_link and _is_affiliation_line(text):
            kinds.append(META)
        else:
            kinds.append(PROSE)
            seen_prose = True
    return kinds


def find_highlights(lines: list[str], kinds: list[str]) -> Highlights | None:
    """The first run of highlights: numbered items with emoji anywhere, numbered
    items without emoji only before any prose, or two or more emoji-led lines."""
    prose_seen = False
    for index, line in enumerate(lines):
        numbered = NUMBERED.match(line)
        if numbered and numbered["number"] == "1":
            run = numbered_run(lines, index)
            if run.items and (any(map(starts_with_emoji, run.items)) or not prose_seen):
                return Highlights(run.start, run.end, [highlight_text(i) for i in run.items])
        elif not numbered and starts_with_emoji(line):
            end = index
            while end < len(lines) and starts_with_emoji(lines[end]):
                end += 1
            if end - index >= 2:
                # A prose line opening the same paragraph is the first item, its emoji lost.
                opens = index >= 1 and kinds[index - 1] == PROSE
                opens = opens and (index == 1 or kinds[index - 2] != PROSE)
                start = index - 1 if opens else index
                return Highlights(start, end, [highlight_text(x) for x in lines[start:end]])
        prose_seen = prose_seen or kinds[index] == PROSE
    return None
