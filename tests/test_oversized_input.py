"""Oversized input: a 20 MB note and a feed of 50,000 items are refused before
they are read, with a message naming the file and the limit, in bounded memory."""

import subprocess
import sys
from pathlib import Path

from .feedgen import arxiv_rss
from .sites import ROOT
from .test_fetch_concurrency import PAPERSHELF, archived_ids, project

# Peak memory of a papershelf run that refuses the input; reading and rendering
# it would take several times this.
MEMORY_LIMIT_MB = 250
MEASURE = (
    "import resource, subprocess, sys\n"
    "run = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024\n"
    "print(run.returncode, peak)\n"
    "print(run.stdout + run.stderr)\n"
)


def run_measured(root: Path, *args: str) -> tuple[int, int, str]:
    """Exit status, peak memory (MB) and output of `papershelf ARGS` in ``root``."""
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(PAPERSHELF), *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    first, _, output = result.stdout.partition("\n")
    status, peak = map(int, first.split())
    return status, peak, output


def site_project(tmp_path: Path) -> Path:
    """A folder with content/ and a pelicanconf.py that is the project's, relocated."""
    (tmp_path / "content").mkdir()
    (tmp_path / "pelicanconf.py").write_text(
        "import runpy\n"
        f"globals().update(runpy.run_path({str(ROOT / 'pelicanconf.py')!r}))\n"
        'PATH = "content"\nOUTPUT_PATH = "output"\nCACHE_PATH = "cache"\n'
        f'ARXIV_ARCHIVE_PATH = "data"\nTHEME = {str(ROOT / "theme")!r}\n'
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
    )
    return tmp_path


def test_a_20_mb_note_is_refused_by_check_and_build(tmp_path):
    root = site_project(tmp_path)
    notes = root / "content" / "notes"
    notes.mkdir()
    huge = notes / "huge.md"
    with huge.open("w", encoding="utf-8") as handle:
        handle.write("Title: Huge\nDate: 2025-12-01\n\n")
        line = "Every line of this note repeats the same forty words of text. " * 4 + "\n"
        while handle.tell() < 20 * 1024 * 1024:
            handle.write(line * 1000)
    status, peak, output = run_measured(root, "check")
    assert status == 1
    assert "huge.md:1: the note is 2" in output and "PAPERSHELF_MAX_NOTE_BYTES" in output
    assert peak < MEMORY_LIMIT_MB, peak
    status, peak, output = run_measured(root, "build")
    assert status != 0 and "huge.md:1" in output and "PAPERSHELF_MAX_NOTE_BYTES" in output
    assert peak < MEMORY_LIMIT_MB, peak


def test_a_feed_of_50000_items_is_refused_and_the_archive_kept(tmp_path):
    root = project(tmp_path)
    small = root / "small.rss.xml"
    small.write_bytes(arxiv_rss(5))
    assert run_measured(root, "fetch", f"--source={small}")[0] == 0
    before = archived_ids(root)
    huge = root / "huge.rss.xml"
    huge.write_bytes(arxiv_rss(50_000, start=100))
    status, peak, output = run_measured(root, "fetch", f"--source={huge}")
    assert status == 1
    assert "huge.rss.xml" in output and "ARXIV_MAX_FEED_BYTES" in output
    assert archived_ids(root) == before
    assert peak < MEMORY_LIMIT_MB, peak
