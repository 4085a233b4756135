"""The note parser and `check` on generated and damaged notes; notes written by
format_note and by `new-note` parse back to the same fields."""

import io
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from papershelf.errors import NoteError
from papershelf.ingest.feeds import parse_feed
from papershelf.notes.check import SiteIndex, check_paths
from papershelf.notes.commands import run_new_note
from papershelf.notes.format import KEYS, LIST_KEYS, format_note, parse_note
from papershelf.notes.tags import TagAliases

from ..mutations import as_text, mutated
from ..sites import site_settings
from ..strategies import feed_documents, note_documents, one_line
from .budget import examples, ran
from .contract import value_or_named_error


@examples(300)
@given(mutated(note_documents()))
def test_the_parser_splits_any_text_into_header_and_body(data):
    ran("note parser")
    text = as_text(data)
    note = parse_note(text)
    lines = len(text.splitlines())
    assert all(1 <= item.line <= max(lines, 1) for item in note.fields.values())
    assert all(1 <= line <= lines for line, _ in note.problems)
    assert note.body_line >= 1 and (note.body == "" or note.body.endswith("\n"))
    for key in note.fields:
        note.text(key), note.items(key)  # every accessor works on whatever was parsed


@examples(150)
@given(mutated(note_documents()))
def test_check_reports_problems_or_names_the_file(data):
    ran("papershelf check (note files)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "note.md"
        path.write_bytes(data)
        result = value_or_named_error(
            lambda: check_paths([path], TagAliases(), SiteIndex(), max_bytes=200_000), path
        )
    assert isinstance(result, list | NoteError)
    if isinstance(result, list):
        assert all(problem.path == str(path) and problem.line >= 1 for problem in result)
        assert all(str(problem).count("\n") == 0 for problem in result)


def _clean(text: str) -> str:
    return " ".join(text.split())


items = st.lists(one_line.map(_clean).filter(bool), max_size=4)
note_fields = st.fixed_dictionaries(
    {"title": one_line.map(_clean).filter(bool), "date": st.dates().map(date.isoformat)},
    optional={
        key: items if key in LIST_KEYS else one_line.map(_clean)
        for key in KEYS
        if key not in ("title", "date")
    },
)


@examples(200)
@given(note_fields, st.text())
def test_a_formatted_note_parses_back_to_its_fields(values, body):
    ran("note writer (format_note) round trip")
    if "summary" in values:  # one highlight per line: lines are what round-trips
        values["summary"] = values["summary"].replace(" ", "\n", 1)
    note = parse_note(format_note(values, body))
    for key, value in values.items():
        if isinstance(value, list):
            expected = value
            if key in ("code", "links"):  # URL lists split on white space
                expected = [part for item in value for part in item.split()]
            assert note.items(key) == expected, key
        else:
            assert note.text(key) == "\n".join(
                line.strip() for line in value.strip().splitlines() if line.strip()
            ), key
    assert not note.problems


@examples(25)
@given(feed_documents().filter(lambda document: "ArXiv Query" in document))
def test_new_note_writes_what_the_api_answered(document):
    parsed = parse_feed(document.encode())
    if not parsed.entries:
        return
    ran("papershelf new-note")
    entry = parsed.entries[0]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        answer = root / "answer.xml"
        answer.write_text(document, encoding="utf-8")
        options = site_settings(root)["PAPERSHELF_VALIDATED"]
        result = value_or_named_error(
            lambda: run_new_note(
                options, entry.arxiv_id, str(answer), today=date(2026, 1, 2), out=io.StringIO()
            )
        )
        if isinstance(result, NoteError):  # the id given twice in one answer, say
            return
        note = parse_note(result.read_text(encoding="utf-8"))
        assert note.text("title") == entry.title
        assert note.text("arxiv") == entry.arxiv_id
        assert note.items("authors") == entry.authors
        assert note.text("date") == "2026-01-02"
        assert not note.problems
