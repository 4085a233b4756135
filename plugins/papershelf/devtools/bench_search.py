"""``papershelf bench --search``: papershelf's search against Pagefind, same pages, same run.

On the papershelf site the bench just built: Pagefind indexes the same paper
pages (their ``<main>``, as Chinese, the language its segmenter needs for
mixed text). A gzipping server on 127.0.0.1 serves the site, and headless
Chromium (Debian's) runs each query of a fixed set from a fresh browser
profile, timing the first results (cold: scripts and index pieces fetched
from scratch) and the same query again (warm), and counting the bytes sent.
Chinese recall and precision are measured on strings taken from the pages
themselves: a page is relevant when its text contains the string.
"""

from __future__ import annotations

import contextlib
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from papershelf.devtools.bench_scripts import (
    OURS_FIRST_JS,
    OURS_LOAD_JS,
    PAGEFIND_ALL_JS,
    PAGEFIND_FIRST_JS,
)
from papershelf.devtools.bench_server import base_url, counting_server
from papershelf.devtools.chromium import CHROMIUM, CHROMIUM_ARGS
from papershelf.devtools.search_quality import (
    KNOWN_ITEM_RANK,
    chinese_queries,
    known_items,
    read_pages,
    recall_precision,
    success_at,
)

PAGE_QUERIES = [
    "language models",
    "reasoning",
    "强化学习",
    "大模型",
    "推理",
    "MoE路由",
    "模型 reasoning",
    "quant*",
    "attension~1",
    "diffusion policy",
    "agent",
    "tag:llm",
]
RESULTS_SHOWN = 10
PAGEFIND_DIR = "pagefind"

OURS_JS = """async ([query, limit]) => {
  const started = performance.now();
  const base = location.origin + "/search/";
  const worker = new Worker("/theme/js/search-worker.js#" + encodeURIComponent(base));
  const ready = new Promise((resolve) => { worker.onmessage = resolve; });
  worker.postMessage({type: "init", base});
  await ready;
  const readyAt = performance.now();
  // Resolves at the first results (the best ones with their data); `done` at the last.
  const ask = (id) => {
    let done;
    const all = new Promise((resolve) => { done = resolve; });
    const first = new Promise((resolve) => {
      worker.onmessage = (event) => {
        if (event.data.id !== id) return;
        resolve(event.data);
        if (event.data.final || event.data.type === "error") done(event.data);
      };
    });
    worker.postMessage({type: "search", id, q: query, offset: 0, limit, fresh: true});
    return {first, all};
  };
  const cold1 = ask(1);
  const first = await cold1.first;
  const firstAt = performance.timeOrigin + performance.now();
  const cold = performance.now() - started;
  const fromIndex = performance.timeOrigin + performance.now() - first.indexRequested;
  const afterReady = performance.now() - readyAt;
  await cold1.all;
  const again = performance.now();
  await ask(2).all;
  const warm = performance.now() - again;
  return {cold, fromIndex, afterReady, warm, total: first.total || 0, firstAt};
}"""
PAGEFIND_JS = """async ([query, limit]) => {
  const started = performance.now();
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.init();
  const readyAt = performance.now();
  const run = async () => {
    const found = await pagefind.search(query);
    await Promise.all(found.results.slice(0, limit).map((r) => r.data()));
    return found.results.length;
  };
  // Like ours: results with data for the first one (then the rest, before "warm").
  const found = await pagefind.search(query);
  if (found.results.length) await found.results[0].data();
  const firstAt = performance.timeOrigin + performance.now();
  const cold = performance.now() - started;
  await Promise.all(found.results.slice(0, limit).map((r) => r.data()));
  const total = found.results.length;
  const entry = performance.getEntriesByType("resource")
    .find((e) => e.name.includes("pagefind-entry.json"));
  const fromIndex = cold + started - (entry ? entry.startTime : started);
  const afterReady = cold + started - readyAt;
  const again = performance.now();
  await run();
  return {cold, fromIndex, afterReady, warm: performance.now() - again, total, firstAt};
}"""
OURS_ALL_JS = (
    """async (queries) => {
  const BATCH = 200;
  """
    + OURS_LOAD_JS
    + """
  const searcher = new PapershelfSearch.Searcher(meta, load);
  const out = [];
  for (const q of queries) {
    const found = await searcher.search(q + " ", false, 0);  // every match; none scored
    // A broad query finds most papers: ask for their document chunks a batch at a
    // time (the browser refuses thousands of requests at once).
    const refs = found.results.map((r) => r.ref), urls = [];
    for (let i = 0; i < refs.length; i += BATCH) {
      const docs = await searcher.docs(refs.slice(i, i + BATCH));
      for (const d of docs) urls.push("/" + d.u);
    }
    out.push(urls);
  }
  return out;
}"""
)


def run_pagefind(output: Path) -> float:
    started = time.perf_counter()
    command = [
        sys.executable,
        *("-m", "pagefind", "--site", str(output), "--output-subdir", PAGEFIND_DIR),
        *("--glob", "papers/**/*.html", "--root-selector", "main", "--force-language", "zh"),
        "--quiet",
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"pagefind failed: {result.stderr.strip() or result.stdout.strip()}")
    return time.perf_counter() - started


def folder_bytes(folder: Path) -> tuple[int, int]:
    """(raw bytes, bytes as served) of every file in ``folder``."""
    import gzip

    raw = served = 0
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            raw += len(data)
            text_like = path.suffix in (".json", ".js", ".css", ".html")
            served += len(gzip.compress(data, 6)) if text_like else len(data)
    return raw, served


def _browser_queries(base: str, server, script: str, queries: list[str]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for query in queries:
                context = browser.new_context()  # a fresh profile: nothing cached
                page = context.new_page()
                page.goto(base + "about/")
                server.reset()
                timing = page.evaluate(script, [query, RESULTS_SHOWN])
                # Bytes before the first results; all_bytes: by the end (the page of
                # results, its snippets and the warm query).
                first = server.sent_before(timing.pop("firstAt") / 1000)
                rows.append({"query": query, **timing, "bytes": first, "all_bytes": server.sent})
                context.close()
        finally:
            browser.close()
    return rows


def _all_results(base: str, script: str, queries: object, scripts: list[str]) -> list:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(base + "about/")
            for src in scripts:
                page.add_script_tag(url=base + src)
            return page.evaluate(script, queries)
        finally:
            browser.close()


def pagefind_query(query: str) -> str | None:
    """The query in Pagefind's terms: no tag:, ~ or * syntax (its last word is a prefix)."""
    if "tag:" in query:
        return None
    return re.sub(r"~\d\b|\*", "", query)


def measure(output: Path, index_build_s: float | None) -> dict:
    """All figures for one built site (papershelf's index already in output/search)."""
    texts, titles = read_pages(output)
    pagefind_build_s = run_pagefind(output)
    chinese = chinese_queries(texts)
    items = known_items(titles)
    item_queries = [query for query, _ in items]
    engines = {}
    with counting_server(output) as server:
        base = base_url(server)
        ours = _browser_queries(base, server, OURS_JS, PAGE_QUERIES)
        theirs_queries = [q for q in map(pagefind_query, PAGE_QUERIES) if q]
        theirs = _browser_queries(base, server, PAGEFIND_JS, theirs_queries)
        core = ["theme/js/lunr.min.js", "theme/js/search-core.js"]
        ours_found = _all_results(base, OURS_ALL_JS, chinese, core)
        theirs_found = _all_results(base, PAGEFIND_ALL_JS, chinese, [])
        ask = [item_queries, KNOWN_ITEM_RANK]
        ours_first = _all_results(base, OURS_FIRST_JS, ask, core)
        theirs_first = _all_results(base, PAGEFIND_FIRST_JS, ask, [])
    for name, rows, found, first, folder, build_s in (
        ("papershelf", ours, ours_found, ours_first, output / "search", index_build_s),
        ("pagefind", theirs, theirs_found, theirs_first, output / PAGEFIND_DIR, pagefind_build_s),
    ):
        raw, served = folder_bytes(folder)
        recall, precision = recall_precision(found, chinese, texts)
        engines[name] = {
            "index_build_s": build_s,
            "index_bytes": raw,
            "index_bytes_served": served,
            "median_first_result_bytes": statistics.median(r["bytes"] for r in rows),
            "median_cold_ms": statistics.median(r["cold"] for r in rows),
            "median_cold_from_index_ms": statistics.median(r["fromIndex"] for r in rows),
            "median_cold_after_ready_ms": statistics.median(r["afterReady"] for r in rows),
            "median_warm_ms": statistics.median(r["warm"] for r in rows),
            "chinese_recall": recall,
            "chinese_precision": precision,
            "known_item_success": success_at(first, items),
            "queries": rows,
        }
    return {
        "pages": len(texts),
        "chinese_queries": chinese,
        "known_items": [{"query": query, "url": url} for query, url in items],
        "engines": engines,
    }


def format_search_report(figures: dict) -> str:
    lines = [
        f"search: {figures['pages']} paper pages, {len(PAGE_QUERIES)} queries, "
        f"{len(figures['chinese_queries'])} Chinese strings for recall",
        f"{'engine':<12}{'build s':>9}{'index MB':>10}{'served MB':>11}{'first KB':>10}"
        f"{'cold ms':>9}{'from idx':>10}{'typed':>7}{'warm ms':>9}{'zh recall':>11}"
        f"{'zh prec.':>10}{'known@3':>9}",
    ]
    for name, e in figures["engines"].items():
        build = f"{e['index_build_s']:.1f}" if e["index_build_s"] is not None else "?"
        lines.append(
            f"{name:<12}{build:>9}{e['index_bytes'] / 1e6:>10.1f}"
            f"{e['index_bytes_served'] / 1e6:>11.1f}{e['median_first_result_bytes'] / 1e3:>10.1f}"
            f"{e['median_cold_ms']:>9.0f}{e['median_cold_from_index_ms']:>10.0f}"
            f"{e['median_cold_after_ready_ms']:>7.0f}"
            f"{e['median_warm_ms']:>9.1f}"
            f"{e['chinese_recall']:>11.3f}{e['chinese_precision']:>10.3f}"
            f"{e['known_item_success']:>9.2f}"
        )
    lines.append(
        "medians over the queries; first KB: bytes sent (gzip) before the first results of a "
        "cold query; cold ms: from the search's first script request; from idx: from the "
        "index's first request (meta.json, pagefind-entry.json); typed: a cold query sent "
        "once the engine is ready (the worker started on focus, pagefind.init()); known@3: "
        f"share of {len(figures.get('known_items', ()))} known-item searches (the first words "
        "of a title) finding that paper in the first 3"
    )
    return "\n".join(lines)


def search_index_seconds(cache: Path) -> float | None:
    """The full build's index time, with the tokenising that related_papers did for it."""
    try:
        seconds = json.loads((cache / "search-manifest.json").read_text())["build_seconds"]
    except (OSError, ValueError, KeyError):
        return None
    with contextlib.suppress(OSError, ValueError, KeyError):
        seconds += json.loads((cache / "related-papers.json").read_text())["terms_seconds"]
    return seconds
