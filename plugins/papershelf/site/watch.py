"""Watching the site's inputs by polling: a snapshot of (mtime, size) per file.

Polling needs no dependency and works the same on every system and file system;
a snapshot of the demo site (about a thousand files) takes a few milliseconds.
Editor temp and backup files, caches and build outputs are left out, so saving
a note is one change and a build never triggers itself.
"""

from __future__ import annotations

import fnmatch
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

# File names editors and tools write next to the real file while saving.
IGNORED_FILES = (".*", "*~", "*.swp", "*.swx", "*.swo", "*.tmp", "*.bak", "#*#", "4913", "*.pyc")
# Folders that hold what builds and tools write, never inputs.
IGNORED_FOLDERS = (".*", "__pycache__", "cache", "output*", "node_modules")

Snapshot = dict[str, tuple[int, int]]


def ignored(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """(mtime in ns, size) of every file under ``paths`` (files or folders), by path."""
    found: Snapshot = {}
    for path in paths:
        if path.is_file():
            _add(found, str(path))
            continue
        for folder, folders, names in os.walk(path):
            folders[:] = sorted(f for f in folders if not ignored(f, IGNORED_FOLDERS))
            for name in names:
                if not ignored(name, IGNORED_FILES):
                    _add(found, os.path.join(folder, name))
    return found


def _add(found: Snapshot, path: str) -> None:
    try:
        stat = os.stat(path)
    except OSError:  # removed between the listing and the stat
        return
    found[path] = (stat.st_mtime_ns, stat.st_size)


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """The files added, removed or modified between two snapshots, sorted."""
    names = before.keys() | after.keys()
    return sorted(name for name in names if before.get(name) != after.get(name))


def wait_for_change(
    paths: Callable[[], list[Path]],
    before: Snapshot,
    interval: float = 0.5,
    settle: float = 0.3,
    stop: Callable[[], bool] = lambda: False,
) -> tuple[Snapshot, list[str]]:
    """Poll every ``interval`` seconds until something under ``paths()`` changes,
    then until nothing has changed for ``settle`` seconds (an editor saving in
    steps, a checkout of many files: one rebuild). Returns the new snapshot and
    what changed since ``before``; an empty list when ``stop()`` says so."""
    while not stop():
        time.sleep(interval)
        current = snapshot(paths())
        if not changed(before, current):
            continue
        settled_since = time.monotonic()
        deadline = settled_since + 10 * max(settle, interval)  # a burst that never ends
        while time.monotonic() - settled_since < settle and time.monotonic() < deadline:
            time.sleep(settle / 3)
            later = snapshot(paths())
            if changed(current, later):
                current, settled_since = later, time.monotonic()
        return current, changed(before, current)
    return before, []
