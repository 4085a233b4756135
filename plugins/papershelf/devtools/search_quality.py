"""Chinese recall and precision of a search engine, on strings cut from the pages.

A page is relevant to a query when its normalised text contains the string, so
the measure needs no hand-made judgements and holds for any engine.
"""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

from papershelf.text import CJK_CLASS, html_text

CHINESE_QUERY_COUNT = 24
KNOWN_ITEM_COUNT = 24
KNOWN_ITEM_WORDS = 6  # a reader types a few words of the title, not all of it
KNOWN_ITEM_RANK = 3
_MAIN = re.compile(r"<main\b[^>]*>(.*?)</main>", re.S)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_CJK_RUN = re.compile(f"[{CJK_CLASS}]{{4,}}")
_TITLE_WORD = re.compile(r"\w+")


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def read_pages(output: Path) -> tuple[dict[str, str], dict[str, str]]:
    """URL path -> normalised text of each paper page's <main>, and -> its title."""
    texts, titles = {}, {}
    for path in sorted((output / "papers").glob("*/index.html")):
        html = path.read_text(encoding="utf-8")
        url = f"/papers/{path.parent.name}/"
        match = _MAIN.search(html)
        texts[url] = _normal(html_text(match.group(1) if match else ""))
        heading = _H1.search(html)
        titles[url] = _normal(html_text(heading.group(1) if heading else ""))
    return texts, titles


def page_texts(output: Path) -> dict[str, str]:
    return read_pages(output)[0]


def known_items(titles: dict[str, str], count: int = KNOWN_ITEM_COUNT) -> list[tuple[str, str]]:
    """(query, URL): the first words of a title no other page shares (seeded choice).

    A known-item search is a reader looking for one paper they remember by its
    title; a title two pages share has no one right answer, so it is not asked."""
    pages_with: dict[str, int] = {}
    for title in titles.values():
        pages_with[title] = pages_with.get(title, 0) + 1
    unique = sorted(url for url, title in titles.items() if title and pages_with[title] == 1)
    rng = random.Random(20261202)
    chosen = rng.sample(unique, min(count, len(unique)))
    items = []
    for url in chosen:
        words = _TITLE_WORD.findall(titles[url])[:KNOWN_ITEM_WORDS]
        items.append((" ".join(words), url))
    return items


def success_at(found: list[list[str]], items: list[tuple[str, str]]) -> float:
    """Share of known items whose page is among the first ``KNOWN_ITEM_RANK`` results."""
    hits = sum(url in urls[:KNOWN_ITEM_RANK] for urls, (_, url) in zip(found, items, strict=True))
    return hits / max(len(items), 1)


def chinese_queries(texts: dict[str, str], count: int = CHINESE_QUERY_COUNT) -> list[str]:
    """Distinct 2-4 character strings cut from the pages' Chinese text (seeded)."""
    rng = random.Random(20261122)
    runs = [run for text in texts.values() for run in _CJK_RUN.findall(text)]
    queries: list[str] = []
    for _ in range(count * 50):
        if not runs or len(queries) >= count:
            break
        run = rng.choice(runs)
        length = rng.choice((2, 3, 4))
        start = rng.randrange(0, len(run) - length + 1)
        if run[start : start + length] not in queries:
            queries.append(run[start : start + length])
    return queries


def recall_precision(found: list[list[str]], queries: list[str], texts: dict) -> tuple:
    relevant_total = returned_total = hits = 0
    for query, urls in zip(queries, found, strict=True):
        relevant = {url for url, text in texts.items() if query in text}
        returned = set(urls)
        relevant_total += len(relevant)
        returned_total += len(returned)
        hits += len(relevant & returned)
    return hits / max(relevant_total, 1), hits / max(returned_total, 1)
