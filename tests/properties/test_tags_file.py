"""The tag alias file (content/tags.yml), generated and damaged."""

import tempfile
from pathlib import Path

from hypothesis import given

from papershelf.errors import AliasFileError
from papershelf.notes.tags import TagAliases, load_aliases

from ..mutations import mutated
from ..strategies import tags_yml_documents
from .budget import examples, ran
from .contract import value_or_named_error


@examples(300)
@given(mutated(tags_yml_documents()))
def test_an_alias_file_loads_or_names_its_line(data):
    ran("tag alias file (tags.yml)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tags.yml"
        path.write_bytes(data)
        result = value_or_named_error(lambda: load_aliases(path), path)
    assert isinstance(result, TagAliases | AliasFileError)
    if isinstance(result, AliasFileError):
        assert result.line is None or result.line >= 1
        assert "\n" not in str(result).strip()
    else:
        for canonical in result.aliases_of:
            assert result.canonical(canonical) == canonical
