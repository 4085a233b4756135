"""Importers: turn other people's lists of paper notes into curated notes.

Each importer is a pure parser (text in, a list of ``ImportedNote`` out) plus
the shared writer in ``writing.py``, which never overwrites a note edited by
hand. ``papershelf import <kind> FILE`` runs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from papershelf.notes.format import format_note


@dataclass
class ImportedNote:
    """One note to write, and what the importer recognised in its source."""

    source: str  # where it came from, e.g. "## Adaptive 投机 TLT (line 126)"
    filename: str
    values: dict[str, str | list[str]]  # header values for notes.format_note
    body: str
    found: dict[str, str] = field(default_factory=dict)  # what was recognised, for the report
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def text(self) -> str:
        return format_note(self.values, self.body)
