"""Notes in a real build: merged with records, standalone, sanitised, math in Chromium."""

import shutil

import pytest

from papershelf.site.build import BuildError

from .browser import chromium_page, requires_chromium, serve
from .sites import FEEDS, build, fetch, page, site_settings

NOTES = FEEDS.parent / "notes"
KEYWORDS = {"LLM": 3.0, "MoE": 3.0, "RL": 2.0}


def note_site(tmp_path, *notes):
    settings = site_settings(tmp_path, ARXIV_KEYWORDS=KEYWORDS)
    folder = tmp_path / "content" / "notes"
    folder.mkdir(parents=True, exist_ok=True)
    for name in notes:
        shutil.copy(NOTES / name, folder / name)
    (tmp_path / "content" / "tags.yml").write_text("MoE:\n  aliases: [Mixture of Experts]\n")
    for feed in ("day1-cs.CL.new-and-cross.rss.xml", "day2-cs.CL.replace.rss.xml"):
        assert fetch(settings, FEEDS / feed)[0] == 0
    return settings


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("notes")
    settings = note_site(tmp_path, "complete-note.md", "hostile-note.md")
    return build(settings)


def test_merged_paper_page_shows_feed_abstract_and_note(site):
    soup = page(site, "papers/2512.00001/index.html")
    assert soup.h1.get_text() == "Sparse MoE Routing for Fast LLM Inference (v2)"
    assert "sixteen GPUs" in soup.select_one(".abstract").get_text()  # from the feed
    note = soup.select_one("section.note")
    assert note["lang"] == "zh"
    assert "本文提出了稀疏路由" in note.get_text()  # from the note
    assert [li.get_text() for li in note.select("ol.highlights li")][0] == (
        "✨ Routes tokens to two experts only."
    )
    assert "4.5" in note.select_one(".rating")["title"]
    facts = soup.select_one(".facts").get_text(" ", strip=True)
    assert "ICLR 2026" in facts and "Lisbon AI Lab" in facts
    assert "github.com/example/sparse-moe" in facts
    tags = [a.get_text() for a in soup.select(".facts .chip")]
    assert tags[:2] == ["MoE", "Inference"] and "LLM" in tags  # note's, then the feed's
    assert soup.find("meta", attrs={"name": "description"})["content"].startswith("✨ Routes")
    # One article per paper: no second page for the note.
    assert not (site / "papers/complete-note").exists()


def test_images_load_lazily(site):
    image = page(site, "papers/2512.00001/index.html").select_one(".note-body img")
    assert image["loading"] == "lazy" and image["src"] == "https://example.org/figure.png"


def test_standalone_note_is_an_article_of_its_own(site):
    soup = page(site, "papers/hostile-note/index.html")
    assert "hostile markup" in soup.h1.get_text()
    assert (site / "tags/security/index.html").is_file()


def test_note_markup_is_sanitised(site):
    html = (site / "papers/hostile-note/index.html").read_text()
    soup = page(site, "papers/hostile-note/index.html")
    # The theme's own search form and deferred scripts sit outside <main>.
    main = str(soup.main)
    # Every script but the JSON-LD data block (never executed) is a file.
    scripts = soup.find_all("script")
    assert all(s.get("src") or s.get("type") == "application/ld+json" for s in scripts)
    for bad in ("<script", "javascript:", "<iframe", "<form", "<input", "style="):
        assert bad not in main, bad
    assert "javascript:" not in html and "style=" not in html
    assert not [
        (tag.name, name)
        for tag in soup.find_all(True)
        for name in tag.attrs
        if name.startswith("on")
    ]
    assert soup.find("meta", attrs={"name": "description"})["content"] == "Looks fine ."
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the title, as text
    body = soup.select_one(".note-body")
    assert body.select_one("details summary").get_text() == "More"
    assert body.select_one("sub").get_text() == "i" and body.select_one("table td")
    assert body.find("img", alt="ok")["src"].startswith("data:image/png")


def test_two_notes_for_one_paper_stop_the_build(tmp_path):
    settings = note_site(tmp_path, "complete-note.md")
    folder = tmp_path / "content" / "notes"
    shutil.copy(folder / "complete-note.md", folder / "copy.md")
    with pytest.raises(BuildError, match="problem"):
        build(settings)


@requires_chromium
def test_math_in_a_built_note_renders_in_chromium(site):
    with serve(site) as url, chromium_page() as browser_page:
        browser_page.goto(url + "papers/2512.00001/")
        text = browser_page.inner_text("main")
        assert "$$" not in text and "\\sum" not in text and "\\mathcal" not in text
        formulas = browser_page.query_selector_all(".note math")
        assert len(formulas) >= 3
        assert all(f.bounding_box()["width"] > 0 for f in formulas)
        assert browser_page.query_selector(".note math[display='block']") is not None
