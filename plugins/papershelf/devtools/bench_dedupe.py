"""``papershelf bench --dedupe``: the cost of finding duplicates, at two sizes.

Each size runs in its own child process (its peak memory is its own): N
synthetic papers (synth.py), every other one made a paper-explorer record (a
local id, a derived title: local records are compared with each other, arXiv
ones only with them), and every ``COPY_EVERY``-th replaced by a copy of the paper
before it (a local id, the abstract upper-cased and cut short); then
``find_links`` over all of them. The time is
the candidate finding and matching only; memory is the peak RSS, with the
records alone (before finding) beside it.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from papershelf.devtools.bench import choose_seeds, project_root
from papershelf.devtools.synth import load_seed_sentences, synthesise
from papershelf.ingest.dedupe import find_links
from papershelf.model import Paper

COPY_EVERY = 100


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_records(count: int, seeds: Path | None = None) -> dict[str, Paper]:
    papers: dict[str, Paper] = {}
    previous = None
    for index, paper in enumerate(synthesise(count, load_seed_sentences(seeds))):
        if previous is not None and index % COPY_EVERY == 0:
            cut = previous.abstract[: len(previous.abstract) * 2 // 3] + "…"
            paper = Paper(
                arxiv_id=f"pe-{index:010x}",
                title="A guessed title",
                abstract=cut.upper(),
                extra={"title_derived": True},
            )
        elif index % 2:
            extra = {"title_derived": True}
            paper = Paper(f"pe-{index:010x}", paper.title, abstract=paper.abstract, extra=extra)
        papers[paper.arxiv_id] = paper
        previous = paper
    return papers


def measure(count: int, seeds: Path | None = None) -> dict:
    """In this process: records, then the finding, timed."""
    papers = synthetic_records(count, seeds)
    records_mb = _peak_mb()
    started = time.perf_counter()
    links = find_links(papers)
    seconds = time.perf_counter() - started
    return {
        "records": len(papers),
        "copies": max(0, (count - 1) // COPY_EVERY),
        "merges": len(links),
        "seconds": round(seconds, 2),
        "peak_mb": round(_peak_mb(), 1),
        "records_mb": round(records_mb, 1),
    }


def run_dedupe_bench(sizes: list[int], requested_seeds: str | None = None) -> list[dict]:
    """Each size in a child process; the seeds as ``papershelf bench`` chooses them."""
    seeds = choose_seeds(requested_seeds, project_root())
    results = []
    for size in sizes:
        child = subprocess.run(
            [sys.executable, "-m", "papershelf.devtools.bench_dedupe", str(size), str(seeds or "")],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(child.stdout))
    return results


def format_dedupe_report(results: list[dict]) -> str:
    lines = ["duplicate finding (find_links) on synthetic records:"]
    for row in results:
        lines.append(
            f"  {row['records']:>7} records: {row['seconds']:6.2f} s, "
            f"{row['merges']} merges found, peak {row['peak_mb']:.0f} MB "
            f"(records alone {row['records_mb']:.0f} MB)"
        )
    if len(results) >= 2 and results[0]["seconds"]:
        small, large = results[0], results[-1]
        growth = large["seconds"] / small["seconds"]
        lines.append(
            f"  {large['records'] / small['records']:.0f}x the records took {growth:.1f}x the time"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    seeds_arg = sys.argv[2] if len(sys.argv) > 2 else ""
    print(json.dumps(measure(int(sys.argv[1]), Path(seeds_arg) if seeds_arg else None)))
