"""How many inputs each property test generates, and the count of those it ran.

``examples(n)``: n inputs under the fixed-seed profile of `make test`, ten times as
many under HYPOTHESIS_PROFILE=long. ``ran(entry_point)`` is called once per input
that reached the entry point; tests/properties/conftest.py prints the totals at the
end of the run (and writes them as JSON to $PAPERSHELF_PROPERTY_COUNTS if set), which
is where the README's figures come from."""

from __future__ import annotations

from collections import Counter

from hypothesis import settings

LONG_FACTOR = 10
COUNTS: Counter[str] = Counter()


def examples(count: int):
    factor = LONG_FACTOR if settings.default.max_examples >= 1000 else 1
    return settings(max_examples=count * factor)


def ran(entry_point: str) -> None:
    COUNTS[entry_point] += 1
