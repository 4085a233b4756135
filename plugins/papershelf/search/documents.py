"""Search documents from Pelican articles: what the search index and related papers read.

A paper's page says: its title, tags (with their aliases), id, authors, short summary,
abstract, note, AI and structured summaries, topic and categories. Templates escape
titles, so they are plain text; note bodies are HTML and are reduced to their text.
"""

from __future__ import annotations

from papershelf.dates import dates_of
from papershelf.search.facets import doc_facets
from papershelf.search.index import SearchDoc
from papershelf.search.text import tag_term
from papershelf.text import html_text


def _body(paper, note) -> str:
    """What the paper page says beyond the title: abstract, note, AI and structured summaries."""
    extra = paper.extra if paper else {}
    parts = [
        paper.abstract if paper else "",
        html_text(note.content) if note else "",
        (extra.get("ai_summary") or {}).get("text", ""),
        *(str(value) for value in (extra.get("structured_summary") or {}).values()),
    ]
    return "\n".join(part for part in parts if part)


def search_doc(article, aliases, *, for_index: bool = True) -> SearchDoc:
    """The paper's search document; ``for_index=False`` leaves out what only the
    index writes (facets), for readers of its texts alone."""
    paper = getattr(article, "paper", None)
    note = getattr(article, "note", None)
    tags = [(tag.name, tag.slug) for tag in getattr(article, "tags", [])]
    alias_names = [alias for name, _ in tags for alias in aliases.aliases_of.get(name, [])]
    names = [name for name, _ in tags]
    categories = list(paper.categories) if paper else []
    return SearchDoc(
        key=article.slug,
        source=str(getattr(article, "source_path", "") or ""),
        date=dates_of(article).real_date,  # "" for an undated paper: no year, no day
        url=article.url,
        title=article.title,  # plain text (templates escape it), not HTML
        names=tuple(getattr(article, "aliases", None) or ()),
        summary=getattr(article, "summary_text", "") or "",
        body=_body(paper, note),
        authors=tuple(paper.authors) if paper else (),
        # Codes only: readable names ("Computation and Language") would put common
        # words in thousands of papers' postings and slow every query using them.
        categories=" ".join(categories),
        topic=str((paper.extra.get("topic") if paper else "") or ""),
        tags=tuple(tags),
        tag_text=" ; ".join([*names, *alias_names]),
        facets=doc_facets(paper, note) if for_index else None,
        tag_terms=tuple(
            sorted({tag_term(name) for name in [*names, *(s for _, s in tags), *alias_names]})
        ),
    )
