"""Tag pages in a real build: spellings and aliases merged, readable Chinese
URLs, newest-first and best-first orders, and the tag index."""

import runpy
from types import SimpleNamespace
from urllib.parse import unquote

import pytest

from papershelf.site.tag_listing import group_by_initial, initial, tag_cloud, unify_tag_names

from .sites import FEEDS, ROOT, build, fetch, page, site_settings

TAG_SUBSTITUTIONS = runpy.run_path(str(ROOT / "pelicanconf.py"))["TAG_REGEX_SUBSTITUTIONS"]

ALIASES = "MoE:\n  aliases: [Mixture of Experts, 专家混合]\n"
NOTES = {
    # Spelled three ways in three notes: one tag.
    "rated-three.md": "Title: Sparse routing notes\nArxiv: 2512.00001\nDate: 2025-12-11\n"
    "Tags: MoE, Long-Context\nRating: 3\n\nBody.\n",
    "rated-five.md": "Title: 长上下文的稀疏注意力\nDate: 2025-12-01\nTags: long context, 长上下文\n"
    "Rating: 5\nLang: zh\n\n正文。\n",
    "unrated.md": "Title: Unrated long context note\nDate: 2025-12-20\n"
    "Tags: Long_Context, +++\n\nBody.\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("tags")
    settings = site_settings(tmp_path, ARXIV_KEYWORDS={"Mixture of Experts": 3.0, "LLM": 1.0})
    (tmp_path / "content" / "tags.yml").write_text(ALIASES, encoding="utf-8")
    notes = tmp_path / "content" / "notes"
    notes.mkdir()
    for name, text in NOTES.items():
        (notes / name).write_text(text, encoding="utf-8")
    assert fetch(settings, FEEDS / "day1-cs.CL.new-and-cross.rss.xml")[0] == 0
    return build(settings)


def card_links(soup) -> list[str]:
    return [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in soup.select(".card-title a")]


def test_aliases_and_spellings_merge_into_one_tag(site):
    moe = page(site, "tags/moe/index.html")
    # The feed's keyword "Mixture of Experts" is an alias: its paper is under MoE.
    assert "2512.00001" in card_links(moe)
    # The alias's own URL is no listing, only a redirect to the tag's page.
    moved = page(site, "tags/mixture-of-experts/index.html")
    assert moved.select_one('meta[http-equiv="refresh"]') and not card_links(moved)
    aliases = moe.select_one(".aliases")
    assert [span.get_text() for span in aliases.find_all("span")] == [
        "Mixture of Experts",
        "专家混合",
    ]
    assert aliases.find("span", string="专家混合")["lang"] == "zh"
    long_context = page(site, "tags/long-context/index.html")
    assert len(card_links(long_context)) == 3
    assert "3 papers" in long_context.select_one(".listing-bar").get_text()
    tag_dirs = {path.name for path in (site / "tags").iterdir() if path.is_dir()}
    assert not tag_dirs & {"long_context", "longcontext"}


def test_chinese_tags_keep_their_script_in_the_url(site):
    assert (site / "tags/长上下文/index.html").is_file()
    paper = page(site, "papers/rated-five/index.html")
    hrefs = [unquote(a["href"]) for a in paper.select(".chip")]
    assert any(href.endswith("tags/长上下文/") for href in hrefs), hrefs


def test_a_tag_of_punctuation_gets_a_hashed_url_not_the_index(site):
    index = page(site, "tags/index.html")
    assert index.h1.get_text() == "Tags"
    link = index.find("a", string="+++")
    assert link["href"].rstrip("/").rsplit("/", 1)[-1].startswith("tag-")
    slug = link["href"].rstrip("/").rsplit("/", 1)[-1]
    assert card_links(page(site, f"tags/{slug}/index.html")) == ["unrated"]


def test_best_first_orders_by_rating_then_score(site):
    newest = page(site, "tags/long-context/index.html")
    best = page(site, "tags/long-context/top/index.html")
    assert card_links(newest) == ["unrated", "2512.00001", "rated-five"]
    assert card_links(best) == ["rated-five", "2512.00001", "unrated"]
    current = best.select_one('.sort-switch a[aria-current="page"]')
    assert current.get_text() == "Best"
    assert newest.select_one('.sort-switch a[aria-current="page"]').get_text() == "Newest"
    # A tag with one paper has nothing to sort.
    assert not (site / "tags/长上下文/top").exists()
    assert page(site, "tags/长上下文/index.html").select_one(".sort-switch") is None


def test_tag_index_has_a_cloud_and_every_tag_by_initial(site):
    index = page(site, "tags/index.html")
    counts = {
        li.a.get_text(): int(li.select_one(".count").get_text())
        for li in index.select(".tag-index li")
    }
    assert counts["Long-Context"] == 3 and counts["MoE"] >= 1 and counts["长上下文"] == 1
    headings = [h3.get_text() for h3 in index.select("section h3")]
    assert headings.index("L") < headings.index("M") < headings.index("中文")
    han = index.find("h3", string="中文").find_next("ul")
    assert [a.get_text() for a in han.find_all("a")] == ["长上下文"]
    cloud = index.select(".tag-cloud li")
    assert cloud and all(li["class"][0].startswith("tag-size-") for li in cloud)
    biggest = max(cloud, key=lambda li: int(li.select_one(".count").get_text()))
    assert biggest["class"] == ["tag-size-5"]


class Listing:
    def __init__(self, name, count):
        self.name, self.papers = name, [None] * count

    @property
    def count(self):
        return len(self.papers)


def test_cloud_keeps_the_most_used_in_name_order_with_log_sizes():
    listings = [Listing(name, count) for name, count in [("b", 1), ("a", 100), ("c", 10)]]
    cloud = tag_cloud(listings, limit=2)
    assert [(item.listing.name, item.size) for item in cloud] == [("a", 5), ("c", 1)]
    cloud = tag_cloud(listings, limit=3)
    assert [item.size for item in cloud] == [5, 1, 3]  # a, b, c: log10 is halfway


def test_initials_put_latin_digits_chinese_then_the_rest():
    assert [initial(name) for name in ["moe", "3D", "长上下文", "μP", "Ünïcode"]] == [
        "M",
        "0-9",
        "中文",
        "…",
        "…",
    ]
    groups = group_by_initial([Listing(n, 1) for n in ["長", "b", "2", "a"]])
    assert [group.label for group in groups] == ["A", "B", "0-9", "中文"]


def tagged(*names, render_key="k"):
    from pelican.settings import DEFAULT_CONFIG
    from pelican.urlwrappers import Tag

    settings = dict(DEFAULT_CONFIG, TAG_REGEX_SUBSTITUTIONS=TAG_SUBSTITUTIONS)
    return SimpleNamespace(tags=[Tag(name, settings) for name in names], render_key=render_key)


def test_the_most_used_spelling_names_the_tag_and_keys_the_pages():
    articles = [tagged("Long_Context"), tagged("long context"), tagged("long context")]
    unify_tag_names(articles)
    assert {article.tags[0].name for article in articles} == {"long context"}
    first_key = articles[0].render_key
    # A third spelling becomes the most used: every page showing the tag re-renders.
    articles = [tagged("Long_Context"), tagged("long context")]
    articles += [tagged("Long-Context"), tagged("Long-Context")]
    unify_tag_names(articles)
    assert articles[0].tags[0].name == "Long-Context"
    assert articles[0].render_key != first_key


def test_shared_tag_objects_are_never_renamed():
    rare = tagged("Long_Context").tags[0]
    common = tagged("long context").tags[0]
    for _ in range(2):  # two builds in one process share Tag objects
        articles = [SimpleNamespace(tags=[rare], render_key="k")]
        articles += [SimpleNamespace(tags=[common], render_key="k") for _ in range(2)]
        unify_tag_names(articles)
        assert [article.tags[0] for article in articles] == [common] * 3
        assert articles[0].tags[0] is common
    assert rare.name == "Long_Context"  # its own name, for the next build
