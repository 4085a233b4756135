// Runs search-core.js's snippet() under Node, for tests/test_search_snippets.py.
//   node snippet_node.js           stdin: [[texts, query, maxChars], ...] -> snippets
//   node snippet_node.js firsts    stdin: words -> those whose terms start otherwise
//   node snippet_node.js pages     stdin: paper pages' HTML -> their {a, n} (pageTexts)
// The query's terms are what lunr would report as matched: its words after the
// pipeline (stems, Chinese bigrams).
"use strict";
const fs = require("fs");
const path = require("path");
const core = require(path.join(__dirname, "..", "theme", "static", "js", "search-core.js"));

const pipeline = core.pipeline(["papershelf-cjk-bigrams", "stopWordFilter", "papershelf-stemmer"]);
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const terms = (query) => [].concat(...core.tokenize(query).map((run) => pipeline.runString(run)));
const firstChanged = (word) => pipeline.runString(word).some((t) => t.charAt(0) !== word.charAt(0));
const modes = {
  firsts: () => input.filter(firstChanged),
  pages: () => input.map(core.pageTexts),
  snippets: () => input.map(([texts, query, maxChars]) => core.snippet(texts, terms(query), pipeline, maxChars)),
};
const output = modes[process.argv[2] || "snippets"]();
process.stdout.write(JSON.stringify(output));
