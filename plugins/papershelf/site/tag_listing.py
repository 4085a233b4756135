"""Tags as readers browse them: every paper's tags resolved to one per concept,
the papers under each tag in two orders, the index's cloud of the most used
tags and the A-Z list of all of them.

Pure functions over built articles; paper_articles resolves the tags and the
tag_pages plugin writes the pages (and the redirects from joined spellings).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from papershelf.notes.tags import TagAliases, inflection_joins, tag_key
from papershelf.text import is_han

CLOUD_SIZES = 5  # size classes of the cloud: tag-size-1 (least used) .. tag-size-5
HAN_GROUP = "中文"
OTHER_GROUP = "…"


@dataclass
class TagListing:
    tag: object  # pelican.urlwrappers.Tag: name, slug, url
    papers: list  # newest first
    aliases: list[str] = field(default_factory=list)  # other spellings, from tags.yml
    best_url: str | None = None  # the best-first page, for tags with several papers

    @property
    def name(self) -> str:
        return self.tag.name

    @property
    def url(self) -> str:
        return self.tag.url

    @property
    def count(self) -> int:
        return len(self.papers)

    def best_first(self) -> list:
        return sorted(self.papers, key=best_key)


def best_key(article) -> tuple:
    """Curator rating first, then the keyword score, then newest: a rated paper
    outranks any unrated one, since a curator read it."""
    note = getattr(article, "note", None)
    paper = getattr(article, "paper", None)
    rating = getattr(note, "rating", None) or 0.0
    score = (paper.score if paper else None) or 0.0
    return (-rating, -score, -article.date.timestamp(), article.slug)


def unify_tag_names(articles) -> None:
    """Show every spelling of a tag (``Long_Context``, ``long context``: one slug)
    as its most used one, and fold the names an article's chips show into its
    ``render_key``, so a change of spelling re-renders the page.

    Articles get the Tag object of the shown spelling; no Tag is renamed, since
    Tag objects are shared between builds in one process."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    tag_named: dict[tuple[str, str], object] = {}
    for article in articles:
        for tag in getattr(article, "tags", ()):
            if not tag.slug:  # a name of punctuation only: its page would be tags/index.html
                tag.slug = "tag-" + hashlib.sha256(tag.name.encode()).hexdigest()[:10]
            spellings[tag.slug][tag.name] += 1
            tag_named.setdefault((tag.slug, tag.name), tag)
    shown = {
        slug: tag_named[slug, min(counts, key=lambda name: (-counts[name], name))]
        for slug, counts in spellings.items()
    }
    for article in articles:
        tags = getattr(article, "tags", None)
        if not tags:
            continue
        article.tags = list(dict.fromkeys(shown[tag.slug] for tag in tags))
        if getattr(article, "render_key", None):
            shown_names = "\0".join(tag.name for tag in article.tags)
            keyed = f"{article.render_key}\0{shown_names}".encode()
            article.render_key = hashlib.sha256(keyed).hexdigest()


def resolve_tags(
    articles, aliases: TagAliases, tag_named: Callable[[str], object]
) -> tuple[TagAliases, list[tuple[object, object]]]:
    """The one place a paper's tags become what every page shows: each spelling
    as written to its canonical one in the alias file, inflections joined
    (``inflection_joins``, counting papers), then spellings sharing a URL unified.

    Returns the alias table with this build's joins, and (old tag, its tag now)
    for each written spelling whose page is gone, by old URL: its redirects."""
    written = [list(getattr(article, "tags", None) or ()) for article in articles]
    canonical = [list(dict.fromkeys(aliases.canonical(t.name) for t in tags)) for tags in written]
    joins = inflection_joins(Counter(name for names in canonical for name in names), aliases)
    for article, names in zip(articles, canonical, strict=True):
        if names:
            unique: dict[str, object] = {}
            for name in names:
                tag = tag_named(joins.get(name, name))
                unique.setdefault(tag.slug, tag)
            article.tags = list(unique.values())
    unify_tag_names(articles)
    shown = {tag.slug: tag for article in articles for tag in getattr(article, "tags", None) or ()}
    moved, spelled = {}, {}
    for tags in written:
        for tag in tags:
            name = aliases.canonical(tag.name)
            now = shown[tag_named(joins.get(name, name)).slug]
            if tag_key(tag.name) not in aliases.canonical_of:  # not in tags.yml: joined here
                spelled[tag.name] = now.name  # by the shown name, as tag pages look it up
            if tag.slug and tag.slug not in shown:
                moved.setdefault(tag.slug, (tag, now))
    joined = {name: now for name, now in spelled.items() if tag_key(name) != tag_key(now)}
    return aliases.with_joins(joined), [moved[slug] for slug in sorted(moved)]


def build_tag_listings(articles, aliases: TagAliases, best_url: str) -> list[TagListing]:
    """One listing per tag (by slug), sorted by name; ``articles`` newest first,
    their tag names unified by ``unify_tag_names``."""
    by_slug: dict[str, list] = defaultdict(list)
    tag_of: dict[str, object] = {}
    for article in articles:
        for tag in getattr(article, "tags", ()):
            tag_of.setdefault(tag.slug, tag)
            by_slug[tag.slug].append(article)
    listings = []
    for slug in sorted(by_slug, key=lambda slug: (tag_key(tag_of[slug].name), slug)):
        tag, papers = tag_of[slug], by_slug[slug]
        listings.append(
            TagListing(
                tag,
                papers,
                aliases=aliases.aliases_of.get(tag.name, []),
                best_url=best_url.format(url=tag.url) if len(papers) > 1 else None,
            )
        )
    return listings


@dataclass(frozen=True)
class CloudTag:
    listing: TagListing
    size: int  # 1..CLOUD_SIZES, by the log of the paper count


def tag_cloud(listings: list[TagListing], limit: int) -> list[CloudTag]:
    """The ``limit`` most used tags in name order, each with a size class."""
    top = sorted(listings, key=lambda listing: (-listing.count, tag_key(listing.name)))[:limit]
    if not top:
        return []
    low, high = math.log(top[-1].count), math.log(top[0].count)
    span = (high - low) or 1.0
    sized = [
        CloudTag(t, 1 + round((CLOUD_SIZES - 1) * (math.log(t.count) - low) / span)) for t in top
    ]
    return sorted(sized, key=lambda cloud_tag: (tag_key(cloud_tag.listing.name), cloud_tag.size))


@dataclass(frozen=True)
class TagGroup:
    label: str  # "A".."Z", "0-9", "中文" or "…"
    anchor: str  # id of the group's heading
    listings: list[TagListing]


def initial(name: str) -> str:
    first = tag_key(name)[:1]
    if "a" <= first <= "z":
        return first.upper()
    if first.isdigit():
        return "0-9"
    return HAN_GROUP if first and is_han(first) else OTHER_GROUP


def group_by_initial(listings: list[TagListing]) -> list[TagGroup]:
    """Every tag under its initial; Latin letters first, then digits, Chinese, the rest."""
    groups: dict[str, list[TagListing]] = defaultdict(list)
    for listing in listings:
        groups[initial(listing.name)].append(listing)
    order = [chr(code) for code in range(ord("A"), ord("Z") + 1)]
    order += ["0-9", HAN_GROUP, OTHER_GROUP]
    anchors = {"0-9": "tags-digits", HAN_GROUP: "tags-han", OTHER_GROUP: "tags-other"}
    return [
        TagGroup(label, anchors.get(label, f"tags-{label.lower()}"), groups[label])
        for label in order
        if groups.get(label)
    ]
