"""Debian's Chromium driven by Playwright, and a static server on 127.0.0.1.

Never a downloaded browser: tests skip with a reason when /usr/bin/chromium is
missing (``make test`` installs it).
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from papershelf.devtools.chromium import CHROMIUM as CHROMIUM_PATH
from papershelf.devtools.chromium import CHROMIUM_ARGS

CHROMIUM = Path(CHROMIUM_PATH)
requires_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (make test installs it)"
)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1; yields the base URL (ending in '/')."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium_browser():
    """Headless Chromium, for tests that open many contexts from one browser
    (``browser.new_context(**options)``); a module-scoped fixture can hold it."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def chromium_context(**options):
    """A fresh browser context (its own storage) in headless Chromium; ``options``
    go to Playwright's ``new_context`` (color_scheme, bypass_csp, viewport...)."""
    with chromium_browser() as browser:
        yield browser.new_context(**options)


@contextlib.contextmanager
def chromium_page():
    """A fresh page in headless Chromium."""
    with chromium_context() as context:
        yield context.new_page()
