"""A polite HTTP client for arXiv: one connection, spaced requests, retries.

arXiv asks for one request every 3 seconds on a single connection. The client
sends a descriptive User-Agent, times out, retries 429/5xx and connection
errors with exponential backoff (honouring Retry-After), makes conditional
GETs, and caps the size of what it downloads.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import requests
import urllib3
from requests.adapters import HTTPAdapter

from papershelf.errors import FetchError

RETRY_STATUSES = {429, 500, 502, 503, 504}
DRAIN_BYTES = 64 * 1024  # error pages up to this size are read to keep the connection
MAX_RETRY_AFTER = 300.0  # seconds; a longer wait is a failure, not a pause


@dataclass
class Response:
    url: str
    status: int
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""

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
        sleep=time.sleep,
        clock=time.monotonic,
        log=None,
    ):
        self.interval = interval
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_bytes = max_bytes
        self.backoff = backoff
        self.sleep = sleep
        self.clock = clock
        self.log = log or (lambda message: None)
        self._last_request: float | None = None
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent
        # One pooled connection, reused for every request.
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=1, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.max_redirects = 5

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

    def close(self) -> None:
        self.session.close()

    def _wait_turn(self, at_least: float = 0.0) -> None:
        wait = at_least
        if self._last_request is not None:
            wait = max(wait, self._last_request + self.interval - self.clock())
        if wait > 0:
            self.sleep(wait)

    def _read_capped(self, response: requests.Response) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(
                f"answer of {int(declared):,} bytes exceeds the "
                f"{self.max_bytes:,}-byte cap (ARXIV_MAX_FEED_BYTES)"
            )
        chunks, size = [], 0
        deadline = self.clock() + 4 * self.timeout
        while True:
            # read1 returns what has arrived, so the deadline is checked as a slow
            # drip comes in, not after a whole chunk of it.
            chunk = _read_some(response.raw, 64 * 1024)
            if not chunk:
                break
            size += len(chunk)
            if self.clock() > deadline:
                raise FetchError(f"answer still incomplete after {4 * self.timeout:.0f} s")
            if size > self.max_bytes:
                raise FetchError(
                    f"answer exceeds the {self.max_bytes:,}-byte cap (ARXIV_MAX_FEED_BYTES)"
                )
            chunks.append(chunk)
        return b"".join(chunks)

    @staticmethod
    def _drain(response: requests.Response) -> None:
        """Read a small error page to its end, so its connection can be reused.

        A response closed unread closes its connection: the next request
        would open a new one.
        """
        with contextlib.suppress(requests.RequestException):
            size = 0
            for chunk in response.iter_content(16 * 1024):
                size += len(chunk)
                if size > DRAIN_BYTES:
                    return

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        delay = 0.0
        last_error = "no attempt made"
        for attempt in range(self.max_retries + 1):
            self._wait_turn(delay)
            self._last_request = self.clock()
            try:
                with self.session.get(
                    url, headers=headers, timeout=self.timeout, stream=True
                ) as response:
                    status = response.status_code
                    if status in RETRY_STATUSES:
                        waited = retry_after_seconds(response.headers.get("Retry-After"))
                        last_error = f"HTTP {status} {response.reason}"
                        if waited is not None and waited > MAX_RETRY_AFTER:
                            raise FetchError(
                                f"{last_error}, Retry-After {waited:.0f} s is too long"
                            )
                        delay = waited if waited is not None else self.backoff * 2**attempt
                        if attempt < self.max_retries:
                            self.log(f"{url}: {last_error}; retrying in {delay:.1f} s")
                        self._drain(response)
                        continue
                    if status >= 400:
                        self._drain(response)
                        raise FetchError(f"HTTP {status} {response.reason}")
                    # A 304 has no body; reading it releases the connection.
                    body = self._read_capped(response)
                    return Response(
                        url=response.url,
                        status=status,
                        body=body,
                        etag=response.headers.get("ETag"),
                        last_modified=response.headers.get("Last-Modified"),
                        content_type=response.headers.get("Content-Type", ""),
                    )
            except requests.TooManyRedirects:
                raise FetchError("too many redirects (a redirect loop?)") from None
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
            ) as error:
                last_error = _describe(error)
                delay = self.backoff * 2**attempt
                if attempt < self.max_retries:
                    self.log(f"{url}: {last_error}; retrying in {delay:.1f} s")
            except requests.RequestException as error:
                raise FetchError(_describe(error)) from None
        raise FetchError(f"{last_error} (gave up after {self.max_retries + 1} attempts)")


def _read_some(raw, size: int) -> bytes:
    """Up to ``size`` decoded bytes of what has arrived, with urllib3's errors as
    the requests errors ``get`` retries on (as ``iter_content`` would raise them)."""
    try:
        return raw.read1(size, decode_content=True)
    except urllib3.exceptions.ProtocolError as error:  # truncated, connection reset
        raise requests.exceptions.ChunkedEncodingError(error) from None
    except urllib3.exceptions.ReadTimeoutError as error:
        raise requests.exceptions.ConnectionError(error) from None
    except urllib3.exceptions.DecodeError as error:
        raise requests.exceptions.ContentDecodingError(error) from None


def _describe(error: Exception) -> str:
    text = str(error)
    if isinstance(error, requests.Timeout) or "timed out" in text:
        return "timed out"
    if "Connection refused" in text:
        return "connection refused"
    if isinstance(error, requests.exceptions.ChunkedEncodingError) or "IncompleteRead" in text:
        return "connection closed before the whole answer arrived (truncated body)"
    return f"connection failed ({text[:200]})"
