"""Filters (cat:, year:, after:, before:, source:, rating:, has:, and - before any),
sorts and the counts beside the results: the Python rules and lunr.js over the shards
and column files agree, and the search page applies them in Chromium."""

from __future__ import annotations

import gzip
import json
import shutil
from urllib.parse import quote

import pytest
from lunr.index import Index

from papershelf.search.facets import COLUMN_BLOCK, records
from papershelf.search.query import find, search, split_filters
from papershelf.search.shards import DOCS_PER_CHUNK

from .browser import chromium_page, requires_chromium, serve
from .search_helpers import (
    KEYWORDS,
    SEARCH_FIXTURES,
    read_search_file,
    requires_node,
    run_node,
    synthetic_search_files,
)
from .sites import FEEDS, build, fetch, site_settings

pytestmark = requires_node

RATED_NOTE = """Title: Sparse MoE Routing for Fast LLM Inference
Arxiv: 2512.00001v2
Date: 2025-12-11
Tags: MoE, Inference
Rating: 4.5
Summary: Routes tokens to two experts only.
Lang: en

A rated note on routing.
"""
LOW_NOTE = """Title: A Survey of Vision Transformers
Date: 2024-03-02
Tags: Vision, <b>Bold</b> & "Quoted"
Rating: 3
Summary: Vision transformers reviewed.
Lang: en

Older work on vision models and routing.
"""

FILTER_QUERIES = [
    ("cat:cs.CL", "relevance"),
    ("cat:cs.cl moe", "relevance"),
    ("-cat:cs.CL", "relevance"),
    ("year:2024", "relevance"),
    ("year:2025 routing", "relevance"),
    ("after:2025-12-09", "relevance"),
    ("before:2025-12", "relevance"),
    ("after:2025-12-01 before:2025-12-10 moe", "relevance"),
    ("source:note", "relevance"),
    ("source:feed moe", "relevance"),
    ("-source:feed", "relevance"),
    ("source:import", "relevance"),
    ("rating:>=4", "relevance"),
    ("rating:3", "relevance"),
    ("rating:<4 routing", "relevance"),
    ("has:note", "relevance"),
    ("-has:note llm", "relevance"),
    ("has:rating", "rating"),
    ("tag:moe -tag:vision", "relevance"),
    ("-tag:vision has:note", "relevance"),
    ("-tag:moe -routing year:2025", "relevance"),
    ("moe", "newest"),
    ("moe", "score"),
    ("routing", "rating"),
    ("the cat:cs.CL", "score"),
    ("year:20 moe", "relevance"),
    ("cat:<img", "relevance"),
    ("moe", "nonsense"),
]


@pytest.fixture(scope="module")
def filter_site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("search-filters")
    settings = site_settings(
        tmp_path, ARXIV_KEYWORDS=KEYWORDS, SEARCH_DUMP_INDEX=str(tmp_path / "whole.json")
    )
    notes = tmp_path / "content" / "notes"
    notes.mkdir(parents=True, exist_ok=True)
    for note in SEARCH_FIXTURES.glob("*.md"):
        shutil.copy(note, notes / note.name)
    (notes / "rated-routing.md").write_text(RATED_NOTE, encoding="utf-8")
    (notes / "vision-survey.md").write_text(LOW_NOTE, encoding="utf-8")
    shutil.copy(SEARCH_FIXTURES / "tags.yml", tmp_path / "content" / "tags.yml")
    for feed in ("day1-cs.CL.new-and-cross.rss.xml", "day2-cs.CL.replace.rss.xml"):
        assert fetch(settings, FEEDS / feed)[0] == 0
    output = build(settings)
    folder = output / "search"
    whole = Index.load(json.loads((tmp_path / "whole.json").read_text(encoding="utf-8")))
    meta = read_search_file(folder, "meta.json")
    blocks = [
        read_search_file(folder, f"c/{n}.json") for n in range(-(-meta["docCount"] // COLUMN_BLOCK))
    ]
    return output, folder, whole, records(blocks)


def _refs(pairs) -> list[int]:
    return [ref for ref, _ in pairs]


def test_browser_and_python_split_filters_alike():
    queries = [q for q, _ in FILTER_QUERIES] + ["rating:>4.5 -has:rating", "CAT:CS.LG x", "has:x"]
    python = [[rest, [f.as_dict() for f in found]] for rest, found in map(split_filters, queries)]
    assert run_node("filters", queries) == python
    rest, filters = split_filters("moe -cat:cs.CV rating:>=4 year:20")
    assert rest == "moe" + " " * 6 and [(f.kind, f.value, f.op, f.exclude) for f in filters] == [
        ("cat", "cs.cv", "=", True),
        ("rating", "4", ">=", False),
    ]


def test_filtered_queries_give_the_same_refs_over_the_shards(filter_site):
    _, folder, whole, columns = filter_site
    python = [find(whole, q, columns, sort) for q, sort in FILTER_QUERIES]
    shards = run_node("find", [list(pair) for pair in FILTER_QUERIES], str(folder))
    for (query, _), expected, got in zip(FILTER_QUERIES, python, shards, strict=True):
        assert _refs(expected) == _refs(got), query
        assert [s for _, s in got] == pytest.approx([s for _, s in expected], rel=1e-12)
    found = dict(zip(FILTER_QUERIES, python, strict=True))
    # Every filter keeps some papers and drops others, so the comparison compares something.
    total = len(columns)
    for pair in FILTER_QUERIES[:21]:
        assert 0 < len(found[pair]) < total or pair[0].startswith("source:import"), pair


def test_each_filter_means_what_it_says(filter_site):
    _, _, whole, columns = filter_site

    def refs(query, sort="relevance"):
        return _refs(find(whole, query, columns, sort))

    every = set(range(len(columns)))
    assert {r for r in every if "cs.cl" in columns[r].categories} == set(refs("cat:cs.CL"))
    assert set(refs("-cat:cs.CL")) == every - set(refs("cat:cs.CL"))
    assert all(columns[r].date.startswith("2024") for r in refs("year:2024")) and refs("year:2024")
    assert all(columns[r].date >= "2025-12-09" for r in refs("after:2025-12-09"))
    assert all(columns[r].date < "2025-12" for r in refs("before:2025-12"))
    assert [columns[r].rating for r in refs("rating:>=4")] == [4.5]
    assert [columns[r].rating for r in refs("has:rating", "rating")] == [4.5, 3]
    assert set(refs("source:note")) == set(refs("has:note")) and len(refs("has:note")) == 5
    assert not refs("source:import")
    # Without words: newest first. With a sort: by its value, ties in rank order.
    assert refs("has:note") == sorted(refs("has:note"), reverse=True)
    assert refs("moe", "newest") == sorted(refs("moe"), reverse=True)
    scores = [columns[r].score for r in refs("moe", "score")]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) > 1
    # Invalid values are ignored rather than searched as words.
    assert refs("year:20 moe") == _refs(search(whole, "moe"))
    assert refs("moe", "nonsense") == _refs(search(whole, "moe"))
    # Excluded tags and words work without other words.
    assert set(refs("-tag:moe -routing year:2025")).isdisjoint(refs("tag:moe") + refs("routing"))


SYNTH_FILTER_QUERIES = [
    ("language models cat:cs.CL", "relevance"),
    ("language models -cat:cs.CL after:2025-12-06", "score"),
    ("模型 year:2025", "newest"),
    ("cat:cs.DC before:2025-12-04", "relevance"),
    ("tag:inference -tag:rl source:feed", "score"),
    ("-reasoning cat:cs.AI", "relevance"),
    ("agent* cat:cs.CV", "newest"),
    ("-cat:cs.DC -tag:fp8", "newest"),
]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic-filters")
    builder, files = synthetic_search_files(folder)
    blocks = [json.loads(data) for name, data in sorted(files.items()) if name.startswith("c/")]
    return folder, builder.build(), records(blocks), files


def test_filters_over_1000_papers_agree_and_columns_stay_small(synthetic):
    folder, whole, columns, files = synthetic
    python = [find(whole, q, columns, sort) for q, sort in SYNTH_FILTER_QUERIES]
    shards = run_node("find", [list(pair) for pair in SYNTH_FILTER_QUERIES], str(folder))
    for (query, _), expected, got in zip(SYNTH_FILTER_QUERIES, python, shards, strict=True):
        assert _refs(expected) == _refs(got), query
    assert all(python[:5]), "the queries find papers"
    blocks = [data for name, data in files.items() if name.startswith("c/")]
    assert len(blocks) == 2  # 1,000 papers, 500 a file: never one file of every paper
    assert max(len(gzip.compress(data)) for data in blocks) < 4_000


# ---- the search page in Chromium ----


@pytest.fixture
def browser_page(filter_site):
    output = filter_site[0]
    with serve(output) as base, chromium_page() as browser:
        dialogs, errors = [], []
        browser.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        browser.on("pageerror", lambda error: errors.append(str(error)))
        yield base, browser, dialogs
        assert not errors


def _titles(browser) -> list[str]:
    return browser.locator("#search-page-results .search-result-title").all_inner_texts()


def _python_titles(filter_site, query: str, sort: str = "relevance") -> list[str]:
    output, folder, whole, columns = filter_site
    titles = []
    for ref, _ in find(whole, query, columns, sort)[:10]:
        chunk = read_search_file(folder, f"d/{ref // DOCS_PER_CHUNK}.json")
        titles.append(chunk[ref % DOCS_PER_CHUNK]["t"])
    return titles


def _wait_for(browser, count_text: str) -> None:
    from playwright.sync_api import expect

    expect(browser.locator("#search-page-status")).to_have_text(count_text)


def _count(n: int) -> str:
    return "1 paper" if n == 1 else f"{n} papers"


@requires_chromium
@pytest.mark.parametrize(
    ("query", "sort"),
    [
        ("cat:cs.CL", "relevance"),
        ("-cat:cs.CL", "relevance"),
        ("year:2024", "relevance"),
        ("after:2025-12-09 before:2025-12-11", "relevance"),
        ("source:note", "relevance"),
        ("source:feed", "relevance"),
        ("rating:>=4", "relevance"),
        ("has:note -tag:vision", "relevance"),
        ("moe", "newest"),
        ("moe", "score"),
        ("has:rating", "rating"),
    ],
)
def test_every_filter_and_sort_from_the_url(browser_page, filter_site, query, sort):
    base, browser, _ = browser_page
    expected = _python_titles(filter_site, query, sort)
    total = len(find(filter_site[2], query, filter_site[3], sort))
    browser.goto(base + "search/?q=" + quote(query) + "&sort=" + sort)
    _wait_for(browser, _count(total))
    assert _titles(browser) == expected
    assert browser.input_value("#search-sort") == sort


@requires_chromium
def test_counts_narrow_the_results_and_the_sort_is_in_the_url(browser_page, filter_site):
    from playwright.sync_api import expect

    base, browser, dialogs = browser_page
    browser.goto(base + "search/?q=moe")
    total = len(find(filter_site[2], "moe", filter_site[3]))
    _wait_for(browser, _count(total))
    facets = browser.locator("#search-facets")
    expect(facets).to_be_visible()
    expect(facets.locator("[data-facet=year] button.facet").first).to_be_visible()
    years = facets.locator("[data-facet=year] button.facet")
    assert years.first.get_attribute("aria-pressed") == "false"
    # Counts are those of the matches: the year buttons add up to the total.
    counts = [int(t) for t in facets.locator("[data-facet=year] .facet-count").all_inner_texts()]
    assert sum(counts) == total
    sources = facets.locator("[data-facet=source] .facet-label").all_inner_texts()
    assert "curator's note" in sources and "arXiv feed" in sources
    # A category count adds its filter; pressed, it takes it out again.
    cat = facets.locator("[data-facet=cat] button.facet", has_text="cs.CL")
    cat_count = int(cat.locator(".facet-count").inner_text())
    cat.click()
    _wait_for(browser, _count(cat_count))
    assert browser.input_value("#search-page-q") == "moe cat:cs.CL "
    assert "cat%3Acs.CL" in browser.url
    pressed = facets.locator("[data-facet=cat] button.facet[aria-pressed=true]")
    expect(pressed).to_have_count(1)
    pressed.click()
    _wait_for(browser, _count(total))
    assert browser.input_value("#search-page-q") == "moe "
    # A tag count adds tag:<slug>; the sort goes into the URL and orders by date.
    browser.select_option("#search-sort", "newest")
    expect(browser.locator("#search-sort")).to_have_value("newest")
    browser.wait_for_url("**sort=newest**")
    assert _titles(browser) == _python_titles(filter_site, "moe ", "newest")
    tag = facets.locator("[data-facet=tag] button.facet", has_text="Inference")
    tag.click()
    browser.wait_for_url("**tag%3Ainference**")
    assert "sort=newest" in browser.url
    assert not dialogs


@requires_chromium
def test_facet_values_stay_text(browser_page):
    from playwright.sync_api import expect

    base, browser, dialogs = browser_page
    browser.goto(base + "search/?q=" + quote("has:rating"))
    _wait_for(browser, "2 papers")
    label = browser.locator("#search-facets [data-facet=tag] .facet-label", has_text="Bold")
    expect(label).to_have_text('<b>Bold</b> & "Quoted"')
    assert browser.locator("#search-facets b").count() == 0
    label.click()
    _wait_for(browser, "1 paper")
    assert browser.input_value("#search-page-q") == "has:rating tag:bold-quoted "
    # A filter with a value it does not take is left out, never run as markup or words.
    browser.goto(base + "search/?q=" + quote("cat:<img src=x onerror=alert(1)> moe"))
    assert browser.locator("#search-page-results img").count() == 0
    assert not dialogs
