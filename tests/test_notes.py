"""The note format: header fields with lines, lists, continuation lines."""

from pathlib import Path

from papershelf.notes.format import format_note, note_filename, parse_note

NOTES = Path(__file__).parent / "fixtures" / "notes"


def test_parse_complete_note():
    note = parse_note((NOTES / "complete-note.md").read_text())
    assert note.problems == []
    assert note.text("title") == "Sparse MoE Routing for Fast LLM Inference"
    assert note.line_of("rating") == 6
    assert note.items("tags") == ["MoE", "Inference"]
    # A comma-separated line; a multi-line list takes one item per line.
    assert note.items("affiliations") == ["Lisbon AI Lab", "University of California", "Berkeley"]
    assert note.items("links") == [
        "https://example.org/blog/sparse-moe",
        "https://example.org/slides.pdf",
    ]
    assert note.text("summary").splitlines() == [
        "✨ Routes tokens to **two** experts only.",
        r"🚀 Halves $\mathcal{O}(n)$ latency.",
    ]
    assert note.body.startswith("本文提出了稀疏路由")
    assert note.body_line == 17


def test_header_syntax_problems_have_lines():
    note = parse_note("Title: A\nnot a header line\nTitle: again\n\nbody\n")
    assert [line for line, _ in note.problems] == [2, 3]
    assert "given twice" in note.problems[1][1]


def test_format_then_parse_round_trips():
    values = {
        "title": "A: B",
        "arxiv": "2511.16665",
        "date": "2025-11-21",
        "affiliations": ["UC, Berkeley", "MIT"],
        "tags": ["RL", "MoE"],
        "links": ["https://a.example/x,y", "https://b.example"],
        "summary": "📖 one\n🚀 two",
    }
    note = parse_note(format_note(values, "Body *text*.\n"))
    assert note.problems == []
    assert note.text("title") == "A: B"
    assert note.items("affiliations") == ["UC, Berkeley", "MIT"]
    assert note.items("tags") == ["RL", "MoE"]
    assert note.items("links") == values["links"]
    assert note.text("summary") == "📖 one\n🚀 two"
    assert note.body == "Body *text*.\n"


def test_note_filenames():
    assert note_filename("2511.16665", "x") == "2511.16665.md"
    assert note_filename("hep-th/9901001", "x") == "hep-th-9901001.md"
    assert note_filename(None, "LLMs Get Lost In Multi-Turn Conversation") == (
        "llms-get-lost-in-multi-turn-conversation.md"
    )
    assert note_filename(None, "多轮迷失") == "多轮迷失.md"
    assert note_filename(None, "!!!").startswith("note-")


def test_the_contributors_template_is_a_clean_note():
    from papershelf.notes.check import check_notes
    from papershelf.notes.tags import load_aliases

    root = Path(__file__).resolve().parents[1]
    template = root / ".github" / "NOTE_TEMPLATE.md"
    aliases = load_aliases(root / "content" / "tags.yml")
    assert check_notes([(str(template), template.read_text())], aliases) == []
