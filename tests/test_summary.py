"""The short summary: priority of sources, bounded length, clean ends."""

import pytest

from papershelf.summaries.short import bounded, markdown_lead, short_summary

ABSTRACT = (
    "We route tokens to two experts. This halves latency at equal quality. "
    "We also release code and a benchmark of forty routing policies."
)
AI_SUMMARY = """\
# **论文总结：Stable-MoE**

---

## **1. 论文的主要贡献和创新点**

### **解决的问题**
传统 **distributed MoE** 在资源受限的 **edge networks** 中面临挑战；
- **异构计算能力**：边缘服务器的计算性能差异大；

## **2. 实验**
更多内容。
"""


def test_priority_note_then_structured_then_ai_then_abstract():
    structured = {"tldr": "A TL;DR.", "contribution": "A contribution."}
    assert short_summary(ABSTRACT, 200, "From the note.", structured, AI_SUMMARY).source == "note"
    assert short_summary(ABSTRACT, 200, None, structured, AI_SUMMARY).text == "A TL;DR."
    only_contribution = short_summary(ABSTRACT, 200, None, {"contribution": "Contrib."}, None)
    assert (only_contribution.text, only_contribution.source) == ("Contrib.", "structured")
    ai = short_summary(ABSTRACT, 200, "", {}, AI_SUMMARY)
    assert ai.source == "ai"
    assert ai.text.startswith("传统 distributed MoE 在资源受限的 edge networks 中面临挑战")
    assert "**" not in ai.text and "#" not in ai.text
    fallback = short_summary(ABSTRACT, 200)
    assert fallback.source == "abstract" and fallback.label == "Summary from the abstract."


def test_choice_is_deterministic():
    runs = {short_summary(ABSTRACT, 60, None, None, AI_SUMMARY) for _ in range(5)}
    assert len(runs) == 1


def test_abstract_lead_stops_at_a_sentence():
    assert short_summary(ABSTRACT, 80).text == (
        "We route tokens to two experts. This halves latency at equal quality."
    )


@pytest.mark.parametrize("limit", [20, 33, 47, 61])
def test_english_is_never_cut_inside_a_word(limit):
    text = "Mixture of experts routing reduces inference latency substantially across clusters"
    cut = bounded(text, limit)
    assert len(cut) <= limit and cut.endswith("…")
    kept = cut[:-1]
    assert text.startswith(kept) and text[len(kept)] == " "


def test_chinese_is_cut_at_a_sentence_end_or_a_character():
    text = (
        "专家混合模型的路由策略显著降低了推理延迟。同时保持了精度，并在多个基准上验证了效果与稳定性"
        * 2
    )
    cut = bounded(text, 30)
    assert cut == "专家混合模型的路由策略显著降低了推理延迟。"
    no_stop = "专家混合模型的路由策略显著降低了推理延迟同时保持了精度"
    cut = bounded(no_stop, 12)
    assert len(cut) == 12 and cut.endswith("…") and no_stop.startswith(cut[:-1])


def test_emoji_sequences_are_not_split():
    text = "Results 👩🏽‍💻 " * 3 + "and more words to cut here"
    for limit in range(8, 30):
        cut = bounded(text, limit)
        assert len(cut) <= limit
        assert not cut[:-1].endswith(("\u200d", "\U0001f469"))  # no half of an emoji sequence


def test_clean_end_without_dangling_label():
    assert bounded("Problem: the long tail. Method:", 200) == "Problem: the long tail. Method"
    assert bounded("解决的问题：长尾分布导致的训练效率低下，以及", 15).endswith("…")
    assert not bounded("解决的问题：长尾分布导致的训练效率低下，以及", 15)[:-1].endswith("，")


def test_markdown_lead_skips_headings_rules_and_images():
    assert markdown_lead("# Title\n\n![fig](x.png)\n**Bold** start of `text`.\n\nNext.") == (
        "Bold start of text."
    )
