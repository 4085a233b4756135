"""The bench's child processes: one per step, so each step's peak memory is its own.

The parent (papershelf.devtools.bench) runs ``python -m
papershelf.devtools.bench_child JOB``, JOB a JSON object: synthesise the inputs,
or build one site. A build writes what only the child can see, its output's
size and its stages' figures (papershelf.stage_clock), to the JSON file the job
names; the parent reads it back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from papershelf.archive import Archive
from papershelf.errors import BenchError
from papershelf.model import Paper
from papershelf.progress import Progress

PLAIN_DIR = "plain-pelican"
SITE_DIR = "papershelf-site"


def paper_markdown(paper: Paper) -> str:
    """A plain Pelican Markdown article for one paper."""
    return (
        f"Title: {paper.title}\n"
        f"Date: {paper.announced}\n"
        f"Category: {paper.primary_category}\n"
        f"Tags: {', '.join(paper.matched_keywords)}\n"
        f"Authors: {', '.join(paper.authors)}\n"
        f"Slug: {paper.arxiv_id}\n"
        f"\n{paper.abstract}\n"
    )


def write_inputs(count: int, seeds_dir: Path | None, workdir: Path) -> None:
    """Synthesise ``count`` papers into the archive and the Markdown content dir."""
    from papershelf.devtools.synth import load_seed_sentences, synthesise

    sentences = load_seed_sentences(seeds_dir)
    archive = Archive(workdir / SITE_DIR / "data")
    (workdir / SITE_DIR / "content").mkdir(parents=True, exist_ok=True)
    content = workdir / PLAIN_DIR / "content"
    content.mkdir(parents=True, exist_ok=True)
    progress = Progress("bench: synthesising papers", count, every=2.0)
    for paper in synthesise(count, sentences):
        archive.save([paper])
        (content / f"{paper.arxiv_id}.md").write_text(paper_markdown(paper), "utf-8")
        progress.step(paper.arxiv_id)
    progress.done()


def add_day(count: int, after: int, seeds_dir: Path | None, workdir: Path) -> None:
    """Add ``count`` papers of a new announcement day to the built site's archive,
    as a day's fetch would (plain Pelican's content is left as it is)."""
    from papershelf.devtools.synth import load_seed_sentences, synthesise_next_day

    archive = Archive(workdir / SITE_DIR / "data")
    archive.save(synthesise_next_day(count, after, load_seed_sentences(seeds_dir)))


def run_fetch_job(job: dict) -> None:
    """The fetch bench's steps (bench_fetch.py): the large archive, the day's feeds,
    one fetch."""
    from papershelf.devtools import bench_feeds
    from papershelf.devtools.synth import load_seed_sentences, next_day, synthesise_next_day

    workdir = Path(job.get("workdir") or ".")
    seeds = Path(job["seeds"]) if job.get("seeds") else None
    if job["kind"] == "archive":
        from papershelf.devtools.synth import synthesise

        archive = Archive(workdir / bench_feeds.LARGE / "data")
        progress = Progress("bench: synthesising papers", job["papers"], every=2.0)
        for paper in synthesise(job["papers"], load_seed_sentences(seeds)):
            archive.save([paper])
            progress.step(paper.arxiv_id)
        progress.done()
    elif job["kind"] == "feeds":
        day = list(synthesise_next_day(job["add"], job["papers"], load_seed_sentences(seeds)))
        folder = workdir / bench_feeds.FEEDS
        folder.mkdir(parents=True, exist_ok=True)
        for category, data in bench_feeds.rss_feeds(day, next_day()).items():
            (folder / f"{category}.xml").write_bytes(data)
    else:
        from papershelf.config import load_settings
        from papershelf.ingest.fetch import run_fetch

        settings = load_settings(job["settings_file"], job["settings"])
        if run_fetch(settings["PAPERSHELF_VALIDATED"], out=sys.stderr) != 0:
            raise BenchError("a feed failed", fix="see the lines above")


def run_child(label: str, job: dict) -> tuple[float, float, dict]:
    """Run one job in a child process; return its wall seconds, peak MiB and the
    figures it wrote (``{}`` for a job that writes none)."""
    print(f"bench: {label} ...", file=sys.stderr, flush=True)
    sys.stdout.flush()
    command = [sys.executable, "-m", "papershelf.devtools.bench_child", json.dumps(job)]
    started = time.perf_counter()
    # Pelican prints to stdout: send it to stderr so stdout holds only the table.
    child = subprocess.Popen(command, stdout=sys.__stderr__.fileno())
    _, status, usage = os.wait4(child.pid, 0)
    wall_s = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise BenchError(
            f"{label} failed (exit status {child.returncode})", fix="see the messages above"
        )
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    peak_mib = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    print(f"bench: {label}: {wall_s:.1f} s, {peak_mib:.0f} MiB", file=sys.stderr, flush=True)
    figures_file = job.get("figures_file")
    figures = json.loads(Path(figures_file).read_text("utf-8")) if figures_file else {}
    return wall_s, peak_mib, figures


def run_job(job: dict) -> None:
    """What a child process does: synthesise the inputs or build one site."""
    if job["kind"] == "synthesise":
        seeds = job["seeds"]
        write_inputs(job["papers"], Path(seeds) if seeds else None, Path(job["workdir"]))
        return
    if job["kind"] in ("archive", "feeds", "fetch"):
        run_fetch_job(job)
        return
    if job["kind"] == "add":
        seeds = job["seeds"]
        add_day(job["add"], job["papers"], Path(seeds) if seeds else None, Path(job["workdir"]))
        return
    from pelican.settings import read_settings

    from papershelf.config import load_settings
    from papershelf.site.build import run_pelican

    if job["kind"] == "plain":
        built = run_pelican(read_settings(None, override=job["settings"]))
    else:
        os.environ.update(job.get("environment", {}))  # read by the settings file
        built = run_pelican(load_settings(job["settings_file"], job["settings"]))
    if job.get("figures_file"):
        figures = {"output": asdict(built.size), "stages": built.stages}
        Path(job["figures_file"]).write_text(json.dumps(figures), "utf-8")


def child_main(argv: list[str]) -> int:
    import logging

    from papershelf.errors import PapershelfError

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        run_job(json.loads(argv[0]))
    except (PapershelfError, ValueError, OSError) as error:
        print(f"papershelf bench: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
