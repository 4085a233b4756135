"""PoliteClient against a real HTTP server on 127.0.0.1: the GETs of fetch and new-note,
the JSON POSTs of summarize."""

import json
import time
from email.utils import formatdate

import pytest

from papershelf.ingest.client import FetchError, NoAnswer, NotSent, PoliteClient, Unreachable
from papershelf.settings import DEFAULTS

from .httpserver import Answer, RecordingSleep, refused_port

USER_AGENT = DEFAULTS["ARXIV_USER_AGENT"]
TOLERANCE = 0.03  # seconds of scheduling jitter between client and server
LAST_MODIFIED = "Tue, 09 Dec 2025 05:00:00 GMT"
FEED = b"<rss version='2.0'><channel><title>t</title></channel></rss>"


@pytest.fixture
def sleep():
    return RecordingSleep()


@pytest.fixture
def make_client(sleep):
    clients = []

    def make(**options) -> PoliteClient:
        settings = dict(
            user_agent=USER_AGENT,
            interval=0.0,
            timeout=2.0,
            max_retries=2,
            backoff=0.01,
            sleep=sleep,
        )
        clients.append(PoliteClient(**{**settings, **options}))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


def fetch_error(client: PoliteClient, url: str) -> str:
    with pytest.raises(FetchError) as error:
        client.get(url)
    return str(error.value)


def test_user_agent_and_one_kept_alive_connection(feed_server, make_client):
    urls = [feed_server.route(f"/rss/{c}", Answer(body=FEED)) for c in ("cs.AI", "cs.CL")]
    client = make_client()
    for url in urls + urls:
        assert client.get(url).body == FEED
    requests = feed_server.requests
    assert len(requests) == 4
    assert {r.headers["User-Agent"] for r in requests} == {USER_AGENT}
    assert "papershelf" in USER_AGENT and "+https://" in USER_AGENT
    assert len({r.client_port for r in requests}) == 1


def test_interval_spaces_request_starts(feed_server, make_client):
    url = feed_server.route("/rss/cs.LG", Answer(body=FEED))
    client = make_client(interval=0.3)
    for _ in range(3):
        client.get(url)
    times = [r.time for r in feed_server.requests]
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert len(gaps) == 2 and min(gaps) >= 0.3 - TOLERANCE, gaps


def test_503_then_200_retries_once(feed_server, make_client, sleep):
    url = feed_server.route("/rss/cs.AI", [Answer(503, b"busy"), Answer(body=FEED)])
    response = make_client().get(url)
    assert response.status == 200 and response.body == FEED
    assert len(feed_server.requests) == 2
    assert sleep.delays == [0.01]  # the backoff, not the interval


def test_retries_and_errors_keep_the_one_connection(feed_server, make_client):
    url = feed_server.route("/rss/cs.AI", [Answer(503, b"busy"), Answer(body=FEED)])
    missing = feed_server.route("/rss/cs.XX", Answer(404, b"<html>no such feed</html>"))
    client = make_client()
    client.get(url)
    assert "HTTP 404" in fetch_error(client, missing)
    client.get(url)
    assert len(feed_server.requests) == 4
    assert len({r.client_port for r in feed_server.requests}) == 1


def test_429_retry_after_seconds_is_honoured(feed_server, make_client, sleep):
    url = feed_server.route(
        "/rss/cs.AI", [Answer(429, headers={"Retry-After": "1"}), Answer(body=FEED)]
    )
    assert make_client().get(url).body == FEED
    first, second = feed_server.requests
    assert sleep.delays == [1.0]
    assert second.time - first.time >= 1.0 - TOLERANCE


def test_429_retry_after_http_date_is_honoured(feed_server, make_client, sleep):
    def answer(request):
        if len(feed_server.requests) == 1:
            later = formatdate(time.time() + 2, usegmt=True)
            return Answer(429, headers={"Retry-After": later})
        return Answer(body=FEED)

    url = feed_server.route("/rss/cs.AI", answer)
    assert make_client().get(url).body == FEED
    assert len(sleep.delays) == 1 and 0.9 <= sleep.delays[0] <= 2.0, sleep.delays


def test_500_forever_gives_up_after_max_retries_plus_one(feed_server, make_client):
    url = feed_server.route("/rss/cs.AI", Answer(500, b"oops"))
    message = fetch_error(make_client(max_retries=2), url)
    assert len(feed_server.requests) == 3
    assert "HTTP 500" in message and "3 attempts" in message


def test_retry_after_too_long_fails_at_once(feed_server, make_client, sleep):
    url = feed_server.route("/rss/cs.AI", Answer(503, headers={"Retry-After": "3600"}))
    message = fetch_error(make_client(), url)
    assert "HTTP 503" in message and "too long" in message
    assert len(feed_server.requests) == 1 and sleep.delays == []


def test_slow_server_times_out_after_retries(feed_server, make_client):
    url = feed_server.route("/rss/cs.AI", Answer(body=FEED, delay=1.0))
    message = fetch_error(make_client(timeout=0.5, max_retries=1), url)
    assert "timed out" in message and "2 attempts" in message
    assert len(feed_server.requests) == 2


def test_connection_refused(make_client):
    with refused_port() as sock:
        port = sock.getsockname()[1]
        message = fetch_error(make_client(max_retries=1), f"http://127.0.0.1:{port}/rss")
    assert "connection refused" in message


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_body_over_size_cap(feed_server, make_client, chunked):
    url = feed_server.route("/big", Answer(body=b"x" * 50_000, chunked=chunked))
    message = fetch_error(make_client(max_bytes=10_000), url)
    assert "10,000-byte cap" in message
    assert len(feed_server.requests) == 1  # a too-large answer is not retried


def test_truncated_body_fails_after_retries(feed_server, make_client):
    url = feed_server.route("/rss/cs.AI", Answer(body=FEED[:20], declared_length=len(FEED)))
    message = fetch_error(make_client(max_retries=1), url)
    assert "truncated" in message and "2 attempts" in message
    assert len(feed_server.requests) == 2


def test_redirect_loop(feed_server, make_client):
    feed_server.route("/a", Answer(302, headers={"Location": "/b"}))
    url = feed_server.route("/b", Answer(302, headers={"Location": "/a"}))
    message = fetch_error(make_client(), url)
    assert "too many redirects" in message


def test_conditional_get_sends_validators_and_reads_304(feed_server, make_client):
    url = feed_server.route("/rss/cs.AI", Answer(304, headers={"ETag": '"v1"'}))
    client = make_client()
    for _ in range(2):
        response = client.get(url, etag='"v1"', last_modified=LAST_MODIFIED)
        assert response.not_modified and response.body == b""
    first, second = feed_server.requests
    assert first.headers["If-None-Match"] == '"v1"'
    assert first.headers["If-Modified-Since"] == LAST_MODIFIED
    assert first.client_port == second.client_port  # a 304 keeps the connection


def test_post_json_sends_json_and_returns_an_error_answer_with_its_body(feed_server, make_client):
    url = feed_server.route("/v1", Answer(400, b'{"error": "too long"}'))
    client = make_client()
    for _ in range(2):
        answer = client.post_json(url, {"q": "路由"}, {"Authorization": "Bearer k"})
        assert (answer.status, answer.reason, answer.body) == (
            400,
            "Bad Request",
            b'{"error": "too long"}',
        )
    first, second = feed_server.requests
    assert first.method == "POST" and json.loads(first.body) == {"q": "路由"}
    assert first.headers["Content-Type"] == "application/json"
    assert first.headers["Authorization"] == "Bearer k"
    assert first.headers["User-Agent"] == USER_AGENT
    assert first.client_port == second.client_port  # an error answer keeps the connection


def test_a_timed_out_request_is_not_retried_when_timeouts_are_final(feed_server, make_client):
    url = feed_server.route("/v1", Answer(body=b"{}", delay=1.0))
    with pytest.raises(NoAnswer, match="no answer within 0.3 s"):
        make_client(timeout=0.3, retry_timeouts=False).post_json(url, {})
    assert len(feed_server.requests) == 1


def test_final_answers_are_not_retried(feed_server, make_client, sleep):
    url = feed_server.route("/v1", Answer(429, b"quota", {"Retry-After": "1"}))
    answer = make_client().post_json(url, {}, final=lambda answer: answer.body == b"quota")
    assert answer.status == 429 and len(feed_server.requests) == 1 and sleep.delays == []


def test_a_slow_drip_is_cut_at_the_whole_answer_deadline(feed_server, make_client):
    url = feed_server.route("/v1", Answer(body=b"x" * 4000, drip=0.05))
    started = time.monotonic()
    with pytest.raises(FetchError, match="incomplete after 0.6 s"):
        make_client(timeout=0.3, deadline_factor=2).post_json(url, {})
    assert time.monotonic() - started < 1.5
    assert len(feed_server.requests) == 1  # a cut answer is not retried


def test_a_stopped_client_sends_nothing(feed_server, make_client):
    url = feed_server.route("/v1", Answer(body=b"{}"))
    client = make_client()
    client.stop.set()
    with pytest.raises(NotSent):
        client.post_json(url, {})
    assert feed_server.requests == []


def test_refused_every_time_is_unreachable(make_client):
    with (
        refused_port() as sock,
        pytest.raises(Unreachable, match=r"connection refused \(gave up after 2 attempts"),
    ):
        make_client(max_retries=1).get(f"http://127.0.0.1:{sock.getsockname()[1]}/")
