"""The best of each week and month (top_papers): periods, the blend, pages and feeds,
in real Pelican builds of records over several weeks and months."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest

from papershelf.archive import Archive
from papershelf.importers.paper_explorer_import import run_import_paper_explorer
from papershelf.model import Paper
from papershelf.settings import SettingsError, validate
from papershelf.site.top import month_key, period_days, week_key

from .atom_check import atom_problems
from .sites import FEEDS, build, fetch, page, site_settings
from .test_errors import one_error_line, papershelf
from .test_oversized_input import site_project

SITE_URL = "https://example.org/shelf"
EXPLORER_DUMP = Path(__file__).parent / "fixtures" / "paper_explorer" / "with-and-without-tldr.txt"
IMPORT_DAY = datetime.date(2025, 12, 10)  # inside week 50: its papers must not land there

# id: (announced, score). Week 50 of 2025 is Dec 8-14; Dec 29 is in 2026-W01.
RECORDS = {
    "2512.10001": ("2025-12-08", 9.0),  # the best score of week 50
    "2512.10002": ("2025-12-14", 6.0),  # noted, rated 5: lifted above 10001 by default
    "2512.10003": ("2025-12-11", 3.0),
    "2512.10004": ("2025-12-16", 4.0),  # week 51
    "2512.10005": ("2025-12-29", 5.0),  # 2026-W01, but December
    "2601.10006": ("2026-01-02", 7.0),  # 2026-W01 and January
}
NOTE = "Title: A noted paper\nArxiv: 2512.10002\nDate: 2025-12-15\nRating: 5\n\nWorth it.\n"


def make_site(tmp_path: Path, **overrides) -> dict:
    settings = site_settings(tmp_path, SITEURL=SITE_URL, FEED_DOMAIN=SITE_URL, **overrides)
    Archive(tmp_path / "data").save(
        [
            Paper(
                arxiv_id=arxiv_id,
                title=f"Paper {arxiv_id}",
                authors=["Ada Lovelace"],
                abstract=f"We study LLM routing in paper {arxiv_id}.",
                primary_category="cs.CL",
                categories=["cs.CL"],
                announced=day,
                score=score,
            )
            for arxiv_id, (day, score) in RECORDS.items()
        ]
    )
    notes = tmp_path / "content" / "notes"
    notes.mkdir(parents=True, exist_ok=True)
    (notes / "2512.10002.md").write_text(NOTE, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = run_import_paper_explorer(
        {"ARXIV_ARCHIVE_PATH": str(tmp_path / "data")}, EXPLORER_DUMP, IMPORT_DAY, out=out, err=err
    )
    assert status == 0, err.getvalue()
    return settings


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    settings = make_site(tmp_path_factory.mktemp("top"))
    return settings, build(settings)


def words(element) -> str:
    """An element's text as a reader sees it (Babel puts thin spaces around the dash
    of a run of days)."""
    return " ".join(element.get_text().split())


def ranked_ids(soup) -> list[str]:
    return [
        a["href"].rstrip("/").rsplit("/", 1)[-1] for a in soup.select(".top-list .card-title a")
    ]


# --- periods -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "week", "month"),
    [
        ("2025-12-08", "2025-W50", "2025-12"),
        ("2025-12-14", "2025-W50", "2025-12"),
        ("2025-12-29", "2026-W01", "2025-12"),  # ISO week 1 of 2026 starts in December
        ("2027-01-01", "2026-W53", "2027-01"),  # and 2026's last week runs into 2027
    ],
)
def test_iso_weeks_and_months_across_the_year_boundary(day, week, month):
    date = datetime.date.fromisoformat(day)
    assert (week_key(date), month_key(date)) == (week, month)
    start, end = period_days("week", week)
    assert start.weekday() == 0 and start <= date <= end and (end - start).days == 6


def test_period_days_of_a_december_and_a_february():
    assert period_days("month", "2025-12") == (
        datetime.date(2025, 12, 1),
        datetime.date(2025, 12, 31),
    )
    assert period_days("month", "2028-02")[1] == datetime.date(2028, 2, 29)


def test_each_paper_is_in_the_week_and_month_of_its_announcement(site):
    _, output = site
    assert sorted(ranked_ids(page(output, "top/week/2025-W50/index.html"))) == [
        "2512.10001",
        "2512.10002",
        "2512.10003",
    ]
    assert ranked_ids(page(output, "top/week/2026-W01/index.html")) == ["2601.10006", "2512.10005"]
    december = ranked_ids(page(output, "top/month/2025-12/index.html"))
    assert sorted(december) == [
        "2512.10001",
        "2512.10002",
        "2512.10003",
        "2512.10004",
        "2512.10005",
    ]
    assert ranked_ids(page(output, "top/month/2026-01/index.html")) == ["2601.10006"]


def test_imported_papers_without_an_announcement_are_in_no_period(site):
    _, output = site
    # The import made pages of its own (its papers exist) but lists none of them.
    assert list((output / "papers").glob("pe-*"))
    for path in (output / "top").rglob("index.html"):
        assert "papers/pe-" not in path.read_text(encoding="utf-8"), path
    index = words(page(output, "top/index.html"))
    assert "Week 50, 2025 (Dec 8 – 14) 3 papers" in index


def test_the_index_lists_weeks_and_months_newest_first_with_counts(site):
    _, output = site
    index = page(output, "top/index.html")
    weeks = [words(li) for li in index.select("#top-weeks ~ ul li")]
    assert weeks == [
        "Week 1, 2026 (Dec 29 – Jan 4) 2 papers",
        "Week 51, 2025 (Dec 15 – 21) 1 paper",
        "Week 50, 2025 (Dec 8 – 14) 3 papers",
    ]
    months = [words(li) for li in index.select("#top-months ~ ul li")]
    assert months == ["January 2026 1 paper", "December 2025 5 papers"]


# --- the blend -----------------------------------------------------------------------


def test_a_rated_note_lifts_a_paper_above_a_higher_score(site):
    _, output = site
    week = page(output, "top/week/2025-W50/index.html")
    # 10002: 1.0 * 6/9 + 0.5 * 5/5 + 0.25 = 1.42 against 10001's 1.0.
    assert ranked_ids(week) == ["2512.10002", "2512.10001", "2512.10003"]
    ranks = [words(p) for p in week.select(".top-list .rank")]
    assert ranks == ["No. 1 rank value 1.42", "No. 2 rank value 1.00", "No. 3 rank value 0.33"]
    blend = words(week.select_one(".top-blend"))
    assert blend.startswith("Ranked by 1 × score ÷ the week's best score + 0.5 × curator rating")


def test_the_blend_and_size_settings_change_the_pages(tmp_path):
    settings = make_site(tmp_path, TOP_BLEND={"score": 1.0, "rating": 0.0, "note": 0.0}, TOP_SIZE=2)
    output = build(settings)
    week = page(output, "top/week/2025-W50/index.html")
    assert ranked_ids(week) == ["2512.10001", "2512.10002"]  # by score alone, two shown
    assert "the 2 best of 3 papers announced" in words(week)
    feed = (output / "feeds/top/week/2025-W50.atom.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 2 and "2512.10003" not in feed


def test_equal_blends_go_to_the_higher_score_then_the_id(tmp_path):
    # Only notes count: every paper without one ties at 0, then goes by score, then id.
    settings = make_site(tmp_path, TOP_BLEND={"score": 0.0, "rating": 0.0, "note": 1.0})
    Archive(tmp_path / "data").save(
        [Paper(arxiv_id="2512.10000", title="Tied", announced="2025-12-09", score=3.0)]
    )
    output = build(settings)
    week = ranked_ids(page(output, "top/week/2025-W50/index.html"))
    assert week == ["2512.10002", "2512.10001", "2512.10000", "2512.10003"]


@pytest.mark.parametrize(
    "blend",
    [
        {"score": 1.0, "rating": 0.5},  # a term missing
        {"score": 1.0, "rating": 0.5, "note": 0.25, "views": 1.0},  # an unknown term
        {"score": -1.0, "rating": 0.5, "note": 0.25},
        {"score": 0, "rating": 0, "note": 0},
        {"score": "high", "rating": 0.5, "note": 0.25},
    ],
)
def test_a_bad_blend_is_refused(blend):
    with pytest.raises(SettingsError, match=r"setting TOP_BLEND = .* is invalid: expected a dict"):
        validate({"TOP_BLEND": blend})


def test_a_bad_blend_stops_the_build_with_one_line(tmp_path):
    root = site_project(tmp_path)
    with (root / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('TOP_BLEND = {"score": 1.0, "rating": "high", "note": 0.25}\n')
    message = one_error_line(papershelf(root, "build"))
    assert message == (
        "papershelf: pelicanconf.py: setting TOP_BLEND = {'rating': 'high'} is invalid: "
        "expected a dict of a weight >= 0 for each of 'score', 'rating', 'note', not all 0 "
        "(fix it in pelicanconf.py)"
    )
    assert not (root / "output").exists()


# --- pages, links and feeds ------------------------------------------------------------


def test_period_pages_link_their_neighbours_and_feed(site):
    _, output = site
    week = page(output, "top/week/2025-W51/index.html")
    assert week.find("a", rel="prev")["href"].endswith("top/week/2025-W50/")
    assert week.find("a", rel="next")["href"].endswith("top/week/2026-W01/")
    newest = page(output, "top/week/2026-W01/index.html")
    assert newest.find("a", rel="next") is None
    alternate = week.find("link", rel="alternate", type="application/atom+xml", href=True)
    links = [a["href"] for a in week.find_all("link", type="application/atom+xml")]
    # Relative, as links to pages are (the feed's own links are absolute).
    assert "../../../feeds/top/week/2025-W51.atom.xml" in links, links
    assert alternate is not None
    month = page(output, "top/month/2025-12/index.html")
    assert month.h1.get_text() == "Best of December 2025"
    assert month.find("a", rel="next")["href"].endswith("top/month/2026-01/")


def test_feeds_are_valid_atom_with_the_ranked_entries(site):
    _, output = site
    feeds = sorted((output / "feeds" / "top").rglob("*.atom.xml"))
    names = [str(path.relative_to(output / "feeds" / "top")) for path in feeds]
    assert names == [
        "month/2025-12.atom.xml",
        "month/2026-01.atom.xml",
        "week/2025-W50.atom.xml",
        "week/2025-W51.atom.xml",
        "week/2026-W01.atom.xml",
    ]
    for path, name in zip(feeds, names, strict=True):
        self_url = f"{SITE_URL}/feeds/top/{name}"
        assert atom_problems(path.read_bytes(), SITE_URL, self_url) == [], path
    import feedparser

    feed = feedparser.parse((output / "feeds/top/week/2025-W50.atom.xml").read_bytes())
    assert feed.feed.title == "papershelf: best of week 50, 2025"
    assert feed.feed.link == f"{SITE_URL}/top/week/2025-W50/"
    entries = [entry.link.rstrip("/").rsplit("/", 1)[-1] for entry in feed.entries]
    assert entries == ["2512.10002", "2512.10001", "2512.10003"]  # as the page ranks them


def test_home_and_digests_link_to_their_week_and_month(site):
    _, output = site
    home = page(output, "index.html")
    links = {a.get_text(): a["href"] for a in home.select(".top-links a")}
    assert links["Best of this week"].endswith("/top/week/2026-W01/")
    assert links["Best of this month"].endswith("/top/month/2026-01/")
    digest = page(output, "digest/2025-12-29/index.html")
    links = {a.get_text(): a["href"] for a in digest.select(".top-links a")}
    assert links == {
        "Best of week 1, 2026": "../../top/week/2026-W01/",
        "Best of December 2025": "../../top/month/2025-12/",
    }


def test_the_top_pages_are_in_the_sitemap(site):
    _, output = site
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE_URL}/top/</loc>" in sitemap
    assert f"<loc>{SITE_URL}/top/week/2025-W50/</loc><lastmod>2025-12-15</lastmod>" in sitemap
    assert f"<loc>{SITE_URL}/top/month/2026-01/</loc>" in sitemap


def test_a_rebuild_with_nothing_changed_renders_no_top_page(tmp_path):
    settings = make_site(tmp_path)
    output = build(settings)
    files = [*(output / "top").rglob("*.html"), *(output / "feeds/top").rglob("*.xml")]
    before = {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in files}
    build(settings)
    assert {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in files} == before
    # A new paper in week 51 renders that week again, and the weeks beside it stay.
    Archive(tmp_path / "data").save(
        [Paper(arxiv_id="2512.10007", title="New", announced="2025-12-17", score=8.0)]
    )
    build(settings)
    week51 = output / "top/week/2025-W51/index.html"
    assert week51.stat().st_mtime_ns != before[week51][0]
    assert "2512.10007" in week51.read_text(encoding="utf-8")
    week1 = output / "top/week/2026-W01/index.html"
    assert week1.stat().st_mtime_ns == before[week1][0]


def test_a_site_from_fetched_feeds_has_its_week(tmp_path):
    settings = site_settings(tmp_path, ARXIV_KEYWORDS={"LLM": 3.0, "MoE": 3.0, "RL": 2.0})
    status, report = fetch(settings, FEEDS / "day1-cs.CL.new-and-cross.rss.xml")
    assert status == 0, report
    output = build(settings)
    week = page(output, "top/week/2025-W50/index.html")
    assert ranked_ids(week)[0] == "2512.00001"  # the day's best score, no notes
    assert "Week 50, 2025 (Dec 8 – 14)" in words(week)


def test_the_pages_read_naturally_in_chinese(tmp_path):
    output = build(make_site(tmp_path, DEFAULT_LANG="zh"))
    week = page(output, "top/week/2025-W50/index.html")
    assert week.h1.get_text() == "2025 年第 50 周最佳"
    assert "2025 年第 50 周（12月8日至14日）" in words(week)
    assert [words(p) for p in week.select(".top-list .rank")][0] == "第 1 名 排名值 1.42"
    assert page(output, "top/month/2025-12/index.html").h1.get_text() == "2025年12月最佳"
    home = [a.get_text() for a in page(output, "index.html").select(".top-links a")]
    assert home == ["本周最佳", "本月最佳"]
    feed = (output / "feeds/top/week/2025-W50.atom.xml").read_text(encoding="utf-8")
    assert "<title>papershelf: 2025 年第 50 周最佳</title>" in feed


def test_papers_of_a_bot_digest_are_in_the_week_of_their_day(tmp_path):
    from papershelf.importers.arxiv_bot_import import run_import_arxiv_bot

    settings = site_settings(tmp_path)
    digest = Path(__file__).parent / "fixtures" / "arxiv_bot" / "ranked-papers.md"
    options = settings["PAPERSHELF_VALIDATED"]
    status = run_import_arxiv_bot(options, digest, None, out=io.StringIO(), err=io.StringIO())
    assert status == 0
    days = {id: paper.announced for id, paper in Archive(tmp_path / "data").load().items()}
    assert set(days.values()) == {"2025-12-09", "2025-12-10"}  # as the digest dates them
    output = build(settings)
    assert sorted(ranked_ids(page(output, "top/week/2025-W50/index.html"))) == sorted(days)
    assert sorted(ranked_ids(page(output, "top/month/2025-12/index.html"))) == sorted(days)
