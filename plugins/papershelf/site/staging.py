"""Atomic builds: a build writes into a staging folder beside the output and
changes the output only once it has succeeded, so a failed build leaves the
previous site as it was.

Only what changed is written: a page, feed or search file whose inputs did not
change is kept where it is in the output (``reuse``). On success ``finish``
moves each new file into place with a rename (a reader sees the old file or
the new one, never half of one) and deletes the files the build no longer
makes. A build killed while moving files leaves a marker; the next build then
trusts nothing in the output and writes every file again.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pelican.utils import sanitised_join

from papershelf.build_state import build_state
from papershelf.files import replace_file

STAGING_SUFFIX = ".building"
COMMITTING_SUFFIX = ".committing"


def staging_folder(output: Path) -> Path:
    return output.with_name(output.name + STAGING_SUFFIX)


def _marker(output: Path) -> Path:
    return output.with_name(output.name + COMMITTING_SUFFIX)


def start(output: Path) -> tuple[Path, bool]:
    """An empty staging folder for a build of ``output``, and whether the files
    in ``output`` can be kept (not after a build was killed while committing, or
    was ``abandon``-ed)."""
    staging = staging_folder(output)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging, output.is_dir() and not _marker(output).exists()


def _files(root: Path) -> set[str]:
    found = set()
    for folder, _, names in os.walk(root):
        relative = os.path.relpath(folder, root)
        found.update(os.path.normpath(os.path.join(relative, name)) for name in names)
    return found


def finish(staging: Path, output: Path, kept: set[str], keep: list[str] = ()) -> None:
    """Move the built files into ``output`` and delete the ones this build did
    not make or keep. ``kept``: the files the build kept from the last one
    (``reuse``); ``keep``: top-level names a build never makes (Pelican's
    OUTPUT_RETENTION, e.g. .git)."""
    if not output.exists():
        staging.rename(output)  # a first build: the whole tree at once
        return
    marker = _marker(output)
    marker.touch()
    built = _files(staging)
    for name in sorted(built):
        target = output / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, target)
    # One walk, deepest folders first: delete what this build neither made nor
    # kept, then the folders that became empty.
    for folder, _, names in os.walk(output, topdown=False):
        relative = os.path.relpath(folder, output)
        if relative.split(os.sep, 1)[0] in keep:
            continue
        for name in names:
            path = os.path.normpath(os.path.join(relative, name))
            if path not in built and path not in kept and path.split(os.sep, 1)[0] not in keep:
                os.unlink(os.path.join(folder, name))
        if relative != "." and not any(os.scandir(folder)):
            os.rmdir(folder)
    marker.unlink()
    shutil.rmtree(staging, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def abandon(staging: Path, output: Path) -> None:
    """Discard the stage of a build that ran to its end and failed after all (an
    error logged, a site over the host's limits). Its caches (render and search
    manifests) describe the files thrown away here, not the ones in ``output``,
    so the next build trusts nothing in ``output`` and writes every file again."""
    discard(staging)
    if output.is_dir():
        _marker(output).touch()


def reuse(settings: dict, name: str) -> bool:
    """Whether the output file ``name`` (relative to OUTPUT_PATH) of the last build
    can stay as it is; a staged build then keeps it in the output."""
    state = build_state(settings)
    if not state.previous_output:
        return os.path.isfile(sanitised_join(settings["OUTPUT_PATH"], name))
    if not os.path.isfile(sanitised_join(state.previous_output, name)):
        return False
    state.kept.add(os.path.normpath(name))
    return True


def keep_or_write(settings: dict, name: str, data: bytes) -> bool:
    """Write the output file ``name`` unless the last build's holds these bytes
    already; then it is kept (``reuse``). True if it was written."""
    state = build_state(settings)
    if state.previous_output:
        previous = sanitised_join(state.previous_output, name)
        try:
            with open(previous, "rb") as handle:
                same = handle.read() == data
        except OSError:
            same = False
        if same and reuse(settings, name):
            return False
    return replace_file(Path(sanitised_join(settings["OUTPUT_PATH"], name)), data)
