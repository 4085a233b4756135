"""Coverage-guided fuzzing of the search query parser (clauses, phrases, filters)."""

import atheris

with atheris.instrument_imports():
    from papershelf.search.query import MAX_CLAUSES, parse, phrases, split_filters

from harness import fuzz, text_of


def one_input(data: bytes) -> None:
    query = text_of(data)
    assert len(parse(query)) <= MAX_CLAUSES
    phrases(query)
    split_filters(query)


if __name__ == "__main__":
    fuzz(one_input)
