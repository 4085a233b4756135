"""``papershelf fetch`` as users run it: exit status, report, idempotence, locking."""

import json
import subprocess
import sys

import pytest

from .sites import FEEDS, ROOT, SHARED, build, fetch, page, site_settings, tree_bytes

SHARED_FEEDS = SHARED / "fixtures" / "arxiv" / "rss-2025-12-09"


def settings_file(tmp_path):
    """A settings file that is the project's, with the archive under tmp_path."""
    path = tmp_path / "pelicanconf.py"
    path.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *  # noqa\n"
        f"ARXIV_ARCHIVE_PATH = {str(tmp_path / 'data')!r}\n"
        f"PATH = {str(ROOT / 'content')!r}\n"
    )
    return path


def papershelf(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "papershelf.cli", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_fetch_directory_twice_changes_no_byte_and_reports_failures(tmp_path):
    conf = settings_file(tmp_path)
    first = papershelf("--settings", conf, "fetch", "--source", FEEDS, cwd=tmp_path)
    # The directory holds a truncated feed and an arXiv error answer: exit 1, named.
    assert first.returncode == 1
    assert "error: truncated.rss.xml:" in first.stdout
    assert "error: feed-error.rss.xml: arXiv answered" in first.stdout
    assert "empty-weekend.rss.xml: no announcements (2025-12-13)" in first.stdout
    assert "day1-cs.AI.cross-list.rss.xml: 3 items:" in first.stdout
    archive = tmp_path / "data"
    subprocess.run(["git", "init", "-q"], cwd=archive, check=True)
    subprocess.run(["git", "add", "-A"], cwd=archive, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "first"],
        cwd=archive,
        check=True,
    )
    before = tree_bytes(archive / "papers")
    assert len(before) >= 4

    second = papershelf("--settings", conf, "fetch", "--source", FEEDS, cwd=tmp_path)
    assert second.returncode == 1
    assert "0 files written" in second.stdout
    assert tree_bytes(archive / "papers") == before
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=archive,
        capture_output=True,
        text=True,
        check=True,
    )
    assert [line for line in status.stdout.splitlines() if not line.endswith(".lock")] == []


def test_two_fetches_at_once_keep_both_papers(tmp_path):
    conf = settings_file(tmp_path)
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "papershelf.cli",
                "--settings",
                str(conf),
                "fetch",
                "--source",
                str(FEEDS / name),
            ],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("day1-cs.CL.new-and-cross.rss.xml", "day2-cs.CL.replace.rss.xml")
    ]
    for run in runs:
        run.communicate(timeout=120)
        assert run.returncode == 0
    records = {
        path.name: json.loads(path.read_text())
        for path in (tmp_path / "data" / "papers").rglob("*.json")
    }
    assert "2512.00004.json" in records and "2512.00006.json" in records
    # Whichever ran second saw the other's records: the replace is merged, not lost.
    assert records["2512.00001.json"]["version"] == 2


def test_bad_setting_is_named(tmp_path):
    conf = settings_file(tmp_path)
    conf.write_text(conf.read_text() + "ARXIV_CATEGORIES = 'cs.LG'\n")
    run = papershelf("--settings", conf, "fetch", "--source", FEEDS, cwd=tmp_path)
    assert run.returncode == 2
    assert "ARXIV_CATEGORIES" in run.stderr


def test_help_for_each_command(tmp_path):
    for command in ("fetch", "build", "bench", "check", "new-note", "summarize", "import"):
        run = papershelf(command, "--help", cwd=tmp_path)
        assert run.returncode == 0 and "usage: papershelf" in run.stdout


@pytest.mark.skipif(not SHARED_FEEDS.is_dir(), reason="../shared/fixtures not present")
def test_shared_fixtures_of_2025_12_09(tmp_path):
    settings = site_settings(tmp_path)
    sources = [SHARED_FEEDS / f"{c}.rss.xml" for c in ("cs.AI", "cs.CL", "cs.DC", "cs.LG")]
    status, report = fetch(settings, *sources)
    assert status == 0, report
    output = build(settings)
    digest = page(output, "digest/2025-12-09/index.html")
    ids = [a["href"].rstrip("/").split("/")[-1] for a in digest.select(".card-title a")]
    assert len(ids) == len(set(ids)) >= 20  # cross-listed papers once each
    for cross_listed in ("2512.07461", "2512.06457", "2512.07350"):
        assert cross_listed in ids
    assert "2512.15784" not in ids  # "World Model for Early Control" is not matched by RL
    assert not (output / "papers/2512.15784").exists()
    stable_moe = page(output, "papers/2512.06784/index.html").get_text(" ", strip=True)
    # v1 (new) and its v2 replacement in one day's feeds: first seen as new, now v2.
    assert "2512.06784v2" in stable_moe
    assert "v1 · new · Dec 9, 2025" in stable_moe and "v2 · replace · Dec 9, 2025" in stable_moe
