"""Fault injection: every way a feed server can fail, against a real HTTP server
on 127.0.0.1. In every case the archive keeps every paper it had, the message
names the feed and the cause, retries stay within the limits, and the exit
status is 1."""

import io

import pytest

from papershelf.ingest.client import PoliteClient
from papershelf.ingest.fetch import run_fetch

from .httpserver import Answer, RecordingSleep, refused_port
from .sites import FEEDS
from .test_fetch_http import HTML_ERROR_PAGE, RSS, fetch_settings, paper_ids, snapshot

DAY1 = (FEEDS / "day1-cs.CL.new-and-cross.rss.xml").read_bytes()
EMPTY = (FEEDS / "empty-weekend.rss.xml").read_bytes()
MAX_RETRIES = 1
TIMEOUT = 0.25  # the client's deadline for a whole answer is 4x this
MAX_BYTES = 1024 * 1024

# name: (answers, expected words in the message, most requests allowed)
FAULTS = {
    "http-500": (Answer(500, b"oops"), "HTTP 500", MAX_RETRIES + 1),
    "http-503-retry-after": (
        Answer(503, b"busy", {"Retry-After": "0"}),
        "HTTP 503",
        MAX_RETRIES + 1,
    ),
    "http-429-retry-after": (
        Answer(429, b"slow down", {"Retry-After": "0"}),
        "HTTP 429",
        MAX_RETRIES + 1,
    ),
    "retry-after-too-long": (
        Answer(503, b"busy", {"Retry-After": "86400"}),
        "Retry-After",
        1,
    ),
    "timeout": (Answer(200, DAY1, RSS, delay=3 * TIMEOUT), "timed out", MAX_RETRIES + 1),
    "slow-drip": (Answer(200, DAY1, RSS, drip=0.1), "incomplete after", MAX_RETRIES + 1),
    "truncated-body": (
        Answer(200, DAY1[:2000], RSS, declared_length=len(DAY1)),
        "truncated body",
        MAX_RETRIES + 1,
    ),
    "truncated-xml": (Answer(200, DAY1[: len(DAY1) // 2], RSS), "truncated XML", 1),
    "html-error-page": (Answer(200, HTML_ERROR_PAGE, {"Content-Type": "text/html"}), "HTML", 1),
    "html-as-xml": (Answer(200, HTML_ERROR_PAGE, RSS), "malformed", 1),
    "wrong-content-type": (
        Answer(200, b"\x89PNG\r\n\x1a\n" + bytes(500), {"Content-Type": "image/png"}),
        "image/png",
        1,
    ),
    "50-mb-body": (Answer(200, b"<" * (50 * 1024 * 1024), RSS), "cap", 1),
    "50-mb-chunked": (Answer(200, b"<" * (50 * 1024 * 1024), RSS, chunked=True), "cap", 1),
    # requests follows 5 redirects (the client's max_redirects), then gives up.
    "redirect-loop": (Answer(302, b"", {"Location": "/feed"}), "redirect", 6),
}


def client() -> PoliteClient:
    return PoliteClient(
        user_agent="papershelf-test",
        interval=0,
        timeout=TIMEOUT,
        max_retries=MAX_RETRIES,
        backoff=0.01,
        sleep=RecordingSleep(),
        max_bytes=MAX_BYTES,
    )


def run(settings, url, polite) -> tuple[int, str]:
    out = io.StringIO()
    return run_fetch(settings, [url], None, client=polite, out=out), out.getvalue()


@pytest.fixture
def archive(tmp_path, feed_server):
    """An archive holding day 1's papers, fetched from the same URL."""
    settings = fetch_settings(tmp_path)
    url = feed_server.route("/feed", Answer(200, DAY1, RSS))
    polite = client()
    assert run(settings, url, polite)[0] == 0
    polite.close()
    feed_server.requests.clear()
    return settings, url


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_failing_feed_keeps_the_archive_and_says_why(fault, archive, feed_server, tmp_path):
    settings, url = archive
    answer, cause, most_requests = FAULTS[fault]
    feed_server.route("/feed", answer)
    before = snapshot(tmp_path / "data" / "papers")
    polite = client()
    try:
        status, out = run(settings, url, polite)
    finally:
        polite.close()
    assert status == 1
    failure = next(line for line in out.splitlines() if line.startswith("error: "))
    assert url in failure and cause in failure, out
    assert snapshot(tmp_path / "data" / "papers") == before
    assert 1 <= len(feed_server.requests_to("/feed")) <= most_requests


def test_connection_refused_names_the_feed(archive, tmp_path):
    settings, _ = archive
    sock = refused_port()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/feed"
    before = snapshot(tmp_path / "data" / "papers")
    try:
        status, out = run(settings, url, client())
    finally:
        sock.close()
    assert status == 1 and url in out and "refused" in out
    assert snapshot(tmp_path / "data" / "papers") == before


def test_items_that_vanish_the_next_day_stay_in_the_archive(archive, feed_server, tmp_path):
    settings, url = archive
    papers = paper_ids(tmp_path / "data")
    feed_server.route("/feed", Answer(200, EMPTY, RSS))
    status, out = run(settings, url, client())
    assert status == 0 and "no announcements" in out
    assert paper_ids(tmp_path / "data") == papers
    # A later feed with other items adds to the archive; none of day 1's is lost.
    day2 = (FEEDS / "day2-cs.CL.replace.rss.xml").read_bytes()
    feed_server.route("/feed", Answer(200, day2, RSS))
    assert run(settings, url, client())[0] == 0
    assert paper_ids(tmp_path / "data") >= papers
