import json
import os

from .budget import COUNTS


def pytest_terminal_summary(terminalreporter):
    if not COUNTS:
        return
    terminalreporter.section("generated inputs per entry point")
    for entry_point, count in sorted(COUNTS.items()):
        terminalreporter.write_line(f"{count:7d}  {entry_point}")
    target = os.environ.get("PAPERSHELF_PROPERTY_COUNTS")
    if target:
        with open(target, "w", encoding="utf-8") as handle:
            json.dump(dict(sorted(COUNTS.items())), handle, indent=2)
