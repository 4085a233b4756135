"""The theme in a real build: nothing inline (so a strict CSP holds), the CSP
enforced in Chromium, page weight, the dark mode toggle, print styles, lang."""

import gzip
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from papershelf.site.page_scripts import SOURCES, page_scripts, source_names

from .browser import chromium_context, requires_chromium, serve
from .search_helpers import build_search_site
from .sites import FEEDS, page, site_settings

PAGE_WEIGHT_LIMIT = 60 * 1024  # an article page's HTML+CSS+JS, gzip-compressed
EVENT_HANDLER = re.compile(r"^on", re.IGNORECASE)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("theme")
    notes = tmp_path / "content" / "notes"
    notes.mkdir(parents=True)
    for name in ("complete-note.md", "hostile-note.md"):
        shutil.copy(FEEDS.parent / "notes" / name, notes / name)
    output, _ = build_search_site(tmp_path)
    return output


def html_files(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def test_no_output_file_has_inline_script_or_style(site):
    problems = []
    for path in html_files(site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(site)
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json" and not script.get("src"):
                # A data block (JSON-LD): never executed, so no CSP concern; it must
                # hold JSON and nothing that could close it (test_seo.py).
                json.loads(script.string)
                continue
            if not script.get("src") or script.string:
                problems.append(f"{where}: inline <script>")
            elif urlsplit(script["src"]).scheme:
                problems.append(f"{where}: script from another origin {script['src']}")
        problems += [f"{where}: <style> element" for _ in soup.find_all("style")]
        for element in soup.find_all(True):
            if "style" in element.attrs:
                problems.append(f"{where}: style attribute on <{element.name}>")
            handlers = [name for name in element.attrs if EVENT_HANDLER.match(name)]
            problems += [f"{where}: {name} attribute on <{element.name}>" for name in handlers]
            for name in ("href", "src", "action", "formaction"):
                if str(element.get(name, "")).strip().lower().startswith("javascript:"):
                    problems.append(f"{where}: javascript: URL in {name}")
    assert len(html_files(site)) > 20
    assert not problems, "\n".join(problems[:20])


def test_every_page_carries_the_csp_before_any_script(site):
    for path in html_files(site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        meta = soup.head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, path
        assert "default-src 'self'" in meta["content"]
        assert "'unsafe-inline'" not in meta["content"] and "'unsafe-eval'" not in meta["content"]
        first_script = soup.find("script")
        assert first_script is None or meta.sourceline < first_script.sourceline, path


def page_weight(site: Path, path: Path) -> dict[str, int]:
    """gzip sizes of a page and the stylesheets and scripts it loads."""
    soup = BeautifulSoup(path.read_bytes(), "html.parser")
    url = "/" + str(path.relative_to(site))
    parts = {str(path.relative_to(site)): len(gzip.compress(path.read_bytes(), 9))}
    assets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assets += [script["src"] for script in soup.find_all("script", src=True)]
    for asset in assets:
        asset_path = site / urlsplit(urljoin(url, asset)).path.lstrip("/")
        parts[str(asset_path.relative_to(site))] = len(gzip.compress(asset_path.read_bytes(), 9))
    return parts


def test_every_page_runs_the_theme_scripts_joined_in_one_deferred_file(site):
    scripts = Path(__file__).resolve().parents[1] / "theme" / "static" / "js"
    joined = (site / "theme/js/site.js").read_bytes()
    at = [joined.index((scripts / name).read_bytes().rstrip()) for name in SOURCES]
    assert at == sorted(at)  # i18n.js first: the others use its words
    # Before them, the settings they share (site_settings), the same for every page.
    settings = joined[: at[0]].decode()
    assert settings.startswith("window.papershelfSite = {")
    assert '"articleUrl": "papers/{slug}/"' in settings
    for path in html_files(site):
        soup = BeautifulSoup(path.read_bytes(), "html.parser")
        tags = soup.find_all("script", src=re.compile(r"theme/js/site\.js$"))
        assert len(tags) == 1 and tags[0].has_attr("defer"), path
        assert not soup.find("script", src=re.compile(r"/(i18n|theme|saved|search-ui|cite)\.js$"))


def test_without_the_reading_list_its_script_is_left_out(tmp_path):
    settings = site_settings(tmp_path, SAVED_SAVE_AS="")
    assert "saved.js" in source_names(site_settings(tmp_path))
    assert source_names(settings) == [name for name in SOURCES if name != "saved.js"]
    _, joined = page_scripts(settings)
    assert b"papershelf-saved" not in joined and b"papershelfI18n" in joined


def test_article_pages_weigh_at_most_60_kb_compressed(site):
    weights = {
        path: page_weight(site, path) for path in sorted((site / "papers").glob("*/index.html"))
    }
    heaviest = max(weights, key=lambda path: sum(weights[path].values()))
    parts = weights[heaviest]
    assert "theme/css/site.css" in parts and "theme/js/site.js" in parts
    assert sum(parts.values()) <= PAGE_WEIGHT_LIMIT, parts


def lang_of(element) -> str:
    """The language an element's text is in: its own lang, or its nearest ancestor's."""
    while element is not None and not element.get("lang"):
        element = element.parent
    return element["lang"] if element is not None else ""


def test_lang_follows_the_text_and_is_said_only_where_it_changes(site):
    chinese = page(site, "papers/chinese-moe-routing/index.html")
    assert chinese.html["lang"] == "en"  # an English interface
    assert chinese.h1["lang"] == "zh"
    note = chinese.select_one("section.note")
    assert note["lang"] == "zh" and lang_of(note.h2) == "en"  # its heading is the interface's
    english = page(site, "papers/2512.00004/index.html")
    assert lang_of(english.h1) == "en" and not english.h1.get("lang")
    assert not english.select_one("section[aria-labelledby=abstract]").get("lang")
    cards = [
        card
        for path in ("index.html", "tags/moe/index.html")
        for card in page(site, path).select(".card-title")
    ]
    assert {lang_of(card) for card in cards} == {"en", "zh"}
    assert all(card.get("lang") == "zh" for card in cards if lang_of(card) == "zh")
    assert not [card for card in cards if card.get("lang") == "en"]


def test_cards_show_their_sources(site):
    cards = page(site, "tags/moe/index.html").select(".card")
    badges = {
        card.select_one(".card-title a").get_text(): [
            b.get_text() for b in card.select(".badge-source")
        ]
        for card in cards
    }
    merged = next(badge for title, badge in badges.items() if title.startswith("Sparse MoE"))
    assert merged == ["arXiv feed", "curator's note"]


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site) as url:
        yield url


def csp_errors(messages: list[str]) -> list[str]:
    return [text for text in messages if "Content Security Policy" in text]


@requires_chromium
def test_pages_and_search_run_under_the_csp_in_chromium(base_url):
    from playwright.sync_api import expect

    with chromium_context() as context:
        browser = context.new_page()
        messages = []
        browser.on("console", lambda message: messages.append(message.text))
        for path in ("", "papers/2512.00001/", "papers/hostile-note/", "tags/"):
            browser.goto(base_url + path)
            expect(browser.locator(".theme-toggle")).to_be_visible()  # theme.js ran
        browser.goto(base_url + "search/?q=moe")
        browser.wait_for_selector("#search-page-results li")
        browser.goto(base_url)
        browser.click("#site-search-q")
        browser.keyboard.type("routing")
        browser.wait_for_selector("#site-search-results li")
        assert not csp_errors(messages), messages


# Where the parts of a page stand: the script-made controls (search box, dark-mode
# button, save toggle, copy button) appear in slots that keep their room.
PLACES = """() => [
  "header.site-header", "main", "dl.facts", "section.cite", "section.related", ".site-footer"
].map((selector) => {
  const node = document.querySelector(selector);
  if (!node) return [selector, null];
  const box = node.getBoundingClientRect();
  return [selector, Math.round(box.top), Math.round(box.height)];
})"""


@requires_chromium
@pytest.mark.parametrize("width", [1200, 380])
@pytest.mark.parametrize("path", ["", "papers/2512.00001/", "papers/chinese-moe-routing/"])
def test_the_script_made_controls_move_nothing(base_url, path, width):
    """A page laid out without JavaScript and with it (its controls made) has every
    part in the same place: the slots keep the controls' room."""
    places = {}
    for scripts in (False, True):
        viewport = {"width": width, "height": 900}
        with chromium_context(java_script_enabled=scripts, viewport=viewport) as context:
            browser = context.new_page()
            browser.goto(base_url + path)
            if scripts:
                browser.locator("#site-search-q").wait_for()
                browser.locator(".theme-toggle").wait_for()
                if path:  # a paper page, the Chinese note's included
                    browser.locator(".cite-copy").wait_for()
                    browser.locator("article.paper button.save").wait_for(state="attached")
            else:
                assert browser.locator("#site-search-q").count() == 0
                assert browser.locator("button:visible").count() == 0  # no control without a script
            places[scripts] = browser.evaluate(PLACES)
    assert places[True] == places[False], places


def background(browser) -> str:
    return browser.evaluate("getComputedStyle(document.body).backgroundColor")


@requires_chromium
def test_dark_mode_follows_the_system_and_the_toggle_is_remembered(base_url):
    with chromium_context(color_scheme="dark") as context:
        browser = context.new_page()
        browser.goto(base_url)
        assert browser.evaluate("document.documentElement.dataset.theme") is None
        dark = background(browser)
        assert browser.get_attribute(".theme-toggle", "aria-pressed") == "true"
    with chromium_context(color_scheme="light") as context:
        browser = context.new_page()
        browser.goto(base_url)
        light = background(browser)
        assert light != dark
        assert browser.get_attribute(".theme-toggle", "aria-pressed") == "false"
        browser.click(".theme-toggle")
        assert background(browser) == dark
        assert browser.get_attribute(".theme-toggle", "aria-pressed") == "true"
        browser.goto(base_url + "tags/")  # another page, same choice
        assert browser.evaluate("document.documentElement.dataset.theme") == "dark"
        assert background(browser) == dark
        browser.click(".theme-toggle")
        browser.reload()
        assert background(browser) == light


@requires_chromium
def test_print_shows_the_paper_without_navigation(base_url):
    with chromium_context(color_scheme="dark") as context:
        browser = context.new_page()
        browser.goto(base_url + "papers/2512.00001/")
        assert browser.is_visible(".site-header")
        browser.emulate_media(media="print")
        assert not browser.is_visible(".site-header")
        assert not browser.is_visible(".site-footer")
        assert background(browser) == "rgb(255, 255, 255)"
        link = browser.evaluate(
            "getComputedStyle(document.querySelector('.facts a[href^=\"http\"]'), '::after')"
            ".content"
        )
        assert "https://" in link


@requires_chromium
def test_pages_fit_a_phone_screen_without_sideways_scrolling(base_url):
    with chromium_context(viewport={"width": 390, "height": 800}) as context:
        browser = context.new_page()
        failed = []
        browser.on(
            "response", lambda response: response.status >= 400 and failed.append(response.url)
        )
        for path in ("", "papers/2512.00001/", "tags/", "stats/", "search/?q=moe"):
            browser.goto(base_url + path)
            assert browser.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert not failed  # the favicon and every asset exist


def test_the_footer_says_where_the_papers_come_from_and_links_the_feed(site):
    footer = page(site, "papers/2512.00004/index.html").select_one(".site-footer p")
    assert " ".join(footer.get_text().split()) == "Paper metadata from arXiv. Atom feed"
    assert footer.find("a", string="Atom feed")["href"].endswith("feeds/all.atom.xml")
