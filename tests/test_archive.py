"""The archive: atomic, stable, locked."""

import json
import multiprocessing
import os
import signal
import time

import pytest

from papershelf.archive import Archive, ArchiveError, relative_path
from papershelf.files import replace_file
from papershelf.model import Announcement, Paper


def paper(arxiv_id="2512.00001", **fields):
    return Paper(
        arxiv_id=arxiv_id,
        title=fields.pop("title", "A paper"),
        announced="2025-12-09",
        announcements=[Announcement("2025-12-09", "new", 1)],
        **fields,
    )


def test_relative_paths_for_new_and_old_style_ids():
    assert relative_path("2512.06784") == "papers/2512/2512.06784.json"
    assert relative_path("hep-th/9901001v2") == "papers/9901/hep-th-9901001.json"


def test_round_trip_keeps_unknown_fields(tmp_path):
    archive = Archive(tmp_path)
    record = paper(extra={"ai_summary": "总结"})
    archive.save([record])
    loaded = archive.load()["2512.00001"]
    assert loaded.to_dict() == record.to_dict()
    text = archive.path_for("2512.00001").read_text()
    assert "总结" in text  # readable UTF-8, not \u escapes
    assert list(json.loads(text)) == sorted(json.loads(text))  # stable key order


def test_saving_the_same_record_twice_writes_nothing(tmp_path):
    archive = Archive(tmp_path)
    assert archive.save([paper()]) == 1
    mtime = archive.path_for("2512.00001").stat().st_mtime_ns
    time.sleep(0.01)
    assert archive.save([paper()]) == 0
    assert archive.path_for("2512.00001").stat().st_mtime_ns == mtime


def test_broken_record_names_file_and_line(tmp_path):
    archive = Archive(tmp_path)
    archive.save([paper()])
    path = archive.path_for("2512.00001")
    path.write_text('{\n  "arxiv_id": "2512.00001",\n  "title": \n}\n')
    with pytest.raises(ArchiveError, match=rf"{path.name}:4: invalid JSON"):
        archive.load()


def _write_forever(path):
    big = b"x" * 5_000_000
    while True:
        replace_file(path, big + str(time.time()).encode())


def test_killed_writer_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "record.json"
    replace_file(target, b'{"whole": true}\n')
    writer = multiprocessing.get_context("fork").Process(target=_write_forever, args=(target,))
    writer.start()
    time.sleep(0.3)
    os.kill(writer.pid, signal.SIGKILL)
    writer.join()
    data = target.read_bytes()
    assert data == b'{"whole": true}\n' or (len(data) > 5_000_000 and data.startswith(b"xxx"))


def _hold_lock(root, ready, release):
    with Archive(root).lock():
        ready.set()
        release.wait(5)


def test_lock_makes_a_second_writer_wait(tmp_path):
    context = multiprocessing.get_context("fork")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(tmp_path, ready, release))
    holder.start()
    assert ready.wait(5)
    waited = []
    with (
        pytest.raises(ArchiveError, match="another papershelf run holds the archive lock"),
        Archive(tmp_path).lock(timeout=0.3, on_wait=lambda: waited.append(True)),
    ):
        pass
    assert waited == [True]
    release.set()
    holder.join()
    with Archive(tmp_path).lock(timeout=1):
        pass
