"""``papershelf dedupe``, and the same step at the end of ``fetch`` and ``import``.

I/O only: the archive is read whole, the kept records are written (atomically,
each file replaced whole) before the merged-away files are removed, so a run
cut short leaves either both records, which the next run merges again to the
same bytes, or the merged one.
"""

from __future__ import annotations

import sys
from typing import Any

from papershelf.archive import Archive
from papershelf.ingest.dedupe import Link, find_links
from papershelf.ingest.dedupe_merge import apply_links
from papershelf.model import Paper
from papershelf.progress import Progress


def dedupe_archive(archive: Archive, dry_run: bool = False, err=None) -> list[Link]:
    """Merge the archive's duplicates (the caller holds its lock); with ``dry_run``
    nothing is written. Progress goes to ``err``."""
    return dedupe_records(archive, archive.load(), dry_run, err)


def dedupe_records(
    archive: Archive, papers: dict[str, Paper], dry_run: bool = False, err=None
) -> list[Link]:
    """Merge the duplicates among ``papers``, records as the archive holds them: the
    whole archive, or what a fetch wrote with the records it can be a duplicate of."""
    progress = Progress("dedupe: reading records", len(papers), every=2.0, stream=err)
    links = find_links(papers, on_step=lambda _id: progress.step())
    progress.done()
    if dry_run or not links:
        return links
    kept = apply_links(papers, links)
    archive.save(kept.values())
    for link in links:
        archive.path_for(link.merged).unlink(missing_ok=True)
    return links


def merge_lines(links: list[Link], dry_run: bool = False) -> list[str]:
    """A line per merge naming both ids and the reason."""
    verb = "would merge" if dry_run else "merged"
    return [f"dedupe: {verb} {link.line()}" for link in links]


def run_dedupe(options: dict[str, Any], dry_run: bool = False, out=None, err=None) -> int:
    """The command: 0 whether or not anything merged (a merge is not a problem)."""
    out, err = out or sys.stdout, err or sys.stderr
    archive = Archive(options["ARXIV_ARCHIVE_PATH"])
    with archive.lock(on_wait=lambda: print("waiting for another run…", file=err)):
        total = len(archive.files())
        links = dedupe_archive(archive, dry_run, err)
    for line in merge_lines(links, dry_run):
        print(line, file=out)
    verb = "would merge" if dry_run else "merged"
    print(f"dedupe: {verb} {len(links)} records; archive: {total - len(links)} papers", file=out)
    return 0
