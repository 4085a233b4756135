"""``papershelf import paper-explorer FILE``: a dump's entries become archive records.

Each entry becomes one paper under a local id (``pe-`` + a hash of its abstract,
stable across re-imports and reorderings), with a title derived from its text and
marked so, its topic, field, hashtags, structured summary and abstract. Records
are built by pure functions; the archive is read and written only in
``run_import_paper_explorer``, under the archive's lock, and only files whose
bytes change are written, so a second run writes nothing. The headings' stated
counts go to ``imports/paper-explorer.json`` for the topic pages.
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from papershelf.archive import Archive, dump_json, load_json_file
from papershelf.errors import ImportFileError
from papershelf.files import replace_file
from papershelf.importers.derived_titles import ABSTRACT, NAME, TLDR, DerivedTitle, derive_title
from papershelf.importers.paper_explorer import SOURCE, Dump, Entry, parse_dump
from papershelf.ingest.dedupe_run import dedupe_archive, merge_lines
from papershelf.inputs import read_text
from papershelf.model import Paper
from papershelf.progress import Progress

ID_PREFIX = "pe"
NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"
TITLE_SOURCES = {NAME: "a named method or system", TLDR: "the TL;DR", ABSTRACT: "the abstract"}


def normalised(text: str) -> str:
    """What an id hashes: NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def entry_fingerprint(entry: Entry) -> str:
    """The whole entry, for telling apart entries that share an abstract."""
    parts = [entry.abstract, entry.topic, entry.field, *entry.tags]
    parts += [f"{key}={value}" for key, value in sorted(entry.summary.items())]
    return normalised("\n".join(parts))


def local_ids(entries: list[Entry]) -> tuple[list[str | None], list[str]]:
    """``pe-<10 hex of sha256(normalised abstract)>`` per entry, independent of order.

    Entries sharing an abstract hash their whole text instead; hashes sharing 10
    hex digits use 16. An entry identical to another gets None (a duplicate).
    """
    abstract_keys = [hashlib.sha256(normalised(e.abstract).encode()).hexdigest() for e in entries]
    shared = {key for key, count in Counter(abstract_keys).items() if count > 1}
    keys = [
        hashlib.sha256(entry_fingerprint(e).encode()).hexdigest() if k in shared else k
        for e, k in zip(entries, abstract_keys, strict=True)
    ]
    prefixes = Counter(key[:10] for key in set(keys))
    ids: list[str | None] = []
    warnings = [
        f"line {entry.line}: shares its abstract with another entry; its id hashes the whole entry"
        for entry, key in zip(entries, abstract_keys, strict=True)
        if key in shared
    ]
    seen: dict[str, int] = {}
    for entry, key in zip(entries, keys, strict=True):
        local = f"{ID_PREFIX}-{key[:16] if prefixes[key[:10]] > 1 else key[:10]}"
        if local in seen:
            warnings.append(f"line {entry.line}: the entry of line {seen[local]} again; skipped")
            ids.append(None)
        else:
            seen[local] = entry.line
            ids.append(local)
    return ids, warnings


def entry_title(entry: Entry) -> DerivedTitle:
    hints = [entry.summary.get("method", ""), entry.summary.get("contribution", "")]
    return derive_title(entry.abstract, entry.summary.get("tldr", ""), hints)


def paper_record(
    entry: Entry,
    local_id: str,
    title: DerivedTitle,
    file_name: str,
    day: str,
    existing: Paper | None = None,
) -> Paper:
    """The archive record of one entry, merged into the record already there.

    What the dump says replaces what an earlier import said; the first import's
    date stays (so re-running changes nothing), fields added by other stages stay,
    and a title someone set by hand (``title_derived`` false) is kept.
    """
    extra: dict[str, Any] = dict(existing.extra) if existing else {}
    imports = list(extra.get("imports", []))
    if not any(i.get("source") == SOURCE and i.get("file") == file_name for i in imports):
        imports.append({"source": SOURCE, "file": file_name, "date": day})
    keep_title = existing is not None and extra.get("title_derived") is False
    extra.update(
        title_derived=not keep_title,
        topic=entry.topic,
        field=entry.field,
        tags=list(entry.tags),
        structured_summary={**entry.summary, "source": f"{SOURCE}:{file_name}"},
        imports=imports,
        imported=extra.get("imported") or day,
    )
    base = existing or Paper(arxiv_id=local_id, title="", score=0.0)
    return replace(
        base,
        title=base.title if keep_title else title.text,
        abstract=entry.abstract,
        extra=extra,
    )


@dataclass(frozen=True)
class TopicCount:
    topic: str
    stated: int | None  # None: entries outside any heading
    imported: int

    @property
    def matches(self) -> bool:
        return self.stated == self.imported


def topic_counts(dump: Dump, ids: list[str | None]) -> list[TopicCount]:
    """Stated against imported papers, per heading (in the dump's order)."""
    imported = Counter(e.topic for e, i in zip(dump.entries, ids, strict=True) if i)
    counts = [TopicCount(h.topic, h.stated, imported.pop(h.topic, 0)) for h in dump.headings]
    return counts + [TopicCount(topic, None, count) for topic, count in imported.items()]


def stated_counts_file(current: dict, file_name: str, dump: Dump) -> dict:
    """The state file with this dump's stated counts (other files' kept)."""
    files = dict(current.get("files", {}))
    files[file_name] = {"stated_counts": {h.topic: h.stated for h in dump.headings}}
    return {**current, "files": dict(sorted(files.items()))}


def report_lines(
    file_name: str,
    counts: list[TopicCount],
    statuses: list[str],
    titles: list[DerivedTitle],
    warnings: list[str],
) -> list[str]:
    """What the import did, per topic heading, then totals; mismatches stand out."""
    lines = [f"{file_name}: {len(counts)} topics, {len(statuses)} papers"]
    for count in counts:
        stated = "no heading" if count.stated is None else f"stated {count.stated}"
        flag = "" if count.matches else "   <-- MISMATCH"
        lines.append(f"  {count.topic}: {stated}, imported {count.imported}{flag}")
    by_status = Counter(statuses)
    done = ", ".join(f"{by_status[status]} {status}" for status in (NEW, UPDATED, UNCHANGED))
    lines.append(f"papers: {len(statuses)} ({done})")
    by_source = Counter(title.source for title in titles)
    lines.append(
        "titles (derived): "
        + ", ".join(f"{by_source[key]} from {label}" for key, label in TITLE_SOURCES.items())
    )
    lines += [f"warning: {warning}" for warning in warnings]
    mismatched = [c for c in counts if c.stated is not None and not c.matches]
    lines += [
        f"ERROR: heading '{c.topic}' states {c.stated} papers but {c.imported} were imported"
        for c in mismatched
    ]
    return lines


def run_import_paper_explorer(
    options: dict[str, Any],
    source: str | Path,
    day: date | None = None,
    out=None,
    err=None,
) -> int:
    """Parse, write the records that changed, report. 1 if a count mismatches or
    nothing was found."""
    out, err = out or sys.stdout, err or sys.stderr
    source = Path(source)
    dump = parse_dump(read_text(source, ImportFileError))
    if not dump.entries:
        print(f"{source}: no paper-explorer entries found; nothing imported", file=out)
        return 1
    ids, id_warnings = local_ids(dump.entries)
    today = (day or date.today()).isoformat()
    archive = Archive(options["ARXIV_ARCHIVE_PATH"])
    progress = Progress("import paper-explorer", len(dump.entries), every=0.5, stream=err)
    statuses, titles = [], []

    def waiting() -> None:
        print(f"waiting for the archive lock of {archive.root}…", file=err)

    with archive.lock(on_wait=waiting):
        for entry, local_id in zip(dump.entries, ids, strict=True):
            progress.step(local_id or "duplicate")
            if local_id is None:
                continue
            path = archive.path_for(local_id)
            existing = archive.read(path)[0] if path.is_file() else None
            title = entry_title(entry)
            record = paper_record(entry, local_id, title, source.name, today, existing)
            written = replace_file(path, dump_json(record.to_dict()))
            statuses.append(UNCHANGED if not written else UPDATED if existing else NEW)
            titles.append(title)
        state = archive.root / "imports" / f"{SOURCE}.json"
        replace_file(state, dump_json(stated_counts_file(load_json_file(state), source.name, dump)))
        merges = dedupe_archive(archive, err=err)
    progress.done()
    warnings = dump.warnings + id_warnings
    warnings += [f"line {e.line}: {w}" for e in dump.entries for w in e.warnings]
    counts = topic_counts(dump, ids)
    print("\n".join(report_lines(source.name, counts, statuses, titles, warnings)), file=out)
    for line in merge_lines(merges):
        print(line, file=out)
    if any(c.stated is not None and not c.matches for c in counts):
        print(f"papershelf: {source}: heading counts do not match the entries", file=err)
        return 1
    return 0
