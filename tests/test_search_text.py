"""Search terms: the tokenizer and pipeline, and the same rules in the browser's code."""

import pytest

from papershelf.devtools.synth import bundled_seed_text
from papershelf.search.porter import stem
from papershelf.search.text import PIPELINE_LABELS, pipeline, tag_term, terms, tokenize

from .search_helpers import SEARCH_FIXTURES, requires_node, run_node
from .sites import FEEDS, SHARED

EDGE_CASES = [
    "MoE路由 and the Mixture-of-Experts 混合专家模型",
    "我",
    "ｆｕｌｌ width ＡＢＣ，全角",
    "2512.01234v2 Llama-3.1 gpt-4o 3.1.4 a.b v1.",
    "İstanbul ΣΟΦΟΣ straße café naïve",
    "𠀀𠀁𠀂 ext-B and 々 marks",
    "かなカナ한국어 mixed",
    "emoji 🚀✨ between words 😀x",
    "x" * 30 + " kept Donaudampfschifffahrtsgesellschaftskapitän",
    "①② ½ ²",
    "tabs\tand\nnewlines\u3000ideographic space",
]


def test_han_runs_become_bigrams_and_split_from_latin_at_the_script_boundary():
    assert tokenize("MoE路由") == ["moe", "路由"]
    assert terms("混合专家模型") == ["混合", "合专", "专家", "家模", "模型"]
    assert terms("我") == ["我"]


def test_latin_words_are_stemmed_and_stop_words_dropped():
    assert terms("The models are trying") == ["model", "tri"]
    assert terms("Llama-3.1 and 2512.01234") == ["llama", "3.1", "2512.01234"]


def test_width_and_case_variants_give_the_same_terms():
    assert terms("ＭｏＥ") == terms("moe") == ["moe"]


def test_long_latin_words_are_dropped_other_long_runs_kept():
    assert tokenize("a" * 25 + " b") == ["b"]
    assert tokenize("Donaudampfschifffahrtsgesellschaftskapitän x") == ["x"]
    assert tokenize("a" * 24) == ["a" * 24]
    unsplit = "ሰላም" * 9  # Ethiopic written without separators
    assert tokenize(unsplit) == [unsplit]  # the index build refuses it (test_search_index)


def test_stemmer_follows_lunr_js_where_lunr_py_differs():
    assert stem("try") == "tri" and stem("lay") == "lay"  # lunr.py says "try", "lai"


def test_pipeline_labels_are_registered_with_lunr_py():
    assert [fn.label for fn in pipeline()._stack] == list(PIPELINE_LABELS)


def test_tag_terms_ignore_case_width_and_separators():
    assert (
        tag_term("Mixture-of-Experts")
        == tag_term("mixture of  experts")
        == tag_term("MIXTURE_OF_EXPERTS")
    )
    assert tag_term("MoE") != tag_term("Mixture of Experts")
    assert tag_term("专家混合").startswith("#") and len(tag_term("专家混合")) == 9


def _vocabulary() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in FEEDS.glob("*.xml")]
    texts += [p.read_text(encoding="utf-8") for p in SEARCH_FIXTURES.glob("*.md")]
    texts.append(bundled_seed_text())
    seeds = SHARED / "seeds"
    if seeds.is_dir():
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in seeds.rglob("*.md")]
    words = {run for text in texts for run in tokenize(text)}
    words |= {"try", "lay", "cry", "sky", "agreed", "feed", "hopping", "filing", "relational"}
    return sorted(words)


@requires_node
def test_browser_tokenizer_matches_python_on_edge_cases():
    assert run_node("tokenize", EDGE_CASES) == [tokenize(text) for text in EDGE_CASES]
    assert run_node("terms", EDGE_CASES) == [terms(text) for text in EDGE_CASES]


@requires_node
def test_browser_pipeline_matches_python_on_the_whole_vocabulary():
    words = _vocabulary()
    assert len(words) > 500
    browser = run_node("terms", words)
    mismatches = [(w, b, terms(w)) for w, b in zip(words, browser, strict=True) if b != terms(w)]
    assert not mismatches[:20]


@pytest.mark.parametrize("text", [None, "", "   ", "!!!"])
def test_nothing_to_index(text):
    assert terms(text) == []
