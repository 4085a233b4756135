"""The search query language (Python side): any query parses, and runs over a real
lunr.py index of synthetic papers with its filters and sorts."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papershelf.search.query import MAX_CLAUSES, SORTS, find, parse, phrases, split_filters

from ..mutations import as_text, mutated
from ..search_helpers import synthetic_search_files
from ..strategies import search_queries
from .budget import examples, ran

queries = st.one_of(search_queries(), mutated(search_queries()).map(as_text))


@examples(400)
@given(queries)
def test_any_query_parses_into_at_most_max_clauses(query):
    ran("search query parser")
    clauses = parse(query)
    assert len(clauses) <= MAX_CLAUSES
    assert not clauses or any(c.presence == "required" for c in clauses)
    assert all(c.term for c in clauses)
    exact = {c.term for c in clauses}
    assert all(set(run) <= exact for run in phrases(query))
    rest, filters = split_filters(query)
    assert all(
        f.kind in ("cat", "year", "after", "before", "source", "rating", "has") for f in filters
    )
    assert len(rest) <= len(query)  # each filter word is left as one space


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    import json

    from papershelf.search.facets import records

    folder = tmp_path_factory.mktemp("property-search")
    builder, files = synthetic_search_files(folder, count=80)
    blocks = [json.loads(data) for name, data in sorted(files.items()) if name.startswith("c/")]
    return builder.build(), records(blocks)


@examples(200)
@given(query=queries, sort=st.sampled_from([*SORTS, "bogus"]))
def test_any_query_runs_over_a_real_index(synthetic, query, sort):
    ran("search (query over a lunr.py index)")
    index, columns = synthetic
    results = find(index, query, columns, sort)
    refs = [ref for ref, _ in results]
    assert len(refs) == len(set(refs)) and all(0 <= ref < len(columns) for ref in refs)
