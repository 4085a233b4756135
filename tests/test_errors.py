"""Bad input ends in one line and exit status 2, never a traceback: real processes
of the console script on small sites, for check, fetch, import, new-note and build.

Each run's stderr must be exactly one line, ``papershelf: path:line: message (fix)``,
naming the file (or the setting), and a failed build must leave the output as it was.
"""

import signal
import subprocess
import time
from pathlib import Path

import pytest

from .httpserver import Answer
from .sites import FEEDS, default_sigint, tree_bytes
from .test_fetch_concurrency import PAPERSHELF
from .test_oversized_input import site_project

FIXTURES = Path(__file__).parent / "fixtures"
FEED = FEEDS / "day1-cs.CL.new-and-cross.rss.xml"
API_ANSWER = FEEDS / "api-answer.xml"  # holds arXiv 2512.00007
DIGEST = FIXTURES / "arxiv_bot" / "ranked-papers.md"
AWESOME = FIXTURES / "awesome" / "rating-suffixes.md"
GOOD_NOTE = "Title: A good note\nDate: 2025-12-01\nTags: MoE\n\nBody.\n"
# A body line in Chinese, saved in each encoding a contributor's editor might pick.
NOTE_TEXT = "Title: 中文笔记\nDate: 2025-12-01\n\n正文：混合专家。\n"


def papershelf(root: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PAPERSHELF), *map(str, args)], cwd=root, capture_output=True, text=True, timeout=300
    )


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The single stderr line of a run that failed on bad input."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("papershelf: "), lines
    return lines[0]


@pytest.fixture
def site(tmp_path) -> Path:
    root = site_project(tmp_path)
    (root / "content" / "notes").mkdir()
    (root / "content" / "notes" / "good.md").write_text(GOOD_NOTE, encoding="utf-8")
    return root


# --- content/tags.yml -----------------------------------------------------------------

BAD_ALIAS_FILES = {
    # name: (file, the line it names, words the message must hold)
    "missing bracket": ("MoE: {aliases: [a, b}\n", 1, "not valid YAML"),
    "a list, not entries": ("- MoE\n- LLM\n", 1, "expected 'Tag: {aliases: [...]}' entries"),
    "a number for an entry": (
        "MoE:\n  aliases: [Mixture of Experts]\nLLM: 3\n",
        3,
        "'LLM' is followed by 3",
    ),
    "aliases not a list": ("MoE:\n  aliases: mixture\n", 1, "must be a list"),
    "an alias that is a mapping": ("MoE:\n  aliases: [{a: b}]\n", 1, "is not a tag name"),
    "keep_apart not a list": ("MoE: {}\nLLM:\n  keep_apart: LLMs\n", 2, "must be a list"),
    "an unknown key": ("MoE:\n  alias: [a]\n", 1, "unknown key 'alias'"),
}


@pytest.mark.parametrize("case", sorted(BAD_ALIAS_FILES))
@pytest.mark.parametrize("command", ["check", "import"])
def test_a_malformed_alias_file_is_one_line_naming_it(site, case, command):
    text, line, words = BAD_ALIAS_FILES[case]
    (site / "content" / "tags.yml").write_text(text, encoding="utf-8")
    before = tree_bytes(site / "content")
    args = ["check"] if command == "check" else ["import", "awesome-notes", AWESOME]
    message = one_error_line(papershelf(site, *args))
    assert message.startswith(f"papershelf: content/tags.yml:{line}: "), message
    assert words in message and message.endswith(")"), message  # and says how to fix it
    assert tree_bytes(site / "content") == before  # the import wrote no note


def test_a_malformed_alias_file_stops_the_build_and_keeps_the_site(site):
    assert papershelf(site, "build").returncode == 0
    before = tree_bytes(site / "output")
    (site / "content" / "tags.yml").write_text("MoE: {aliases: [a, b}\n", encoding="utf-8")
    message = one_error_line(papershelf(site, "build"))
    assert message.startswith("papershelf: content/tags.yml:1: not valid YAML: "), message
    assert tree_bytes(site / "output") == before
    assert not (site / "output.building").exists()


# --- notes that are not UTF-8 text ----------------------------------------------------

NOT_UTF8_NOTES = {
    # name: (bytes, the line it names, what the message says they are)
    "GB18030": (NOTE_TEXT.encode("gb18030"), 1, "GB18030"),
    "GB18030, Chinese in the body only": (
        "Title: A note\nDate: 2025-12-01\n\n正文。\n".encode("gb18030"),
        4,
        "GB18030",
    ),
    "UTF-16 with a BOM": (NOTE_TEXT.encode("utf-16"), 1, "UTF-16"),
    "UTF-16 without a BOM": (NOTE_TEXT.encode("utf-16-le"), 1, "NUL bytes"),
    "a PNG image": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), 1, "PNG image"),
    "NUL bytes": (b"Title: A note\nDate: 2025-12-01\n\nBody\x00\x00\n", 4, "NUL bytes"),
}


def assert_names_the_note(message: str, case: str) -> None:
    _, line, kind = NOT_UTF8_NOTES[case]
    assert message.startswith(f"papershelf: content/notes/bad.md:{line}: not UTF-8 text: ")
    assert kind in message and message.endswith("(save it as UTF-8)"), message


@pytest.mark.parametrize("case", sorted(NOT_UTF8_NOTES))
def test_check_names_a_note_that_is_not_utf8_in_one_line(site, case):
    (site / "content" / "notes" / "bad.md").write_bytes(NOT_UTF8_NOTES[case][0])
    assert_names_the_note(one_error_line(papershelf(site, "check")), case)


@pytest.mark.parametrize(
    "args",
    [
        ["check", "content/notes/bad.md"],
        # new-note reads every note, to refuse a second note for one paper
        ["new-note", "2512.00007", "--source", API_ANSWER],
    ],
)
def test_other_commands_reading_notes_name_one_that_is_not_utf8(site, args):
    (site / "content" / "notes" / "bad.md").write_bytes(NOT_UTF8_NOTES["GB18030"][0])
    assert_names_the_note(one_error_line(papershelf(site, *args)), "GB18030")
    assert not (site / "content" / "notes" / "2512.00007.md").exists()


@pytest.mark.parametrize("case", ["GB18030, Chinese in the body only", "UTF-16 with a BOM"])
def test_a_note_that_is_not_utf8_stops_the_build_and_keeps_the_site(site, case):
    assert papershelf(site, "build").returncode == 0
    before = tree_bytes(site / "output")
    (site / "content" / "notes" / "bad.md").write_bytes(NOT_UTF8_NOTES[case][0])
    assert_names_the_note(one_error_line(papershelf(site, "build")), case)
    assert tree_bytes(site / "output") == before
    assert not (site / "output.building").exists()


def test_import_files_that_are_not_utf8_are_one_line_naming_them(site):
    for kind in ("awesome-notes", "arxiv-bot", "paper-explorer"):
        source = site / f"{kind}.md"
        source.write_bytes(NOTE_TEXT.encode("utf-16"))
        message = one_error_line(papershelf(site, "import", kind, source.name))
        assert message.startswith(f"papershelf: {source.name}:1: not UTF-8 text: "), message
        assert message.endswith("(save it as UTF-8)")


# --- files that do not exist ----------------------------------------------------------

MISSING = {
    "fetch": (["fetch", "--source", "missing.xml"], "missing.xml"),
    "import arxiv-bot": (["import", "arxiv-bot", "missing.md"], "missing.md"),
    "import paper-explorer": (["import", "paper-explorer", "missing.txt"], "missing.txt"),
    "import awesome-notes": (["import", "awesome-notes", "missing.md"], "missing.md"),
    "new-note": (["new-note", "2512.00007", "--source", "missing.xml"], "missing.xml"),
    "check": (["check", "missing.md"], "missing.md"),
}


@pytest.mark.parametrize("command", sorted(MISSING))
def test_a_file_that_does_not_exist_is_one_line_naming_it(site, command):
    args, name = MISSING[command]
    message = one_error_line(papershelf(site, *args))
    assert message.startswith(f"papershelf: {name}: no such "), message
    assert message.endswith(")"), message  # with what to do
    assert not (site / "data").exists()  # nothing was written


def test_a_folder_without_feeds_is_one_line_naming_it(site):
    (site / "feeds").mkdir()
    message = one_error_line(papershelf(site, "fetch", "--source", "feeds"))
    assert message.startswith("papershelf: feeds: no feed files"), message


# --- settings -------------------------------------------------------------------------

# One per command, each with an input it would otherwise accept.
COMMANDS = {
    "check": ["check"],
    "fetch": ["fetch", "--source", FEED],
    "import": ["import", "arxiv-bot", DIGEST],
    "build": ["build"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("setting", ['ARXIV_MIN_SCORE = "high"', 'PAPERSHELF_HOME_DAYS = "7"'])
def test_a_setting_of_the_wrong_type_is_one_line_naming_the_key(site, command, setting):
    with (site / "pelicanconf.py").open("a") as settings:
        settings.write(setting + "\n")
    message = one_error_line(papershelf(site, *COMMANDS[command]))
    key = setting.split()[0]
    assert message.startswith(f"papershelf: pelicanconf.py: setting {key} = "), message
    assert "is invalid: expected" in message
    assert not (site / "data").exists() and not (site / "output").exists()


@pytest.mark.parametrize(
    "setting",
    ['RELATED_PAPERS_LIMIT = "5"', "STATS_WEEKS = 0", 'TAG_BEST_URL = "best/"', "PATH = 5"],
)
def test_a_bad_page_plugin_or_pelican_setting_stops_the_build_in_one_line(site, setting):
    with (site / "pelicanconf.py").open("a") as settings:
        settings.write(setting + "\n")
    message = one_error_line(papershelf(site, "build"))
    assert message.startswith("papershelf: pelicanconf.py: "), message
    assert setting.split()[0] in message, message  # the key
    assert not (site / "output").exists()


BROKEN_SETTINGS = {
    # name: (file text or None for no file, what the line starts with)
    "missing": (None, "papershelf: nowhere.py: settings file not found"),
    "syntax error": ("X = (\n", "papershelf: nowhere.py:1: not valid Python: "),
    "name error": ('SITENAME = "x"\nPATH = content\n', "papershelf: nowhere.py:2: NameError: "),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(BROKEN_SETTINGS))
def test_a_settings_file_that_is_missing_or_broken_is_one_line(site, command, case):
    text, start = BROKEN_SETTINGS[case]
    if text is not None:
        (site / "nowhere.py").write_text(text, encoding="utf-8")
    message = one_error_line(papershelf(site, "--settings", "nowhere.py", *COMMANDS[command]))
    assert message.startswith(start), message
    assert message.endswith(")"), message  # with what to do


# --- the other commands ---------------------------------------------------------------


def test_a_bench_error_is_one_line(site):
    message = one_error_line(papershelf(site, "bench", "--papers", "0"))
    assert message == "papershelf: --papers 0 is too few (give at least 1 paper)"


def test_an_interrupted_fetch_says_so_in_one_line_and_keeps_the_archive(site, feed_server):
    assert papershelf(site, "fetch", "--source", FEED).returncode == 0
    before = tree_bytes(site / "data" / "papers")
    url = feed_server.route("/slow", Answer(200, FEED.read_bytes(), delay=10))
    run = subprocess.Popen(
        [str(PAPERSHELF), "fetch", "--source", url],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,
    )
    deadline = time.monotonic() + 20
    while not feed_server.requests_to("/slow") and time.monotonic() < deadline:
        time.sleep(0.05)
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=30)
    assert run.returncode == 130, err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "papershelf: interrupted"
    assert tree_bytes(site / "data" / "papers") == before


def test_an_archive_path_that_is_a_file_is_one_line_naming_it(site):
    (site / "archive.txt").write_text("not a folder\n")
    with (site / "pelicanconf.py").open("a") as settings:
        settings.write('ARXIV_ARCHIVE_PATH = "archive.txt"\n')
    message = one_error_line(papershelf(site, "fetch", "--source", FEED))
    assert message.startswith("papershelf: ") and "archive.txt" in message, message
    assert (site / "archive.txt").read_text() == "not a folder\n"
