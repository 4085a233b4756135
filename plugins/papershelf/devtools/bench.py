"""``papershelf bench``: time papershelf against plain Pelican on the same papers.

Synthesises N papers (see synth.py), writes them both as a papershelf archive
and as plain Markdown articles, then builds: plain Pelican (no plugins, default
theme), papershelf, and papershelf again with nothing changed. Each step runs
in its own child process so its peak memory is its own. The parent stays small
(it does not even import Pelican) because on Linux a child's peak RSS counts
its parent's RSS at fork time.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from papershelf.devtools.bench_child import PLAIN_DIR, SITE_DIR, run_child
from papershelf.devtools.bench_report import (
    BASELINE,
    PAPERSHELF_FULL,
    PAPERSHELF_REBUILD,
    Row,
    budget_results,
    daily_label,
    format_report,
    format_stages,
    make_rows,
)
from papershelf.errors import BenchError

MARKER = ".papershelf-bench"  # marks a workdir the bench may clear
# --- where things are ---------------------------------------------------------------


def project_root() -> Path:
    """The checkout holding pelicanconf.py, theme/ and plugins/papershelf/."""
    root = Path(__file__).resolve().parents[3]
    if not (root / "pelicanconf.py").is_file():
        raise BenchError(
            "no pelicanconf.py",
            where=root,
            fix="run the bench from a papershelf checkout (pip install -e .), "
            "not from an installed wheel",
        )
    return root


def choose_seeds(requested: str | None, root: Path) -> Path | None:
    """The seeds directory to use, or None for the bundled seed text."""
    if requested is None:
        shared = root.parent / "shared" / "seeds"
        return shared if shared.is_dir() else None
    if Path(requested).is_dir():
        return Path(requested)
    print(
        f"papershelf bench: {requested}: no such directory; using the bundled seed text",
        file=sys.stderr,
    )
    return None


def seeds_label(seeds_dir: Path | None) -> str:
    return os.path.relpath(seeds_dir) if seeds_dir else "bundled"


def prepare_workdir(path: Path) -> None:
    """Create ``path``, or clear the bench's own directories from an earlier run."""
    foreign = path.exists() and not (path / MARKER).exists()
    if foreign and (not path.is_dir() or any(path.iterdir())):
        raise BenchError(
            "not empty and not a bench workdir", where=path, fix="give a new or empty directory"
        )
    path.mkdir(parents=True, exist_ok=True)
    (path / MARKER).touch()
    for name in (PLAIN_DIR, SITE_DIR):
        shutil.rmtree(path / name, ignore_errors=True)


# --- the builds ---------------------------------------------------------------------


def plain_settings(workdir: Path) -> dict:
    """Pelican's defaults (default theme) with no plugins, only paths set."""
    site = workdir / PLAIN_DIR
    return {
        "PATH": str(site / "content"),
        "OUTPUT_PATH": str(site / "output"),
        "CACHE_PATH": str(site / "cache"),
        "SITEURL": "",
        "TIMEZONE": "UTC",
        "PLUGINS": [],  # None would load every installed namespace plugin
    }


# The site is built as the deploy workflow builds it (publishconf.py, the site's
# address set), so its bytes are those a host stores: canonical links, the sitemap
# and feeds carry the address. A GitHub Pages project site's.
BENCH_SITEURL = "https://papershelf.github.io/papershelf"


def papershelf_overrides(workdir: Path, root: Path) -> dict:
    """The project's publishconf.py, pointed at the bench's archive and output (its
    SITEURL is ``BENCH_SITEURL``, given through the environment as the deploy gives
    it). A site over the host's limits is measured, not refused. The interface is
    English: a Chinese one would put its own words (标签, 摘要) on every page, and the
    search measures would count them as the papers' text."""
    site = workdir / SITE_DIR
    return {
        "PAPERSHELF_PUBLISHING": False,
        "DEFAULT_LANG": "en",
        "PATH": str(site / "content"),
        "OUTPUT_PATH": str(site / "output"),
        "CACHE_PATH": str(site / "cache"),
        "ARXIV_ARCHIVE_PATH": str(site / "data"),
        "THEME": str(root / "theme"),
        "PLUGIN_PATHS": [str(root / "plugins")],
    }


# --- the command --------------------------------------------------------------------


def bench_in(
    workdir: Path,
    papers: int,
    seeds_dir: Path | None,
    root: Path,
    search: bool = False,
    add: int = 0,
) -> tuple[list[Row], dict[str, dict], dict | None]:
    """The rows of the builds, the papershelf builds' stages and the search figures.
    With ``add``, a day of that many papers is added after the rebuild and the site
    built again: the daily build."""
    prepare_workdir(workdir)
    synthesise_job = {
        "kind": "synthesise",
        "papers": papers,
        "seeds": str(seeds_dir) if seeds_dir else None,
        "workdir": str(workdir),
    }
    run_child(f"synthesising {papers} papers", synthesise_job)
    plain_job = {"kind": "plain", "settings": plain_settings(workdir)}
    papershelf_job = {
        "kind": "papershelf",
        "settings_file": str(root / "publishconf.py"),
        "environment": {"SITEURL": BENCH_SITEURL},
        "settings": papershelf_overrides(workdir, root),
    }
    steps = [
        (BASELINE, plain_job),
        (PAPERSHELF_FULL, papershelf_job),
        # Same job again: the full build's output and caches, nothing changed.
        (PAPERSHELF_REBUILD, papershelf_job),
    ]
    if add:
        # A day's papers into the archive the rebuild left, then the same job again.
        add_job = dict(synthesise_job, kind="add", add=add)
        steps.append((f"adding {add} papers of a new day", add_job))
        steps.append((daily_label(add), papershelf_job))
    measured = []
    for number, (label, job) in enumerate(steps):
        if job["kind"] == "add":
            run_child(label, job)
            continue
        # Each build tells its output's size and its stages in a file of its own.
        job = dict(job, figures_file=str(workdir / f"figures-{number}.json"))
        measured.append((label, *run_child(label, job)))
    rows = make_rows(measured)
    stages = {label: figures["stages"] for label, _, _, figures in measured if label != BASELINE}
    if not search:
        return rows, stages, None
    from papershelf.devtools.bench_search import measure, search_index_seconds

    print("bench: search, papershelf and Pagefind ...", file=sys.stderr, flush=True)
    site = workdir / SITE_DIR
    return rows, stages, measure(site / "output", search_index_seconds(site / "cache"))


def run_bench(args) -> int:
    """``papershelf bench``; a BenchError goes to the CLI, which prints it as one line."""
    if args.papers < 1:
        raise BenchError(f"--papers {args.papers} is too few", fix="give at least 1 paper")
    add = getattr(args, "add", 0) or 0
    if add < 0:
        raise BenchError(f"--add {add} is negative", fix="give the papers of a day, e.g. --add 300")
    root = project_root()
    seeds_dir = choose_seeds(args.seeds, root)
    search = getattr(args, "search", False)
    if search:
        check_search_tools()
    if args.workdir:
        workdir = Path(args.workdir).resolve()
        rows, stages, figures = bench_in(workdir, args.papers, seeds_dir, root, search, add)
        print(f"bench: sites kept in {args.workdir}", file=sys.stderr)
    else:
        with tempfile.TemporaryDirectory(prefix="papershelf-bench-") as workdir:
            rows, stages, figures = bench_in(
                Path(workdir), args.papers, seeds_dir, root, search, add
            )
    budgets = budget_results(rows)
    label = seeds_label(seeds_dir)
    print(format_report(args.papers, label, rows, budgets))
    print(format_stages(stages))
    if figures:
        from papershelf.devtools.bench_search import format_search_report

        print(format_search_report(figures))
    if getattr(args, "json", None):
        report = {
            "papers": args.papers,
            "added": add,
            "seeds": label,
            "baseline": BASELINE,
            "rows": [asdict(row) for row in rows],
            "budgets": budgets,
            "stages": stages,
            "search": figures,
        }
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    return 0


def check_search_tools() -> None:
    """The search bench needs Playwright, Debian's Chromium and Pagefind: say so up front."""
    import importlib.util

    from papershelf.devtools.chromium import CHROMIUM

    missing = [
        hint
        for ok, hint in (
            (importlib.util.find_spec("playwright"), "playwright (pip install -e '.[test]')"),
            (importlib.util.find_spec("pagefind"), "pagefind (pip install -e '.[test]')"),
            (Path(CHROMIUM).exists(), f"{CHROMIUM} (apt-get install chromium)"),
        )
        if not ok
    ]
    if missing:
        raise BenchError("--search needs " + ", ".join(missing))
