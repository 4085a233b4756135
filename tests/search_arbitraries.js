// fast-check arbitraries for search queries and indexed texts (tests/search_fuzz_node.js):
// a grammar close to what readers type, then mutations of it (broken quotes, control
// and invisible characters, lone surrogates, odd cases, repeated operators).
"use strict";
const fc = require("fast-check");

const WORDS = [
  "sparse", "routing", "MoE", "moe", "LLM", "llm", "quantization", "quantized", "attention",
  "attension", "models", "reasoning", "the", "of", "and", "speculative", "decoding", "2512.01234",
  "3.1", "v2", "gpt-4", "co-training", "naïve", "Über", "café", "résumé", "RL", "agents",
  "Transformer", "infer", "inference", "experts", "mixture", "a", "i", "x",
];
const CJK = ["专家", "混合", "路由", "推理", "模型", "大语言模型", "延迟", "策略", "注意力", "量"];
const OTHER_SCRIPTS = ["トランスフォーマー", "ひらがな", "모델", "한국어", "Модель", "σύστημα", "ΣΑΣ", "نموذج", "मॉडल"];
const SEPARATORS = [" ", " ", " ", "  ", "\t", "\n", "\u3000", "\u00a0", "\u2003"];
const FILTER_VALUES = {
  cat: ["cs.CL", "cs.cv", "stat.ML", "cs", "cs.", "x.y.z", "1cs", "cs-ai.lg", "ﬁ", "\u212aa", "cs.ſd", "İt"],
  year: ["2025", "1999", "20", "abcd", "２０２５"],
  after: ["2025-10-01", "2025-10", "2025", "2025-1", "2025-10-1"],
  before: ["2025-10-01", "2026", "2025-13-99", "25-10"],
  source: ["note", "feed", "import", "Note", "IMPORT", "x", "notes", "ımport", "İmport"],
  rating: [">=4", "<=3.5", ">2", "<5", "=4", "4", "4.5", "6", "0", ">=4.2", "=>4", ">=", "5.0"],
  has: ["note", "rating", "Note", "x", "", "ratıng"],
};
// Keys as typed, and with a letter that only Unicode case folding reads as ASCII.
const LOOKALIKES = { s: "ſ", i: "ı", k: "\u212a" };
const keyForms = (key) => [key, key.toUpperCase(), key[0].toUpperCase() + key.slice(1),
  key.replace(/[sik]/, (c) => LOOKALIKES[c])];
// Characters that have broken parsers: quotes, controls, bidi and zero-width marks, lone
// surrogates, characters whose case or NFKC form changes length or script (Turkish i,
// long s, Kelvin sign, ligatures, full-width forms), astral letters and emoji.
const TRICKY = [
  '"', '"', "'", "*", "~", "-", "+", ":", "\\", "<", ">", "&", "<mark>", "</mark>", "<img src=x onerror=alert(1)>",
  "\u0000", "\u0001", "\u001c", "\u001f", "\u007f", "\u0085", "\u00ad",
  "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e",
  "\u200e", "\u200f", "\u061c", "\u202a", "\u202e", "\u2066", "\u2069",
  "\ud800", "\udfff", "\udbff", "\udc00",
  "\u0301", "\u0308", "İ", "ı", "ſ", "\u212a", "\u212b", "ß", "ẞ", "ǅ", "Σ", "ﬁ", "ﬀ",
  "Ａ", "ｔａｇ", "：", "＂", "＊", "～", "①", "½", "²", "٣", "𝐀", "😀", "𠀀", "ｶ", "ﾞ", "〇",
  "\u3000", "\u2028", "\u2029", "\u1680", "\u205f",
];

const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 3, arbitrary: fc.constantFrom(...CJK) },
  { weight: 1, arbitrary: fc.constantFrom(...OTHER_SCRIPTS) },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-zA-Z0-9]{1,30}$/) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...CJK)).map((p) => p.join("")) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...CJK), fc.constantFrom(...WORDS)).map((p) => p.join("")) },
);
const words = fc.array(word, { minLength: 1, maxLength: 4 });
const closing = fc.constantFrom('"', '"', '"', "");
const phrase = fc.tuple(words, fc.constantFrom(...SEPARATORS), closing).map(([w, sep, end]) => '"' + w.join(sep) + end);
const tag = fc.tuple(fc.constantFrom("tag:", "Tag:", "TAG:"), fc.oneof(word, phrase, fc.constant(""), fc.constant('""')))
  .map((p) => p.join(""));
const filter = fc.constantFrom(...Object.keys(FILTER_VALUES))
  .chain((key) => fc.tuple(fc.constantFrom(...keyForms(key)), fc.constantFrom(...FILTER_VALUES[key])))
  .map(([key, value]) => key + ":" + value);
const prefixed = fc.tuple(word, fc.constantFrom("*", "*", "**")).map((p) => p.join(""));
const fuzzy = fc.tuple(word, fc.constantFrom("~1", "~2", "~", "~3", "~0", "~12")).map((p) => p.join(""));
const item = fc.tuple(
  fc.constantFrom("", "", "", "-", "+", "--", "+-"),
  fc.oneof({ weight: 5, arbitrary: word }, { weight: 2, arbitrary: phrase }, { weight: 2, arbitrary: tag },
    { weight: 3, arbitrary: filter }, { weight: 1, arbitrary: prefixed }, { weight: 1, arbitrary: fuzzy }),
).map((p) => p.join(""));

// A query as a reader types it: items, separators, and perhaps a trailing space.
const grammarQuery = fc.tuple(
  fc.array(fc.tuple(item, fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 7 }),
  fc.boolean(),
).map(([parts, trailing]) => {
  const text = parts.map((p) => p[0] + p[1]).join("");
  return trailing ? text : text.replace(/\s+$/, "");
});

// Mutations: insert tricky characters, repeat a slice (repeated operators), cut anywhere
// (unbalanced quotes, a surrogate pair split in two).
const trickyText = fc.string({ unit: fc.constantFrom(...TRICKY), minLength: 1, maxLength: 6 });
const mutation = fc.oneof(
  fc.tuple(fc.constant("insert"), fc.nat(), trickyText),
  fc.tuple(fc.constant("repeat"), fc.nat(), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: 12 })),
  fc.tuple(fc.constant("cut"), fc.nat()),
);

function mutate(text, [kind, at, a, b]) {
  const i = text.length ? at % (text.length + 1) : 0;
  if (kind === "insert") return text.slice(0, i) + a + text.slice(i);
  if (kind === "repeat") return text.slice(0, i) + text.slice(i, i + a).repeat(b) + text.slice(i + a);
  return text.slice(0, i);
}

const mutatedQuery = fc.tuple(grammarQuery, fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([text, steps]) => steps.reduce(mutate, text));
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...TRICKY, ...WORDS, ...CJK, ...SEPARATORS), maxLength: 12 }),
);

const query = fc.oneof(
  { weight: 4, arbitrary: grammarQuery },
  { weight: 4, arbitrary: mutatedQuery },
  { weight: 1, arbitrary: anyText },
);

// Texts as the index holds them (titles, summaries, abstracts, notes, tag names): the
// same words in sentences, markup-like and invisible characters among them.
const text = fc.array(fc.oneof({ weight: 5, arbitrary: word }, { weight: 1, arbitrary: trickyText },
  { weight: 2, arbitrary: fc.constantFrom(...SEPARATORS, ", ", ". ", "。", "，", "(", ")") }), { maxLength: 60 })
  .map((parts) => parts.join(""));

// Inputs of 10,000 to 20,000 characters made to provoke slow regular expressions: long
// repeats of one pattern, after a start and before an end that may spoil a match.
const HUGE_PATTERNS = [
  '"', "-", "+", "*", "~", "~1", "a", "a ", "1.", "1.1", ".1", "tag:", 'tag:"', '"a', "-tag:", "cat:",
  "rating:>=", "after:2025-", "x*", "a~1 ", "路", "路由 ", "MoE路由", "\u0301", "a\u0301", "\u200b",
  "\ud800", "😀", "ﬁ", "\u3000", " ", "\t\n", "< >", "<mark>", "&amp;", "A", "İ",
];
const hugeInput = fc.tuple(fc.constantFrom("", "", "x", "tag:x", "-", '"', "cat:"), fc.constantFrom(...HUGE_PATTERNS),
  fc.constantFrom("", "!", '"', "x", "1", "~", "*"), fc.integer({ min: 10000, max: 20000 }))
  .map(([start, pattern, end, size]) => start + pattern.repeat(Math.ceil(size / pattern.length)).slice(0, size) + end);

module.exports = { query, grammarQuery, text, hugeInput, words };
