"""The short summary every paper carries: chosen by priority, bounded, clean.

Priority: the curator's note summary, an imported structured summary's TL;DR
(or its contribution), the lead of an AI summary, and finally the first
sentences of the abstract. The result is plain text (templates escape it) and
says where it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from papershelf.language import N_
from papershelf.text import collapse_whitespace, is_han

# The sentence a paper page shows under the summary: msgids the template translates.
SOURCE_LABELS = {
    "note": N_("Summary from the curator's note."),
    "structured": N_("Summary from the structured summary."),
    "ai": N_("Summary from the AI summary."),
    "abstract": N_("Summary from the abstract."),
}

_SENTENCE_END = ".!?。！？"
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_MARKDOWN_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•●]|\d+[.)、])\s+")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
# A trailing label such as "解决的问题：" or "Problem:" announces text that was cut.
_DANGLING = re.compile(r"[\s,;:，；：、(（\-–—]+$")


@dataclass(frozen=True)
class ShortSummary:
    text: str
    source: str  # a key of SOURCE_LABELS

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self.source]


def _joins(char: str) -> bool:
    """Characters that belong to the one before them (accents, emoji modifiers)."""
    return (
        unicodedata.combining(char) > 0
        or char in "\u200d\ufe0e\ufe0f"
        or ("\U0001f3fb" <= char <= "\U0001f3ff")
    )


def bounded(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, ending cleanly: at a sentence end
    if one falls late enough, else at a word (or Han character) boundary with '…';
    never inside a word, a character or an emoji sequence."""
    text = collapse_whitespace(text)
    if len(text) <= limit:
        return _DANGLING.sub("", text) if text[-1:] in ":：" else text
    window = text[:limit]
    sentence_end = max(window.rfind(mark) for mark in _SENTENCE_END)
    if sentence_end >= limit * 0.5:
        return window[: sentence_end + 1]
    cut = limit - 1  # room for the ellipsis
    while cut > 0 and _joins(text[cut]):
        cut -= 1
    if not (is_han(text[cut - 1]) or is_han(text[cut]) or text[cut] == " "):
        space = text.rfind(" ", 0, cut)
        if space > limit // 2:
            cut = space
    return _DANGLING.sub("", text[:cut]) + "…"


def markdown_lead(markdown_text: str) -> str:
    """The first paragraph of prose in Markdown: headings, rules and markup skipped;
    a list's items are joined into one paragraph."""
    paragraph: list[str] = []
    for line in markdown_text.splitlines():
        stripped = line.strip()
        if _MARKDOWN_HEADING.match(line) or _MARKDOWN_RULE.match(line) or not stripped:
            if paragraph:
                break
            continue
        plain = _LINK.sub(r"\1", _IMAGE.sub("", _LIST_MARKER.sub("", stripped)))
        plain = _TAG.sub("", _EMPHASIS.sub("", plain))
        if plain.strip():
            paragraph.append(plain.strip())
    return " ".join(paragraph)


def short_summary(
    abstract: str,
    limit: int,
    note_summary: str | None = None,
    structured: dict | None = None,
    ai_summary: str | None = None,
) -> ShortSummary:
    """The paper's short summary and its source, by the priority above."""
    candidates = [
        ("note", note_summary or ""),
        ("structured", (structured or {}).get("tldr") or (structured or {}).get("contribution")),
        ("ai", markdown_lead(ai_summary or "")),
        ("abstract", abstract),
    ]
    for source, text in candidates:
        if text and text.strip():
            return ShortSummary(bounded(text, limit), source)
    return ShortSummary("", "abstract")
