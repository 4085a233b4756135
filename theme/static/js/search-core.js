/* papershelf search, the query side: tokenising, query parsing, and lunr.js over the
 * shards a query needs. The rules mirror papershelf/search_text.py and
 * papershelf/search_query.py; tests run both on the same strings and queries.
 * Runs in the search worker and under Node (tests). No DOM here. */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("lunr"));
  } else {
    root.PapershelfSearch = factory(root.lunr);
  }
})(typeof self !== "undefined" ? self : this, function (lunr) {
  "use strict";

  var MAX_TERM_CHARS = 24;
  var MAX_CLAUSES = 16;
  var PREFIX_MIN_CHARS = 3;
  var RECENT_QUERIES = 20;
  var TEXT_FIELDS_FALLBACK = ["title", "tags", "id", "authors", "summary", "body", "topic", "categories"];
  var CJK_RANGES = [
    [0x1100, 0x11ff], [0x2e80, 0x2fdf], [0x3005, 0x3007], [0x3021, 0x3029],
    [0x3038, 0x303c], [0x3040, 0x30ff], [0x3130, 0x318f], [0x31f0, 0x31ff],
    [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa960, 0xa97f], [0xac00, 0xd7af],
    [0xf900, 0xfaff], [0xff66, 0xff9f], [0x20000, 0x3ffff]
  ];
  var WHITESPACE = "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";

  function hex(code) {
    return "\\u{" + code.toString(16) + "}";
  }
  var CJK_CLASS = "[" + CJK_RANGES.map(function (r) { return hex(r[0]) + "-" + hex(r[1]); }).join("") + "]";
  var LATIN_CHAR = "(?:(?!" + CJK_CLASS + ")[\\p{L}\\p{N}])";
  var RUN = new RegExp(CJK_CLASS + "+|" + LATIN_CHAR + "+(?:(?<=\\p{Nd})\\.(?=\\p{Nd})" + LATIN_CHAR + "+)*", "gu");
  var CJK_ONLY = new RegExp("^" + CJK_CLASS + "+$", "u");
  var ASCII_WORD = /^[a-z0-9.]+$/;
  var LONG_WORD = new RegExp("^[a-z0-9.\\u00c0-\\u024f\\u1e00-\\u1eff]{" + (MAX_TERM_CHARS + 1) + ",}$");
  var WORD = new RegExp('[+-]?[Tt][Aa][Gg]:"[^"]*"?|[+-]?"[^"]*"?|[^' + WHITESPACE + "]+", "g");
  var ENDS_WITH_SPACE = new RegExp("[" + WHITESPACE + "]$");
  var TAG_SEPARATORS = new RegExp("[" + WHITESPACE + "_\\-\\u2010-\\u2015]+", "g");
  var FUZZY = /^([\s\S]*)~([12])$/;

  /* ---- text ---- */

  function runs(text) {
    return text.normalize("NFKC").toLowerCase().match(RUN) || [];
  }

  function tokenize(text) {
    if (!text) return [];
    return runs(text).filter(function (run) { return !LONG_WORD.test(run); });
  }

  function isCjk(run) {
    return CJK_ONLY.test(run);
  }

  function cjkBigrams(token) {
    var text = token.toString();
    var chars = Array.from(text);
    if (chars.length < 3 || !isCjk(text)) return token;
    var bigrams = [];
    for (var i = 0; i < chars.length - 1; i++) {
      bigrams.push(new lunr.Token(chars[i] + chars[i + 1], Object.assign({}, token.metadata)));
    }
    return bigrams;
  }

  function asciiStemmer(token) {
    return ASCII_WORD.test(token.toString()) ? lunr.stemmer(token) : token;
  }

  lunr.Pipeline.registerFunction(cjkBigrams, "papershelf-cjk-bigrams");
  lunr.Pipeline.registerFunction(asciiStemmer, "papershelf-stemmer");

  function processed(text, pipeline) {
    var result = [];
    tokenize(text).forEach(function (run) {
      var latin = !isCjk(run);
      pipeline.runString(run).forEach(function (term) { result.push([term, latin]); });
    });
    return result;
  }

  function tagForm(name) {
    return name.normalize("NFKC").toLowerCase().replace(TAG_SEPARATORS, " ").replace(/^ +| +$/g, "");
  }

  function tagTerm(name) {
    var bytes = new TextEncoder().encode(tagForm(name));
    var value = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      value = Math.imul(value ^ bytes[i], 0x01000193) >>> 0;
    }
    return "#" + value.toString(16).padStart(8, "0");
  }

  /* ---- queries ---- */

  /* `text` without `char` at its end (and its start, if `both`), as Python's rstrip and
   * strip. A loop, not /"+$/: that regular expression backtracks over every run of the
   * character, quadratic in its length (tag:x"""..."x of 10,000 characters took 36 ms). */
  function stripped(text, char, both) {
    var start = 0, end = text.length;
    while (both && start < end && text.charAt(start) === char) start++;
    while (end > start && text.charAt(end - 1) === char) end--;
    return text.slice(start, end);
  }

  function clause(term, fields, presence, wildcard, editDistance) {
    return { term: term, fields: fields, presence: presence, wildcard: !!wildcard, edit_distance: editDistance || 0 };
  }

  function parse(query, pipeline, meta) {
    var textFields = (meta && meta.textFields) || TEXT_FIELDS_FALLBACK;
    var minFuzzy = (meta && meta.minFuzzyChars) || 4;
    var words = query.match(WORD) || [];
    var typing = words.length > 0 && !ENDS_WITH_SPACE.test(query);
    // The first MAX_CLAUSES distinct clauses, in order: once there are that many, later
    // words change nothing, so a long query costs no more than its first words.
    var clauses = [], seen = Object.create(null);
    function add(c) {
      var key = [c.term, c.fields.join(), c.presence, c.wildcard, c.edit_distance].join("\u0000");
      if (clauses.length < MAX_CLAUSES && !seen[key]) clauses.push(c);
      seen[key] = true;
    }
    words.forEach(function (word, position) {
      if (clauses.length >= MAX_CLAUSES) return;
      var presence = word.charAt(0) === "-" ? "prohibited" : "required";
      var operator = word.charAt(0) === "+" || word.charAt(0) === "-";
      var body = operator ? word.slice(1) : word;
      if (body.slice(0, 4).toLowerCase() === "tag:") {
        var name = stripped(body.slice(4), '"', true);
        if (name.trim()) add(clause(tagTerm(name), ["tag"], presence));
        return;
      }
      if (body.slice(-1) === "*") {
        var starRuns = tokenize(stripped(body, "*"));
        if (starRuns.length === 1 && !isCjk(starRuns[0])) {
          add(clause(starRuns[0], textFields, presence, true));
          return;
        }
      }
      var fuzzy = FUZZY.exec(body);
      if (fuzzy) {
        processed(fuzzy[1], pipeline).forEach(function (pair) {
          var distance = pair[1] && pair[0].length >= minFuzzy ? Number(fuzzy[2]) : 0;
          add(clause(pair[0], textFields, presence, false, distance));
        });
        return;
      }
      var terms = processed(body, pipeline);
      var quoted = body.charAt(0) === '"';  // a phrase is exact, even while typing
      var lastWord = typing && position === words.length - 1 && !operator && !quoted;
      terms.forEach(function (pair, number) {
        var prefix = lastWord && number === terms.length - 1 && pair[1] && pair[0].length >= PREFIX_MIN_CHARS;
        add(clause(pair[0], textFields, presence, prefix));
      });
    });
    return clauses.some(function (c) { return c.presence === "required"; }) ? clauses : [];
  }

  /* ---- filters and sorting (papershelf/search/query.py: split_filters, passes, sorted_results) ---- */

  var SORTS = ["relevance", "newest", "score", "rating"];
  var SOURCE_BITS = { feed: 1, "import": 2, note: 4 };
  var FILTER = /^([+-]?)(cat|year|after|before|source|rating|has):([\s\S]*)$/i;
  var DAY = /^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$/;
  var FILTER_VALUES = {
    cat: /^[a-z][a-z-]*(?:\.[a-z-]+)?$/i,
    year: /^[0-9]{4}$/,
    after: DAY,
    before: DAY,
    source: /^(?:note|feed|import)$/i,
    rating: /^(>=|<=|>|<|=)?([1-5](?:\.[05])?)$/,
    has: /^(?:note|rating)$/i
  };

  // {rest, filters}: the query with each filter word left as a space, and the filters.
  function splitFilters(query) {
    var filters = [], seen = {};
    var rest = query.replace(WORD, function (word) {
      var found = FILTER.exec(word);
      if (!found) return word;
      var kind = found[2].toLowerCase(), valid = FILTER_VALUES[kind].exec(found[3]);
      if (valid) {
        var spec = kind === "rating"
          ? { kind: kind, value: valid[2], op: valid[1] || "=", exclude: found[1] === "-" }
          : { kind: kind, value: found[3].toLowerCase(), op: "=", exclude: found[1] === "-" };
        var key = JSON.stringify(spec);
        if (!seen[key]) filters.push(spec);
        seen[key] = true;
      }
      return " ";
    });
    return { rest: rest, filters: filters };
  }

  function holds(spec, record) {
    var value = spec.value;
    switch (spec.kind) {
      case "cat": return record.categories.indexOf(value) >= 0;
      case "year": return record.date.slice(0, 4) === value;
      // An undated paper (date "") is in no year and before or after no day.
      case "after": return record.date !== "" && record.date >= value;
      case "before": return record.date !== "" && record.date < value;
      case "source": return !!(record.sources & SOURCE_BITS[value]);
      case "has": return value === "rating" ? record.rating > 0 : !!(record.sources & 4);
    }
    var rating = record.rating, wanted = Number(value);
    var compare = { "=": rating === wanted, ">=": rating >= wanted, "<=": rating <= wanted,
                    ">": rating > wanted, "<": rating < wanted };
    return rating > 0 && compare[spec.op];
  }

  function passes(filters, record) {
    return filters.every(function (spec) { return holds(spec, record) !== spec.exclude; });
  }

  // `results` (best first) in the reader's order; ties keep their rank.
  function sortedResults(results, recordOf, sort) {
    if (sort === "newest") return results.slice().sort(function (a, b) { return b.ref - a.ref; });
    if (sort !== "score" && sort !== "rating") return results;
    var value = function (r) { var record = recordOf(r.ref); return sort === "score" ? record.score : record.rating; };
    return results.map(function (r, i) { return [value(r), i, r]; })
      .sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; })
      .map(function (entry) { return entry[2]; });
  }

  // One paper's columns from its block (papershelf/search/facets.py: records).
  function columnRecord(block, i) {
    return {
      date: block.d[i],
      sources: block.s[i],
      rating: block.r[i],
      score: block.p[i],
      categories: block.c[i].map(function (n) { return block.cn[n].toLowerCase(); }),
      codes: block.c[i].map(function (n) { return block.cn[n]; }),
      tags: block.g[i].map(function (n) { return block.gn[n]; })
    };
  }

  // Counts beside the results: categories, years, sources and the commonest tags.
  function facetCounts(records) {
    var cats = {}, years = {}, tags = {}, names = {}, sources = { feed: 0, "import": 0, note: 0 };
    records.forEach(function (record) {
      record.codes.forEach(function (code) { cats[code] = (cats[code] || 0) + 1; });
      var year = record.date.slice(0, 4);
      if (year) years[year] = (years[year] || 0) + 1;
      Object.keys(SOURCE_BITS).forEach(function (name) {
        if (record.sources & SOURCE_BITS[name]) sources[name]++;
      });
      record.tags.forEach(function (tag) {
        tags[tag[1]] = (tags[tag[1]] || 0) + 1;
        names[tag[1]] = names[tag[1]] || tag[0];
      });
    });
    function top(counts, limit) {
      return Object.keys(counts).sort(function (a, b) {
        return counts[b] - counts[a] || (a < b ? -1 : a > b ? 1 : 0);
      }).slice(0, limit).map(function (key) { return [key, counts[key]]; });
    }
    return {
      categories: top(cats, 12),
      years: Object.keys(years).sort().reverse().map(function (y) { return [y, years[y]]; }),
      sources: Object.keys(sources).filter(function (s) { return sources[s]; })
        .map(function (s) { return [s, sources[s]]; }),
      tags: top(tags, 10).map(function (pair) { return [names[pair[0]], pair[0], pair[1]]; })
    };
  }

  function scoreKey(score) {
    return Math.floor(score * 1e9 + 0.5);
  }

  /* ---- phrases (papershelf/search/phrases.py) ---- */

  /* Term runs a match must hold adjacent and in order in one field: the terms of a
   * quoted phrase, the bigrams of a Chinese word of 3+ characters. Required words only,
   * and only runs whose terms are all exact required clauses (as in query.py). */
  function phrases(query, pipeline, meta) {
    var exact = Object.create(null);
    parse(query, pipeline, meta).forEach(function (c) {
      if (c.presence === "required" && !c.wildcard && !c.edit_distance) exact[c.term] = true;
    });
    var found = [], seen = Object.create(null);
    (query.match(WORD) || []).forEach(function (word) {
      var body = word.charAt(0) === "+" ? word.slice(1) : word;
      var texts;
      if (body.charAt(0) === '"') texts = [stripped(body, '"', true)];
      else if (body.charAt(0) === "-" || body.slice(0, 4).toLowerCase() === "tag:" || FUZZY.test(body)) return;
      else texts = tokenize(stripped(body, "*")).filter(isCjk);
      texts.forEach(function (text) {
        var terms = processed(text, pipeline).map(function (pair) { return pair[0]; });
        var key = JSON.stringify(terms);
        if (terms.length < 2 || seen[key] || !terms.every(function (t) { return exact[t]; })) return;
        seen[key] = true;
        found.push(terms);
      });
    });
    return found;
  }

  /* Whether some field of `ref` holds the phrase's terms adjacent and in order.
   * positionsOf(term, field, ref) -> ascending positions or undefined. */
  function hasPhrase(phrase, fields, ref, positionsOf) {
    return fields.some(function (field) {
      var first = positionsOf(phrase[0], field, ref);
      if (!first) return false;
      var later = phrase.slice(1).map(function (t) { return positionsOf(t, field, ref) || []; });
      return first.some(function (start) {
        return later.every(function (where, k) { return where.indexOf(start + k + 1) >= 0; });
      });
    });
  }

  function keepPhraseMatches(results, runs, fields, positionsOf) {
    return results.filter(function (r) {
      return runs.every(function (run) { return hasPhrase(run, fields, r.ref, positionsOf); });
    });
  }

  // Positions from a whole lunr index whose postings carry them (the index dump).
  function indexPositions(index) {
    return function (term, field, ref) {
      var posting = index.invertedIndex[term];
      var entry = posting && posting[field] && posting[field][ref];
      return entry && entry.term_positions;
    };
  }

  /* ---- shards ---- */

  // The shard holding `term`: the last one whose first term is <= term (-1: none).
  function shardOf(firstTerms, term) {
    var low = 0, high = firstTerms.length - 1, found = -1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (firstTerms[middle] <= term) { found = middle; low = middle + 1; } else { high = middle - 1; }
    }
    return found;
  }

  function prefixShards(firstTerms, prefix) {
    var start = Math.max(shardOf(firstTerms, prefix), 0);
    var end = start;
    while (end + 1 < firstTerms.length &&
           (firstTerms[end + 1] < prefix || firstTerms[end + 1].slice(0, prefix.length) === prefix)) {
      end++;
    }
    var shards = [];
    for (var i = start; i <= end; i++) shards.push(i);
    return shards;
  }

  /* The shards loaded so far, as what lunr.Index needs for one query at a time.
   * Shard entries are kept as parsed; a term's lunr posting is made the first time a
   * query expands to it. A query's index gets field vectors holding only the query's
   * terms, made when lunr reads them: the score is the dot product with the query
   * vector over its magnitude, so other terms' entries would change nothing. */
  function PartialIndex(meta) {
    this.meta = meta;
    this.fields = meta.fields;
    this.pipeline = lunr.Pipeline.load(meta.pipeline);
    this.entries = Object.create(null);   // term -> [term, index, field, deltas, weights, ...]
    this.postings = Object.create(null);  // term -> lunr posting {_index, field: {ref: {}}}
    this.termOfIndex = Object.create(null);
    this.terms = [];
    this.tokenSet = null;
    this.positions = Object.create(null);  // term -> "field/ref" -> positions
  }

  // A p/<n>.json beside the entries of shard n: per term, for each (text field, ref) of
  // its entry's postings, the number of positions, then their deltas. A big term's entry
  // has no postings per field, so its list says them: [[field, ref deltas, flat], ...].
  PartialIndex.prototype.addPositions = function (entries, lists) {
    var text = Object.create(null);
    (this.meta.textFields || TEXT_FIELDS_FALLBACK).forEach(function (f) { text[f] = true; });
    for (var e = 0; e < entries.length; e++) {
      var entry = entries[e], at = Object.create(null), k = 0, i;
      if (isBigEntry(entry)) {
        for (i = 0; i < lists[e].length; i++) {
          readPositions(at, this.fields[lists[e][i][0]], lists[e][i][1], lists[e][i][2], 0);
        }
      } else {
        for (i = 2; i + 2 < entry.length; i += 3) {
          if (text[this.fields[entry[i]]]) k = readPositions(at, this.fields[entry[i]], entry[i + 1], lists[e], k);
        }
      }
      this.positions[entry[0]] = at;
    }
  };

  // Positions of one field's refs from `flat` at k into at["field/ref"]; returns the next k.
  function readPositions(at, field, deltas, flat, k) {
    for (var j = 0, ref = 0; j < deltas.length; j++) {
      ref += deltas[j];
      var count = flat[k++], where = [], p = 0;
      for (var d = 0; d < count; d++) where.push(p += flat[k++]);
      at[field + "/" + ref] = where;
    }
    return k;
  }

  PartialIndex.prototype.positionsOf = function (term, field, ref) {
    var at = this.positions[term];
    return at && at[field + "/" + ref];
  };

  PartialIndex.prototype.addShard = function (entries) {
    for (var e = 0; e < entries.length; e++) {
      var term = entries[e][0];
      if (this.entries[term]) continue;
      this.entries[term] = entries[e];
      this.terms.push(term);
    }
    this.tokenSet = null;
  };

  PartialIndex.prototype.posting = function (term) {
    var posting = this.postings[term];
    if (posting) return posting;
    var entry = this.entries[term];
    posting = { _index: entry[1] };
    for (var f = 0; f < this.fields.length; f++) posting[this.fields[f]] = {};
    for (var i = 2; i + 2 < entry.length; i += 3) {  // (an odd last item: companions)
      var docs = posting[this.fields[entry[i]]], deltas = entry[i + 1], ref = 0;
      for (var j = 0; j < deltas.length; j++) {
        ref += deltas[j];
        docs[ref] = {};
      }
    }
    this.termOfIndex[entry[1]] = term;
    return (this.postings[term] = posting);
  };

  PartialIndex.prototype.termOf = function (posting) {
    return this.termOfIndex[posting._index];
  };

  // The loaded terms a clause expands to, as lunr.Index.query will expand it.
  PartialIndex.prototype.expand = function (c) {
    if (!this.tokenSet) {
      this.terms.sort();
      this.tokenSet = lunr.TokenSet.fromArray(this.terms);
    }
    return expandClause(this.tokenSet, c);
  };

  PartialIndex.prototype.lunrIndex = function (clauses) {
    var self = this;
    if (!this.tokenSet) {
      this.terms.sort();
      this.tokenSet = lunr.TokenSet.fromArray(this.terms);
    }
    var terms = {};
    clauses.forEach(function (c) { self.expand(c).forEach(function (t) { terms[t] = true; }); });
    var invertedIndex = Object.create(null);
    var ordered = Object.keys(terms).map(function (t) { return self.posting(t); });
    Object.keys(terms).forEach(function (t, i) { invertedIndex[t] = ordered[i]; });
    ordered.sort(function (a, b) { return a._index - b._index; });
    var elements = null;
    var vectors = Object.create(null);
    var fieldVectors = new Proxy(vectors, {
      get: function (target, fieldRef) {
        if (!elements) elements = self.queryElements(ordered);
        return target[fieldRef] || (target[fieldRef] = new lunr.Vector(elements[fieldRef] || []));
      }
    });
    return new lunr.Index({
      invertedIndex: invertedIndex,
      fieldVectors: fieldVectors,
      tokenSet: this.tokenSet,
      fields: this.fields,
      pipeline: this.pipeline
    });
  };

  // fieldRef -> [termIndex, weight, ...] for the given postings (in term index order).
  PartialIndex.prototype.queryElements = function (postings) {
    var elements = Object.create(null);
    for (var p = 0; p < postings.length; p++) {
      var termIndex = postings[p]._index;
      var entry = this.entries[this.termOf(postings[p])];
      for (var i = 2; i + 2 < entry.length; i += 3) {
        var field = this.fields[entry[i]], deltas = entry[i + 1], weights = entry[i + 2], ref = 0;
        for (var j = 0; j < deltas.length; j++) {
          ref += deltas[j];
          var key = field + "/" + ref;
          (elements[key] || (elements[key] = [])).push(termIndex, weights[j] / 1000);
        }
      }
    }
    return elements;
  };

  /* Searches the shards through `load(path)` -> Promise of parsed JSON; reads a
   * result's abstract and note from its page through `loadPage(url)` -> Promise of
   * HTML (optional: without it, results keep their summaries). */
  function Searcher(meta, load, loadPage) {
    this.meta = meta;
    this.load = load;
    this.loadPage = loadPage || null;
    this.passageLoads = new Map();  // ref -> Promise of {a, n}
    this.passageData = new Map();   // ref -> {a, n}, the last PASSAGES_KEPT loaded
    this.partial = new PartialIndex(meta);
    this.shards = Object.create(null);  // shard number -> Promise
    this.vocab = Object.create(null);   // term length -> Promise
    this.chunks = Object.create(null);  // chunk number -> Promise
    this.positionFiles = Object.create(null);  // shard number -> Promise
    this.recent = new Map();  // query -> results, for paging and repeated queries
  }

  Searcher.prototype.parse = function (query) {
    return parse(query, this.partial.pipeline, this.meta);
  };

  Searcher.prototype.shard = function (number) {
    var self = this;
    if (!this.shards[number]) {
      this.shards[number] = this.load("s/" + number + ".json").then(function (entries) {
        self.partial.addShard(entries);
        return entries;
      });
    }
    return this.shards[number];
  };

  // Term positions of shard n (for phrases), once its entries are loaded. Asked for at
  // the query's start, so positions come with the shards, not after them.
  Searcher.prototype.positionFile = function (number) {
    var self = this;
    if (!this.positionFiles[number]) {
      this.positionFiles[number] = Promise.all([this.shard(number), this.load("p/" + number + ".json")])
        .then(function (both) { self.partial.addPositions(both[0], both[1]); });
    }
    return this.positionFiles[number];
  };

  // The shard numbers of the query's phrase terms (none: no phrase).
  Searcher.prototype.phraseShards = function (query) {
    var self = this, wanted = {};
    phrases(query, this.partial.pipeline, this.meta).forEach(function (run) {
      run.forEach(function (t) { wanted[shardOf(self.meta.shards, t)] = true; });
    });
    return Object.keys(wanted).map(Number).filter(function (n) { return n >= 0; });
  };

  // lunr's matches that hold every phrase of the query (loading positions if needed).
  Searcher.prototype.keepPhrases = function (query, results) {
    var self = this;
    var runs = phrases(query, this.partial.pipeline, this.meta);
    if (!runs.length || !results.length) return Promise.resolve(results);
    return Promise.all(this.phraseShards(query).map(this.positionFile, this)).then(function () {
      var fields = self.meta.textFields || TEXT_FIELDS_FALLBACK;
      return keepPhraseMatches(results, runs, fields, self.partial.positionsOf.bind(self.partial));
    });
  };

  Searcher.prototype.fuzzyTerms = function (term, distance) {
    var self = this;
    var lengths = this.meta.vocab.filter(function (n) { return Math.abs(n - term.length) <= distance; });
    return Promise.all(lengths.map(function (n) {
      if (!self.vocab[n]) self.vocab[n] = self.load("v/" + n + ".json");
      return self.vocab[n];
    })).then(function (lists) {
      var all = [].concat.apply([], lists).sort();
      return lunr.TokenSet.fromArray(all).intersect(lunr.TokenSet.fromFuzzyString(term, distance)).toArray();
    });
  };

  // Shard numbers holding every term a clause could expand to.
  Searcher.prototype.shardsFor = function (c) {
    var firstTerms = this.meta.shards;
    if (c.wildcard) return Promise.resolve(prefixShards(firstTerms, c.term));
    if (c.edit_distance) {
      return this.fuzzyTerms(c.term, c.edit_distance).then(function (terms) {
        return terms.map(function (t) { return shardOf(firstTerms, t); });
      });
    }
    return Promise.resolve([shardOf(firstTerms, c.term)]);
  };

  /* {clauses, results: [{ref, score, terms}], scored}, best first. `fresh`: ignore the
   * results kept from the last queries (benchmarks measure the work itself). `k` (all if
   * left out): results[0, scored) are exact and scored >= k; a query touching a big term
   * may leave the rest unscored (prunedSearch). `keep(refs)`: see prunedSearch. */
  Searcher.prototype.search = function (query, fresh, k, keep) {
    var self = this;
    if (k === undefined || k === null) k = Infinity;
    var kept = keep ? null : this.recent.get(query);
    if (kept && !fresh && kept.scored >= Math.min(k, kept.results.length)) {
      this.recent.delete(query);
      this.recent.set(query, kept);
      return Promise.resolve(kept);
    }
    var clauses = this.parse(query);
    if (!clauses.length) return Promise.resolve({ clauses: clauses, results: [], scored: 0 });
    // Positions on their way with the shards (a failure is reported where they are used).
    this.phraseShards(query).forEach(function (n) { self.positionFile(n).catch(function () {}); });
    return Promise.all(clauses.map(function (c) { return self.shardsFor(c); })).then(function (lists) {
      var wanted = {};
      lists.forEach(function (list) { list.forEach(function (n) { if (n >= 0) wanted[n] = true; }); });
      return Promise.all(Object.keys(wanted).map(function (n) { return self.shard(Number(n)); }));
    }).then(function () {
      if (self.touchesBig(clauses)) return self.prunedSearch(clauses, k, self.phraseKeeper(query, keep));
      return self.keepPhrases(query, runQuery(self.partial.lunrIndex(clauses), clauses)).then(function (results) {
        return { clauses: clauses, results: results, scored: results.length };
      });
    }).then(function (found) {
      if (keep) return found;
      self.recent.set(query, found);
      if (self.recent.size > RECENT_QUERIES) self.recent.delete(self.recent.keys().next().value);
      return found;
    });
  };

  Searcher.prototype.doc = function (ref) {
    var size = this.meta.docsPerChunk, number = Math.floor(ref / size);
    if (!this.chunks[number]) this.chunks[number] = this.load("d/" + number + ".json");
    return this.chunks[number].then(function (chunk) { return chunk[ref % size]; });
  };

  Searcher.prototype.docs = function (refs) {
    return Promise.all(refs.map(this.doc, this));
  };

  /* ---- filters, sorts and counts over the column files (c/<n>.json) ---- */

  Searcher.prototype.columnsFor = function (refs) {
    var self = this, size = this.meta.columnBlock || 500, wanted = {};
    if (!this.columns) { this.columns = Object.create(null); this.columnData = Object.create(null); }
    refs.forEach(function (ref) { wanted[Math.floor(ref / size)] = true; });
    return Promise.all(Object.keys(wanted).map(function (n) {
      if (!self.columns[n]) {
        self.columns[n] = self.load("c/" + n + ".json").then(function (block) { self.columnData[n] = block; });
      }
      return self.columns[n];
    }));
  };

  // After columnsFor(refs): the columns of one of them.
  Searcher.prototype.record = function (ref) {
    var size = this.meta.columnBlock || 500;
    return columnRecord(this.columnData[Math.floor(ref / size)], ref % size);
  };

  // Refs any -word of `rest` excludes, each of its clauses on its own (as lunr does).
  Searcher.prototype.excludedRefs = function (rest) {
    var self = this, clauses = [];
    (rest.match(WORD) || []).forEach(function (word) {
      if (word.charAt(0) === "-" && word.length > 1) clauses = clauses.concat(self.parse(word.slice(1) + " "));
    });
    return Promise.all(clauses.map(function (c) { return self.shardsFor(c); })).then(function (lists) {
      var wanted = {};
      lists.forEach(function (list) { list.forEach(function (n) { if (n >= 0) wanted[n] = true; }); });
      return Promise.all(Object.keys(wanted).map(function (n) { return self.shard(Number(n)); }));
    }).then(function () {
      var refs = new Set();
      clauses.forEach(function (c) {
        self.clauseRefs(c).forEach(function (ref) { refs.add(ref); });
      });
      return refs;
    });
  };

  /* search() with the query's filters and a sort: {clauses, filters, results}. Without
   * other words, every paper passing the filters matches, newest first. */
  Searcher.prototype.find = function (query, sort, fresh, k) {
    var self = this;
    if (k === undefined || k === null) k = Infinity;
    sort = SORTS.indexOf(sort) >= 0 ? sort : "relevance";
    var split = splitFilters(query);
    if (!split.filters.length && sort === "relevance") {
      return this.search(split.rest, fresh, k).then(function (found) {
        return { clauses: found.clauses, filters: [], results: found.results, scored: found.scored };
      });
    }
    var key = "\u0000" + sort + "\u0000" + query;
    var kept = this.recent.get(key);
    if (kept && !fresh && kept.scored >= Math.min(k, kept.results.length)) return Promise.resolve(kept);
    var clauses = this.parse(split.rest);
    var ranked, scored = Infinity;
    // Newest needs no score; score and rating keep the relevance order among ties.
    var need = sort === "relevance" ? k : sort === "newest" ? 0 : Infinity;
    var keep = split.filters.length ? function (refs) {
      return self.columnsFor(refs).then(function () {
        return refs.filter(function (ref) { return passes(split.filters, self.record(ref)); });
      });
    } : null;
    if (clauses.length) {
      ranked = this.search(split.rest, fresh, need, keep).then(function (found) {
        if (sort === "relevance") scored = found.scored;
        return found.results;
      });
    } else if (split.filters.length) {
      ranked = this.excludedRefs(split.rest).then(function (excluded) {
        var all = [];
        for (var ref = self.meta.docCount - 1; ref >= 0; ref--) {
          if (!excluded.has(ref)) all.push({ ref: ref, score: 0, terms: [] });
        }
        return all;
      });
    } else {
      ranked = Promise.resolve([]);
    }
    return ranked.then(function (results) {
      return self.columnsFor(results.map(function (r) { return r.ref; })).then(function () {
        var record = self.record.bind(self);
        var passing = results.filter(function (r) { return passes(split.filters, record(r.ref)); });
        var found = { clauses: clauses, filters: split.filters, results: sortedResults(passing, record, sort) };
        found.scored = Math.min(scored, passing.length);
        self.recent.set(key, found);
        if (self.recent.size > RECENT_QUERIES) self.recent.delete(self.recent.keys().next().value);
        return found;
      });
    });
  };

  // The counts beside the results of find(query, sort).
  Searcher.prototype.facets = function (query, sort) {
    var self = this;
    return this.find(query, sort, false, 0).then(function (found) {
      var refs = found.results.map(function (r) { return r.ref; });
      return self.columnsFor(refs).then(function () {
        return { total: refs.length, counts: facetCounts(refs.map(self.record, self)) };
      });
    });
  };

  /* ---- pruned search over big terms (papershelf/search/impacts.py) ----
   * A term in many papers comes as a docset and impact-ordered tiers. For a query
   * touching one, the matches are the docsets intersected (less the -words'), so the
   * count is exact with no score; then a threshold algorithm finds the k best exactly:
   * lunr's score is, per clause group (text words, tag: filters), the sum over the
   * group's terms of (times the term occurs among its clauses) x (its weights summed
   * over fields), over the group's query vector magnitude. Tiers load until the k-th
   * best known (title tier, score) beats the best any other match could still reach. */

  var BIG = -1;

  function isBigEntry(entry) {
    return !!entry && entry[2] === BIG;
  }

  function decodeDocset(docset) {
    var refs = [], i, ref = 0;
    if (docset[0] === "d") {
      for (i = 0; i < docset[1].length; i++) refs.push(ref += docset[1][i]);
    } else {
      var bytes = atob(docset[1]);
      for (i = 0; i < bytes.length; i++) {
        var byte = bytes.charCodeAt(i);
        for (var bit = 0; byte; bit++, byte >>= 1) if (byte & 1) refs.push(i * 8 + bit);
      }
    }
    return Int32Array.from(refs);
  }

  // Sorted ref arrays: a and b; a less b; the union of several (marks over docCount).
  function intersectRefs(a, b) {
    var out = new Int32Array(Math.min(a.length, b.length)), n = 0, i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) i++;
      else if (a[i] > b[j]) j++;
      else { out[n++] = a[i]; i++; j++; }
    }
    return out.subarray(0, n);
  }

  function subtractRefs(a, b) {
    var out = new Int32Array(a.length), n = 0, j = 0;
    for (var i = 0; i < a.length; i++) {
      while (j < b.length && b[j] < a[i]) j++;
      if (j >= b.length || b[j] !== a[i]) out[n++] = a[i];
    }
    return out.subarray(0, n);
  }

  function unionRefs(lists, docCount) {
    if (lists.length === 1) return lists[0];
    var marks = new Uint8Array(docCount), n = 0;
    lists.forEach(function (refs) { for (var i = 0; i < refs.length; i++) marks[refs[i]] = 1; });
    for (var ref = 0; ref < docCount; ref++) n += marks[ref];
    var out = new Int32Array(n);
    for (ref = 0, n = 0; ref < docCount; ref++) if (marks[ref]) out[n++] = ref;
    return out;
  }

  /* One term's papers and what is known of its impacts (in thousandths): all of them
   * for a term written in full, the loaded tiers' for a big one. value(ref): -2 not in
   * the paper, -1 in it but not loaded yet, else impact * 2 + (1 if in the title). */
  function TermLists(entry, fields, docCount) {
    this.term = entry[0];
    this.big = isBigEntry(entry);
    this.loaded = [];  // ref arrays of the postings known
    this.tiers = 0;
    this.bounds = [];
    if (this.big) {
      this.refs = decodeDocset(entry[3]);
      this.bounds = entry[5];
      this.state = new Int32Array(docCount).fill(-2);
      this.told = Object.create(null);  // full terms whose companions were added
      for (var r = 0; r < this.refs.length; r++) this.state[this.refs[r]] = -1;
      this.addTier(entry[4]);
      return;
    }
    var title = fields.indexOf("title"), impact = new Map(), titled = new Set();
    // [big term, ref deltas, values] of its family's big terms (impacts.py Companions)
    this.companions = entry.length % 3 === 0 ? entry[entry.length - 1] : [];
    for (var i = 2; i + 2 < entry.length; i += 3) {
      var deltas = entry[i + 1], weights = entry[i + 2], ref = 0;
      for (var j = 0; j < deltas.length; j++) {
        ref += deltas[j];
        impact.set(ref, (impact.get(ref) || 0) + weights[j]);
        if (entry[i] === title) titled.add(ref);
      }
    }
    this.values = new Map();
    var self = this;
    impact.forEach(function (value, ref) { self.values.set(ref, value * 2 + (titled.has(ref) ? 1 : 0)); });
    this.refs = Int32Array.from(impact.keys()).sort();
    this.loaded.push(this.refs);
  }

  // A tier: [titled count, ref deltas (the titled ones, then from 0 the others), impacts].
  TermLists.prototype.addTier = function (tier) {
    var refs = new Int32Array(tier[1].length);
    for (var i = 0, ref = 0; i < tier[1].length; i++) {
      if (i === tier[0]) ref = 0;
      ref += tier[1][i];
      refs[i] = ref;
      this.state[ref] = tier[2][i] * 2 + (i < tier[0] ? 1 : 0);
    }
    this.loaded.push(refs);
    this.tiers++;
  };

  // What a full term's companions tell of this big term's values.
  TermLists.prototype.addKnown = function (deltas, values) {
    var refs = new Int32Array(deltas.length);
    for (var i = 0, ref = 0; i < deltas.length; i++) {
      refs[i] = ref += deltas[i];
      if (this.state[ref] === -1) this.state[ref] = values[i];
    }
    this.loaded.push(refs);
  };

  TermLists.prototype.value = function (ref) {
    if (this.state) return this.state[ref];
    var value = this.values.get(ref);
    return value === undefined ? -2 : value;
  };

  TermLists.prototype.complete = function () {
    return this.tiers >= this.bounds.length;
  };

  // The highest impact of a paper not loaded yet: [titled, any] (-1: none).
  TermLists.prototype.remaining = function () {
    if (this.complete()) return [-1, -1];
    var bound = this.bounds[this.tiers];
    return [bound[1], Math.max(bound[1], bound[2])];
  };

  PartialIndex.prototype.termLists = function (term) {
    if (!this.lists) this.lists = Object.create(null);
    return this.lists[term] || (this.lists[term] = new TermLists(this.entries[term], this.fields, this.meta.docCount));
  };

  PartialIndex.prototype.isBig = function (term) {
    return isBigEntry(this.entries[term]);
  };

  /* The query as pruned ranking reads it: its required terms (each once, with how many
   * clauses hold it and its group: text words or tag:), the required clauses (as term
   * numbers; `titled`: counted for the title tier) and the -words' terms. Each group
   * scores its terms' impacts over 1000 x its query vector's magnitude. */
  function prunedPlan(partial, clauses) {
    var plan = { terms: [], times: [], group: [], required: [], prohibited: [], groups: [], empty: false };
    var number = Object.create(null), groups = Object.create(null);
    clauses.forEach(function (c) {
      var terms = partial.expand(c);
      if (c.presence !== "required") { plan.prohibited = plan.prohibited.concat(terms); return; }
      if (!terms.length) plan.empty = true;
      var name = c.fields.length === 1 ? c.fields[0] : "";
      if (!(name in groups)) { groups[name] = plan.groups.length; plan.groups.push(0); }
      plan.required.push({ titled: c.fields.indexOf("title") >= 0, terms: terms.map(function (t) {
        if (!(t in number)) {
          number[t] = plan.terms.length;
          plan.terms.push(t);
          plan.times.push(0);
          plan.group.push(groups[name]);
        }
        plan.times[number[t]]++;
        return number[t];
      }) });
    });
    plan.times.forEach(function (times, i) { plan.groups[plan.group[i]] += times * times; });
    plan.scale = plan.groups.map(function (squares) { return 1000 * Math.sqrt(squares); });
    return plan;
  }

  function prunedCandidates(plan, lists, docCount) {
    if (plan.empty || !plan.required.length) return new Int32Array(0);
    var sets = plan.required.map(function (item) {
      return unionRefs(item.terms.map(function (i) { return lists[i].refs; }), docCount);
    }).sort(function (a, b) { return a.length - b.length; });
    var found = sets[0];
    for (var i = 1; i < sets.length; i++) found = intersectRefs(found, sets[i]);
    plan.prohibited.forEach(function (list) { found = subtractRefs(found, list.refs); });
    return found;
  }

  function beats(best, bound) {
    if (best.tier !== bound.tier) return best.tier < bound.tier;
    return scoreKey(best.score) > scoreKey(bound.score * (1 + 1e-12) + 1e-12);
  }

  function byRank(a, b) {
    return a.tier - b.tier || scoreKey(b.score) - scoreKey(a.score) || a.ref - b.ref;
  }

  /* One round: the k best matches ([{tier, score, ref}], best first) if the loaded
   * tiers settle them, else null. `matching`: 1 at each candidate ref. Only the papers
   * of loaded postings are looked at; the others are bounded all at once. */
  function prunedRound(plan, lists, candidates, matching, k) {
    var n = lists.length, exact = [], open = [], seen = [], mark = new Uint8Array(matching.length);
    var titledLeft = [], anyLeft = [], sums = plan.groups.map(function () { return 0; });
    var t, i, g;
    for (t = 0; t < n; t++) {
      var left = lists[t].remaining();
      titledLeft.push(left[0]);
      anyLeft.push(left[1]);
      lists[t].loaded.forEach(function (refs) {
        for (var j = 0; j < refs.length; j++) {
          var ref = refs[j];
          if (matching[ref] && !mark[ref]) { mark[ref] = 1; seen.push(ref); }
        }
      });
    }
    var values = new Int32Array(n);
    for (i = 0; i < seen.length; i++) {
      var ref = seen[i], settled = true;
      for (g = 0; g < sums.length; g++) sums[g] = 0;
      var bounded = sums.slice();
      for (t = 0; t < n; t++) {
        var value = values[t] = lists[t].value(ref);
        if (value >= 0) sums[plan.group[t]] += plan.times[t] * (value >> 1);
        else if (value === -1) { settled = false; bounded[plan.group[t]] += plan.times[t] * anyLeft[t]; }
      }
      var surely = true, maybe = true;
      for (var c = 0; c < plan.required.length; c++) {
        var item = plan.required[c];
        if (!item.titled) continue;
        var inTitle = false, could = false;
        for (var m = 0; m < item.terms.length; m++) {
          var v = values[item.terms[m]];
          if (v >= 0 && (v & 1)) inTitle = true;
          else if (v === -1 && titledLeft[item.terms[m]] >= 0) could = true;
        }
        surely = surely && inTitle;
        maybe = maybe && (inTitle || could);
      }
      var score = 0;
      for (g = 0; g < sums.length; g++) score += (sums[g] + bounded[g]) / plan.scale[g];
      if (settled) exact.push({ tier: surely ? 0 : 1, score: score, ref: ref });
      else open.push({ tier: maybe ? 0 : 1, score: score });
    }
    if (candidates.length > seen.length) {  // matches in no loaded posting: the tiers' bounds
      var unseen = plan.groups.map(function () { return 0; }), possible = true;
      for (t = 0; t < n; t++) if (anyLeft[t] >= 0) unseen[plan.group[t]] += plan.times[t] * anyLeft[t];
      plan.required.forEach(function (item) {
        if (item.titled) possible = possible && item.terms.some(function (m) { return titledLeft[m] >= 0; });
      });
      var most = 0;
      for (g = 0; g < unseen.length; g++) most += unseen[g] / plan.scale[g];
      open.push({ tier: possible ? 0 : 1, score: most });
    }
    exact.sort(byRank);
    if (!open.length || lists.every(function (list) { return list.complete(); })) return exact;
    if (exact.length < k) return null;
    var kth = exact[k - 1];
    return open.every(function (bound) { return beats(kth, bound); }) ? exact.slice(0, k) : null;
  }

  Searcher.prototype.tierFile = function (shard, tier) {
    var key = shard + "-" + tier;
    if (!this.tierFiles) this.tierFiles = Object.create(null);
    if (!this.tierFiles[key]) this.tierFiles[key] = this.load("t/" + key + ".json");
    return this.tierFiles[key];
  };

  // Loads the next tier of each big term not complete yet.
  Searcher.prototype.nextTiers = function (lists) {
    var self = this;
    return Promise.all(lists.filter(function (list) { return !list.complete(); }).map(function (list) {
      var tier = list.tiers;
      return self.tierFile(shardOf(self.meta.shards, list.term), tier).then(function (file) {
        if (list.tiers === tier) list.addTier(file[list.term]);
      });
    }));
  };

  // keep(refs) with the query's phrases (Chinese words of 3+ characters too) checked first.
  Searcher.prototype.phraseKeeper = function (query, keep) {
    var self = this;
    if (!phrases(query, this.partial.pipeline, this.meta).length) return keep;
    return function (refs) {
      var objects = Array.from(refs, function (ref) { return { ref: ref }; });
      var checked = self.keepPhrases(query, objects).then(function (found) {
        return Int32Array.from(found, function (r) { return r.ref; });
      });
      return keep ? checked.then(keep) : checked;
    };
  };

  // Whether a query (its shards loaded) touches a big term: then it is ranked pruned.
  Searcher.prototype.touchesBig = function (clauses) {
    var partial = this.partial;
    return clauses.some(function (c) { return partial.expand(c).some(function (t) { return partial.isBig(t); }); });
  };

  // The refs a clause matches on its own (its terms' papers).
  Searcher.prototype.clauseRefs = function (c) {
    var partial = this.partial;
    return unionRefs(partial.expand(c).map(function (t) { return partial.termLists(t).refs; }), this.meta.docCount);
  };

  /* The pruned search: {clauses, results, scored}: the `k` best first, exact (ref, score,
   * terms), then every other match in ref order, unscored (score null). `keep(refs)` ->
   * Promise of the refs to keep (phrases, filters), applied before ranking. */
  Searcher.prototype.prunedSearch = function (clauses, k, keep) {
    var self = this, partial = this.partial, docCount = this.meta.docCount;
    var plan = prunedPlan(partial, clauses);
    var lists = plan.terms.map(partial.termLists, partial);
    plan.prohibited = plan.prohibited.map(partial.termLists, partial);
    lists.forEach(function (list) {
      (list.companions || []).forEach(function (known) {
        var big = lists[plan.terms.indexOf(known[0])];
        if (!big || !big.state || big.told[list.term]) return;
        big.told[list.term] = true;
        big.addKnown(known[1], known[2]);
      });
    });
    var candidates = prunedCandidates(plan, lists, docCount);
    return (keep ? keep(candidates) : Promise.resolve(candidates)).then(function (kept) {
      candidates = kept;
      var matching = new Uint8Array(docCount);
      for (var i = 0; i < candidates.length; i++) matching[candidates[i]] = 1;
      var want = Math.min(k, candidates.length);
      function round() {
        var top = want ? prunedRound(plan, lists, candidates, matching, want) : [];
        if (top) return top;
        return self.nextTiers(lists).then(round);
      }
      return round();
    }).then(function (top) {
      var results = [], ranked = new Set();
      top.forEach(function (m) {
        ranked.add(m.ref);
        var terms = plan.terms.filter(function (t, i) { return lists[i].value(m.ref) >= 0; });
        results.push({ ref: m.ref, score: m.score, terms: terms });
      });
      for (var i = 0; i < candidates.length; i++) {
        if (!ranked.has(candidates[i])) results.push({ ref: candidates[i], score: null, terms: plan.terms });
      }
      return { clauses: clauses, results: results, scored: top.length };
    });
  };

  // The terms of `tokenSet` a clause matches, as lunr.Index.query expands it.
  function expandClause(tokenSet, c) {
    var spec = { term: c.wildcard ? c.term + "*" : c.term };
    if (c.edit_distance) spec.editDistance = c.edit_distance;
    return tokenSet.intersect(lunr.TokenSet.fromClause(spec)).toArray();
  }

  /* The text fields in which any positive clause has a posting. Positive text clauses are
   * narrowed to them: a field no query term occurs in adds no match and no score, and as
   * every positive clause keeps the same fields, each field's query vector (and so its
   * magnitude) is what it would be with all fields; lunr just skips empty postings.
   * Excluding (-word) clauses keep all their fields. */
  function usedFields(index, clauses) {
    var used = Object.create(null);
    clauses.forEach(function (c) {
      if (c.presence !== "required" || c.fields.length === 1) return;
      expandClause(index.tokenSet, c).forEach(function (term) {
        var posting = index.invertedIndex[term];
        c.fields.forEach(function (field) {
          for (var ref in posting[field]) { used[field] = true; break; }
        });
      });
    });
    return used;
  }

  /* Ranking, as papershelf/search/ranking.py: papers whose title field (title and a note's
   * aliases) holds every required query word come first (tier 0), then the rest (1);
   * `tag:` clauses do not count, an expanding word counts if any of its terms is there.
   * Returns matchData.metadata (term -> field -> ...) -> tier. */
  function titleFirst(index, clauses) {
    var wordSets = clauses.filter(function (c) {
      return c.presence === "required" && c.fields.indexOf("title") >= 0;
    }).map(function (c) { return expandClause(index.tokenSet, c); });
    return function (metadata) {
      var all = wordSets.every(function (terms) {
        return terms.some(function (t) { return metadata[t] && "title" in metadata[t]; });
      });
      return all ? 0 : 1;
    };
  }

  function runQuery(index, clauses) {
    var used = usedFields(index, clauses);
    var narrowed = function (c) {
      if (c.presence !== "required" || c.fields.length === 1) return c.fields;
      var fields = c.fields.filter(function (field) { return used[field]; });
      return fields.length ? fields : c.fields;
    };
    var matches = index.query(function (query) {
      clauses.forEach(function (c) {
        var spec = {
          term: c.term,
          fields: narrowed(c),
          usePipeline: false,
          boost: 1,
          wildcard: c.wildcard ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE,
          presence: c.presence === "required" ? lunr.Query.presence.REQUIRED : lunr.Query.presence.PROHIBITED
        };
        // lunr.TokenSet.fromClause reads any editDistance key, 0 included, as fuzzy,
        // and a fuzzy term's "*" as a letter.
        if (c.edit_distance) spec.editDistance = c.edit_distance;
        query.clause(spec);
      });
    });
    var titleTier = titleFirst(index, clauses);
    matches.forEach(function (m) { m.tier = titleTier(m.matchData.metadata); });
    matches.sort(function (a, b) {
      return a.tier - b.tier || scoreKey(b.score) - scoreKey(a.score) || Number(a.ref) - Number(b.ref);
    });
    return matches.map(function (m) {
      return { ref: Number(m.ref), score: m.score, terms: Object.keys(m.matchData.metadata) };
    });
  }

  // A Latin word's terms under `pipeline`, remembered: results repeat the same words,
  // and the stemmer is most of the cost of marking them.
  var WORD_TERMS_KEPT = 20000;
  var wordTermCaches = new WeakMap();

  function wordTerms(word, pipeline) {
    var cache = wordTermCaches.get(pipeline);
    if (!cache) wordTermCaches.set(pipeline, cache = new Map());
    var found = cache.get(word);
    if (found === undefined) {
      if (cache.size >= WORD_TERMS_KEPT) cache.clear();
      found = pipeline.runString(word.normalize("NFKC").toLowerCase());
      cache.set(word, found);
    }
    return found;
  }

  /* What termHits looks for: the terms, and cheap tests that skip most words without
   * running the pipeline. A Latin word's term is the word lower-cased or its stem, and
   * Porter's stemmer never changes a word's first letter (it only rewrites suffixes);
   * a Chinese run is looked at only when there are Chinese terms. */
  function termMatcher(terms) {
    var firsts = new Set(), cjk = false;
    terms.forEach(function (t) {
      if (isCjk(t)) cjk = true; else firsts.add(t.charAt(0));
    });
    return { terms: terms, firsts: firsts, cjk: cjk };
  }

  var ASCII_RUN = /^[\x00-\x7f]+$/;

  /* [start, end, term] of every word of `text` whose term is in `terms` (a Set, or a
   * termMatcher of one), in order. */
  function termHits(text, terms, pipeline) {
    var matcher = terms instanceof Set ? termMatcher(terms) : terms;
    terms = matcher.terms;
    var hits = [];
    var match;
    var pattern = new RegExp(RUN.source, "gu");
    while ((match = pattern.exec(text || "")) !== null) {
      var run = match[0], start = match.index;
      if (!isCjk(run)) {
        if (ASCII_RUN.test(run) && !matcher.firsts.has(run.charAt(0).toLowerCase())) continue;
        var found = wordTerms(run, pipeline).filter(function (t) { return terms.has(t); });
        if (found.length) hits.push([start, start + run.length, found[0]]);
        continue;
      }
      if (!matcher.cjk) continue;
      var same = run.normalize("NFKC") === run;
      var chars = Array.from(run), offset = start, offsets = [];
      chars.forEach(function (ch) { offsets.push(offset); offset += ch.length; });
      offsets.push(offset);
      if (chars.length === 1 && terms.has(run.normalize("NFKC"))) hits.push([start, offset, run.normalize("NFKC")]);
      for (var i = 0; i + 1 < chars.length; i++) {
        var bigram = same ? chars[i] + chars[i + 1] : (chars[i] + chars[i + 1]).normalize("NFKC");
        if (terms.has(bigram)) hits.push([offsets[i], offsets[i + 2], bigram]);
      }
    }
    return hits.sort(function (a, b) { return a[0] - b[0]; });
  }

  function mergedRanges(hits) {
    var merged = [];
    hits.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]); else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  /* [start, end) UTF-16 ranges of `text` whose terms are in `terms` (a Set), for <mark>. */
  function highlightRanges(text, terms, pipeline) {
    return mergedRanges(termHits(text, terms, pipeline));
  }

  /* ---- snippets: the passage of a result around its matched words ----
   * Widths count a Chinese (Han, kana, Hangul) character as two Latin ones, so a
   * snippet fills about as many lines in either script. */

  var SNIPPET_FIELDS = ["summary", "abstract", "note"];
  var SNIPPET_CHARS = 180;
  var ELLIPSIS = "\u2026";
  var WORD_CHAR = new RegExp("^(?:" + LATIN_CHAR + "|\\p{M})$", "u");
  var LEADING_GAP = /[\s,.;:!?\u3001\u3002\uff0c\uff1b\uff1a\uff01\uff1f)\]\uff09]/;

  function isHighSurrogate(code) { return code >= 0xd800 && code <= 0xdbff; }

  var WIDE_RANGES = CJK_RANGES.filter(function (r) { return r[1] <= 0xffff; });

  function wideUnit(code) {
    if (code < 0x1100) return false;
    for (var i = 0; i < WIDE_RANGES.length; i++) {
      if (code >= WIDE_RANGES[i][0] && code <= WIDE_RANGES[i][1]) return true;
    }
    return false;
  }

  // Prefix sums of the widths of `text`'s UTF-16 units (a pair's two units: 1 each).
  function widths(text) {
    var sums = new Array(text.length + 1);
    sums[0] = 0;
    for (var i = 0; i < text.length; i++) sums[i + 1] = sums[i] + (wideUnit(text.charCodeAt(i)) ? 2 : 1);
    return sums;
  }

  // Whether the code point starting at unit i is a letter, digit or mark of a Latin-like script.
  function wordCharAt(text, i) {
    if (i < 0 || i >= text.length) return false;
    return WORD_CHAR.test(String.fromCodePoint(text.codePointAt(i)));
  }

  // A cut at unit i splits a word (Chinese can be cut anywhere).
  function insideWord(text, i) {
    return i > 0 && i < text.length && wordCharAt(text, i) && wordCharAt(text, i - 1);
  }

  /* The window of `text` of width <= maxChars holding [s, e) (its matched words), cut
   * between words and surrogate pairs: {start, end}. A third of the room goes before. */
  function windowAround(text, s, e, maxChars) {
    var w = widths(text), start = s, end = e, n = text.length;
    var before = Math.floor(Math.max(0, maxChars - (w[e] - w[s])) / 3);
    while (start > 0 && w[s] - w[start - 1] <= before) start--;
    while (end < n && w[end + 1] - w[start] <= maxChars) end++;
    while (end === n && start > 0 && w[end] - w[start - 1] <= maxChars) start--;
    if (start > 0 && start < s && isHighSurrogate(text.charCodeAt(start - 1))) start++;
    if (end < n && end > e && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    if (insideWord(text, start)) {
      while (start < s && wordCharAt(text, start)) start++;
    }
    if (start > 0) while (start < s && LEADING_GAP.test(text.charAt(start))) start++;
    if (insideWord(text, end)) {
      while (end > e && wordCharAt(text, end - 1)) end--;
    }
    while (end > e && /\s/.test(text.charAt(end - 1))) end--;
    return { start: start, end: end };
  }

  /* The passage of a result to show: `texts` {summary, abstract, note}, `terms` its
   * matched terms (result.terms). The window of about `maxChars` holding the most
   * distinct matched terms (ties: the earlier field, then the earlier place), with an
   * ellipsis where text was cut; no match anywhere: the summary's beginning.
   * {field, text, ranges: [[start, end), ...] of the matched words in `text`}. */
  function snippet(texts, terms, pipeline, maxChars) {
    maxChars = maxChars || SNIPPET_CHARS;
    var wanted = termMatcher(terms instanceof Set ? terms : new Set(terms || []));
    var best = { field: "summary", count: 0, s: 0, e: 0, hits: [] };
    SNIPPET_FIELDS.forEach(function (field) {
      var text = (texts && texts[field]) || "";
      var hits = text ? termHits(text, wanted, pipeline) : [];
      if (!hits.length) return;
      // Windows starting at each hit, as a sliding window: hits end in the order they start.
      var w = widths(text), counts = new Map(), distinct = 0, j = 0;
      for (var i = 0; i < hits.length; i++) {
        while (j < hits.length && (j === i || w[hits[j][1]] - w[hits[i][0]] <= maxChars)) {
          var n = counts.get(hits[j][2]) || 0;
          if (!n) distinct++;
          counts.set(hits[j][2], n + 1);
          j++;
        }
        if (distinct > best.count) best = { field: field, count: distinct, s: hits[i][0], e: hits[j - 1][1], hits: hits };
        var left = counts.get(hits[i][2]) - 1;
        counts.set(hits[i][2], left);
        if (!left) distinct--;
      }
    });
    var text = (texts && texts[best.field]) || "";
    var cut = windowAround(text, best.s, best.e, maxChars);
    var prefix = cut.start > 0 ? ELLIPSIS : "";
    var shift = prefix.length - cut.start;
    var inside = best.hits.filter(function (h) { return h[0] >= cut.start && h[1] <= cut.end; });
    return {
      field: best.field,
      text: prefix + text.slice(cut.start, cut.end) + (cut.end < text.length ? ELLIPSIS : ""),
      ranges: mergedRanges(inside).map(function (r) { return [r[0] + shift, r[1] + shift]; })
    };
  }

  /* ---- a result's summary, abstract and note, read from its paper page ----
   * The page has them whole (templates/paper.html: its description, p.abstract,
   * div.note-body), so the index keeps no copy: a result page fetches its results'
   * pages (a few KB each, compressed by the host), not chunks of twenty papers' texts. */

  var PASSAGES_KEPT = 200;  // papers whose texts a worker keeps
  var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0" };

  function decodeEntities(text) {
    return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, function (whole, name) {
      if (name.charAt(0) !== "#") return ENTITIES[name.toLowerCase()] || whole;
      var code = name.charAt(1).toLowerCase() === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    });
  }

  var BLOCK_TAG = /<\/?(?:p|div|li|ol|ul|dl|dt|dd|br|hr|h[1-6]|pre|blockquote|table|tr|td|th|section|figure|figcaption)\b[^>]*>/gi;

  // The text of an HTML fragment: a block's tags become a space, other tags nothing,
  // entities characters, a formula its TeX (KaTeX's MathML keeps it as an annotation),
  // runs of white space one space.
  function fragmentText(fragment) {
    var text = fragment.replace(/<math\b[^>]*>([\s\S]*?)<\/math>/gi, function (whole, inner) {
      var tex = /<annotation\b[^>]*>([\s\S]*?)<\/annotation>/i.exec(inner);
      return tex ? tex[1] : inner;
    });
    text = text.replace(BLOCK_TAG, " ").replace(/<[^>]*>/g, "");
    return decodeEntities(text).replace(/\s+/g, " ").trim();
  }

  // The content of the element whose start tag matches `opening` (a RegExp), up to its
  // own end tag (elements of the same name inside it counted); "" without one.
  function elementText(html, opening, name) {
    var start = opening.exec(html);
    if (!start) return "";
    var from = start.index + start[0].length, depth = 1, tag = new RegExp("<(/?)" + name + "\\b[^>]*>", "gi"), m;
    tag.lastIndex = from;
    while ((m = tag.exec(html))) {
      depth += m[1] ? -1 : 1;
      if (!depth) break;
    }
    return fragmentText(html.slice(from, m ? m.index : html.length));
  }

  /* The summary (the page's description), the abstract and the curator's note of a
   * paper page's HTML: {s, a, n}. */
  function pageTexts(html) {
    var description = /<meta name="description" content="([^"]*)"/.exec(html);
    return {
      s: description ? fragmentText(description[1]) : "",
      a: elementText(html, /<p class="abstract"[^>]*>/, "p"),
      n: elementText(html, /<div class="note-body"[^>]*>/, "div")
    };
  }

  // The summary, abstract and note of a paper, from its page (loadPage(doc.u) -> Promise
  // of its HTML). A page that fails to load gives {} (the result keeps its summary) and is
  // asked for again later; without loadPage every paper gives {}.
  Searcher.prototype.passages = function (ref) {
    var self = this;
    if (!this.loadPage) return Promise.resolve({});
    if (!this.passageLoads.has(ref)) {
      this.passageLoads.set(ref, this.doc(ref).then(function (doc) {
        return self.loadPage(doc.u);
      }).then(function (html) {
        var texts = pageTexts(html);
        self.passageData.set(ref, texts);
        if (self.passageData.size > PASSAGES_KEPT) {
          var oldest = self.passageData.keys().next().value;
          self.passageData.delete(oldest);
          self.passageLoads.delete(oldest);
        }
        return texts;
      }, function () {
        self.passageLoads.delete(ref);
        return {};
      }));
    }
    return this.passageLoads.get(ref);
  };

  // passages(ref) if its page is loaded already, else undefined: no waiting.
  Searcher.prototype.loadedPassages = function (ref) {
    if (!this.loadPage) return {};
    return this.passageData.get(ref);
  };

  /* ---- the stored files (shards.py stored_file) ---- */

  // An index file as fetched: gzip, unpacked here; or already unpacked, by a host
  // that sent it with Content-Encoding: gzip (then it starts with JSON, not 1f 8b).
  function unpackJSON(bytes) {
    if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
      return Promise.resolve(JSON.parse(new TextDecoder().decode(bytes)));
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  return {
    tokenize: tokenize,
    isCjk: isCjk,
    tagForm: tagForm,
    tagTerm: tagTerm,
    parse: parse,
    splitFilters: splitFilters,
    passes: passes,
    facetCounts: facetCounts,
    phrases: phrases,
    keepPhraseMatches: keepPhraseMatches,
    indexPositions: indexPositions,
    runQuery: runQuery,
    scoreKey: scoreKey,
    shardOf: shardOf,
    PartialIndex: PartialIndex,
    Searcher: Searcher,
    highlightRanges: highlightRanges,
    snippet: snippet,
    pageTexts: pageTexts,
    unpackJSON: unpackJSON,
    pipeline: function (labels) { return lunr.Pipeline.load(labels); }
  };
});
