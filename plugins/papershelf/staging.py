"""Atomic builds: a build writes a fresh tree beside the output folder and takes
its place only when it succeeded, so a failed build leaves the previous site
whole, and files of removed papers do not linger.

Pages and search files that did not change are hard-linked from the previous
output (``reuse``) instead of rendered again: a rebuild stays cheap, and the
previous tree is never written to (a link is a new name, never an open file).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pelican.utils import sanitised_join

PREVIOUS_OUTPUT = "PAPERSHELF_PREVIOUS_OUTPUT"  # set on the settings of a staged build
STAGING_SUFFIX = ".building"
REPLACED_SUFFIX = ".replaced"


def staging_folder(output: Path) -> Path:
    return output.with_name(output.name + STAGING_SUFFIX)


def start(output: Path) -> Path:
    """An empty staging folder for a build of ``output``; first puts back an
    output left aside by a build killed while swapping."""
    replaced = output.with_name(output.name + REPLACED_SUFFIX)
    if replaced.is_dir() and not output.exists():
        replaced.rename(output)
    staging = staging_folder(output)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def finish(staging: Path, output: Path, keep: list[str] = ()) -> None:
    """Put the built ``staging`` tree in place of ``output``. ``keep``: names in
    the old output a build does not make (Pelican's OUTPUT_RETENTION, e.g. .git)."""
    for name in keep:
        old = output / name
        if old.exists() and not (staging / name).exists():
            old.rename(staging / name)
    replaced = output.with_name(output.name + REPLACED_SUFFIX)
    shutil.rmtree(replaced, ignore_errors=True)
    if output.exists():
        output.rename(replaced)
    staging.rename(output)  # a reader sees the old tree or the new one, never a mix
    shutil.rmtree(replaced, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def reuse(settings: dict, name: str) -> bool:
    """Whether the output file ``name`` (relative to OUTPUT_PATH) from the last
    build is in place, linking it from the previous output in a staged build."""
    target = sanitised_join(settings["OUTPUT_PATH"], name)
    previous = settings.get(PREVIOUS_OUTPUT)
    if not previous:
        return os.path.isfile(target)
    source = sanitised_join(previous, name)
    if not os.path.isfile(source):
        return False
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(source, target)
    except FileExistsError:
        return True
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)
    return True
