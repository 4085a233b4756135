"""files.py: atomic replacement and the folder lock, with real processes."""

import fcntl
import multiprocessing
import os
import signal
import time

import pytest

from papershelf.files import LOCK_NAME, LockTimeout, hold_lock, replace_file

FORK = multiprocessing.get_context("fork")


def test_replace_file_writes_only_changed_bytes(tmp_path):
    target = tmp_path / "sub" / "record.json"
    assert replace_file(target, b"one") is True
    assert replace_file(target, b"one") is False
    assert replace_file(target, b"two", durable=False) is True
    assert target.read_bytes() == b"two"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert sorted(p.name for p in target.parent.iterdir()) == ["record.json"]


def _hold_and_leave_a_temporary_file(folder, ready):
    with hold_lock(folder, timeout=1):
        # What a writer killed between writing and renaming leaves behind.
        (folder / "papers").mkdir(exist_ok=True)
        (folder / "papers" / ".record.json.abc123.tmp").write_bytes(b"half")
        ready.set()
        time.sleep(60)


def test_a_holder_killed_with_sigkill_frees_the_lock_and_its_leftovers_go(tmp_path):
    ready = FORK.Event()
    holder = FORK.Process(target=_hold_and_leave_a_temporary_file, args=(tmp_path, ready))
    holder.start()
    assert ready.wait(5)
    with pytest.raises(LockTimeout), hold_lock(tmp_path, timeout=0.2):
        pass
    os.kill(holder.pid, signal.SIGKILL)
    holder.join()
    started = time.monotonic()
    with hold_lock(tmp_path, timeout=5):
        assert time.monotonic() - started < 1  # the kernel let go when the holder died
        assert not list(tmp_path.rglob("*.tmp"))
    # The lock file stays, empty, for the next holder to lock the same inode.
    assert (tmp_path / LOCK_NAME).read_bytes() == b""


def _flock_directly(path, ready, release):
    """A holder of an older papershelf, which took the lock with fcntl.flock itself."""
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        ready.set()
        release.wait(5)


def test_the_lock_is_an_flock_on_the_dot_lock_file(tmp_path):
    ready, release = FORK.Event(), FORK.Event()
    holder = FORK.Process(target=_flock_directly, args=(tmp_path / LOCK_NAME, ready, release))
    holder.start()
    assert ready.wait(5)
    waited = []
    with pytest.raises(LockTimeout), hold_lock(tmp_path, 0.2, on_wait=lambda: waited.append(1)):
        pass
    assert waited == [1]
    release.set()
    holder.join()
    with hold_lock(tmp_path, timeout=1):
        pass


def test_an_error_in_the_body_releases_the_lock(tmp_path):
    with pytest.raises(KeyError), hold_lock(tmp_path, timeout=1):
        raise KeyError("body")
    with hold_lock(tmp_path, timeout=0.2):
        pass
