"""paper_notes: read curated notes (and pages) written in the note format.

Replaces Pelican's Markdown reader for ``.md`` files: the header is parsed by
papershelf.notes.format (so ``papershelf check`` and the build agree on it), the body
is rendered with Python-Markdown, its math with KaTeX, and the resulting HTML
is sanitised, since notes arrive from strangers. Readers return
``(content, metadata)``; the paper_articles plugin merges notes with archive
records by arXiv id.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from pelican import signals
from pelican.readers import BaseReader

from papershelf.build_state import build_state
from papershelf.config import plugin_settings
from papershelf.model import parse_arxiv_id
from papershelf.notes.format import NoteTooLarge, parse_note, read_note
from papershelf.notes.render import finish_build, render_note_body, render_summary, summary_plain

logger = logging.getLogger(__name__)
LOG_PREFIX = "[paper_notes]"

_PLAIN_KEYS = ("title", "venue", "lang", "status")
_PELICAN_KEYS = ("date", "modified", "authors", "slug")
_LIST_KEYS = ("affiliations", "code", "links", "aliases")


class NoteReader(BaseReader):
    enabled = True
    file_extensions = ["md", "markdown"]

    def read(self, source_path):
        with build_state(self.settings).clock.stage("read"):
            return self._read(source_path)

    def _read(self, source_path):
        options = plugin_settings(self.settings)
        try:
            text = read_note(source_path, options["PAPERSHELF_MAX_NOTE_BYTES"])
        except NoteTooLarge as error:
            # A problem paper_articles reports with the others, like the ones below;
            # Pelican only logs that it skipped the file.
            raise ValueError(str(error)) from None
        note = parse_note(text)
        if note.problems:
            line, message = note.problems[0]
            raise ValueError(f"{source_path}:{line}: {message}")
        metadata = {key: note.text(key) for key in _PLAIN_KEYS if note.text(key)}
        for key in _PELICAN_KEYS:
            if note.text(key):
                value = ", ".join(note.items(key)) if key == "authors" else note.text(key)
                metadata[key] = self.process_metadata(key, value)
        for key in _LIST_KEYS:
            if note.items(key):
                metadata[key] = note.items(key)
        if note.items("tags"):
            # As written: paper_articles resolves every paper's tags in one place
            # (papershelf.site.tag_listing.resolve_tags).
            written = list(dict.fromkeys(note.items("tags")))
            metadata["tags"] = self.process_metadata("tags", ", ".join(written))
        if note.text("rating"):
            metadata["rating"] = float(note.text("rating"))
        if note.text("arxiv"):
            metadata["arxiv"] = parse_arxiv_id(note.text("arxiv"))[0]
        if note.text("summary"):
            metadata["highlights"] = render_summary(note.text("summary"), self.settings)
            metadata["note_summary"] = summary_plain(note.text("summary"))
        is_note = _is_note(source_path, options)
        # A note without Lang is in the notes' language; a page, as Pelican has it,
        # in the site's (else it would count as a translation and not be written).
        default_lang = options["PAPERSHELF_NOTE_LANG"] if is_note else self.settings["DEFAULT_LANG"]
        metadata.setdefault("lang", default_lang)
        if "slug" not in metadata:
            stem = Path(source_path).stem
            metadata["slug"] = metadata.get("arxiv", stem)
        metadata["note_hash"] = hashlib.sha256(text.encode()).hexdigest()
        metadata["template"] = "paper" if is_note else "page"
        return render_note_body(note.body, self.settings), metadata


def _is_note(source_path: str, options: dict) -> bool:
    notes_dir = Path(options["PAPERSHELF_NOTES_DIR"]).resolve()
    return notes_dir in Path(source_path).resolve().parents


def add_reader(readers) -> None:
    for extension in NoteReader.file_extensions:
        readers.reader_classes[extension] = NoteReader


def register() -> None:
    signals.readers_init.connect(add_reader)
    signals.finalized.connect(finish_build)
