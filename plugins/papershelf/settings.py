"""papershelf settings: every default in one place, checked once.

Settings live in ``pelicanconf.py`` next to Pelican's own, as flat UPPER_SNAKE
keys with an ``ARXIV_`` (ingest), ``PAPERSHELF_`` (site) or ``SUMMARY_``
(``papershelf summarize``) prefix.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from papershelf.errors import SettingsError

DEFAULT_KEYWORDS = {
    # The interests of the arXiv bot whose digests this site grew out of.
    "LLM": 3.0,
    "RL": 2.0,
    "RLHF": 2.0,
    "Inference": 2.0,
    "Training": 1.0,
    "Attention": 1.0,
    "Pipeline": 1.0,
    "MoE": 3.0,
    "Mixture of Experts": 3.0,
    "Sparse": 1.0,
    "Quantization": 2.0,
    "Speculative": 2.0,
    "Efficient": 1.0,
    "Efficiency": 1.0,
    "Framework": 0.5,
    "Parallel": 1.0,
    "Distributed": 1.5,
    "Kernel": 1.5,
    "Decode": 1.0,
    "Decoding": 1.5,
    "Prefill": 2.0,
    "Throughput": 1.5,
    "Fast": 0.5,
    "Network": 0.5,
    "Hardware": 1.0,
    "Cluster": 1.0,
    "FP8": 2.0,
    "FP4": 2.0,
    "Optimization": 0.5,
    "Scalable": 1.0,
    "Communication": 1.0,
}

DEFAULTS: dict[str, Any] = {
    "ARXIV_CATEGORIES": ["cs.AI", "cs.CL", "cs.DC", "cs.LG"],
    "ARXIV_KEYWORDS": DEFAULT_KEYWORDS,
    "ARXIV_EXCLUDE_KEYWORDS": ["survey"],
    "ARXIV_MIN_SCORE": 1.0,
    "ARXIV_TITLE_BONUS": 0.5,
    "ARXIV_MAX_PAPERS_PER_DAY": 100,
    "ARXIV_FEED_URL": "https://rss.arxiv.org/rss/{category}",
    "ARXIV_API_URL": "https://export.arxiv.org/api/query?id_list={ids}",
    "ARXIV_ARCHIVE_PATH": "data",
    "ARXIV_USER_AGENT": (
        "papershelf/0.1 (static paper site; +https://github.com/papershelf/papershelf)"
    ),
    "ARXIV_REQUEST_INTERVAL": 3.0,
    "ARXIV_REQUEST_TIMEOUT": 30.0,
    "ARXIV_MAX_RETRIES": 3,
    "ARXIV_MAX_FEED_BYTES": 20 * 1024 * 1024,
    "PAPERSHELF_HOME_DAYS": 7,
    "PAPERSHELF_LISTING_PAGE_SIZE": 50,
    "PAPERSHELF_SUMMARY_CHARS": 280,
    # Curated notes: a folder and the tag alias file, both inside Pelican's PATH.
    "PAPERSHELF_NOTES_DIR": "notes",
    "PAPERSHELF_TAG_ALIASES": "tags.yml",
    "PAPERSHELF_NOTE_LANG": "en",
    "PAPERSHELF_MAX_NOTE_BYTES": 1_000_000,  # a longer note is refused, not read
    # AI summaries (papershelf summarize): off until an API base is set. The key is
    # read from the environment variable named here, never from settings.
    "SUMMARY_API_BASE": "",
    "SUMMARY_MODEL": "",
    "SUMMARY_API_KEY_ENV": "PAPERSHELF_SUMMARY_API_KEY",
    "SUMMARY_PROMPT_FILE": "",  # "" = the bundled summaries/summary_prompt.txt
    "SUMMARY_LANG": "en",
    "SUMMARY_CONCURRENCY": 2,
    "SUMMARY_TIMEOUT": 60.0,
    "SUMMARY_MAX_RETRIES": 2,
}

CATEGORY_PATTERN = re.compile(r"^[a-z-]+(\.[A-Za-z-]+)?$")
ENV_NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check(condition: bool, key: str, value: Any, expected: str) -> None:
    if not condition:
        raise SettingsError(
            f"setting {key} = {value!r} is invalid: expected {expected} (fix it in pelicanconf.py)"
        )


def _check_keywords(key: str, value: Any) -> None:
    _check(isinstance(value, Mapping), key, value, "a dict of term -> weight")
    for term, weight in value.items():
        _check(
            isinstance(term, str) and term.strip() != "",
            key,
            term,
            "non-empty string terms",
        )
        _check(_number(weight), key, {term: weight}, "numeric weights")


def _check_term_list(key: str, value: Any) -> None:
    _check(
        isinstance(value, list | tuple)
        and all(isinstance(term, str) and term.strip() for term in value),
        key,
        value,
        "a list of non-empty strings",
    )


def validate(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Return the papershelf settings merged over DEFAULTS, or raise SettingsError."""
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}

    categories = merged["ARXIV_CATEGORIES"]
    _check(
        isinstance(categories, list | tuple)
        and len(categories) > 0
        and all(isinstance(c, str) and CATEGORY_PATTERN.match(c) for c in categories),
        "ARXIV_CATEGORIES",
        categories,
        "a non-empty list of arXiv categories such as 'cs.LG'",
    )
    _check_keywords("ARXIV_KEYWORDS", merged["ARXIV_KEYWORDS"])
    _check_term_list("ARXIV_EXCLUDE_KEYWORDS", merged["ARXIV_EXCLUDE_KEYWORDS"])
    for key in ("ARXIV_MIN_SCORE", "ARXIV_TITLE_BONUS", "ARXIV_REQUEST_INTERVAL"):
        _check(_number(merged[key]) and merged[key] >= 0, key, merged[key], "a number >= 0")
    _check(
        _number(merged["ARXIV_REQUEST_TIMEOUT"]) and merged["ARXIV_REQUEST_TIMEOUT"] > 0,
        "ARXIV_REQUEST_TIMEOUT",
        merged["ARXIV_REQUEST_TIMEOUT"],
        "a number of seconds > 0",
    )
    for key in (
        "ARXIV_MAX_PAPERS_PER_DAY",
        "ARXIV_MAX_FEED_BYTES",
        "PAPERSHELF_HOME_DAYS",
        "PAPERSHELF_LISTING_PAGE_SIZE",
        "PAPERSHELF_SUMMARY_CHARS",
        "PAPERSHELF_MAX_NOTE_BYTES",
    ):
        _check(
            isinstance(merged[key], int) and not isinstance(merged[key], bool) and merged[key] > 0,
            key,
            merged[key],
            "a whole number > 0",
        )
    _check(
        isinstance(merged["ARXIV_MAX_RETRIES"], int) and merged["ARXIV_MAX_RETRIES"] >= 0,
        "ARXIV_MAX_RETRIES",
        merged["ARXIV_MAX_RETRIES"],
        "a whole number >= 0",
    )
    for key, field in (("ARXIV_FEED_URL", "{category}"), ("ARXIV_API_URL", "{ids}")):
        _check(
            isinstance(merged[key], str) and field in merged[key],
            key,
            merged[key],
            f"a URL template containing {field}",
        )
    for key in (
        "ARXIV_ARCHIVE_PATH",
        "ARXIV_USER_AGENT",
        "PAPERSHELF_NOTES_DIR",
        "PAPERSHELF_TAG_ALIASES",
        "PAPERSHELF_NOTE_LANG",
    ):
        _check(
            isinstance(merged[key], str | os.PathLike) and str(merged[key]).strip(),
            key,
            merged[key],
            "a non-empty string",
        )
    merged["ARXIV_ARCHIVE_PATH"] = os.fspath(merged["ARXIV_ARCHIVE_PATH"])
    _check_summary(merged)
    return merged


def _check_summary(merged: dict[str, Any]) -> None:
    base = merged["SUMMARY_API_BASE"]
    _check(
        isinstance(base, str) and (base == "" or base.startswith(("http://", "https://"))),
        "SUMMARY_API_BASE",
        base,
        'an http(s) URL such as "https://api.openai.com/v1", or "" (off)',
    )
    _check(
        isinstance(merged["SUMMARY_MODEL"], str),
        "SUMMARY_MODEL",
        merged["SUMMARY_MODEL"],
        'a model name such as "gpt-4o-mini"',
    )
    _check(
        isinstance(merged["SUMMARY_PROMPT_FILE"], str | os.PathLike),
        "SUMMARY_PROMPT_FILE",
        merged["SUMMARY_PROMPT_FILE"],
        'a path relative to the project root, or "" (the bundled prompt)',
    )
    merged["SUMMARY_PROMPT_FILE"] = os.fspath(merged["SUMMARY_PROMPT_FILE"])
    _check(
        isinstance(merged["SUMMARY_LANG"], str) and merged["SUMMARY_LANG"].strip(),
        "SUMMARY_LANG",
        merged["SUMMARY_LANG"],
        'a language such as "en" or "zh"',
    )
    env_name = merged["SUMMARY_API_KEY_ENV"]
    if not (isinstance(env_name, str) and ENV_NAME_PATTERN.match(env_name)):
        # Not _check: the value may be the key itself, which must not be printed.
        raise SettingsError(
            "setting SUMMARY_API_KEY_ENV is invalid: expected the name of an environment "
            "variable such as PAPERSHELF_SUMMARY_API_KEY, not the key itself (fix it in "
            "pelicanconf.py and put the key in that variable)"
        )
    concurrency = merged["SUMMARY_CONCURRENCY"]
    _check(
        isinstance(concurrency, int) and not isinstance(concurrency, bool) and concurrency >= 1,
        "SUMMARY_CONCURRENCY",
        concurrency,
        "a whole number >= 1",
    )
    _check(
        _number(merged["SUMMARY_TIMEOUT"]) and merged["SUMMARY_TIMEOUT"] > 0,
        "SUMMARY_TIMEOUT",
        merged["SUMMARY_TIMEOUT"],
        "a number of seconds > 0",
    )
    retries = merged["SUMMARY_MAX_RETRIES"]
    _check(
        isinstance(retries, int) and not isinstance(retries, bool) and retries >= 0,
        "SUMMARY_MAX_RETRIES",
        retries,
        "a whole number >= 0",
    )
