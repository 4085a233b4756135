"""``papershelf bench --fetch``: a day's fetch into an empty archive and into a large one.

The day is ``--add`` synthetic papers of a new announcement day (synth.py), written
as one arXiv-shaped RSS feed per category (a paper in the feed of each of its
categories, as arXiv cross-lists it) and served on 127.0.0.1 (bench_server.py).
Each fetch is the real ``run_fetch`` with the configured categories' feed URLs
pointed at that server, in its own child process (bench_child.py), so its wall
time and peak memory are its own: first into an empty archive, then into an
archive of ``--papers`` synthetic papers. What the large archive adds is the
fetch's reading of the archive; the budget is 2x the empty one.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from papershelf.devtools.bench import choose_seeds, prepare_workdir, project_root
from papershelf.devtools.bench_child import run_child
from papershelf.devtools.bench_feeds import EMPTY, FEEDS, LARGE
from papershelf.devtools.bench_server import base_url, counting_server
from papershelf.devtools.synth import CATEGORIES
from papershelf.errors import BenchError

DEFAULT_DAY = 300  # papers of the day when --add is not given
FETCH_BUDGET = 2.0  # the large archive's fetch against the empty one's


def fetch_overrides(site: Path, feeds_url: str, day_papers: int) -> dict:
    """Settings of a bench fetch: the bench's feeds, no pause between requests, the
    default keywords (the synthetic papers are tagged with them) and room for the day."""
    from papershelf.settings import DEFAULT_KEYWORDS

    return {
        "ARXIV_ARCHIVE_PATH": str(site / "data"),
        "ARXIV_CATEGORIES": list(CATEGORIES),
        "ARXIV_FEED_URL": feeds_url + "{category}.xml",
        "ARXIV_REQUEST_INTERVAL": 0,
        "ARXIV_KEYWORDS": dict(DEFAULT_KEYWORDS),
        "ARXIV_EXCLUDE_KEYWORDS": [],
        "ARXIV_MAX_PAPERS_PER_DAY": max(day_papers, 1),
    }


def fetch_bench_in(workdir: Path, papers: int, day: int, seeds: Path | None, root: Path) -> dict:
    prepare_workdir(workdir)
    job = {"papers": papers, "add": day, "seeds": str(seeds) if seeds else None}
    run_child(f"synthesising {papers} papers", dict(job, kind="archive", workdir=str(workdir)))
    run_child(f"writing the feeds of {day} papers", dict(job, kind="feeds", workdir=str(workdir)))
    figures = {"papers": papers, "added": day}
    with counting_server(workdir / FEEDS) as server:
        for label, site in (("empty", EMPTY), ("large", LARGE)):
            overrides = fetch_overrides(workdir / site, base_url(server), day)
            fetch_job = {
                "kind": "fetch",
                "settings_file": str(root / "pelicanconf.py"),
                "settings": overrides,
            }
            wall, peak, _ = run_child(f"fetch into the {label} archive", fetch_job)
            figures[label] = {"wall_s": wall, "peak_mib": peak}
        figures["requests"] = len(server.requests)
    figures["kept"] = sum(1 for _ in (workdir / EMPTY / "data" / "papers").rglob("*.json"))
    if not figures["kept"]:
        raise BenchError("the fetch into an empty archive kept no paper", fix="see above")
    figures["time_ratio"] = figures["large"]["wall_s"] / figures["empty"]["wall_s"]
    figures["budget"] = FETCH_BUDGET
    figures["ok"] = figures["time_ratio"] <= FETCH_BUDGET
    return figures


def format_fetch_report(figures: dict) -> str:
    large = f"{figures['papers']} papers"
    lines = [
        f"fetch: {figures['added']} papers of a new day ({figures['kept']} kept) in "
        f"{len(CATEGORIES)} feeds over HTTP on 127.0.0.1",
        f"{'archive':<16}{'wall s':>8}{'peak MiB':>11}",
        f"{'empty':<16}{figures['empty']['wall_s']:>8.2f}{figures['empty']['peak_mib']:>11.1f}",
        f"{large:<16}{figures['large']['wall_s']:>8.2f}{figures['large']['peak_mib']:>11.1f}",
        f"budget: fetch into {large} <= {figures['budget']:.2f}x into an empty archive -> "
        f"{'OK' if figures['ok'] else 'OVER'} ({figures['time_ratio']:.2f}x)",
    ]
    return "\n".join(lines)


def run_fetch_bench(args) -> int:
    if args.papers < 1:
        raise BenchError(f"--papers {args.papers} is too few", fix="give at least 1 paper")
    day = args.add or DEFAULT_DAY
    if day < 1:
        raise BenchError(f"--add {day} is too few", fix="give the papers of a day, e.g. --add 300")
    root = project_root()
    seeds = choose_seeds(args.seeds, root)
    if args.workdir:
        figures = fetch_bench_in(Path(args.workdir).resolve(), args.papers, day, seeds, root)
    else:
        with tempfile.TemporaryDirectory(prefix="papershelf-bench-") as workdir:
            figures = fetch_bench_in(Path(workdir), args.papers, day, seeds, root)
    print(format_fetch_report(figures))
    if getattr(args, "json", None):
        Path(args.json).write_text(json.dumps({"fetch": figures}, indent=2) + "\n", "utf-8")
    return 0
