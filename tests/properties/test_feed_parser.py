"""The feed parser (RSS, Atom, arXiv API answers) on generated and damaged feeds."""

from hypothesis import given

from papershelf.errors import FeedError
from papershelf.ingest.feeds import ParsedFeed, parse_feed

from ..mutations import mutated
from ..strategies import feed_documents
from .budget import examples, ran
from .contract import value_or_named_error


@examples(300)
@given(mutated(feed_documents()))
def test_a_damaged_feed_parses_or_raises_a_feed_error(data):
    ran("feed parser (RSS, Atom, API answers)")
    result = value_or_named_error(lambda: parse_feed(data))
    assert isinstance(result, ParsedFeed | FeedError)
    if isinstance(result, ParsedFeed):
        assert result.kind in ("rss", "atom", "api")
        for entry in result.entries:
            assert entry.arxiv_id and entry.version >= 1 and entry.date
            assert all(isinstance(name, str) and name for name in entry.authors)


@examples(100)
@given(feed_documents())
def test_every_entry_of_a_whole_feed_is_kept_or_said_why_not(document):
    ran("feed parser (RSS, Atom, API answers)")
    parsed = parse_feed(document.encode())
    items = document.count("<item>") + document.count("<entry>")
    assert len(parsed.entries) + len(parsed.skipped) == items
    for entry in parsed.entries:
        assert entry.date[:4].isdigit() and len(entry.date) == 10
