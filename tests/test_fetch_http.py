"""``run_fetch`` over HTTP: conditional GETs, failed feeds, a kept archive."""

import io
import json
from pathlib import Path

import pytest

from papershelf.ingest.client import PoliteClient
from papershelf.ingest.fetch import run_fetch
from papershelf.settings import validate

from .httpserver import Answer, RecordingSleep
from .sites import FEEDS

CL_FEED = (FEEDS / "day1-cs.CL.new-and-cross.rss.xml").read_bytes()
AI_FEED = FEEDS / "day1-cs.AI.cross-list.rss.xml"
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
ETAG = '"cs.CL-2025-12-09"'
LAST_MODIFIED = "Tue, 09 Dec 2025 05:00:00 GMT"
HTML_ERROR_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>arXiv is busy</title></head>
<body><h1>Service temporarily unavailable</h1><p>Please try again<br>later.</p></body>
</html>
"""


def fetch_settings(tmp_path: Path, **overrides) -> dict:
    return validate(
        {
            "ARXIV_ARCHIVE_PATH": str(tmp_path / "data"),
            "ARXIV_REQUEST_INTERVAL": 0,
            "ARXIV_MAX_RETRIES": 1,
            "ARXIV_REQUEST_TIMEOUT": 2,
            "ARXIV_KEYWORDS": {"LLM": 3.0, "MoE": 3.0, "RL": 2.0, "Quantization": 2.0},
            **overrides,
        }
    )


@pytest.fixture
def client():
    """A client like run_fetch's, with a short backoff."""
    settings = fetch_settings(Path("unused"))
    polite = PoliteClient(
        user_agent=settings["ARXIV_USER_AGENT"],
        interval=0,
        timeout=2,
        max_retries=1,
        backoff=0.01,
        sleep=RecordingSleep(),
    )
    yield polite
    polite.close()


def fetch(settings: dict, *sources, client=None) -> tuple[int, str]:
    out = io.StringIO()
    status = run_fetch(settings, [str(s) for s in sources], None, client=client, out=out)
    return status, out.getvalue()


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file's bytes, mtime and inode: a rewrite changes one of them."""
    return {
        str(path.relative_to(root)): (
            path.read_bytes(),
            path.stat().st_mtime_ns,
            path.stat().st_ino,
        )
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def paper_ids(root: Path) -> set[str]:
    return {path.stem for path in (root / "papers").rglob("*.json")}


def test_run_fetch_sends_the_configured_user_agent(tmp_path, feed_server):
    agent = "papershelf-test/1.0 (test suite; +https://example.org/papershelf)"
    url = feed_server.route("/rss/cs.CL", Answer(body=CL_FEED, headers=RSS))
    status, report = fetch(fetch_settings(tmp_path, ARXIV_USER_AGENT=agent), url)
    assert status == 0, report
    assert [r.headers["User-Agent"] for r in feed_server.requests] == [agent]


def test_conditional_get_second_run_is_not_modified(tmp_path, feed_server, client):
    def cs_cl(request):
        if request.headers.get("If-None-Match") == ETAG:
            return Answer(304, headers={"ETag": ETAG})
        return Answer(body=CL_FEED, headers={**RSS, "ETag": ETAG, "Last-Modified": LAST_MODIFIED})

    url = feed_server.route("/rss/cs.CL", cs_cl)
    settings = fetch_settings(tmp_path)
    archive = tmp_path / "data"
    status, report = fetch(settings, url, client=client)
    assert status == 0, report
    state = json.loads((archive / "feed-state.json").read_text())
    assert state == {url: {"etag": ETAG, "last_modified": LAST_MODIFIED}}
    before = snapshot(archive)
    assert paper_ids(archive)

    status, report = fetch(settings, url, client=client)
    assert status == 0, report
    assert f"{url}: not modified" in report
    second = feed_server.requests[-1]
    assert second.headers["If-None-Match"] == ETAG
    assert second.headers["If-Modified-Since"] == LAST_MODIFIED
    assert snapshot(archive) == before


def test_html_error_page_fails_the_feed_and_keeps_the_archive(tmp_path, feed_server, client):
    settings = fetch_settings(tmp_path)
    archive = tmp_path / "data"
    assert fetch(settings, AI_FEED)[0] == 0
    before = snapshot(archive)
    url = feed_server.route(
        "/rss/cs.CL",
        Answer(body=HTML_ERROR_PAGE, headers={"Content-Type": "text/html; charset=utf-8"}),
    )
    status, report = fetch(settings, url, client=client)
    assert status == 1
    assert f"error: {url}: not an RSS or Atom feed" in report
    assert snapshot(archive) == before


def test_two_feeds_one_failing_keeps_the_good_and_the_old(tmp_path, feed_server, client):
    settings = fetch_settings(tmp_path)
    archive = tmp_path / "data"
    assert fetch(settings, AI_FEED)[0] == 0
    old = paper_ids(archive)
    assert old
    good = feed_server.route("/rss/cs.CL", Answer(body=CL_FEED, headers=RSS))
    bad = feed_server.route("/rss/cs.LG", Answer(500, b"internal error"))

    status, report = fetch(settings, good, bad, client=client)
    assert status == 1
    assert f"error: {bad}: HTTP 500 Internal Server Error (gave up after 2 attempts)" in report
    assert "1 of 2 feeds failed" in report
    ids = paper_ids(archive)
    assert {"2512.00001", "2512.00004"} <= ids  # the cs.CL papers that match
    assert "2512.00005" not in ids  # a survey: excluded
    assert old <= ids
    assert len(feed_server.requests_to("/rss/cs.LG")) == 2
