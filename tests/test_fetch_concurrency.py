"""Two `papershelf fetch` runs on one archive, and a fetch killed mid-write: real
processes of the console script."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from papershelf.archive import Archive

from .feedgen import arxiv_rss, paper_id
from .httpserver import Answer

PAPERSHELF = Path(sys.executable).with_name("papershelf")
SETTINGS = """\
PATH = "content"
ARXIV_ARCHIVE_PATH = "data"
ARXIV_CATEGORIES = ["cs.CL"]
ARXIV_KEYWORDS = {"LLM": 1.0}
ARXIV_MAX_PAPERS_PER_DAY = 100000
ARXIV_REQUEST_INTERVAL = 0
"""


def project(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "pelicanconf.py").write_text(SETTINGS)
    return tmp_path


def start_fetch(root: Path, *sources: str) -> subprocess.Popen:
    command = [str(PAPERSHELF), "fetch"] + [f"--source={source}" for source in sources]
    return subprocess.Popen(
        command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def archived_ids(root: Path) -> set[str]:
    return set(Archive(root / "data").load())


def test_two_fetches_at_once_both_land(tmp_path, feed_server):
    root = project(tmp_path)
    slow_feed = arxiv_rss(30, start=0)
    url = feed_server.route("/cs.CL", Answer(200, slow_feed, delay=1.5))
    other_feed = root / "other.rss.xml"
    other_feed.write_bytes(arxiv_rss(20, start=1000))
    first = start_fetch(root, url)
    deadline = time.monotonic() + 10
    while not feed_server.requests_to("/cs.CL") and time.monotonic() < deadline:
        time.sleep(0.02)  # the first run holds the lock while it waits for its feed
    second = start_fetch(root, str(other_feed))
    first_out, first_err = first.communicate(timeout=60)
    second_out, second_err = second.communicate(timeout=60)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert "waiting for another fetch" in second_err
    expected = {paper_id(n) for n in range(30)} | {paper_id(n) for n in range(1000, 1020)}
    assert archived_ids(root) == expected


def every_json_parses(folder: Path) -> list[str]:
    broken = []
    for path in folder.rglob("*.json"):
        try:
            json.loads(path.read_bytes())
        except ValueError:
            broken.append(str(path))
    return broken


def test_a_fetch_killed_mid_write_leaves_no_broken_file(tmp_path):
    root = project(tmp_path)
    first = root / "first.rss.xml"
    first.write_bytes(arxiv_rss(10, start=0))
    assert (
        subprocess.run(
            [str(PAPERSHELF), "fetch", f"--source={first}"], cwd=root, capture_output=True
        ).returncode
        == 0
    )
    before = archived_ids(root)
    big = root / "big.rss.xml"
    big.write_bytes(arxiv_rss(2000, start=100))
    papers = root / "data" / "papers"
    for wait_for_files in (10, 300, 1200):
        run = start_fetch(root, str(big))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and run.poll() is None:
            if sum(1 for _ in papers.rglob("*.json")) >= len(before) + wait_for_files:
                break
            time.sleep(0.005)
        os.kill(run.pid, signal.SIGKILL)
        run.communicate()
        assert run.returncode == -signal.SIGKILL  # killed, not finished
        assert not every_json_parses(papers)
        assert before <= archived_ids(root)  # nothing it had is lost
    # The next run finishes the job and removes the killed writer's temporary files.
    finished = subprocess.run(
        [str(PAPERSHELF), "fetch", f"--source={big}"], cwd=root, capture_output=True, text=True
    )
    assert finished.returncode == 0, finished.stderr
    assert archived_ids(root) == before | {paper_id(n) for n in range(100, 2100)}
    assert not list((root / "data").rglob(".*.tmp"))
