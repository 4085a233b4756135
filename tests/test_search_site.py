"""Search in a real build: the files, the page, rebuilds, and the UI in Chromium."""

import json
import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from papershelf.search.shards import stored_name
from papershelf.site.build import BuildError

from .browser import chromium_page, requires_chromium, serve
from .search_helpers import build_search_site
from .sites import build, page, site_settings


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("search-site")
    output, settings = build_search_site(tmp_path)
    return output, settings


def test_index_files_and_lunr_from_npm_are_written(site):
    output, _ = site
    meta = json.loads((output / "search" / "meta.json").read_text(encoding="utf-8"))
    assert meta["lunr"] == "2.3.9" and meta["docCount"] == 6
    names = [stored_name(f"s/{n}.json") for n in range(len(meta["shards"]))]
    assert all((output / "search" / name).is_file() for name in names)
    lunr_js = (output / "theme" / "js" / "lunr.min.js").read_text(encoding="utf-8")
    assert "2.3.9" in lunr_js[:300]


def test_every_page_has_the_search_box_slot_and_deferred_scripts_only(site):
    """The box itself is made by search-ui.js (the Chromium tests type into it)."""
    output, _ = site
    joined = (output / "theme" / "js" / "site.js").read_text(encoding="utf-8")
    assert '"searchIndex": "search/", "searchPage": "search/"' in joined
    for path in ("index.html", "papers/2512.00001/index.html", "tags/index.html"):
        soup = page(output, path)
        slot = soup.select_one(".site-header div.site-search")
        assert slot is not None and not slot.contents and not soup.select("form.site-search")
        # JSON-LD data blocks are never executed; every other script is a deferred file.
        scripts = [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"]
        assert scripts and all(s.get("src") and s.has_attr("defer") for s in scripts)


def test_search_page_explains_itself_without_javascript(site):
    output, _ = site
    soup = page(output, "search/index.html")
    noscript = soup.find("noscript")
    assert "needs JavaScript" in noscript.get_text()
    assert noscript.find("a", href=re.compile(r"/tags/$"))


def test_rebuild_with_nothing_changed_rewrites_no_index_file(site):
    output, settings = site
    files = sorted(path for path in (output / "search").rglob("*") if path.is_file())
    assert len(files) > 10
    stamps = {path: path.stat().st_mtime_ns for path in files}
    build(settings)
    assert {path: path.stat().st_mtime_ns for path in files} == stamps


def test_a_removed_paper_leaves_no_stale_files(site):
    output, settings = site
    note = os.path.join(settings["PATH"], "notes", "markup-title.md")
    text = Path(note).read_text(encoding="utf-8")
    os.remove(note)
    try:
        build(settings)
        meta = json.loads((output / "search" / "meta.json").read_text(encoding="utf-8"))
        assert meta["docCount"] == 5
        chunks = sorted((output / "search" / "d").iterdir())
        assert len(chunks) == -(-5 // meta["docsPerChunk"])
        shards = sorted((output / "search" / "s").iterdir())
        assert len(shards) == len(meta["shards"])
    finally:
        Path(note).write_text(text, encoding="utf-8")
        build(settings)


def test_text_the_search_cannot_split_stops_the_build_naming_the_note(tmp_path):
    notes = tmp_path / "content" / "notes"
    notes.mkdir(parents=True)
    (notes / "unsplit.md").write_text(
        "Title: " + "ሰላም" * 9 + "\nDate: 2025-12-01\nTags: Test\n\nBody.\n", encoding="utf-8"
    )
    settings = site_settings(tmp_path)
    with pytest.raises(BuildError, match=r"unsplit\.md: the title gives the search term"):
        build(settings)


@pytest.fixture
def browser_page(site):
    output, _ = site
    with serve(output) as base, chromium_page() as browser:
        dialogs, errors = [], []
        browser.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        browser.on("pageerror", lambda error: errors.append(str(error)))
        yield base, browser, dialogs, errors
        assert not errors


def _results(browser):
    return browser.locator("#search-page-results li")


@requires_chromium
def test_chinese_query_from_the_url_shows_results_with_highlights(browser_page):
    base, browser, _, _ = browser_page
    browser.goto(base + "search/?q=" + quote("专家混合"))
    browser.wait_for_selector("#search-page-results li")
    # The note titled so first; then papers tagged MoE, whose alias this is.
    assert browser.inner_text("#search-page-status") == "3 papers"
    first = _results(browser).first
    assert first.locator(".search-result-title").inner_text() == "专家混合模型的路由策略研究"
    assert first.locator(".search-result-title mark").all_inner_texts() == ["专家混合"]
    assert first.locator("a").first.get_attribute("href").endswith("/papers/chinese-moe-routing/")


@requires_chromium
def test_typed_queries_update_results_and_url_and_markup_stays_text(browser_page):
    base, browser, dialogs, _ = browser_page
    browser.goto(base + "search/")
    browser.click("#search-page-q")
    browser.keyboard.type("onerror")
    browser.wait_for_selector("#search-page-results li")
    title = _results(browser).first.locator(".search-result-title")
    assert title.inner_text() == "<img src=x onerror=alert(1)>"
    assert browser.locator("#search-page-results img").count() == 0
    assert browser.locator("#search-page-results b").count() == 0
    assert browser.url.endswith("?q=onerror")
    assert not dialogs


@requires_chromium
def test_clicking_a_tag_chip_adds_the_filter(browser_page):
    base, browser, _, _ = browser_page
    browser.goto(base + "search/?q=quantization")
    browser.wait_for_selector("#search-page-results li")
    assert browser.inner_text("#search-page-status") == "2 papers"
    chip = browser.locator("#search-page-results button.chip", has_text="MoE").first
    chip.click()
    # Under the site's CSP a string predicate (eval) is refused: wait on the text.
    from playwright.sync_api import expect

    expect(browser.locator("#search-page-status")).to_have_text("1 paper")
    assert browser.input_value("#search-page-q") == "quantization tag:moe "
    assert "tag%3Amoe" in browser.url


@requires_chromium
def test_empty_state_helps(browser_page):
    base, browser, _, _ = browser_page
    browser.goto(base + "search/?q=zzqxv")
    browser.wait_for_selector(".search-empty")
    assert "No papers match" in browser.inner_text("#search-page-status")
    assert browser.locator(".search-empty a").get_attribute("href").endswith("/tags/")


@requires_chromium
def test_header_box_loads_the_index_on_focus_and_navigates_by_keyboard(browser_page):
    base, browser, _, _ = browser_page
    requested = []
    browser.on("request", lambda request: requested.append(request.url))
    browser.goto(base)
    assert not [url for url in requested if "/search/" in url]
    browser.click("#site-search-q")
    browser.keyboard.type("routing")
    browser.wait_for_selector("#site-search-results li")
    assert [url for url in requested if url.endswith("/search/meta.json")]
    assert browser.is_visible("#site-search-panel")
    assert browser.inner_text("#site-search-live") == browser.inner_text(
        "#site-search-panel .search-status"
    )
    # Down moves the focus from the box into the results (plain links), Up goes back.
    titles = browser.locator("#site-search-results a.search-result-title")
    assert titles.count() >= 2
    browser.keyboard.press("ArrowDown")
    assert titles.first.evaluate("link => link === document.activeElement")
    assert browser.locator("#site-search-results li.active").count() == 1
    browser.keyboard.press("ArrowDown")
    assert titles.nth(1).evaluate("link => link === document.activeElement")
    browser.keyboard.press("ArrowUp")
    browser.keyboard.press("ArrowUp")
    assert browser.evaluate("document.activeElement.id") == "site-search-q"
    browser.keyboard.press("ArrowDown")
    href = titles.first.get_attribute("href")
    with browser.expect_navigation():
        browser.keyboard.press("Enter")
    assert "/papers/" in browser.url and browser.url == href


@requires_chromium
def test_escape_closes_the_header_panel_and_returns_to_the_box(browser_page):
    base, browser, _, _ = browser_page
    browser.goto(base)
    browser.click("#site-search-q")
    browser.keyboard.type("routing")
    browser.wait_for_selector("#site-search-results li")
    browser.keyboard.press("ArrowDown")
    browser.keyboard.press("Escape")
    assert not browser.is_visible("#site-search-panel")
    assert browser.evaluate("document.activeElement.id") == "site-search-q"
    browser.keyboard.press("ArrowDown")  # opens it again
    assert browser.is_visible("#site-search-panel")
