"""Scripts the search bench runs in the page, beside bench_search's timing ones.

``*_FIRST_JS`` get the known-item queries and a rank and return, per query, the
URL paths of that many first results (papershelf.devtools.search_quality
``known_items`` chooses the queries, ``success_at`` scores them);
``PAGEFIND_ALL_JS`` returns every result, for Chinese recall and precision.
"""

from __future__ import annotations

# How the page reads our index: meta.json as it is, every other file stored
# compressed (meta.stored names the suffix) and unpacked by search-core.js.
OURS_LOAD_JS = """const base = location.origin + "/search/";
  const meta = await (await fetch(base + "meta.json")).json();
  const load = async (path) => PapershelfSearch.unpackJSON(
    new Uint8Array(await (await fetch(base + path + (meta.stored || ""))).arrayBuffer()));"""
OURS_FIRST_JS = (
    """async ([queries, rank]) => {
  """
    + OURS_LOAD_JS
    + """
  const searcher = new PapershelfSearch.Searcher(meta, load);
  const out = [];
  for (const q of queries) {
    const found = await searcher.search(q + " ");
    const docs = await searcher.docs(found.results.slice(0, rank).map((r) => r.ref));
    out.push(docs.map((d) => "/" + d.u));
  }
  return out;
}"""
)
PAGEFIND_FIRST_JS = """async ([queries, rank]) => {
  const pagefind = await import("/pagefind/pagefind.js");
  const out = [];
  for (const q of queries) {
    const found = await pagefind.search(q);
    const data = await Promise.all(found.results.slice(0, rank).map((r) => r.data()));
    out.push(data.map((d) => new URL(d.url, location.origin).pathname));
  }
  return out;
}"""
PAGEFIND_ALL_JS = """async (queries) => {
  const BATCH = 200;
  const pagefind = await import("/pagefind/pagefind.js");
  const out = [];
  for (const q of queries) {
    const found = await pagefind.search(q);
    const urls = [];
    for (let i = 0; i < found.results.length; i += BATCH) {
      const data = await Promise.all(found.results.slice(i, i + BATCH).map((r) => r.data()));
      for (const d of data) urls.push(new URL(d.url, location.origin).pathname);
    }
    out.push(urls);
  }
  return out;
}"""
