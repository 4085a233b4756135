"""Character bigram model that chooses among the candidate repairs of mojibake.

Counts live in char_counts.txt, from two sources mixed at scoring time:
"s" = Chinese AI-paper summaries (bigrams across everything, Markdown included), and
"w" = the jieba word dictionary, each word weighted by its frequency: character counts,
bigrams inside words, and how often a character ends or starts a word, so that a bigram
across a word boundary gets P(left ends a word) * P(right starts one).
ASCII letters count as "a" and digits as "0": the model only needs to know that a
character sits next to Latin text or a number. Regenerate the file with `main()` below
(dict.txt from the jieba 0.42.1 sdist, `pip download --no-deps jieba==0.42.1`):

    python -m papershelf.importers.mojibake.model --jieba-dict jieba/dict.txt --summaries \\
        ../shared/seeds/{paper-explorer-zh.txt,awesome-paper-notes.md,arxiv-bot-2025-12-09.md}
"""

from __future__ import annotations

import argparse
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from papershelf.importers.mojibake.codepages import CODEPAGES, dropped_bytes

COUNTS_PATH = Path(__file__).with_name("char_counts.txt")
# Interpolation weights, tuned on held-out digests: P(b|a) mixes the summaries' bigram
# estimate, the words' estimate and a unigram estimate (itself a mix of both sources).
SUMMARY_WEIGHT, WORD_WEIGHT = 0.4, 0.4
SUMMARY_UNIGRAM_SHARE = 0.8
LINE_EDGE = "\n"
_ENTRY = re.compile(r"(\\u[0-9a-f]{4}|\\U[0-9a-f]{8}|[^ ])([0-9]+)")


def token(char: str) -> str:
    """The model's name for a character: ASCII letters and digits collapse to a class."""
    if char.isascii():
        if char.isalpha():
            return "a"
        if char.isdigit():
            return "0"
    return char


def _escape(char: str) -> str:
    """Characters that whitespace, tabs or combining would garble become \\u escapes."""
    plain = char.isprintable() and not char.isspace() and char != "\\"
    if plain and not unicodedata.category(char).startswith("M"):
        return char
    return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"


def _unescape(text: str) -> str:
    return chr(int(text[2:], 16)) if text.startswith("\\") and len(text) > 2 else text


def _unseen_probability(char: str) -> float:
    """A floor for characters no source has seen: emoji are likelier than other symbols,
    lower-case letters likelier than capitals, unassigned code points never."""
    code = ord(char)
    category = unicodedata.category(char)
    if category in ("Cn", "Co", "Cs"):
        return 1e-16
    if 0x1F300 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF or 0x2B00 <= code <= 0x2BFF:
        return 1e-7
    return 1e-8 if category == "Ll" else 1e-10


@dataclass
class Counts:
    """Character, bigram, word-final and word-initial counts of one source."""

    chars: Counter = field(default_factory=Counter)
    bigrams: Counter = field(default_factory=Counter)
    finals: Counter = field(default_factory=Counter)
    initials: Counter = field(default_factory=Counter)


class CharModel:
    def __init__(self, summaries: Counts, words: Counts):
        self.summaries, self.words = summaries, words
        summary_total = sum(summaries.chars.values()) or 1
        word_total = sum(words.chars.values()) or 1
        self.unigram = {
            c: SUMMARY_UNIGRAM_SHARE * summaries.chars[c] / summary_total
            + (1 - SUMMARY_UNIGRAM_SHARE) * words.chars[c] / word_total
            for c in summaries.chars.keys() | words.chars.keys()
        }
        # P(c starts a word), adapted to the summaries' domain: how common c is there, times
        # how often the dictionary's c starts a word (general Chinese has far fewer "与").
        initial = {
            c: p * words.initials[c] / words.chars[c]
            for c, p in self.unigram.items()
            if words.chars[c]
        }
        total = sum(initial.values()) or 1
        self.initial = {c: p / total for c, p in initial.items()}
        self.logprob = lru_cache(maxsize=1 << 18)(self._logprob)

    def without(self, text: str) -> CharModel:
        """The model as if `text` had not been among the summaries: for held-out tests."""
        removed = count_text(text)
        chars = +(self.summaries.chars - removed.chars)
        bigrams = +(self.summaries.bigrams - removed.bigrams)
        return CharModel(Counts(chars, bigrams), self.words)

    def _logprob(self, left: str, char: str) -> float:
        """log P(char | left) for model tokens."""
        unigram = self.unigram.get(char) or _unseen_probability(char)
        p = (1 - SUMMARY_WEIGHT - WORD_WEIGHT) * unigram
        s, w = self.summaries, self.words
        if s.chars[left]:
            p += SUMMARY_WEIGHT * s.bigrams[left + char] / s.chars[left]
        if w.chars[left]:
            across = w.finals[left] * self.initial.get(char, 0.0)
            p += WORD_WEIGHT * (w.bigrams[left + char] + across) / w.chars[left]
        else:
            p += WORD_WEIGHT * unigram
        return math.log(p)

    def best_path(self, left: str, options: Sequence[Sequence[str]], right: str) -> list[str]:
        """Viterbi over a run of ambiguous characters between two fixed neighbours."""
        scores = {c: self.logprob(token(left), token(c)) for c in options[0]}
        pointers: list[dict[str, str]] = []
        for choices in options[1:]:
            new_scores, back = {}, {}
            for c in choices:
                tc = token(c)
                new_scores[c], back[c] = max(
                    (score + self.logprob(token(p), tc), p) for p, score in scores.items()
                )
            scores = new_scores
            pointers.append(back)
        last = max(scores, key=lambda c: scores[c] + self.logprob(token(c), token(right)))
        path = [last]
        for back in reversed(pointers):
            path.append(back[path[-1]])
        return path[::-1]


def parse_counts(lines: Iterable[str]) -> CharModel:
    """Lines `source<TAB>char<TAB>count<TAB>final<TAB>initial<TAB>followers`, followers as
    space-separated `<char><count>`; source "s" (summaries) or "w" (words)."""
    sources = {"s": Counts(), "w": Counts()}
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        source, char, count, final, initial, followers = line.rstrip("\n").split("\t")
        counts, char = sources[source], _unescape(char)
        counts.chars[char] = int(count)
        counts.finals[char] = int(final)
        counts.initials[char] = int(initial)
        for follower, n in _ENTRY.findall(followers):
            counts.bigrams[char + _unescape(follower)] = int(n)
    return CharModel(sources["s"], sources["w"])


@cache
def load_model() -> CharModel:
    with COUNTS_PATH.open(encoding="utf-8") as lines:
        return parse_counts(lines)


# ---- building the counts file (offline; run again when sources or code pages change) ----


def count_text(text: str) -> Counts:
    counts = Counts()
    tokens = [token(c) for c in text]
    counts.chars.update(tokens)
    counts.bigrams.update(a + b for a, b in zip(tokens, tokens[1:], strict=False))
    return counts


def count_words(dictionary_lines: Iterable[str]) -> Counts:
    """jieba's dict.txt: `word frequency tag` lines."""
    counts = Counts()
    for line in dictionary_lines:
        word, frequency, *_ = line.split(" ")
        n, tokens = int(frequency), [token(c) for c in word]
        for t in tokens:
            counts.chars[t] += n
        for a, b in zip(tokens, tokens[1:], strict=False):
            counts.bigrams[a + b] += n
        counts.finals[tokens[-1]] += n
        counts.initials[tokens[0]] += n
    return counts


def format_counts(
    sources: dict[str, Counts],
    minimum: dict[str, tuple[int, int]],
    droppable: frozenset[int],
    header: str,
) -> str:
    """Keep bigrams only where a character could have lost a byte: no other bigram is ever
    compared with a rival, so they cannot change a choice."""

    def could_lose_byte(pair: str) -> bool:
        return any(byte in droppable for byte in pair.encode("utf-8"))

    out = [f"# {line}".rstrip() for line in header.splitlines()]
    for source, counts in sources.items():
        min_char, min_bigram = minimum[source]
        followers: dict[str, list[tuple[str, int]]] = {}
        for pair, n in counts.bigrams.items():
            if n >= min_bigram and could_lose_byte(pair):
                followers.setdefault(pair[0], []).append((pair[1], n))
        for char, n in sorted(counts.chars.items(), key=lambda item: (-item[1], item[0])):
            if n >= min_char or char in followers:
                pairs = sorted(followers.get(char, []), key=lambda item: (-item[1], item[0]))
                entries = " ".join(f"{_escape(c)}{k}" for c, k in pairs)
                final, initial = counts.finals[char], counts.initials[char]
                out.append(f"{source}\t{_escape(char)}\t{n}\t{final}\t{initial}\t{entries}")
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Regenerate " + COUNTS_PATH.name)
    parser.add_argument("--summaries", nargs="+", type=Path, required=True)
    parser.add_argument("--jieba-dict", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=COUNTS_PATH)
    args = parser.parse_args(argv)
    text = "\n".join(p.read_text(encoding="utf-8") for p in args.summaries)
    with args.jieba_dict.open(encoding="utf-8") as lines:
        words = count_words(lines)
    droppable = frozenset().union(*(dropped_bytes(cp) for cp in CODEPAGES))
    header = (
        "Character counts for papershelf.importers.mojibake.model (generated by its main()).\n"
        f"s: Chinese AI-paper summaries ({', '.join(p.name for p in args.summaries)}).\n"
        "w: jieba 0.42.1 dict.txt (MIT licence), words weighted by frequency.\n"
        "Line: source, char, count, word-final count, word-initial count, then followers\n"
        "as <char><count> (only bigrams that can decide a repair); \\uXXXX escapes."
    )
    minimum = {"s": (1, 1), "w": (10, 300)}
    args.out.write_text(
        format_counts({"s": count_text(text), "w": words}, minimum, droppable, header),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
