"""What one build learns inside Pelican, carried in the settings it hands every plugin.

Pelican gives each plugin, generator and writer the same settings dict, so the
state of a build travels there under ``BUILD_STATE`` instead of in module
globals: two builds in one process (the tests, the bench, ``make devserver``)
never see each other's files, writers or caches. ``papershelf.site.build``
makes one per build and reads it back once Pelican is done; a plain
``Pelican(settings).run()`` gets a fresh one on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from papershelf.stage_clock import StageClock

BUILD_STATE = "PAPERSHELF_BUILD_STATE"


@dataclass
class BuildState:
    # The last build's output folder, when this build is staged beside it and
    # may keep its unchanged files in place (papershelf.site.staging).
    previous_output: str | None = None
    # Output files (relative paths) this build kept from the last one instead of writing.
    kept: set[str] = field(default_factory=set)
    # Indexable pages this build makes or keeps: file -> lastmod day (papershelf.site.sitemap).
    sitemap: dict[str, str | None] = field(default_factory=dict)
    # Writers whose render manifests are saved when Pelican finishes (render_cache).
    writers: list[Any] = field(default_factory=list)
    # Per-build caches, by what they are keyed on.
    tags: dict[str, Any] = field(default_factory=dict)  # Tag objects by name
    math_renderers: dict[str, Any] = field(default_factory=dict)  # by cache folder
    aliases: dict[str, Any] = field(default_factory=dict)  # the alias file, by stamp
    # Time and memory per stage of the build (papershelf.stage_clock).
    # Measurements, not state: two states with different timings are the same state.
    clock: StageClock = field(default_factory=StageClock, compare=False)

    # Pelican's content cache pickles articles with their settings; the state of a
    # build (a KaTeX process, open writers) must not outlive it, so it pickles blank.
    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, _state: dict) -> None:
        self.__init__()


def build_state(settings: dict) -> BuildState:
    """The state of the build these settings belong to (made on first use)."""
    state = settings.get(BUILD_STATE)
    if state is None:
        state = settings[BUILD_STATE] = BuildState()
    return state
