"""Deterministic synthetic papers for ``papershelf bench``.

Paper ``i`` depends only on ``i`` and the seed sentences, never on how many
papers are made, so a 1,000-paper bench set is the start of the 10,000 one.
Text comes from seed documents (Markdown or plain text, English and Chinese)
or from the bundled ``bench_seed.txt``.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from papershelf.errors import BenchError
from papershelf.model import Announcement, Paper
from papershelf.settings import DEFAULT_KEYWORDS
from papershelf.text import CJK_PUNCTUATION, is_han

SEED = 20251212  # fixed, so the same N always gives the same papers
NEWEST_DAY = date(2025, 12, 12)  # a Friday; days go back from here
PAPERS_PER_DAY = 100
ID_SLOTS_PER_DAY = 1000  # id numbers per day of month: <yymm>.<(day-1)*1000+k>
CATEGORIES = ("cs.AI", "cs.CL", "cs.DC", "cs.LG")
SEED_SUFFIXES = (".md", ".markdown", ".txt")
BUNDLED_SEED = "bench_seed.txt"
MIN_ENGLISH_SENTENCES = 20
CHINESE_SHARE = 0.1  # of abstract sentences, when the seeds have Chinese

# 20 x 20 names: a few hundred authors in all. Real arXiv authors are nearly all
# distinct, which would give plain Pelican (one page and feed per author) far
# more to write; a small pool keeps its baseline conservative.
GIVEN_NAMES = (
    "Wei", "Anna", "Rahul", "Mei", "Lukas", "Sofia", "Hiroshi", "Amara", "Jun",
    "Elena", "Omar", "Priya", "Tomas", "Yuki", "Carlos", "Ingrid", "Xin", "David",
    "Fatima", "Minh",
)  # fmt: skip
FAMILY_NAMES = (
    "Zhang", "Müller", "Sharma", "Chen", "Novak", "Rossi", "Tanaka", "Okafor", "Li",
    "Petrova", "Haddad", "Iyer", "Silva", "Sato", "Garcia", "Berg", "Wang", "Cohen",
    "Nguyen", "Kim",
)  # fmt: skip
TITLE_SMALL_WORDS = {
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "is", "of", "on", "or",
    "that", "the", "to", "with",
}  # fmt: skip
SYSTEM_NAME_SUFFIXES = ("", "-2", "Net", "Flow", "LM", "-X")

# Markup to drop before sentences are cut out of a seed document.
_FENCED_CODE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"https?://\S+")
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]*\$", re.S)
_TEX_STYLE = re.compile(r"\\(?:textbf|textit|emph|texttt|mathrm)\{([^{}]*)\}")
_EMPHASIS = re.compile(r"\*+|`+|(?<!\w)__?|__?(?!\w)")
_BLOCK_MARKER = re.compile(r"^\s*(?:#+|>+|[-*+]|\d+[.)])\s+")
_TABLE_ROW = re.compile(r"^\s*\|")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])|(?<=[。！？])\s*")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]*")
_TYPOGRAPHIC = set("–—‘’“”")


@dataclass(frozen=True)
class SeedSentences:
    english: tuple[str, ...]
    chinese: tuple[str, ...]


def _is_symbol(char: str) -> bool:
    # Emoji and their joiners label lines in the seeds; they are not text.
    return unicodedata.category(char) == "So" or char in "\ufe0f\u200d"


def strip_markup(text: str) -> list[str]:
    """The prose lines of a Markdown/HTML/plain document, markup removed."""
    for pattern in (_FENCED_CODE, _HTML_COMMENT, _IMAGE, _MATH):
        text = pattern.sub(" ", text)
    text = _LINK.sub(r"\1", _TEX_STYLE.sub(r"\1", text)).replace("\\%", "%")
    text = _URL.sub(" ", _HTML_TAG.sub(" ", text))
    lines = []
    for line in text.splitlines():
        if _TABLE_ROW.match(line):
            continue
        line = _EMPHASIS.sub("", _BLOCK_MARKER.sub("", line))
        line = "".join(char for char in line if not _is_symbol(char))
        line = " ".join(line.split())
        if line:
            lines.append(line)
    return lines


def _plain_text(char: str) -> bool:
    # No TeX left over: a backslash or brace means markup we could not strip.
    return (" " <= char <= "~" and char not in "\\{}") or char in _TYPOGRAPHIC


def english_sentence(sentence: str) -> bool:
    """Plain ASCII prose of 8-60 words that starts and ends like a sentence."""
    if not all(map(_plain_text, sentence)):
        return False
    words = sentence.split()
    letters = sum(char.isalpha() for char in sentence)
    return (
        8 <= len(words) <= 60
        and sentence[0].isupper()
        and sentence[-1] in ".!?"
        and not sentence.endswith("..")
        and letters >= 0.7 * len(sentence.replace(" ", ""))
    )


def chinese_sentence(sentence: str) -> bool:
    """Mostly Han text of 10-160 characters ending in a full stop; no mojibake."""
    if not all(
        _plain_text(char) or is_han(char) or CJK_PUNCTUATION.fullmatch(char) for char in sentence
    ):
        return False
    han = sum(map(is_han, sentence))
    return 10 <= len(sentence) <= 160 and han >= 0.5 * len(sentence) and sentence[-1] in "。！？"


def extract_sentences(documents: Iterable[str]) -> SeedSentences:
    """Usable English and Chinese sentences of the documents, first occurrence only."""
    english: dict[str, None] = {}
    chinese: dict[str, None] = {}
    for document in documents:
        for line in strip_markup(document):
            for sentence in _SENTENCE_END.split(line):
                sentence = sentence.strip()
                if not sentence:
                    continue
                if english_sentence(sentence):
                    english.setdefault(sentence)
                elif chinese_sentence(sentence):
                    chinese.setdefault(sentence)
    return SeedSentences(tuple(english), tuple(chinese))


def bundled_seed_text() -> str:
    return resources.files("papershelf").joinpath("devtools", BUNDLED_SEED).read_text("utf-8")


def seed_files(seeds_dir: Path) -> list[Path]:
    return sorted(
        path
        for path in seeds_dir.iterdir()
        if path.is_file() and path.suffix.lower() in SEED_SUFFIXES
    )


def load_seed_sentences(seeds_dir: Path | None) -> SeedSentences:
    """Sentences from the seed files in ``seeds_dir``, or from the bundled text."""
    if seeds_dir is None:
        documents = [bundled_seed_text()]
        where = f"bundled {BUNDLED_SEED}"
    else:
        # Seeds may be saved in odd encodings: keep what decodes, the filters drop the rest.
        documents = [path.read_text("utf-8", errors="replace") for path in seed_files(seeds_dir)]
        where = str(seeds_dir)
    sentences = extract_sentences(documents)
    if len(sentences.english) < MIN_ENGLISH_SENTENCES:
        raise BenchError(
            f"only {len(sentences.english)} usable English sentences, need {MIN_ENGLISH_SENTENCES}",
            where=where,
            fix="add .md or .txt files with English prose",
        )
    return sentences


def announcement_days(count: int, newest: date = NEWEST_DAY) -> list[date]:
    """``count`` weekdays going back from ``newest``, newest first (arXiv has no
    weekend listings)."""
    days, day = [], newest
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return days


def arxiv_id(day: date, position: int) -> str:
    """A new-style id unique to (day, position): ``2512.11001`` is Dec 12's first."""
    return f"{day:%y%m}.{(day.day - 1) * ID_SLOTS_PER_DAY + position + 1:05d}"


def word_count(sentence: str) -> int:
    # Chinese has no spaces: count two Han characters as a word.
    return len(_WORD.findall(sentence)) + sum(map(is_han, sentence)) // 2


def make_title(rng: random.Random, sentences: SeedSentences) -> str:
    """A span of a seed sentence in title case, sometimes behind a system name."""
    words = _WORD.findall(rng.choice(sentences.english))
    length = min(len(words), rng.randint(4, 9))
    start = rng.randrange(len(words) - length + 1)
    span = words[start : start + length]
    while len(span) > 1 and span[-1].lower() in TITLE_SMALL_WORDS:
        span.pop()  # a title does not end in "of the"
    title = " ".join(
        word if word.lower() in TITLE_SMALL_WORDS and i else word[:1].upper() + word[1:]
        for i, word in enumerate(span)
    )
    if rng.random() < 0.4:
        name = rng.choice([word for word in words if len(word) >= 4] or ["Bench"])
        name = name if any(map(str.isupper, name)) else name.capitalize()
        title = f"{name}{rng.choice(SYSTEM_NAME_SUFFIXES)}: {title}"
    return title


def make_abstract(rng: random.Random, sentences: SeedSentences) -> str:
    target = rng.randint(150, 250)
    chosen, words = [], 0
    while words < target:
        pool = sentences.english
        if sentences.chinese and rng.random() < CHINESE_SHARE:
            pool = sentences.chinese
        sentence = rng.choice(pool)
        chosen.append(sentence)
        words += word_count(sentence)
    return " ".join(chosen)


def synthesise_paper(
    index: int, day: date, sentences: SeedSentences, position: int | None = None
) -> Paper:
    """Paper ``index`` (0 = newest) announced on ``day``, the ``position``-th of its day
    (by default ``index``'s place among ``PAPERS_PER_DAY``)."""
    rng = random.Random(SEED * 1_000_003 + index)
    primary = rng.choice(CATEGORIES)
    others = [c for c in CATEGORIES if c != primary]
    categories = [primary, *rng.sample(others, rng.randint(1, 3))]
    keywords = rng.sample(sorted(DEFAULT_KEYWORDS), rng.randint(1, 4))
    score = sum(DEFAULT_KEYWORDS[k] for k in keywords) + rng.choice((0.0, 0.5))
    announced = day.isoformat()
    announce_type = "cross" if rng.random() < 0.15 else "new"
    announcements = [Announcement(announced, announce_type, 1)]
    # A few papers get a v2 on a later listing day, as real ones do.
    if day < NEWEST_DAY and rng.random() < 0.08:
        later = day + timedelta(days=rng.randint(1, (NEWEST_DAY - day).days))
        if later.weekday() < 5:
            announcements.append(Announcement(later.isoformat(), "replace", 2))
    return Paper(
        arxiv_id=arxiv_id(day, index % PAPERS_PER_DAY if position is None else position),
        title=make_title(rng, sentences),
        version=len(announcements),
        authors=[
            f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"
            for _ in range(rng.randint(2, 8))
        ],
        abstract=make_abstract(rng, sentences),
        primary_category=primary,
        categories=categories,
        announce_type=announce_type,
        announced=announced,
        announcements=announcements,
        score=round(score, 1),
        matched_keywords=keywords,
        feeds=list(categories),
    )


def synthesise(count: int, sentences: SeedSentences) -> Iterator[Paper]:
    """``count`` papers, newest day first, ``PAPERS_PER_DAY`` per day."""
    days = announcement_days(-(-count // PAPERS_PER_DAY))
    for index in range(count):
        yield synthesise_paper(index, days[index // PAPERS_PER_DAY], sentences)


def next_day(after: date = NEWEST_DAY) -> date:
    """The first weekday after ``after``: the announcement day a bench adds papers on."""
    day = after + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def synthesise_next_day(count: int, first_index: int, sentences: SeedSentences) -> Iterator[Paper]:
    """``count`` papers of one new announcement day after every day ``synthesise``
    uses, as a daily fetch brings them. Their texts are those of papers
    ``first_index`` on, so they differ from the ``first_index`` papers already made."""
    if count > ID_SLOTS_PER_DAY:
        raise BenchError(
            f"--add {count} is more than one day's ids ({ID_SLOTS_PER_DAY})",
            fix=f"add at most {ID_SLOTS_PER_DAY} papers",
        )
    day = next_day()
    for position in range(count):
        yield synthesise_paper(first_index + position, day, sentences, position)
