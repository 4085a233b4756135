"""The one settings table: the README says what it says, every key the code reads
is in it (or is Pelican's), and a bad value of any key is told with its name."""

from __future__ import annotations

import ast
import json
import re

import pytest
from pelican.settings import DEFAULT_CONFIG, get_settings_from_file, read_settings

from papershelf.build_state import BUILD_STATE
from papershelf.config import SETTINGS_KEY
from papershelf.errors import ArchiveError, BuildError, PapershelfError, SettingsError
from papershelf.settings import DEFAULT_KEYWORDS, DEFAULTS, SETTINGS, validate

from .sites import FEEDS, ROOT, build, fetch, site_settings

# A row of the README's settings tables: | `KEY` | default | meaning |
ROW = re.compile(r"^\| `(?P<key>[A-Z][A-Z0-9_]*)` \| (?P<default>.*?) \| (?P<meaning>.*) \|$")
CODE_SPAN = re.compile(r"`([^`]*)`")
# Keys the code reads that are nobody's to set: papershelf puts them there itself.
INTERNAL_KEYS = {SETTINGS_KEY, BUILD_STATE}


def readme_rows() -> list[re.Match]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    return [match for line in section.splitlines() if (match := ROW.match(line))]


NO_LITERAL = object()


def shown_default(cell: str):
    """The default a README cell shows in its first code span (a Python literal,
    or else the bare text of a string), or NO_LITERAL when it shows none."""
    span = CODE_SPAN.search(cell)
    if span is None:
        return NO_LITERAL
    try:
        return ast.literal_eval(span.group(1))
    except (ValueError, SyntaxError):
        return span.group(1)


def expected_row(setting) -> str:
    """How the README would show a setting: printed when a test below fails."""
    value = setting.default
    shown = json.dumps(value) if isinstance(value, list) else value
    if isinstance(value, str):
        shown = value or '""'
    return f"| `{setting.key}` | `{shown}` | {setting.meaning} |"


def test_the_readme_lists_every_setting_of_the_table_in_its_order():
    in_readme = [row["key"] for row in readme_rows()]
    in_code = [setting.key for setting in SETTINGS]
    missing = [expected_row(s) for s in SETTINGS if s.key not in in_readme]
    assert not missing, "add to the README's settings tables:\n" + "\n".join(missing)
    assert sorted(set(in_readme) - set(in_code)) == [], "in the README only"
    assert in_readme == in_code


def test_the_readme_shows_each_default_and_meaning_of_the_table():
    by_key = {setting.key: setting for setting in SETTINGS}
    without_literal = set()
    for row in readme_rows():
        setting = by_key[row["key"]]
        assert row["meaning"] == setting.meaning, expected_row(setting)
        shown = shown_default(row["default"])
        if shown is NO_LITERAL:
            without_literal.add(setting.key)
        else:
            assert shown == setting.default, expected_row(setting)
    # Only the keyword dict is too long to show; its row says how many terms it has.
    assert without_literal == {"ARXIV_KEYWORDS"}
    keywords_row = next(row for row in readme_rows() if row["key"] == "ARXIV_KEYWORDS")
    assert f"({len(DEFAULT_KEYWORDS)} terms)" in keywords_row["default"]


def _keys_read_by_the_code() -> dict[str, str]:
    """Every settings key the plugins' code or the theme's templates read -> where."""
    read = re.compile(
        r"\b(?:settings|options)(?:\.get\(|\[|\.setdefault\()\s*\"([A-Z][A-Z0-9_]*)\""
    )
    found = {}
    for path in sorted((ROOT / "plugins").rglob("*.py")):
        for key in read.findall(path.read_text(encoding="utf-8")):
            found.setdefault(key, str(path.relative_to(ROOT)))
    for path in sorted((ROOT / "theme" / "templates").rglob("*.html")):
        for key in re.findall(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b", path.read_text(encoding="utf-8")):
            found.setdefault(key, str(path.relative_to(ROOT)))
    return found


def test_every_key_the_code_reads_is_in_the_table_or_is_pelicans():
    pelicanconf = get_settings_from_file(str(ROOT / "pelicanconf.py"))
    found = _keys_read_by_the_code()
    assert {"PAPERSHELF_STRICT", "TOPIC_URL", "MONTHS_URL", "SEARCH_INDEX_DIR"} <= set(found)
    known = set(DEFAULTS) | set(DEFAULT_CONFIG) | set(pelicanconf) | INTERNAL_KEYS
    unknown = {key: where for key, where in found.items() if key not in known}
    assert unknown == {}, "read but not in papershelf.settings.SETTINGS"


def test_pelicanconf_sets_no_papershelf_default_of_its_own():
    # pelicanconf.py says every papershelf default lives in settings.py: what it sets
    # differs from the table's default, or it would be a second place for it.
    pelicanconf = get_settings_from_file(str(ROOT / "pelicanconf.py"))
    same = [key for key in DEFAULTS if key in pelicanconf and pelicanconf[key] == DEFAULTS[key]]
    assert same == []


def test_every_default_passes_its_own_check():
    assert validate({}) == dict(DEFAULTS)


def wrong_type(default):
    """A value of another type than the default's: the usual slip in a settings file."""
    if isinstance(default, bool):
        return "yes"
    if isinstance(default, int | float):
        return "many"
    if isinstance(default, list):
        return "cs.AI"  # one string, not a list of them
    if isinstance(default, dict):
        return ["LLM"]
    return 3  # for a string, and for None (a path or nothing)


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.key)
def test_a_bad_value_of_any_setting_stops_naming_the_key(setting):
    value = wrong_type(setting.default)
    with pytest.raises(SettingsError) as raised:
        validate({setting.key: value})
    message = str(raised.value)
    assert isinstance(raised.value, PapershelfError)
    assert message.startswith(f"setting {setting.key}")
    assert f"expected {setting.check.expected}" in message
    assert message.endswith("in pelicanconf.py)") or "pelicanconf.py and" in message
    if setting.secret:
        assert repr(value) not in message
    else:
        assert f"{setting.key} = {value!r} is invalid" in message


def test_the_message_says_what_is_wrong_and_how_to_fix_it():
    with pytest.raises(SettingsError) as raised:
        validate({"ARXIV_MIN_SCORE": "high"})
    assert str(raised.value) == (
        "setting ARXIV_MIN_SCORE = 'high' is invalid: expected a number >= 0 "
        "(fix it in pelicanconf.py)"
    )
    with pytest.raises(SettingsError, match=r"ARXIV_KEYWORDS = \{'MoE': 'high'\}"):
        validate({"ARXIV_KEYWORDS": {"LLM": 3.0, "MoE": "high"}})  # the bad term, not all


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("TAG_BEST_URL", "top/"),
        ("TOPIC_URL", "topics/"),
        ("TOPICS_URL", "topics"),
        ("MONTHS_URL", "/archive/"),
        ("SEARCH_INDEX_DIR", "/"),
        ("RELATED_PAPERS_LIMIT", -1),
        ("STATS_WEEKS", 0),
        ("STATS_TOP_TAGS", True),
        ("ARXIV_REQUEST_TIMEOUT", 0),
        ("ARXIV_CATEGORIES", []),
        ("TOPIC_STATED_COUNT_FILES", [""]),
        ("PAPERSHELF_MAX_SITE_BYTES", 0),
        ("PAPERSHELF_MAX_FILE_BYTES", -100),
        ("PAPERSHELF_MAX_FILE_BYTES", 1.5e8),
    ],
)
def test_values_of_the_right_type_are_checked_too(key, value):
    with pytest.raises(SettingsError, match=f"setting {key} = "):
        validate({key: value})


def test_every_default_is_in_pelicans_settings_for_templates(tmp_path):
    settings = site_settings(tmp_path, TAG_CLOUD_SIZE=12)
    pelicanconf = get_settings_from_file(str(ROOT / "pelicanconf.py"))
    given = {*pelicanconf, "TAG_CLOUD_SIZE", "ARXIV_ARCHIVE_PATH"}  # (site_settings sets it)
    for setting in SETTINGS:
        if setting.key not in given:
            assert settings[setting.key] == setting.default, setting.key
    assert settings["TAG_CLOUD_SIZE"] == settings[SETTINGS_KEY]["TAG_CLOUD_SIZE"] == 12
    # Copies: a plugin changing a list in its settings leaves the table as it was.
    settings["ARXIV_EXCLUDE_KEYWORDS"].append("benchmark")
    assert DEFAULTS["ARXIV_EXCLUDE_KEYWORDS"] == ["survey"]


def test_a_bad_plugin_setting_stops_a_real_pelican_build(tmp_path):
    # Pelican's own read_settings: nothing of papershelf's has checked them yet, so
    # the plugins' start-up does, before anything is written.
    (tmp_path / "content").mkdir()
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "PATH": str(tmp_path / "content"),
            "OUTPUT_PATH": str(tmp_path / "output"),
            "CACHE_PATH": str(tmp_path / "cache"),
            "ARXIV_ARCHIVE_PATH": str(tmp_path / "data"),
            "TAG_CLOUD_SIZE": "sixty",
        },
    )
    with pytest.raises(SettingsError, match=r"setting TAG_CLOUD_SIZE = 'sixty' is invalid"):
        build(settings)
    assert not (tmp_path / "output").exists()


def test_paper_pages_are_placed_by_pelicans_article_url(tmp_path):
    place = {"ARTICLE_URL": "p/{slug}.html", "ARTICLE_SAVE_AS": "p/{slug}.html"}
    place |= {"ARTICLE_LANG_URL": place["ARTICLE_URL"], "ARTICLE_LANG_SAVE_AS": "p/{slug}.html"}
    settings = site_settings(tmp_path, **place)
    fetch(settings, FEEDS / "day1-cs.CL.new-and-cross.rss.xml")
    output = build(settings)
    assert (output / "p" / "2512.00001.html").is_file()
    assert not (output / "papers").exists()
    home = (output / "index.html").read_text(encoding="utf-8")
    assert "p/2512.00001.html" in home


@pytest.mark.parametrize("strict", [True, False])
def test_strict_mode_stops_at_an_unreadable_record(tmp_path, strict):
    settings = site_settings(tmp_path, PAPERSHELF_STRICT=strict)
    fetch(settings, FEEDS / "day1-cs.CL.new-and-cross.rss.xml")
    broken = tmp_path / "data" / "papers" / "2512" / "2512.09999.json"
    broken.write_text("{not json", encoding="utf-8")
    # Strict: the record's own error, at once; else the build logs it, goes on, and
    # fails at the end, leaving the output as it was.
    with pytest.raises(ArchiveError if strict else BuildError) as raised:
        build(settings)
    if not strict:
        assert "logged 1 error" in str(raised.value)
