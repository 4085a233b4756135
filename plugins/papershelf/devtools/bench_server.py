"""A static server on 127.0.0.1 for the search benchmark: it gzips text files as a
static host does and counts the bytes it sends, so "bytes fetched" means bytes
on the wire."""

from __future__ import annotations

import contextlib
import gzip
import mimetypes
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSED_TYPES = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt")


class CountingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, folder: Path):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.folder = folder.resolve()
        self.sent = 0
        self.requests: list[str] = []
        self.timeline: list[tuple[float, int]] = []  # (epoch seconds, bytes) per response
        self._gzipped: dict[Path, bytes] = {}
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self.sent = 0
            self.requests = []
            self.timeline = []

    def sent_before(self, epoch_seconds: float) -> int:
        """Bytes of the responses written by then (the browser's clock is this machine's)."""
        with self._lock:
            return sum(size for at, size in self.timeline if at <= epoch_seconds)

    def body(self, path: Path, accepts_gzip: bool) -> tuple[bytes, bool]:
        if not (accepts_gzip and path.suffix in COMPRESSED_TYPES):
            return path.read_bytes(), False
        if path not in self._gzipped:
            self._gzipped[path] = gzip.compress(path.read_bytes(), 6, mtime=0)
        return self._gzipped[path], True

    def count(self, path: str, size: int) -> None:
        with self._lock:
            self.sent += size
            self.requests.append(path)
            self.timeline.append((time.time(), size))


class _Handler(BaseHTTPRequestHandler):
    server: CountingServer
    protocol_version = "HTTP/1.1"  # keep-alive, as static hosts serve
    # Headers and body go out as two writes; with Nagle's algorithm on, the body waits
    # for the client's delayed ACK (40 ms) on every response of a kept-alive connection.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        relative = unquote(urlsplit(self.path).path).lstrip("/")
        path = (self.server.folder / relative).resolve()
        if path.is_dir():
            path = path / "index.html"
        if self.server.folder not in path.parents or not path.is_file():
            self.send_error(404)
            return
        body, gzipped = self.server.body(path, "gzip" in self.headers.get("Accept-Encoding", ""))
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            return  # the browser closed the page (a benchmark's profile ends)
        self.server.count(relative, len(body))

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def counting_server(folder: Path) -> Iterator[CountingServer]:
    server = CountingServer(folder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def base_url(server: CountingServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/"
