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
_MAIN = re.compile(r"<main\b[^>]*>(.*?)</main>", re.S)
_CJK_RUN = re.compile(f"[{CJK_CLASS}]{{4,}}")


def page_texts(output: Path) -> dict[str, str]:
    """URL path -> the normalised text of each paper page's <main>."""
    texts = {}
    for path in sorted((output / "papers").glob("*/index.html")):
        match = _MAIN.search(path.read_text(encoding="utf-8"))
        text = html_text(match.group(1) if match else "")
        texts[f"/papers/{path.parent.name}/"] = unicodedata.normalize("NFKC", text).lower()
    return texts


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
