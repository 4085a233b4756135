"""The bench's report: figures as rows with ratios against plain Pelican, and the budgets."""

from __future__ import annotations

from dataclasses import asdict, dataclass

BASELINE = "plain pelican (full)"
PAPERSHELF_FULL = "papershelf (full)"
PAPERSHELF_REBUILD = "papershelf (rebuild)"


@dataclass(frozen=True)
class Budget:
    name: str
    build: str
    max_time_ratio: float


# From the developers' guide, for 10,000 papers: time against plain Pelican's full build.
BUDGETS = (Budget("full", PAPERSHELF_FULL, 1.25), Budget("rebuild", PAPERSHELF_REBUILD, 0.30))


@dataclass(frozen=True)
class Row:
    build: str
    wall_s: float
    peak_mib: float
    time_ratio: float
    memory_ratio: float


def make_rows(measured: list[tuple[str, float, float]]) -> list[Row]:
    """Rows with ratios against the first measurement (plain Pelican's full build)."""
    _, base_wall, base_peak = measured[0]
    return [
        Row(build, wall, peak, wall / base_wall, peak / base_peak) for build, wall, peak in measured
    ]


def budget_results(rows: list[Row]) -> list[dict]:
    by_build = {row.build: row for row in rows}
    return [
        {
            **asdict(budget),
            "time_ratio": by_build[budget.build].time_ratio,
            "ok": by_build[budget.build].time_ratio <= budget.max_time_ratio,
        }
        for budget in BUDGETS
        if budget.build in by_build
    ]


def format_report(papers: int, seeds: str, rows: list[Row], budgets: list[dict]) -> str:
    lines = [
        f"papers: {papers} (seeds: {seeds})",
        f"{'build':<24}{'wall s':>8}{'peak MiB':>11}{'time ratio':>13}{'memory ratio':>15}",
    ]
    lines += [
        f"{row.build:<24}{row.wall_s:>8.1f}{row.peak_mib:>11.1f}"
        f"{row.time_ratio:>13.2f}{row.memory_ratio:>15.2f}"
        for row in rows
    ]
    limits = ", ".join(f"{b['name']} <= {b['max_time_ratio']:.2f}x" for b in budgets)
    verdicts = ", ".join(
        f"{b['name']} OK" if b["ok"] else f"{b['name']} OVER ({b['time_ratio']:.2f}x)"
        for b in budgets
    )
    lines.append(f"budgets: {limits} -> {verdicts}")
    return "\n".join(lines)
