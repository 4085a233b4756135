"""``papershelf new-note``: prefilled from the archive or a saved API answer."""

import io
from datetime import date

import pytest

from papershelf.notes.commands import NoteError, run_check, run_new_note
from papershelf.notes.format import parse_note

from .httpserver import Answer
from .sites import FEEDS, fetch, site_settings

TODAY = date(2026, 1, 2)


@pytest.fixture
def options(tmp_path):
    settings = site_settings(tmp_path)
    (tmp_path / "content" / "tags.yml").write_text("MoE:\n  aliases: [Mixture of Experts]\n")
    return settings["PAPERSHELF_VALIDATED"]


def test_new_note_from_the_archive_record(tmp_path, options):
    settings = {"PAPERSHELF_VALIDATED": options}
    assert fetch(settings, FEEDS / "day1-cs.CL.new-and-cross.rss.xml")[0] == 0
    path = run_new_note(options, "2512.00001v1", today=TODAY, out=io.StringIO())
    assert path.name == "2512.00001.md"
    note = parse_note(path.read_text())
    assert note.text("title") == "Sparse MoE Routing for Fast LLM Inference"
    assert note.text("arxiv") == "2512.00001"
    assert note.text("date") == "2026-01-02"
    assert note.items("authors") == ["André Martins", "José García", "Zoë Müller"]
    assert "MoE" in note.items("tags")
    out = io.StringIO()
    assert run_check(options, out=out) == 0, out.getvalue()


def test_new_note_offline_from_a_saved_api_answer(options):
    path = run_new_note(
        options, "2512.00007", source=str(FEEDS / "api-answer.xml"), today=TODAY, out=io.StringIO()
    )
    note = parse_note(path.read_text())
    assert note.text("title") == r"Speculative Decoding for $\mathcal{O}(1)$ Draft Overhead"
    assert note.items("authors") == ["Ada Lovelace", "Alan Turing"]


def test_new_note_refuses_to_overwrite(options):
    source = str(FEEDS / "api-answer.xml")
    path = run_new_note(options, "2512.00007", source=source, today=TODAY, out=io.StringIO())
    path.write_text(path.read_text() + "\nMy own words.\n")
    with pytest.raises(NoteError, match="a note for arXiv 2512.00007 exists"):
        run_new_note(options, "2512.00007", source=source, today=TODAY, out=io.StringIO())
    assert "My own words." in path.read_text()


def test_new_note_for_an_id_missing_from_the_answer(options):
    with pytest.raises(NoteError, match="no entry for arXiv 2512.00099"):
        run_new_note(options, "2512.00099", source=str(FEEDS / "api-answer.xml"), out=io.StringIO())


def test_new_note_asks_the_api_politely(feed_server, options):
    answer = (FEEDS / "api-answer.xml").read_bytes()
    headers = {"Content-Type": "application/atom+xml"}
    feed_server.route("/api/query?id_list=2512.00007", Answer(body=answer, headers=headers))
    options = dict(options, ARXIV_API_URL=feed_server.url("/api/query") + "?id_list={ids}")
    path = run_new_note(options, "2512.00007", today=TODAY, out=io.StringIO())
    assert parse_note(path.read_text()).text("arxiv") == "2512.00007"
    (request,) = feed_server.requests
    assert request.path == "/api/query?id_list=2512.00007"
    assert request.headers["User-Agent"] == options["ARXIV_USER_AGENT"]
