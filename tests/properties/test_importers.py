"""The three importers: their parsers on any text, `import` on generated and damaged
files (a status, or one error naming the file), and a re-run that changes no byte."""

import io
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papershelf.importers.arxiv_bot import parse_arxiv_bot
from papershelf.importers.arxiv_bot_import import run_import_arxiv_bot
from papershelf.importers.awesome_notes import parse_awesome_notes
from papershelf.importers.paper_explorer import parse_dump
from papershelf.importers.paper_explorer_import import run_import_paper_explorer
from papershelf.importers.writing import run_import_awesome_notes
from papershelf.notes.format import parse_note

from ..import_strategies import awesome_documents, bot_digests, explorer_dumps
from ..mutations import as_text, mutated
from ..sites import site_settings, tree_bytes
from .budget import examples, ran
from .contract import value_or_named_error

KEYWORDS = {"LLM": 1.0, "MoE": 2.0, "RL": 1.0, "模型": 1.0}
DAY = date(2026, 1, 2)


@examples(200)
@given(mutated(awesome_documents()))
def test_the_awesome_list_parser_takes_any_text(data):
    ran("awesome-notes parser")
    notes, warnings = parse_awesome_notes(as_text(data), keywords=KEYWORDS, today="2026-01-02")
    names = [note.filename for note in notes]
    assert len(names) == len(set(names))  # no two sections write one file
    assert all(isinstance(warning, str) for warning in warnings)


@examples(200)
@given(mutated(bot_digests()))
def test_the_arxiv_bot_parser_takes_any_text(data):
    ran("arxiv-bot digest parser")
    digest = parse_arxiv_bot(as_text(data))
    ids = [paper.arxiv_id for paper in digest.papers]
    assert len(ids) == len(set(ids))


@examples(200)
@given(mutated(explorer_dumps()))
def test_the_paper_explorer_parser_takes_any_text(data):
    ran("paper-explorer dump parser")
    dump = parse_dump(as_text(data))
    assert all(entry.line >= 1 for entry in dump.entries)


IMPORTS = {
    "awesome-notes": (awesome_documents(), run_import_awesome_notes),
    "arxiv-bot": (bot_digests(), run_import_arxiv_bot),
    "paper-explorer": (explorer_dumps(), run_import_paper_explorer),
}


def _run(kind: str, options: dict, source: Path):
    run = IMPORTS[kind][1]
    out, err = io.StringIO(), io.StringIO()
    if kind == "awesome-notes":
        return run(options, source, out=out, err=err, today=DAY)
    return run(options, source, DAY, out=out, err=err)


@pytest.mark.parametrize("kind", sorted(IMPORTS))
@examples(15)
@given(data=st.data())
def test_an_import_reports_or_names_the_file_and_a_rerun_changes_no_byte(kind, data):
    document = IMPORTS[kind][0]
    data = data.draw(st.one_of(document.map(str.encode), mutated(document)))
    ran(f"papershelf import {kind} (twice)")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        options = site_settings(root)["PAPERSHELF_VALIDATED"]
        source = root / "input.md"
        source.write_bytes(data)
        first = value_or_named_error(lambda: _run(kind, options, source), source)
        if not isinstance(first, int):
            assert not (root / "data" / "papers").exists()  # refused: nothing written
            return
        assert first in (0, 1)
        written = {**tree_bytes(root / "data"), **tree_bytes(root / "content")}
        for name, content in written.items():
            if name.endswith(".md"):
                assert not parse_note(content.decode()).problems, name
        assert _run(kind, options, source) == first
        assert {**tree_bytes(root / "data"), **tree_bytes(root / "content")} == written
