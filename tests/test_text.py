"""Text utilities: TeX accents, author lists, clean truncation, character classes."""

import re
from pathlib import Path

import pytest

from papershelf.model import InvalidArxivId, find_arxiv_id, parse_arxiv_id
from papershelf.text import (
    CHINESE_TEXT,
    CJK_RANGES,
    HAN_RANGES,
    decode_tex_accents,
    has_han,
    is_han,
    split_authors,
)

SEARCH_CORE_JS = Path(__file__).resolve().parents[1] / "theme/static/js/search-core.js"
I18N_JS = Path(__file__).resolve().parents[1] / "theme/static/js/i18n.js"


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"Andr\'e", "André"),
        (r"Andr\'{e}", "André"),
        (r"{\'E}cole", "École"),
        (r"P\"{o}lya", "Pólya".replace("ó", "ö")),
        (r"Garc\'{\i}a", "García"),
        (r"\v{S}imon", "Šimon"),
        (r"Fran\c{c}ois", "François"),
        (r"Stra\ss e", "Straße"),
        (r"Ha\o", "Haø"),
        ("plain name", "plain name"),
    ],
)
def test_decode_tex_accents(tex, text):
    assert decode_tex_accents(tex) == text


def test_split_authors_handles_and_and_entities():
    assert split_authors("A. One, B. Tw&amp;o and C. Three") == [
        "A. One",
        "B. Tw&o",
        "C. Three",
    ]
    assert split_authors("") == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2511.19269", ("2511.19269", None)),
        ("2511.19269v3", ("2511.19269", 3)),
        ("0704.0001", ("0704.0001", None)),
        ("hep-th/9901001", ("hep-th/9901001", None)),
        ("math.AP/0601001v2", ("math.AP/0601001", 2)),
    ],
)
def test_parse_arxiv_id(value, expected):
    assert parse_arxiv_id(value) == expected


@pytest.mark.parametrize("value", ["2511.1926", "25111.19269", "hep-th/99", "abc", ""])
def test_parse_arxiv_id_rejects(value):
    with pytest.raises(InvalidArxivId):
        parse_arxiv_id(value)


def test_find_arxiv_id_in_urls_and_guids():
    assert find_arxiv_id("https://arxiv.org/abs/2512.06784v2") == ("2512.06784", 2)
    assert find_arxiv_id("oai:arXiv.org:2512.06784v1") == ("2512.06784", 1)
    assert find_arxiv_id("nothing here") is None


def test_the_browser_splits_the_same_scripts_as_python():
    """search-core.js repeats CJK_RANGES (a query must split as the index did)."""
    source = SEARCH_CORE_JS.read_text(encoding="utf-8")
    array = re.search(r"var CJK_RANGES = \[(.*?)\];", source, re.DOTALL)
    assert array, "search-core.js no longer defines CJK_RANGES"
    pairs = re.findall(r"\[\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)\s*\]", array.group(1))
    assert tuple((int(a, 16), int(b, 16)) for a, b in pairs) == CJK_RANGES


def test_the_pages_scripts_mark_chinese_as_python_does():
    """i18n.js repeats HAN_RANGES (a title's lang attribute, set by the scripts)."""
    source = I18N_JS.read_text(encoding="utf-8")
    array = re.search(r"var HAN_RANGES = \[(.*?)\];", source, re.DOTALL)
    assert array, "i18n.js no longer defines HAN_RANGES"
    pairs = re.findall(r"\[\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)\s*\]", array.group(1))
    assert tuple((int(a, 16), int(b, 16)) for a, b in pairs) == HAN_RANGES


def test_character_classes():
    assert [is_han(c) for c in "中文㐀豈ア한a。"] == [True] * 4 + [False] * 4
    assert has_han("MoE 路由") and not has_han("MoE ルーティング")
    assert all(CHINESE_TEXT.match(c) for c in "中，。（")
    assert not CHINESE_TEXT.match("a")
    # Han is part of the scripts search splits into bigrams.
    assert all(any(a <= x and y <= b for a, b in CJK_RANGES) for x, y in HAN_RANGES)
    ranges = sorted(CJK_RANGES)
    assert all(a <= b < c for (a, b), (c, _) in zip(ranges, ranges[1:], strict=False))
