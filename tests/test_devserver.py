"""`papershelf serve`: real processes of the console script serving small sites on
127.0.0.1, fetched over HTTP and, once, in Chromium. With --reload an edit is
rebuilt and shown, a broken note or setting is one error line while the last good
site stays served, and the next good edit recovers."""

from __future__ import annotations

import queue
import re
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path

import pytest

from papershelf.site import watch

from .browser import chromium_page, requires_chromium
from .test_errors import papershelf
from .test_fetch_concurrency import PAPERSHELF
from .test_oversized_input import site_project

NOTE = "Title: A note to preview\nArxiv: 2511.16665\nDate: 2025-12-01\nTags: MoE\n\n{body}\n"
PAGE = "papers/2511.16665/"
SCRIPT_TAG = "theme/js/live-reload.js"
BUILD_WAIT = 180  # seconds: a first build on a loaded 2-core machine
URL = re.compile(r"serving .* on (http://127\.0\.0\.1:\d+/)")


def write_note(root: Path, body: str, arxiv: str = "2511.16665") -> None:
    text = NOTE.format(body=body).replace("2511.16665", arxiv)
    (root / "content" / "notes" / "preview.md").write_text(text, encoding="utf-8")


@pytest.fixture
def site(tmp_path) -> Path:
    root = site_project(tmp_path)
    (root / "content" / "notes").mkdir()
    write_note(root, "The first version of the body.")
    return root


class Server:
    """A running ``papershelf serve``, its stderr read line by line."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.lines: list[str] = []
        self._new: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = URL.search(self.wait_for_line(lambda line: "serving " in line)).group(1)

    def _read(self) -> None:
        for line in self.process.stderr:
            self._new.put(line.rstrip("\n"))

    def wait_for_line(self, wanted: Callable[[str], bool], timeout: float = BUILD_WAIT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._new.get(timeout=0.2)
            except queue.Empty:
                assert self.process.poll() is None, "the server stopped:\n" + "\n".join(self.lines)
                continue
            self.lines.append(line)
            if wanted(line):
                return line
        raise AssertionError("waited in vain; stderr:\n" + "\n".join(self.lines))

    def wait_for_build(self, number: int) -> None:
        self.wait_for_line(lambda line: line.startswith(f"build {number} done"))
        assert self.get("__papershelf/build")[1].endswith(f".{number}")

    def wait_for_failure(self) -> list[str]:
        """The lines of the build that failed, from its 'building' line on."""
        start = len(self.lines)
        self.wait_for_line(lambda line: line.startswith("build failed"))
        told = self.lines[start:]
        begun = max(i for i, line in enumerate(told) if line.startswith("building ("))
        return told[begun:]

    def get(self, path: str) -> tuple[int, str, Message]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as answer:
                return answer.status, answer.read().decode(), answer.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers


@contextmanager
def serving(root: Path, *args: str) -> Iterator[Server]:
    process = subprocess.Popen(
        [str(PAPERSHELF), "serve", "--port", "0", *args],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield Server(process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def test_an_edit_is_rebuilt_and_a_broken_note_keeps_the_last_good_site(site):
    with serving(site, "--reload") as server:
        server.wait_for_build(1)
        status, html, _ = server.get(PAGE)
        assert status == 200 and "The first version of the body." in html
        assert f'src="../../{SCRIPT_TAG}" defer' in html  # the dev build's pages reload
        status, script, headers = server.get(SCRIPT_TAG)
        assert status == 200 and "/__papershelf/build" in script
        assert "javascript" in headers["Content-Type"]
        status, build, headers = server.get("__papershelf/build")
        assert status == 200 and headers["Cache-Control"] == "no-store"

        write_note(site, "The second version of the body.")
        server.wait_for_build(2)
        assert "The second version of the body." in server.get(PAGE)[1]

        write_note(site, "A version with a broken id.", arxiv="12345")
        told = server.wait_for_failure()
        errors = [line for line in told if line.startswith("papershelf: ")]
        assert len(errors) == 1, told
        assert "Traceback" not in "\n".join(server.lines)
        # As `papershelf build` tells it: the note's problem, then the error line.
        problems = [line for line in told if "12345" in line]
        assert len(problems) == 1 and "content/notes/preview.md:2: " in problems[0], told
        assert server.get("__papershelf/build")[1].endswith(".2")  # no new build served
        assert "The second version of the body." in server.get(PAGE)[1]

        write_note(site, "The fixed version of the body.")
        server.wait_for_build(3)
        assert "The fixed version of the body." in server.get(PAGE)[1]
    # A normal build afterwards renders every page again, without the script.
    assert papershelf(site, "build").returncode == 0
    pages = list((site / "output").rglob("*.html"))
    assert pages and not [p for p in pages if SCRIPT_TAG in p.read_text(encoding="utf-8")]
    assert "The fixed version of the body." in (site / "output" / PAGE / "index.html").read_text()


def test_settings_are_read_again_and_a_bad_one_keeps_the_last_good_site(site):
    settings = site / "pelicanconf.py"
    good = settings.read_text()
    with serving(site, "--reload") as server:
        server.wait_for_build(1)
        settings.write_text(good + 'SITENAME = "Renamed shelf"\n')
        server.wait_for_build(2)
        assert "Renamed shelf" in server.get("")[1]

        settings.write_text(good + 'SITENAME = "Renamed shelf"\nPAPERSHELF_HOME_DAYS = "many"\n')
        told = server.wait_for_failure()
        errors = [line for line in told if line.startswith("papershelf: ")]
        assert len(errors) == 1 and "PAPERSHELF_HOME_DAYS" in errors[0], told
        assert errors[0].startswith("papershelf: pelicanconf.py: setting"), errors
        assert "Renamed shelf" in server.get("")[1]

        settings.write_text(good)
        server.wait_for_build(3)
        assert "Renamed shelf" not in server.get("")[1]


def test_serving_without_reload_serves_the_built_site_as_it_is(site):
    assert papershelf(site, "serve").returncode == 2  # nothing built yet
    assert papershelf(site, "build").returncode == 0
    (site / "output" / "404.html").write_text("<p>No such page here</p>")
    with serving(site) as server:
        status, html, headers = server.get(PAGE)
        assert status == 200 and "The first version of the body." in html
        assert SCRIPT_TAG not in html
        status, html, _ = server.get("papers/no-such-paper/")
        assert status == 404 and "No such page here" in html
        assert server.get("papers/")[0] == 404  # no folder listings
        assert server.get("__papershelf/build")[1].endswith(".0")
        write_note(site, "An edit no one rebuilds.")
        time.sleep(1.5)
        assert "The first version of the body." in server.get(PAGE)[1]


def test_serving_beyond_this_machine_or_on_a_taken_port_is_refused(site):
    result = papershelf(site, "serve", "--reload", "--bind", "0.0.0.0")
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "--bind 0.0.0.0" in result.stderr and "Traceback" not in result.stderr
    assert papershelf(site, "serve", "--port", "http").returncode == 2  # argparse: usage
    assert papershelf(site, "build").returncode == 0
    with serving(site) as server:
        port = server.url.rsplit(":", 1)[1].strip("/")
        result = papershelf(site, "serve", "--port", port)
        assert result.returncode == 2 and f"port {port}" in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1 and "--port" in result.stderr


def test_editor_temp_files_caches_and_outputs_are_not_watched(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text("a")
    before = watch.snapshot([tmp_path])
    for name in ("notes/.a.md.swp", "notes/a.md~", "notes/#a.md#", "notes/4913"):
        (tmp_path / name).write_text("x")
    for folder in ("cache", "output", "output.building", ".git", "__pycache__"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.html").write_text("x")
    assert watch.changed(before, watch.snapshot([tmp_path])) == []
    (tmp_path / "notes" / "b.md").write_text("b")
    (tmp_path / "notes" / "a.md").unlink()
    assert watch.changed(before, watch.snapshot([tmp_path])) == [
        str(tmp_path / "notes" / "a.md"),
        str(tmp_path / "notes" / "b.md"),
    ]


@requires_chromium
def content_between_loads(page) -> str:
    """The page's HTML, or "" while it is reloading (Playwright refuses it then)."""
    from playwright.sync_api import Error

    try:
        return page.content()
    except Error as error:
        if "navigating" not in str(error):
            raise
        return ""


def test_the_page_reloads_itself_after_an_edit_under_the_csp(site):
    with serving(site, "--reload") as server, chromium_page() as page:
        server.wait_for_build(1)
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        page.goto(server.url + PAGE)
        assert "The first version of the body." in page.content()
        write_note(site, "The body the browser reloads.")
        server.wait_for_build(2)
        deadline = time.monotonic() + 30
        while "The body the browser reloads." not in content_between_loads(page):
            assert time.monotonic() < deadline, "the page did not reload itself"
            time.sleep(0.25)
        csp = page.locator('meta[http-equiv="Content-Security-Policy"]')
        assert "default-src 'self'" in csp.get_attribute("content")
        assert not [line for line in console if "Content Security Policy" in line], console
