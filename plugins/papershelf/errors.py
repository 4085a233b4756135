"""The one error hierarchy: everything a user can cause, and how it is told.

Every error a user can fix (a file, a setting, a flag, a feed, an import) is a
``PapershelfError``. It carries where the problem is (a file, a feed URL or a
setting's key), the line where known, what is wrong and how to fix it, and
prints as one line::

    content/tags.yml:4: not valid YAML: ... (fix the file's syntax)

The CLI catches this base class once, prints that line and exits with
``exit_status`` (2: bad input, settings or usage); a build turns it into one
Pelican error line. Anything else that escapes is a bug and may show a traceback.

Subclasses follow the data flow, so a caller can catch one stage's errors.
"""

from __future__ import annotations

import os


class PapershelfError(Exception):
    """A problem the user can fix; ``str()`` is the one line to show."""

    exit_status = 2

    def __init__(
        self,
        message: str = "",
        *,
        where: str | os.PathLike | None = None,
        line: int | None = None,
        fix: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.where = os.fspath(where) if where is not None else None
        self.line = line
        self.fix = fix

    def __str__(self) -> str:
        place = self.where or ""
        if place and self.line is not None:
            place = f"{place}:{self.line}"
        text = f"{place}: {self.message}" if place else self.message
        return f"{text} ({self.fix})" if self.fix else text


class SettingsError(PapershelfError, ValueError):
    """A setting is missing, of the wrong type or out of range. The message names
    the key; the CLI adds the settings file as ``where``."""


class UsageError(PapershelfError):
    """A command-line argument that cannot be used: a missing file, a bad value."""


class InputError(PapershelfError, ValueError):
    """A file the user gave that cannot be read as what it should be."""


class ArchiveError(PapershelfError):
    """The paper archive (``data/``) cannot be read or written as it is."""


# --- ingest -------------------------------------------------------------------


class FetchError(PapershelfError):
    """A URL that could not be fetched; the message names the cause."""


class FeedError(InputError):
    """A feed that cannot be used; ``reason`` says why and what to do."""

    def __init__(self, reason: str, line: int | None = None, **kwargs):
        super().__init__(reason, line=line, **kwargs)
        self.reason = reason


class InvalidArxivId(InputError):
    """Text that is not an arXiv identifier."""


# --- notes and importers --------------------------------------------------------


class NoteError(InputError):
    """A curated note that cannot be used, or a note command that cannot proceed."""


class NoteTooLarge(NoteError):
    """A note over PAPERSHELF_MAX_NOTE_BYTES, refused before it is read."""


class AliasFileError(InputError):
    """The tag alias file (``content/tags.yml``) is malformed."""


class ImportFileError(InputError):
    """A file given to ``papershelf import`` that is not of the kind named."""


class NotADigest(ImportFileError):
    """The file holds no arXiv-bot papers."""


# --- summaries ------------------------------------------------------------------


class PromptError(InputError):
    """The summary prompt template is missing or malformed."""


class ChatError(PapershelfError):
    """A chat request that gave no usable answer; the message names the cause.

    ``fatal``: later requests would fail the same way (a refused key, a wrong URL).
    ``stopped``: not sent, because the run was stopping."""

    def __init__(self, message: str, fatal: bool = False, stopped: bool = False, **kwargs):
        super().__init__(message, **kwargs)
        self.fatal = fatal
        self.stopped = stopped


# --- the build ------------------------------------------------------------------


class BuildError(PapershelfError):
    """The site cannot be built as configured."""


class MathRenderError(BuildError):
    """Node or KaTeX is missing or broke down: the build cannot render math."""


class SiteTooLarge(BuildError):
    """A publishing build whose output is over PAPERSHELF_MAX_SITE_BYTES or has a
    file over PAPERSHELF_MAX_FILE_BYTES: the host would refuse it."""


class SearchIndexError(BuildError):
    """The search index cannot be built from the papers as they are."""


class BenchError(PapershelfError):
    """The benchmark cannot run here (no checkout, no Chromium, bad arguments)."""
