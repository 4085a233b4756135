"""What search engines and link previews read in a page's head: pure functions.

``json_ld`` writes structured data for a ``<script type="application/ld+json">``
block, which browsers never execute (the CSP's ``script-src`` is not involved),
but whose text ends at the first ``</script``: every ``<``, ``>`` and ``&`` is
written as a ``\\u`` escape (and U+2028/U+2029 too, for old JSON parsers), so no
title, author or abstract from a feed or note can close the block.
``scholarly_article`` is a paper page's schema.org ``ScholarlyArticle``;
``meta_description`` the description a paper page gives search engines.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from papershelf.dates import dates_of
from papershelf.summaries.short import bounded

# What search engines show of a description; a longer one is cut by them anyway,
# and it is written three times in every page's head (description, og, card).
DESCRIPTION_CHARS = 160

# DEFAULT_LANG -> OpenGraph locale; other languages get "<lang>_<LANG>".
OG_LOCALES = {"en": "en_US", "zh": "zh_CN", "ja": "ja_JP", "ko": "ko_KR"}
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def og_locale(lang: str | None) -> str:
    """``en`` -> ``en_US``, ``zh`` / ``zh-CN`` -> ``zh_CN``; already a locale stays."""
    lang = (lang or "en").replace("-", "_")
    if "_" in lang:
        code, region = lang.split("_", 1)
        return f"{code.lower()}_{region.upper()}"
    return OG_LOCALES.get(lang.lower(), f"{lang.lower()}_{lang.upper()}")


def double_quoted(value: Any) -> Markup:
    """``value`` for an attribute written in double quotes: ``&``, ``<``, ``>`` and
    ``"`` escaped, ``'`` kept, which needs no escape there (the CSP's eight quotes
    were 32 bytes of ``&#39;`` on every page)."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(text.replace('"', "&quot;"))


def json_ld(data: Any) -> str:
    """``data`` as JSON safe to put between ``<script type="application/ld+json">``
    and ``</script>`` (sorted keys, so the bytes are the same every build). The
    template marks it ``safe``: a script element's text is never entity-decoded, so
    autoescaping would break the JSON, and nothing here needs it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in _JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


def _day(value) -> str | None:
    if not value:
        return None
    return value if isinstance(value, str) else value.strftime("%Y-%m-%d")


def meta_description(article) -> str:
    """A paper page's description: its short summary, cut at a sentence or a word
    within DESCRIPTION_CHARS characters."""
    text = getattr(article, "summary_text", "") or ""
    return bounded(text, DESCRIPTION_CHARS) if text else ""


def scholarly_article(article, url: str, lang: str) -> dict[str, Any]:
    """schema.org ScholarlyArticle of a paper page at ``url``: title, authors,
    dates (the real date, last version or note), tags, the arXiv source."""
    paper = getattr(article, "paper", None)
    note = getattr(article, "note", None)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": article.title,
        "url": url,
        "inLanguage": lang,
    }
    # The authors the page shows: the record's, else the note's own (never
    # Pelican's default AUTHOR, which names the site).
    authors = list(paper.authors) if paper is not None else []
    if not authors and note is not None:
        authors = [str(author) for author in note.metadata.get("authors") or []]
    if authors:
        data["author"] = [{"@type": "Person", "name": name} for name in authors]
    # The real date (papershelf.dates); an undated paper states none.
    published = dates_of(article).real_date or None
    modified = [published, paper.last_updated if paper is not None else None]
    if note is not None:
        modified.append(_day(getattr(note, "date", None)))
    if published:
        data["datePublished"] = published
    if any(modified):
        data["dateModified"] = max(day for day in modified if day)
    # No abstract: the page shows it, and highwire's citation_abstract is what
    # scholarly indexes read; JSON-LD names the paper for rich results.
    tags = [str(tag) for tag in getattr(article, "tags", None) or []]
    if tags:
        data["keywords"] = tags
    if paper is not None and paper.is_arxiv:
        data["sameAs"] = paper.abs_url
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "arXiv",
            "value": paper.arxiv_id,
        }
    elif paper is not None:
        data["identifier"] = paper.arxiv_id
    return data
