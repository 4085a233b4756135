"""Sanitised HTML of generated hostile markup, read back with html.parser: no
script, no event handler, no style, no javascript:/vbscript:/data: URL but a
raster image's."""

import re
from html.parser import HTMLParser

from hypothesis import given

from papershelf.notes.sanitize import DROPPED_WITH_CONTENT, sanitize_html

from ..mutations import as_text, mutated
from ..strategies import hostile_markup
from .budget import examples, ran

URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "xlink:href", "data", "srcdoc"}
RASTER = re.compile(r"data:image/(png|jpeg|jpg|gif|webp)[;,]")


class Findings(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_WITH_CONTENT | {"base", "meta", "link", "form", "input", "frame"}:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            # html.parser has decoded entities already; browsers drop controls and spaces.
            url = re.sub(r"[\x00-\x20]+", "", value or "").lower()
            if name.startswith("on") or name in ("style", "dir", "srcdoc"):
                self.found.append(f"<{tag} {name}>")
            script = url.startswith(("javascript:", "vbscript:", "data:"))
            raster = tag == "img" and name == "src" and RASTER.match(url)
            if name in URL_ATTRIBUTES and script and not raster:
                self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def findings(markup: str) -> list[str]:
    parser = Findings()
    parser.feed(markup)
    parser.close()
    return parser.found


@examples(400)
@given(mutated(hostile_markup()).map(as_text))
def test_sanitised_markup_carries_nothing_active(markup):
    ran("HTML sanitiser")
    cleaned = sanitize_html(markup)
    assert not findings(cleaned), (markup, cleaned)
    assert not findings(sanitize_html(cleaned))
    assert "<script" not in cleaned.lower()
