"""The bench's report: figures as rows with ratios against plain Pelican, the budgets,
and where the papershelf builds' time and memory go, stage by stage."""

from __future__ import annotations

from dataclasses import asdict, dataclass

BASELINE = "plain pelican (full)"
PAPERSHELF_FULL = "papershelf (full)"
PAPERSHELF_REBUILD = "papershelf (rebuild)"


def daily_label(added: int) -> str:
    """The row of the rebuild after a day's ``added`` papers (``papershelf bench --add``)."""
    return f"papershelf (daily +{added})"


@dataclass(frozen=True)
class Budget:
    name: str
    build: str
    max_time_ratio: float
    against: str = BASELINE  # the build whose wall time the ratio divides by


# From the developers' guide, for 10,000 papers: time against plain Pelican's full build;
# the daily build (issue 17) against papershelf's own full build.
BUDGETS = (Budget("full", PAPERSHELF_FULL, 1.25), Budget("rebuild", PAPERSHELF_REBUILD, 0.30))
DAILY_BUDGET = 0.30


def budgets_for(rows: list[Row]) -> tuple[Budget, ...]:
    """The budgets, with the daily one when the bench added a day (``--add``)."""
    daily = [row.build for row in rows if row.build.startswith("papershelf (daily")]
    return BUDGETS + tuple(Budget("daily", b, DAILY_BUDGET, PAPERSHELF_FULL) for b in daily)


@dataclass(frozen=True)
class Row:
    build: str
    wall_s: float
    peak_mib: float
    time_ratio: float
    memory_ratio: float
    files: int  # in the output, as the build counted them (papershelf.site.output_size)
    output_bytes: int


def make_rows(measured: list[tuple[str, float, float, dict]]) -> list[Row]:
    """Rows with ratios against the first measurement (plain Pelican's full build);
    each measurement's figures hold the ``output`` size its build counted."""
    _, base_wall, base_peak, _ = measured[0]
    return [
        Row(
            build,
            wall,
            peak,
            wall / base_wall,
            peak / base_peak,
            figures["output"]["files"],
            figures["output"]["total_bytes"],
        )
        for build, wall, peak, figures in measured
    ]


def budget_results(rows: list[Row]) -> list[dict]:
    by_build = {row.build: row for row in rows}
    results = []
    for budget in budgets_for(rows):
        if budget.build not in by_build or budget.against not in by_build:
            continue
        ratio = by_build[budget.build].wall_s / by_build[budget.against].wall_s
        ok = ratio <= budget.max_time_ratio
        results.append({**asdict(budget), "time_ratio": ratio, "ok": ok})
    return results


def format_report(papers: int, seeds: str, rows: list[Row], budgets: list[dict]) -> str:
    lines = [
        f"papers: {papers} (seeds: {seeds})",
        f"{'build':<24}{'wall s':>8}{'peak MiB':>11}{'time ratio':>13}{'memory ratio':>15}"
        f"{'files':>10}{'output MB':>12}",
    ]
    lines += [
        f"{row.build:<24}{row.wall_s:>8.1f}{row.peak_mib:>11.1f}"
        f"{row.time_ratio:>13.2f}{row.memory_ratio:>15.2f}"
        f"{row.files:>10}{row.output_bytes / 1e6:>12.1f}"
        for row in rows
    ]
    limits = ", ".join(
        f"{b['name']} <= {b['max_time_ratio']:.2f}x"
        + (f" of {short(b['against'])}" if b["against"] != BASELINE else "")
        for b in budgets
    )
    verdicts = ", ".join(
        f"{b['name']} {'OK' if b['ok'] else 'OVER'} ({b['time_ratio']:.2f}x)" for b in budgets
    )
    lines.append(f"budgets: {limits} -> {verdicts}")
    return "\n".join(lines)


def format_stages(stages: dict[str, dict[str, dict]]) -> str:
    """One row per stage, a column group per build: wall seconds without inner
    stages, and the child's peak and current resident set at the stage's end."""
    builds = list(stages)
    names = list(stages[builds[0]]) if builds else []
    lines = [
        "stages: wall s (inner stages left out), peak and resident MiB at each stage's end",
        f"{'stage':<10}"
        + "".join(f"{short(build) + ' s':>16}{'peak MiB':>10}{'RSS MiB':>9}" for build in builds),
    ]
    for name in names:
        cells = "".join(
            f"{figures['seconds']:>16.2f}{figures['peak_mib']:>10.1f}{figures['rss_mib']:>9.1f}"
            for figures in (stages[build][name] for build in builds)
        )
        lines.append(f"{name:<10}{cells}")
    return "\n".join(lines)


def short(build: str) -> str:
    """``papershelf (rebuild)`` -> ``rebuild``."""
    return build.rpartition("(")[2].rstrip(")") or build
