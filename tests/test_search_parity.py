"""lunr.js over the shards a query loads returns what lunr.py returns over the whole
index: the same refs, in the same order, with the same scores (run under Node)."""

import json

import pytest
from lunr.index import Index

from papershelf.devtools.synth import load_seed_sentences, synthesise
from papershelf.search.index import SearchDoc, TermCache, build_index, ordered
from papershelf.search.query import parse, search
from papershelf.search.shards import search_files
from papershelf.search.text import tag_term

from .search_helpers import QUERIES, build_search_site, requires_node, run_node
from .sites import SHARED

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
    python = [[clause.as_dict() for clause in parse(q)] for q in QUERIES + SYNTH_QUERIES]
    assert run_node("clauses", QUERIES + SYNTH_QUERIES) == python


def test_shards_give_the_whole_index_results_on_the_fixture_site(fixture_site):
    folder, dump, whole = fixture_site
    python = [search(whole, q) for q in QUERIES]
    shards = run_node("shards", QUERIES, str(folder))
    whole_js = run_node("whole", QUERIES, str(dump))
    for expected, got, got_whole in zip(python, shards, whole_js, strict=True):
        _same(expected, got)
        _same(expected, got_whole)
    found = dict(zip(QUERIES, python, strict=True))
    # The queries do find things, so the comparison above compares something.
    for query in ("专家混合", "MoE路由", "tag:moe", "quant*", "attension~1", "<img", "2512.00001"):
        assert found[query], query
    assert not found["the"] and not found["-moe"]


def test_tag_filters_follow_aliases(fixture_site):
    _, _, whole = fixture_site
    moe = {ref for ref, _ in search(whole, "tag:moe")}
    assert moe == {ref for ref, _ in search(whole, 'tag:"Mixture of Experts"')}
    assert moe == {ref for ref, _ in search(whole, "tag:专家混合 ")}
    assert len(moe) >= 3  # feed papers matching "MoE" and two notes


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    seeds = SHARED / "seeds"
    sentences = load_seed_sentences(seeds if seeds.is_dir() else None)
    docs = []
    for paper in synthesise(1000, sentences):
        tags = [(keyword, keyword.lower()) for keyword in paper.matched_keywords]
        docs.append(
            SearchDoc(
                key=paper.arxiv_id,
                date=paper.announced or "",
                url=f"papers/{paper.arxiv_id}/",
                title=paper.title,
                summary=paper.abstract[:160],
                body=paper.abstract,
                authors=tuple(paper.authors),
                categories=" ".join(paper.categories),
                tags=tuple(tags),
                tag_text=" ".join(name for name, _ in tags),
                tag_terms=tuple(tag_term(name) for name, _ in tags),
            )
        )
    docs = ordered(docs)
    builder = build_index(docs, TermCache(None))
    folder = tmp_path_factory.mktemp("synthetic-search")
    for name, data in search_files(builder, docs).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder, builder.build()


def test_shards_give_the_whole_index_results_on_1000_mixed_papers(synthetic):
    folder, whole = synthetic
    python = [search(whole, q) for q in SYNTH_QUERIES]
    browser = run_node("shards", SYNTH_QUERIES, str(folder))
    for expected, got in zip(python, browser, strict=True):
        _same(expected, got)
    assert sum(bool(results) for results in python) >= len(SYNTH_QUERIES) // 2
