"""A real Pelican build from fetched fixture feeds: pages, digests, categories."""

import re

import pytest

from papershelf.config import load_settings
from papershelf.settings import SettingsError

from .sites import FEEDS, ROOT, build, fetch, page, site_settings, tree_bytes


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("site")
    settings = site_settings(
        tmp_path, ARXIV_KEYWORDS={"LLM": 3.0, "MoE": 3.0, "RL": 2.0, "Decoding": 1.0}
    )
    status, report = fetch(
        settings,
        FEEDS / "day1-cs.CL.new-and-cross.rss.xml",
        FEEDS / "day1-cs.AI.cross-list.rss.xml",
    )
    assert status == 0, report
    status, report = fetch(settings, FEEDS / "day2-cs.CL.replace.rss.xml")
    assert status == 0, report
    return settings, build(settings)


def card_ids(soup):
    return [a["href"].rstrip("/").split("/")[-1] for a in soup.select(".card-title a")]


def test_paper_page_shows_feed_metadata(site):
    _, output = site
    soup = page(output, "papers/2512.00001/index.html")
    assert soup.h1.get_text() == "Sparse MoE Routing for Fast LLM Inference (v2)"
    assert "André Martins, José García, Zoë Müller" in soup.select_one(".authors").get_text()
    facts = soup.select_one(".facts").get_text(" ", strip=True)
    assert "2512.00001v2" in facts and "Dec 9, 2025" in facts and "Dec 10, 2025" in facts
    assert soup.select_one(".facts time")["datetime"] == "2025-12-09"
    assert "cs.CL Computation and Language" in facts and "cs.LG" in facts
    assert soup.find("a", href="https://arxiv.org/pdf/2512.00001v2")
    assert [a.get_text() for a in soup.select(".facts .chip")] == ["LLM", "MoE"]
    # TeX in abstracts becomes MathML; the source stays as its annotation.
    abstract = soup.select_one(".abstract")
    assert [a.get_text() for a in abstract.select("math annotation")] == [
        r"\times",
        r"\mathcal{O}(1)",
    ]
    assert "$" not in abstract.get_text()


def test_paper_page_lists_versions_and_digest_cards_mark_updates(site):
    _, output = site
    soup = page(output, "papers/2512.00001/index.html")
    versions = soup.select(".facts .versions li")
    assert [li.get_text(" ", strip=True) for li in versions] == [
        "v1 · new · Dec 9, 2025",
        "v2 · replace · Dec 10, 2025",
    ]
    assert [a["href"] for a in versions[0].find_all("a")] == [
        "https://arxiv.org/abs/2512.00001v1",
        "../../digest/2025-12-09/",
    ]
    for li in versions:  # every announcement day has its digest page
        digest = li.find_all("a")[1]["href"].removeprefix("../../")
        assert (output / digest / "index.html").is_file()
    once = page(output, "papers/2512.00006/index.html")
    assert not once.select(".versions")
    assert "Dec 10, 2025 (replace, v3" in once.select_one(".facts").get_text(" ", strip=True)

    day2 = page(output, "digest/2025-12-10/index.html")
    badges = {
        card.select_one(".card-title a")["href"].rstrip("/").split("/")[-1]: [
            b.get_text(strip=True) for b in card.select(".badge-updated")
        ]
        for card in day2.select(".card")
    }
    # 2512.00006 was first seen as a replacement (v3), 2512.00001 replaced that day.
    assert badges == {"2512.00006": ["updated to v3"], "2512.00001": ["updated to v2"]}
    day1 = page(output, "digest/2025-12-09/index.html")
    assert not day1.select(".card:not(:has(a[href$='2512.00001/'])) .badge-updated")
    assert day2.select_one(".badge-updated")["title"] == "updated Dec 10, 2025"


def test_abstract_text_is_escaped_not_lost(site):
    _, output = site
    html = (output / "papers/2512.00004/index.html").read_text()
    assert "&lt;think&gt; ... &lt;/think&gt;" in html
    assert "<think>" not in html
    soup = page(output, "papers/2512.00004/index.html")
    assert "a < b &amp; c literal" in soup.select_one(".abstract").get_text()


def test_digest_lists_each_paper_once_by_score_with_day_links(site):
    _, output = site
    day1 = page(output, "digest/2025-12-09/index.html")
    # By score, ties by id; the world model and the survey are rejected.
    assert card_ids(day1) == ["2512.00001", "2512.00002", "2512.00004"]
    assert day1.find("a", rel="next")["href"].endswith("digest/2025-12-10/")
    day2 = page(output, "digest/2025-12-10/index.html")
    assert day2.find("a", rel="prev")["href"].endswith("digest/2025-12-09/")
    # The replaced-but-unseen paper is announced on day 2; the v2 is listed as updated.
    assert card_ids(day2) == ["2512.00006", "2512.00001"]
    assert "Updated that day" in day2.get_text()


def test_home_shows_latest_digest_and_recent_days(site):
    _, output = site
    home = page(output, "index.html")
    assert "Latest digest: Dec 10, 2025" in home.get_text(" ", strip=True)
    assert home.find("a", href=re.compile(r"digest/2025-12-09/$"))


def test_category_pages_include_cross_lists_with_readable_names(site):
    _, output = site
    ai = page(output, "categories/cs.AI/index.html")
    assert "Artificial Intelligence" in ai.h1.get_text()
    assert card_ids(ai) == ["2512.00002", "2512.00001"]
    index = page(output, "categories/index.html").get_text(" ", strip=True)
    assert "Computation and Language cs.CL 3 papers" in index


def test_site_atom_feed_has_every_paper(site):
    _, output = site
    feed = (output / "feeds/all.atom.xml").read_text()
    assert feed.count("<entry>") == 4
    assert "papers/2512.00006/" in feed


def test_rebuild_with_nothing_changed_is_identical_and_skips_pages(site):
    settings, output = site
    before = tree_bytes(output)
    paper_page = output / "papers/2512.00001/index.html"
    mtime = paper_page.stat().st_mtime_ns
    digest_page = output / "digest/2025-12-09/index.html"
    digest_mtime = digest_page.stat().st_mtime_ns
    build(settings)
    assert tree_bytes(output) == before
    assert paper_page.stat().st_mtime_ns == mtime  # kept by the render cache
    assert digest_page.stat().st_mtime_ns == digest_mtime


def test_changed_record_rerenders_its_pages_only(tmp_path):
    # (Without related papers: a page listing the changed paper is rendered again too.)
    settings = site_settings(
        tmp_path, ARXIV_KEYWORDS={"LLM": 3.0, "MoE": 3.0, "RL": 2.0}, RELATED_PAPERS_LIMIT=0
    )
    fetch(settings, FEEDS / "day1-cs.CL.new-and-cross.rss.xml")
    output = build(settings)
    other = output / "papers/2512.00004/index.html"
    other_mtime = other.stat().st_mtime_ns
    status, _ = fetch(settings, FEEDS / "day2-cs.CL.replace.rss.xml")
    assert status == 0
    build(settings)
    assert "(v2)" in page(output, "papers/2512.00001/index.html").h1.get_text()
    assert "(v2)" in page(output, "digest/2025-12-09/index.html").get_text()
    assert (output / "digest/2025-12-10/index.html").is_file()
    assert other.stat().st_mtime_ns == other_mtime


def test_bad_setting_stops_the_build_naming_the_key(tmp_path):
    with pytest.raises(SettingsError, match="ARXIV_MIN_SCORE"):
        load_settings(
            ROOT / "pelicanconf.py",
            {"PATH": str(tmp_path), "ARXIV_MIN_SCORE": "high"},
        )


def test_every_tag_and_category_has_an_atom_feed(tmp_path):
    import feedparser

    settings = site_settings(tmp_path, ARXIV_KEYWORDS={"LLM": 3.0, "MoE": 3.0, "RL": 2.0})
    fetch(settings, FEEDS / "day1-cs.CL.new-and-cross.rss.xml")
    output = build(settings)
    tag_page = page(output, "tags/moe/index.html")
    links = [link["href"] for link in tag_page.find_all("link", type="application/atom+xml")]
    assert any(href.endswith("/feeds/tags/moe.atom.xml") for href in links), links
    tagged = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in tag_page.select(".card-title a")}
    feed = feedparser.parse((output / "feeds/tags/moe.atom.xml").read_bytes())
    assert not feed.bozo and "MoE" in feed.feed.title
    assert {entry.link.rstrip("/").rsplit("/", 1)[-1] for entry in feed.entries} == tagged
    category = feedparser.parse((output / "feeds/categories/cs.CL.atom.xml").read_bytes())
    assert not category.bozo and category.entries
    assert "feeds/categories/cs.CL.atom.xml" in str(page(output, "categories/cs.CL/index.html"))


def test_monthly_archive_lists_each_month_with_its_papers(tmp_path):
    settings = site_settings(tmp_path, ARXIV_KEYWORDS={"LLM": 3.0, "MoE": 3.0, "RL": 2.0})
    fetch(settings, FEEDS / "day1-cs.CL.new-and-cross.rss.xml")
    output = build(settings)
    index = page(output, "archive/index.html")
    months = [li.get_text(" ", strip=True) for li in index.select(".month-index li")]
    assert months == ["December 2025 2 papers"]  # the feed's survey is excluded
    month = page(output, "archive/2025-12/index.html")
    titles = [a.get_text() for a in month.select(".card-title a")]
    assert len(titles) == 2 and "Sparse MoE Routing for Fast LLM Inference" in titles
    assert page(output, "index.html").find("a", string="Archive")["href"].endswith("/archive/")
