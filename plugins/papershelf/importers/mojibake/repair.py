"""Detect and repair double-encoded text: UTF-8 bytes that were read as a Windows code page.

The damage undone here: a file's UTF-8 bytes were decoded with a Windows code page, and the
bytes that code page leaves undefined were dropped, as was 0xAD (a soft hyphen, invisible,
so editors strip it). `damage()` reproduces it exactly.

Why it can be undone: every dropped byte is a UTF-8 continuation byte (0x80-0xBF), never a
lead byte, so re-encoding with the code page still shows where each character starts and,
from its lead byte, how many bytes it is short. The missing bytes come from the dropped set;
where that leaves several valid characters, a character bigram model (`mojibake_model`)
picks the likeliest reading of the whole run. ASCII never changes, so English is untouched.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import combinations, groupby, product

from papershelf.importers.mojibake.codepages import CODEPAGES, dropped_bytes
from papershelf.importers.mojibake.model import LINE_EDGE, CharModel, load_model

# One "Ã©" quoted in a sentence is not damage: ask for a few sequences...
MIN_SEQUENCES = 2
# ...making up most of the non-ASCII text (legit accents mostly stand alone or are foreign).
MIN_SCORE = 0.75
# Continuation bytes seen before a byte's absence counts as evidence that it was dropped.
TIE_EVIDENCE = 64

# A lead byte with the continuation bytes after it, a run of stray continuation bytes, or a
# byte that UTF-8 never uses.
_UNIT = re.compile(rb"[\xc2-\xf4][\x80-\xbf]*|[\x80-\xbf]+|[\xc0\xc1\xf5-\xff]")


@dataclass(frozen=True)
class Repair:
    text: str
    codepage: str | None  # the code page the text was mis-decoded with, None if not damaged
    changed: bool
    recovered_bytes: int = 0  # dropped bytes put back
    ambiguous_choices: int = 0  # characters the model chose among several valid readings
    unrecoverable: int = 0  # non-ASCII lines left as they were: they do not read as UTF-8


def damage(text: str, codepage: str = "cp1254") -> str:
    """UTF-8 bytes decoded with `codepage`, its undefined bytes and 0xAD dropped."""
    dropped = bytes(sorted(dropped_bytes(codepage)))
    return text.encode("utf-8").translate(None, delete=dropped).decode(codepage)


def _utf8_length(lead: int) -> int:
    return 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4


@cache
def _readings(unit: bytes, dropped: frozenset[int]) -> tuple[str, ...]:
    """Characters a lead byte and its surviving continuation bytes can have come from."""
    length = _utf8_length(unit[0])
    missing = length - len(unit)
    if missing < 0:
        return ()
    fillers = sorted(b for b in dropped if 0x80 <= b <= 0xBF)
    readings = []
    for gaps in combinations(range(length - 1), missing):
        for fill in product(fillers, repeat=missing):
            survivors, filled = iter(unit[1:]), iter(fill)
            tail = bytes(next(filled) if i in gaps else next(survivors) for i in range(length - 1))
            try:
                readings.append((unit[:1] + tail).decode("utf-8"))
            except UnicodeDecodeError:
                continue
    return tuple(dict.fromkeys(readings))


@cache
def _encodable(char: str, codepage: str) -> bool:
    try:
        char.encode(codepage)
    except UnicodeEncodeError:
        return False
    return True


def _evidence(text: str, non_ascii: Counter, codepage: str) -> tuple[int, float, int]:
    """(UTF-8 sequences found, their share of the non-ASCII bytes, continuation bytes seen).

    Characters outside the code page and lone lead bytes count against: in real mojibake
    every character is in the code page and nearly every lead byte keeps a continuation.
    """
    foreign = sum(n for c, n in non_ascii.items() if not _encodable(c, codepage))
    dropped = dropped_bytes(codepage)
    sequences = readable = unreadable = continuation = 0
    for match in _UNIT.finditer(text.encode(codepage, errors="replace")):
        unit = match.group()
        if 0xC2 <= unit[0] <= 0xF4 and len(unit) >= 2 and _readings(unit, dropped):
            sequences += 1
            readable += len(unit)
            continuation += len(unit) - 1
        else:
            unreadable += len(unit)
    return sequences, readable / (readable + unreadable + foreign), continuation


def detect_codepage(text: str) -> str | None:
    """The Windows code page `text` was mis-decoded with, or None if it is not mojibake."""
    if text.isascii():
        return None
    non_ascii = Counter(c for c in text if not c.isascii())
    candidates = []
    for codepage in CODEPAGES:
        sequences, score, continuation = _evidence(text, non_ascii, codepage)
        if sequences >= MIN_SEQUENCES and score >= MIN_SCORE:
            candidates.append((score, codepage, continuation))
    if not candidates:
        return None
    best = max(score for score, _, _ in candidates)
    tied = [(cp, cont) for score, cp, cont in candidates if score >= best - 1e-9]
    choice = tied[0][0]
    for codepage, continuation in tied[1:]:
        # Same reading under both (e.g. cp1252 and cp1254 on Chinese without emoji): a page
        # that drops more bytes explains why those bytes never appear, once enough are seen.
        if dropped_bytes(choice) < dropped_bytes(codepage) and continuation >= TIE_EVIDENCE:
            choice = codepage
    return choice


def _line_options(line: str, codepage: str) -> tuple[list[tuple[str, ...]], int] | None:
    """The candidate characters at each position of a damaged line and the number of bytes
    missing, or None when the line does not read as damaged UTF-8 (then it is left alone)."""
    dropped = dropped_bytes(codepage)
    options: list[tuple[str, ...]] = []
    missing = 0
    for in_codepage, chars in groupby(line, key=lambda c: _encodable(c, codepage)):
        run = "".join(chars)
        if not in_codepage:  # text that was never damaged sits between damaged runs
            options.extend((c,) for c in run)
            continue
        data = run.encode(codepage)
        position = 0
        for match in _UNIT.finditer(data):
            options.extend((chr(b),) for b in data[position : match.start()])
            position = match.end()
            unit = match.group()
            readings = _readings(unit, dropped) if 0xC2 <= unit[0] <= 0xF4 else ()
            if not readings:
                return None
            options.append(readings)
            missing += _utf8_length(unit[0]) - len(unit)
        options.extend((chr(b),) for b in data[position:])
    return options, missing


def _choose(options: list[tuple[str, ...]], model: CharModel) -> list[str]:
    """Fixed characters as they are; each run of ambiguous ones by the model, in context."""
    chosen: list[str] = []
    start = 0
    while start < len(options):
        if len(options[start]) == 1:
            chosen.append(options[start][0])
            start += 1
            continue
        end = start
        while end < len(options) and len(options[end]) > 1:
            end += 1
        left = chosen[-1] if chosen else LINE_EDGE
        right = options[end][0] if end < len(options) else LINE_EDGE
        chosen.extend(model.best_path(left, options[start:end], right))
        start = end
    return chosen


def repair(text: str, model: CharModel | None = None) -> Repair:
    """Undo the damage `damage()` does, if `text` shows it; otherwise return `text` as is.
    `model` defaults to the bundled one (tests pass a held-out variant)."""
    codepage = detect_codepage(text)
    if codepage is None:
        return Repair(text, None, False)
    model = model or load_model()
    lines, recovered, ambiguous, unrecoverable = [], 0, 0, 0
    for line in text.split("\n"):
        found = _line_options(line, codepage)
        if found is None:
            unrecoverable += not line.isascii()
            lines.append(line)
            continue
        options, missing = found
        recovered += missing
        ambiguous += sum(len(choices) > 1 for choices in options)
        lines.append("".join(_choose(options, model)))
    repaired = "\n".join(lines)
    if repaired == text:
        return Repair(text, codepage, False)
    return Repair(repaired, codepage, True, recovered, ambiguous, unrecoverable)
