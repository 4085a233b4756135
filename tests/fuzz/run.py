"""`make fuzz SECONDS=N`: each atheris harness for its share of N seconds, from a
corpus seeded with tests/fixtures (and ../shared's seeds and fixtures when present);
prints executions and crashes per harness; exit status 1 if any crashed.

Crash inputs are kept in cache/fuzz/crashes/ (``<harness>-crash-<hash>``): minimise
one with ``python tests/fuzz/fuzz_X.py -minimize_crash=1 FILE``, then add it to
tests/fixtures/fuzz/ with a test (tests/test_fuzz_regressions.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
WORK = ROOT / "cache" / "fuzz"
QUERIES = [
    "speculative decoding",
    '"mixture of experts" -dense',
    'tag:moe tag:"mixture of experts" quant* attension~1',
    "混合专家 推理 cat:cs.CL year:2025 after:2025-10-01 before:2025-10",
    "+rl -reward rating:>=4 has:note source:feed",
    "llm~2 kv* 稀疏注意力",
]


def _files(*patterns: str, root: Path = FIXTURES) -> list[Path]:
    # Not the deep-nesting case: each run of it takes a second, and the fuzzer starves.
    found = {path for pattern in patterns for path in root.glob(pattern) if path.is_file()}
    return sorted(path for path in found if "deep" not in path.name)


def seeds() -> dict[str, list[Path]]:
    shared_feeds = _files("fixtures/arxiv/**/*", root=SHARED) if SHARED.is_dir() else []
    shared_text = _files("seeds/*", root=SHARED) if SHARED.is_dir() else []
    return {
        "feed": _files("feeds/*", "resolve/*", "fuzz/feed-*") + shared_feeds,
        "note": _files("notes/*", "search/*", "awesome/*", "fuzz/note-*", "fuzz/tags-*")
        + shared_text,
        "query": _files("fuzz/query-*"),
    }


def corpus(name: str, files: list[Path]) -> Path:
    folder = WORK / "corpus" / name
    folder.mkdir(parents=True, exist_ok=True)
    for path in files:
        data = path.read_bytes()[:64_000]  # libFuzzer mutates small inputs best
        (folder / f"seed-{path.parent.name}-{path.name}").write_bytes(data)
    if name == "query":
        for number, query in enumerate(QUERIES):
            (folder / f"seed-query-{number}").write_text(query, encoding="utf-8")
    return folder


def run(name: str, seconds: int, crashes: Path) -> tuple[int, int]:
    """(executions, crashes) of one harness's run."""
    before = set(crashes.iterdir())
    result = subprocess.run(
        [
            sys.executable,
            str(HERE / f"fuzz_{name}.py"),
            str(corpus(name, seeds()[name])),
            f"-max_total_time={seconds}",
            f"-artifact_prefix={crashes}/{name}-",
            "-print_final_stats=1",
            "-rss_limit_mb=4096",
            "-timeout=30",
            "-max_len=65536",
        ],
        cwd=HERE,
        capture_output=True,
        text=True,
    )
    found = re.search(r"stat::number_of_executed_units:\s*(\d+)", result.stderr)
    executions = int(found[1]) if found else 0
    # libFuzzer also keeps inputs slower than 10 s (slow-unit-*): reported, not crashes.
    new = sorted(set(crashes.iterdir()) - before)
    for path in new:
        if path.name.startswith(f"{name}-slow-unit-"):
            print(f"--- {name}: slow input {path.relative_to(ROOT)}")
    new = [path for path in new if not path.name.startswith(f"{name}-slow-unit-")]
    failed = len(new) or int(result.returncode != 0)
    if failed:
        tail = result.stderr.strip().splitlines()[-25:]
        print(f"--- {name}: exit status {result.returncode}", *tail, sep="\n")
        for path in new:
            print(f"--- {name}: crash input {path.relative_to(ROOT)}")
    return executions, failed


def main(argv: list[str]) -> int:
    seconds = int(argv[1]) if len(argv) > 1 else 60
    names = tuple(argv[2:]) or ("feed", "note", "query")  # or only those named
    share = max(1, seconds // len(names))
    crashes = WORK / "crashes"
    shutil.rmtree(WORK / "corpus", ignore_errors=True)
    crashes.mkdir(parents=True, exist_ok=True)
    total = 0
    print(f"fuzzing {', '.join(names)} for {share} s each")
    for name in names:
        executions, failed = run(name, share, crashes)
        total += failed
        print(f"{name:>6}: {executions:>9,} executions, {failed} crash(es)")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
