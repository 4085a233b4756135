"""Pages are written without their templates' indentation (papershelf.site.compact_html)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from papershelf.site.compact_html import CompactTemplate, compact_html

from .sites import FEEDS, build, fetch, page, site_settings


def visible_text(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text().split())


def test_indentation_and_blank_lines_become_one_line_break():
    html = "<ul>\n    <li>a</li>\n\n\t  <li>b  c</li>   \n</ul>\n"
    assert compact_html(html) == "<ul>\n<li>a</li>\n<li>b  c</li>\n</ul>\n"
    assert visible_text(compact_html(html)) == visible_text(html)


def test_whitespace_without_a_line_break_is_kept():
    html = '<p>one  two <a href="x">three</a>  four</p>'
    assert compact_html(html) == html


def test_pre_and_textarea_keep_their_text_as_written():
    entry = "@misc{key,\n      title={A\n  B},\n}\n"
    textarea = "<TEXTAREA>\n  x\n</TEXTAREA >"
    html = f'<div>\n   <pre class="bibtex"><code>{entry}</code></pre>\n   {textarea}\n</div>'
    compacted = compact_html(html)
    assert f"<code>{entry}</code></pre>" in compacted
    assert textarea in compacted
    assert compacted.startswith("<div>\n<pre") and compacted.endswith("</TEXTAREA >\n</div>")


def test_a_template_renders_compacted():
    class Template:
        name = "paper.html"

        def render(self, context):
            return "<p>\n    " + context["title"] + "\n</p>"

    template = CompactTemplate(Template())
    assert template.render({"title": "MoE"}) == "<p>\nMoE\n</p>"
    assert template.name == "paper.html"


def test_listings_show_cards_first_then_compact_rows_and_no_page_is_indented(tmp_path):
    settings = site_settings(tmp_path, PAPERSHELF_LISTING_PAGE_SIZE=1)
    status, report = fetch(settings, FEEDS / "day1-cs.CL.new-and-cross.rss.xml")
    assert status == 0, report
    output = build(settings)
    first = page(output, "categories/cs.CL/index.html")
    second = page(output, "categories/cs.CL/page/2/index.html")
    assert len(first.select("ol.cards article.card")) == 1 and not first.select("ol.rows")
    rows = second.select("ol.rows > li")
    assert rows and not second.select("article.card")
    day = None
    for row in rows:
        link = row.find("a")
        paper_id = link["href"].rstrip("/").rsplit("/", 1)[-1]
        paper = page(output, f"papers/{paper_id}/index.html")
        assert link.get_text() == paper.h1.get_text()
        # An ISO day, written once, and only where it changes (the first row has
        # one); an English title on an English page says no lang.
        announced = paper.select_one(".facts time")["datetime"]
        if row.find("time"):
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.find("time").get_text())
            assert row.find("time").get_text() == announced != day
            day = announced
        assert day == announced, paper_id
        assert link.get("lang") is None
    # The page links still reach every page, without JavaScript.
    assert second.select_one('nav.pagination a[rel="prev"]')
    # A day's digest: its first papers (a listing page's worth) cards, the rest rows.
    digest = page(output, "index.html")
    cards = digest.select("ol.cards article.card h3 a")
    later = digest.select("ol.rows > li > a")
    assert len(cards) == 1 and later
    assert digest.select_one("ol.rows")["start"] == "2"
    listed = [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in cards + later]
    assert len(listed) == len(set(listed)) == len(list((output / "papers").iterdir()))
    for path in output.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        outside_pre = re.sub(r"<pre\b.*?</pre>", "", html, flags=re.S)
        indented = [line for line in outside_pre.splitlines() if line[:1] in (" ", "\t")]
        assert not indented, f"{path}: {indented[:2]}"


def test_a_day_past_the_home_pages_keeps_its_best_papers_as_cards(tmp_path):
    settings = site_settings(tmp_path, PAPERSHELF_HOME_DAYS=1, PAPERSHELF_PAST_DAY_CARDS=1)
    for feed in (
        "day1-cs.CL.new-and-cross.rss.xml",
        "day1-cs.AI.cross-list.rss.xml",
        "day2-cs.CL.replace.rss.xml",
    ):
        status, report = fetch(settings, FEEDS / feed)
        assert status == 0, report
    output = build(settings)
    days = sorted(path.name for path in (output / "digest").iterdir() if path.is_dir())
    assert len(days) == 2, days
    past, recent = (page(output, f"digest/{day}/index.html") for day in days)
    announced = past.select("ol.cards")[0]
    assert len(announced.select("article.card")) == 1
    assert past.select_one("ol.rows")["start"] == "2"
    # A day's rows: the first says the day, the rows under it leave it to that one.
    days = [row.find("time") for row in past.select("ol.rows")[0].find_all("li")]
    assert len(days) > 1 and days[0] and not any(days[1:])
    # The newest day, one of the home page's, has no more papers than cards.
    assert not recent.select("ol.rows")
    assert len(recent.select("article.card")) == len(
        page(output, "index.html").select("main ol.cards article.card")
    )
