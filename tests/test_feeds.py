"""Parsing arXiv RSS, Atom and API answers into entries."""

from datetime import date
from pathlib import Path

import pytest

from papershelf.ingest.feeds import FeedError, parse_feed

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def parse(name, **kwargs):
    return parse_feed((FEEDS / name).read_bytes(), **kwargs)


def entry(parsed, arxiv_id):
    return next(e for e in parsed.entries if e.arxiv_id == arxiv_id)


def test_rss_entry_fields():
    parsed = parse("day1-cs.CL.new-and-cross.rss.xml")
    assert parsed.kind == "rss"
    assert parsed.date == "2025-12-09"
    paper = entry(parsed, "2512.00001")
    assert paper.version == 1
    assert paper.announce_type == "new"
    assert paper.categories == ["cs.CL", "cs.AI"]
    assert paper.primary_category == "cs.CL"
    assert paper.title == "Sparse MoE Routing for Fast LLM Inference"


def test_authors_are_split_and_tex_accents_and_entities_decoded():
    paper = entry(parse("day1-cs.CL.new-and-cross.rss.xml"), "2512.00001")
    assert paper.authors == ["André Martins", "José García", "Zoë Müller"]


def test_abstract_keeps_angle_brackets_tex_and_entities_exactly():
    parsed = parse("day1-cs.CL.new-and-cross.rss.xml")
    think = entry(parsed, "2512.00004")
    assert think.abstract == (
        "Models emit <think> ... </think> blocks; we train them with RL "
        "and keep a < b &amp; c literal."
    )
    assert "<think>" in think.title
    assert r"$\mathcal{O}(1)$" in entry(parsed, "2512.00001").abstract


def test_atom_variant():
    parsed = parse("atom-variant.atom.xml")
    assert parsed.kind == "atom"
    paper = entry(parsed, "2512.00002")
    assert paper.announce_type == "cross"
    assert paper.categories == ["cs.AI", "cs.LG"]
    assert paper.date == "2025-12-09"


def test_api_answer_unwraps_lines_and_drops_non_arxiv_classes():
    parsed = parse("api-answer.xml")
    assert parsed.kind == "api"
    paper = entry(parsed, "2512.00007")
    assert paper.version == 2
    assert paper.title == r"Speculative Decoding for $\mathcal{O}(1)$ Draft Overhead"
    assert paper.abstract.startswith("We study LLM decoding with $k < 4$ drafts")
    assert "\n" not in paper.abstract
    assert paper.categories == ["cs.LG", "cs.CL"]
    assert paper.authors == ["Ada Lovelace", "Alan Turing"]
    assert paper.comment == "12 pages"


def test_date_option_overrides_the_feed_date():
    parsed = parse("day1-cs.AI.cross-list.rss.xml", announce_date=date(2025, 12, 1))
    assert {e.date for e in parsed.entries} == {"2025-12-01"}


def test_empty_feed_has_no_entries():
    parsed = parse("empty-weekend.rss.xml")
    assert parsed.entries == []
    assert parsed.date == "2025-12-13"


def test_truncated_feed_is_an_error_with_a_line():
    with pytest.raises(FeedError) as caught:
        parse("truncated.rss.xml")
    assert "truncated" in caught.value.reason
    assert caught.value.line and caught.value.line > 1


def test_arxiv_feed_error_answer_names_the_setting():
    with pytest.raises(FeedError, match="Feed error for query: cs.XX.*ARXIV_CATEGORIES"):
        parse("feed-error.rss.xml")


def test_html_page_is_not_a_feed():
    with pytest.raises(FeedError, match="not an RSS or Atom feed|malformed"):
        parse_feed(b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>")
