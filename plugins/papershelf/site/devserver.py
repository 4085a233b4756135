"""`papershelf serve`: serve the built site on this machine, and with ``reload``
rebuild it on every change of its inputs and let open pages reload themselves.

- Serving: the standard library's threaded HTTP server, on a loopback address
  only. Every request is answered from the output folder as it is now (builds
  move files into it one by one), so nothing is cached; clean URLs
  (``/papers/x/`` -> ``index.html``); a missing file gets ``404.html`` when the
  site has one; no folder listings.
- Watching (``papershelf.site.watch``): a stat snapshot of the content, the
  theme, the archive and the settings files, polled twice a second; a burst of
  changes is one rebuild.
- Rebuilding: ``run_pelican`` in this process, the settings read again each
  time, with ``PAPERSHELF_LIVE_RELOAD`` on, so the render cache renders only the
  pages whose inputs changed. A build that fails (a bad setting, a broken note)
  is told in one line through ``report``, and the previous site stays served
  until an edit fixes it.
- Reloading: pages of these builds load ``theme/js/live-reload.js``, which asks
  ``/__papershelf/build`` once a second which build is served, and reloads
  when it changes. A served build is ``<server id>.<count of good builds>``.
"""

from __future__ import annotations

import functools
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from papershelf.config import load_settings
from papershelf.errors import PapershelfError, UsageError
from papershelf.site import watch
from papershelf.site.build import run_pelican

ENDPOINT = "/__papershelf/build"
LOOPBACK = ("127.0.0.1", "::1", "localhost")


@dataclass
class Served:
    """What the server serves: the output folder, and the build in it."""

    output: Path
    server_id: str
    builds: int = 0

    @property
    def build(self) -> str:
        return f"{self.server_id}.{self.builds}"


class DevHandler(SimpleHTTPRequestHandler):
    """Files of the output folder, fresh for every request."""

    def __init__(self, *args, served: Served, **kwargs):
        self.served = served
        super().__init__(*args, directory=str(served.output), **kwargs)

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == ENDPOINT:
            body = self.served.build.encode()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def end_headers(self) -> None:
        # A preview must show the latest build: the browser asks again every time.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def list_directory(self, path):
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")
        return None

    def send_error(self, code, message=None, explain=None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        pass  # a preview's requests are not news


def start_server(served: Served, bind: str, port: int) -> ThreadingHTTPServer:
    """The server, listening, answering in a thread of its own."""
    if bind not in LOOPBACK and not bind.startswith("127."):
        raise UsageError(
            f"--bind {bind}: the preview serves this machine only",
            fix="use 127.0.0.1 (the default) or ::1",
        )

    class Server(ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in bind else socket.AF_INET
        daemon_threads = True

    try:
        server = Server((bind, port), functools.partial(DevHandler, served=served))
    except OSError as error:
        raise UsageError(
            f"cannot serve on {bind} port {port}: {error.strerror or error}",
            fix="pick another --port, or stop the server using it",
        ) from None
    threading.Thread(target=server.serve_forever, name="papershelf-serve", daemon=True).start()
    return server


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


class Rebuilder:
    """Builds the site again and again from the settings file, read each time."""

    def __init__(self, settings_file: Path, overrides: dict, served: Served, report, out):
        self.settings_file = settings_file
        self.overrides = overrides
        self.served = served
        self.report = report  # tells a PapershelfError as one line
        self.out = out
        self.paths: list[Path] = []

    def settings(self) -> dict:
        """The settings as the file says now. Modules it imported from its own
        folder (publishconf.py's ``from pelicanconf import *``) are read again too."""
        folder = str(self.settings_file.resolve().parent)
        for name, module in list(sys.modules.items()):
            path = getattr(module, "__file__", None)
            if path and os.path.dirname(os.path.abspath(path)) == folder:
                del sys.modules[name]
        settings = load_settings(self.settings_file, dict(self.overrides))
        self.paths = watched_paths(self.settings_file, settings)
        return settings

    def build(self, why: str) -> bool:
        """One build; False (and the last good site still served) if it failed."""
        print(f"building ({why}) ...", file=self.out, flush=True)
        started = time.monotonic()
        before = watch.snapshot([self.served.output])
        try:
            run_pelican(self.settings())
        except PapershelfError as error:
            self.report(error)
        except OSError as error:  # a folder that cannot be written, a full disk
            self.report(PapershelfError(error.strerror or str(error), where=error.filename))
        else:
            self.served.builds += 1
            files = len(watch.changed(before, watch.snapshot([self.served.output])))
            print(
                f"build {self.served.builds} done in {time.monotonic() - started:.1f} s, "
                f"{files} file(s) changed",
                file=self.out,
                flush=True,
            )
            return True
        print(
            f"build failed after {time.monotonic() - started:.1f} s: still serving the "
            "last good build; fix it and save to build again",
            file=self.out,
            flush=True,
        )
        return False

    def watch_forever(self, stop: Callable[[], bool] = lambda: False) -> None:
        """Build once, then on every change, until ``stop()``."""
        before = watch.snapshot(self.paths)
        self.build("start")
        while not stop():
            before, changes = watch.wait_for_change(lambda: self.paths, before, stop=stop)
            if changes:
                self.build(describe(changes))


def watched_paths(settings_file: Path, settings: dict) -> list[Path]:
    """The content, the theme, the archive, and the settings files: the one given
    and the Python files beside it that it may import (pelicanconf.py)."""
    options = settings["PAPERSHELF_VALIDATED"]
    folder = settings_file.resolve().parent
    paths = [Path(settings["PATH"]), Path(settings["THEME"]), Path(options["ARXIV_ARCHIVE_PATH"])]
    paths += [settings_file.resolve(), *sorted(folder.glob("*.py"))]
    return sorted({path.resolve() for path in paths})


def describe(changes: list[str]) -> str:
    shown = os.path.relpath(changes[0])
    shown = changes[0] if shown.startswith("..") else shown
    return shown if len(changes) == 1 else f"{shown} and {len(changes) - 1} more changed"


def run_serve(
    settings_file: str,
    *,
    output: str | None = None,
    bind: str = "127.0.0.1",
    port: int = 8000,
    reload: bool = False,
    report: Callable[[PapershelfError], None],
    out=None,
) -> int:
    """Serve the site until interrupted; with ``reload``, build it first and on
    every change. Bad settings at the start, or a port in use, raise."""
    out = out or sys.stderr
    overrides = {"OUTPUT_PATH": output} if output else {}
    if reload:
        overrides["PAPERSHELF_LIVE_RELOAD"] = True
    settings = load_settings(settings_file, dict(overrides))
    served = Served(Path(settings["OUTPUT_PATH"]), server_id=f"{time.time_ns():x}")
    if not reload and not (served.output / "index.html").is_file():
        raise UsageError(
            "no built site to serve",
            where=served.output,
            fix="run 'papershelf build' first, or 'papershelf serve --reload'",
        )
    server = start_server(served, bind, port)
    try:
        shown = os.path.relpath(served.output)
        print(
            f"serving {shown} on {url_of(server)} (Ctrl-C to stop)"
            + (": rebuilding on every change" if reload else ""),
            file=out,
            flush=True,
        )
        if reload:
            rebuilder = Rebuilder(Path(settings_file), overrides, served, report, out)
            rebuilder.paths = watched_paths(Path(settings_file), settings)
            rebuilder.watch_forever()
        else:
            threading.Event().wait()
    except KeyboardInterrupt:
        print("stopped", file=out, flush=True)
    finally:
        server.shutdown()
        server.server_close()
    return 0
