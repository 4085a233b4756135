"""A structural validator of Atom 1.0 (RFC 4287) for the tests: the MUST rules a
feed reader relies on, and the site's own (absolute links under SITEURL, a self
link). ``atom_problems`` returns one line per problem; an empty list is valid.

No online validator is reachable from the tests, and the W3C feedvalidator is
Python 2 only; the rules checked are those of RFC 4287 sections 3 and 4:

- the root is ``atom:feed``; the feed and each entry have exactly one ``id``,
  ``title`` and ``updated``, at most one ``subtitle``, ``rights``, ``published``,
  ``summary``, ``content``, ``icon``, ``logo``, ``generator``;
- an author on the feed or on every entry; each person exactly one ``name`` (not
  empty), at most one ``uri`` and ``email``;
- an entry has a ``link rel="alternate"`` or a ``content``; at most one alternate
  link per ``type`` and ``hreflang``; every link an ``href``; the feed a ``rel="self"``;
- ids are absolute IRIs, unique among the feed's entries;
- dates are RFC 3339 ``date-time`` with upper-case ``T`` and ``Z``;
- text constructs have ``type`` text, html or xhtml (content also a media type);
  text and html hold no child elements, xhtml exactly one ``xhtml:div``;
- ``category`` has a ``term``; ``xml:lang`` is a language tag.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit
from xml.etree import ElementTree

ATOM = "{http://www.w3.org/2005/Atom}"
XHTML_DIV = "{http://www.w3.org/1999/xhtml}div"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
MEDIA_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+$")
TEXT_CONSTRUCTS = ("title", "subtitle", "summary", "rights", "content")
ONCE = {
    "feed": ("id", "title", "updated"),
    "entry": ("id", "title", "updated"),
}
AT_MOST_ONCE = {
    "feed": ("subtitle", "rights", "icon", "logo", "generator"),
    "entry": ("published", "summary", "content", "rights", "source"),
}


def _absolute(iri: str) -> bool:
    parts = urlsplit(iri)
    return bool(parts.scheme) and (parts.scheme in ("tag", "urn", "mailto") or bool(parts.netloc))


def _children(element, name: str) -> list:
    return element.findall(ATOM + name)


def _where(element) -> str:
    element_id = element.findtext(ATOM + "id")
    return f"{element.tag.removeprefix(ATOM)} {element_id or '(no id)'}"


def _cardinality(element, kind: str) -> list[str]:
    problems = []
    for name in ONCE[kind]:
        count = len(_children(element, name))
        if count != 1:
            problems.append(f"{_where(element)}: {count} <{name}> elements, must be exactly 1")
    for name in AT_MOST_ONCE[kind]:
        if len(_children(element, name)) > 1:
            problems.append(f"{_where(element)}: more than one <{name}>")
    return problems


def _text_constructs(element) -> list[str]:
    problems = []
    for name in TEXT_CONSTRUCTS:
        for text in _children(element, name):
            kind = text.get("type", "text")
            children = list(text)
            if kind in ("text", "html"):
                if children:
                    problems.append(f"{_where(element)}: <{name} type={kind}> has child elements")
            elif kind == "xhtml":
                if len(children) != 1 or children[0].tag != XHTML_DIV:
                    problems.append(f"{_where(element)}: <{name} type=xhtml> needs one xhtml:div")
            elif not (name == "content" and MEDIA_TYPE.match(kind)):
                problems.append(f"{_where(element)}: <{name}> has type {kind!r}")
            if name == "title" and kind in ("text", "html") and not (text.text or "").strip():
                problems.append(f"{_where(element)}: empty <title>")
    return problems


def _people(element) -> list[str]:
    problems = []
    for role in ("author", "contributor"):
        for person in _children(element, role):
            names = _children(person, "name")
            if len(names) != 1 or not (names[0].text or "").strip():
                problems.append(f"{_where(element)}: <{role}> needs exactly one non-empty name")
            for name in ("uri", "email"):
                if len(_children(person, name)) > 1:
                    problems.append(f"{_where(element)}: <{role}> has more than one <{name}>")
    return problems


def _links(element, site_url: str | None) -> list[str]:
    problems = []
    alternates = Counter()
    for link in _children(element, "link"):
        href = link.get("href")
        if not href:
            problems.append(f"{_where(element)}: <link> without href")
            continue
        if not _absolute(href):
            problems.append(f"{_where(element)}: link {href!r} is not absolute")
        elif site_url and not href.startswith(site_url.rstrip("/") + "/"):
            problems.append(f"{_where(element)}: link {href!r} is not under {site_url}")
        if link.get("rel", "alternate") == "alternate":
            alternates[(link.get("type"), link.get("hreflang"))] += 1
    if any(count > 1 for count in alternates.values()):
        problems.append(f"{_where(element)}: two alternate links of one type and hreflang")
    return problems


def _dates(element) -> list[str]:
    problems = []
    for name in ("updated", "published"):
        for date in _children(element, name):
            if not DATE_TIME.match((date.text or "").strip()):
                problems.append(f"{_where(element)}: <{name}> {date.text!r} is not RFC 3339")
    return problems


def _construct(element, kind: str, site_url: str | None) -> list[str]:
    problems = _cardinality(element, kind)
    problems += _text_constructs(element) + _people(element) + _links(element, site_url)
    problems += _dates(element)
    for node in _children(element, "id"):
        if not _absolute((node.text or "").strip()):
            problems.append(f"{_where(element)}: id {node.text!r} is not an absolute IRI")
    for category in _children(element, "category"):
        if not category.get("term"):
            problems.append(f"{_where(element)}: <category> without term")
    return problems


def atom_problems(data: bytes, site_url: str | None = None, self_url: str | None = None):
    """Every problem of the Atom document ``data``; ``site_url``: links must be under
    it; ``self_url``: the feed's self link must be this URL."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return [f"not well-formed XML: {error}"]
    if root.tag != ATOM + "feed":
        return [f"the root element is {root.tag}, not atom:feed"]
    problems = _construct(root, "feed", site_url)
    entries = _children(root, "entry")
    for entry in entries:
        problems += _construct(entry, "entry", site_url)
        rels = [link.get("rel", "alternate") for link in _children(entry, "link")]
        if "alternate" not in rels and not _children(entry, "content"):
            problems.append(f"{_where(entry)}: neither an alternate link nor content")
    if not _children(root, "author"):
        problems += [
            f"{_where(e)}: no author (and none on the feed)"
            for e in entries
            if not _children(e, "author")
        ]
    selves = [link.get("href") for link in _children(root, "link") if link.get("rel") == "self"]
    if not selves:
        problems.append("feed: no <link rel='self'>")
    elif self_url and self_url not in selves:
        problems.append(f"feed: self link {selves} is not {self_url}")
    ids = Counter((entry.findtext(ATOM + "id") or "").strip() for entry in entries)
    problems += [f"feed: id {i!r} is used by {n} entries" for i, n in ids.items() if n > 1]
    for element in root.iter():
        lang = element.get(XML_LANG)
        if lang is not None and lang and not LANGUAGE_TAG.match(lang):
            problems.append(f"{element.tag}: xml:lang {lang!r} is not a language tag")
    return problems
