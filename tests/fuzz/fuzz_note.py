"""Coverage-guided fuzzing of the note parser and checker, and the tag alias file."""

import atheris

with atheris.instrument_imports():
    from papershelf.errors import AliasFileError, NoteError
    from papershelf.inputs import decode_text
    from papershelf.notes.check import SiteIndex, check_notes
    from papershelf.notes.format import parse_note
    from papershelf.notes.tags import TagAliases, parse_aliases

from harness import fuzz, text_of


def one_input(data: bytes) -> None:
    try:
        decode_text(data, "note.md", NoteError)
    except NoteError as error:
        assert "note.md" in str(error)
    text = text_of(data)
    note = parse_note(text)
    for key in note.fields:
        note.items(key)
    for problem in check_notes([("note.md", text)], TagAliases(), SiteIndex()):
        assert "\n" not in str(problem)
    try:
        parse_aliases(text, "tags.yml")
    except AliasFileError as error:
        assert "tags.yml" in str(error)


if __name__ == "__main__":
    fuzz(one_input)
