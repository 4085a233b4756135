"""Reading an HTTP answer within a size cap and a deadline for the whole of it.

A server can send too much (a 50 MB page where a feed should be) or too slowly
(a byte every few seconds, each within the read timeout): the cap is checked
against the declared length before reading and against what arrived while
reading, and the deadline bounds the whole answer, not each read.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import requests
import urllib3

from papershelf.errors import FetchError

CHUNK_BYTES = 64 * 1024
ERROR_PAGE_BYTES = 64 * 1024  # error pages up to this size are read whole (see read_error_page)


def read_capped(
    response: requests.Response,
    max_bytes: int,
    deadline_seconds: float,
    cap_setting: str = "",
    clock: Callable[[], float] = time.monotonic,
) -> bytes:
    """The whole body of ``response``; FetchError when it exceeds ``max_bytes`` (named
    after ``cap_setting`` when set) or is still arriving after ``deadline_seconds``.

    A broken connection raises the requests errors a retry loop expects."""
    setting = f" ({cap_setting})" if cap_setting else ""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            f"answer of {int(declared):,} bytes exceeds the {max_bytes:,}-byte cap{setting}"
        )
    chunks, size = [], 0
    deadline = clock() + deadline_seconds
    while chunk := read_some(response.raw, CHUNK_BYTES):
        size += len(chunk)
        if clock() > deadline:
            raise FetchError(f"answer still incomplete after {deadline_seconds:g} s")
        if size > max_bytes:
            raise FetchError(f"answer exceeds the {max_bytes:,}-byte cap{setting}")
        chunks.append(chunk)
    return b"".join(chunks)


def read_error_page(
    response: requests.Response,
    deadline_seconds: float,
    clock: Callable[[], float] = time.monotonic,
) -> bytes:
    """The start of an error answer, for its message; never raises.

    A small page is read to its end, so its connection can be reused: a response
    closed unread closes its connection, and the next request would open a new one.
    A larger, slower or broken one is cut (and its connection with it)."""
    chunks, size = [], 0
    deadline = clock() + deadline_seconds
    try:
        while size <= ERROR_PAGE_BYTES and clock() <= deadline:
            chunk = read_some(response.raw, CHUNK_BYTES)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except requests.RequestException:
        pass
    return b"".join(chunks)[:ERROR_PAGE_BYTES]


def read_some(raw, size: int) -> bytes:
    """Up to ``size`` decoded bytes of what has arrived, with urllib3's errors as the
    requests errors ``iter_content`` would raise.

    ``read1`` returns what has arrived, so a deadline is checked as a slow drip
    comes in, not after a whole chunk of it."""
    try:
        return raw.read1(size, decode_content=True)
    except urllib3.exceptions.ProtocolError as error:  # truncated, connection reset
        raise requests.exceptions.ChunkedEncodingError(error) from None
    except urllib3.exceptions.ReadTimeoutError as error:
        raise requests.exceptions.ConnectionError(error) from None
    except urllib3.exceptions.DecodeError as error:
        raise requests.exceptions.ContentDecodingError(error) from None
