"""The site's Atom feeds: what every entry and feed says, and the writer of them.

Pelican's writer asks ``write_feed`` for every feed (FEED_ALL_ATOM), and the page
plugins ask it for the tag and category feeds (``listing.write_listing_feed``);
``FeedWriter`` answers Atom feeds itself, and render_cache's writer is built on
it. What it writes, unlike Pelican's own feeds:

- **entry ids** ``tag:<host>,<date>:<path>``, host and path those of the paper's page
  under PAPERSHELF_FEED_ID_URL (else SITEURL), the date taken from what never changes
  for a paper: the month in its arXiv id (``2512.00001`` -> ``2025-12``), else the day
  a local-id paper was first imported, else the note's date. Pelican took the
  article's date, which moves when an import brings an earlier announcement.
- **entry updated**: the latest of the announcement days of the record (a new
  version is a new announcement), the note's date and its ``Modified``; never the
  build's day. The feed's updated is its newest entry's (an empty feed: 1970-01-01).
- **feed ids** are the feed's own URL, so no two feeds share one (Pelican gave every
  feed the home page's URL); the alternate link is the listing page the feed follows.
- every author of a paper (Pelican kept the first) and the site's AUTHOR on the feed,
  so every entry has one; titles as plain text (Pelican stripped ``<think>`` from
  them as if it were a tag); ``xml:lang`` on the feed and on text in another script.

Only dated papers are entries (``dated``; papershelf.dates): an undated import is on
its tag and category pages, never in a feed.

A publishing build (SITEURL set) gets absolute links under SITEURL; a local preview
(SITEURL empty) links from the site root, which ``make serve`` serves.
"""

from __future__ import annotations

import datetime
import os
from urllib.parse import urljoin, urlparse

from feedgenerator import Atom1Feed
from feedgenerator.django.utils.encoding import iri_to_uri
from pelican import signals
from pelican.utils import sanitised_join, set_date_tzinfo
from pelican.writers import Writer

from papershelf.build_state import build_state
from papershelf.config import plugin_settings
from papershelf.dates import dates_of
from papershelf.model import NEW_STYLE_ID, OLD_STYLE_ID
from papershelf.text import html_text, text_lang

EMPTY_FEED_UPDATED = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def site_link(site_url: str, path: str) -> str:
    """``path`` (relative to the site) under SITEURL, or from the root without one."""
    if not site_url:
        return "/" + path.lstrip("/")
    return iri_to_uri(urljoin(site_url.rstrip("/") + "/", path.lstrip("/")))


def id_date(article) -> str:
    """The date part of an entry's tag URI: fixed for the life of the paper."""
    paper = getattr(article, "paper", None)
    arxiv_id = getattr(paper, "arxiv_id", "") or getattr(article, "arxiv", "") or ""
    if NEW_STYLE_ID.match(arxiv_id):
        return f"20{arxiv_id[:2]}-{arxiv_id[2:4]}"
    if OLD_STYLE_ID.match(arxiv_id):
        yymm = arxiv_id.split("/")[1][:4]
        century = "19" if yymm >= "91" else "20"  # arXiv began in 1991
        return f"{century}{yymm[:2]}-{yymm[2:]}"
    imported = paper.extra.get("imported") if paper is not None else None
    if imported:
        return str(imported)[:10]
    return article.date.strftime("%Y-%m-%d")


def entry_id(article, id_url: str) -> str:
    """``tag:<host>,<date>:<path>`` of the article's page under ``id_url``
    (PAPERSHELF_FEED_ID_URL, else SITEURL)."""
    link = urlparse(site_link(id_url, article.url))
    return f"tag:{link.hostname or 'localhost'},{id_date(article)}:{link.path}"


def _day(value: str, timezone) -> datetime.datetime:
    return set_date_tzinfo(datetime.datetime.fromisoformat(value), timezone)


def entry_updated(article, timezone) -> datetime.datetime:
    """When the entry last changed: a new version or announcement of the paper,
    a note written or modified later. Only the inputs' dates, never the build's."""
    dates = [article.date]
    if getattr(article, "modified", None):
        dates.append(article.modified)
    paper = getattr(article, "paper", None)
    if paper is not None and paper.last_updated:
        dates.append(_day(paper.last_updated, timezone))
    note = getattr(article, "note", None)
    for attr in ("date", "modified"):
        if getattr(note, attr, None):
            dates.append(getattr(note, attr))
    return max(dates)


def dated(articles) -> list:
    """Only papers with a real date are entries (papershelf.dates): an undated one
    would be "published" on whatever day Pelican was given, and an import of 800
    of them would fill every feed."""
    return [article for article in articles if dates_of(article).is_dated]


class PaperAtomFeed(Atom1Feed):
    """feedgenerator's Atom feed with several authors per entry, xml:lang on text
    in another language than the feed's, typed links, and no build-time dates."""

    def root_attributes(self):
        return {"xmlns": self.ns, "xml:lang": self.feed["language"]}

    def _text(self, handler, name, text, attrs=None):
        attrs = dict(attrs or {})
        lang = text_lang(html_text(text) if attrs.get("type") == "html" else text, "")
        if lang and lang != self.feed["language"]:
            attrs["xml:lang"] = lang
        handler.addQuickElement(name, text, attrs)

    def latest_post_date(self):
        return max((item["updateddate"] for item in self.items), default=EMPTY_FEED_UPDATED)

    def add_root_elements(self, handler):
        feed = self.feed
        self._text(handler, "title", feed["title"])
        if feed["subtitle"]:
            self._text(handler, "subtitle", feed["subtitle"])
        link = {"rel": "alternate", "type": "text/html", "href": feed["link"]}
        handler.addQuickElement("link", "", link)
        self_link = {"rel": "self", "type": "application/atom+xml", "href": feed["feed_url"]}
        handler.addQuickElement("link", "", self_link)
        handler.addQuickElement("id", feed["id"])
        handler.addQuickElement("updated", self._date(self.latest_post_date()))
        handler.startElement("author", {})
        handler.addQuickElement("name", feed["author_name"])
        handler.endElement("author")

    def add_item_elements(self, handler, item):
        self._text(handler, "title", item["title"])
        handler.addQuickElement("link", "", {"rel": "alternate", "href": item["link"]})
        handler.addQuickElement("id", item["unique_id"])
        handler.addQuickElement("published", self._date(item["pubdate"]))
        handler.addQuickElement("updated", self._date(item["updateddate"]))
        for name in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        if item["description"] is not None:
            self._text(handler, "summary", item["description"], {"type": "html"})
        if item["content"] is not None:
            self._text(handler, "content", item["content"], {"type": "html"})
        for term in item["categories"]:
            handler.addQuickElement("category", "", {"term": term})

    @staticmethod
    def _date(value: datetime.datetime) -> str:
        text = value.isoformat()
        return text if value.utcoffset() is not None else text + "Z"


def feed_root(site_url: str, feed_domain: str, page_site_url: str) -> str:
    """Where a page's links to the feeds start: like its links to other pages
    (``page_site_url``, relative when the site's are), unless the feeds live on a
    domain of their own (FEED_DOMAIN other than SITEURL)."""
    return feed_domain if feed_domain and feed_domain != site_url else page_site_url


def atom_feed(articles, context: dict, path: str, title: str | None, alternate: str, id_url=""):
    """The Atom feed of ``articles`` at ``path`` (relative to the site), following
    the page ``alternate``; entry ids are made of ``id_url``, else SITEURL."""
    site_url = context.get("SITEURL") or ""
    id_url = id_url or site_url
    feed_base = context.get("FEED_DOMAIN") or site_url
    timezone = context.get("TIMEZONE")
    sitename = context.get("SITENAME", "")
    feed_url = site_link(feed_base, path)
    feed = PaperAtomFeed(
        title=f"{sitename}: {title}" if title else sitename,
        link=site_link(site_url, alternate),
        description="",
        subtitle=context.get("SITESUBTITLE") or None,
        language=context.get("DEFAULT_LANG") or "en",
        author_name=context.get("AUTHOR") or sitename,
        feed_url=feed_url,
        feed_guid=feed_url,
    )
    for article in articles:
        content = article.get_content(site_url)
        summary = article.summary
        categories = [article.category] if getattr(article, "category", None) else []
        feed.add_item(
            title=str(article.title),
            link=site_link(site_url, article.url),
            unique_id=iri_to_uri(entry_id(article, id_url)),
            description=None if not summary or summary == content else summary,
            content=content,
            categories=categories + list(getattr(article, "tags", [])),
            pubdate=article.date,
            updateddate=entry_updated(article, timezone),
            authors=[str(a) for a in getattr(article, "authors", None) or []],
        )
    return feed


class FeedWriter(Writer):
    """Pelican's writer, with Atom feeds written by ``atom_feed``; ``alternate`` is
    the page a feed follows (the home page unless given)."""

    accepts_alternate = True

    def write_feed(
        self,
        elements,
        context,
        path=None,
        url=None,
        feed_type="atom",
        override_output=False,
        feed_title=None,
        alternate="",
    ):
        with build_state(self.settings).clock.stage("feeds"):
            if feed_type != "atom":
                return super().write_feed(
                    elements, context, path, url, feed_type, override_output, feed_title
                )
            return self._write_atom(
                elements, context, path, url, override_output, feed_title, alternate
            )

    def _write_atom(self, elements, context, path, url, override_output, feed_title, alternate):
        limit = self.settings.get("FEED_MAX_ITEMS")
        id_url = plugin_settings(self.settings)["PAPERSHELF_FEED_ID_URL"]
        entries = dated(elements)[:limit]
        feed = atom_feed(entries, context, url or path, feed_title, alternate, id_url)
        signals.feed_generated.send(context, feed=feed)
        if path:
            complete_path = sanitised_join(self.output_path, path)
            os.makedirs(os.path.dirname(complete_path), exist_ok=True)
            with self._open_w(complete_path, "utf-8", override_output) as fp:
                feed.write(fp, "utf-8")
            signals.feed_written.send(complete_path, context=context, feed=feed)
        return feed
