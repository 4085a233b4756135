"""Found by search engines: canonical URLs, OpenGraph and Twitter tags, JSON-LD,
the sitemap (and its index), robots.txt, the search page's noindex, the 404 page."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from papershelf.site.feeds import feed_root
from papershelf.site.seo import (
    DESCRIPTION_CHARS,
    double_quoted,
    json_ld,
    meta_description,
    og_locale,
)
from papershelf.site.sitemap import robots_txt, sitemap_files

from .feedgen import arxiv_feed
from .sites import FEEDS, build, fetch, page, site_settings

SITEURL = "https://example.org/shelf"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
PAYLOADS = (
    (Path(__file__).parent / "fixtures" / "hostile" / "payloads.txt")
    .read_text(encoding="utf-8")
    .splitlines()
)
HOSTILE_TITLE = 'LLM </script><script>alert("ld")</script> <!-- \u2028 & "q"'
NOTE = """Title: 长上下文 LLM notes
Arxiv: 2512.00001v2
Date: 2025-12-12
Tags: 长上下文, MoE
Lang: zh

本文。
"""
OG_PROPERTIES = ("og:type", "og:title", "og:description", "og:site_name")
# A card reads og:title and og:description when its own are missing.
TWITTER_NAMES = ("twitter:card",)
NOT_INDEXED = {"404.html", "search/index.html", "saved/index.html"}


def make_site(tmp_path: Path, **overrides) -> dict:
    settings = site_settings(
        tmp_path, ARXIV_KEYWORDS={"LLM": 3.0, "MoE": 3.0, "RL": 2.0, "Decoding": 1.0}, **overrides
    )
    notes = tmp_path / "content" / "notes"
    notes.mkdir(parents=True, exist_ok=True)
    (notes / "2512.00001.md").write_text(NOTE, encoding="utf-8")
    pages = tmp_path / "content" / "pages"
    pages.mkdir(exist_ok=True)
    (pages / "about.md").write_text("Title: About\n\nWhat this site is.\n", encoding="utf-8")
    hostile = tmp_path / "hostile.rss.xml"
    entry = {"arxiv_id": "2512.09999", "title": HOSTILE_TITLE, "authors": "Eve </script>"}
    hostile.write_bytes(arxiv_feed([{**entry, "abstract": "LLM <b>&amp;</b> \u2029 end"}]))
    for sources in (
        [FEEDS / "day1-cs.CL.new-and-cross.rss.xml", FEEDS / "day1-cs.AI.cross-list.rss.xml"],
        [hostile],
        [FEEDS / "day2-cs.CL.replace.rss.xml"],
    ):
        status, report = fetch(settings, *sources)
        assert status == 0, report
    return settings


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("seo")
    settings = make_site(
        tmp_path,
        SITEURL=SITEURL,
        RELATIVE_URLS=True,
        FEED_DOMAIN=SITEURL,
        PAPERSHELF_JSON_LD=True,
        PAPERSHELF_LISTING_PAGE_SIZE=3,  # listings of several pages
    )
    return settings, build(settings)


def html_files(output: Path) -> set[str]:
    found = set()
    for folder, _, names in os.walk(output):
        for name in names:
            if name.endswith(".html"):
                found.add(os.path.relpath(os.path.join(folder, name), output).replace(os.sep, "/"))
    return found


def url_of(save_as: str, root: str = SITEURL) -> str:
    path = "" if save_as == "index.html" else save_as.removesuffix("index.html")
    return f"{root}/{path}"


def sitemap_urls(output: Path, name: str = "sitemap.xml") -> list[tuple[str, str | None]]:
    """(URL, lastmod) of every <url> in the sitemap, following an index."""
    root = ElementTree.parse(output / name).getroot()
    if root.tag == f"{{{NS['s']}}}sitemapindex":
        urls = []
        for loc in root.findall("s:sitemap/s:loc", NS):
            urls += sitemap_urls(output, loc.text.removeprefix(SITEURL + "/"))
        return urls
    return [
        (unquote(u.find("s:loc", NS).text), getattr(u.find("s:lastmod", NS), "text", None))
        for u in root.findall("s:url", NS)
    ]


def head_meta(soup: BeautifulSoup) -> dict[str, str]:
    values = {}
    for meta in soup.head.find_all("meta"):
        key = meta.get("property") or meta.get("name")
        if key:
            values[key] = meta.get("content", "")
    return values


def test_paper_page_names_its_own_url_as_canonical_and_links_arxiv(site):
    _, output = site
    soup = page(output, "papers/2512.00001/index.html")
    canonical = soup.head.find_all("link", rel="canonical")
    assert [link["href"] for link in canonical] == [f"{SITEURL}/papers/2512.00001/"]
    assert head_meta(soup)["og:type"] == "article"
    # arXiv stays the visible source.
    assert soup.select_one(".facts").find("a", href="https://arxiv.org/abs/2512.00001")
    # Links between pages are relative, as publishconf.py builds them: the address is
    # written only where a URL must stand alone (canonical, OpenGraph, feeds).
    assert soup.select_one("a.site-name")["href"] == "../../"
    inside = [a["href"] for a in soup.find_all("a", href=True) if SITEURL in a["href"]]
    assert not inside, inside


def test_every_page_but_a_listings_later_ones_has_open_graph_and_twitter_tags(site):
    _, output = site
    pages = html_files(output)
    kinds = {"index.html", "tags/index.html", "stats/index.html", "about/index.html"}
    assert {"papers/2512.00001/index.html", "digest/2025-12-09/index.html"} <= pages
    assert kinds <= pages
    later = {name for name in pages if "/page/" in name}
    assert later
    for name in sorted(pages):
        soup = page(output, name)
        meta = head_meta(soup)
        canonical = [link["href"] for link in soup.head.find_all("link", rel="canonical")]
        if name in later:
            # A listing's later page is no page to share: its canonical link and
            # description, no preview tags.
            assert canonical == [url_of(name)] and meta["description"], name
            assert not [key for key in meta if key.startswith(("og:", "twitter:"))], name
            continue
        for key in (*OG_PROPERTIES, *TWITTER_NAMES):
            assert meta.get(key, "").strip(), f"{name}: no {key}"
        # en_US is og:locale's default: said only by a site in another language.
        assert meta["og:site_name"] == "papershelf" and "og:locale" not in meta
        assert meta["twitter:card"] == "summary"
        assert not {"twitter:title", "twitter:description"} & set(meta), name
        assert meta["og:description"] == meta["description"], name
        assert len(meta["description"]) <= DESCRIPTION_CHARS or not name.startswith("papers/")
        if name in NOT_INDEXED:
            assert meta["robots"] == "noindex" and not canonical, name
            assert meta["og:url"] == url_of(name), name
        else:
            # The canonical link names the URL; Facebook takes it without og:url.
            assert "robots" not in meta and canonical == [url_of(name)], name
            assert "og:url" not in meta, name


def test_og_locale_follows_default_lang():
    assert og_locale("zh") == "zh_CN" and og_locale("en") == "en_US"
    assert og_locale("zh-TW") == "zh_TW" and og_locale("fr") == "fr_FR"


def scholarly(output: Path, paper_id: str) -> tuple[str, dict]:
    html = (output / f"papers/{paper_id}/index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, paper_id
    return blocks[0], json.loads(blocks[0])


def test_paper_pages_carry_a_scholarly_article(site):
    _, output = site
    _, data = scholarly(output, "2512.00001")
    assert data["@context"] == "https://schema.org" and data["@type"] == "ScholarlyArticle"
    assert data["headline"] == "Sparse MoE Routing for Fast LLM Inference (v2)"
    # The page shows the abstract, highwire names it: JSON-LD does not repeat them.
    assert "abstract" not in data and "name" not in data
    assert [a["name"] for a in data["author"]] == ["André Martins", "José García", "Zoë Müller"]
    assert all(a["@type"] == "Person" for a in data["author"])
    assert data["datePublished"] == "2025-12-09"
    assert data["dateModified"] == "2025-12-12"  # the note, after the v2 of 2025-12-10
    assert {"长上下文", "MoE"} <= set(data["keywords"])
    assert data["url"] == f"{SITEURL}/papers/2512.00001/"
    assert data["sameAs"] == "https://arxiv.org/abs/2512.00001"
    assert data["identifier"]["value"] == "2512.00001"
    assert data["inLanguage"] == "en"
    for name in html_files(output):
        if not name.startswith("papers/"):
            assert "application/ld+json" not in (output / name).read_text(encoding="utf-8")


def test_a_hostile_title_cannot_leave_the_json_ld_block(site):
    _, output = site
    raw, data = scholarly(output, "2512.09999")
    assert not set(raw) & {"<", ">", "&", "\u2028", "\u2029"}
    # The text comes back whole (the feed's whitespace rules took the U+2028).
    assert data["headline"] == 'LLM </script><script>alert("ld")</script> <!-- & "q"'
    assert [a["name"] for a in data["author"]] == ["Eve </script>"]
    soup = page(output, "papers/2512.09999/index.html")
    assert len(soup.find_all("script", type="application/ld+json")) == 1
    assert all(s.get("src") or s.get("type") for s in soup.find_all("script"))


def test_a_long_description_is_cut_at_a_sentence_or_a_word():
    sentence = "Sparse routing keeps a mixture of experts fast at inference time. "
    article = SimpleNamespace(summary_text=sentence * 4)
    description = meta_description(article)
    assert description == (sentence * 2).strip()
    words = SimpleNamespace(summary_text="routing " * 40)
    cut = meta_description(words)
    assert len(cut) <= DESCRIPTION_CHARS and cut.endswith("routing…")
    assert meta_description(SimpleNamespace(summary_text="")) == ""


@pytest.mark.parametrize("payload", [*PAYLOADS, "a\u2028b\u2029c </SCRIPT ><!--"])
def test_json_ld_escapes_every_hostile_payload(payload):
    text = str(json_ld({"headline": payload, "author": [{"name": payload}]}))
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text)["headline"] == payload


def test_sitemap_lists_every_indexable_page_once_with_lastmod(site):
    _, output = site
    urls = sitemap_urls(output)
    locations = [url for url, _ in urls]
    assert len(locations) == len(set(locations))
    pages = html_files(output) - NOT_INDEXED
    later = {name for name in pages if "/page/" in str(name)}  # a listing's later pages
    assert later  # the site has some, reached by page links, not the sitemap
    assert set(locations) == {url_of(name) for name in pages - later}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", day or "") for _, day in urls)
    days = dict(urls)
    assert days[f"{SITEURL}/papers/2512.00002/"] == "2025-12-09"
    assert days[f"{SITEURL}/papers/2512.00001/"] == "2025-12-12"
    assert days[f"{SITEURL}/digest/2025-12-10/"] >= "2025-12-10"
    assert f"{SITEURL}/tags/长上下文/" in days  # percent-encoded in the file
    assert "长" not in (output / "sitemap.xml").read_text(encoding="utf-8")
    assert f"{SITEURL}/search/" not in days and f"{SITEURL}/404.html" not in days


def test_robots_txt_names_the_sitemap(site):
    _, output = site
    robots = (output / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots.splitlines()
    assert "User-agent: *" in robots
    # Without SITEURL (a local preview) no absolute URL is known: no Sitemap line.
    assert b"Sitemap" not in robots_txt("", "sitemap.xml")


def test_search_page_is_noindex(site):
    _, output = site
    meta = head_meta(page(output, "search/index.html"))
    assert meta["robots"] == "noindex"


def test_sitemap_index_splits_and_a_rebuild_keeps_its_bytes(tmp_path):
    settings = make_site(tmp_path, SITEURL=SITEURL, RELATIVE_URLS=True, SITEMAP_MAX_URLS=5)
    output = build(settings)
    index = ElementTree.parse(output / "sitemap.xml").getroot()
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    parts = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    assert len(parts) >= 3
    assert len([d.text for d in index.findall("s:sitemap/s:lastmod", NS) if d.text]) == len(parts)
    union = []
    for number, location in enumerate(parts, 1):
        assert location == f"{SITEURL}/sitemap-{number}.xml"
        part = ElementTree.parse(output / f"sitemap-{number}.xml").getroot()
        assert 1 <= len(part.findall("s:url", NS)) <= 5
        union += [unquote(loc.text) for loc in part.findall("s:url/s:loc", NS)]
    assert len(union) == len(set(union))
    assert set(union) == {url_of(name) for name in html_files(output) - NOT_INDEXED}

    files = sorted(p.name for p in output.glob("sitemap*.xml"))
    before = {name: (output / name).read_bytes() for name in files}
    inodes = {name: (output / name).stat().st_ino for name in files}
    paper = output / "papers/2512.00002/index.html"
    paper_inode = paper.stat().st_ino
    build(settings)  # nothing changed: the render cache keeps every page
    assert paper.stat().st_ino == paper_inode  # kept, not rendered again
    assert sorted(p.name for p in output.glob("sitemap*.xml")) == files
    assert {name: (output / name).read_bytes() for name in files} == before
    assert {name: (output / name).stat().st_ino for name in files} == inodes
    assert f"{SITEURL}/papers/2512.00002/" in {url for url, _ in sitemap_urls(output)}

    # A cold build into another folder gives the same bytes: no build timestamps.
    shutil.rmtree(tmp_path / "cache")
    other = build(dict(settings, OUTPUT_PATH=str(tmp_path / "other")))
    assert {name: (other / name).read_bytes() for name in files} == before


def test_sitemap_files_split_at_the_threshold():
    pages = {f"papers/{n}/index.html": f"2025-01-{n % 28 + 1:02d}" for n in range(11)}
    pages["index.html"] = None
    files = sitemap_files(pages, "https://x.org", "sitemap.xml", 4)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    assert sitemap_files(pages, "https://x.org", "sitemap.xml", 12).keys() == {"sitemap.xml"}
    # The home page, dated by nothing of its own, gets the newest day of the site.
    assert b"<loc>https://x.org/</loc><lastmod>2025-01-11</lastmod>" in files["sitemap-1.xml"]


def links(soup: BeautifulSoup) -> list[str]:
    found = [tag["href"] for tag in soup.find_all(href=True)]
    found += [tag["src"] for tag in soup.find_all(src=True)]
    found += [form["action"] for form in soup.find_all("form", action=True)]
    return [link for link in found if not link.startswith("#")]


def test_404_page_links_work_from_any_depth(tmp_path):
    # The local preview: SITEURL empty and relative URLs everywhere else.
    settings = make_site(tmp_path)
    output = build(settings)
    soup = page(output, "404.html")
    assert soup.title.get_text() == "Page not found | papershelf"
    assert soup.select_one("main form[role=search]")["action"] == "/search/"
    main_links = {a["href"] for a in soup.select("main a")}
    assert {"/", "/digest/", "/tags/"} <= main_links
    assert soup.select_one("link[rel=stylesheet]")["href"] == "/theme/css/site.css"
    # Served for /papers/none/deep/missing/, every link still reaches its file.
    for link in links(soup):
        resolved = urlsplit(urljoin("https://host/papers/none/deep/missing/", link))
        if resolved.netloc != "host":
            continue
        path = unquote(resolved.path).lstrip("/")
        target = output / path
        assert target.is_file() or (target / "index.html").is_file(), link
    assert head_meta(soup)["robots"] == "noindex"
    # A canonical URL is absolute: a local preview has none to name.
    for name in ("index.html", "papers/2512.00001/index.html", "tags/index.html"):
        assert not page(output, name).head.find_all("link", rel="canonical"), name
    # PAPERSHELF_JSON_LD is off by default: the Highwire tags name the paper alone.
    paper = page(output, "papers/2512.00001/index.html")
    assert not paper.find_all("script", type="application/ld+json")
    assert head_meta(paper)["citation_title"] == "Sparse MoE Routing for Fast LLM Inference (v2)"


def test_404_page_links_are_under_siteurl_when_set(site):
    _, output = site
    soup = page(output, "404.html")
    internal = [link for link in links(soup) if "arxiv.org" not in link]
    assert internal and all(link.startswith(SITEURL + "/") for link in internal), internal


def test_pages_link_to_feeds_relatively_unless_they_have_a_domain_of_their_own():
    assert feed_root(SITEURL, SITEURL, "../..") == "../.."
    assert feed_root(SITEURL, "", "../..") == "../.."
    assert feed_root(SITEURL, "https://feeds.example.org", "../..") == "https://feeds.example.org"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_double_quoted_attribute_keeps_its_quotes_and_escapes_the_rest(payload):
    html = f'<meta content="{double_quoted(payload)}">'
    assert BeautifulSoup(html, "html.parser").meta["content"] == payload
    assert double_quoted("default-src 'self'") == "default-src 'self'"
