"""Exact Chinese words and quoted phrases: a match needs the string contiguous in one
field (or the paper's tag under that alias), and a page holding it is always found."""

import json
import re
import unicodedata
from itertools import accumulate
from urllib.parse import quote

import pytest
from lunr.index import Index
from pelican import signals

from papershelf.search.index import TEXT_FIELDS
from papershelf.search.phrases import has_phrase, term_positions
from papershelf.search.query import lunr_query, parse, phrases, search
from papershelf.search.shards import stored_name
from papershelf.search.text import terms

from .browser import chromium_page, requires_chromium, serve
from .search_helpers import read_search_file, requires_node, run_node
from .sites import ROOT, build, load_settings

# Chinese words of 3-6 characters from the demo's notes and content/tags.yml (aliases:
# 混合专家, 大语言模型, 投机解码, ...). Several have every bigram in some paper only
# apart (奖励模型, 型的高, 模型推理), which lunr alone matches.
CHINESE_QUERIES = [
    "奖励模型",
    "混合专家",
    "专家混合",
    "大语言模型",
    "投机解码",
    "投机采样",
    "稀疏注意力",
    "分布式训练",
    "推理加速",
    "思维链",
    "强化学习",
    "奖励设计",
    "理策略",
    "一个轻量级",
    "平均相对收益",
    "通用视觉问答",
    "架构探索成本",
    "化优化",
    "式的重",
    "型的高",
    "通过大型语言",
    "型模型",
    "的方法",
    "到最佳",
    "注意力机制",
    "长上下文",
    "多模态",
    "推理模型",
    "知识蒸馏",
    "量化方法",
    "训练数据",
    "强化学习方法",
    "模型推理",
    "的模型",
]


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo site with its whole index dumped, and the search documents it indexed."""
    tmp_path = tmp_path_factory.mktemp("search-exact")
    settings = load_settings(
        ROOT / "pelicanconf.py",
        {
            "PATH": str(ROOT / "content"),
            "ARXIV_ARCHIVE_PATH": str(ROOT / "data"),
            "OUTPUT_PATH": str(tmp_path / "output"),
            "CACHE_PATH": str(tmp_path / "cache"),
            "SEARCH_DUMP_INDEX": str(tmp_path / "whole-index.json"),
        },
    )
    indexed = []

    def keep_docs(generators):
        # The search generator makes them when it writes the index, and lets go of them.
        indexed.extend(doc for g in generators if hasattr(g, "documents") for doc in g.documents())

    signals.all_generators_finalized.connect(keep_docs)
    try:
        output = build(settings)
    finally:
        signals.all_generators_finalized.disconnect(keep_docs)
    whole = Index.load(json.loads((tmp_path / "whole-index.json").read_text(encoding="utf-8")))
    fields = [[_normal(doc.texts()[name]) for name in TEXT_FIELDS] for doc in indexed]
    return output / "search", whole, fields


def _relevant(fields, word: str) -> set[int]:
    """Refs with ``word`` in a field (the tags field holds every alias of the paper's tags)."""
    return {ref for ref, texts in enumerate(fields) if any(word in text for text in texts)}


def _precision_recall(found: list[set[int]], relevant: list[set[int]]) -> tuple[float, float]:
    hits = sum(len(f & r) for f, r in zip(found, relevant, strict=True))
    return hits / sum(map(len, found)), hits / sum(map(len, relevant))


@requires_node
def test_chinese_words_match_only_where_contiguous_on_the_demo_site(demo):
    folder, whole, fields = demo
    queries = [word + " " for word in CHINESE_QUERIES]
    relevant = [_relevant(fields, word) for word in CHINESE_QUERIES]
    assert all(relevant), "every word of the set occurs on the demo site"
    browser = [{ref for ref, _ in results} for results in run_node("shards", queries, str(folder))]
    precision, recall = _precision_recall(browser, relevant)
    assert recall == 1.0
    assert precision >= 0.99
    # lunr alone (every bigram anywhere) is what the check improves on.
    lunr_alone = [
        {int(r["ref"]) for r in whole.query(lunr_query(whole, parse(q)))} for q in queries
    ]
    before, _ = _precision_recall(lunr_alone, relevant)
    assert before < 0.97
    reward = CHINESE_QUERIES.index("奖励模型")
    assert lunr_alone[reward] - relevant[reward], "a paper has 奖励 and 模型 only apart"
    assert browser[reward] == relevant[reward]


def test_python_search_keeps_the_same_exact_matches(demo):
    _, whole, fields = demo
    for word in ("奖励模型", "模型推理", "型的高"):
        assert {ref for ref, _ in search(whole, word + " ")} == _relevant(fields, word)


@requires_node
def test_quoted_phrases_need_their_words_adjacent_and_in_order(demo):
    folder, whole, fields = demo
    queries = ['"speculative decoding"', '"decoding speculative"', "speculative decoding "]
    phrase, reversed_phrase, words = (
        {ref for ref, _ in results} for results in run_node("shards", queries, str(folder))
    )
    assert phrase == {ref for ref, _ in search(whole, queries[0])}
    literal = _relevant(fields, "speculative decoding")
    assert literal and literal <= phrase  # a page holding the phrase is always found
    adjacent = re.compile(r"\bspeculat\w*\W+decod")
    for ref in phrase:
        assert any(adjacent.search(text) for text in fields[ref]), ref
    assert phrase < words  # the words apart no longer match the phrase
    assert len(reversed_phrase) < len(phrase)


def test_phrases_of_a_query():
    assert phrases('"speculative decoding"') == [("specul", "decod")]
    assert phrases('"mixture of experts" moe') == [("mixtur", "expert")]  # stop words out
    assert phrases("混合专家 路由") == [("混合", "合专", "专家")]
    assert phrases("MoE路由器") == [("路由", "由器")]
    # Two-character words, excluded words, tags and fuzzy words are not checked.
    for query in ("专家", "-混合专家 moe", "tag:混合专家", "混合专家~1", '"moe"'):
        assert phrases(query) == [], query


def test_an_open_quote_is_exact_while_typing():
    clauses = parse('"speculative dec')
    assert [c.term for c in clauses] == ["specul", "dec"]
    assert not any(c.wildcard for c in clauses)
    assert any(c.wildcard for c in parse("speculative dec"))


def test_has_phrase_needs_consecutive_positions_in_one_field():
    positions = {
        ("a", "title", 1): [0, 7],
        ("b", "title", 1): [3, 8],
        ("a", "body", 2): [4],
        ("b", "summary", 2): [5],
    }

    def positions_of(term, field, ref):
        return positions.get((term, field, ref))

    assert has_phrase(("a", "b"), 1, positions_of)  # 7, 8
    assert not has_phrase(("b", "a"), 1, positions_of)
    assert not has_phrase(("a", "b"), 2, positions_of)  # adjacent, but in two fields


def _fields(summary: str, body: str, title: str = "") -> tuple:
    texts = {name: "" for name in TEXT_FIELDS} | {"summary": summary, "body": body, "title": title}
    return tuple(tuple(terms(texts[name])) for name in TEXT_FIELDS)


def test_a_summary_its_body_repeats_has_no_positions_and_its_phrases_are_found():
    body = "We study speculative decoding. The draft model proposes tokens quickly."
    docs = [
        _fields("We study speculative decoding.", body),  # a piece of the body
        _fields("Speculative decoding, studied.", body),  # its own words
    ]
    positions = term_positions(docs)

    def positions_of(term, field, ref):
        # Unpack the flat lists as the browser does: per field, per ref, a count first.
        flat, at = positions[term], 0
        for number in range(len(TEXT_FIELDS)):
            for doc, fields in enumerate(docs):
                if term not in fields[number]:
                    continue
                count = flat[at]
                where = list(accumulate(flat[at + 1 : at + 1 + count]))
                at += 1 + count
                if TEXT_FIELDS[number] == field and doc == ref:
                    return where
        return None

    assert positions_of("specul", "summary", 0) == []  # the body says it
    assert positions_of("specul", "summary", 1) == [0]
    assert positions_of("specul", "body", 0) == [1]
    phrase = tuple(terms("speculative decoding"))
    assert has_phrase(phrase, 0, positions_of) and has_phrase(phrase, 1, positions_of)


def test_position_files_follow_their_shards(demo):
    folder, _, _ = demo
    shard_count = len(read_search_file(folder, "meta.json")["shards"])
    assert sorted(folder.joinpath("p").iterdir()) == sorted(
        folder / stored_name(f"p/{n}.json") for n in range(shard_count)
    )
    shard = read_search_file(folder, "s/0.json")
    positions = read_search_file(folder, "p/0.json")
    assert len(positions) == len(shard)
    text_fields = len(TEXT_FIELDS)
    for entry, flat in zip(shard, positions, strict=True):
        pairs = sum(len(entry[i + 1]) for i in range(2, len(entry), 3) if entry[i] < text_fields)
        at = 0
        for _ in range(pairs):  # each pair: a count, then that many deltas
            assert flat[at] >= 0 and all(p >= 0 for p in flat[at + 1 : at + 1 + flat[at]])
            at += 1 + flat[at]
        assert at == len(flat)


@requires_chromium
def test_the_search_page_finds_exact_words_and_loads_positions_only_for_them(demo):
    folder, _, fields = demo
    with serve(folder.parent) as base, chromium_page() as browser:
        requested = []
        browser.on("request", lambda request: requested.append(request.url))
        errors = []
        browser.on("pageerror", lambda error: errors.append(str(error)))
        for query, expected in (
            ("language models", None),
            ("奖励模型", len(_relevant(fields, "奖励模型"))),
        ):
            before = len(requested)
            browser.goto(base + "search/?q=" + quote(query))
            browser.wait_for_selector("#search-page-results li")
            status = browser.inner_text("#search-page-status")
            positions = [url for url in requested[before:] if "/search/p/" in url]
            if expected is None:
                assert not positions, query
            else:
                assert positions, query
                assert int(re.sub(r"\D", "", status)) == expected
        assert not errors
