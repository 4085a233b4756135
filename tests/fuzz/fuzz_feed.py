"""Coverage-guided fuzzing of the feed parser (RSS, Atom, arXiv API answers)."""

import atheris

with atheris.instrument_imports():
    from papershelf.errors import FeedError
    from papershelf.ingest.feeds import parse_feed

from harness import fuzz


def one_input(data: bytes) -> None:
    try:
        parsed = parse_feed(data)
    except FeedError as error:
        assert str(error)
        return
    for entry in parsed.entries:
        assert entry.arxiv_id and entry.date


if __name__ == "__main__":
    fuzz(one_input)
