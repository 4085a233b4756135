"""Text utilities shared by ingest, importers and plugins: pure functions only."""

from __future__ import annotations

import html
import re
import unicodedata

# TeX accent commands -> Unicode combining marks.
_TEX_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}
# TeX letter commands that stand for a whole character.
_TEX_LETTERS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
}
_ACCENT_RE = re.compile(
    r"""\\(?:(?P<sym>['`^"~=.])|(?P<word>[uvHckrdb])(?=[\s{]))\s*"""
    r"""(?:\{\s*(?P<braced>\\[ij]|[A-Za-z])\s*\}|(?P<bare>\\[ij](?![A-Za-z])|[A-Za-z]))"""
)
_LETTER_RE = re.compile(r"\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])\s*(?:\{\})?")
_GROUP_RE = re.compile(r"\{([^{}\\]*)\}")


def decode_tex_accents(text: str) -> str:
    """Turn TeX accents such as ``Andr\\'e`` or ``\\"{o}`` into Unicode (NFC)."""
    if "\\" not in text:
        return text

    def accent(match: re.Match) -> str:
        base = match.group("braced") or match.group("bare")
        base = {"\\i": "i", "\\j": "j"}.get(base, base)
        mark = _TEX_ACCENTS[match.group("sym") or match.group("word")]
        return unicodedata.normalize("NFC", base + mark)

    text = _ACCENT_RE.sub(accent, text)
    text = _LETTER_RE.sub(lambda m: _TEX_LETTERS[m.group(1)], text)
    # Braces left around a decoded letter, e.g. "{é}" from "{\'e}".
    text = _GROUP_RE.sub(r"\1", text)
    return unicodedata.normalize("NFC", text)


def collapse_whitespace(text: str) -> str:
    """Join hard-wrapped lines and runs of spaces into single spaces."""
    return " ".join(text.split())


def clean_name(name: str) -> str:
    """An author's name as a reader should see it."""
    return collapse_whitespace(decode_tex_accents(html.unescape(name)))


_AUTHOR_SPLIT_RE = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


def split_authors(creator: str) -> list[str]:
    """Split arXiv's comma-joined ``dc:creator`` string into clean names."""
    names = [clean_name(part) for part in _AUTHOR_SPLIT_RE.split(creator)]
    return [name for name in names if name]


def is_han(char: str) -> bool:
    """Whether ``char`` is a Chinese (Han) character."""
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def has_han(text: str) -> bool:
    """Whether ``text`` holds Chinese (Han) characters."""
    return any(map(is_han, text))


_HTML_TAG = re.compile(r"<[^>]+>")


def html_text(fragment: str | None) -> str:
    """The text of an HTML fragment: tags become spaces, entities characters."""
    return html.unescape(_HTML_TAG.sub(" ", fragment or ""))
