"""The browser's search code under generated input (fast-check, tests/search_fuzz_node.js):
the query parser, the tokeniser, marks and snippets, and the result list search-ui.js
builds, each against its contract; and the Python and JavaScript query parsers agree on
every generated query."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from papershelf.search.query import parse, phrases, split_filters
from papershelf.search.text import tokenize

from .search_helpers import ROOT, requires_node, run_script

pytestmark = [
    requires_node,
    pytest.mark.skipif(
        not (ROOT / "node_modules" / "fast-check").is_dir(),
        reason="node_modules/fast-check is missing (make setup-dev installs it)",
    ),
]

SEED = 18
# Generated inputs per property: about 15 seconds in all, on one core.
RUNS = {
    "query parser": 5000,
    "tokeniser": 5000,
    "highlight and snippet": 3000,
    "page": 2000,
    "time bound": 100,
}
# The entry point each property's inputs are counted by, when not its own name.
COUNTED = {"highlight and snippet": "snippet"}
AGREEMENT_QUERIES = 5000
FUZZ_FIXTURES = Path(__file__).parent / "fixtures" / "fuzz"
CASES = json.loads((FUZZ_FIXTURES / "queries.json").read_text(encoding="utf-8"))
# The quadratic cases at full length (the fixtures hold short ones).
LONG_CASES = ["x" + "*" * 20000 + "!", "tag:x" + '"' * 20000 + "x"]


def python_parsed(query: str) -> dict:
    """What search_fuzz_node.js reports of a query, from papershelf.search."""
    rest, filters = split_filters(query)
    return {
        "q": query,
        "clauses": [clause.as_dict() for clause in parse(query)],
        "filters": [rest, [spec.as_dict() for spec in filters]],
        "phrases": [list(run) for run in phrases(query)],
        "runs": tokenize(query),
    }


def unassigned_here(query: str) -> bool:
    """Whether ``query`` holds a code point Python's Unicode tables (older than Node's
    ICU) do not know: the two then tokenise it differently, and neither is wrong."""
    return any(unicodedata.category(char) == "Cn" for char in query)


def disagreements(parsed: list[dict]) -> list[str]:
    found = []
    for browser in parsed:
        expected = python_parsed(browser["q"])
        for key in ("clauses", "filters", "phrases", "runs"):
            if browser[key] != expected[key]:
                found.append(f"{browser['q']!r} {key}: js {browser[key]} != py {expected[key]}")
    return found


def test_browser_search_code_keeps_its_contracts_on_generated_input():
    report = run_script("search_fuzz_node.js", {"seed": SEED, "runs": RUNS}, "properties")
    failures = {name: result for name, result in report.items() if result["failed"]}
    assert not failures, json.dumps(failures, ensure_ascii=False, indent=1)
    for name, wanted in RUNS.items():
        assert report[name]["runs"] == wanted
        # Every generated input went through the functions (counted as they ran).
        assert report[name]["inputs"][COUNTED.get(name, name)] == wanted
    assert report["page"]["inputs"]["highlight"] >= 2 * RUNS["page"]
    assert report["time bound"]["slowest_ms"] > 0


def test_python_and_browser_parse_generated_queries_alike():
    sample = run_script("search_fuzz_node.js", {"seed": SEED, "count": AGREEMENT_QUERIES}, "sample")
    assert len(sample) == AGREEMENT_QUERIES
    compared = [browser for browser in sample if not unassigned_here(browser["q"])]
    # The grammar's queries hold assigned characters; only some random strings do not.
    assert len(compared) > 0.9 * AGREEMENT_QUERIES
    assert sum(bool(browser["clauses"]) for browser in compared) > AGREEMENT_QUERIES / 2
    assert sum(bool(browser["filters"][1]) for browser in compared) > AGREEMENT_QUERIES / 10
    found = disagreements(compared)
    assert not found, "\n".join(found[:20])


@pytest.mark.parametrize("name", sorted(CASES))
def test_fuzz_finding_stays_fixed(name):
    """Each input the fuzzing found a bug with: every check of the browser's side, the
    Python parser on it without an error, and both parsers alike."""
    (parsed,) = run_script("search_fuzz_node.js", [CASES[name]["query"]], "cases")
    assert not disagreements([parsed])


def test_long_runs_of_stars_and_quotes_take_linear_time():
    parsed = run_script("search_fuzz_node.js", LONG_CASES, "cases")
    assert not disagreements(parsed)
