"""Result snippets: search-core.js's snippet() and pageTexts() under Node (the
abstract and note read from a paper page), and the search page in Chromium showing
the passage around the words."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from .browser import chromium_page, requires_chromium, serve
from .search_helpers import (
    KEYWORDS,
    requires_node,
    run_script,
    synthetic_search_files,
)
from .sites import FEEDS, build, fetch, site_settings

LATIN_WORD = "abcdefghijklmnopqrstuvwxyz0123456789"
ELLIPSIS = "\u2026"


def run_snippets(cases: list, *args: str) -> list:
    return run_script("snippet_node.js", cases, *args)


def snip(texts: dict, query: str, max_chars: int = 180) -> dict:
    return run_snippets([[texts, query, max_chars]])[0]


def page_texts(*pages: str) -> list[dict]:
    return run_snippets(list(pages), "pages")


def units(text: str) -> bytes:
    return text.encode("utf-16-le", "surrogatepass")


def marked(found: dict) -> list[str]:
    """The marked words: ranges are UTF-16 units, as JavaScript counts."""
    data = units(found["text"])
    return [data[2 * a : 2 * b].decode("utf-16-le") for a, b in found["ranges"]]


def width(text: str) -> int:
    return sum(2 if "\u4e00" <= ch <= "\u9fff" else len(units(ch)) // 2 for ch in text)


def assert_cut_between_words(found: dict, original: str) -> None:
    text = found["text"]
    core = text.removeprefix(ELLIPSIS).removesuffix(ELLIPSIS)
    start = original.index(core)
    end = start + len(core)
    if start > 0:
        assert text.startswith(ELLIPSIS)
        assert not (
            original[start - 1].lower() in LATIN_WORD and original[start].lower() in LATIN_WORD
        )
    if end < len(original):
        assert text.endswith(ELLIPSIS)
        assert not set(original[end - 1 : end + 1].lower()) <= set(LATIN_WORD)
    text.encode("utf-8")  # raises on a lone surrogate: no pair was split


# ---- pageTexts(): a paper page's abstract and note, under Node ----


@requires_node
def test_page_texts_take_the_description_the_abstract_and_the_whole_note_body():
    page = (
        '<html><head><meta name="description" content="A &#34;short&#34; &amp; sweet summary.">'
        "</head><body>"
        '<p class="short-summary">Nor this.</p>'
        '<section class="note"><h2 id="note">Curator\'s note</h2>'
        '<div class="highlights"><ol><li>Not a highlight</li></ol></div>'
        '<div class="note-body"><p>First <em>point</em>.</p><div class="x"><div>nested</div>'
        "</div><p>After\n\n   the   nest.</p></div><p>Outside the note.</p></section>"
        '<section lang="en"><h2 id="abstract">Abstract</h2>'
        '<p class="abstract">Routing <b>sparse</b> experts.</p></section>'
        '<section class="cite"><pre>@misc{x}</pre></section></body></html>'
    )
    assert page_texts(page) == [
        {
            "s": 'A "short" & sweet summary.',
            "a": "Routing sparse experts.",
            "n": "First point. nested After the nest.",
        }
    ]


@requires_node
def test_page_texts_decode_entities_once_and_read_formulas_as_their_tex():
    page = (
        '<p class="abstract">A &lt;b&gt; &amp;amp; &#34;q&#34; &#x4e2d;&#25991; &nbsp;x '
        "&unknown; <math><semantics><mrow><mi>x</mi></mrow>"
        '<annotation encoding="application/x-tex">x^2</annotation></semantics></math> end</p>'
    )
    found = page_texts(page)[0]
    assert found["a"] == 'A <b> &amp; "q" 中文 x &unknown; x^2 end'  # nbsp is white space
    assert found["n"] == "" and found["s"] == ""


@requires_node
def test_a_page_without_abstract_or_note_gives_empty_texts():
    assert page_texts("<html><body><p>Nothing.</p></body></html>", "") == [
        {"s": "", "a": "", "n": ""},
        {"s": "", "a": "", "n": ""},
    ]


# ---- snippet() in search-core.js, under Node ----

ABSTRACT = (
    "We study large language models on many benchmarks and report their accuracy. "
    "The drafting model proposes tokens which the target verifies in parallel, and "
    "speculative decoding then accepts the longest agreeing prefix of the draft. "
    "We also measure memory traffic, batching effects and the latency distribution "
    "under load, and compare against quantized baselines at several sizes."
)


@requires_node
def test_the_window_holds_the_matched_words_of_the_abstract_cut_between_words():
    found = snip({"summary": "A study of drafting.", "abstract": ABSTRACT}, "speculative decoding")
    assert found["field"] == "abstract"
    assert marked(found) == ["speculative", "decoding"]
    assert width(found["text"]) <= 182
    assert_cut_between_words(found, ABSTRACT)
    assert found["text"].startswith(ELLIPSIS) and found["text"].endswith(ELLIPSIS)


@requires_node
def test_the_most_distinct_words_win_then_the_earlier_field_and_place():
    texts = {
        "summary": "Decoding is fast.",
        "abstract": ABSTRACT,
        "note": "Speculative decoding, again.",
    }
    assert snip(texts, "speculative decoding")["field"] == "abstract"  # two words beat one
    tie = {"summary": "Decoding is fast.", "abstract": ABSTRACT}
    assert snip(tie, "decoding")["field"] == "summary"
    assert snip(tie, "decoding")["text"] == "Decoding is fast."
    repeated = "decoding " + "filler " * 60 + "decoding again"
    found = snip({"abstract": repeated}, "decoding", 60)
    assert found["text"].startswith("decoding filler") and marked(found) == ["decoding"]


@requires_node
def test_marks_agree_with_stemming_and_stop_words():
    found = snip({"summary": "Models of the routing: a router routes."}, "routing models")
    assert marked(found) == ["Models", "routing", "routes"]  # router stems apart


@requires_node
def test_chinese_is_cut_anywhere_and_counts_double():
    note = "我们研究了很多东西。" * 12 + "专家混合模型的路由策略在这里出现。" + "其他内容。" * 30
    found = snip({"summary": "简介。", "note": note}, "专家混合")
    assert found["field"] == "note"
    assert marked(found) == ["专家混合"]
    core = found["text"].strip(ELLIPSIS)
    assert core in note and width(core) <= 180
    assert found["text"].startswith(ELLIPSIS) and found["text"].endswith(ELLIPSIS)


@requires_node
def test_mixed_chinese_and_english():
    found = snip({"summary": "本文研究MoE路由在大模型推理中的负载均衡问题。"}, "MoE路由")
    assert marked(found) == ["MoE路由"]
    found = snip(
        {"summary": "x", "abstract": "The MoE layer 负责 routing 路由 of tokens."}, "moe 路由"
    )
    assert marked(found) == ["MoE", "路由"]


@requires_node
def test_emoji_and_supplementary_characters_are_never_split():
    for filler in ("😀", "𠀀", "a😀"):
        text = filler * 120 + " moe " + filler * 120
        found = snip({"summary": "s", "abstract": text}, "moe", 100)
        found["text"].encode("utf-8")  # a split pair would leave a lone surrogate
        assert marked(found) == ["moe"]
        assert found["text"].startswith(ELLIPSIS) and found["text"].endswith(ELLIPSIS)


@requires_node
def test_hostile_text_stays_text_with_its_ranges():
    hostile = '<script>alert(1)</script> &amp; "quoted" <img src=x onerror=alert(2)> zebra'
    found = snip({"summary": "Short.", "note": hostile}, "zebra")
    assert found["field"] == "note"
    assert found["text"] == hostile  # no escaping, no unescaping: the UI sets textContent
    assert marked(found) == ["zebra"]
    assert marked(snip({"summary": hostile}, "script")) == ["script", "script"]


@requires_node
def test_no_match_shows_the_summary_beginning():
    summary = "A summary long enough to be cut somewhere. " * 10
    found = snip({"summary": summary, "abstract": ABSTRACT}, "zebra")
    assert found["field"] == "summary" and found["ranges"] == []
    assert summary.startswith(found["text"][:-1]) and found["text"].endswith(ELLIPSIS)
    assert_cut_between_words(found, summary)
    assert snip({"summary": "Short one.", "note": "zebra? no"}, "tag:moe") == {
        "field": "summary",
        "text": "Short one.",
        "ranges": [],
    }
    assert snip({}, "zebra") == {"field": "summary", "text": "", "ranges": []}


@requires_node
def test_every_cut_of_a_long_text_falls_between_words():
    words = ["quantization", "of", "attention", "heads", "keeps", "accuracy", "mixture", "experts"]
    text = " ".join(words[(i * 7) % len(words)] for i in range(200))
    for query in ("quantization", "experts accuracy", "heads", "zebra"):
        for max_chars in (40, 90, 180):
            found = snip({"summary": text}, query, max_chars)
            assert_cut_between_words(found, text)
            assert width(found["text"]) <= max_chars + 2 + len("quantization")


@requires_node
def test_the_stemmer_keeps_every_words_first_letter(tmp_path):
    """snippet() skips words whose first letter no matched term starts with."""
    _, files = synthetic_search_files(tmp_path, 200)
    vocabulary = {
        term for name, data in files.items() if name.startswith("v/") for term in json.loads(data)
    }
    english = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    words = sorted({w.lower() for w in re.findall(r"[A-Za-z]+", english)} | vocabulary)
    words = [w for w in words if re.fullmatch(r"[a-z0-9.]+", w)]
    assert len(words) > 2000  # the bundled seed text alone gives some 2,250
    assert run_snippets(words, "firsts") == []


# ---- the search page in Chromium ----

NOTES = {
    "abstract-paper.md": (
        "Title: Sparse MoE Routing for Fast LLM Inference\nArxiv: 2512.00001v1\nDate: 2025-12-10\n"
        "Tags: MoE\nSummary: Two experts per token are enough.\nLang: en\n\nThe curator liked it.\n"
    ),
    "airship-note.md": (
        "Title: Planning Long Journeys\nDate: 2025-12-11\nTags: RL\n"
        "Summary: Planning with large models over many steps.\nLang: en\n\n"
        + "The planner reads the map and weighs each route with care. " * 8
        + "Then a zeppelin appears over the hills and the plan must change. "
        + "Later steps repeat the search with the new constraint in mind. " * 6
        + "\n"
    ),
    "hostile-snippet.md": (
        "Title: Hostile Passage\nDate: 2025-12-11\nTags: Security\n"
        "Summary: Markup in a note must show as text.\nLang: en\n\n"
        "The quokka wrote `<img src=x onerror=alert(1)>` and `<script>alert(2)</script>` "
        'with &amp;amp; and "quotes" around it.\n'
    ),
}


@pytest.fixture(scope="module")
def snippet_site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("snippet-site")
    settings = site_settings(tmp_path, ARXIV_KEYWORDS=KEYWORDS)
    notes = tmp_path / "content" / "notes"
    notes.mkdir(parents=True, exist_ok=True)
    for name, text in NOTES.items():
        (notes / name).write_text(text, encoding="utf-8")
    assert fetch(settings, FEEDS / "day1-cs.CL.new-and-cross.rss.xml")[0] == 0
    return build(settings)


@requires_node
def test_the_built_paper_pages_give_their_abstracts_and_notes(snippet_site):
    """The index keeps no copy of them: the worker reads them from the pages."""
    assert not (snippet_site / "search" / "x").exists()
    pages = {
        title: (snippet_site / "papers" / slug / "index.html").read_text(encoding="utf-8")
        for title, slug in [
            ("abstract", "2512.00001"),
            ("note", "airship-note"),
            ("hostile", "hostile-snippet"),
        ]
    }
    texts = dict(zip(pages, page_texts(*pages.values()), strict=True))
    assert "latency" in texts["abstract"]["a"]
    assert texts["abstract"]["s"] == "Two experts per token are enough."
    assert texts["abstract"]["n"] == "The curator liked it."
    assert "zeppelin" in texts["note"]["n"] and texts["note"]["a"] == ""
    hostile = texts["hostile"]["n"]
    assert "<img src=x onerror=alert(1)>" in hostile and "<script>alert(2)</script>" in hostile
    assert "&amp;" in hostile  # decoded once: the note's own "&amp;amp;"


@pytest.fixture
def snippet_page(snippet_site):
    with serve(snippet_site) as base, chromium_page() as browser:
        dialogs, errors = [], []
        browser.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        browser.on("pageerror", lambda error: errors.append(str(error)))
        yield base, browser, dialogs
        assert not errors


def _first_passage(browser, base: str, query: str):
    browser.goto(base + "search/?q=" + quote(query))
    passage = browser.locator("#search-page-results li").first.locator(".search-result-summary")
    passage.locator("mark").first.wait_for()
    return passage


@requires_chromium
def test_a_word_of_the_abstract_shows_its_passage_marked(snippet_page):
    base, browser, _ = snippet_page
    passage = _first_passage(browser, base, "latency")
    assert passage.locator(".search-result-source").inner_text() == "Abstract:"
    assert passage.locator("mark").all_inner_texts() == ["latency"]
    assert "inference latency" in passage.inner_text()


@requires_chromium
def test_a_word_deep_in_a_note_shows_that_passage_in_place_of_the_summary(snippet_page):
    base, browser, _ = snippet_page
    passage = _first_passage(browser, base, "zeppelin")
    assert passage.locator(".search-result-source").inner_text() == "Curator's note:"
    assert passage.locator("mark").all_inner_texts() == ["zeppelin"]
    text = passage.text_content()
    assert ELLIPSIS in text and "Planning with large models" not in text
    # Summary or snippet, long or short, a passage keeps its three lines: nothing moves
    # when a snippet replaces a summary.
    browser.goto(base + "search/?q=" + quote("models"))
    browser.wait_for_selector("#search-page-results li .search-result-summary")
    heights = browser.eval_on_selector_all(
        ".search-result-summary", "nodes => nodes.map(n => n.getBoundingClientRect().height)"
    )
    assert len(heights) >= 2 and max(heights) - min(heights) < 0.5


@requires_chromium
def test_a_summary_match_shows_no_source_label(snippet_page):
    base, browser, _ = snippet_page
    passage = _first_passage(browser, base, "experts")
    assert passage.locator(".search-result-source").count() == 0
    assert passage.locator("mark").all_inner_texts() == ["experts"]


@requires_chromium
def test_hostile_note_text_shows_as_text(snippet_page):
    base, browser, dialogs = snippet_page
    passage = _first_passage(browser, base, "quokka")
    text = passage.text_content()
    assert "<img src=x onerror=alert(1)>" in text and "<script>alert(2)</script>" in text
    assert "&amp;" in text
    results = browser.locator("#search-page-results")
    assert results.locator("img").count() == 0
    assert results.locator("script").count() == 0
    assert passage.locator("mark").all_inner_texts() == ["quokka"]
    assert not dialogs


@requires_chromium
def test_the_header_box_shows_snippets_too(snippet_page):
    base, browser, _ = snippet_page
    browser.goto(base)
    browser.click("form.site-search input[name=q]")
    browser.keyboard.type("zeppelin")
    passage = browser.locator(".search-panel .search-result-summary").first
    passage.locator("mark").first.wait_for()
    assert passage.locator("mark").all_inner_texts() == ["zeppelin"]
    assert passage.locator(".search-result-source").inner_text() == "Curator's note:"


CLS_SCRIPT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


TOPS = "nodes => nodes.map(n => Math.round(n.getBoundingClientRect().top))"


@requires_chromium
def test_snippets_replacing_summaries_shift_nothing(snippet_page):
    base, browser, _ = snippet_page
    held = []  # the paper pages are held back until the first results are shown
    browser.route("**/papers/**", lambda route: held.append(route))
    for query in ("route", "zeppelin"):  # snippets from the abstract and a note
        browser.goto(base + "search/?q=" + quote(query))
        browser.wait_for_selector("#search-page-results li")
        browser.wait_for_timeout(100)
        assert held and browser.locator(".search-result-source").count() == 0  # summaries
        before = browser.eval_on_selector_all("#search-page-results li, .site-footer", TOPS)
        while held:
            held.pop().continue_()
        browser.locator(".search-result-source").first.wait_for()  # the snippets are in
        assert browser.eval_on_selector_all("#search-page-results li, .site-footer", TOPS) == before
        assert browser.evaluate(CLS_SCRIPT) < 0.01, query
