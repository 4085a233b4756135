"""The size of a built site, and the limits of the host it is published on.

GitHub Pages refuses a site over 1 GB and a file over 100 MB, and a deploy
that fails there fails after the old site is gone from the upload. So a build
measures its output before it replaces the last one (one ``os.scandir`` per
folder of the staged tree, no file read again), and a publishing build
(PAPERSHELF_PUBLISHING, set in publishconf.py) over PAPERSHELF_MAX_SITE_BYTES or
PAPERSHELF_MAX_FILE_BYTES stops, the previous output left as it was. Any build
at WARN_AT of a limit or more is warned about. Sizes are told in decimal units,
as hosts state their limits.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from papershelf.errors import SiteTooLarge

WARN_AT = 0.8
SHOWN_PARTS = 3  # the largest top-level folders or files a message names
SITE_LIMIT = "PAPERSHELF_MAX_SITE_BYTES"
FILE_LIMIT = "PAPERSHELF_MAX_FILE_BYTES"


@dataclass(frozen=True)
class OutputSize:
    files: int
    total_bytes: int
    largest_file: str  # relative to the output, "/" between folders; "" when no file
    largest_bytes: int
    parts: tuple[tuple[str, int], ...]  # top-level folders ("papers/") and files, largest first


def _staged_files(root: str):
    """(relative path, size) of every file under ``root``, one scandir per folder."""
    folders = [""]
    while folders:
        relative = folders.pop()
        with os.scandir(os.path.join(root, relative)) as entries:
            for entry in entries:
                path = os.path.join(relative, entry.name) if relative else entry.name
                if entry.is_dir():
                    folders.append(path)
                elif entry.is_file():
                    yield path, entry.stat().st_size


def measure(staging: Path, output: Path, kept: set[str]) -> OutputSize:
    """The site a staged build makes: the files in ``staging`` and the ones it
    keeps in ``output`` from the last build (``kept``, relative paths)."""
    sizes: dict[str, int] = {}
    files = total = largest_bytes = 0
    largest = ""

    def count(path: str, size: int) -> None:
        nonlocal files, total, largest, largest_bytes
        files += 1
        total += size
        name = path.replace(os.sep, "/")
        if not largest or size > largest_bytes or (size == largest_bytes and name < largest):
            largest, largest_bytes = name, size
        top, _, rest = name.partition("/")
        part = f"{top}/" if rest else top
        sizes[part] = sizes.get(part, 0) + size

    staged_and_kept = set()
    for path, size in _staged_files(str(staging)):
        count(path, size)
        if path in kept:
            staged_and_kept.add(path)  # written after all: the staged file replaces it
    for path in kept - staged_and_kept:
        try:
            count(path, os.stat(output / path).st_size)
        except FileNotFoundError:
            continue  # nothing to keep: the build will not have it either
    parts = tuple(sorted(sizes.items(), key=lambda item: (-item[1], item[0])))
    return OutputSize(files, total, largest, largest_bytes, parts)


def shown_bytes(count: int) -> str:
    """``56.7 MB``, ``1 GB``, ``512 bytes``: decimal units, one decimal at most."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if count >= scale:
            return f"{count / scale:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{count:,} bytes"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%"


def _largest_parts(size: OutputSize) -> str:
    shown = ", ".join(f"{name} {shown_bytes(n)}" for name, n in size.parts[:SHOWN_PARTS])
    return f"largest parts: {shown}"


def report_line(size: OutputSize, limits: dict) -> str:
    """``output: 1,234 files, 56.7 MB (5.7% of PAPERSHELF_MAX_SITE_BYTES); largest
    file search/s/3.json.gz 3.4 MB``"""
    share = _percent(size.total_bytes, limits[SITE_LIMIT])
    line = (
        f"output: {size.files:,} files, {shown_bytes(size.total_bytes)} ({share} of {SITE_LIMIT})"
    )
    if size.largest_file:
        line += f"; largest file {size.largest_file} {shown_bytes(size.largest_bytes)}"
    return line


def over_limits(size: OutputSize, limits: dict) -> list[str]:
    """What is over a limit, one phrase per limit (none: the host takes the site)."""
    over = []
    if size.total_bytes > limits[SITE_LIMIT]:
        over.append(
            f"output is {shown_bytes(size.total_bytes)}, over {SITE_LIMIT} "
            f"({shown_bytes(limits[SITE_LIMIT])}): {_largest_parts(size)}"
        )
    if size.largest_bytes > limits[FILE_LIMIT]:
        over.append(
            f"{size.largest_file} is {shown_bytes(size.largest_bytes)}, over {FILE_LIMIT} "
            f"({shown_bytes(limits[FILE_LIMIT])})"
        )
    return over


def near_limits(size: OutputSize, limits: dict) -> list[str]:
    """A warning per limit the site is at WARN_AT or more of (over it included)."""
    near = []
    site, file = limits[SITE_LIMIT], limits[FILE_LIMIT]
    if size.total_bytes >= WARN_AT * site:
        near.append(
            f"output is {shown_bytes(size.total_bytes)}, {_percent(size.total_bytes, site)} "
            f"of {SITE_LIMIT} ({shown_bytes(site)}): {_largest_parts(size)}"
        )
    if size.largest_bytes >= WARN_AT * file:
        near.append(
            f"{size.largest_file} is {shown_bytes(size.largest_bytes)}, "
            f"{_percent(size.largest_bytes, file)} of {FILE_LIMIT} ({shown_bytes(file)})"
        )
    return [f"{warning}; a publishing build stops above 100%" for warning in near]


def too_large(size: OutputSize, limits: dict, output: Path) -> SiteTooLarge | None:
    """The error that stops a publishing build of this site, if it is over a limit."""
    over = over_limits(size, limits)
    if not over:
        return None
    settings = " or ".join(key for key in (SITE_LIMIT, FILE_LIMIT) if key in " ".join(over))
    return SiteTooLarge(
        "; ".join(over),
        fix=f"{output} is unchanged: make the largest parts smaller, or raise {settings} "
        "in publishconf.py if the host takes more",
    )
