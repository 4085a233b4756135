"""The daily build: a day's papers fetched into a built site's archive render only
what changed, and the fetch reads only the records it needs."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

from papershelf.archive import Archive
from papershelf.ingest.fetch import run_fetch
from papershelf.model import Paper

from .feedgen import arxiv_feed, arxiv_rss
from .httpserver import Answer
from .sites import FEEDS, build, fetch, page, site_settings

KEYWORDS = {"LLM": 3.0, "MoE": 3.0, "RL": 2.0, "Decoding": 1.0}
NEW_DAY = date(2025, 12, 11)
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def new_papers(start: int) -> list[dict]:
    words = ("sparse", "kernels", "caches", "schedulers", "compilers")
    return [
        {
            "arxiv_id": f"2512.{number:05d}",
            "title": f"LLM Serving with {word.title()} number {number}",
            "authors": "Grace Hopper, Edsger Dijkstra",
            "abstract": f"We serve an LLM with {word} and measure {number} requests a second.",
        }
        for number, word in zip(range(start, start + 3), words, strict=False)
    ]


def card_ids(soup) -> list[str]:
    return [a["href"].rstrip("/").split("/")[-1] for a in soup.select(".card-title a")]


def test_a_days_papers_render_their_pages_and_listings_and_keep_the_others(tmp_path):
    # Related papers off: with them on, a page whose related list changed is rendered
    # again too, as it should be (its key holds the related papers' records).
    settings = site_settings(tmp_path, ARXIV_KEYWORDS=KEYWORDS, RELATED_PAPERS_LIMIT=0)
    status, report = fetch(
        settings,
        FEEDS / "day1-cs.CL.new-and-cross.rss.xml",
        FEEDS / "day1-cs.AI.cross-list.rss.xml",
    )
    assert status == 0, report
    output = build(settings)
    old_pages = sorted(output.glob("papers/*/index.html"))
    assert len(old_pages) >= 3
    kept = {path: (path.read_bytes(), path.stat().st_ino) for path in old_pages}

    day = tmp_path / "day3-cs.CL.rss.xml"
    added = new_papers(900)
    day.write_bytes(arxiv_feed(added))
    status, report = fetch(settings, day, date=NEW_DAY)
    assert status == 0 and "3 new" in report, report
    build(settings)

    new_ids = [paper["arxiv_id"] for paper in added]
    for arxiv_id in new_ids:
        assert arxiv_id in page(output, f"papers/{arxiv_id}/index.html").get_text()
    digest = page(output, f"digest/{NEW_DAY}/index.html")
    assert sorted(card_ids(digest)) == new_ids
    assert set(new_ids) <= set(card_ids(page(output, "index.html")))  # the latest digest
    assert set(new_ids) <= set(card_ids(page(output, "categories/cs.CL/index.html")))
    assert "papers/2512.00900/" in (output / "feeds/all.atom.xml").read_text()
    # Every page of an unchanged paper stayed as it was: the same bytes, the same file.
    now = {path: (path.read_bytes(), path.stat().st_ino) for path in old_pages}
    rendered_again = [path for path in old_pages if now[path] != kept[path]]
    assert not rendered_again, rendered_again


class PaperOpens:
    """The archive's record files opened while it counts (an audit hook: every
    ``open`` of the process is seen, whoever calls it)."""

    def __init__(self, papers: Path):
        self.papers = str(papers)
        self.opened: list[str] = []
        self.counting = False
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple) -> None:
        if self.counting and event == "open" and isinstance(args[0], str | Path):
            path = str(args[0])
            if path.startswith(self.papers) and path.endswith(".json"):
                self.opened.append(Path(path).stem)


def test_a_fetch_reads_only_the_records_its_feeds_list(tmp_path, feed_server):
    settings = site_settings(tmp_path, ARXIV_KEYWORDS=KEYWORDS, ARXIV_REQUEST_INTERVAL=0)
    options = settings["PAPERSHELF_VALIDATED"]
    archive = Archive(options["ARXIV_ARCHIVE_PATH"])
    large = tmp_path / "large.rss.xml"
    large.write_bytes(arxiv_rss(60, start=100))
    status, report = fetch(settings, large)
    assert status == 0 and "60 new" in report, report
    # A local record (an imported entry) that is one of the day's papers: the fetch
    # must still find it, the only kind of record a fetched paper can merge with.
    added = new_papers(900)
    local = Paper(
        arxiv_id="pe-0123456789",
        title="A guessed title",
        abstract=added[0]["abstract"],
        extra={"title_derived": True},
    )
    archive.save([local])
    # The day (the same announcement day): two papers the archive has (one now in a
    # second category, both in a second feed) and three new.
    day = [
        {
            "arxiv_id": f"2512.{number:05d}",
            "title": f"LLM paper number {number}",
            "authors": "Ada Lovelace, Alan Turing",
            "abstract": f"We study LLM {number} with {' '.join(['tokens'] * 40)}.",
            "categories": ["cs.CL", "cs.LG"] if number == 100 else ["cs.CL"],
        }
        for number in (100, 101)
    ] + added
    url = feed_server.route("/rss/cs.CL", Answer(body=arxiv_feed(day), headers=RSS))

    opens = PaperOpens(archive.papers_dir)
    out = io.StringIO()
    opens.counting = True
    try:
        status = run_fetch(options, [url], out=out)
    finally:
        opens.counting = False
    report = out.getvalue()
    assert status == 0, report
    assert "5 items: 3 new, 2 updated, 0 kept" in report  # updated: a new feed, a category
    assert "dedupe: merged pe-0123456789 -> 2512.00900: same abstract" in report
    assert "archive: 63 papers" in report  # 60 + 3 new, the local record merged away
    assert not archive.path_for("pe-0123456789").exists()
    assert "cs.LG" in archive.load_ids(["2512.00100"])["2512.00100"].categories
    # Opened (or looked for): the files of the feed's ids and the local record; none of
    # the archive's 58 others.
    assert set(opens.opened) == {paper["arxiv_id"] for paper in day} | {"pe-0123456789"}


def test_a_related_list_that_changes_renders_that_page_but_not_the_listings_of_its_card(
    tmp_path,
):
    settings = site_settings(tmp_path, ARXIV_KEYWORDS=KEYWORDS)
    fetch(
        settings,
        FEEDS / "day1-cs.CL.new-and-cross.rss.xml",
        FEEDS / "day1-cs.AI.cross-list.rss.xml",
    )
    output = build(settings)
    paper, tag = output / "papers/2512.00001/index.html", output / "tags/moe/index.html"
    assert "2512.00001" in card_ids(page(output, "tags/moe/index.html"))
    inodes = {path: path.stat().st_ino for path in (paper, tag)}
    day = tmp_path / "day3-cs.CL.rss.xml"
    day.write_bytes(arxiv_feed(new_papers(900)))
    fetch(settings, day, date=NEW_DAY)
    build(settings)
    # The MoE paper's related papers now hold a new LLM paper: its page is new ...
    related = page(output, "papers/2512.00001/index.html").select(".related a")
    assert any("/papers/2512.009" in a["href"] for a in related), related
    assert paper.stat().st_ino != inodes[paper]
    # ... but its card is not, so the MoE tag page (no new paper on it) is kept.
    assert tag.stat().st_ino == inodes[tag]


def older_paper(number: int) -> Paper:
    return Paper(
        arxiv_id=f"2401.{number:05d}",
        title=f"An Older LLM Paper, number {number}",
        authors=["Ada Lovelace"],
        abstract="An LLM paper from long ago.",
        primary_category="cs.CL",
        categories=["cs.CL"],
        announced=f"2024-01-{30 - number:02d}",
        score=3.0,
        matched_keywords=["LLM"],
    )


def test_a_listing_page_whose_papers_stay_says_the_listings_new_size(tmp_path):
    # An older paper (an import, a resolve) joins a listing's last page: its first
    # page lists the same papers, on as many pages, but states one paper more.
    settings = site_settings(tmp_path, ARXIV_KEYWORDS=KEYWORDS)
    status, report = fetch(settings, FEEDS / "day1-cs.CL.new-and-cross.rss.xml")
    assert status == 0, report
    archive = Archive(Path(settings["ARXIV_ARCHIVE_PATH"]))
    archive.save([older_paper(1)])
    listed = sum("cs.CL" in paper.categories for paper in archive.load().values())
    assert listed >= 3
    # Pages of n-1 papers and of 1.
    settings = site_settings(
        tmp_path, ARXIV_KEYWORDS=KEYWORDS, PAPERSHELF_LISTING_PAGE_SIZE=listed - 1
    )
    output = build(settings)
    first = "categories/cs.CL/index.html"
    before = page(output, first)
    archive.save([older_paper(2)])
    build(settings)
    after = page(output, first)
    assert card_ids(after) == card_ids(before)
    assert f"{listed + 1} papers" in after.select_one("main p.muted").get_text()
