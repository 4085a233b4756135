"""The fetch bench's synthetic day (bench_fetch.py): arXiv-shaped RSS feeds of
synthetic papers, and where the bench keeps its archives and feeds."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from papershelf.devtools.synth import CATEGORIES
from papershelf.model import Paper

EMPTY, LARGE = "fetch-empty", "fetch-large"  # the two archives' folders in the workdir
FEEDS = "feeds"  # the served folder: <category>.xml


def _item(paper: Paper, category: str, day: str) -> str:
    announce = "new" if category == paper.primary_category else "cross"
    # The title names the paper's keywords, so the default keywords keep it.
    title = f"{paper.title} ({', '.join(paper.matched_keywords)})"
    categories = "".join(f"<category>{escape(code)}</category>" for code in paper.categories)
    return (
        f"<item><title>{escape(title)}</title>"
        f"<link>https://arxiv.org/abs/{paper.arxiv_id}</link>"
        f"<description>arXiv:{paper.arxiv_id}v1 Announce Type: {announce} \n"
        f"Abstract: {escape(paper.abstract)}</description>"
        f'<guid isPermaLink="false">oai:arXiv.org:{paper.arxiv_id}v1</guid>{categories}'
        f"<pubDate>{day}</pubDate><arxiv:announce_type>{announce}</arxiv:announce_type>"
        f"<dc:creator>{escape(', '.join(paper.authors))}</dc:creator></item>\n"
    )


def rss_feeds(papers: list[Paper], day: date) -> dict[str, bytes]:
    """One arXiv-shaped RSS feed per category of the day's papers (pure)."""
    stamp = format_datetime(datetime(day.year, day.month, day.day, tzinfo=UTC))
    feeds = {}
    for category in CATEGORIES:
        items = "".join(_item(p, category, stamp) for p in papers if category in p.categories)
        feeds[category] = (
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">\n'
            f"<channel><title>{category} updates on arXiv.org</title>"
            f"<link>http://rss.arxiv.org/rss/{category}</link>"
            f"<description>{category} updates</description><pubDate>{stamp}</pubDate>\n"
            f"{items}</channel></rss>\n"
        ).encode()
    return feeds
