"""Import a paper-explorer dump: papers grouped under topic headings, no titles.

The dump reads::

    推理与思维链169 篇                        <- topic heading with its stated count
    基础/前沿模型 (含LLM)                     <- an entry: field line
    推理与思维链                              <- topic line
    #LLM #Reasoning                          <- hashtags (optional)
    TL;DR:We propose …                       <- optional
    🎯 研究动机… ❓ 解决问题… 🔍 现象分析…       <- six emoji-labelled lines, one each
    🛠️ 主要方法… 📊 数据与实验… ⭐ 主要贡献…
    查看完整摘要 (Abstract)
    Large language models …                  <- the English abstract, one or more lines

Entries are found by their summary block (hashtags, TL;DR or labelled lines):
the two lines before it are the field and the topic. Parsing is pure: text in,
``Dump`` out. Records and the command are in ``paper_explorer_import.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papershelf.text import CHINESE_TEXT

SOURCE = "paper-explorer"

HEADING = re.compile(r"^(?P<topic>\S.*?)\s*(?P<count>\d+)\s*篇$")
ABSTRACT_MARKER = re.compile(r"^查看完整摘要\s*[(（]\s*Abstract\s*[)）]$")
HASHTAGS = re.compile(r"^#[^#\s]")
TLDR = re.compile(r"^TL;\s?DR\s*[:：]\s*", re.IGNORECASE)
# Emoji (variation selector optional), then the Chinese label, then the text.
LABELLED = re.compile(
    r"^(?P<emoji>🎯|❓|🔍|🛠\ufe0f?|📊|⭐\ufe0f?)\s*"
    r"(?:研究动机|解决问题|现象分析|主要方法|数据与实验|主要贡献)?\s*[:：]?\s*"
)
SUMMARY_KEYS = {
    "🎯": "motivation",
    "❓": "problem",
    "🔍": "analysis",
    "🛠": "method",
    "📊": "experiments",
    "⭐": "contribution",
}
# What is left of \nabla, \neq, \nu … after a newline ate the "\n".
SPLIT_TEX_TAIL = re.compile(r"^(?:abla|eq|e|u|ot|eg|ewline|onumber|atural|leq|geq|mid)(?![a-z])")
# A field line is a short label; a line longer than this, or one ending like a
# sentence, is the previous abstract's last line (the entry has no field line).
FIELD_MAX_CHARS = 60


@dataclass(frozen=True)
class Heading:
    topic: str
    stated: int  # the count the heading states
    line: int  # 1-based


@dataclass
class Entry:
    line: int  # 1-based line of the entry's first line
    heading: str  # topic of the heading above it ("" if none)
    field: str
    topic: str  # the heading's topic, else the entry's own topic line
    tags: list[str]
    summary: dict[str, str]  # tldr, motivation, problem, analysis, method, ...
    abstract: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class Dump:
    headings: list[Heading]
    entries: list[Entry]
    warnings: list[str]


def _summary_line(line: str) -> bool:
    return bool(HASHTAGS.match(line) or TLDR.match(line) or LABELLED.match(line))


def split_hashtags(line: str) -> list[str]:
    """``#LLM #large language models #LLM; RL`` -> ``["LLM", "large language models", "RL"]``:
    as written, without '#'; semicolon lists inside one tag split; duplicates (ignoring
    case) dropped, order kept."""
    tags: dict[str, str] = {}
    for chunk in re.split(r"(?:^|\s)#(?=\S)", line):
        for tag in chunk.split(";"):
            tag = " ".join(tag.split()).strip(" ,")
            if tag:
                tags.setdefault(tag.casefold(), tag)
    return list(tags.values())


def join_lines(lines: list[str]) -> str:
    """Lines joined with single spaces (none next to Chinese), except a TeX command
    the dump's maker split by reading its ``\\n`` as a newline (``$`` + ``abla$`` ->
    ``$\\nabla$``)."""
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if text.count("$") % 2 and SPLIT_TEX_TAIL.match(line):
            text += "\\n" + line
        elif text and not CHINESE_TEXT.match(line[0]) and not CHINESE_TEXT.match(text[-1]):
            text += " " + line
        else:
            text += line  # Chinese is written without spaces between words
    return text


def join_abstract(lines: list[str]) -> str:
    """Lines joined with spaces; blank lines separate paragraphs. Text kept as is."""
    paragraphs, current = [], []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append(" ".join(join_lines(current).split()))
            current = []
    return "\n\n".join(paragraphs)


def _read_entry(lines: list[tuple[int, str]], heading: str) -> Entry:
    """One entry from its lines: field, topic, summary block, marker, abstract."""
    (first_line, _), warnings = lines[0], []
    start = next(i for i, (_, text) in enumerate(lines) if _summary_line(text))
    head = [text for _, text in lines[:start]]
    field_line, topic_line = ([""] * 2 + head)[-2:]
    tags: list[str] = []
    summary: dict[str, str] = {}
    last_key = None
    marker = None
    for index, (number, text) in enumerate(lines[start:], start=start):
        if ABSTRACT_MARKER.match(text):
            marker = index
            break
        if HASHTAGS.match(text):
            tags += [tag for tag in split_hashtags(text) if tag not in tags]
            last_key = None
        elif tldr := TLDR.match(text):
            last_key = "tldr"
            summary[last_key] = text[tldr.end() :].strip()
        elif labelled := LABELLED.match(text):
            last_key = SUMMARY_KEYS[labelled["emoji"][0]]
            if last_key in summary:
                warnings.append(f"line {number}: a second {labelled['emoji']} line; kept the first")
                last_key = None
            else:
                summary[last_key] = text[labelled.end() :].strip()
        elif last_key and text.strip():
            summary[last_key] = join_lines([summary[last_key], text])  # a wrapped line
        elif text.strip():
            warnings.append(f"line {number}: unrecognised line before the abstract: {text[:40]!r}")
    abstract_lines = [text for _, text in lines[marker + 1 :]] if marker is not None else []
    if marker is None:
        warnings.append("no '查看完整摘要 (Abstract)' line: no abstract")
    elif any(ABSTRACT_MARKER.match(text) for text in abstract_lines):
        warnings.append("two abstract markers: an entry without summary lines was merged in")
    if not field_line:
        warnings.append("no field line")
    missing = [key for key in SUMMARY_KEYS.values() if key not in summary]
    if missing:
        warnings.append(f"missing summary lines: {', '.join(missing)}")
    if heading and topic_line and topic_line != heading:
        warnings.append(f"topic line {topic_line!r} differs from its heading {heading!r}")
    return Entry(
        line=first_line,
        heading=heading,
        field=field_line,
        topic=heading or topic_line,
        tags=tags,
        summary={key: value for key, value in summary.items() if value},
        abstract=join_abstract(abstract_lines),
        warnings=warnings,
    )


def _looks_like_field(text: str) -> bool:
    return 0 < len(text) <= FIELD_MAX_CHARS and not text.rstrip().endswith((".", "。"))


def _order(text: str) -> int | None:
    """A summary line's place in an entry: hashtags 0, TL;DR 1, 🎯 2 … ⭐ 7."""
    if HASHTAGS.match(text):
        return 0
    if TLDR.match(text):
        return 1
    labelled = LABELLED.match(text)
    return 2 + list(SUMMARY_KEYS).index(labelled["emoji"][0]) if labelled else None


def _entry_starts(lines: list[str]) -> list[int]:
    """Indexes of entries' first lines: the field and topic lines before each summary
    block (only the topic when the line above reads like an abstract's).

    A block starts at a labelled or TL;DR line, or a hashtag line followed by one
    (an abstract line that happens to start with '#' starts nothing). Inside a
    block, lines without a label continue the line before; a line that restarts
    the order (a second 🎯) starts the next entry even without an abstract marker.
    """
    starts: list[int] = []
    floor, place = 0, None  # place: order of the last summary line, None outside a block
    for index, text in enumerate(lines):
        if place is not None and ABSTRACT_MARKER.match(text):
            floor, place = index + 1, None
            continue
        order = _order(text)
        if order is None:
            continue
        if place is not None and order > place:  # the block goes on
            floor, place = index + 1, order
            continue
        following = _order(lines[index + 1]) if index + 1 < len(lines) else None
        if place is None and order == 0 and not following:
            continue  # a '#' line in an abstract, or hashtags with nothing after
        start = index
        for wanted in ("topic", "field"):
            above = lines[start - 1] if start - 1 >= floor else ""
            if not above.strip() or (wanted == "field" and not _looks_like_field(above)):
                break
            start -= 1
        starts.append(start)
        floor, place = index + 1, order
    return starts


def _split_headings(lines: list[str]) -> tuple[list[Heading], list[tuple[int, int]]]:
    """The headings, and each one's span of lines [begin, end) (the text before the
    first heading is a span with no heading, index -1)."""
    headings = [
        Heading(match["topic"].strip(), int(match["count"]), number)
        for number, text in enumerate(lines, start=1)
        if (match := HEADING.match(text.strip()))
    ]
    bounds = [0] + [h.line for h in headings] + [len(lines) + 1]
    spans = [(bounds[i], bounds[i + 1] - 1) for i in range(len(bounds) - 1)]
    return headings, spans


def parse_dump(text: str) -> Dump:
    """Every heading and entry of a dump, with warnings naming lines."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    headings, spans = _split_headings(lines)
    entries: list[Entry] = []
    warnings: list[str] = []
    for position, (begin, end) in enumerate(spans):
        topic = headings[position - 1].topic if position else ""
        body = lines[begin:end]
        starts = _entry_starts(body)
        stray = [text for text in body[: starts[0] if starts else len(body)] if text.strip()]
        if stray:
            where = f"under heading {topic!r}" if topic else "before the first heading"
            warnings.append(f"{len(stray)} line(s) {where} belong to no entry: {stray[0][:40]!r}")
        for start, stop in zip(starts, [*starts[1:], len(body)][: len(starts)], strict=True):
            numbered = [(begin + i + 1, body[i]) for i in range(start, stop)]
            entries.append(_read_entry(numbered, topic))
    return Dump(headings, entries, warnings)
