"""Hypothesis strategies for the property tests: documents close to the real formats
(feeds, notes, tags.yml, the three import formats, settings values, search queries,
hostile markup), and the text they are made of. Mutations live in tests/mutations.py."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from hypothesis import strategies as st

# --- text -------------------------------------------------------------------------

# What editors, feeds and copy-paste put in text that a parser must survive.
CONTROL = [chr(c) for c in (*range(1, 9), 11, 12, *range(14, 32), 127)]
BIDI = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u061c"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
ODD = [
    "\u0301",  # a combining mark with nothing to combine with
    "\u2028",  # line and paragraph separators: str.splitlines splits on them
    "\u2029",
    "\x85",
    "\ufffd",
    "\U0001f680",
    "\U0001f4d6",
    "ｍｏｅ",  # full width
    "ﬁ",  # a ligature NFKC unfolds
    "İ",  # case folding changes its length
    "ß",
]
WORDS = [
    "LLM",
    "MoE",
    "mixture",
    "experts",
    "speculative",
    "decoding",
    "quantization",
    "attention",
    "reasoning",
    "RL",
    "KV",
    "cache",
    "模型",
    "混合专家",
    "推理",
    "稀疏",
    "Transformer",
    "Schönlieb",
    "José",
    "Ωmega",
    "x²",
    "$O(n^2)$",
    "<think>",
    "&amp;",
    "&",
    "<b>",
    '"quoted"',
    "C++",
    "a,b",
    "n-gram",
    "2512.00001",
]
HOSTILE = CONTROL + BIDI + ZERO_WIDTH + ODD + ["\0", "\r", "\t", "\\", "`", "'", '"', "<", ">"]

words = st.sampled_from(WORDS)
hostile_chars = st.sampled_from(HOSTILE)
any_chars = st.characters(codec="utf-8")  # no lone surrogates: text that can be saved


@st.composite
def phrase(draw, max_words: int = 8, hostile: bool = True) -> str:
    """Words of the real vocabulary, sometimes with hostile characters and arbitrary
    Unicode between or inside them."""
    parts = draw(st.lists(words, min_size=1, max_size=max_words))
    if hostile and draw(st.booleans()):
        extra = draw(st.lists(st.one_of(hostile_chars, st.text(any_chars, max_size=6)), max_size=4))
        for item in extra:
            parts.insert(draw(st.integers(0, len(parts))), item)
    return draw(st.sampled_from([" ", "", "  ", ", "])).join(parts)


one_line = phrase().map(lambda text: " ".join(text.splitlines()))
dates = st.dates().map(lambda day: day.isoformat())
plausible_dates = st.dates(min_value=__import__("datetime").date(1991, 1, 1)).map(
    lambda day: day.isoformat()
)


@st.composite
def arxiv_ids(draw, plausible: bool = True) -> str:
    if (
        not plausible and draw(st.integers(0, 14)) == 0
    ):  # shaped like one, but no month 56 nor 6 digits
        year, month = draw(st.integers(0, 99)), draw(st.integers(13, 99))
        return f"{year:02d}{month}.{draw(st.integers(0, 999999))}"
    if draw(st.integers(0, 9)) == 0:  # old style
        archive = draw(st.sampled_from(["hep-th", "math.AG", "cs", "cond-mat"]))
        return f"{archive}/{draw(st.integers(9101, 701231)):07d}"
    year, month = draw(st.integers(7, 30)), draw(st.integers(1, 12))
    digits = 4 if year < 15 else 5
    return f"{year:02d}{month:02d}.{draw(st.integers(1, 10**digits - 1)):0{digits}d}"


def xml_text(text: str) -> str:
    """``text`` escaped for XML, characters XML 1.0 forbids left out (the feed's
    generator would not write them; the mutations put them back as raw bytes)."""
    allowed = "".join(c for c in text if c in "\t\n\r" or ord(c) >= 32 and c not in "\ufffe\uffff")
    return escape(allowed)


# --- feeds ------------------------------------------------------------------------


@st.composite
def feed_entries(draw) -> dict:
    return {
        "id": draw(arxiv_ids(plausible=False)),
        "version": draw(st.integers(1, 12)),
        "title": draw(phrase()),
        "authors": draw(st.lists(phrase(max_words=3), max_size=5)),
        "abstract": draw(phrase(max_words=40)),
        "categories": draw(
            st.lists(st.sampled_from(["cs.CL", "cs.LG", "cs.AI", "stat.ML", "68T05", "bogus"]))
        ),
        "type": draw(st.sampled_from(["new", "cross", "replace", "replace-cross", "", "weird"])),
        "date": draw(st.one_of(dates, st.just(""), st.text(max_size=10))),
        "comment": draw(st.one_of(st.just(""), phrase())),
    }


def _rss_item(entry: dict) -> str:
    link = f"https://arxiv.org/abs/{entry['id']}"
    categories = "".join(f"<category>{xml_text(c)}</category>" for c in entry["categories"])
    description = (
        f"arXiv:{entry['id']}v{entry['version']} Announce Type: {entry['type']} \n"
        f"Abstract: {entry['abstract']}"
    )
    return (
        f"<item><title>{xml_text(entry['title'])}</title><link>{link}</link>"
        f"<description>{xml_text(description)}</description>"
        f"<guid isPermaLink='false'>oai:arXiv.org:{entry['id']}v{entry['version']}</guid>"
        f"{categories}<pubDate>{xml_text(entry['date'])}</pubDate>"
        f"<arxiv:announce_type>{xml_text(entry['type'])}</arxiv:announce_type>"
        f"<dc:creator>{xml_text(', '.join(entry['authors']))}</dc:creator></item>"
    )


def _atom_entry(entry: dict, api: bool) -> str:
    ident = f"http://arxiv.org/abs/{entry['id']}v{entry['version']}"
    if not api:
        ident = f"oai:arXiv.org:{entry['id']}v{entry['version']}"
    authors = "".join(f"<author><name>{xml_text(a)}</name></author>" for a in entry["authors"])
    categories = "".join(
        f'<category term="{xml_text(c)}" scheme="http://arxiv.org/schemas/atom"/>'
        for c in entry["categories"]
    )
    primary = (
        f'<arxiv:primary_category term="{xml_text(entry["categories"][0])}"/>'
        if entry["categories"]
        else ""
    )
    return (
        f"<entry><id>{ident}</id><title>{xml_text(entry['title'])}</title>"
        f"<summary>{xml_text(entry['abstract'])}</summary>"
        f"<published>{xml_text(entry['date'])}T00:00:00Z</published>"
        f"<updated>{xml_text(entry['date'])}T00:00:00Z</updated>{authors}"
        f'<link href="https://arxiv.org/abs/{entry["id"]}" rel="alternate"/>'
        f"{primary}{categories}<arxiv:comment>{xml_text(entry['comment'])}</arxiv:comment>"
        f"<arxiv:announce_type>{xml_text(entry['type'])}</arxiv:announce_type></entry>"
    )


@st.composite
def feed_documents(draw) -> str:
    """An arXiv RSS 2.0 listing, an Atom listing or an API answer."""
    kind = draw(st.sampled_from(["rss", "atom", "api"]))
    entries = draw(st.lists(feed_entries(), max_size=6))
    day = draw(dates)
    if kind == "rss":
        items = "".join(map(_rss_item, entries))
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:arxiv="http://arxiv.org/schemas/atom" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
            f"<title>cs.CL updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.CL</link>"
            f"<description>cs.CL updates</description><pubDate>{day}</pubDate>"
            f"{items}</channel></rss>\n"
        )
    title = "ArXiv Query: search_query=id" if kind == "api" else "cs.CL updates on arXiv.org"
    body = "".join(_atom_entry(entry, kind == "api") for entry in entries)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom">'
        f"<title>{title}</title><id>http://arxiv.org/api/x</id><updated>{day}T00:00:00Z</updated>"
        f"{body}</feed>\n"
    )


# --- notes ------------------------------------------------------------------------

NOTE_KEYS = [
    "Title",
    "Arxiv",
    "Date",
    "Modified",
    "Authors",
    "Tags",
    "Rating",
    "Venue",
    "Affiliations",
    "Code",
    "Links",
    "Aliases",
    "Summary",
    "Lang",
    "Slug",
    "Status",
]
ODD_KEYS = ["title", "TAGS", "Titel", "Tag", "X-Key", "Summary ", "Rating_", "a"]


@st.composite
def note_values(draw, key: str) -> str:
    common = {
        "Arxiv": st.one_of(arxiv_ids(), one_line),
        "Date": st.one_of(dates, one_line),
        "Modified": st.one_of(dates, one_line),
        "Rating": st.one_of(
            st.sampled_from(["4", "4.5", "5", "0", "6", "nan", "inf", "-1", "1e308", "4.25"]),
            one_line,
        ),
        "Lang": st.sampled_from(["zh", "en", "zh-Hans", "x", "english", ""]),
        "Status": st.sampled_from(["published", "draft", "hidden", "gone"]),
        "Code": st.sampled_from(["https://github.com/a/b", "javascript:alert(1)", "ftp://x", "/p"]),
        "Links": st.sampled_from(["https://example.org/a,b", "data:text/html,x", "//evil", "/x"]),
        "Slug": st.sampled_from(["good-slug", "../up", ".hidden", "中文", "a/b", "ok.v2"]),
    }
    return draw(common.get(key, one_line))


@st.composite
def note_documents(draw) -> str:
    """A note: header lines (known and odd keys, duplicates, continuation lines), a
    blank line, a Markdown body with raw HTML, math and links."""
    keys = draw(st.lists(st.sampled_from(NOTE_KEYS + ODD_KEYS), max_size=12))
    if draw(st.booleans()):
        keys = ["Title", "Date", *keys]
    lines = []
    for key in keys:
        lines.append(f"{key}:{draw(st.sampled_from([' ', '', '  ']))}{draw(note_values(key))}")
        for _ in range(draw(st.integers(0, 2))):
            lines.append(draw(st.sampled_from(["    ", "\t", " "])) + draw(one_line))
    body_lines = draw(
        st.lists(
            st.one_of(
                phrase(max_words=15),
                st.sampled_from(
                    [
                        "## Key idea",
                        "$$\\frac{a}{b}$$",
                        "[a link](/papers/2512.00001/)",
                        "[bad](/papers/nowhere/)",
                        '<a href="/digest/2025-01-01/">x</a>',
                        "<script>alert(1)</script>",
                        "![img](data:image/png;base64,AAAA)",
                        "| a | b |\n|---|---|\n| 1 | 2 |",
                        "```\ncode\n```",
                        "> quote",
                    ]
                ),
            ),
            max_size=8,
        )
    )
    return "\n".join(lines) + "\n\n" + "\n\n".join(body_lines) + "\n"


# --- tags.yml ---------------------------------------------------------------------

tag_names = st.one_of(phrase(max_words=3), st.sampled_from(["MoE", "LLM", "LLMs", "RL", "模型"]))
yaml_scalars = st.one_of(
    tag_names,
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.sampled_from(
        [
            "~",
            "null",
            "yes",
            "&anchor",
            "*alias",
            "!!python/object:os.system",
            "2025-13-01",
            "!!timestamp 2025-13-01",
            "[",
            "{",
        ]
    ),
)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


@st.composite
def tags_yml_documents(draw) -> str:
    """tags.yml: entries ``Tag: {aliases: [...], keep_apart: [...]}`` in block or flow
    style, with odd values, unknown keys and duplicate tags."""
    lines = ["# tag aliases"]
    for _ in range(draw(st.integers(0, 6))):
        name = draw(tag_names).replace("\n", " ")
        aliases = draw(st.lists(yaml_scalars, max_size=4))
        entry: dict = {}
        if draw(st.booleans()) or not aliases:
            entry["aliases"] = aliases
        if draw(st.integers(0, 3)) == 0:
            entry["keep_apart"] = draw(st.lists(tag_names, max_size=2))
        if draw(st.integers(0, 5)) == 0:
            entry[draw(st.sampled_from(["alias", "Aliases", "see"]))] = draw(yaml_scalars)
        if draw(st.integers(0, 5)) == 0:
            entry = draw(yaml_scalars)
        style = draw(st.sampled_from(["flow", "block", "raw"]))
        if style == "flow":
            lines.append(f"{_json(name)}: {_json(entry)}")
        elif style == "block" and isinstance(entry, dict):
            lines.append(f"{json.dumps(name, ensure_ascii=False)}:")
            for key, value in entry.items():
                lines.append(f"  {key}: {json.dumps(value, ensure_ascii=False, default=str)}")
        else:  # as a person types it, unquoted
            lines.append(f"{name}:\n  aliases: [{', '.join(map(str, aliases))}]")
    return "\n".join(lines) + "\n"


# --- search queries ---------------------------------------------------------------

FILTER_WORDS = [
    "cat:cs.CL",
    "cat:",
    "year:2025",
    "year:20",
    "after:2025-10-01",
    "before:2025-10",
    "source:note",
    "source:x",
    "rating:>=4",
    "rating:4.5",
    "rating:9",
    "has:note",
    "has:rating",
    "CAT:CS.LG",
]


@st.composite
def query_words(draw) -> str:
    word = draw(st.one_of(words, st.text(any_chars, min_size=1, max_size=8), hostile_chars))
    form = draw(
        st.sampled_from(
            [
                "{w}",
                "-{w}",
                "+{w}",
                '"{w} {w}"',
                '"{w}',
                "tag:{w}",
                'tag:"{w} {w}"',
                "-tag:{w}",
                "{w}*",
                "{w}~1",
                "{w}~2",
                "{w}~3",
                "*",
                "~",
                '"',
                "-",
                "+",
                "tag:",
                'tag:"',
            ]
        )
    )
    if draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(FILTER_WORDS)).replace(":", draw(st.sampled_from([":", ": "])))
    return form.replace("{w}", word)


@st.composite
def search_queries(draw) -> str:
    """What a reader types: words, phrases, tags, prefixes, fuzzy words and filters,
    in any number (past MAX_CLAUSES too), with any white space, maybe still typing."""
    parts = draw(st.lists(query_words(), max_size=20))
    spaces = st.sampled_from([" ", "  ", "\t", "\u3000", "\n", "\u00a0", ""])
    text = "".join(part + draw(spaces) for part in parts)
    return text if draw(st.booleans()) else text.rstrip()


# --- hostile markup ---------------------------------------------------------------

JS_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "DATA:text/html;base64,PHNjcmlwdD4=",
    "data:image/png;base64,AAAA",
    "https://example.org/ok",
    "/papers/x/",
]
TAGS = [
    "a",
    "img",
    "p",
    "div",
    "span",
    "svg",
    "math",
    "script",
    "iframe",
    "style",
    "object",
    "embed",
    "form",
    "input",
    "button",
    "details",
    "table",
    "td",
    "ol",
    "code",
    "annotation-xml",
    "mi",
    "base",
    "meta",
    "link",
    "template",
    "noscript",
    "textarea",
    "xmp",
    "SCRIPT",
    "ScRiPt",
]
ATTRIBUTES = [
    "href",
    "src",
    "onerror",
    "onclick",
    "ONLOAD",
    "onmouseover",
    "style",
    "id",
    "class",
    "dir",
    "formaction",
    "xlink:href",
    "srcdoc",
    "action",
    "cite",
    "lang",
    "title",
    "align",
    "type",
    "open",
    "background",
]


@st.composite
def hostile_markup(draw, depth: int = 0) -> str:
    """HTML as an attacker writes it: dangerous tags, event handlers, script URLs in
    every spelling, broken quoting, comments, CDATA and nesting."""
    pieces = []
    for _ in range(draw(st.integers(1, 4))):
        choice = draw(st.integers(0, 9))
        if choice <= 5:
            tag = draw(st.sampled_from(TAGS))
            attributes = []
            for _ in range(draw(st.integers(0, 3))):
                name = draw(st.sampled_from(ATTRIBUTES))
                value = draw(st.one_of(st.sampled_from(JS_URLS), st.just("alert(1)"), phrase(3)))
                quote = draw(st.sampled_from(['"', "'", ""]))
                attributes.append(f"{name}={quote}{value}{quote}")
            separator = draw(st.sampled_from([" ", "/", "\t", "\n"]))
            inner = draw(hostile_markup(depth + 1)) if depth < 3 and draw(st.booleans()) else ""
            inner = inner or draw(phrase(3))
            close = draw(st.sampled_from([f"</{tag}>", "", f"</{tag} >", "</ " + tag + ">"]))
            pieces.append(f"<{tag}{separator}{' '.join(attributes)}>{inner}{close}")
        elif choice == 6:
            pieces.append(
                draw(
                    st.sampled_from(
                        [
                            "<!-- <script>alert(1)</script> -->",
                            "<![CDATA[<script>x</script>]]>",
                            "<!--><img src=x onerror=alert(1)>-->",
                            "</title><script>alert(1)</script>",
                            "<svg><script>alert(1)</script></svg>",
                            "<math><mi xlink:href=javascript:x>",
                            "<img src=x onerror=alert(1)//",
                            '<a href="javascript:x"',
                            "<<script>>",
                        ]
                    )
                )
            )
        elif choice == 7:
            pieces.append(f"[link]({draw(st.sampled_from(JS_URLS))})")
        else:
            pieces.append(draw(phrase(5)))
    return "".join(pieces)
