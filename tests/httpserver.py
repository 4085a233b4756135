"""A real HTTP server on 127.0.0.1 for fetch tests: scripted answers, recorded requests.

Each path answers with an ``Answer``, a list of them (one per request, the last
repeats) or a function of the ``Request`` returning one. The server speaks
HTTP/1.1 with keep-alive, takes GET and POST, and records every request it reads
(with a POST's body).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    chunked: bool = False  # no Content-Length: Transfer-Encoding: chunked
    declared_length: int | None = None  # claim more than is sent, then hang up
    drip: float = 0.0  # seconds between 64-byte pieces of the body (a slow drip)


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    time: float  # time.monotonic() when the request had been read
    client_port: int  # one port per connection
    method: str = "GET"
    body: bytes = b""  # a POST's body


Route = Answer | list[Answer] | Callable[[Request], Answer]


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, answer: Route) -> str:
        """Serve ``answer`` at ``path``; return the path's URL."""
        self.routes[path] = answer
        return self.url(path)

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def _answer(self, request: Request) -> Answer:
        with self._lock:
            self.requests.append(request)
            route = self.routes.get(request.path, Answer(404, b"no such path"))
            served = sum(1 for r in self.requests if r.path == request.path)
        if isinstance(route, list):
            return route[min(served, len(route)) - 1]
        return route(request) if callable(route) else route


def _handler_for(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive

        def do_GET(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                path=self.path,
                headers=dict(self.headers.items()),
                time=time.monotonic(),
                client_port=self.client_address[1],
                method=self.command,
                body=self.rfile.read(length) if length else b"",
            )
            _send(self, server._answer(request))

        do_POST = do_GET

        def handle(self) -> None:
            # The client may hang up mid-answer: a timeout, a size cap.
            with contextlib.suppress(ConnectionError):
                super().handle()

        def log_message(self, format: str, *args) -> None:
            pass

    return Handler


def _send(handler: BaseHTTPRequestHandler, answer: Answer) -> None:
    if answer.delay:
        time.sleep(answer.delay)
    handler.send_response(answer.status)
    for name, value in answer.headers.items():
        handler.send_header(name, value)
    if answer.chunked:
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for start in range(0, len(answer.body), 4096):
            chunk = answer.body[start : start + 4096]
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        handler.wfile.write(b"0\r\n\r\n")
        return
    length = answer.declared_length
    if length is None:
        length = len(answer.body)
    if answer.status != 304:
        handler.send_header("Content-Length", str(length))
    handler.end_headers()
    if answer.drip:
        for start in range(0, len(answer.body), 64):
            handler.wfile.write(answer.body[start : start + 64])
            handler.wfile.flush()
            time.sleep(answer.drip)
    else:
        handler.wfile.write(answer.body)
    if answer.declared_length is not None and answer.declared_length > len(answer.body):
        handler.wfile.flush()
        handler.connection.shutdown(socket.SHUT_RDWR)
        handler.close_connection = True


class RecordingSleep:
    """time.sleep that remembers every delay asked for (the client's ``sleep=``)."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        time.sleep(seconds)


def refused_port() -> socket.socket:
    """A bound socket that does not listen: connecting to its port is refused."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock
