// Property tests of papershelf's browser search code (search-core.js, search-ui.js) with
// fast-check, for tests/test_search_fuzz.py.
//   node search_fuzz_node.js properties  stdin: {seed, runs: {property: numRuns}}
//        -> {property: {runs, inputs, failed, counterexample, error, slowest_ms}}
//   node search_fuzz_node.js sample      stdin: {seed, count} -> generated queries, parsed
//   node search_fuzz_node.js cases       stdin: queries -> the same, every check run on each
// A parsed query is {q, clauses, filters: [rest, filters], phrases, runs} as search_node.js
// gives them, for comparison with papershelf/search/query.py.
"use strict";
const assert = require("assert");
const fs = require("fs");
const path = require("path");
const fc = require("fast-check");
const core = require(path.join(__dirname, "..", "theme", "static", "js", "search-core.js"));
const gen = require("./search_arbitraries.js");
const { searchBox } = require("./search_dom.js");

const pipeline = core.pipeline(["papershelf-cjk-bigrams", "stopWordFilter", "papershelf-stemmer"]);
// A query of 10,000 to 20,000 characters is parsed, tokenised, marked and cut into a
// snippet within BOUND_MS of CPU time each (CPU time, so that other processes on a busy
// machine do not count; the fastest of five tries, the first running before the JIT has
// compiled the code). Catastrophic backtracking takes seconds, a quadratic loop
// (tag:x"""..."x of 20,000 characters before it was fixed) about 150 ms.
const BOUND_MS = 50;
const PRESENCES = ["required", "prohibited"];
const FILTER_KINDS = ["cat", "year", "after", "before", "source", "rating", "has"];
const OPS = ["=", ">=", "<=", ">", "<"];
const ELLIPSIS = "\u2026";
const SNIPPET_FIELDS = ["summary", "abstract", "note"];
const RUN = /^[\p{L}\p{N}]+(?:(?<=\p{Nd})\.(?=\p{Nd})[\p{L}\p{N}]+)*$/u;
const HIGH = /[\ud800-\udbff]$/;
const LOW = /^[\udc00-\udfff]/;
const inputs = {};

function counted(name) {
  inputs[name] = (inputs[name] || 0) + 1;
}

function queryTerms(q) {
  return [].concat(...core.tokenize(q).map((run) => pipeline.runString(run)));
}

function parsed(q) {
  const split = core.splitFilters(q);
  return { q, clauses: core.parse(q, pipeline), filters: [split.rest, split.filters], phrases: core.phrases(q, pipeline), runs: core.tokenize(q) };
}

/* ---- the query parser: parse, splitFilters, phrases ---- */

function checkClauses(clauses) {
  assert(Array.isArray(clauses) && clauses.length <= 16, "at most 16 clauses");
  assert(!clauses.length || clauses.some((c) => c.presence === "required"), "a required clause, or none");
  const keys = new Set();
  for (const c of clauses) {
    assert.deepStrictEqual(Object.keys(c), ["term", "fields", "presence", "wildcard", "edit_distance"]);
    assert(typeof c.term === "string" && c.term.length > 0 && !/\s/.test(c.term), "a term: " + JSON.stringify(c.term));
    assert(PRESENCES.includes(c.presence) && typeof c.wildcard === "boolean", "presence, wildcard");
    assert([0, 1, 2].includes(c.edit_distance) && !(c.wildcard && c.edit_distance), "edit distance");
    if (c.fields.length === 1) assert(c.fields[0] === "tag" && /^#[0-9a-f]{8}$/.test(c.term), "a tag clause");
    else assert(!c.term.startsWith("#") || c.term.length > 9, "a text clause");
    if (c.edit_distance) assert(c.term.length >= 4, "fuzzy only from 4 characters");
    const key = JSON.stringify(c);
    assert(!keys.has(key), "clauses are unique");
    keys.add(key);
  }
}

function checkFilters(q, split) {
  assert(typeof split.rest === "string" && Array.isArray(split.filters));
  assert(split.rest.length <= q.length, "filters leave a space each");
  for (const f of split.filters) {
    assert(FILTER_KINDS.includes(f.kind) && OPS.includes(f.op) && typeof f.exclude === "boolean", JSON.stringify(f));
    assert(f.kind === "rating" || f.op === "=", "only ratings compare");
    assert(typeof f.value === "string" && f.value === f.value.toLowerCase() && f.value.length > 0, "a lower-case value");
  }
  // The rest holds no filter word any more: splitting it again finds none.
  const again = core.splitFilters(split.rest);
  assert.strictEqual(again.rest, split.rest);
  assert.deepStrictEqual(again.filters, []);
}

function checkQuery(q) {
  counted("query parser");
  const clauses = core.parse(q, pipeline);
  checkClauses(clauses);
  const split = core.splitFilters(q);
  checkFilters(q, split);
  checkClauses(core.parse(split.rest, pipeline));
  const exact = new Set(clauses.filter((c) => c.presence === "required" && !c.wildcard && !c.edit_distance).map((c) => c.term));
  for (const run of core.phrases(q, pipeline)) {
    assert(run.length >= 2 && run.every((t) => exact.has(t)), "a phrase of exact required terms");
  }
}

/* ---- the tokeniser ---- */

function checkTokens(text) {
  counted("tokeniser");
  const runs = core.tokenize(text);
  for (const run of runs) {
    assert(RUN.test(run) || core.isCjk(run), "a word or a CJK run: " + JSON.stringify(run));
    assert.strictEqual(run, run.toLowerCase(), "runs are lower case");
    // A run is its own tokenisation: the rules are stable on their own output.
    assert.deepStrictEqual(core.tokenize(run), [run], "tokenize(run) is [run]: " + JSON.stringify(run));
    for (const term of pipeline.runString(run)) assert(typeof term === "string" && term.length > 0, "a term");
  }
  assert.deepStrictEqual(core.tokenize(runs.join(" ")), runs, "runs joined by spaces give the same runs");
  assert.deepStrictEqual(core.tokenize(text.normalize("NFKC")), runs, "NFKC first");
}

/* ---- marks and snippets: ranges into the text, never cutting a character ---- */

function checkRanges(text, ranges) {
  let end = -1;
  for (const [s, e] of ranges) {
    assert(Number.isInteger(s) && Number.isInteger(e) && s > end && s < e && e <= text.length, "sorted, disjoint ranges");
    assert(!(HIGH.test(text.slice(0, s)) && LOW.test(text.slice(s))), "a range starts inside a character");
    assert(!(HIGH.test(text.slice(0, e)) && LOW.test(text.slice(e))), "a range ends inside a character");
    end = e;
  }
}

function checkMarks(text, terms) {
  counted("highlight");
  const wanted = new Set(terms);
  const ranges = core.highlightRanges(text, wanted, pipeline);
  checkRanges(text, ranges);
  for (const [s, e] of ranges) {
    const marked = text.slice(s, e);
    const found = queryTerms(marked).concat(core.tokenize(marked)).some((t) => wanted.has(t));
    assert(found, "a mark holds a query term: " + JSON.stringify(marked));
  }
  return ranges;
}

function checkSnippet(texts, terms, maxChars) {
  counted("snippet");
  const cut = core.snippet(texts, terms, pipeline, maxChars);
  assert(SNIPPET_FIELDS.includes(cut.field), "a field");
  const source = texts[cut.field] || "";
  let body = cut.text;
  if (body.endsWith(ELLIPSIS) && !source.endsWith(body)) body = body.slice(0, -1);
  if (body.startsWith(ELLIPSIS) && !source.startsWith(body)) body = body.slice(1);
  const at = source.indexOf(body);
  assert(at >= 0, "the snippet is a piece of its field");
  assert(!(HIGH.test(source.slice(0, at)) && LOW.test(body)), "the snippet starts inside a character");
  assert(!(HIGH.test(body) && LOW.test(source.slice(at + body.length))), "the snippet ends inside a character");
  checkRanges(cut.text, cut.ranges);
  return cut;
}

/* ---- the page: search-ui.js shows every string as text, marks as <mark> ---- */

let box = null;

// A marked text: text nodes and <mark>s holding text only, reading `text` in order.
function checkMarked(node, text, ranges, label) {
  let marks = [];
  for (const child of node.childNodes) {
    if (child.nodeType === 3) continue;
    assert.strictEqual(child.tagName, label && !marks.length && child.className === "search-result-source" ? "SPAN" : "MARK");
    assert(child.childNodes.every((n) => n.nodeType === 3), "only text in a mark");
    if (child.tagName === "MARK") marks.push(child.textContent);
  }
  const prefix = label ? label + " " : "";
  assert.strictEqual(node.textContent, prefix + text, "the text, as it was");
  assert.deepStrictEqual(marks, ranges.map(([s, e]) => text.slice(s, e)), "the marks, as the ranges say");
}

async function checkPage(q, docs) {
  counted("page");
  box = box || searchBox();
  const terms = queryTerms(q);
  const items = docs.map((d, ref) => {
    const doc = { t: d.title, s: d.summary, u: "papers/" + ref + "/", d: "2025-10-01", g: d.tags.map((t) => [t, t.toLowerCase()]) };
    const marks = { title: checkMarks(doc.t, terms), summary: checkMarks(doc.s, terms) };
    const snippet = d.snippet ? checkSnippet({ summary: d.summary, abstract: d.abstract, note: d.note }, terms) : undefined;
    return { ref, doc, marks, snippet };
  });
  const { list, panel, allLink } = await box(q, { total: items.length, items });
  if (!q.trim()) return assert(panel.hidden, "a blank query shows no panel");
  assert(!panel.hidden, "the panel shows the answer");
  const asked = new URL(allLink.href).searchParams.get("q");
  assert.strictEqual(asked, q.trim().toWellFormed(), "All results asks for the query");
  assert.strictEqual(list.children.length, items.length, "one result per item");
  list.children.forEach((li, i) => {
    const item = items[i];
    const spans = li.querySelector("a.search-result-title").childNodes;
    assert(spans.length === 1 && spans[0].tagName === "SPAN", "the title link holds its span");
    checkMarked(spans[0], item.doc.t, item.marks.title, "");
    const chips = li.querySelectorAll("button.chip").map((b) => b.textContent);
    assert.deepStrictEqual(chips, item.doc.g.map((t) => t[0]), "tag chips show the tags' names");
    const shown = item.snippet || { field: "summary", text: item.doc.s, ranges: item.marks.summary };
    const label = { abstract: "Abstract:", note: "Curator's note:" }[shown.field] || "";
    checkMarked(li.querySelector("p.search-result-summary"), shown.text, shown.ranges, label);
    const tags = new Set();
    const walk = (node) => node.children.forEach((child) => { tags.add(child.tagName); walk(child); });
    walk(li);
    tags.forEach((tag) => assert(["A", "SPAN", "MARK", "P", "TIME", "BUTTON"].includes(tag), "an element the script makes: " + tag));
  });
  // The snippets of words typed before these arrive late: dropped, the list kept.
  const shown = list.children.length;
  const stale = { type: "snippets", q: q + "x", items: items.map((item) => ({ ref: item.ref })) };
  await box(q, stale);
  assert.strictEqual(list.children.length, shown, "late snippets of other words leave the list");
}

/* ---- a time bound on adversarial input ---- */

let slowest = 0;

function timed(label, fn) {
  let best = Infinity;
  for (let attempt = 0; attempt < 5 && best > BOUND_MS; attempt++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  slowest = Math.max(slowest, best);
  assert(best <= BOUND_MS, label + " took " + best.toFixed(1) + " ms of CPU time (bound " + BOUND_MS + " ms)");
}

function checkTime(huge) {
  counted("time bound");
  const terms = queryTerms("routing 路由 experts a 1 " + huge.slice(0, 40));
  timed("parse", () => core.parse(huge, pipeline));
  timed("splitFilters", () => core.splitFilters(huge));
  timed("phrases", () => core.phrases(huge, pipeline));
  timed("tokenize", () => core.tokenize(huge));
  timed("highlightRanges", () => core.highlightRanges(huge, new Set(terms), pipeline));
  timed("snippet", () => core.snippet({ summary: huge, abstract: huge, note: huge }, terms, pipeline));
}

const doc = fc.record({ title: gen.text, summary: gen.text, abstract: gen.text, note: gen.text,
  tags: fc.array(gen.text, { maxLength: 3 }), snippet: fc.boolean() });

const PROPERTIES = {
  "query parser": () => fc.property(gen.query, checkQuery),
  tokeniser: () => fc.property(fc.oneof(gen.query, gen.text), checkTokens),
  "highlight and snippet": () => fc.property(gen.text, gen.text, gen.text, gen.query, fc.integer({ min: 20, max: 400 }),
    (summary, abstract, note, q, maxChars) => {
      checkMarks(summary, queryTerms(q));
      checkSnippet({ summary, abstract, note }, queryTerms(q), maxChars);
    }),
  page: () => fc.asyncProperty(gen.query, fc.array(doc, { minLength: 1, maxLength: 4 }), checkPage),
  "time bound": () => fc.property(gen.hugeInput, checkTime),
};

async function properties({ seed, runs }) {
  const report = {};
  for (const [name, numRuns] of Object.entries(runs)) {
    Object.keys(inputs).forEach((key) => delete inputs[key]);
    slowest = 0;
    const result = await fc.check(PROPERTIES[name](), { seed, numRuns, endOnFailure: false });
    report[name] = {
      runs: result.numRuns,
      inputs: Object.assign({}, inputs),
      failed: result.failed,
      counterexample: result.counterexample && JSON.stringify(result.counterexample).slice(0, 400),
      error: result.errorInstance ? String(result.errorInstance.message || result.errorInstance) : null,
      slowest_ms: Math.round(slowest * 10) / 10,
    };
  }
  return report;
}

async function cases(queries) {
  for (const q of queries) {
    checkQuery(q);
    checkTokens(q);
    checkSnippet({ summary: q, abstract: q, note: q }, queryTerms(q));
    checkTime(q);
    await checkPage(q, [{ title: q, summary: q, abstract: q, note: q, tags: [q], snippet: true }]);
  }
  return queries.map(parsed);
}

async function main() {
  const input = JSON.parse(fs.readFileSync(0, "utf8"));
  const command = process.argv[2];
  let output;
  if (command === "properties") output = await properties(input);
  else if (command === "sample") output = fc.sample(gen.query, { seed: input.seed, numRuns: input.count }).map(parsed);
  else if (command === "cases") output = await cases(input);
  else throw new Error("unknown command " + command);
  process.stdout.write(JSON.stringify(output));
}

main().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + "\n");
  process.exit(1);
});
