"""Archive writes: records read back as written, and a write that fails part way (the
file size limit of the process, a real EFBIG from the kernel) leaves every record
whole, old or new, and no temporary file."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from papershelf.archive import Archive
from papershelf.model import Paper

from ..strategies import arxiv_ids, dates, phrase
from .budget import examples, ran

papers = st.builds(
    Paper,
    arxiv_id=arxiv_ids(),
    title=phrase(),
    version=st.integers(1, 20),
    authors=st.lists(phrase(3), max_size=4),
    abstract=st.one_of(phrase(40), st.text()),
    categories=st.lists(st.sampled_from(["cs.CL", "cs.LG"]), max_size=2),
    announced=dates,
    score=st.floats(0, 100),
    matched_keywords=st.lists(phrase(2), max_size=3),
    extra=st.dictionaries(
        st.sampled_from(["tags", "topic", "imported"]), st.one_of(phrase(3), st.lists(phrase(2)))
    ),
)
record_sets = st.lists(papers, min_size=1, max_size=8, unique_by=lambda paper: paper.arxiv_id)


@examples(60)
@given(record_sets)
def test_records_read_back_as_written(records):
    ran("archive write and read")
    with tempfile.TemporaryDirectory() as folder:
        archive = Archive(folder)
        assert archive.save(records) == len(records)
        assert archive.save(records) == 0  # the same bytes: nothing written again
        loaded = archive.load()
    assert {key: paper.to_dict() for key, paper in loaded.items()} == {
        paper.arxiv_id: paper.to_dict() for paper in records
    }


# Runs in a child process whose file size limit is ``limit`` bytes: writes past it fail
# with EFBIG (SIGXFSZ ignored), as on a full disk.
WRITER = """
import json, resource, signal, sys
from papershelf.archive import Archive
from papershelf.model import Paper
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
papers = [Paper.from_dict(item) for item in json.load(sys.stdin)]
try:
    Archive(sys.argv[1]).save(papers)
except OSError as error:
    print(error.errno)
"""


@examples(15)
@given(record_sets, record_sets, st.integers(64, 4096))
def test_a_write_that_fails_part_way_leaves_whole_records(old, new, limit):
    ran("archive write interrupted (file size limit)")
    with tempfile.TemporaryDirectory() as folder:
        archive = Archive(folder)
        archive.save(old)
        before = {path: path.read_bytes() for path in archive.files()}
        changed = [
            Paper.from_dict({**paper.to_dict(), "title": paper.title + " v2"})
            for paper in [*old[: len(old) // 2], *new]
        ]
        subprocess.run(
            [sys.executable, "-c", WRITER, folder, str(limit)],
            input=json.dumps([paper.to_dict() for paper in changed]),
            text=True,
            check=True,
            capture_output=True,
        )
        wanted = {archive.path_for(paper.arxiv_id): paper.to_dict() for paper in changed}
        for path in archive.files():
            data = path.read_bytes()
            record = json.loads(data)  # whole: parses
            assert data == before.get(path) or record == wanted.get(path)
        assert not list(Path(folder).rglob(".*.tmp"))
        assert set(before) <= set(archive.files())  # no record lost
