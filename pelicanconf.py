"""Site settings: Pelican's own, then papershelf's (ARXIV_*, PAPERSHELF_*, ...).

Every papershelf default lives in plugins/papershelf/settings.py and the README;
set a key here only to change it.
"""

SITENAME = "papershelf"
SITESUBTITLE = "每天的 AI 新论文：排序、总结、点评"
SITEURL = ""
AUTHOR = "papershelf"
TIMEZONE = "UTC"
# The interface language (plugins/interface_language): "zh" (Simplified Chinese) or
# "en". This site's notes and readers are mostly Chinese; SITENAME and SITESUBTITLE
# are the site's own words and stay as written in either language.
DEFAULT_LANG = "zh"

PATH = "content"
# Notes and pages are Markdown; reStructuredText is off (docutils has no plain "zh").
READERS = {"rst": None}
THEME = "theme"
OUTPUT_PATH = "output"
CACHE_PATH = "cache"
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "interface_language",
    "theme_filters",
    "page_scripts",
    "paper_notes",
    "paper_articles",
    "daily_digests",
    "tag_pages",
    "topic_pages",
    "monthly_archives",
    "top_papers",
    "site_stats",
    "reading_list",
    "related_papers",
    "search_index",
    "error_page",
    "sitemap_files",
    "render_cache",
]

# Papers live at /papers/<arxiv-id>/; notes and listings use clean URLs too.
ARTICLE_URL = "papers/{slug}/"
ARTICLE_SAVE_AS = "papers/{slug}/index.html"
# Notes in Chinese are not translations of English ones: same URLs for every language.
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# A page written in two languages (about.md, about-zh.md: one Slug, two Langs) shows
# the one in DEFAULT_LANG; the other is not written.
PAGE_LANG_URL = PAGE_URL
PAGE_LANG_SAVE_AS = ""
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_URL = "tags/"
# Tag URLs keep the tag's script (tags/长上下文/), and every spelling that
# papershelf.notes.tags.tag_key merges (case, width, "_", dashes) shares one URL.
SLUGIFY_USE_UNICODE = True
TAG_REGEX_SUBSTITUTIONS = [
    (r"[_\u2010-\u2015]+", "-"),
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]
# Listings come from the plugins (home and digests: daily_digests; arXiv category
# pages with cross-lists: daily_digests; tags: tag_pages), so Pelican's own are off.
CATEGORY_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
DIRECT_TEMPLATES = []
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

# Delivered as a meta tag on every page. Nothing inline runs or styles: scripts,
# styles, fonts and the search worker come from the site itself; images in notes
# may also come from other https hosts or data: URLs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' https: data:; object-src 'none'; base-uri 'self'"
)

# All text from feeds, notes and imports is untrusted: templates escape by default.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_MAX_ITEMS = 100
# One Atom feed per tag and per arXiv category (written by tag_pages and daily_digests).
TAG_FEED_ATOM = "feeds/tags/{slug}.atom.xml"
CATEGORY_FEED_ATOM = "feeds/categories/{slug}.atom.xml"
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
RSS_FEED_SUMMARY_ONLY = True

RELATIVE_URLS = True
LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
DELETE_OUTPUT_DIRECTORY = False

# --- papershelf: what to fetch and how to rank it -----------------------------
PAPERSHELF_NOTE_LANG = "zh"  # most notes here are in Chinese
# The archive is data/ beside content/ (ARXIV_ARCHIVE_PATH = "data").
# ARXIV_CATEGORIES = ["cs.AI", "cs.CL", "cs.DC", "cs.LG"]
# ARXIV_KEYWORDS = {"LLM": 3.0, "MoE": 3.0, ...}  # term -> weight; see README
# ARXIV_EXCLUDE_KEYWORDS = ["survey"]
# ARXIV_MIN_SCORE = 1.0
# ARXIV_MAX_PAPERS_PER_DAY = 100
