"""The one polite HTTP client: of fetch and new-note (arXiv) and of summarize (chat).

It sends a descriptive User-Agent, keeps one connection alive per worker thread,
spaces requests (arXiv asks for one every 3 seconds on a single connection),
times out, retries 429/5xx and connection errors with exponential backoff
(honouring Retry-After up to a maximum) within a budget of retries, makes
conditional GETs, and caps what it reads (``capped.py``). What the answers mean
is the caller's business: ``get`` raises on an error status, ``post_json``
returns it with the start of its body for the caller's protocol to read.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from papershelf.errors import FetchError
from papershelf.ingest.capped import read_capped, read_error_page

RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 300.0  # seconds; a longer wait is a failure, not a pause
REFUSED = "connection refused"


class NotSent(FetchError):
    """The client was stopped (``stop`` is set): the request was not sent."""


class NoAnswer(FetchError):
    """The server took the request but did not answer in time; with ``retry_timeouts``
    off this is not retried (a model may still be writing: a retry would pay twice)."""


class Unreachable(FetchError):
    """Every attempt was refused a connection: nothing is listening there."""


@dataclass
class Response:
    url: str
    status: int
    body: bytes  # of an error status, only its start (read_error_page)
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""
    reason: str = ""
    retry_after: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


class PoliteClient:
    def __init__(
        self,
        user_agent: str,
        interval: float = 3.0,
        timeout: float = 30.0,
        max_retries: int = 3,
        max_bytes: int = 20 * 1024 * 1024,
        backoff: float = 2.0,
        sleep: Callable[[float], Any] | None = None,
        clock: Callable[[], float] = time.monotonic,
        log: Callable[[str], None] | None = None,
        retry_timeouts: bool = True,
        deadline_factor: float = 4.0,
        cap_setting: str = "ARXIV_MAX_FEED_BYTES",
    ):
        self.user_agent = user_agent
        self.interval = interval
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_bytes = max_bytes
        self.backoff = backoff
        self.retry_timeouts = retry_timeouts
        # A whole answer may take this many timeouts: bounds a slow drip.
        self.deadline = deadline_factor * timeout
        self.cap_setting = cap_setting
        self.stop = threading.Event()  # set: no new request is sent
        # Waiting on the event lets a stopping run cut a backoff short.
        self.sleep = sleep or self.stop.wait
        self.clock = clock
        self.log = log or (lambda message: None)
        # Spacing is over the whole client; callers with workers use no interval.
        self._last_request: float | None = None
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: dict, log=None) -> PoliteClient:
        """The client arXiv's etiquette asks for, as the ARXIV_* settings describe it."""
        return cls(
            user_agent=settings["ARXIV_USER_AGENT"],
            interval=settings["ARXIV_REQUEST_INTERVAL"],
            timeout=settings["ARXIV_REQUEST_TIMEOUT"],
            max_retries=settings["ARXIV_MAX_RETRIES"],
            max_bytes=settings["ARXIV_MAX_FEED_BYTES"],
            log=log,
        )

    def _session(self) -> requests.Session:
        """This thread's session: one kept-alive connection per worker."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = self.user_agent
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=1, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.max_redirects = 5
            self._local.session = session
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        with self._sessions_lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET ``url`` (conditionally, given validators); FetchError for an error status."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response = self._send("GET", url, headers)
        if response.status >= 400:
            raise FetchError(f"HTTP {response.status} {response.reason}".strip())
        return response

    def post_json(
        self,
        url: str,
        payload: Any,
        headers: dict[str, str] | None = None,
        label: str = "",
        final: Callable[[Response], bool] | None = None,
    ) -> Response:
        """POST ``payload`` as JSON; the answer, of any status the loop did not retry."""
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers = {**(headers or {}), "Content-Type": "application/json"}
        return self._send("POST", url, headers, body, label=label, final=final)

    def _wait_turn(self, at_least: float) -> None:
        wait = at_least
        if self._last_request is not None:
            wait = max(wait, self._last_request + self.interval - self.clock())
        if wait > 0:
            self.sleep(wait)

    def _send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        data: bytes | None = None,
        label: str = "",
        final: Callable[[Response], bool] | None = None,
    ) -> Response:
        """The retry loop. ``final(response)`` marks a retryable status that a retry
        would not change (an exhausted quota); ``label`` names the request in logs."""
        delay, last_error = 0.0, "no attempt made"
        for attempt in range(self.max_retries + 1):
            self._wait_turn(delay)
            if self.stop.is_set():
                raise NotSent("not sent: the client is stopping")
            self._last_request = self.clock()
            try:
                with self._session().request(
                    method, url, headers=headers, data=data, timeout=self.timeout, stream=True
                ) as response:
                    answer = self._answer(response)
                if answer.status not in RETRY_STATUSES or (final and final(answer)):
                    return answer
                last_error = f"HTTP {answer.status} {answer.reason}".strip()
                waited = retry_after_seconds(answer.retry_after)
                if waited is not None and waited > MAX_RETRY_AFTER:
                    raise FetchError(f"{last_error}, Retry-After {waited:.0f} s is too long")
                delay = waited if waited is not None else self.backoff * 2**attempt
            except requests.TooManyRedirects:
                raise FetchError("too many redirects (a redirect loop?)") from None
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
            ) as error:
                if not self.retry_timeouts and _read_timed_out(error):
                    raise NoAnswer(f"no answer within {self.timeout:g} s") from None
                last_error = _describe(error)
                delay = self.backoff * 2**attempt
            except requests.RequestException as error:
                raise FetchError(_describe(error)) from None
            if attempt < self.max_retries:
                self.log(f"{label or url}: {last_error}; retrying in {delay:.1f} s")
        gave_up = f"{last_error} (gave up after {self.max_retries + 1} attempts)"
        raise Unreachable(gave_up) if last_error == REFUSED else FetchError(gave_up)

    def _answer(self, response: requests.Response) -> Response:
        if response.status_code >= 400:
            body = read_error_page(response, self.deadline, self.clock)
        else:  # a 304 has no body; reading it releases the connection
            body = read_capped(
                response, self.max_bytes, self.deadline, self.cap_setting, self.clock
            )
        return Response(
            url=response.url,
            status=response.status_code,
            body=body,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            content_type=response.headers.get("Content-Type", ""),
            reason=response.reason or "",
            retry_after=response.headers.get("Retry-After"),
        )


def _read_timed_out(error: requests.RequestException) -> bool:
    """Whether the server was reached and then too slow (not a connect timeout);
    requests reports a read timeout in the middle of a body as a ConnectionError."""
    if isinstance(error, requests.ConnectTimeout):
        return False
    return isinstance(error, requests.ReadTimeout) or "Read timed out" in str(error)


def _describe(error: Exception) -> str:
    text = str(error)
    if isinstance(error, requests.Timeout) or "timed out" in text:
        return "timed out"
    if "Connection refused" in text:
        return REFUSED
    if isinstance(error, requests.exceptions.ChunkedEncodingError) or "IncompleteRead" in text:
        return "connection closed before the whole answer arrived (truncated body)"
    return f"connection failed ({text[:200]})"
