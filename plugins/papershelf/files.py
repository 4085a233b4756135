"""Files written whole or not at all, and the lock that keeps writers one at a time.

``replace_file`` writes a temporary file beside the target and renames it into
place, so a reader (or a crash) sees the old bytes or the new ones, never half.
A writer killed between the two leaves its temporary file behind; only the
holder of a folder's lock writes there, so the next holder deletes what it finds.

The lock is an ``flock`` on ``<folder>/.lock`` (through ``filelock``): the kernel
releases it when its holder dies, however it dies, so a killed run never leaves a
stale lock. The file itself stays in place between holders, empty.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import filelock

LOCK_NAME = ".lock"
POLL_SECONDS = 0.1  # how often a waiting run tries the lock again
TEMPORARY_SUFFIX = ".tmp"  # of ``.<name>.<random>.tmp``, beside the file it will replace


class LockTimeout(TimeoutError):
    """Another process held the lock for longer than the caller would wait."""


def replace_file(path: Path, data: bytes, durable: bool = True) -> bool:
    """Replace ``path``'s content with ``data`` atomically; False if it already held it.

    ``durable=False`` skips the fsync: for files a build can make again (thousands of
    search shards), where readers must still never see half a file."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_through(path, lambda handle: handle.write(data), durable)
    return True


def write_through(path: Path, write: Callable, durable: bool = True) -> None:
    """Replace ``path`` atomically with what ``write(handle)`` writes to a binary
    file: for a big file made piece by piece, never held whole as bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def remove_unfinished_writes(folder: Path) -> None:
    """Delete the temporary files of writers killed mid-write anywhere below ``folder``.

    Only safe while holding ``folder``'s lock: then no live writer owns one."""
    for leftover in folder.rglob(f".*{TEMPORARY_SUFFIX}"):
        leftover.unlink(missing_ok=True)


@contextlib.contextmanager
def hold_lock(
    folder: Path, timeout: float, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold ``folder``'s lock, waiting up to ``timeout`` seconds for another holder
    (``on_wait`` is called once when it has to wait); LockTimeout if it does not let
    go. The unfinished writes of a killed holder are removed before the body runs."""
    folder.mkdir(parents=True, exist_ok=True)
    # No soft-lock fallback: a lock file that outlives a killed holder would block
    # every later run. Without flock, acquiring fails loudly instead.
    lock = filelock.FileLock(folder / LOCK_NAME, fallback_to_soft=False)
    try:
        lock.acquire(blocking=False)
    except filelock.Timeout:
        if on_wait:
            on_wait()
        try:
            lock.acquire(timeout=timeout, poll_interval=POLL_SECONDS)
        except filelock.Timeout:
            raise LockTimeout(f"{folder / LOCK_NAME} held for over {timeout:.0f} s") from None
    try:
        remove_unfinished_writes(folder)
        yield
    finally:
        lock.release()
