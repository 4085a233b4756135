"""The index build: lunr.py's own Builder agrees, bad text stops it, terms are cached."""

import gzip
import json

import pytest
from lunr.builder import Builder

import papershelf.search.shards as shards
import papershelf.search.term_cache as term_cache
from papershelf.search.index import (
    FIELDS,
    TEXT_FIELDS,
    SearchDoc,
    SearchIndexError,
    build_index,
    ordered,
)
from papershelf.search.shards import DOCS_PER_CHUNK, js_order, search_files, write_search_files
from papershelf.search.term_cache import TermCache, all_terms
from papershelf.search.text import pipeline, tag_term


def _docs() -> list[SearchDoc]:
    rows = [
        ("2512.00001", "2025-12-11", "Sparse MoE Routing", "Routes tokens to two experts.", "MoE"),
        (
            "2512.00002",
            "2025-12-10",
            "专家混合模型的路由",
            "本文研究MoE路由的负载均衡。",
            "专家混合",
        ),
        ("pe-00aa", "2025-12-10", "Quantized attention", "Attention heads in four bits.", "Quant"),
        ("2512.00003", "2025-12-09", "Empty fields", "", ""),
    ]
    return ordered(
        SearchDoc(
            key=key,
            date=day,
            url=f"papers/{key}/",
            title=title,
            summary=summary,
            body=summary * 3,
            authors=("Ann Lee", "Bo Li"),
            tags=((tag, tag.lower()),) if tag else (),
            tag_text=tag,
            tag_terms=(tag_term(tag),) if tag else (),
        )
        for key, day, title, summary, tag in rows
    )


def test_the_fast_builder_makes_exactly_what_lunr_pys_builder_makes(tmp_path):
    docs = _docs()
    fast = build_index(docs, TermCache(None)).build().serialize()
    stock = Builder()
    stock.ref("ref")
    for name, boost in FIELDS:
        stock.field(name, boost=boost)
    stock.search_pipeline = pipeline()
    for ref, (doc, field_terms) in enumerate(
        zip(docs, all_terms(docs, TermCache(None)), strict=True)
    ):
        record = {name: list(ts) for name, ts in zip(TEXT_FIELDS, field_terms, strict=True)}
        stock.add({**record, "tag": list(doc.tag_terms), "ref": ref})
    assert json.dumps(fast, sort_keys=True) == json.dumps(stock.build().serialize(), sort_keys=True)
    assert len(fast["invertedIndex"]) > 40


def test_refs_follow_date_then_id_so_new_papers_are_appended():
    assert [doc.key for doc in _docs()] == ["2512.00003", "2512.00002", "pe-00aa", "2512.00001"]


def test_an_unsplit_run_stops_the_build_naming_paper_and_field():
    docs = [*_docs(), SearchDoc(key="2512.09999", date="2025-12-12", url="x/", title="ሰላም" * 9)]
    with pytest.raises(SearchIndexError, match=r"2512\.09999: the title gives .* longer than 24"):
        build_index(ordered(docs), TermCache(None))


def test_terms_are_cached_by_text(tmp_path, monkeypatch):
    cache_path = tmp_path / "terms.pickle"
    first = all_terms(_docs(), TermCache(cache_path))
    assert cache_path.is_file()

    def must_not_run(texts):
        raise AssertionError("cached text tokenised again")

    monkeypatch.setattr(term_cache, "doc_terms", must_not_run)
    assert all_terms(_docs(), TermCache(cache_path)) == first
    changed = [*_docs()[:-1], SearchDoc(key="new", date="2026-01-01", url="n/", title="new")]
    with pytest.raises(AssertionError, match="tokenised again"):
        all_terms(changed, TermCache(cache_path))


def test_papers_tokenised_on_both_cores_get_the_terms_they_get_in_process(monkeypatch):
    # The batches go to the workers as JSON: Chinese, accents and empty fields come back whole.
    docs = [*_docs(), SearchDoc(key="x", date="2025-12-01", url="x/", title="Über naïve café")]
    monkeypatch.setattr(term_cache, "PARALLEL_FROM", 10**9)
    in_process = all_terms(docs, TermCache(None))
    monkeypatch.setattr(term_cache, "PARALLEL_FROM", 1)
    monkeypatch.setattr(term_cache, "BATCH_PAPERS", 2)
    assert all_terms(docs, TermCache(None)) == in_process
    assert any("路由" in terms for field_terms in in_process for terms in field_terms)


def test_a_damaged_term_cache_is_rebuilt(tmp_path):
    cache_path = tmp_path / "terms.pickle"
    cache_path.write_bytes(b"not a pickle")
    assert all_terms(_docs(), TermCache(cache_path))


def test_shards_hold_every_term_once_in_browser_order():
    docs = _docs()
    builder = build_index(docs, TermCache(None))
    files = search_files(builder, docs)
    meta = json.loads(files["meta.json"])
    shard_terms = [
        [entry[0] for entry in json.loads(files[f"s/{n}.json"])] for n in range(len(meta["shards"]))
    ]
    flat = [term for terms in shard_terms for term in terms]
    assert flat == sorted(builder.term_numbers(), key=js_order)
    assert meta["shards"] == [terms[0] for terms in shard_terms]
    chunks = [json.loads(files[f"d/{n}.json"]) for n in range(-(-len(docs) // DOCS_PER_CHUNK))]
    assert [d["t"] for chunk in chunks for d in chunk] == [doc.title for doc in docs]
    assert meta["pipeline"] == ["papershelf-cjk-bigrams", "stopWordFilter", "papershelf-stemmer"]


def test_shard_files_are_deterministic():
    docs = _docs()
    first = search_files(build_index(docs, TermCache(None)), docs)
    second = search_files(build_index(list(docs), TermCache(None)), docs)
    assert first == second


def test_files_written_one_by_one_to_disk_are_the_index(tmp_path, monkeypatch):
    """The build hands each file to disk as it is made: the same files as the index
    made whole, however the terms are chunked."""
    docs = _docs()
    whole = search_files(build_index(docs, TermCache(None)), docs)
    monkeypatch.setattr(shards, "ENCODE_CHUNK", 2)  # many chunks of terms

    def put(name: str, data: bytes) -> None:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)

    names = write_search_files(build_index(list(docs), TermCache(None)), docs, put)
    assert names[-1] == "meta.json" and sorted(names) == sorted(whole)
    on_disk = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*.json")}
    assert on_disk == whole
    assert json.loads(whole["meta.json"])["version"]


def test_stored_files_are_gzip_of_the_json_but_meta_and_the_same_every_time():
    docs = _docs()
    files = search_files(build_index(docs, TermCache(None)), docs)
    for name, data in files.items():
        stored, stored_bytes = shards.stored_file(name, data)
        if name == "meta.json":
            assert (stored, stored_bytes) == (name, data)
            assert json.loads(data)["stored"] == shards.STORED_SUFFIX
            continue
        assert stored == name + shards.STORED_SUFFIX
        assert gzip.decompress(stored_bytes) == data
        assert shards.stored_file(name, data)[1] == stored_bytes  # no time in the header
