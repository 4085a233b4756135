// Runs papershelf's browser search code under Node, for the tests.
//   node search_node.js tokenize        stdin: strings  -> their runs
//   node search_node.js terms           stdin: strings  -> their terms after the pipeline
//   node search_node.js clauses         stdin: queries  -> parsed clauses
//   node search_node.js phrases         stdin: queries  -> their phrases (term runs)
//   node search_node.js shards <dir>    stdin: queries  -> [ref, score] over the shards
//   node search_node.js whole <dump>    stdin: queries  -> the same over a whole lunr index
//   node search_node.js filters         stdin: queries  -> [rest, filters] of splitFilters
//   node search_node.js find <dir>      stdin: [query, sort] pairs -> [ref, score] over the shards
//   node search_node.js pruned <dir>    stdin: [query, k, sort] -> {top: [ref, score] (the exact ones),
//                                       refs (all, as returned), scored, tiers: t/ files loaded}
//   node search_node.js pages <dir>     stdin: [query, [k, ...]] -> per k, the first k refs, asked of one
//                                       Searcher in turn (as the worker pages)
"use strict";
const fs = require("fs");
const path = require("path");
const core = require(path.join(__dirname, "..", "theme", "static", "js", "search-core.js"));
const lunr = require(path.join(__dirname, "..", "node_modules", "lunr"));

const LABELS = ["papershelf-cjk-bigrams", "stopWordFilter", "papershelf-stemmer"];
const [command, target] = process.argv.slice(2);
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const pipeline = lunr.Pipeline.load(LABELS);

// A built index folder's files as the worker gets them: meta.json, then every other
// file under its stored name, unpacked by search-core.js.
function loader(folder, seen) {
  let suffix = null;
  return (name) => {
    if (seen) seen.push(name);
    if (name === "meta.json") {
      const meta = JSON.parse(fs.readFileSync(path.join(folder, name), "utf8"));
      suffix = meta.stored || "";
      return Promise.resolve(meta);
    }
    return core.unpackJSON(new Uint8Array(fs.readFileSync(path.join(folder, name + suffix))));
  };
}

function wholeIndexSearch(dumpPath) {
  const index = lunr.Index.load(JSON.parse(fs.readFileSync(dumpPath, "utf8")));
  const meta = { textFields: ["title", "tags", "id", "authors", "summary", "body", "topic", "categories"], minFuzzyChars: 4 };
  return input.map((q) => {
    const clauses = core.parse(q, index.pipeline, meta);
    if (!clauses.length) return [];
    const runs = core.phrases(q, index.pipeline, meta);
    const results = core.runQuery(index, clauses);
    return core.keepPhraseMatches(results, runs, meta.textFields, core.indexPositions(index))
      .map((r) => [r.ref, r.score]);
  });
}

async function main() {
  let output;
  if (command === "tokenize") output = input.map((text) => core.tokenize(text));
  else if (command === "terms") {
    output = input.map((text) => [].concat(...core.tokenize(text).map((run) => pipeline.runString(run))));
  } else if (command === "clauses") output = input.map((q) => core.parse(q, pipeline));
  else if (command === "phrases") output = input.map((q) => core.phrases(q, pipeline));
  else if (command === "shards") {
    const load = loader(target);
    const meta = await load("meta.json");
    const searcher = new core.Searcher(meta, load);
    output = [];
    for (const q of input) {
      const found = await searcher.search(q);
      output.push(found.results.map((r) => [r.ref, r.score]));
    }
  } else if (command === "whole") output = wholeIndexSearch(target);
  else if (command === "filters") {
    output = input.map((q) => { const split = core.splitFilters(q); return [split.rest, split.filters]; });
  } else if (command === "find") {
    const load = loader(target);
    const searcher = new core.Searcher(await load("meta.json"), load);
    output = [];
    for (const [q, sort] of input) {
      const found = await searcher.find(q, sort);
      output.push(found.results.map((r) => [r.ref, r.score]));
    }
  }
  else if (command === "pruned") {
    const loaded = [];
    const load = loader(target, loaded);
    const meta = await load("meta.json");
    output = [];
    for (const [q, k, sort] of input) {
      loaded.length = 0;
      const found = await new core.Searcher(meta, load).find(q, sort || "relevance", true, k);
      output.push({
        top: found.results.slice(0, found.scored).map((r) => [r.ref, r.score]),
        refs: found.results.map((r) => r.ref),
        scored: found.scored,
        tiers: loaded.filter((name) => name.startsWith("t/")).length,
      });
    }
  }
  else if (command === "pages") {
    const load = loader(target);
    const searcher = new core.Searcher(await load("meta.json"), load);
    const [q, ks] = input;
    output = [];
    for (const k of ks) {
      const found = await searcher.find(q, "relevance", false, k);
      output.push(found.results.slice(0, k).map((r) => r.ref));
    }
  }
  else throw new Error("unknown command " + command);
  process.stdout.write(JSON.stringify(output));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\n");
  process.exit(1);
});
