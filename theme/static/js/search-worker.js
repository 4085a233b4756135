/* papershelf search worker: loads the index shards a query needs and runs lunr.js.
 * Messages in:  {type: "init", base, site}             base: URL of the index folder,
 *                                                       site: of the site's root
 *               {type: "search", id, q, sort, offset, limit, fresh}   fresh: recompute
 *               {type: "facets", id, q, sort}         counts beside the results
 * Messages out: {type: "ready", docCount}                 meta.json is loaded
 *               {type: "results", id, q, total, offset, final, more, items: [{ref, doc, marks, snippet}]}
 *                 (first the best results with their data, then with final: true all;
 *                 doc: the d/ entry {t, u, d, g})
 *                 snippet: {field, text, ranges} (search-core.js: snippet), once the
 *                 paper's page is loaded (its abstract and note); else absent and the summary is shown
 *               {type: "snippets", id, q, offset, items: [{ref, snippet}]}
 *                 after a final message with more: true, when the pages of its
 *                 items are loaded (the last message of that search)
 *               {type: "facets", id, q, total, counts}   (search-core.js: facetCounts)
 *               {type: "error", id, message} */
/* global importScripts, PapershelfSearch */

var indexRequested = 0;  // epoch ms: when meta.json was asked for (reported for benchmarks)
// The page may name the index folder in the worker URL's fragment, so that meta.json
// is on its way while the scripts below load.
var early = null;
if (self.location.hash) {
  var named = new URL(decodeURIComponent(self.location.hash.slice(1)), self.location.href);
  if (named.origin === self.location.origin) early = start(named.href);  // never elsewhere
}
importScripts("search-bundle.js");  // lunr.min.js, then search-core.js (made by the build)

var ready = null;

// Every file but meta.json is stored compressed, under its name and meta.stored.
function loader(base, meta) {
  var suffix = meta.stored || "";
  return function (path) {
    var address = base + path + suffix + "?v=" + encodeURIComponent(meta.version);
    return fetch(address).then(function (response) {
      if (!response.ok) throw new Error(path + ": HTTP " + response.status);
      return response.arrayBuffer();
    }).then(function (buffer) {
      return PapershelfSearch.unpackJSON(new Uint8Array(buffer));
    });
  };
}

// A paper page's HTML, by its URL under the site's root; never from elsewhere.
function pageLoader(site) {
  return function (url) {
    var address = new URL(url, site);
    if (address.origin !== self.location.origin) return Promise.reject(new Error(url + ": not this site's"));
    return fetch(address.href).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      return response.text();
    });
  };
}

function start(base) {
  indexRequested = performance.timeOrigin + performance.now();
  // meta.json is revalidated on every visit; the files it names carry its version.
  var meta = fetch(base + "meta.json", { cache: "no-cache" }).then(function (response) {
    if (!response.ok) throw new Error("meta.json: HTTP " + response.status);
    return response.json();
  });
  meta.catch(function () {});  // reported when a search awaits it
  return { base: base, meta: meta };
}

function item(result, doc, pipeline) {
  var terms = new Set(result.terms);
  return {
    ref: result.ref,
    doc: doc,
    marks: {
      title: PapershelfSearch.highlightRanges(doc.t, terms, pipeline),
      summary: PapershelfSearch.highlightRanges(doc.s || "", terms, pipeline)
    }
  };
}

// The passage shown under a result, once the paper's page is loaded (d/ holds no
// summary: a doc that has one, a test's, keeps it).
function withSnippet(searcher, entry, result, pipeline) {
  var passages = searcher.loadedPassages(result.ref);
  if (passages && !entry.snippet) {
    var texts = { summary: passages.s || entry.doc.s || "", abstract: passages.a, note: passages.n };
    entry.snippet = PapershelfSearch.snippet(texts, result.terms, pipeline);
  }
  return entry;
}

// Posts the results twice: as soon as the best ones have their titles and summaries
// (final: false), then the whole page (final: true). Each chunk is a request of its own.
// The paper pages (abstracts and notes) are asked for after the titles, so they never
// delay the first results; snippets not ready by the final message follow in a
// "snippets" one.
function search(searcher, message) {
  // The page's results are exact; those after it may be unscored (search-core.js prunedSearch).
  var wanted = message.offset + message.limit;
  return searcher.find(message.q, message.sort, message.fresh, wanted).then(function (found) {
    var page = found.results.slice(message.offset, message.offset + message.limit);
    var pipeline = searcher.partial.pipeline;
    var items = [];
    var shown = 0;
    function snippetted(i) {
      return withSnippet(searcher, items[i], page[i], pipeline);
    }
    function reply(final) {
      var sent = items.slice(0, shown).map(function (entry, i) { return snippetted(i); });
      var more = final && page.some(function (r) { return searcher.loadedPassages(r.ref) === undefined; });
      self.postMessage({
        type: "results",
        id: message.id,
        q: message.q,
        total: found.results.length,
        offset: message.offset,
        final: final,
        more: more,
        indexRequested: indexRequested,
        items: sent
      });
      if (more) {
        Promise.all(page.map(function (r) { return searcher.passages(r.ref); })).then(function () {
          self.postMessage({
            type: "snippets",
            id: message.id,
            q: message.q,
            offset: message.offset,
            items: page.map(function (r, i) { return { ref: r.ref, snippet: snippetted(i).snippet }; })
          });
        });
      }
    }
    if (!page.length) return reply(true);
    var docs = page.map(function (result) { return searcher.doc(result.ref); });
    page.forEach(function (result) { searcher.passages(result.ref); });
    return new Promise(function (resolve, reject) {
      docs.forEach(function (loading, i) {
        loading.then(function (doc) {
          items[i] = item(page[i], doc, pipeline);
          var before = shown;
          while (shown < page.length && items[shown]) shown++;
          if (shown === page.length) {
            reply(true);
            resolve();
          } else if (before === 0 && shown > 0) {
            reply(false);
          }
        }, reject);
      });
    });
  });
}

self.onmessage = function (event) {
  var message = event.data;
  if (message.type === "init") {
    if (!ready) {
      var pending = early && early.base === message.base ? early : start(message.base);
      ready = pending.meta.then(function (meta) {
        self.postMessage({ type: "ready", docCount: meta.docCount });
        var pages = message.site ? pageLoader(message.site) : null;
        return new PapershelfSearch.Searcher(meta, loader(pending.base, meta), pages);
      });
    }
    return;
  }
  if (message.type !== "search" && message.type !== "facets") return;
  if (!ready) {
    self.postMessage({ type: "error", id: message.id, message: "search was not initialised" });
    return;
  }
  ready.then(function (searcher) {
    if (message.type === "search") return search(searcher, message);
    return searcher.facets(message.q, message.sort).then(function (found) {
      self.postMessage({ type: "facets", id: message.id, q: message.q, total: found.total, counts: found.counts });
    });
  }).then(null, function (error) {
    self.postMessage({ type: "error", id: message.id, message: String(error && error.message || error) });
  });
};
