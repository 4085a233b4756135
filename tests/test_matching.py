"""Keyword matching: whole words and phrases, case-insensitive, weighted."""

import pytest

from papershelf.ingest.matching import KeywordMatcher, keyword_pattern


@pytest.mark.parametrize(
    ("term", "text", "matches"),
    [
        ("RL", "We use RL to train agents", True),
        ("RL", "a world model", False),
        ("RL", "optimal control of robots", False),
        ("RL", "RL-based fine-tuning", True),
        ("MoE", "a MoE layer", True),
        ("MoE", "moew", False),
        ("MoE", "MoEs scale well", True),
        ("MOE", "sparse MoE", True),
        ("LLM", "LLMs are large", True),
        ("mixture of experts", "Mixture-of-Experts models", True),
        ("mixture of experts", "mixture  of\nexperts", True),
        ("FP8", "FP8 training", True),
        ("FP8", "FP80", False),
        ("Inference", "inferences", True),
        ("Fast", "breakfast", False),
    ],
)
def test_keyword_pattern(term, text, matches):
    assert bool(keyword_pattern(term).search(text)) is matches


def test_score_sums_weights_with_title_bonus():
    matcher = KeywordMatcher({"LLM": 3.0, "MoE": 2.0, "RL": 1.0}, title_bonus=0.5)
    result = matcher.match("MoE for everyone", "An LLM with MoE layers.")
    # MoE in the title: 2 * 1.5; LLM only in the abstract: 3.
    assert result.score == 6.0
    assert result.keywords == ("LLM", "MoE")


def test_exclude_keywords_reject():
    matcher = KeywordMatcher({"LLM": 3.0}, exclude=["survey"])
    result = matcher.match("A Survey of LLM Inference", "")
    assert result.excluded_by == "survey" and result.score == 0


def test_world_model_early_control_is_not_matched_by_rl():
    matcher = KeywordMatcher({"RL": 2.0})
    result = matcher.match(
        "A World Model for Early Control of Legged Robots",
        "We learn a world model for control of legged robots.",
    )
    assert result.keywords == () and result.score == 0
