"""Big terms written as docsets and impact tiers (papershelf/search/impacts.py): the
pruned search in search-core.js gives lunr.py's top k exactly (refs, order, scores),
the exact count, every match, and loads fewer tiers than there are for broad words.

On 1,000 synthetic papers with a low threshold, so that common words are big."""

import base64
import json
from urllib.parse import quote

import pytest
from lunr.index import Index

import papershelf.search.impacts as impacts
from papershelf.search.facets import COLUMN_BLOCK, records
from papershelf.search.phrases import whole_index
from papershelf.search.query import find, search
from papershelf.search.shards import DOCS_PER_CHUNK

from .browser import chromium_page, requires_chromium, serve
from .search_helpers import (
    build_search_site,
    read_search_file,
    requires_node,
    run_node,
    search_folder_json,
    synthetic_search_files,
)

pytestmark = requires_node

BIG_TERM_REFS = 100
TIER_SIZES = (20, 80, 320)

QUERIES = [
    "language models",  # two broad words, the last one a prefix while typing
    "language models ",
    "reasoning ",
    "model",
    "language 强化",  # broad and rare
    "language model -reasoning ",  # broad with -word
    "language -model ",
    "tag:llm",
    "tag:llm language ",  # tag: and broad
    "模型",  # a Chinese bigram
    "模型 推理 ",
    "大模型",  # checked as a phrase, over the docsets
    '"language models"',
    "quant*",
    "attension~1 ",
    "reinforcment~1 model",
    "model model*",  # one term twice in the query vector
    "zzzunknown language",
]


@pytest.fixture(scope="module")
def pruned_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pruned-search")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impacts, "BIG_TERM_REFS", BIG_TERM_REFS)
        patch.setattr(impacts, "TIER_SIZES", TIER_SIZES)
        builder, files = synthetic_search_files(folder)
    blocks = sorted(
        (int(name[2:-5]), json.loads(data)) for name, data in files.items() if name.startswith("c/")
    )
    return folder, whole_index(builder), records([block for _, block in blocks]), files


def _same_top(expected, got, k):
    top = expected[:k]
    assert [ref for ref, _ in top] == [ref for ref, _ in got["top"][:k]]
    for (_, score), (_, found) in zip(top, got["top"], strict=False):
        assert found == pytest.approx(score, rel=1e-12, abs=1e-12)


def test_broad_words_are_written_as_docsets_and_tiers(pruned_site):
    folder, _, _, files = pruned_site
    entries = [e for name, data in files.items() if name.startswith("s/") for e in json.loads(data)]
    big = {e[0]: e for e in entries if e[2] == impacts.BIG}
    assert "languag" in big and "model" in big
    entry = big["model"]
    kind, data = entry[3]
    refs = []
    if kind == "b":
        bits = base64.b64decode(data)
        refs = [i for i in range(len(bits) * 8) if bits[i >> 3] >> (i & 7) & 1]
    else:
        for delta in data:
            refs.append((refs[-1] if refs else 0) + delta)
    assert len(refs) > BIG_TERM_REFS
    tier0, bounds = entry[4], entry[5]
    assert len(tier0[1]) == TIER_SIZES[0] and sum(size for size, _, _ in bounds) == len(refs)
    # Titled postings first, then by impact; the bounds are what is left.
    titled = tier0[0]
    assert titled > 0 and bounds[0][1] == max(tier0[2][:titled])
    assert bounds[1][1] <= min(tier0[2][:titled])
    later = json.loads(files[f"t/{_shard_of(files, 'model')}-1.json"])["model"]
    assert len(later[1]) == TIER_SIZES[1]
    assert not set(_tier_refs(later)) & set(_tier_refs(tier0))
    assert set(_tier_refs(tier0)) <= set(refs)


def _tier_refs(tier) -> list[int]:
    refs, ref = [], 0
    for i, delta in enumerate(tier[1]):
        ref = delta if i == tier[0] else ref + delta
        refs.append(ref)
    return refs


def _shard_of(files, term) -> int:
    for name, data in files.items():
        if name.startswith("s/") and any(e[0] == term for e in json.loads(data)):
            return int(name[2:-5])
    raise AssertionError(term)


@pytest.mark.parametrize("k", [1, 10, 25])
def test_the_pruned_top_k_is_lunr_pys_and_the_count_exact(pruned_site, k):
    folder, whole, _, _ = pruned_site
    expected = [search(whole, q) for q in QUERIES]
    got = run_node("pruned", [[q, k] for q in QUERIES], str(folder))
    for query, want, found in zip(QUERIES, expected, got, strict=True):
        assert len(found["refs"]) == len(want), query
        assert sorted(found["refs"]) == sorted(ref for ref, _ in want), query
        assert found["scored"] >= min(k, len(want)), query
        _same_top(want, found, k)
    counts = dict(zip(QUERIES, map(len, expected), strict=True))
    assert counts["language models"] > 300 and counts["tag:llm language "] > 0
    assert counts["language 强化"] > 0 and counts["zzzunknown language"] == 0


def test_a_broad_query_loads_fewer_tiers_than_it_has(pruned_site):
    folder, _, _, files = pruned_site
    # The last word while typing is a prefix: "model*" expands to rare terms too, whose
    # entries carry the big term's impacts in their papers (companions).
    queries = [["language models ", 10], ["model ", 10], ["language models", 10], ["model", 10]]
    got = run_node("pruned", queries, str(folder))
    tier_files = {n for n in files if n.startswith("t/")}
    for found in got:
        assert found["scored"] < len(found["refs"])  # the rest unscored
    # "languag" and "model" have tiers 1..3 each: some of them stay unloaded.
    assert got[1]["tiers"] < 3 and got[0]["tiers"] < 6
    assert got[3]["tiers"] < 3 and got[2]["tiers"] < 6
    assert len(tier_files) >= 6


def test_rare_terms_carry_their_big_family_members_impacts(pruned_site):
    _, _, _, files = pruned_site
    entries = {e[0]: e for n, data in files.items() if n.startswith("s/") for e in json.loads(data)}
    with_companions = [e for e in entries.values() if e[2] != impacts.BIG and len(e) % 3 == 0]
    assert with_companions
    for entry in with_companions[:50]:
        for big, deltas, values in entry[-1]:
            assert entries[big][2] == impacts.BIG and big[:3] == entry[0][:3] and entry[0] != big
            assert len(deltas) == len(values) and all(v >= 0 for v in values)


def test_all_results_at_once_score_every_match_as_lunr_py_does(pruned_site):
    folder, whole, _, _ = pruned_site
    expected = [search(whole, q) for q in QUERIES]
    got = run_node("shards", QUERIES, str(folder))
    for query, want, found in zip(QUERIES, expected, got, strict=True):
        assert [ref for ref, _ in want] == [ref for ref, _ in found], query
        for (_, score), (_, value) in zip(want, found, strict=True):
            assert value == pytest.approx(score, rel=1e-12, abs=1e-12)


FILTERED = [
    ("language models cat:cs.CL", "relevance"),
    ("model -cat:cs.CL year:2025", "relevance"),
    ("language models", "newest"),
    ("model source:feed", "score"),
    ("reasoning tag:llm", "rating"),
    ("-model cat:cs.AI", "newest"),
]


def test_filters_apply_before_the_top_k(pruned_site):
    folder, whole, columns, _ = pruned_site
    got = run_node("pruned", [[q, 10, sort] for q, sort in FILTERED], str(folder))
    for (query, sort), found in zip(FILTERED, got, strict=True):
        want = find(whole, query, columns, sort)
        assert sorted(found["refs"]) == sorted(ref for ref, _ in want), query
        if sort == "relevance":
            _same_top(want, found, 10)
        else:
            assert found["refs"] == [ref for ref, _ in want], query
    assert all(found["refs"] for found in got[:4])


def test_paging_asks_again_for_more_and_gets_lunr_pys_order(pruned_site):
    folder, whole, _, _ = pruned_site
    expected = [ref for ref, _ in search(whole, "language models")]
    pages = run_node("pages", ["language models", [10, 20, 40, 10]], str(folder))
    assert pages == [expected[:10], expected[:20], expected[:40], expected[:10]]


# ---- the search page in Chromium, over a small site whose every common word is big ----

PAGE_QUERIES = [
    ("moe", "relevance"),
    ("moe routing ", "relevance"),
    ("moe", "newest"),
    ("moe -quantization", "score"),
]


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("pruned-site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impacts, "BIG_TERM_REFS", 2)
        patch.setattr(impacts, "TIER_SIZES", (1, 2))
        output, _ = build_search_site(tmp_path)
    folder = output / "search"
    whole = Index.load(json.loads((tmp_path / "whole-index.json").read_text(encoding="utf-8")))
    meta = read_search_file(folder, "meta.json")
    blocks = [
        read_search_file(folder, f"c/{n}.json") for n in range(-(-meta["docCount"] // COLUMN_BLOCK))
    ]
    return output, folder, whole, records(blocks)


@requires_chromium
def test_the_search_page_shows_the_pruned_results_in_lunr_pys_order(big_site):
    from playwright.sync_api import expect

    output, folder, whole, columns = big_site
    files = search_folder_json(folder)
    shards = [data for name, data in files.items() if name.startswith("s/")]
    big = {entry[0] for shard in shards for entry in shard if entry[2] == impacts.BIG}
    assert "moe" in big and any(name.startswith("t/") for name in files)
    with serve(output) as base, chromium_page() as browser:
        errors = []
        browser.on("pageerror", lambda error: errors.append(str(error)))
        for query, sort in PAGE_QUERIES:
            expected = find(whole, query, columns, sort)
            assert len(expected) >= 2, query
            titles = []
            for ref, _ in expected[:10]:
                chunk = read_search_file(folder, f"d/{ref // DOCS_PER_CHUNK}.json")
                titles.append(chunk[ref % DOCS_PER_CHUNK]["t"])
            browser.goto(base + "search/?q=" + quote(query) + "&sort=" + sort)
            count = "1 paper" if len(expected) == 1 else f"{len(expected)} papers"
            expect(browser.locator("#search-page-status")).to_have_text(count)
            shown = browser.locator("#search-page-results .search-result-title").all_inner_texts()
            assert shown == titles, query
        assert not errors
