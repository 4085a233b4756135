"""Writing imported notes: idempotent, and never over a note edited by hand.

A state file (``<archive>/imports/<importer>.json``) maps each note file the
importer wrote to the sha256 of the bytes it wrote. On a re-run a file is
written when it is missing, or when it still holds exactly what the importer
wrote last time and the new output differs; a file whose bytes changed since
(edited by hand) or that the importer never wrote is kept and reported.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from papershelf.archive import dump_json, load_json_file
from papershelf.errors import ImportFileError
from papershelf.files import replace_file
from papershelf.importers import ImportedNote
from papershelf.inputs import read_text
from papershelf.notes.tags import load_aliases
from papershelf.progress import Progress

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"
KEPT_EDITED, KEPT_FOREIGN = "kept (edited by hand)", "kept (not written by this importer)"
STATUSES = (NEW, UPDATED, UNCHANGED, KEPT_EDITED, KEPT_FOREIGN)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def state_path(archive_path: str | Path, importer: str) -> Path:
    return Path(archive_path) / "imports" / f"{importer}.json"


def load_state(path: Path) -> dict[str, str]:
    """Note file name -> sha256 of the bytes last written; empty if none yet."""
    # Deleting a broken one is safe: notes it knew are then kept unless identical.
    return dict(load_json_file(path).get("notes", {}))


def decide(new: bytes, current: bytes | None, recorded: str | None) -> str:
    """What to do with one note file (pure: the rules above)."""
    if current is None:
        return NEW
    if current == new:
        return UNCHANGED  # also adopts a matching file the state does not know
    if recorded is None:
        return KEPT_FOREIGN
    if sha256(current) != recorded:
        return KEPT_EDITED
    return UPDATED


@dataclass
class Outcome:
    note: ImportedNote
    status: str


def write_notes(
    notes: list[ImportedNote], notes_dir: Path, state_file: Path, on_step=None
) -> list[Outcome]:
    """Write what the rules allow, then the state file (only if it changed)."""
    state = load_state(state_file)
    outcomes = []
    for note in notes:
        path = notes_dir / note.filename
        new = note.text().encode("utf-8")
        current = path.read_bytes() if path.is_file() else None
        status = decide(new, current, state.get(note.filename))
        if status in (NEW, UPDATED):
            replace_file(path, new)
        if status in (NEW, UPDATED, UNCHANGED):
            state[note.filename] = sha256(new)
        outcomes.append(Outcome(note, status))
        if on_step:
            on_step(note.filename)
    replace_file(state_file, dump_json({"notes": state}))
    return outcomes


def report_line(number: int, outcome: Outcome) -> list[str]:
    """``[3] ## Adaptive 投机 TLT (line 126) -> 2511.16665.md: new`` and what was found."""
    note = outcome.note
    found = ", ".join(f"{key} {value}" for key, value in note.found.items())
    lines = [
        f"[{number}] {note.source} -> {note.filename}: {outcome.status}",
        f"    found: {found or 'nothing'}",
    ]
    if note.missing:
        lines.append(f"    missing: {', '.join(note.missing)}")
    lines += [f"    warning: {warning}" for warning in note.warnings]
    return lines


def totals(outcomes: list[Outcome]) -> list[str]:
    """Counts over the whole import, for the end of the report."""
    counts = {status: sum(o.status == status for o in outcomes) for status in STATUSES}
    values = [o.note.values for o in outcomes]
    date_sources: dict[str, int] = {}
    for outcome in outcomes:
        how = outcome.note.found.get("date", "none (missing)").split("(")[-1].rstrip(")")
        date_sources[how] = date_sources.get(how, 0) + 1
    return [
        f"{len(outcomes)} sections -> {len(outcomes)} notes: "
        + ", ".join(f"{count} {status}" for status, count in counts.items()),
        f"recognised: {sum(bool(v['arxiv']) for v in values)} arXiv ids, "
        f"{sum(bool(v['rating']) for v in values)} ratings, "
        f"{sum(bool(v['venue']) for v in values)} venues, "
        f"{sum(bool(v['summary']) for v in values)} with highlights, "
        f"{sum(bool(o.note.body) for o in outcomes)} with a body",
        "dates: " + ", ".join(f"{count} from {how}" for how, count in date_sources.items()),
    ]


def run_import_awesome_notes(
    options: dict[str, Any],
    source: str | Path,
    notes_dir: str | Path | None = None,
    out=None,
    err=None,
    today: date | None = None,
) -> int:
    """``papershelf import awesome-notes FILE``: parse, write, report. 1 if no section."""
    from papershelf.importers.awesome_notes import parse_awesome_notes

    out = out or sys.stdout
    text = read_text(source, ImportFileError)
    aliases = load_aliases(options["PAPERSHELF_TAG_ALIASES"])
    notes, warnings = parse_awesome_notes(
        text,
        canonical_tag=aliases.canonical,
        keywords=options["ARXIV_KEYWORDS"],
        today=(today or date.today()).isoformat(),
    )
    for warning in warnings:
        print(f"{source}: warning: {warning}", file=out)
    if not notes:
        print(f"{source}: no '## ' sections found; nothing imported", file=out)
        return 1
    progress = Progress("import awesome-notes", len(notes), every=0.5, stream=err)
    outcomes = write_notes(
        notes,
        Path(notes_dir or options["PAPERSHELF_NOTES_DIR"]),
        state_path(options["ARXIV_ARCHIVE_PATH"], "awesome-notes"),
        on_step=progress.step,
    )
    progress.done()
    for number, outcome in enumerate(outcomes, start=1):
        print("\n".join(report_line(number, outcome)), file=out)
    print("\n".join(totals(outcomes)), file=out)
    return 0
