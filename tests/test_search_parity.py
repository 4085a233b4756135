"""lunr.js over the shards a query loads returns what lunr.py returns over the whole
index: the same refs, in the same order, with the same scores (run under Node)."""

import json

import pytest
from lunr.index import Index

import papershelf.search.impacts as impacts
from papershelf.search.phrases import whole_index
from papershelf.search.query import parse, phrases, search

from .search_helpers import (
    QUERIES,
    build_search_site,
    requires_node,
    run_node,
    synthetic_search_files,
)

pytestmark = requires_node

SYNTH_QUERIES = [
    "language models",
    "大模型",
    "强化学习 ",
    "推理",
    "模型 reasoning ",
    "MoE路由",
    "agent*",
    "quant*",
    "reinforcment~1",
    "attension~1 ",
    "tag:llm",
    "tag:moe reasoning",
    "diffusion -image ",
    "transformer",
    "gpt-4o ",
    "2512",
    "语言模型",
    "强化学习方法",
    "大语言模型推理",
    '"language models"',
    '"models language"',
    '"reinforcement learning" 推理',
    '"large language',
    "奖励模型 ",
]

# Quoted phrases and Chinese words of 3+ characters, checked for adjacency.
PHRASE_QUERIES = [
    '"mixture of experts"',
    '"experts mixture"',
    '"quantized attention"',
    '"heads attention" ',
    '"attention heads"',
    "路由策略",
    "路由器 ",
    "推理延迟",
    "模型路由",
    '+"MoE路由"',
    '-"quantized attention" models',
    "路由策略*",
]


def _same(python_results, browser_results) -> None:
    assert [ref for ref, _ in python_results] == [ref for ref, _ in browser_results]
    for (_, expected), (_, got) in zip(python_results, browser_results, strict=True):
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("search-parity")
    output, settings = build_search_site(tmp_path)
    whole = Index.load(json.loads((tmp_path / "whole-index.json").read_text(encoding="utf-8")))
    return output / "search", tmp_path / "whole-index.json", whole


def test_browser_and_python_parse_queries_alike():
    queries = QUERIES + PHRASE_QUERIES + SYNTH_QUERIES
    python = [[clause.as_dict() for clause in parse(q)] for q in queries]
    assert run_node("clauses", queries) == python
    assert run_node("phrases", queries) == [[list(run) for run in phrases(q)] for q in queries]


def test_shards_give_the_whole_index_results_on_the_fixture_site(fixture_site):
    folder, dump, whole = fixture_site
    queries = QUERIES + PHRASE_QUERIES
    python = [search(whole, q) for q in queries]
    shards = run_node("shards", queries, str(folder))
    whole_js = run_node("whole", queries, str(dump))
    for expected, got, got_whole in zip(python, shards, whole_js, strict=True):
        _same(expected, got)
        _same(expected, got_whole)
    found = dict(zip(queries, python, strict=True))
    # The queries do find things, so the comparison above compares something.
    for query in ("专家混合", "MoE路由", "tag:moe", "quant*", "attension~1", "<img", "2512.00001"):
        assert found[query], query
    assert not found["the"] and not found["-moe"]
    for query in ('"mixture of experts"', '"attention heads"', "路由策略", "推理延迟", "路由器 "):
        assert found[query], query
    assert not found['"experts mixture"'] and not found['"heads attention" ']


def test_tag_filters_follow_aliases(fixture_site):
    _, _, whole = fixture_site
    moe = {ref for ref, _ in search(whole, "tag:moe")}
    assert moe == {ref for ref, _ in search(whole, 'tag:"Mixture of Experts"')}
    assert moe == {ref for ref, _ in search(whole, "tag:专家混合 ")}
    assert len(moe) >= 3  # feed papers matching "MoE" and two notes


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic-search")
    builder, _ = synthetic_search_files(folder)
    return folder, whole_index(builder)


def test_shards_give_the_whole_index_results_on_1000_mixed_papers(synthetic):
    folder, whole = synthetic
    python = [search(whole, q) for q in SYNTH_QUERIES]
    browser = run_node("shards", SYNTH_QUERIES, str(folder))
    for expected, got in zip(python, browser, strict=True):
        _same(expected, got)
    assert sum(bool(results) for results in python) >= len(SYNTH_QUERIES) // 2


@pytest.fixture(scope="module")
def synthetic_big_terms(tmp_path_factory):
    """The 1,000 papers with every term in more than 100 papers written as a big term
    (docset and impact tiers: papershelf/search/impacts.py)."""
    folder = tmp_path_factory.mktemp("synthetic-big-terms")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impacts, "BIG_TERM_REFS", 100)
        patch.setattr(impacts, "TIER_SIZES", (20, 80, 320))
        builder, files = synthetic_search_files(folder)
    assert any(name.startswith("t/") for name in files)
    return folder, whole_index(builder)


def test_pruned_search_over_big_terms_gives_lunr_pys_results(synthetic_big_terms):
    folder, whole = synthetic_big_terms
    queries = SYNTH_QUERIES + PHRASE_QUERIES
    python = [search(whole, q) for q in queries]
    for expected, got in zip(python, run_node("shards", queries, str(folder)), strict=True):
        _same(expected, got)  # every match scored (k left out)
    top = run_node("pruned", [[q, 10] for q in queries], str(folder))
    for query, expected, got in zip(queries, python, top, strict=True):
        assert len(got["refs"]) == len(expected), query
        _same(expected[:10], got["top"][:10])
