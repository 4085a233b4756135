// Renders TeX to MathML for papershelf.notes.katex: one JSON request per stdin line,
// {"tex": "...", "display": true}, one JSON answer per stdout line, in order:
// {"mathml": "<span class=\"katex\"><math>...</math></span>"} or {"error": "..."}.
// Usage: node katex_render.js <path of the katex package>
"use strict";

const readline = require("node:readline");
const katex = require(process.argv[2] || "katex");

// MathML only: KaTeX's HTML output needs inline styles, which the site's CSP forbids.
// trust: false keeps \href, \htmlClass and the like out; maxSize caps \rule and \kern.
const OPTIONS = { output: "mathml", throwOnError: true, trust: false, strict: "ignore", maxSize: 10 };

// Browsers implement MathML Core, which ignores mathvariant except "normal": so
// \mathbb{R} would show as an italic R. Unicode has the styled letters themselves
// (U+1D400 on); use those. Per variant: the code point of A, of 0, of capital Alpha.
const VARIANTS = {
  bold: [0x1d400, 0x1d7ce, 0x1d6a8],
  italic: [0x1d434, null, 0x1d6e2],
  "bold-italic": [0x1d468, null, 0x1d71c],
  script: [0x1d49c, null, null],
  "bold-script": [0x1d4d0, null, null],
  fraktur: [0x1d504, null, null],
  "double-struck": [0x1d538, 0x1d7d8, null],
  "bold-fraktur": [0x1d56c, null, null],
  "sans-serif": [0x1d5a0, 0x1d7e2, null],
  "bold-sans-serif": [0x1d5d4, 0x1d7ec, 0x1d756],
  "sans-serif-italic": [0x1d608, null, null],
  "sans-serif-bold-italic": [0x1d63c, null, 0x1d790],
  monospace: [0x1d670, 0x1d7f6, null],
};
// Letters Unicode had encoded before (in Letterlike Symbols): the block has holes there.
const HOLES = {
  "italic h": "ℎ",
  ...Object.fromEntries([..."BEFHILMRego"].map((c, i) => [`script ${c}`, "ℬℰℱℋℐℒℳℛℯℊℴ"[i]])),
  ...Object.fromEntries([..."CHIRZ"].map((c, i) => [`fraktur ${c}`, "ℭℌℑℜℨ"[i]])),
  ...Object.fromEntries([..."CHNPQRZ"].map((c, i) => [`double-struck ${c}`, "ℂℍℕℙℚℝℤ"[i]])),
};
// Greek in the order of the math blocks: capitals (ϴ in the gap at U+03A2), nabla,
// small letters, then partial and the variant forms.
const GREEK = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡϴΣΤΥΦΧΨΩ∇αβγδεζηθικλμνξοπρςστυφχψω∂ϵϑϰϕϱϖ";

function styled(char, variant) {
  const [latin, digit, greek] = VARIANTS[variant];
  if (HOLES[`${variant} ${char}`]) return HOLES[`${variant} ${char}`];
  const code = char.codePointAt(0);
  if (char >= "A" && char <= "Z") return String.fromCodePoint(latin + code - 65);
  if (char >= "a" && char <= "z") return String.fromCodePoint(latin + 26 + code - 97);
  if (digit && char >= "0" && char <= "9") return String.fromCodePoint(digit + code - 48);
  const index = GREEK.indexOf(char);
  if (greek && index >= 0) return String.fromCodePoint(greek + index);
  return null;
}

function unicodeVariants(mathml) {
  return mathml.replace(/<(mi|mn) mathvariant="([a-z-]+)">([^<&]+)<\/\1>/g, (tag, name, variant, text) => {
    if (!VARIANTS[variant]) return tag;
    const chars = [...text].map((char) => styled(char, variant));
    return chars.includes(null) ? tag : `<${name}>${chars.join("")}</${name}>`;
  });
}

// An operator name alone in a script, fraction or root (M_{\max}) comes out of KaTeX as
// two bare children, <mi>max</mi><mo>&#x2061;</mo>, where MathML allows one: msub would
// get three. Grouped in an mrow they are one, as KaTeX itself does for \max_i.
const FUNCTION_NAME = /(<mi(?: [a-z-]+="[^"]*")*>[^<]*<\/mi><mo>\u2061<\/mo>)(?!<\/mrow>)/g;

function groupFunctionNames(mathml) {
  return mathml.replace(FUNCTION_NAME, (pair, _, offset) =>
    mathml.endsWith("<mrow>", offset) ? pair : `<mrow>${pair}</mrow>`,
  );
}

function render(request) {
  try {
    const options = { ...OPTIONS, displayMode: !!request.display };
    const mathml = katex.renderToString(request.tex, options);
    return { mathml: unicodeVariants(groupFunctionNames(mathml)) };
  } catch (error) {
    return { error: String(error && error.message ? error.message : error) };
  }
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  process.stdout.write(JSON.stringify(render(JSON.parse(line))) + "\n");
});
