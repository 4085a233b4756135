"""arXiv-shaped RSS feeds of any size, for concurrency and oversized-input tests."""

from __future__ import annotations

from xml.sax.saxutils import escape

HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">\n'
    "<channel><title>{category} updates on arXiv.org</title>"
    "<link>http://rss.arxiv.org/rss/{category}</link>"
    "<description>{category} updates</description>"
    "<pubDate>Tue, 09 Dec 2025 00:00:00 -0500</pubDate>\n"
)
ITEM = (
    "<item><title>{title}</title><link>https://arxiv.org/abs/{arxiv_id}</link>"
    "<description>arXiv:{arxiv_id}v1 Announce Type: new \nAbstract: {abstract}</description>"
    '<guid isPermaLink="false">oai:arXiv.org:{arxiv_id}v1</guid>'
    "<category>{category}</category><pubDate>Tue, 09 Dec 2025 00:00:00 -0500</pubDate>"
    "<arxiv:announce_type>new</arxiv:announce_type>"
    "<dc:creator>Ada Lovelace, Alan Turing</dc:creator></item>\n"
)


def paper_id(number: int) -> str:
    return f"2512.{number:05d}"


def arxiv_rss(count: int, start: int = 0, category: str = "cs.CL", abstract_words: int = 40):
    """An RSS feed of ``count`` new papers numbered from ``start``, all about LLMs."""
    words = " ".join(["tokens"] * abstract_words)
    items = (
        ITEM.format(
            title=escape(f"LLM paper number {number}"),
            arxiv_id=paper_id(number),
            abstract=escape(f"We study LLM {number} with {words}."),
            category=category,
        )
        for number in range(start, start + count)
    )
    return (HEAD.format(category=category) + "".join(items) + "</channel></rss>\n").encode()


def arxiv_feed(entries: list[dict], category: str = "cs.CL") -> bytes:
    """An RSS feed of the given entries: dicts with arxiv_id, title, authors,
    abstract and optionally categories (raw strings, escaped here)."""
    items = []
    for entry in entries:
        categories = "".join(
            f"<category>{escape(code)}</category>" for code in entry.get("categories", [category])
        )
        items.append(
            f"<item><title>{escape(entry['title'])}</title>"
            f"<link>https://arxiv.org/abs/{entry['arxiv_id']}</link>"
            f"<description>arXiv:{entry['arxiv_id']}v1 Announce Type: new \n"
            f"Abstract: {escape(entry['abstract'])}</description>"
            f'<guid isPermaLink="false">oai:arXiv.org:{entry["arxiv_id"]}v1</guid>{categories}'
            "<pubDate>Tue, 09 Dec 2025 00:00:00 -0500</pubDate>"
            "<arxiv:announce_type>new</arxiv:announce_type>"
            f"<dc:creator>{escape(entry['authors'])}</dc:creator></item>\n"
        )
    return (HEAD.format(category=category) + "".join(items) + "</channel></rss>\n").encode()
