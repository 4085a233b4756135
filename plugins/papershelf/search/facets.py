"""What filters, counts and sorting read per paper, as small column files by block of refs.

A query's words are answered by the term shards; ``cat:``, ``year:``,
``after:``, ``before:``, ``source:``, ``rating:`` and ``has:``
(papershelf.search.query), the counts beside the results and the sorts by
score or rating need a few values of each matched paper. They live in
``c/<n>.json``, one per ``COLUMN_BLOCK`` refs, loaded only for the blocks of
the matched refs (never one file of every paper):

``{"d": [date, ...], "s": [source bits, ...], "r": [rating, ...], "p": [score,
...], "c": [[category number, ...], ...], "cn": [category code, ...],
"g": [[tag number, ...], ...], "gn": [[tag name, slug], ...]}``

Categories and tags are numbered per block (``cn``, ``gn``), so a file holds a
few bytes per paper. Source bits: 1 feed, 2 import, 4 curator's note.
``theme/static/js/search-core.js`` reads the same files the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

COLUMN_BLOCK = 500
SOURCE_BITS = {"feed": 1, "import": 2, "note": 4}


@dataclass(frozen=True)
class DocFacets:
    sources: int = 0  # SOURCE_BITS of every source the paper came from
    rating: float = 0.0  # the curator's, 1-5 in halves; 0: not rated
    score: float = 0.0  # the keyword score of its feed
    categories: tuple[str, ...] = ()  # arXiv codes, primary first


def doc_facets(paper, note) -> DocFacets:
    sources = 0
    if paper is not None:
        names = paper.sources
        sources |= SOURCE_BITS["feed"] if "arxiv" in names else 0
        sources |= SOURCE_BITS["import"] if any(n != "arxiv" for n in names) else 0
    if note is not None:
        sources |= SOURCE_BITS["note"]
    try:
        rating = float(getattr(note, "rating", None) or 0.0)
    except (TypeError, ValueError):
        rating = 0.0
    categories = tuple(paper.categories) if paper is not None else ()
    return DocFacets(
        sources=sources,
        rating=rating,
        score=float((paper.score if paper is not None else 0.0) or 0.0),
        categories=categories,
    )


def _number(value: float):
    """4.0 as 4, so Python and JavaScript write and read the same JSON."""
    return int(value) if float(value).is_integer() else value


def column_block(docs: Sequence) -> dict:
    """The column file of ``docs`` (SearchDocs, in ref order)."""
    category_numbers: dict[str, int] = {}
    tag_numbers: dict[tuple[str, str], int] = {}
    block: dict[str, list] = {"d": [], "s": [], "r": [], "p": [], "c": [], "g": []}
    for doc in docs:
        facets = doc.facets or DocFacets()
        block["d"].append(doc.date)
        block["s"].append(facets.sources)
        block["r"].append(_number(facets.rating))
        block["p"].append(_number(round(facets.score, 3)))
        block["c"].append(
            [category_numbers.setdefault(code, len(category_numbers)) for code in facets.categories]
        )
        block["g"].append(
            [tag_numbers.setdefault(tuple(tag), len(tag_numbers)) for tag in doc.tags]
        )
    block["cn"] = list(category_numbers)
    block["gn"] = [list(tag) for tag in tag_numbers]
    return block


def column_files(docs: Sequence) -> Iterator[tuple[str, bytes]]:
    """``(c/<n>.json, bytes)`` per ``COLUMN_BLOCK`` refs, one block made at a time."""
    for start in range(0, len(docs), COLUMN_BLOCK):
        block = column_block(docs[start : start + COLUMN_BLOCK])
        data = json.dumps(block, ensure_ascii=False, separators=(",", ":"))
        yield f"c/{start // COLUMN_BLOCK}.json", data.encode("utf-8")


@dataclass(frozen=True)
class Record:
    """One paper's columns, as filters and sorts read them."""

    date: str
    sources: int
    rating: float
    score: float
    categories: tuple[str, ...]  # lower case
    tags: tuple[tuple[str, str], ...]  # (name, slug)


def records(blocks: Sequence[dict]) -> list[Record]:
    """Every ref's Record, from the column files in block order."""
    result = []
    for block in blocks:
        for number, date in enumerate(block["d"]):
            result.append(
                Record(
                    date=date,
                    sources=block["s"][number],
                    rating=block["r"][number],
                    score=block["p"][number],
                    categories=tuple(block["cn"][i].lower() for i in block["c"][number]),
                    tags=tuple(tuple(block["gn"][i]) for i in block["g"][number]),
                )
            )
    return result
