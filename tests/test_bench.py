"""papershelf bench: synthesis, both real builds, the report. No timing asserts."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from papershelf.devtools.bench import BENCH_SITEURL, BenchError, prepare_workdir
from papershelf.devtools.bench_child import run_child
from papershelf.devtools.chromium import CHROMIUM
from papershelf.devtools.synth import extract_sentences, load_seed_sentences, synthesise, word_count
from papershelf.model import parse_arxiv_id
from papershelf.settings import DEFAULT_KEYWORDS
from papershelf.stage_clock import STAGES

from .sites import ROOT, SHARED

PAPERS = 60
BUILDS = ("plain pelican (full)", "papershelf (full)", "papershelf (rebuild)")
NUMBER = r"\s+\d+\.\d+"
COUNT = r"\s+\d+"


def run_bench_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "papershelf.cli", "bench", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def bundled_bench(tmp_path_factory):
    """One real bench run on the bundled seed text, its sites kept."""
    tmp = tmp_path_factory.mktemp("bench")
    workdir, report = tmp / "work", tmp / "bench.json"
    result = run_bench_cli(
        "--papers", str(PAPERS), "--workdir", str(workdir), "--json", str(report),
        "--seeds", str(tmp / "no-such-seeds"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result, workdir, report


def test_bench_prints_a_row_per_build_and_the_budgets(bundled_bench):
    result, _, _ = bundled_bench
    lines = result.stdout.splitlines()
    assert lines[0] == f"papers: {PAPERS} (seeds: bundled)"
    header = "build wall s peak MiB time ratio memory ratio files output MB"
    assert " ".join(lines[1].split()) == header
    for build, line in zip(BUILDS, lines[2:5], strict=True):
        assert re.fullmatch(re.escape(build) + NUMBER * 4 + COUNT + NUMBER, line), line
    assert re.fullmatch(r"budgets: full <= 1\.25x, rebuild <= 0\.30x -> full \S+.*", lines[5])
    assert lines[6].startswith("stages: ")
    assert " ".join(lines[7].split()) == "stage full s peak MiB RSS MiB rebuild s peak MiB RSS MiB"
    for stage, line in zip(STAGES, lines[8:15], strict=True):
        assert re.fullmatch(re.escape(stage) + NUMBER * 6, line), line
    assert "using the bundled seed text" in result.stderr


def tree_size(root: Path) -> tuple[int, int]:
    files = [path for path in root.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def test_json_holds_each_output_size_and_stage_figures(bundled_bench):
    _, workdir, report_path = bundled_bench
    report = json.loads(report_path.read_text())
    plain, _, rebuild = report["rows"]
    # The last build of each site left its output in place: sizes as on disk.
    assert (plain["files"], plain["output_bytes"]) == tree_size(
        workdir / "plain-pelican" / "output"
    )
    site = tree_size(workdir / "papershelf-site" / "output")
    assert (rebuild["files"], rebuild["output_bytes"]) == site
    assert site[0] > PAPERS  # a page per paper and more
    assert report["rows"][1]["files"] == site[0]  # nothing changed in between
    assert list(report["stages"]) == ["papershelf (full)", "papershelf (rebuild)"]
    for build, stages in report["stages"].items():
        assert list(stages) == list(STAGES), build
        for stage, figures in stages.items():
            assert figures["entered"] >= 1, (build, stage)
            assert figures["seconds"] >= 0 and figures["rss_mib"] > 0, (build, stage)
            assert figures["peak_mib"] >= figures["rss_mib"], (build, stage)
    full = report["stages"]["papershelf (full)"]
    # The full build writes every feed; the rebuild keeps the unchanged ones.
    assert full["feeds"]["entered"] > report["stages"]["papershelf (rebuild)"]["feeds"]["entered"]
    assert sum(figures["seconds"] for figures in full.values()) <= report["rows"][1]["wall_s"]


def test_both_sites_are_really_built(bundled_bench):
    _, workdir, _ = bundled_bench
    plain_output = workdir / "plain-pelican" / "output"
    site_output = workdir / "papershelf-site" / "output"
    plain_pages = {page.stem for page in plain_output.glob("25*.html")}
    paper_pages = {page.parent.name for page in site_output.glob("papers/*/index.html")}
    assert len(plain_pages) == PAPERS
    assert paper_pages == plain_pages
    assert (site_output / "digest" / "index.html").is_file()
    assert (workdir / "papershelf-site" / "cache" / "render-manifest.json").is_file()


def test_the_site_is_built_as_the_deploy_builds_it(bundled_bench):
    """publishconf.py with an address: the bytes measured are those a host stores."""
    _, workdir, _ = bundled_bench
    site_output = workdir / "papershelf-site" / "output"
    paper = next(site_output.glob("papers/*/index.html"))
    html = paper.read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{BENCH_SITEURL}/papers/{paper.parent.name}/">' in html
    assert 'href="../../digest/"' in html  # links between pages stay relative
    assert f"<loc>{BENCH_SITEURL}/papers/" in (site_output / "sitemap.xml").read_text() or any(
        f"<loc>{BENCH_SITEURL}/papers/" in part.read_text()
        for part in site_output.glob("sitemap-*.xml")
    )


def test_json_holds_the_figures(bundled_bench):
    _, _, report_path = bundled_bench
    report = json.loads(report_path.read_text())
    assert report["papers"] == PAPERS
    assert [row["build"] for row in report["rows"]] == list(BUILDS)
    for row in report["rows"]:
        for key in ("wall_s", "peak_mib", "time_ratio", "memory_ratio"):
            assert isinstance(row[key], float) and row[key] > 0, (row["build"], key)
    assert report["rows"][0]["time_ratio"] == report["rows"][0]["memory_ratio"] == 1.0
    assert [b["name"] for b in report["budgets"]] == ["full", "rebuild"]
    assert all(isinstance(b["ok"], bool) for b in report["budgets"])


def test_synthesis_is_deterministic_and_plausible():
    sentences = load_seed_sentences(None)
    first = [p.to_dict() for p in synthesise(250, sentences)]
    again = [p.to_dict() for p in synthesise(250, sentences)]
    assert first == again
    # Paper i does not depend on N: a smaller set is a prefix of a bigger one.
    assert [p.to_dict() for p in synthesise(40, sentences)] == first[:40]

    assert len({p["arxiv_id"] for p in first}) == 250
    assert first[0]["arxiv_id"] == "2512.11001"
    assert len({p["announced"] for p in first}) == 3  # 100 papers a day
    for paper in first:
        assert parse_arxiv_id(paper["arxiv_id"]) == (paper["arxiv_id"], None)
        assert 2 <= len(paper["categories"]) <= 4
        assert paper["categories"][0] == paper["primary_category"]
        assert 2 <= len(paper["authors"]) <= 8
        assert 1 <= len(paper["matched_keywords"]) <= 4
        assert set(paper["matched_keywords"]) <= set(DEFAULT_KEYWORDS)
        assert paper["score"] > 0 and paper["title"]
        assert word_count(paper["abstract"]) >= 150
    assert any(re.search("[\u4e00-\u9fff]", p["abstract"]) for p in first)


def test_sentences_come_out_of_markup_and_mojibake_stays_out():
    document = (
        "# Heading that is not a sentence\n"
        "**Authors**: A, B\n"
        "The [router](https://example.org) sends each token to **two experts** and "
        "balances the load across devices.\n"
        "<details>Short.</details>\n"
        "- ✨ 本文提出了一种新的调度方法，在保证延迟的同时提升了吞吐量。\n"
        "è®ºæ–‡æ€»ç»“ï¼šè¿™æ˜¯ä¹±ç çš„æ–‡æœ¬ã€‚\n"
        "The abstract was cut off in the middle of a long sentence about netw...\n"
    )
    sentences = extract_sentences([document])
    assert sentences.english == (
        "The router sends each token to two experts and balances the load across devices.",
    )
    assert sentences.chinese == ("本文提出了一种新的调度方法，在保证延迟的同时提升了吞吐量。",)


def test_a_failed_build_stops_the_bench_with_a_message(tmp_path):
    job = {"kind": "papershelf", "settings_file": str(tmp_path / "missing.py"), "settings": {}}
    with pytest.raises(BenchError, match="broken build failed"):
        run_child("broken build", job)


def test_a_foreign_workdir_is_not_cleared(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(BenchError, match="not a bench workdir"):
        prepare_workdir(tmp_path)
    assert (tmp_path / "keep.txt").read_text() == "mine"


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds not present")
def test_bench_uses_shared_seeds_by_default(tmp_path):
    sentences = load_seed_sentences(SHARED / "seeds")
    assert len(sentences.english) > 1000 and len(sentences.chinese) > 1000
    result = run_bench_cli("--papers", "20", "--workdir", str(tmp_path / "work"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "papers: 20 (seeds: ../shared/seeds)"
    assert len(list((tmp_path / "work" / "plain-pelican" / "content").glob("*.md"))) == 20


@pytest.mark.skipif(
    not Path(CHROMIUM).exists() or importlib.util.find_spec("pagefind") is None,
    reason="the search bench needs Debian's chromium and pagefind (make test installs both)",
)
def test_search_bench_measures_both_engines_on_the_same_pages(tmp_path):
    report = tmp_path / "bench.json"
    result = run_bench_cli(
        "--papers", "40", "--search", "--json", str(report), "--seeds", str(tmp_path / "none"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("search: "))
    assert lines[first].startswith("search: 40 paper pages, 12 queries")
    assert [line.split()[0] for line in lines[first + 2 : first + 4]] == ["papershelf", "pagefind"]
    figures = json.loads(report.read_text())["search"]
    ours, theirs = figures["engines"]["papershelf"], figures["engines"]["pagefind"]
    assert figures["pages"] == 40 and figures["chinese_queries"]
    for engine in (ours, theirs):
        assert engine["index_bytes"] > 0 and engine["median_first_result_bytes"] > 0
        assert all(row["cold"] > 0 and row["bytes"] > 0 for row in engine["queries"])
    assert ours["index_build_s"] > 0
    # Bigram matching finds every page holding a Chinese string.
    assert ours["chinese_recall"] == 1.0
    assert sum(row["total"] > 0 for row in ours["queries"]) >= 8
    # Known items: the first words of a title no other page has, expected in the top 3.
    assert len(figures["known_items"]) == 24
    assert all(item["url"].startswith("/papers/") for item in figures["known_items"])
    assert ours["known_item_success"] >= 0.9  # titles rank first
    assert 0 <= theirs["known_item_success"] <= 1
    assert "known@3" in lines[first + 1]


def test_bench_add_builds_a_new_day_and_reports_the_daily_build(tmp_path):
    workdir, report_path = tmp_path / "work", tmp_path / "bench.json"
    result = run_bench_cli(
        "--papers", "30", "--add", "7", "--workdir", str(workdir), "--json", str(report_path),
        "--seeds", str(tmp_path / "none"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    daily = "papershelf (daily +7)"
    assert re.fullmatch(re.escape(daily) + NUMBER * 4 + COUNT + NUMBER, lines[5]), lines[5]
    assert re.fullmatch(
        r"budgets: .*, daily <= 0\.30x of full -> .* daily (OK|OVER) \(\S+x\)", lines[6]
    )
    assert "daily +7 s" in lines[8]  # the stages table has the daily build's column
    report = json.loads(report_path.read_text())
    assert report["added"] == 7 and list(report["stages"])[-1] == daily
    full, daily_row = report["rows"][1], report["rows"][3]
    budget = report["budgets"][-1]
    assert budget["against"] == "papershelf (full)"
    assert budget["time_ratio"] == pytest.approx(daily_row["wall_s"] / full["wall_s"])
    # The day's papers are in the archive and on the site, after the 30 others.
    output = workdir / "papershelf-site" / "output"
    pages = {path.parent.name for path in output.glob("papers/*/index.html")}
    assert len(pages) == 37 and daily_row["files"] > full["files"]
    assert (output / "digest" / "2025-12-15" / "index.html").is_file()  # the Monday after
    assert len(list((workdir / "plain-pelican" / "content").glob("*.md"))) == 30


def test_bench_fetch_times_one_day_into_an_empty_and_a_large_archive(tmp_path):
    workdir, report_path = tmp_path / "work", tmp_path / "bench.json"
    result = run_bench_cli(
        "--fetch", "--papers", "40", "--add", "12", "--workdir", str(workdir),
        "--json", str(report_path), "--seeds", str(tmp_path / "none"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"fetch: 12 papers of a new day \(12 kept\) in 4 feeds .*", lines[0])
    assert lines[2].split()[0] == "empty" and lines[3].startswith("40 papers")
    assert re.fullmatch(r"budget: fetch into 40 papers <= 2\.00x .* \(\S+x\)", lines[4])
    figures = json.loads(report_path.read_text())["fetch"]
    assert figures["requests"] == 8  # four feeds, once per archive
    assert figures["time_ratio"] == pytest.approx(
        figures["large"]["wall_s"] / figures["empty"]["wall_s"]
    )
    large = sorted((workdir / "fetch-large" / "data" / "papers").rglob("*.json"))
    empty = sorted((workdir / "fetch-empty" / "data" / "papers").rglob("*.json"))
    assert len(large) == 52 and len(empty) == 12
    assert {path.name for path in empty} <= {path.name for path in large}
