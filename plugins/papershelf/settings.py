"""papershelf settings: every key any part of the project reads, in one table.

Settings live in ``pelicanconf.py`` next to Pelican's own, as flat UPPER_SNAKE
keys: ``ARXIV_`` (fetching and ranking), ``PAPERSHELF_`` (the site),
``SUMMARY_`` (``papershelf summarize``) and the page plugins' own (``TAG_``,
``TOPIC_``, ``MONTHS_``, ``TOP_``, ``STATS_``, ``SAVED_``, ``SEARCH_``, ``RELATED_``,
``SITEMAP_``, ``ROBOTS_``, ``NOT_FOUND_``, ``RENDER_CACHE_``).
Each entry of ``SETTINGS`` holds a key's default, its check and its meaning; the
README's *Settings* tables say the same, key for key (tests/test_settings.py).
Where Pelican has a key for something (``ARTICLE_URL``, ``TAG_FEED_ATOM``, ...),
the plugins use Pelican's and none is added here.

``validate`` checks every key once; ``papershelf.config.plugin_settings``
is how the CLI and the plugins get the checked values.
"""

from __future__ import annotations

import os
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from papershelf import settings_checks as is_
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


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    check: is_.Check
    meaning: str  # one line, Markdown: the README's table shows it as it is
    # The value may be a secret put in the wrong place: messages never show it.
    secret: bool = False


USER_AGENT = "papershelf/0.1 (static paper site; +https://github.com/papershelf/papershelf)"

SETTINGS: tuple[Setting, ...] = (
    # --- fetching and ranking (papershelf fetch, the importers) ---------------------
    Setting("ARXIV_CATEGORIES", ["cs.AI", "cs.CL", "cs.DC", "cs.LG"], is_.arxiv_categories(),
            "categories whose daily feeds `fetch` reads"),
    Setting("ARXIV_KEYWORDS", DEFAULT_KEYWORDS, is_.keyword_weights(),
            "term -> weight, looked for in titles and abstracts; imported notes are "
            "tagged with the terms they mention"),
    Setting("ARXIV_EXCLUDE_KEYWORDS", ["survey"], is_.list_of_text(),
            "a paper mentioning one of these is rejected"),
    Setting("ARXIV_MIN_SCORE", 1.0, is_.number_at_least(0),
            "papers scoring less are rejected"),
    Setting("ARXIV_TITLE_BONUS", 0.5, is_.number_at_least(0),
            "extra weight (times the keyword's) for a keyword in the title"),
    Setting("ARXIV_MAX_PAPERS_PER_DAY", 100, is_.whole_number_above_zero(),
            "papers kept per announcement day, best first"),
    Setting("ARXIV_FEED_URL", "https://rss.arxiv.org/rss/{category}",
            is_.url_template("{category}"), "feed URL template"),
    Setting("ARXIV_API_URL", "https://export.arxiv.org/api/query?id_list={ids}",
            is_.url_template("{ids}"),
            "API URL template (`new-note`); `resolve` asks the part before `?` with "
            "`search_query=`"),
    Setting("ARXIV_RESOLVE_RETRY_DAYS", 30, is_.whole_number_at_least(0),
            "days before `resolve` asks again about a record arXiv had no match for"),
    Setting("ARXIV_ARCHIVE_PATH", "data", is_.non_empty_path(),
            "the archive; a relative path is taken from the project root "
            "(the folder holding `content/`)"),
    Setting("ARXIV_USER_AGENT", USER_AGENT, is_.non_empty_text(),
            "User-Agent of every request"),
    Setting("ARXIV_REQUEST_INTERVAL", 3.0, is_.number_at_least(0),
            "seconds between requests"),
    Setting("ARXIV_REQUEST_TIMEOUT", 30.0, is_.seconds(),
            "seconds per request (a slow drip is cut at 4x)"),
    Setting("ARXIV_MAX_RETRIES", 3, is_.whole_number_at_least(0),
            "retries after a 429, a 5xx, a timeout or a broken connection"),
    Setting("ARXIV_MAX_FEED_BYTES", 20 * 1024 * 1024, is_.whole_number_above_zero(),
            "larger answers (and feed files) are refused, before they are read"),
    # --- the site -------------------------------------------------------------------
    Setting("PAPERSHELF_HOME_DAYS", 7, is_.whole_number_above_zero(),
            "days listed on the home page"),
    Setting("PAPERSHELF_LISTING_PAGE_SIZE", 50, is_.whole_number_above_zero(),
            "papers per listing page (category, tag, topic, month), and the cards of a "
            "recent day's digest before its rows"),
    Setting("PAPERSHELF_PAST_DAY_CARDS", 5, is_.whole_number_at_least(0),
            "cards of a day's digest older than the home page's days, before its rows"),
    Setting("PAPERSHELF_SUMMARY_CHARS", 280, is_.whole_number_above_zero(),
            "length limit of the short summary on cards, feeds and meta tags"),
    Setting("PAPERSHELF_NOTES_DIR", "notes", is_.non_empty_path(),
            "folder of curated notes, inside `PATH`"),
    Setting("PAPERSHELF_TAG_ALIASES", "tags.yml", is_.non_empty_path(),
            "tag alias file, inside `PATH`"),
    Setting("PAPERSHELF_NOTE_LANG", "en", is_.non_empty_text('a language such as "en" or "zh"'),
            "language of notes without a `Lang` key (`zh` in this site's `pelicanconf.py`)"),
    Setting("PAPERSHELF_MAX_NOTE_BYTES", 1_000_000, is_.whole_number_above_zero(),
            "a larger note is a problem for `check` and the build, and is never read"),
    Setting("PAPERSHELF_STRICT", False, is_.flag(),
            "`True`: an unreadable archive record stops the build at once; else it is "
            "logged as an error and skipped (`papershelf build` then fails at the end)"),
    Setting("PAPERSHELF_FEED_ID_URL", "", is_.site_url_or_empty(),
            "the site URL the ids of Atom entries are made of (`tag:<host>,<date>:<path>`); "
            '`""`: `SITEURL`. When the site moves, set it to the old `SITEURL`: feed '
            "readers then keep knowing every entry"),
    Setting("PAPERSHELF_PUBLISHING", False, is_.flag(),
            "`True` (`publishconf.py` sets it): a build for the web, which stops, the "
            "output left as it was, when the site is over one of the two limits below"),
    Setting("PAPERSHELF_MAX_SITE_BYTES", 10**9, is_.whole_number_above_zero(),
            "the host's limit on the whole site (GitHub Pages: 1 GB); every build warns "
            "at 80%"),
    Setting("PAPERSHELF_MAX_FILE_BYTES", 10**8, is_.whole_number_above_zero(),
            "the host's limit on one file (GitHub: 100 MB); every build warns at 80%"),
    Setting("PAPERSHELF_JSON_LD", False, is_.flag(),
            "`True`: paper pages also carry a schema.org `ScholarlyArticle` as JSON-LD "
            "(some 0.7 KB a page, 70 MB at 100,000 papers); Google Scholar and Zotero "
            "read the Highwire `citation_*` tags, which every paper page has"),
    Setting("PAPERSHELF_LIVE_RELOAD", False, is_.flag(),
            "`True`: pages load `live-reload.js`, which reloads them after each rebuild "
            "of `papershelf serve --reload` (it sets this for its own builds only)"),
    # --- AI summaries (papershelf summarize): off until an API base is set ------------
    Setting("SUMMARY_API_BASE", "", is_.http_url_or_off(),
            "OpenAI-compatible API base of `summarize`, e.g. `https://api.openai.com/v1`; "
            '`""`: off'),
    Setting("SUMMARY_MODEL", "", is_.text('a model name such as "gpt-4o-mini"'),
            "model to ask; required once `SUMMARY_API_BASE` is set"),
    # The key is read from the environment variable named here, never from settings.
    Setting("SUMMARY_API_KEY_ENV", "PAPERSHELF_SUMMARY_API_KEY", is_.env_var_name(),
            "name of the environment variable holding the API key (never the key itself)",
            secret=True),
    Setting("SUMMARY_PROMPT_FILE", "",
            is_.path_or_empty('a path relative to the project root, or "" (the bundled prompt)'),
            "prompt template, relative to the project root; `\"\"`: the bundled "
            "`plugins/papershelf/summaries/summary_prompt.txt`"),
    Setting("SUMMARY_LANG", "en", is_.non_empty_text('a language such as "en" or "zh"'),
            "language the summaries are asked in (`en`, `zh`, ... or a language's name)"),
    Setting("SUMMARY_CONCURRENCY", 2, is_.whole_number_above_zero(),
            "requests at a time"),
    Setting("SUMMARY_TIMEOUT", 60.0, is_.seconds(),
            "seconds to wait for an answer"),
    Setting("SUMMARY_MAX_RETRIES", 2, is_.whole_number_at_least(0),
            "retries after a 429, a 5xx or a broken connection"),
    # --- the page plugins (plugins/<name>/) --------------------------------------------
    Setting("TAG_CLOUD_SIZE", 60, is_.whole_number_at_least(0),
            "tags in the tag index's cloud of the most used (`tag_pages`)"),
    Setting("TAG_BEST_URL", "{url}top/", is_.url_template("{url}"),
            "the best-first order of a tag page; `{url}` is the tag's `TAG_URL`"),
    Setting("TOPIC_URL", "topics/{slug}/", is_.url_template("{slug}"),
            "a topic's pages (`topic_pages`)"),
    Setting("TOPICS_URL", "topics/", is_.folder_url("topics/"),
            "the index of topics"),
    Setting("TOPIC_STATED_COUNT_FILES", ["imports/paper-explorer.json"], is_.list_of_text(),
            "importers' state files, in the archive, holding the paper count each "
            "topic's source stated"),
    Setting("MONTHS_URL", "archive/", is_.folder_url("archive/"),
            "the index of months (`monthly_archives`)"),
    Setting("TOP_URL", "top/", is_.folder_url("top/"),
            "the best of each week and month (`top_papers`): `<TOP_URL>week/<YYYY-Www>/`, "
            "`<TOP_URL>month/<YYYY-MM>/` and their index"),
    Setting("TOP_SIZE", 10, is_.whole_number_above_zero(),
            "papers shown (and in the feed) per week or month"),
    Setting("TOP_BLEND", {"score": 1.0, "rating": 0.5, "note": 0.25},
            is_.blend_weights(("score", "rating", "note")),
            "a paper's rank value = `score` x its feed score / the period's best + `rating` "
            "x its curator's rating / 5 + `note` x (1 if it has a curator's note)"),
    Setting("TOP_FEED_ATOM", "feeds/top/{slug}.atom.xml", is_.url_template("{slug}"),
            "each period's Atom feed; `{slug}` is `week/<YYYY-Www>` or `month/<YYYY-MM>`"),
    Setting("STATS_URL", "stats/", is_.text(),
            "the stats page's link (`site_stats`); `\"\"`: none"),
    Setting("STATS_SAVE_AS", "stats/index.html", is_.text(),
            "the stats page's file; `\"\"`: no stats page"),
    Setting("STATS_WEEKS", 52, is_.whole_number_above_zero(),
            "weeks of papers per source charted, at most"),
    Setting("STATS_MONTHS", 24, is_.whole_number_above_zero(),
            "months of top tags charted, at most"),
    Setting("STATS_TOP_TAGS", 6, is_.whole_number_above_zero(),
            "tags the monthly chart follows"),
    Setting("SAVED_URL", "saved/", is_.text(),
            "the reading list's link (`reading_list`); `\"\"`: none"),
    Setting("SAVED_SAVE_AS", "saved/index.html", is_.text(),
            "the reading list's page; `\"\"`: no page and no save toggles"),
    Setting("SEARCH_URL", "search/", is_.non_empty_text(),
            "the search page (`search_index`)"),
    Setting("SEARCH_SAVE_AS", "search/index.html", is_.non_empty_text(),
            "the search page's file"),
    Setting("SEARCH_INDEX_DIR", "search", is_.folder_name(),
            "folder of the index files, under the output path"),
    Setting("SEARCH_DUMP_INDEX", None, is_.path_or_none(),
            "a path: also write the whole lunr.py index there (for tests)"),
    Setting("RELATED_PAPERS_LIMIT", 5, is_.whole_number_at_least(0),
            "related papers listed on a paper page (`related_papers`); `0`: none"),
    Setting("SITEMAP_SAVE_AS", "sitemap.xml", is_.text(),
            "the sitemap (`sitemap_files`); above `SITEMAP_MAX_URLS` pages, a sitemap "
            "index of `sitemap-1.xml`, `sitemap-2.xml`, ...; `\"\"`: none"),
    Setting("SITEMAP_MAX_URLS", 50000, is_.whole_number_between(1, 50000),
            "URLs per sitemap file, at most (the protocol's limit is 50,000)"),
    Setting("ROBOTS_SAVE_AS", "robots.txt", is_.text(),
            "the robots.txt naming the sitemap (when `SITEURL` is set); `\"\"`: none"),
    Setting("NOT_FOUND_SAVE_AS", "404.html", is_.text(),
            "the page for missing paths, links from the root (`error_page`); `\"\"`: none"),
    Setting("RENDER_CACHE_ENABLED", True, is_.flag(),
            "skip rendering pages whose inputs did not change (`render_cache`)"),
)  # fmt: skip

DEFAULTS: Mapping[str, Any] = MappingProxyType({s.key: s.default for s in SETTINGS})


def _shown(value: Any) -> str:
    """The value as Python writes it, long ones (a keyword dict) cut short."""
    short = reprlib.Repr()
    short.maxstring = short.maxother = 80
    short.maxdict = short.maxlist = 6
    return short.repr(value)


def _bad(setting: Setting, value: Any) -> SettingsError:
    shown = "" if setting.secret else f" = {_shown(setting.check.culprit(value))}"
    fix = "fix it in pelicanconf.py"
    if setting.secret:
        fix += " and put the key in that variable"
    return SettingsError(
        f"setting {setting.key}{shown} is invalid: expected {setting.check.expected}", fix=fix
    )


def validate(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Every key of SETTINGS: its value in ``settings`` or its default, checked.

    Raises SettingsError naming the first bad key. Paths given as ``Path``
    objects come back as strings."""
    checked = {}
    for setting in SETTINGS:
        value = settings.get(setting.key, setting.default)
        if not setting.check.test(value):
            raise _bad(setting, value)
        checked[setting.key] = os.fspath(value) if isinstance(value, os.PathLike) else value
    return checked
