"""The date rules (papershelf.dates): which date a paper has, and what follows from
it in a real Pelican build. A paper known only from an import is in no digest,
month, top list or feed, is on its tag and topic pages after the dated papers, and
the stats page counts it apart; a paper dated by the arXiv API (a resolved import)
is listed by that date; an announced paper keeps its announcement day."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from datetime import datetime
from pathlib import Path

import pytest

from papershelf.archive import Archive
from papershelf.dates import ANNOUNCED, PUBLISHED, UNDATED, dates_of, record_dates
from papershelf.ingest.dedupe_merge import merge_records
from papershelf.ingest.feeds import FeedEntry
from papershelf.ingest.resolve_match import api_record
from papershelf.model import Paper

from .sites import ROOT, build, page, site_settings

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://example.org/shelf"
IMPORT_DAY = "2025-11-30"  # a Sunday: week 2025-W48, month 2025-11
ANNOUNCED_ID, UNDATED_ID, RESOLVED_ID = "2512.00001", "pe-0123456789", "2301.00042"
HOSTILE_TITLE = "Undated <b>paper</b> & friends"


def imported(arxiv_id: str, title: str) -> Paper:
    """A record as the paper-explorer import writes it: no arXiv id, no date."""
    return Paper(
        arxiv_id=arxiv_id,
        title=title,
        abstract=f"We study routing for {title}.",
        extra={
            "imports": [{"source": "paper-explorer", "file": "dump.txt", "date": IMPORT_DAY}],
            "imported": IMPORT_DAY,
            "tags": ["Routing"],
            "topic": "Agents",
        },
    )


def resolved() -> Paper:
    """An imported record after ``resolve``: the arXiv API's record (its own first
    version's date) merged with the local one, as resolve and dedupe merge them."""
    entry = FeedEntry(
        arxiv_id=RESOLVED_ID,
        version=2,
        title="A resolved paper",
        authors=["Grace Hopper"],
        abstract="We study routing for a resolved paper.",
        categories=["cs.LG"],
        announce_type="",
        date="2023-01-05",
        updated="2023-03-01",
    )
    return merge_records(
        api_record(entry), imported("pe-abcdefabcd", "A resolved paper"), "same arXiv id"
    )


def announced() -> Paper:
    return Paper(
        arxiv_id=ANNOUNCED_ID,
        title="An announced paper",
        authors=["Ada Lovelace"],
        abstract="We study routing for an announced paper.",
        primary_category="cs.CL",
        categories=["cs.CL"],
        announced="2025-12-09",
        feeds=["cs.CL"],
        score=4.0,
        extra={"tags": ["Routing"]},
    )


def test_the_kind_of_date_of_each_record():
    undated = record_dates(imported(UNDATED_ID, "x"))
    assert (undated.kind, undated.real_date, undated.is_dated) == (UNDATED, "", False)
    assert undated.import_day == IMPORT_DAY  # known, but it dates nothing
    assert undated.sort_date < datetime(1971, 1, 1)  # Pelican's date: after every dated one

    first = record_dates(announced())
    assert (first.kind, first.real_date) == (ANNOUNCED, "2025-12-09")
    # An announcement beats the paper's own date; a note's Date dates an import.
    both = record_dates(
        Paper("2512.1", "t", announced="2025-12-09", extra={"published": "2025-12-01"})
    )
    assert (both.kind, both.real_date, both.paper_date) == (ANNOUNCED, "2025-12-09", "2025-12-01")
    noted = record_dates(imported(UNDATED_ID, "x"), datetime(2025, 10, 2, 9, 30))
    assert (noted.kind, noted.real_date) == (PUBLISHED, "2025-10-02")
    # What a hand-edited record may hold is no date.
    broken = record_dates(Paper("2512.1", "t", announced="2025-13-40", extra={"published": "soon"}))
    assert not broken.is_dated


def test_a_resolved_import_becomes_dated_by_its_first_version():
    record = resolved()
    assert record.extra["imported"] == IMPORT_DAY  # the import is remembered ...
    dates = record_dates(record)
    assert (dates.kind, dates.real_date) == (PUBLISHED, "2023-01-05")  # ... and dates nothing
    assert dates_of(type("Stand-in", (), {"paper": record, "note": None})()) == dates


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("dates")
    settings = site_settings(
        tmp_path, SITEURL=SITE_URL, FEED_DOMAIN=SITE_URL, PAPERSHELF_JSON_LD=True
    )
    Archive(tmp_path / "data").save([announced(), imported(UNDATED_ID, HOSTILE_TITLE), resolved()])
    return build(settings)


def card_ids(soup) -> list[str]:
    return [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in soup.select(".card .card-title a")]


def feed_ids(path: Path) -> list[str]:
    root = ElementTree.parse(path).getroot()
    links = [entry.find(f"{ATOM}link").get("href") for entry in root.iter(f"{ATOM}entry")]
    return [link.rstrip("/").rsplit("/", 1)[-1] for link in links]


def test_an_undated_import_is_in_no_digest_month_top_list_or_feed(site: Path):
    assert sorted(p.name for p in (site / "digest").iterdir() if p.is_dir()) == ["2025-12-09"]
    assert card_ids(page(site, "digest/2025-12-09/index.html")) == [ANNOUNCED_ID]
    months = sorted(p.name for p in (site / "archive").iterdir() if p.is_dir())
    assert months == ["2023-01", "2025-12"]  # no 2025-11, the import's month
    assert not (site / "top/week/2025-W48").exists()
    assert not (site / "top/month/2025-11").exists()
    assert feed_ids(site / "feeds/all.atom.xml") == [ANNOUNCED_ID, RESOLVED_ID]
    assert UNDATED_ID not in feed_ids(site / "feeds/tags/routing.atom.xml")
    assert UNDATED_ID not in (site / "feeds/all.atom.xml").read_text(encoding="utf-8")


def test_an_undated_import_is_on_its_tag_and_topic_pages_after_the_dated(site: Path):
    tag = card_ids(page(site, "tags/routing/index.html"))
    assert tag == [ANNOUNCED_ID, RESOLVED_ID, UNDATED_ID]  # dated newest first, then undated
    assert UNDATED_ID in card_ids(page(site, "topics/agents/index.html"))
    card = next(
        c for c in page(site, "tags/routing/index.html").select(".card") if UNDATED_ID in str(c)
    )
    # The import's day is said as such, never as the paper's date; the title stays text.
    meta = " ".join(card.select_one(".card-meta").get_text().split())
    assert "Imported 30 Nov 2025" in meta or "Imported Nov 30, 2025" in meta, meta
    day = card.select_one(".card-meta time")
    assert (day["datetime"], day["class"]) == (IMPORT_DAY, ["import-day"])  # reading list skips it
    assert card.select_one(".card-title a").get_text() == HOSTILE_TITLE
    facts = page(site, f"papers/{UNDATED_ID}/index.html").select_one(".facts")
    assert "undated" in facts.get_text()


def test_an_announced_paper_keeps_its_day_and_a_resolved_one_its_first_version(site: Path):
    assert card_ids(page(site, "archive/2025-12/index.html")) == [ANNOUNCED_ID]
    assert card_ids(page(site, "archive/2023-01/index.html")) == [RESOLVED_ID]
    assert RESOLVED_ID in card_ids(page(site, "top/month/2023-01/index.html"))
    paper = page(site, f"papers/{RESOLVED_ID}/index.html")
    assert paper.select_one(".facts time")["datetime"] == "2023-01-05"
    assert "first version, from arXiv" in paper.select_one(".facts").get_text()
    json_ld = json.loads(paper.find("script", type="application/ld+json").string)
    assert json_ld["datePublished"] == "2023-01-05"
    undated = page(site, f"papers/{UNDATED_ID}/index.html")
    assert "datePublished" not in json.loads(
        undated.find("script", type="application/ld+json").string
    )


def test_the_stats_page_counts_undated_papers_apart(site: Path):
    soup = page(site, "stats/index.html")
    totals = {div.dt.get_text(): div.dd.get_text() for div in soup.select(".stat-totals div")}
    assert totals["Papers"] == "3"
    assert totals["Undated"] == "1 paper without a date (imported)"
    rows = {
        tr.th.get_text(): sum(int(td.get_text()) for td in tr.find_all("td"))
        for tr in soup.find("table").find("tbody").find_all("tr")
    }
    assert rows["2025-11-24"] == 0  # the import's week: no bar
    assert rows["2025-12-08"] == 1  # the announced paper's
    bars = [t.get_text() for t in soup.select("#chart-weekly rect title")]
    assert bars and not any(text.startswith("2025-11-24") for text in bars)


def test_nothing_shows_the_date_pelican_was_given(site: Path):
    for path in site.rglob("*"):
        if path.suffix in {".html", ".xml", ".json"}:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"1970-01-01|1 Jan 1970|Jan 1, 1970", text), path


def test_the_date_labels_read_in_chinese(tmp_path: Path):
    settings = site_settings(tmp_path, DEFAULT_LANG="zh")
    Archive(tmp_path / "data").save([announced(), imported(UNDATED_ID, HOSTILE_TITLE)])
    output = build(settings)
    tag = page(output, "tags/routing/index.html")
    assert "导入于" in tag.select(".card .card-meta")[-1].get_text()
    stats = page(output, "stats/index.html").select_one("#stats-undated")
    assert (stats.dt.get_text(), stats.dd.get_text()) == ("无日期", "1 篇论文没有日期（导入）")
    facts = page(output, f"papers/{UNDATED_ID}/index.html").select_one(".facts")
    assert "无日期" in facts.get_text() and "undated" not in facts.get_text()


def test_the_demo_sites_feed_and_months_carry_no_undated_import(demo_site: Path):
    records = Archive(ROOT / "data").load().values()
    undated = {p.arxiv_id for p in records if not record_dates(p).is_dated}
    assert len(undated) > 100  # the demo's paper-explorer import
    entries = set(feed_ids(demo_site / "feeds/all.atom.xml"))
    assert entries and not entries & undated
    months = [p.name for p in (demo_site / "archive").iterdir() if p.is_dir()]
    listed = {i for m in months for i in card_ids(page(demo_site, f"archive/{m}/index.html"))}
    assert listed and not listed & undated
