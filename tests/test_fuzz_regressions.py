"""Each input the property tests or `make fuzz` found breaking a parser, kept in
tests/fixtures/fuzz/ (``<parser>-<case>.<ext>``) at its minimal size, with what the
parser must do with it now."""

import time
from pathlib import Path

import pytest

from papershelf.errors import AliasFileError, FeedError
from papershelf.ingest.feeds import parse_feed
from papershelf.notes.check import SiteIndex, check_paths
from papershelf.notes.format import format_note, parse_note
from papershelf.notes.tags import TagAliases, load_aliases

FUZZ = Path(__file__).parent / "fixtures" / "fuzz"


def test_an_empty_feed_is_a_feed_error_not_an_attribute_error():
    # feedparser's result for no bytes at all has no "version" key.
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse_feed((FUZZ / "feed-empty.xml").read_bytes())


def test_a_problem_quoting_a_multi_line_value_is_one_line():
    # A Date with a continuation line was reported as "'LLM\nLLM' is not a date",
    # two lines for one problem.
    path = FUZZ / "note-multiline-date.md"
    problems = check_paths([path], TagAliases(), SiteIndex())
    assert any("is not a date" in problem.message for problem in problems)
    assert all("\n" not in str(problem) for problem in problems)


def test_a_list_of_one_item_holding_a_comma_survives_a_round_trip():
    # format_note wrote "Authors: Ada, Countess of Lovelace", which reads back as two.
    values = {
        "title": "One author whose name holds a comma",
        "date": "2025-12-01",
        "authors": ["Ada, Countess of Lovelace"],
    }
    written = format_note(values, "Body.\n")
    assert written == (FUZZ / "note-one-item-with-comma.md").read_text(encoding="utf-8")
    assert parse_note(written).items("authors") == ["Ada, Countess of Lovelace"]
    # Comma-separated on the key's line, and one per continuation line, as before.
    assert parse_note("Tags: a, b\n\n").items("tags") == ["a", "b"]
    assert parse_note("Tags: a, b\n    c\n\n").items("tags") == ["a, b", "c"]


def test_a_control_character_in_tags_yml_is_one_error_naming_its_line():
    # PyYAML's reader refused it before parsing began, outside the error handling.
    path = FUZZ / "tags-control-character.yml"
    with pytest.raises(AliasFileError) as caught:
        load_aliases(path)
    assert caught.value.where == str(path) and caught.value.line == 1
    assert "U+0001" in str(caught.value)


def test_an_entry_with_an_id_shaped_number_that_is_no_id_is_skipped_alone():
    # find_arxiv_id raised InvalidArxivId for "1256.15786" (month 56), which is no
    # FeedError: parse_feed gave up on the whole feed instead of skipping the entry.
    parsed = parse_feed((FUZZ / "feed-implausible-id.rss.xml").read_bytes())
    assert [entry.arxiv_id for entry in parsed.entries] == ["2512.00001"]
    assert parsed.skipped == ["entry 'Month 56' has no arXiv id"]


def test_a_date_that_is_no_date_in_tags_yml_is_a_tag_name():
    # PyYAML made "2025-13-01" a date and raised ValueError (month 13); tag names
    # are text, so dates are read as text.
    aliases = load_aliases(FUZZ / "tags-impossible-date.yml")
    assert aliases.aliases_of == {"MoE": ["Mixture of Experts", "2025-13-01"]}


def test_nesting_too_deep_for_yaml_is_one_error_naming_the_file():
    # The composer recursed once per bracket: 5,000 raised RecursionError.
    path = FUZZ / "tags-deep-nesting.yml"
    with pytest.raises(AliasFileError, match="nested too deeply") as caught:
        load_aliases(path)
    assert caught.value.where == str(path)


def test_a_guid_of_50000_letters_is_read_in_linear_time():
    # The id pattern tried "[a-z-]+" from every letter of the run: quadratic, so this
    # guid took over 30 s and a 1 MB one hours (the property tests' huge fields).
    started = time.monotonic()
    parsed = parse_feed((FUZZ / "feed-long-guid.rss.xml").read_bytes())
    assert time.monotonic() - started < 3
    assert [entry.arxiv_id for entry in parsed.entries] == ["2512.00001"]


def test_a_byte_that_is_not_utf8_in_the_xml_declaration_is_a_feed_error():
    # feedparser decoded encoding='UTF-8\x99' itself and raised UnicodeDecodeError.
    with pytest.raises(FeedError, match="unreadable XML declaration") as caught:
        parse_feed((FUZZ / "feed-declaration-encoding.xml").read_bytes())
    assert caught.value.line == 1


def test_a_nul_in_what_the_declared_encoding_decodes_is_a_feed_error():
    # feedparser's decode with the declared encoding raised ValueError (embedded NUL).
    with pytest.raises(FeedError):
        parse_feed((FUZZ / "feed-declared-encoding-nul.xml").read_bytes())
