"""How text becomes search terms, the same at build time and in the browser.

``theme/static/js/search-core.js`` implements these rules again for queries;
a test runs both on the same strings. The rules:

- NFKC, then lower case. Letters and digits make words; everything else
  separates them, except a dot between two digits (``2512.01234``, ``3.1``).
- Han, kana and Hangul runs are split from Latin at the script boundary
  (``MoE路由`` -> ``moe``, ``路由``), and the ``papershelf-cjk-bigrams`` pipeline
  function turns each run into overlapping character bigrams (a single
  character stays itself).
- Latin words then pass lunr's ``stopWordFilter`` and ``papershelf-stemmer``:
  lunr.js's Porter stemmer, applied to ASCII words only.
- Latin-script words longer than ``MAX_TERM_CHARS`` (hashes, run-together
  identifiers, long compounds) are dropped; any other term that long means a
  script the rules do not split, and the index build refuses it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from lunr.pipeline import Pipeline
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token

from papershelf.search.porter import stem
from papershelf.text import CJK_CLASS

MAX_TERM_CHARS = 24
PIPELINE_LABELS = ("papershelf-cjk-bigrams", "stopWordFilter", "papershelf-stemmer")

_CJK = re.compile(f"[{CJK_CLASS}]+")
# A CJK run, or a word of letters and digits (``[^\W_]`` is exactly Unicode's L and N
# categories) outside CJK, where a dot between two digits (\d is Nd) joins.
_LATIN_CHAR = f"[^\\W_{CJK_CLASS}]"
_RUN = re.compile(f"[{CJK_CLASS}]+|{_LATIN_CHAR}+(?:(?<=\\d)\\.(?=\\d){_LATIN_CHAR}+)*")
_ASCII_WORD = re.compile(r"[a-z0-9.]+\Z")
# Latin letters (accented too), digits and dots.
_LONG_WORD = re.compile(f"[a-z0-9.\u00c0-\u024f\u1e00-\u1eff]{{{MAX_TERM_CHARS + 1},}}\\Z")


def _runs(text: str) -> list[str]:
    """Words and CJK runs, in order (before bigrams and the pipeline)."""
    return _RUN.findall(unicodedata.normalize("NFKC", text).lower())


def tokenize(text: str | None) -> list[str]:
    """The words and CJK runs of ``text``; long Latin-script words are dropped."""
    if not text:
        return []
    return [run for run in _runs(text) if not _LONG_WORD.match(run)]


def is_cjk(run: str) -> bool:
    return bool(_CJK.fullmatch(run))


def cjk_bigrams(token: Token, i=None, tokens=None):
    text = str(token)
    if len(text) < 3 or not _CJK.fullmatch(text):
        return token
    return [Token(text[index : index + 2], dict(token.metadata)) for index in range(len(text) - 1)]


def ascii_stemmer(token: Token, i=None, tokens=None):
    text = str(token)
    if _ASCII_WORD.match(text):
        token.string = stem(text)
    return token


Pipeline.register_function(cjk_bigrams, PIPELINE_LABELS[0])
Pipeline.register_function(ascii_stemmer, PIPELINE_LABELS[2])


def pipeline() -> Pipeline:
    """The pipeline index terms and query words pass through, by label."""
    return Pipeline.load(list(PIPELINE_LABELS))


_PIPELINE = pipeline()
assert stop_word_filter.label == PIPELINE_LABELS[1]


def terms(text: str | None) -> list[str]:
    """Index terms of ``text``, in order, repeats kept (they count in BM25)."""
    return [term for run in tokenize(text) for term in _run_terms(run)]


@lru_cache(maxsize=400_000)
def _run_terms(run: str) -> tuple[str, ...]:
    # Pipeline functions look at one token at a time, so a run's terms can be cached.
    return tuple(str(token) for token in _PIPELINE.run([Token(run, {})]))


# JavaScript's \s, spelled out so both languages split alike.
WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_TAG_SEPARATORS = re.compile(f"[{WHITESPACE}_\\-‐-―]+")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def tag_form(name: str) -> str:
    """How ``tag:`` filters compare tag names: ``Mixture-of-Experts`` ==
    ``mixture of experts``. (Lower case, not casefold: JavaScript has no casefold.)"""
    return _TAG_SEPARATORS.sub(" ", unicodedata.normalize("NFKC", name).lower()).strip(" ")


def tag_term(name: str) -> str:
    """The index term of a tag name: ``#`` and the FNV-1a hash of its tag form,
    short, never a word, and computable by the browser from what the reader typed."""
    value = 0x811C9DC5
    # A lone surrogate (half of a pair) is U+FFFD, as the browser's TextEncoder makes it.
    for byte in _LONE_SURROGATE.sub("\ufffd", tag_form(name)).encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"#{value:08x}"
