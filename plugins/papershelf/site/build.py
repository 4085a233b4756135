"""Load settings and run Pelican: the one place the CLI and bench build a site."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.settings import read_settings

from papershelf.build_state import BUILD_STATE, BuildState
from papershelf.errors import BuildError, PapershelfError, SettingsError, UsageError
from papershelf.site import staging
from papershelf.site.options import plugin_settings


def load_settings(path: str | os.PathLike, overrides: dict[str, Any] | None = None) -> dict:
    """Pelican settings from ``path`` plus overrides, with papershelf's validated."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(
            "settings file not found",
            where=path,
            fix="run from the project root, or pass --settings FILE",
        )
    quiet = _DropMessage("Feeds generated without SITEURL")
    logging.getLogger("pelican.settings").addFilter(quiet)
    try:
        settings = _read_settings(path, overrides or {})
    finally:
        logging.getLogger("pelican.settings").removeFilter(quiet)
    # Pelican warns about feeds without SITEURL even for local previews, where
    # relative URLs are the point; only a publishing build needs SITEURL.
    if not settings.get("RELATIVE_URLS") and not settings.get("SITEURL"):
        logging.getLogger(__name__).warning(
            "%s: SITEURL is empty: feeds and links will not be absolute (set SITEURL)", path
        )
    plugin_settings(settings)
    return settings


def _read_settings(path: Path, overrides: dict[str, Any]) -> dict:
    """Pelican's read_settings; the settings file is Python the user wrote, so what
    it raises is a SettingsError naming the file and line, not a traceback."""
    try:
        return read_settings(str(path), override=overrides)
    except SyntaxError as error:
        raise SettingsError(
            f"not valid Python: {error.msg}",
            where=error.filename or path,
            line=error.lineno,
            fix="fix the syntax",
        ) from None
    except Exception as error:
        line = _line_in(path, error)
        if line is not None:
            raise SettingsError(
                f"{type(error).__name__}: {error}",
                where=path,
                line=line,
                fix="fix the settings file",
            ) from None
        if isinstance(error, ValueError):  # Pelican's word for a missing content folder
            raise SettingsError(str(error), where=path) from None
        if isinstance(error, TypeError):  # a Pelican setting of the wrong type (PATH = 5)
            raise SettingsError(
                f"Pelican cannot use these settings: {error}",
                where=path,
                fix="check the types of Pelican's settings (PATH, THEME, OUTPUT_PATH, ...)",
            ) from None
        raise


def _line_in(path: Path, error: BaseException) -> int | None:
    """The line of ``path`` running when ``error`` was raised, if it ran at all."""
    wanted = os.path.abspath(path)
    frames = traceback.extract_tb(error.__traceback__)
    lines = [f.lineno for f in frames if os.path.abspath(f.filename) == wanted]
    return lines[-1] if lines else None


def run_pelican(settings: dict[str, Any]) -> None:
    """Build the site into a staging folder and put it in place of OUTPUT_PATH.

    On failure the stage is discarded and the previous output stays as it was:
    a PapershelfError raised in a plugin is raised again as it is (the CLI prints
    it as one line), and errors Pelican logged give a BuildError counting them."""
    output = Path(settings["OUTPUT_PATH"])
    stage, output_trusted = staging.start(output)
    # Unchanged files are kept in place, not written again, unless the output
    # cannot be trusted (a build was killed while moving files).
    state = BuildState(previous_output=str(output) if output_trusted else None)
    staged = dict(settings, OUTPUT_PATH=str(stage), **{BUILD_STATE: state})
    counter = _ErrorCounter()
    skipped = _SkippedFile()
    logging.getLogger().addHandler(counter)
    logging.getLogger("pelican.generators").addFilter(skipped)
    try:
        Pelican(staged).run()
    except BaseException as error:
        staging.discard(stage)
        # Anything but a PapershelfError going wrong after a file was skipped or an
        # error logged (a plugin that did not load) is most likely its consequence:
        # report the cause instead.
        if isinstance(error, Exception) and not isinstance(error, PapershelfError):
            if skipped.error is not None:
                raise skipped.error from error
            if counter.errors:
                raise _logged_errors(counter.errors, output, error) from error
        raise
    finally:
        logging.getLogger().removeHandler(counter)
        logging.getLogger("pelican.generators").removeFilter(skipped)
    if skipped.error is not None:
        staging.discard(stage)
        raise skipped.error
    if counter.errors:
        staging.discard(stage)
        raise _logged_errors(counter.errors, output)
    staging.finish(stage, output, state.kept, keep=settings.get("OUTPUT_RETENTION", []))


def _logged_errors(count: int, output: Path, then: Exception | None = None) -> BuildError:
    stopped = f", then stopped on {type(then).__name__}: {then}" if then else ""
    return BuildError(
        f"the build logged {count} error(s), shown above{stopped}",
        fix=f"{output} is unchanged; fix them and build again",
    )


class _SkippedFile(logging.Filter):
    """Pelican catches what a reader raises, logs "Could not process <file>"
    without the reason, and builds on without that file. When the reason is a
    PapershelfError (a note that is not UTF-8 text, a broken tags.yml), it is the
    one line the user needs: keep the first, drop Pelican's line (so it is not
    counted either), and let run_pelican raise it."""

    def __init__(self):
        super().__init__()
        self.error: PapershelfError | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        # Pelican logs from inside its ``except`` block, so the error is current.
        current = sys.exc_info()[1]
        if record.levelno >= logging.ERROR and isinstance(current, PapershelfError):
            self.error = self.error or current
            return False
        return True


class _DropMessage(logging.Filter):
    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.prefix)


class _ErrorCounter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.errors = 0

    def emit(self, record):
        self.errors += 1
