"""Progress lines on stderr for long work (fetch, import, build, bench)."""

from __future__ import annotations

import sys
import time


class Progress:
    """``[3/10] fetch: cs.LG`` lines, at most one per ``every`` seconds for big runs."""

    def __init__(self, label: str, total: int, every: float = 0.0, stream=None):
        self.label = label
        self.total = total
        self.every = every
        self.stream = stream or sys.stderr
        self.count = 0
        self.started = time.monotonic()
        self._last_shown = 0.0

    def step(self, what: str = "") -> None:
        self.count += 1
        now = time.monotonic()
        if self.every and now - self._last_shown < self.every and self.count < self.total:
            return
        self._last_shown = now
        suffix = f": {what}" if what else ""
        print(
            f"[{self.count}/{self.total}] {self.label}{suffix}",
            file=self.stream,
            flush=True,
        )

    def done(self) -> None:
        elapsed = time.monotonic() - self.started
        print(
            f"{self.label}: {self.count} done in {elapsed:.1f} s",
            file=self.stream,
            flush=True,
        )
