"""The console script on a few generated, damaged files: `papershelf check` on a note
and a tags.yml, `papershelf import ...` on each import format. An exit status of 0,
1 or 2 and never a traceback (few inputs: each is a process of its own)."""

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given

from ..import_strategies import awesome_documents, bot_digests, explorer_dumps
from ..mutations import mutated
from ..strategies import note_documents, tags_yml_documents
from ..test_oversized_input import site_project
from .budget import examples, ran

PAPERSHELF = Path(sys.executable).with_name("papershelf")
CASES = {
    "check (a note)": (note_documents(), "content/notes/note.md", ["check"]),
    "check (tags.yml)": (tags_yml_documents(), "content/tags.yml", ["check"]),
    "import awesome-notes": (awesome_documents(), "in.md", ["import", "awesome-notes", "in.md"]),
    "import arxiv-bot": (bot_digests(), "in.md", ["import", "arxiv-bot", "in.md"]),
    "import paper-explorer": (explorer_dumps(), "in.txt", ["import", "paper-explorer", "in.txt"]),
}


def _case(name: str):
    documents, target, arguments = CASES[name]

    @examples(4)
    @given(mutated(documents))
    def run(data):
        ran(f"console script: papershelf {name}")
        with tempfile.TemporaryDirectory() as folder:
            root = site_project(Path(folder))
            (root / target).parent.mkdir(parents=True, exist_ok=True)
            (root / target).write_bytes(data)
            result = subprocess.run(
                [str(PAPERSHELF), *arguments], cwd=root, capture_output=True, text=True, timeout=120
            )
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode in (0, 1, 2), (result.returncode, result.stderr)
        if result.returncode == 2:
            assert result.stderr.startswith("papershelf: ") and result.stderr.count("\n") == 1

    return run


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_console_script_exits_cleanly_on_damaged_files(name):
    _case(name)()
