"""A feed reader's view of the Atom feeds of a publishing build (SITEURL set, as
publishconf.py does): valid Atom 1.0 (tests/atom_check.py), ids that never change,
``updated`` that changes only with the entry, the same reading in feedparser and in
a second, independent parser (@rowanmanning/feed-parser under Node)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest

from .atom_check import atom_problems
from .sites import FEEDS, ROOT, build, fetch, site_settings

SITEURL = "https://example.org/shelf"
KEYWORDS = {"LLM": 3.0, "MoE": 3.0, "RL": 2.0, "Decoding": 1.0}
DAY1 = [FEEDS / "day1-cs.CL.new-and-cross.rss.xml", FEEDS / "day1-cs.AI.cross-list.rss.xml"]
DAY2 = FEEDS / "day2-cs.CL.replace.rss.xml"  # 2512.00001 v2, and 2512.00006 new that day
NODE = shutil.which("node")
PARSER = ROOT / "node_modules" / "@rowanmanning" / "feed-parser"

# A Chinese note written after its paper was announced, and a note without a record.
NOTES = {
    "2512.00002.md": "Title: Quantization of Attention Kernels\nArxiv: 2512.00002\n"
    "Date: 2025-12-11\nLang: zh\nSummary: 注意力核的 FP8 量化。\n\n量化注意力核：笔记。\n",
    "openreview-paper.md": "Title: A Paper Known Only From OpenReview\nDate: 2025-11-20\n"
    "Lang: en\nLinks: https://openreview.net/forum?id=abc\n\nWhy it matters.\n",
}


def publishing_settings(tmp_path: Path) -> dict:
    settings = site_settings(
        tmp_path,
        ARXIV_KEYWORDS=KEYWORDS,
        SITEURL=SITEURL,
        FEED_DOMAIN=SITEURL,
        RELATIVE_URLS=True,
    )
    notes = Path(settings["PATH"]) / "notes"
    notes.mkdir(parents=True, exist_ok=True)
    for name, text in NOTES.items():
        (notes / name).write_text(text, encoding="utf-8")
    return settings


def feed_files(output: Path) -> dict[str, bytes]:
    return {str(p.relative_to(output)): p.read_bytes() for p in sorted(output.rglob("*.atom.xml"))}


def entries(output: Path, path: str = "feeds/all.atom.xml") -> dict[str, dict]:
    """The entries of a feed by their page's URL: id, updated, published."""
    feed = feedparser.parse((output / path).read_bytes())
    return {
        e.link: {"id": e.id, "updated": e.updated, "published": e.published} for e in feed.entries
    }


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """The feeds of one site after day 1, a rebuild, and day 2 (a new paper and a
    replaced version)."""
    tmp_path = tmp_path_factory.mktemp("feeds")
    settings = publishing_settings(tmp_path)
    status, report = fetch(settings, *DAY1)
    assert status == 0, report
    output = build(settings)
    day1 = {"files": feed_files(output), "all": entries(output)}
    build(settings)
    rebuilt = {"files": feed_files(output), "all": entries(output)}
    status, report = fetch(settings, DAY2)
    assert status == 0, report
    build(settings)
    day2 = {"files": feed_files(output), "all": entries(output)}
    return settings, output, day1, rebuilt, day2


def paper(number: str) -> str:
    return f"{SITEURL}/papers/2512.{number}/"


def test_every_feed_is_valid_atom_with_absolute_links_under_siteurl(history):
    _, output, *_ = history
    feeds = feed_files(output)
    assert {
        "feeds/all.atom.xml",
        "feeds/tags/moe.atom.xml",
        "feeds/categories/cs.CL.atom.xml",
    } <= set(feeds)
    for path, data in feeds.items():
        problems = atom_problems(data, site_url=SITEURL, self_url=f"{SITEURL}/{path}")
        assert not problems, (path, problems)


def test_each_feed_has_its_own_id_and_follows_its_page(history):
    _, output, *_ = history
    heads = {path: feedparser.parse(data).feed for path, data in feed_files(output).items()}
    assert len({head.id for head in heads.values()}) == len(heads)
    assert heads["feeds/all.atom.xml"].link == f"{SITEURL}/"
    assert heads["feeds/tags/moe.atom.xml"].link == f"{SITEURL}/tags/moe/"
    assert heads["feeds/tags/moe.atom.xml"].title == "papershelf: papers tagged MoE"
    assert heads["feeds/categories/cs.CL.atom.xml"].link == f"{SITEURL}/categories/cs.CL/"


def test_entry_ids_never_change_and_updated_only_with_the_entry(history):
    _, _, day1, rebuilt, day2 = history
    assert rebuilt["files"] == day1["files"]  # nothing changed: the same bytes
    before, after = day1["all"], day2["all"]
    assert set(after) == set(before) | {paper("00006")}
    for link, entry in before.items():
        assert after[link]["id"] == entry["id"], link
    assert before[paper("00001")]["updated"].startswith("2025-12-09")
    assert after[paper("00001")]["updated"].startswith("2025-12-10")  # v2 replaced v1
    for link in (paper("00002"), paper("00004"), f"{SITEURL}/papers/openreview-paper/"):
        assert after[link] == before[link], link
    # The note written on 2025-12-11 is the entry's latest change.
    assert after[paper("00002")]["updated"].startswith("2025-12-11")
    assert after[paper("00002")]["published"].startswith("2025-12-09")
    assert after[paper("00001")]["id"] == "tag:example.org,2025-12:/shelf/papers/2512.00001/"
    # A feed's updated is its newest entry's, never the build's time.
    feed = feedparser.parse(day2["files"]["feeds/all.atom.xml"]).feed
    assert feed.updated == max(e["updated"] for e in after.values())


def test_an_earlier_announcement_moves_published_but_not_the_id(history, tmp_path):
    # An import of an older digest moves a record's first day earlier (arxiv_bot_import);
    # the id's date comes from the arXiv id, so the entry stays the same entry.
    settings, output, *_ = history
    record_path = Path(settings["ARXIV_ARCHIVE_PATH"]) / "papers" / "2512" / "2512.00004.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    before = entries(output)[paper("00004")]
    record["announced"] = "2025-12-01"
    record["announcements"].insert(0, {"announce_type": "new", "date": "2025-12-01", "version": 1})
    record_path.write_text(json.dumps(record, indent=2, sort_keys=True), encoding="utf-8")
    build(settings)
    after = entries(output)[paper("00004")]
    assert after["id"] == before["id"]
    assert after["published"].startswith("2025-12-01")
    assert after["updated"] == before["updated"]


def test_a_moved_site_keeps_its_entry_ids_with_feed_id_url(tmp_path):
    ids = {}
    for name, moved in (("old", {}), ("new", {"PAPERSHELF_FEED_ID_URL": SITEURL})):
        (tmp_path / name).mkdir()
        settings = publishing_settings(tmp_path / name)
        if moved:
            settings = site_settings(
                tmp_path / name,
                ARXIV_KEYWORDS=KEYWORDS,
                SITEURL="https://papers.example.com",
                RELATIVE_URLS=True,
                **moved,
            )
        fetch(settings, *DAY1)
        feed = feedparser.parse((build(settings) / "feeds/all.atom.xml").read_bytes())
        ids[name] = {e.link.rsplit("/papers/", 1)[1]: e.id for e in feed.entries}
        assert all(e.link.startswith(settings["SITEURL"] + "/") for e in feed.entries)
    assert ids["new"].items() <= ids["old"].items() and ids["new"]


def test_entries_carry_every_author_and_text_in_its_language(history):
    _, output, *_ = history
    feed = feedparser.parse((output / "feeds/all.atom.xml").read_bytes())
    first = next(e for e in feed.entries if e.link == paper("00001"))
    assert [a.name for a in first.authors] == ["André Martins", "José García", "Zoë Müller"]
    think = next(e for e in feed.entries if e.link == paper("00004"))
    assert "<think>" in think.title  # a title is text, not markup to strip
    assert feed.feed.author == "papershelf"
    xml = (output / "feeds/all.atom.xml").read_text(encoding="utf-8")
    assert '<summary type="html" xml:lang="zh">注意力核的 FP8 量化。</summary>' in xml


def test_an_empty_site_has_a_valid_deterministic_feed(tmp_path):
    settings = publishing_settings(tmp_path)
    for note in (Path(settings["PATH"]) / "notes").iterdir():
        note.unlink()
    output = build(settings)
    data = (output / "feeds/all.atom.xml").read_bytes()
    assert not atom_problems(data, site_url=SITEURL, self_url=f"{SITEURL}/feeds/all.atom.xml")
    assert feedparser.parse(data).feed.updated == "1970-01-01T00:00:00+00:00"


def test_a_local_preview_links_from_the_site_root(tmp_path):
    settings = site_settings(tmp_path, ARXIV_KEYWORDS=KEYWORDS)
    fetch(settings, *DAY1)
    output = build(settings)
    for path, data in feed_files(output).items():
        feed = feedparser.parse(data)
        assert not feed.bozo, path
        assert feed.feed.link.startswith("/") and all(
            e.link.startswith("/papers/") for e in feed.entries
        )


VALID = (
    '<feed xmlns="http://www.w3.org/2005/Atom"><title>f</title>'
    f"<id>{SITEURL}/f.xml</id><updated>2025-12-09T00:00:00Z</updated>"
    f'<link rel="self" href="{SITEURL}/f.xml"/><author><name>a</name></author>'
    "<entry><title>t</title><id>tag:example.org,2025:/a</id>"
    "<updated>2025-12-09T00:00:00Z</updated>"
    f'<link rel="alternate" href="{SITEURL}/a/"/></entry></feed>'
)


@pytest.mark.parametrize(
    "old, new, problem",
    [
        ("<id>tag:", "<id>x</id><id>tag:", "2 <id> elements"),
        ("2025-12-09T00:00:00Z</updated><link", "2025-12-09 00:00</updated><link", "RFC 3339"),
        (f'href="{SITEURL}/a/"', 'href="papers/a/"', "not absolute"),
        (f'href="{SITEURL}/a/"', 'href="https://elsewhere.org/a/"', "not under"),
        ("<title>t</title>", '<title type="markdown">t</title>', "type 'markdown'"),
        ("<author><name>a</name></author>", "<author><name> </name></author>", "name"),
        ("<id>tag:example.org,2025:/a</id>", "<id>a</id>", "not an absolute IRI"),
    ],
)
def test_the_validator_finds_what_is_wrong(old, new, problem):
    assert not atom_problems(VALID.encode(), site_url=SITEURL)
    problems = atom_problems(VALID.replace(old, new, 1).encode(), site_url=SITEURL)
    assert any(problem in p for p in problems), problems


def test_the_validator_wants_an_author_a_self_link_and_unique_ids():
    entry = (
        "<entry><title>t</title><id>urn:x</id>"
        "<updated>2025-12-09T00:00:00Z</updated><content>c</content></entry>"
    )
    feed = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>f</title><id>urn:f</id>'
        f"<updated>2025-12-09T00:00:00Z</updated>{entry}{entry}</feed>"
    )
    problems = " | ".join(atom_problems(feed.encode()))
    assert "no author" in problems and "rel='self'" in problems and "used by 2 entries" in problems


def utc(value: str | None) -> str | None:
    """An RFC 3339 date as both parsers' common form, e.g. 2025-12-09T00:00:00Z."""
    if value is None:
        return None
    from datetime import UTC, datetime

    return (
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        .astimezone(UTC)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
    )


def feedparser_reading(data: bytes) -> dict:
    feed = feedparser.parse(data)
    links = {link.rel: link.href for link in feed.feed.links}
    return {
        "type": "atom" if feed.version == "atom10" else feed.version,
        "title": feed.feed.title,
        "self": links.get("self"),
        "url": links.get("alternate"),
        "updated": utc(feed.feed.updated),
        "authors": [a.name for a in feed.feed.authors],
        "entries": [
            {
                "id": e.id,
                "title": e.title,
                "url": e.link,
                "published": utc(e.published),
                "updated": utc(e.updated),
                "authors": [a.name for a in e.authors],
                "categories": [t.term for t in e.get("tags", [])],
            }
            for e in feed.entries
        ],
    }


@pytest.mark.skipif(
    not NODE or not PARSER.is_dir(),
    reason="node or node_modules/@rowanmanning/feed-parser is missing (make setup-dev installs it)",
)
def test_a_second_parser_reads_every_feed_as_feedparser_does(history):
    _, output, *_ = history
    paths = sorted(output.rglob("*.atom.xml"))
    run = subprocess.run(
        [NODE, str(ROOT / "tests" / "feed_parse.mjs"), *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    readings = json.loads(run.stdout)
    for path in paths:
        theirs = readings[str(path)]
        theirs["updated"] = utc(theirs["updated"])
        for entry in theirs["entries"]:
            entry["published"], entry["updated"] = utc(entry["published"]), utc(entry["updated"])
        assert theirs == feedparser_reading(path.read_bytes()), path.relative_to(output)
