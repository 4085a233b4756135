"""The text a search result's snippet is cut from, beyond the summary: ``x/<n>.json``.

A result shows the passage around its matched words, from the summary, the
abstract or the curator's note (``snippet`` in theme/static/js/search-core.js
picks it). The summary is in ``d/<n>.json`` already; the abstract and the
note's text are written here, in chunks of the same refs as ``d/``
(``DOCS_PER_CHUNK``), ``[{"a": abstract, "n": note}, ...]`` with empty texts
left out. The worker fetches them for the results shown, after the first
results, so they cost nothing before them.

Bytes are capped for a site of 100,000 papers on a static host: whitespace is
collapsed and a paper keeps at most ``PASSAGE_CHARS`` characters, the note at
least ``NOTE_SHARE`` of them when it is longer (an abstract of arXiv runs to
about 1,000-1,900 characters, so most of it is kept; its words further on still
find the paper, which then shows its summary). A cut text ends at a word and
with an ellipsis.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

PASSAGE_CHARS = 1_500
NOTE_SHARE = 500
ELLIPSIS = "\u2026"
WORD_BACKTRACK = 40  # a cut backs up to a space this close, so no Latin word is split
_LATIN_WORD_CHAR = re.compile(r"[^\W_]", re.ASCII)


@dataclass(frozen=True)
class Passages:
    abstract: str = ""
    note: str = ""


def collapsed(text: str) -> str:
    return " ".join((text or "").split())


def capped(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    piece = text[: limit - 1]
    inside_word = _LATIN_WORD_CHAR.match(text[limit - 2]) and _LATIN_WORD_CHAR.match(
        text[limit - 1]
    )
    space = piece.rfind(" ", max(0, len(piece) - WORD_BACKTRACK))
    if inside_word and space > 0:
        piece = piece[:space]
    return piece.rstrip() + ELLIPSIS


def passages(abstract: str, note: str) -> Passages:
    abstract, note = collapsed(abstract), collapsed(note)
    note = capped(note, max(NOTE_SHARE, PASSAGE_CHARS - len(abstract)))
    return Passages(abstract=capped(abstract, PASSAGE_CHARS - len(note)), note=note)


def passage_payload(doc_passages: Passages | None) -> dict:
    if doc_passages is None:
        return {}
    payload = {"a": doc_passages.abstract, "n": doc_passages.note}
    return {key: text for key, text in payload.items() if text}


def passage_files(docs: Sequence, per_chunk: int) -> Iterator[tuple[str, bytes]]:
    """``(x/<n>.json, bytes)`` for the ``per_chunk`` refs from ``n * per_chunk``, as
    ``d/``, one chunk made at a time."""
    for start in range(0, len(docs), per_chunk):
        chunk = [passage_payload(doc.passages) for doc in docs[start : start + per_chunk]]
        text = json.dumps(chunk, ensure_ascii=False, separators=(",", ":"))
        yield f"x/{start // per_chunk}.json", text.encode("utf-8")
