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


# ---- character classes: the one definition of the CJK scripts ----------------
# Inclusive code point ranges, by what they hold. Every class below is built from
# them; theme/static/js/search-core.js repeats CJK_RANGES for queries typed in the
# browser and theme/static/js/i18n.js HAN_RANGES for the lang of text the scripts
# show, and tests/test_text.py checks that the lists are equal.
HAN_RANGES = (
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
)
HAN_SUPPLEMENT_RANGES = ((0x20000, 0x3FFFF),)  # planes 2 and 3: rare ideographs
HAN_RADICAL_RANGES = ((0x2E80, 0x2FDF),)  # CJK and Kangxi radicals
IDEOGRAPHIC_MARK_RANGES = (
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3038, 0x303C),  # more Hangzhou numerals, 〻 〼
)
KANA_RANGES = (
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0xFF66, 0xFF9F),  # half-width Katakana
)
HANGUL_RANGES = (
    (0x1100, 0x11FF),  # Jamo
    (0x3130, 0x318F),  # compatibility Jamo
    (0xA960, 0xA97F),  # Jamo extended A
    (0xAC00, 0xD7AF),  # syllables
)
CJK_PUNCTUATION_RANGES = ((0x3000, 0x303F),)  # ideographic space, 、。「」〈〉 …
FULLWIDTH_RANGES = ((0xFF00, 0xFFEF),)  # half- and full-width forms: ，：（）…
FULLWIDTH_ASCII_RANGES = ((0xFF01, 0xFF5E),)  # ！ to ～: ASCII's printable signs, full width

# Scripts written without spaces between words: search splits them into bigrams.
CJK_RANGES = tuple(
    sorted(
        HAN_RANGES
        + HAN_SUPPLEMENT_RANGES
        + HAN_RADICAL_RANGES
        + IDEOGRAPHIC_MARK_RANGES
        + KANA_RANGES
        + HANGUL_RANGES
    )
)


def char_class(*range_lists: tuple[tuple[int, int], ...]) -> str:
    """The inside of a regex ``[...]`` matching every code point of the ranges."""
    ranges = sorted(r for ranges in range_lists for r in ranges)
    return "".join(f"{re.escape(chr(first))}-{re.escape(chr(last))}" for first, last in ranges)


HAN_CLASS = char_class(HAN_RANGES)
CJK_CLASS = char_class(CJK_RANGES)
# Han, CJK punctuation and full-width forms: Chinese text, set without spaces.
CHINESE_TEXT_CLASS = char_class(HAN_RANGES, CJK_PUNCTUATION_RANGES, FULLWIDTH_RANGES)
CJK_PUNCTUATION_CLASS = char_class(CJK_PUNCTUATION_RANGES, FULLWIDTH_ASCII_RANGES)
HAN = re.compile(f"[{HAN_CLASS}]")
CHINESE_TEXT = re.compile(f"[{CHINESE_TEXT_CLASS}]")
CJK_PUNCTUATION = re.compile(f"[{CJK_PUNCTUATION_CLASS}]")


def is_han(char: str) -> bool:
    """Whether ``char`` is a Chinese (Han) character."""
    return HAN.fullmatch(char) is not None


def has_han(text: str) -> bool:
    """Whether ``text`` holds Chinese (Han) characters."""
    return HAN.search(text) is not None


def text_lang(text: str, default: str = "en") -> str:
    """``zh`` for text with Chinese in it, so it gets Chinese fonts and line breaking."""
    return "zh" if has_han(str(text)) else default


_HTML_TAG = re.compile(r"<[^>]+>")


def html_text(fragment: str | None) -> str:
    """The text of an HTML fragment: tags become spaces, entities characters."""
    return html.unescape(_HTML_TAG.sub(" ", fragment or ""))


# ---- matching keys: when two texts say the same thing ------------------------
_TEX_COMMAND = re.compile(r"\\[A-Za-z]+\*?")
# ``\textbf{`` and ``\mathcal{``, dropped before accents are decoded (which takes the
# braces away); ``\ss{}`` and the one-letter accents (``\v{s}``) are left to decode.
_TEX_COMMAND_WITH_ARGUMENT = re.compile(r"\\[A-Za-z]{2,}\*?(?=\{[^}])")
_NOT_WORD = re.compile(r"[\W_]+")


def match_key(text: str) -> str:
    """``text`` reduced to what tells two copies of an abstract or a title apart:
    entities and TeX accents decoded, TeX commands dropped (their arguments kept:
    ``\\textbf{Gate}`` is ``gate``), NFKC, case-folded, every run of punctuation,
    math signs and whitespace one space (so a truncation mark "…" disappears)."""
    text = _TEX_COMMAND_WITH_ARGUMENT.sub(" ", html.unescape(text or ""))
    text = _TEX_COMMAND.sub(" ", decode_tex_accents(text))
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())
