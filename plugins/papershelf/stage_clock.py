"""Where a build's time and memory go: the stage clock its build state carries.

A build is cut into ``STAGES``; the code doing each wraps its work in
``clock.stage(name)``. Stages nest, and time spent in an inner stage (feeds
written while pages render) counts for the inner one only. Memory is taken at
each stage's end: the process's peak resident set so far (``ru_maxrss``) and
its resident set then (``/proc/self/statm``). Both are one system call, cheap
enough for a stage entered thousands of times; tracemalloc would slow the
build it measures.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

# In the order of a build. read: notes and archive records; merge: records and
# notes into articles; related: related papers; search: the search index; render:
# everything else Pelican does (contexts, templates, pages); feeds: Atom feeds;
# stage: measuring the staged output and moving it into place.
STAGES = ("read", "merge", "related", "search", "render", "feeds", "stage")
MIB = 1024 * 1024


@dataclass
class StageFigures:
    seconds: float = 0.0  # wall time in the stage, inner stages left out
    peak_mib: float = 0.0  # the process's peak resident set at the stage's last end
    rss_mib: float = 0.0  # its largest resident set at any end of the stage
    entered: int = 0


def peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (MIB if sys.platform == "darwin" else 1024)  # bytes on macOS, else KiB


def current_rss_mib() -> float:
    """The resident set now; 0 where there is no /proc (it is Linux's)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            resident_pages = int(statm.read().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / MIB


class StageClock:
    def __init__(self) -> None:
        self.figures = {name: StageFigures() for name in STAGES}
        self._open: list[list] = []  # [name, time since it last ran], innermost last

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        figures = self.figures[name]  # a KeyError: a stage nobody reports
        now = time.perf_counter()
        if self._open:
            outer, since = self._open[-1]
            self.figures[outer].seconds += now - since
        self._open.append([name, now])
        try:
            yield
        finally:
            now = time.perf_counter()
            _, since = self._open.pop()
            figures.seconds += now - since
            figures.entered += 1
            rss_mib = current_rss_mib()
            figures.rss_mib = max(figures.rss_mib, rss_mib)
            # The kernel updates the peak lazily: it may lag the resident set read now.
            figures.peak_mib = max(peak_rss_mib(), rss_mib)
            if self._open:
                self._open[-1][1] = now  # the outer stage runs again from here

    def as_dict(self) -> dict[str, dict]:
        return {name: asdict(figures) for name, figures in self.figures.items()}
