"""The small checks the settings table (papershelf.settings) is made of.

A check is a test of one value and the words saying what a good value is, so
that every bad setting is told the same way: ``setting KEY = value is invalid:
expected <what> (fix it in pelicanconf.py)``. They live apart from the table to
keep the table readable: one line of meaning per key, no code.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

CATEGORY_PATTERN = re.compile(r"^[a-z-]+(\.[A-Za-z-]+)?$")
ENV_NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Check:
    """``test(value)`` is true for a good value; ``expected`` says what one is;
    ``culprit(value)`` is the part of a bad value a message shows."""

    expected: str
    test: Callable[[Any], bool]
    culprit: Callable[[Any], Any] = lambda value: value


def _is_number(value: Any) -> bool:
    # bool is an int to Python, but True is no count of seconds.
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_path(value: Any) -> bool:
    # Settings files may build paths with pathlib (ROOT / "data").
    return isinstance(value, str | os.PathLike)


def number_at_least(minimum: float) -> Check:
    return Check(f"a number >= {minimum:g}", lambda v: _is_number(v) and v >= minimum)


def seconds() -> Check:
    return Check("a number of seconds > 0", lambda v: _is_number(v) and v > 0)


def whole_number_at_least(minimum: int) -> Check:
    return Check(f"a whole number >= {minimum}", lambda v: _is_whole(v) and v >= minimum)


def whole_number_between(low: int, high: int) -> Check:
    return Check(
        f"a whole number from {low} to {high:,}", lambda v: _is_whole(v) and low <= v <= high
    )


def whole_number_above_zero() -> Check:
    return Check("a whole number > 0", lambda v: _is_whole(v) and v > 0)


def flag() -> Check:
    return Check("True or False", lambda v: isinstance(v, bool))


def text(expected: str = "a string") -> Check:
    """Any string, "" included."""
    return Check(expected, _is_str)


def non_empty_text(expected: str = "a non-empty string") -> Check:
    return Check(expected, _is_text)


def non_empty_path(expected: str = "a non-empty path") -> Check:
    return Check(expected, lambda v: _is_path(v) and str(v).strip() != "")


def path_or_empty(expected: str) -> Check:
    return Check(expected, _is_path)


def path_or_none() -> Check:
    return Check(
        "a file path, or None", lambda v: v is None or (_is_path(v) and str(v).strip() != "")
    )


def folder_url(example: str) -> Check:
    """A URL path pages are written under: ``<it>index.html`` must name a folder."""
    return Check(
        f"a URL path ending in '/', such as {example!r}",
        lambda v: _is_text(v) and v.endswith("/") and not v.startswith("/"),
    )


def folder_name() -> Check:
    return Check(
        "the name of a folder under the output path, such as 'search'",
        lambda v: _is_path(v) and str(v).strip("/").strip() != "",
    )


def url_template(field: str) -> Check:
    return Check(f"a URL template containing {field}", lambda v: _is_str(v) and field in v)


def http_url_or_off() -> Check:
    return Check(
        'an http(s) URL such as "https://api.openai.com/v1", or "" (off)',
        lambda v: isinstance(v, str) and (v == "" or v.startswith(("http://", "https://"))),
    )


def site_url_or_empty() -> Check:
    return Check(
        'a site URL such as "https://user.github.io/repo", or "" (SITEURL)',
        lambda v: isinstance(v, str) and (v == "" or v.startswith(("http://", "https://"))),
    )


def env_var_name() -> Check:
    return Check(
        "the name of an environment variable such as PAPERSHELF_SUMMARY_API_KEY, "
        "not the key itself",
        lambda v: isinstance(v, str) and ENV_NAME_PATTERN.match(v) is not None,
    )


def list_of_text() -> Check:
    return Check(
        "a list of non-empty strings",
        lambda v: isinstance(v, list | tuple) and all(_is_text(item) for item in v),
    )


def arxiv_categories() -> Check:
    return Check(
        "a non-empty list of arXiv categories such as 'cs.LG'",
        lambda v: (
            isinstance(v, list | tuple)
            and len(v) > 0
            and all(isinstance(c, str) and CATEGORY_PATTERN.match(c) for c in v)
        ),
    )


def _good_weight(term: Any, weight: Any) -> bool:
    return _is_text(term) and _is_number(weight)


def _bad_weights(value: Any) -> Any:
    """The first bad term -> weight, not a dict of thirty good ones around it."""
    if isinstance(value, Mapping):
        for term, weight in value.items():
            if not _good_weight(term, weight):
                return {term: weight}
    return value


def keyword_weights() -> Check:
    return Check(
        "a dict of term -> weight: non-empty string terms, numeric weights",
        lambda v: isinstance(v, Mapping) and all(_good_weight(t, w) for t, w in v.items()),
        culprit=_bad_weights,
    )


def _bad_blend_item(value: Any, terms: tuple[str, ...]) -> Any:
    """The first unknown term or bad weight of a blend, else the whole blend."""
    if isinstance(value, Mapping):
        for term, weight in value.items():
            if term not in terms or not (_is_number(weight) and weight >= 0):
                return {term: weight}
    return value


def blend_weights(terms: tuple[str, ...]) -> Check:
    """A dict giving a weight >= 0 to each of ``terms``, not all of them 0."""
    names = ", ".join(repr(term) for term in terms)
    return Check(
        f"a dict of a weight >= 0 for each of {names}, not all 0",
        lambda v: (
            isinstance(v, Mapping)
            and set(v) == set(terms)
            and all(_is_number(w) and w >= 0 for w in v.values())
            and any(w > 0 for w in v.values())
        ),
        culprit=lambda v: _bad_blend_item(v, terms),
    )
