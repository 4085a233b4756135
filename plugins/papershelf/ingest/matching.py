"""Keyword matching and scoring: whole words and phrases, case-insensitive."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def keyword_pattern(term: str) -> re.Pattern:
    """A regex for ``term`` as a whole word or phrase.

    Spaces and hyphens inside a phrase match each other ("mixture of experts"
    matches "Mixture-of-Experts"); a plural "s"/"es" is allowed ("LLMs"), but a
    longer word is not ("RL" never matches "world" or "control").
    """
    words = re.split(r"[\s-]+", term.strip())
    body = r"[\s-]+".join(re.escape(word) for word in words)
    plural = r"(?:e?s)?" if words[-1][-1:].isalpha() else ""
    return re.compile(rf"(?<![\w]){body}{plural}(?![\w])", re.IGNORECASE)


@dataclass(frozen=True)
class Match:
    score: float
    keywords: tuple[str, ...]  # matched terms, in configuration order
    excluded_by: str | None = None


class KeywordMatcher:
    def __init__(
        self,
        keywords: Mapping[str, float],
        exclude: Iterable[str] = (),
        title_bonus: float = 0.5,
    ):
        self.keywords = [(term, float(w), keyword_pattern(term)) for term, w in keywords.items()]
        self.exclude = [(term, keyword_pattern(term)) for term in exclude]
        self.title_bonus = title_bonus

    def match(self, title: str, abstract: str) -> Match:
        """Score = sum of matched keyword weights, plus ``title_bonus`` times the
        weight of each keyword that appears in the title."""
        text = f"{title}\n{abstract}"
        for term, pattern in self.exclude:
            if pattern.search(text):
                return Match(0.0, (), excluded_by=term)
        score = 0.0
        matched = []
        for term, weight, pattern in self.keywords:
            if pattern.search(title):
                score += weight * (1 + self.title_bonus)
                matched.append(term)
            elif pattern.search(abstract):
                score += weight
                matched.append(term)
        return Match(round(score, 3), tuple(matched))
