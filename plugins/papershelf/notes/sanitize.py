"""Sanitise untrusted HTML (notes arrive from strangers) with nh3, i.e. ammonia.

Allowed, and nothing else:

- prose markup: p br hr h1-h6 strong b em i u s del ins mark small sub sup code pre
  kbd blockquote ul ol li dl dt dd a img figure figcaption table thead tbody tfoot tr
  th td caption details summary span div abbr q cite;
- the MathML that KaTeX emits (math, semantics, annotation, mrow, mi, mo, ...), with
  its presentation attributes (mathvariant, display, stretchy, ...);
- attributes: ``lang`` and ``title`` anywhere; ``class`` on code, pre, span and div
  (highlighting, KaTeX's wrapper); ``href`` on a; ``src alt width height`` on img;
  ``cite`` on blockquote, q, del, ins; ``open`` on details; ``colspan rowspan`` and
  ``align`` (left, center, right) on table cells; ``start reversed type`` on ol;
- URLs: http, https, mailto and relative ones; ``data:`` only as the ``src`` of an
  img and only for raster images (png, jpeg, gif, webp; never svg).

Links get ``rel="noopener noreferrer nofollow"``; images get ``loading="lazy"`` and
``decoding="async"``, and an image left without a source (an upload placeholder such
as ``![Uploading image.png…]()``, or a refused URL) is dropped: HTML requires one.
Never kept: script, style, iframe, object, embed, form, input, button, svg (with
their content), event handlers, ``style`` attributes (they can hide or overlay
content, and the site's CSP forbids inline styles), ``id`` (ids clobber DOM globals)
except Markdown's footnote ids (``fn:1``, ``fnref:1``: no valid identifier can
clobber a global), ``dir`` (bidi tricks), comments.
"""

from __future__ import annotations

import re

import nh3

__all__ = ["sanitize_html"]


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


PROSE_TAGS = _names(
    "p br hr h1 h2 h3 h4 h5 h6 strong b em i u s del ins mark small sub sup code pre kbd"
    " blockquote ul ol li dl dt dd a img figure figcaption table thead tbody tfoot tr th"
    " td caption details summary span div abbr q cite"
)
MATHML_TAGS = _names(
    "math semantics annotation mrow mi mo mn ms mtext mspace msup msub msubsup mfrac"
    " msqrt mroot munder mover munderover mtable mtr mtd mstyle mpadded mphantom"
    " menclose"
)
# Presentation only: none of these loads anything or runs code. mathbackground and
# voffset are left out, so a formula cannot paint a box over the page around it.
MATHML_ATTRIBUTES = _names(
    "mathvariant mathcolor display xmlns encoding stretchy fence separator lspace rspace"
    " accent accentunder columnalign rowalign rowspacing columnspacing rowlines"
    " columnlines frame framespacing equalrows equalcolumns width height depth"
    " linethickness scriptlevel displaystyle minsize maxsize movablelimits notation"
    " symmetric largeop form"
)
# Removed with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = _names(
    "script style iframe object embed svg noscript template textarea select button"
    " annotation-xml noembed xmp"
)

_ATTRIBUTES = {
    "*": {"lang", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "details": {"open"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "reversed"},
    "li": {"id"},
    "sup": {"id"},
    **{tag: {"class"} for tag in ("code", "pre", "span", "div")},
    **{tag: set(MATHML_ATTRIBUTES) for tag in MATHML_TAGS},
}
# Attributes restricted to a few values (and so absent from _ATTRIBUTES).
_ATTRIBUTE_VALUES = {
    "ol": {"type": {"1", "a", "A", "i", "I"}},
    "th": {"align": {"left", "center", "right"}},
    "td": {"align": {"left", "center", "right"}},
}
_URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
# Browsers drop ASCII whitespace and controls inside a URL's scheme: so must the check.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20]+")
_RASTER_DATA_URL = re.compile(r"data:image/(?:png|jpeg|jpg|gif|webp)[;,]")
_FOOTNOTE_ID = re.compile(r"fn(?:ref)?(?:\d+)?:[\w-]+")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Keep ``data:`` URLs only as raster image sources (ammonia allows the scheme
    everywhere once it is allowed at all), and ids only for footnotes."""
    if attribute == "id":
        return value if _FOOTNOTE_ID.fullmatch(value) else None
    if attribute not in _URL_ATTRIBUTES:
        return value
    url = _IGNORED_IN_URL.sub("", value).lower()
    if not url.startswith("data:"):
        return value
    if tag == "img" and attribute == "src" and _RASTER_DATA_URL.match(url):
        return value
    return None


_CLEANER = nh3.Cleaner(
    tags=set(PROSE_TAGS | MATHML_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes=_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    tag_attribute_values=_ATTRIBUTE_VALUES,
    set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}},
    url_schemes={"http", "https", "mailto", "data"},
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)


# nh3 adds the attributes set above in hash order, which changes from one process to
# the next; pages must not. The text cannot hold these bytes: in text nodes nh3
# escapes ">", in attribute values '"'.
_IMAGE_ATTRIBUTES_SHUFFLED = ' decoding="async" loading="lazy">'
_IMAGE_ATTRIBUTES = ' loading="lazy" decoding="async">'
# nh3 writes every attribute as name="value", with '"' escaped inside the value.
_IMAGE = re.compile(r'<img(?: [a-z-]+="[^"]*")*>')
_IMAGE_SOURCE = re.compile(r' src="[^"]*[^"\s]')


def _without_sourceless_images(html: str) -> str:
    if "<img" not in html:
        return html
    return _IMAGE.sub(lambda image: image[0] if _IMAGE_SOURCE.search(image[0]) else "", html)


def sanitize_html(html: str) -> str:
    """``html`` with everything outside the allowlist above removed."""
    cleaned = _CLEANER.clean(html).replace(_IMAGE_ATTRIBUTES_SHUFFLED, _IMAGE_ATTRIBUTES)
    return _without_sourceless_images(cleaned)
