"""Text utilities: TeX accents, author lists, clean truncation."""

import pytest

from papershelf.model import InvalidArxivId, find_arxiv_id, parse_arxiv_id
from papershelf.text import decode_tex_accents, split_authors


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
