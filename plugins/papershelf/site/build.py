"""Run Pelican, staged: the one place the CLI and bench build a site."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pelican import Pelican

from papershelf.build_state import BUILD_STATE, BuildState
from papershelf.config import plugin_settings
from papershelf.errors import BuildError, PapershelfError
from papershelf.site import output_size, staging


@dataclass(frozen=True)
class BuiltSite:
    size: output_size.OutputSize
    report: str  # the one line ``papershelf build`` prints (output_size.report_line)
    warnings: list[str] = field(default_factory=list)  # near or over a limit
    stages: dict[str, dict] = field(default_factory=dict)  # papershelf.stage_clock figures


def run_pelican(settings: dict[str, Any]) -> BuiltSite:
    """Build the site into a staging folder and put it in place of OUTPUT_PATH.

    On failure the stage is discarded and the previous output stays as it was:
    a PapershelfError raised in a plugin is raised again as it is (the CLI prints
    it as one line), and errors Pelican logged give a BuildError counting them.
    A publishing build over the host's limits fails the same way (SiteTooLarge)."""
    output = Path(settings["OUTPUT_PATH"])
    stage, output_trusted = staging.start(output)
    # Unchanged files are kept in place, not written again, unless the output
    # cannot be trusted (a build was killed while moving files, or abandoned).
    state = BuildState(previous_output=str(output) if output_trusted else None)
    staged = dict(settings, OUTPUT_PATH=str(stage), **{BUILD_STATE: state})
    counter = _ErrorCounter()
    skipped = _SkippedFile()
    logging.getLogger().addHandler(counter)
    logging.getLogger("pelican.generators").addFilter(skipped)
    try:
        with state.clock.stage("render"):  # what no plugin reports as its own stage
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
        staging.abandon(stage, output)
        raise skipped.error
    if counter.errors:
        staging.abandon(stage, output)
        raise _logged_errors(counter.errors, output)
    with state.clock.stage("stage"):
        built = _measured(stage, output, state, plugin_settings(staged))
        staging.finish(stage, output, state.kept, keep=settings.get("OUTPUT_RETENTION", []))
    return replace(built, stages=state.clock.as_dict())


def _measured(stage: Path, output: Path, state: BuildState, options: dict) -> BuiltSite:
    """The staged site's size; a publishing build over a limit stops here, before
    anything replaces the output."""
    size = output_size.measure(stage, output, state.kept)
    if options["PAPERSHELF_PUBLISHING"]:
        error = output_size.too_large(size, options, output)
        if error is not None:
            staging.abandon(stage, output)
            raise error
    report = output_size.report_line(size, options)
    return BuiltSite(size, report, output_size.near_limits(size, options))


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


class _ErrorCounter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.errors = 0

    def emit(self, record):
        self.errors += 1
