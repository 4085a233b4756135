"""COinS (ContextObjects in Spans): an OpenURL in a listing card's
``<span class="Z3988" title="...">``, so Zotero can import a whole listing.

Every value is percent-encoded here (the template's autoescaping then writes the
``&`` of the query as ``&amp;``, which the browser reads back). arXiv papers are
journal-format preprints, others Dublin Core. Pure functions (``coins`` keeps its
answer on the article, which lives for one build).
"""

from __future__ import annotations

from urllib.parse import quote

from papershelf.site.citation import paper_authors, paper_day, paper_title

# A paper with hundreds of authors would make every card of a listing heavy.
MAX_AUTHORS = 20
JOURNAL_FORMAT = "info:ofi/fmt:kev:mtx:journal"
DC_FORMAT = "info:ofi/fmt:kev:mtx:dc"


def _pair(name: str, value: str) -> str:
    return f"{name}={quote(' '.join(str(value).split()), safe='')}"


def coins(article, page_url: str = "") -> str:
    """The KEV ContextObject of one paper (the span's ``title``). A paper's card is
    on several listings with the same ``page_url`` (absolute): it is made once per
    article and build, kept on the article."""
    cached = getattr(article, "_coins", None)
    if cached is not None and cached[0] == page_url:
        return cached[1]
    value = _coins(article, page_url)
    article._coins = (page_url, value)
    return value


def _coins(article, page_url: str) -> str:
    paper = getattr(article, "paper", None)
    arxiv = paper is not None and paper.is_arxiv
    pairs = [_pair("ctx_ver", "Z39.88-2004")]
    pairs.append(_pair("rft_val_fmt", JOURNAL_FORMAT if arxiv else DC_FORMAT))
    title = paper_title(article)
    authors = paper_authors(article)[:MAX_AUTHORS]
    day = paper_day(article)
    if arxiv:
        pairs += [_pair("rft.genre", "preprint"), _pair("rft.atitle", title)]
        pairs.append(_pair("rft.jtitle", "arXiv"))
        pairs += [_pair("rft.au", name) for name in authors]
    else:
        pairs += [_pair("rft.type", "preprint"), _pair("rft.title", title)]
        pairs += [_pair("rft.creator", name) for name in authors]
    if day:
        pairs.append(_pair("rft.date", day))
    if arxiv:
        pairs.append(_pair("rft_id", f"info:arxiv/{paper.arxiv_id}"))
        pairs.append(_pair("rft_id", paper.abs_url))
    if paper is not None and paper.doi:
        pairs.append(_pair("rft_id", f"info:doi/{paper.doi}"))
    if page_url and not arxiv:
        pairs.append(_pair("rft_id", page_url))
    return "&".join(pairs)
