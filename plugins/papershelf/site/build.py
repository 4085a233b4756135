"""Load settings and run Pelican: the one place the CLI and bench build a site."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.settings import read_settings

from papershelf.build_state import BUILD_STATE, BuildState
from papershelf.errors import BuildError
from papershelf.site import staging
from papershelf.site.options import plugin_settings


def load_settings(path: str | os.PathLike, overrides: dict[str, Any] | None = None) -> dict:
    """Pelican settings from ``path`` plus overrides, with papershelf's validated."""
    path = Path(path)
    if not path.is_file():
        raise BuildError(f"{path}: settings file not found (run from the project root)")
    quiet = _DropMessage("Feeds generated without SITEURL")
    logging.getLogger("pelican.settings").addFilter(quiet)
    try:
        settings = read_settings(str(path), override=overrides or {})
    except ValueError as error:  # Pelican's word for a missing content folder and such
        raise BuildError(f"{path}: {error}") from None
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


def run_pelican(settings: dict[str, Any]) -> None:
    """Build the site into a staging folder and put it in place of OUTPUT_PATH;
    raise BuildError, leaving the previous output as it was, if the build failed
    or Pelican logged errors."""
    output = Path(settings["OUTPUT_PATH"])
    stage, output_trusted = staging.start(output)
    # Unchanged files are kept in place, not written again, unless the output
    # cannot be trusted (a build was killed while moving files).
    state = BuildState(previous_output=str(output) if output_trusted else None)
    staged = dict(settings, OUTPUT_PATH=str(stage), **{BUILD_STATE: state})
    counter = _ErrorCounter()
    logging.getLogger().addHandler(counter)
    try:
        Pelican(staged).run()
    except BaseException:
        staging.discard(stage)
        raise
    finally:
        logging.getLogger().removeHandler(counter)
    if counter.errors:
        staging.discard(stage)
        raise BuildError(
            f"the build logged {counter.errors} error(s); see above ({output} is unchanged)"
        )
    staging.finish(stage, output, state.kept, keep=settings.get("OUTPUT_RETENTION", []))


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
