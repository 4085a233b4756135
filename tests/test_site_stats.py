"""The stats page: the numbers (papershelf.site.stats), the inline SVG charts
(papershelf.site.charts) and the page in a real build."""

import re
import xml.etree.ElementTree as ElementTree
from datetime import datetime
from types import SimpleNamespace

import pytest

from papershelf.archive import Archive
from papershelf.dates import record_dates
from papershelf.model import Paper
from papershelf.site import charts
from papershelf.site.stats import (
    Series,
    Timeline,
    paper_source,
    rating_distribution,
    top_tags_by_month,
    weekly_by_source,
)

from .search_helpers import build_search_site
from .sites import ROOT, page

SVG = "{http://www.w3.org/2000/svg}"


def article(day: str, *tags: str, feeds=(), imports=(), rating=None, note=False, paper=True):
    """A stand-in of a built article dated ``day``: announced if it came from a
    feed, else by its own (API) date, else by its note's."""
    record = None
    if paper:
        record = Paper(
            arxiv_id="2512.00001",
            title="t",
            feeds=list(feeds),
            announced=day if feeds else "",
            extra={
                "imports": [{"source": source} for source in imports],
                **({} if feeds else {"published": day}),
            },
        )
    has_note = note or rating is not None
    return SimpleNamespace(
        date=datetime.fromisoformat(day),
        tags=[SimpleNamespace(name=name) for name in tags],
        paper=record,
        note=SimpleNamespace(rating=rating, date=datetime.fromisoformat(day)) if has_note else None,
    )


def test_each_paper_counts_once_under_its_first_source():
    assert paper_source(article("2025-12-01", feeds=["cs.CL"], imports=["arxiv-bot"])) == "arxiv"
    assert paper_source(article("2025-12-01", imports=["paper-explorer", "x"])) == "paper-explorer"
    assert paper_source(article("2025-12-01", note=True, paper=False)) == "note"


def test_weeks_run_monday_to_sunday_and_empty_weeks_are_kept():
    articles = [
        article("2025-12-01", feeds=["f"]),  # a Monday
        article("2025-12-07", feeds=["f"]),  # the Sunday of that week
        article("2025-12-22", imports=["paper-explorer"]),
    ]
    timeline = weekly_by_source(articles, limit=52)
    assert timeline.periods == ["2025-12-01", "2025-12-08", "2025-12-15", "2025-12-22"]
    assert [(s.name, s.values) for s in timeline.series] == [
        ("arxiv", [2, 0, 0, 0]),
        ("paper-explorer", [0, 0, 0, 1]),
    ]
    assert weekly_by_source(articles, limit=2).periods == ["2025-12-15", "2025-12-22"]


def test_top_tags_merge_spellings_and_break_ties_by_name():
    articles = [
        article("2025-11-03", "MoE", "RL"),
        article("2026-01-05", "moe", "Agents"),
        article("2026-01-06", "RL"),
    ]
    timeline = top_tags_by_month(articles, top=2, limit=24)
    assert timeline.periods == ["2025-11", "2025-12", "2026-01"]
    assert [(s.name, s.values) for s in timeline.series] == [
        ("MoE", [1, 0, 1]),
        ("RL", [1, 0, 1]),
    ]


def test_ratings_fall_into_half_star_steps():
    ratings = rating_distribution(
        [article("2025-12-01", rating=r) for r in (5, 4.5, 4.7, 1)]
        + [article("2025-12-01", note=True), article("2025-12-01")]
    )
    assert dict(zip(ratings.steps, ratings.counts, strict=True)) == {
        1: 1, 1.5: 0, 2: 0, 2.5: 0, 3: 0, 3.5: 0, 4: 0, 4.5: 2, 5: 1,
    }  # fmt: skip
    assert (ratings.notes, ratings.unrated_notes) == (5, 1)


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def test_stacked_bars_are_proportional_and_escaped():
    hostile = "<script>alert(1)</script>"
    timeline = Timeline(["w1", "w2"], [Series("a", [4, 1]), Series(hostile, [4, 0])])
    svg = charts.stacked_bars("c", "Title <b>", "desc", timeline)
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c-title c-desc"
    assert root.find(f"{SVG}title").text == "Title <b>"  # text, not markup
    assert not list(root.iter(f"{SVG}script"))
    assert "style" not in svg and "<script>" not in svg
    heights = [float(rect.get("height")) for rect in root.iter(f"{SVG}rect")]
    assert heights[0] == heights[1] == pytest.approx(heights[2] * 4)  # 4, 4 and 1
    classes = [rect.get("class") for rect in root.iter(f"{SVG}rect")]
    assert classes == ["series-1", "series-2", "series-1"]


def test_axis_tops_are_round_numbers():
    assert [charts.nice_ceiling(v) for v in (0, 1, 3, 10, 11, 49, 803)] == [
        1, 1, 5, 10, 20, 50, 1000,
    ]  # fmt: skip


def test_lines_put_one_dot_per_value():
    timeline = Timeline(["m1", "m2", "m3"], [Series("MoE", [0, 2, 1]), Series("RL", [1, 1, 1])])
    root = parse(charts.lines("t", "Tags", "d", timeline))
    assert len(list(root.iter(f"{SVG}polyline"))) == 2
    dots = list(root.iter(f"{SVG}circle"))
    assert len(dots) == 6
    zero, two = float(dots[0].get("cy")), float(dots[1].get("cy"))
    assert zero > two  # SVG's y grows downwards


@pytest.fixture(scope="module")
def stats_page(tmp_path_factory):
    output, _ = build_search_site(tmp_path_factory.mktemp("stats"))
    return output, page(output, "stats/index.html")


def test_stats_page_charts_the_built_papers(stats_page):
    output, soup = stats_page
    svgs = soup.select("svg.chart")
    assert [svg["id"] for svg in svgs] == ["chart-weekly", "chart-tags", "chart-ratings"]
    assert all(svg["role"] == "img" and svg.title and svg.desc for svg in svgs)
    papers = len(list((output / "papers").glob("*/index.html")))
    totals = {div.dt.get_text(): div.dd.get_text() for div in soup.select(".stat-totals div")}
    assert int(totals["Papers"]) == papers
    weekly = soup.find("table").find("tbody")
    counted = sum(int(td.get_text()) for td in weekly.find_all("td"))
    assert counted == papers
    assert soup.find("a", href=lambda href: href and href.endswith("stats/"))  # in the header
    assert "style=" not in str(soup.select_one("main"))


def test_the_demo_site_counts_its_undated_imports_apart_not_as_a_spike(demo_site):
    """The demo's paper-explorer import (no arXiv id, no date) is one number on the
    stats page, not a bar on the day it was imported."""
    soup = page(demo_site, "stats/index.html")
    noted = {
        match.group(1)
        for note in (ROOT / "content" / "notes").glob("*.md")
        for match in [re.search(r"^Arxiv:\s*(\S+)", note.read_text(encoding="utf-8"), re.M)]
        if match
    }
    records = Archive(ROOT / "data").load().values()
    undated = [p for p in records if not record_dates(p).is_dated and p.arxiv_id not in noted]
    assert len(undated) > 100  # the demo's import: the case this guards
    # The demo speaks Chinese: the figures are read by place, not by their labels.
    assert re.sub(r"\D", "", soup.select_one("#stats-undated dd").get_text()) == str(len(undated))
    weeks = [
        sum(int(td.get_text().replace(",", "")) for td in tr.find_all("td"))
        for tr in soup.find("table").find("tbody").find_all("tr")
    ]
    papers = int(re.sub(r"\D", "", soup.select_one(".stat-totals dd").get_text()))
    # Dated papers only (those older than STATS_WEEKS weeks fall outside the chart).
    assert 0 < sum(weeks) <= papers - len(undated)
    assert max(weeks) < len(undated)  # no week holds the import
