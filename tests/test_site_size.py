"""The size guard on a small site: every build tells its output's size as the tree
has it, and a publishing build over the host's limits stops before anything
replaces the output, which then stays as it was."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from papershelf.cli import main
from papershelf.errors import BuildError, SiteTooLarge
from papershelf.site import output_size, staging
from papershelf.site.build import run_pelican

from .sites import FEEDS, ROOT, build, fetch, site_settings, tree_bytes

NOTE = (
    "Title: A note that changes the home page\nArxiv: 2512.99999\nDate: 2025-12-20\n"
    "Tags: LLM\n\nA body that is new.\n"
)
REPORT = re.compile(
    r"output: (?P<files>[\d,]+) files, (?P<size>[\d.,]+ (?:bytes|KB|MB)) "
    r"\((?P<share>\d+\.\d)% of PAPERSHELF_MAX_SITE_BYTES\); "
    r"largest file (?P<largest>\S+) (?P<largest_size>[\d.,]+ (?:bytes|KB|MB))"
)


def on_disk(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): p.stat().st_size for p in root.rglob("*") if p.is_file()
    }


@pytest.fixture
def small_site(tmp_path):
    settings = site_settings(tmp_path)
    assert fetch(settings, FEEDS / "day1-cs.CL.new-and-cross.rss.xml")[0] == 0
    return tmp_path, settings


def test_every_build_reports_the_size_the_output_tree_has(small_site):
    _, settings = small_site
    first = run_pelican(settings)
    output = Path(settings["OUTPUT_PATH"])
    files = on_disk(output)
    largest = max(files.values())
    for built in (first, run_pelican(settings)):  # a rebuild keeps files: counted too
        assert built.size.files == len(files) > 20
        assert built.size.total_bytes == sum(files.values())
        assert built.size.largest_bytes == largest == files[built.size.largest_file]
        assert sum(size for _, size in built.size.parts) == sum(files.values())
        line = REPORT.fullmatch(built.report)
        assert line, built.report
        assert int(line["files"].replace(",", "")) == len(files)
        assert line["size"] == output_size.shown_bytes(sum(files.values()))
        assert line["largest"] == built.size.largest_file
        assert built.warnings == []
    stages = first.stages
    assert list(stages) == ["read", "merge", "related", "search", "render", "feeds", "stage"]
    assert all(figures["entered"] >= 1 and figures["seconds"] >= 0 for figures in stages.values())


def test_a_publishing_build_over_the_site_limit_leaves_the_output_as_it_was(small_site):
    root, settings = small_site
    built = run_pelican(settings)
    output = Path(settings["OUTPUT_PATH"])
    before = tree_bytes(output)
    notes = root / "content" / "notes"
    notes.mkdir(parents=True, exist_ok=True)
    (notes / "new.md").write_text(NOTE, encoding="utf-8")
    limit = built.size.total_bytes // 2
    publishing = site_settings(root, PAPERSHELF_PUBLISHING=True, PAPERSHELF_MAX_SITE_BYTES=limit)
    with pytest.raises(SiteTooLarge) as raised:
        build(publishing)
    assert isinstance(raised.value, BuildError) and raised.value.exit_status == 2
    message = str(raised.value)
    assert f"over PAPERSHELF_MAX_SITE_BYTES ({output_size.shown_bytes(limit)})" in message
    biggest, size = built.size.parts[0]
    assert f"largest parts: {biggest} " in message and "\n" not in message
    assert "raise PAPERSHELF_MAX_SITE_BYTES" in message and "unchanged" in message
    assert tree_bytes(output) == before
    assert not staging.staging_folder(output).exists()
    # The failed build's caches know pages the output never got: the next build
    # writes them again, not keeping the old ones it finds in place.
    build(site_settings(root, PAPERSHELF_PUBLISHING=True))
    fresh = build(
        site_settings(
            root,
            PAPERSHELF_PUBLISHING=True,
            OUTPUT_PATH=str(root / "fresh"),
            CACHE_PATH=str(root / "fresh-cache"),
        )
    )
    assert (output / "papers" / "2512.99999" / "index.html").is_file()
    assert tree_bytes(output) == tree_bytes(fresh)


def test_a_file_over_the_file_limit_stops_a_publishing_build_naming_it(small_site):
    root, settings = small_site
    built = run_pelican(settings)
    limit = built.size.largest_bytes - 1
    publishing = site_settings(root, PAPERSHELF_PUBLISHING=True, PAPERSHELF_MAX_FILE_BYTES=limit)
    with pytest.raises(SiteTooLarge) as raised:
        build(publishing)
    message = str(raised.value)
    assert message.startswith(f"{built.size.largest_file} is ")
    assert "over PAPERSHELF_MAX_FILE_BYTES" in message
    assert "PAPERSHELF_MAX_SITE_BYTES" not in message


def test_a_local_build_over_the_limits_is_built_and_warned_about(small_site):
    root, settings = small_site
    total = run_pelican(settings).size.total_bytes
    local = site_settings(root, PAPERSHELF_MAX_SITE_BYTES=total // 2, PAPERSHELF_MAX_FILE_BYTES=10)
    built = run_pelican(local)
    assert [w.split(" is ")[0] for w in built.warnings] == ["output", built.size.largest_file]
    assert all("a publishing build stops above 100%" in w for w in built.warnings)
    assert "(200.0% of PAPERSHELF_MAX_SITE_BYTES)" in built.report
    assert (Path(local["OUTPUT_PATH"]) / built.size.largest_file).is_file()


def test_the_warning_starts_at_80_percent_of_either_limit(small_site):
    _, settings = small_site
    size = run_pelican(settings).size
    at = {"PAPERSHELF_MAX_SITE_BYTES": size.total_bytes * 100 // 80}
    at["PAPERSHELF_MAX_FILE_BYTES"] = size.largest_bytes * 100 // 80
    below = {key: value + value // 10 for key, value in at.items()}
    assert len(output_size.near_limits(size, at)) == 2
    assert output_size.near_limits(size, below) == []
    assert output_size.over_limits(size, at) == []


def test_the_cli_prints_the_report_and_stops_an_oversized_publishing_build(
    small_site, tmp_path, capsys
):
    root, settings = small_site
    conf = tmp_path / "publish.py"
    conf.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from publishconf import *  # noqa\n"
        f"PATH = {settings['PATH']!r}\n"
        f"CACHE_PATH = {settings['CACHE_PATH']!r}\n"
        f"ARXIV_ARCHIVE_PATH = {str(root / 'data')!r}\n"
        "DEFAULT_LANG = 'en'\n"
        "SITEURL = 'https://example.org'\n"
        "PAPERSHELF_MAX_SITE_BYTES = 50_000\n",
        encoding="utf-8",
    )
    output = tmp_path / "site"
    assert main(["--settings", str(conf), "build", "--output", str(output)]) == 2
    told = capsys.readouterr()
    (line,) = [line for line in told.err.splitlines() if line.startswith("papershelf: ")]
    assert re.match(
        r"papershelf: output is [\d.]+ KB, over PAPERSHELF_MAX_SITE_BYTES \(50 KB\)", line
    )
    assert not output.exists() and "output: " not in told.out
    conf.write_text(conf.read_text().replace("50_000\n", "10**9\n"), encoding="utf-8")
    assert main(["--settings", str(conf), "build", "--output", str(output)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[-1] == f"site built in {output}"
    report = REPORT.fullmatch(printed[-2])  # after Pelican's own lines
    assert report and int(report["files"].replace(",", "")) == len(on_disk(output))
    shutil.rmtree(output)
