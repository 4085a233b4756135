"""Pages written without their templates' indentation: a pure function and a wrapper.

Templates are indented for people; the indentation is a tenth of a paper page's
bytes, written on every one of them. Every run of whitespace that holds a line
break becomes one line break, which the browser renders the same (it collapses
whitespace between and inside elements alike), except inside ``<pre>`` and
``<textarea>``, whose text is shown as written. Lines stay lines, so a page's
source still reads and diffs line by line.
"""

from __future__ import annotations

import re

_INDENTED_BREAK = re.compile(r"[ \t\r\f]*\n\s*")
# Elements whose whitespace is content; HTML never nests them in themselves.
_VERBATIM = re.compile(r"(<(pre|textarea)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)


def compact_html(html: str) -> str:
    """``html`` with each whitespace run holding a line break made one ``\\n``,
    outside ``<pre>`` and ``<textarea>``."""
    lowered = html.lower()
    if "<pre" not in lowered and "<textarea" not in lowered:
        return _INDENTED_BREAK.sub("\n", html)
    parts = _VERBATIM.split(html)
    # split() yields text, the whole verbatim element, its tag name, text, ...
    out = []
    for index, part in enumerate(parts):
        kind = index % 3
        if kind == 0:
            out.append(_INDENTED_BREAK.sub("\n", part))
        elif kind == 1:
            out.append(part)
    return "".join(out)


class CompactTemplate:
    """A Jinja template whose ``render`` returns its page compacted (see above):
    what the site's writer is given instead of the template."""

    def __init__(self, template):
        self.template = template

    def render(self, *args, **kwargs) -> str:
        return compact_html(self.template.render(*args, **kwargs))

    def __getattr__(self, name):
        return getattr(self.template, name)
