"""The interface in Chinese and in English, from the gettext catalogs.

The demo site (the repository's content/ and data/) is built in each language. On
one page of each kind, the interface's text (text nodes, ARIA labels, titles,
placeholders) is read outside the content: an element whose ``lang`` is not the
page's, or marked ``translate="no"`` (names, ids, tags), is content; inside it, an
element with the page's ``lang`` is interface again (a heading in a note). In the
Chinese build no interface string may be an English msgid, and every Latin word
left must be one the Chinese catalog itself uses (arXiv, Atom, PDF, ...).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Comment, Doctype, NavigableString

from papershelf.errors import SettingsError
from papershelf.language import interface_lang
from papershelf.text import text_lang

from .browser import chromium_page, requires_chromium, serve
from .sites import ROOT, build, page, site_settings

CATALOGS = ROOT / "theme" / "translations"
ZH = CATALOGS / "zh" / "LC_MESSAGES"
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]")
CATEGORY_CODE = re.compile(r"\b[a-z-]+\.[A-Z]{2}\b")  # cs.AI: data inside a sentence
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
NOT_TEXT = {"script", "style", "code", "kbd", "pre", "template"}


def catalog(domain: str):
    with (ZH / f"{domain}.po").open("rb") as file:
        return read_po(file)


def entries(domain: str) -> list:
    return [message for message in catalog(domain) if message.id]


def ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    built = {}
    for lang in ("zh", "en"):
        tmp_path = tmp_path_factory.mktemp(f"demo-{lang}")
        shutil.copytree(ROOT / "content", tmp_path / "content")
        settings = site_settings(tmp_path, ARXIV_ARCHIVE_PATH=str(ROOT / "data"), DEFAULT_LANG=lang)
        built[lang] = build(settings)
    return built


def first_link(output: Path, path: str, selector: str) -> str:
    """The page the first link matching ``selector`` on ``path`` leads to."""
    href = page(output, path).select_one(selector)["href"]
    target = (output / path).parent / href
    return str(target.resolve().relative_to(output.resolve()) / "index.html")


def paper_page(output: Path, with_note: bool) -> str:
    for path in sorted((output / "papers").glob("*/index.html")):
        soup = page(output, str(path.relative_to(output)))
        if bool(soup.select_one("section.note")) == with_note and soup.select_one(".facts"):
            return str(path.relative_to(output))
    raise AssertionError(f"no paper page {'with' if with_note else 'without'} a note")


def pages_of_every_kind(output: Path) -> dict[str, str]:
    tag = first_link(output, "tags/index.html", ".tag-cloud a")
    return {
        "home": "index.html",
        "digest": first_link(output, "digest/index.html", ".day-list a"),
        "digests": "digest/index.html",
        "paper with note": paper_page(output, True),
        "paper without note": paper_page(output, False),
        "tag": tag,
        "tag, best first": str(Path(tag).parent / "top" / "index.html"),
        "tags": "tags/index.html",
        "category": first_link(output, "categories/index.html", ".category-list a"),
        "categories": "categories/index.html",
        "topic": first_link(output, "topics/index.html", ".topic-index a"),
        "topics": "topics/index.html",
        "month": first_link(output, "archive/index.html", ".month-index a"),
        "months": "archive/index.html",
        "stats": "stats/index.html",
        "search": "search/index.html",
        "about": "about/index.html",
    }


def interface_text(soup: BeautifulSoup) -> list[str]:
    """Every string of the interface on a page, content left out (see the top)."""
    own = soup.html["lang"]
    found: list[str] = []

    def element(node) -> None:
        found.extend(node[name] for name in ATTRIBUTES if node.get(name))
        if node.name == "svg":  # a chart: its title and description
            for part in node.find_all(["title", "desc"], recursive=False):
                found.append(part.get_text(" ", strip=True))
            return
        for child in node.children:
            if isinstance(child, Comment | Doctype):
                continue
            if isinstance(child, NavigableString):
                if child.strip():
                    found.append(" ".join(child.split()))
            elif child.name not in NOT_TEXT:
                visit(child)

    def visit(node) -> None:
        lang = node.get("lang")
        if node.get("translate") == "no" or (lang is not None and lang != own):
            for inner in node.find_all(attrs={"lang": own}):
                element(inner)
            return
        element(node)

    visit(soup.body)
    return found


def untranslated(texts: list[str]) -> list[str]:
    messages = entries("messages") + entries("js")
    english = {text for message in messages for text in ids(message)}
    chinese = {text for message in messages for text in strings(message)}
    allowed = {word for text in chinese for word in LATIN_WORD.findall(text)} | {"papershelf"}

    def english_left(text: str) -> bool:
        words = LATIN_WORD.findall(CATEGORY_CODE.sub("", text))
        return (text in english and text not in chinese) or any(w not in allowed for w in words)

    return [text for text in texts if english_left(text)]


def test_the_chinese_catalogs_are_complete():
    for domain in ("messages", "js"):
        for message in entries(domain):
            assert "fuzzy" not in message.flags, f"{domain}: fuzzy: {message.id!r}"
            assert all(strings(message)), f"{domain}: not translated: {message.id!r}"
        assert catalog(domain).plural_forms == "nplurals=1; plural=0;"


def squeezed(text: str) -> str:
    """``text`` without whitespace: a card's summary joins a note's list items with
    spaces that its rendered body puts elsewhere."""
    return "".join(text.split())


def string_values(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return (
        [text for item in value for text in string_values(item)] if isinstance(value, list) else []
    )


@pytest.fixture(scope="module")
def content_text(sites) -> str:
    """Every text of the demo site's content, without whitespace: its records, its
    notes' sources and their rendered bodies. Content in the page's own language
    says no lang, so a Chinese note's English words are told from the interface's
    by being in here."""
    parts = []
    for path in sorted((ROOT / "data").rglob("*.json")):
        parts += string_values(json.loads(path.read_text(encoding="utf-8")))
    parts += [path.read_text(encoding="utf-8") for path in sorted((ROOT / "content").rglob("*.md"))]
    for path in sorted((sites["zh"] / "papers").glob("*/index.html")):
        soup = page(sites["zh"], str(path.relative_to(sites["zh"])))
        parts += [
            part.get_text(" ") for part in soup.select("section.note, .ai-summary, .summary-text")
        ]
    return "\n".join(squeezed(part) for part in parts)


def content_words(text: str, content_text: str) -> bool:
    """Content in the page's language says no lang, so a Chinese note's English
    words are told from the interface's by being the content's, and by being no
    msgid (an untranslated one is always caught). A cut summary ends with an
    ellipsis its source does not have."""
    msgids = {text for message in entries("messages") + entries("js") for text in ids(message)}
    return text not in msgids and squeezed(text.rstrip("…")) in content_text


def test_every_page_kind_of_the_chinese_site_speaks_chinese(sites, content_text):
    output = sites["zh"]
    for kind, path in pages_of_every_kind(output).items():
        soup = page(output, path)
        assert soup.html["lang"] == "zh-Hans", kind
        texts = interface_text(soup)
        assert len(texts) > 10, f"{kind}: {path} shows almost no interface"
        left = [text for text in untranslated(texts) if not content_words(text, content_text)]
        assert left == [], f"{kind} ({path}): English left in the interface"


def test_the_english_site_speaks_english_and_content_keeps_its_lang(sites):
    output = sites["en"]
    home = page(output, "index.html")
    assert home.html["lang"] == "en"
    texts = interface_text(home)
    assert "Latest digest:" in texts and "Skip to content" in texts
    # No Chinese in the interface (the search box, whose placeholder shows a Chinese
    # query, is made by search-ui.js).
    assert [text for text in texts if re.search(r"[\u4e00-\u9fff]", text)] == []
    paper = page(output, paper_page(output, True))
    assert paper.select_one("section.note")["lang"] == "zh"  # the note's own language
    zh_paper = page(sites["zh"], paper_page(sites["zh"], False))
    # English content on a Chinese page says so, field by field; Chinese says nothing.
    title = zh_paper.select_one("h1")
    assert title.get("lang") == {"en": "en", "zh": None}[text_lang(title.get_text())]
    assert zh_paper.select_one("section[aria-labelledby=abstract]")["lang"] == "en"
    assert zh_paper.select_one("#abstract")["lang"] == "zh-Hans"


def test_dates_and_counts_follow_the_language(sites):
    zh = page(sites["zh"], "digest/2025-12-09/index.html")
    en = page(sites["en"], "digest/2025-12-09/index.html")
    assert zh.h1.get_text() == "2025年12月9日 论文速递"
    assert en.h1.get_text() == "Digest for Dec 9, 2025"
    count = len(zh.select("ol.cards")[0].find_all("li", recursive=False))
    assert zh.select_one("p.muted").get_text().startswith(f"当天发布 {count} 篇论文")
    months = page(sites["zh"], "archive/index.html").select_one(".month-index li").get_text()
    assert re.match(r"^\d{4}年\d{1,2}月 \d+ 篇论文$", months), months


def test_the_scripts_catalog_holds_every_script_message(sites):
    data = json.loads((sites["zh"] / "theme/i18n/zh.json").read_text(encoding="utf-8"))
    assert data["lang"] == "zh" and data["nplurals"] == 1
    for message in entries("js"):
        found = data["messages"][ids(message)[0]]
        assert found == (strings(message) if isinstance(message.id, tuple) else message.string)
    english = json.loads((sites["en"] / "theme/i18n/en.json").read_text(encoding="utf-8"))
    assert english == {"lang": "en", "messages": {}, "nplurals": 2}
    script = page(sites["zh"], "index.html").select_one('script[src$="theme/js/site.js"]')
    assert script["data-messages"].endswith("theme/i18n/zh.json")


@pytest.mark.parametrize(
    "value, lang",
    [("en", "en"), ("zh", "zh"), ("zh-Hans", "zh"), ("zh-CN", "zh"), ("zh_CN", "zh")],
)
def test_default_lang_names_a_language_the_theme_speaks(value, lang):
    assert interface_lang({"DEFAULT_LANG": value}) == lang


@pytest.mark.parametrize("value", ["fr", "zh-TW", "", "english"])
def test_any_other_default_lang_is_a_settings_error(tmp_path, value):
    with pytest.raises(SettingsError, match="DEFAULT_LANG .* expected 'en' or 'zh'"):
        site_settings(tmp_path, DEFAULT_LANG=value)


@requires_chromium
def test_search_speaks_chinese_in_the_browser(sites):
    with serve(sites["zh"]) as base, chromium_page() as browser:
        errors = []
        browser.on("pageerror", lambda error: errors.append(str(error)))
        browser.goto(base + "search/?q=moe")
        browser.wait_for_selector("#search-page-results li")
        status = browser.inner_text("#search-page-status")
        assert re.fullmatch(r"共 [\d,]+ 篇论文", status), status
        day = browser.locator("#search-page-results time").first
        assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", day.inner_text())
        chip = browser.locator("#search-page-results button.chip").first
        assert chip.get_attribute("title").startswith("只看标签为“")
        # theme.js's button names itself from the same catalog once it has loaded.
        browser.wait_for_function(
            "document.querySelector('.theme-toggle').title === '深色模式'", timeout=5000
        )
        browser.goto(base + "search/?q=zzqxv")
        browser.wait_for_selector(".search-empty")
        assert browser.inner_text("#search-page-status") == "没有找到与“zzqxv”相关的论文。"
        assert browser.inner_text(".search-empty").startswith("试试减少或缩短关键词")
        assert not errors


def test_a_chinese_site_names_its_open_graph_locale(sites):
    locales = [
        page(sites[lang], "index.html").find("meta", property="og:locale") for lang in ("zh", "en")
    ]
    assert locales[0]["content"] == "zh_CN" and locales[1] is None  # en_US is the default
