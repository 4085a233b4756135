"""The paper archive: one JSON file per paper under ``<archive>/papers/``.

Files are written atomically (``files.replace_file``) with stable key order, and
only when their bytes change, so a repeated fetch changes nothing and a crash
mid-write never leaves a broken file. Writers hold the archive's lock
(``files.hold_lock``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from papershelf.errors import ArchiveError
from papershelf.files import LockTimeout, hold_lock, replace_file
from papershelf.model import LOCAL_ID, Paper, parse_arxiv_id


def dump_json(data: Any) -> bytes:
    """The canonical bytes of an archive file."""
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def load_json_file(path: Path) -> dict:
    """A state file of the archive (an import's record): {} while there is none yet."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError as error:
        # Deleting it is safe: what it remembered is learnt again on the next run.
        raise ArchiveError(
            f"not valid JSON ({error})", where=path, fix="fix or delete it"
        ) from None


def relative_path(arxiv_id: str) -> str:
    """``2512.06784`` -> ``papers/2512/2512.06784.json``; old style ids too; a local
    id (``pe-3f2a9c1b0d``) -> ``papers/pe/pe-3f2a9c1b0d.json``."""
    local = LOCAL_ID.match(arxiv_id)
    if local:
        return f"papers/{local.group('prefix')}/{arxiv_id}.json"
    arxiv_id, _ = parse_arxiv_id(arxiv_id)
    if "/" in arxiv_id:
        archive, number = arxiv_id.split("/")
        return f"papers/{number[:4]}/{archive}-{number}.json"
    return f"papers/{arxiv_id[:4]}/{arxiv_id}.json"


class Archive:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    @property
    def papers_dir(self) -> Path:
        return self.root / "papers"

    def path_for(self, arxiv_id: str) -> Path:
        return self.root / relative_path(arxiv_id)

    def files(self) -> list[Path]:
        if not self.papers_dir.is_dir():
            return []
        return sorted(self.papers_dir.glob("*/*.json"))

    def read(self, path: Path) -> tuple[Paper, str]:
        """One record and the hash of its bytes; ArchiveError names file and line."""
        data = path.read_bytes()
        try:
            paper = Paper.from_dict(json.loads(data))
        except json.JSONDecodeError as error:
            raise ArchiveError(
                f"invalid JSON ({error.msg})",
                where=path,
                line=error.lineno,
                fix="restore the file with 'git checkout' or delete it and fetch again",
            ) from error
        except (TypeError, KeyError, AttributeError, ValueError) as error:
            raise ArchiveError(
                f"not a paper record ({error})",
                where=path,
                line=1,
                fix="restore it with 'git checkout'",
            ) from error
        return paper, hashlib.sha256(data).hexdigest()

    def load(self) -> dict[str, Paper]:
        return {paper.arxiv_id: paper for paper, _ in map(self.read, self.files())}

    def load_ids(self, ids: Iterable[str]) -> dict[str, Paper]:
        """The records of ``ids`` that the archive holds, reading only their files: what
        a fetch needs of a large archive is the records its feeds list."""
        found = {}
        for record_id in sorted(set(ids)):
            try:
                paper, _ = self.read(self.path_for(record_id))
            except FileNotFoundError:
                continue
            found[paper.arxiv_id] = paper
        return found

    def local_files(self) -> list[Path]:
        """The files of the records known by a local id (``papers/pe/``): the only ones
        a fetched arXiv record can be a duplicate of, since two arXiv ids never merge."""
        if not self.papers_dir.is_dir():
            return []
        return sorted(
            path
            for folder in self.papers_dir.iterdir()
            if folder.is_dir() and not folder.name[:1].isdigit()
            for path in folder.glob("*.json")
            if LOCAL_ID.match(path.stem)
        )

    def load_local(self) -> dict[str, Paper]:
        return {paper.arxiv_id: paper for paper, _ in map(self.read, self.local_files())}

    def count(self) -> int:
        """How many records the archive holds, from the folders' listings alone."""
        if not self.papers_dir.is_dir():
            return 0
        return sum(
            sum(1 for name in os.listdir(folder) if name.endswith(".json") and name[0] != ".")
            for folder in self.papers_dir.iterdir()
            if folder.is_dir()
        )

    def save(self, papers: Iterable[Paper]) -> int:
        """Write records that changed; return how many files were written."""
        return sum(replace_file(self.path_for(p.arxiv_id), dump_json(p.to_dict())) for p in papers)

    # Feed state (ETag / Last-Modified per URL) for conditional GETs.
    @property
    def state_path(self) -> Path:
        return self.root / "feed-state.json"

    def load_state(self) -> dict[str, dict[str, str]]:
        try:
            return json.loads(self.state_path.read_text())
        except FileNotFoundError:
            return {}
        except json.JSONDecodeError:
            return {}  # only an optimisation: a broken state means a full GET

    def save_state(self, state: dict[str, dict[str, str]]) -> None:
        replace_file(self.state_path, dump_json(state))

    @contextlib.contextmanager
    def lock(self, timeout: float = 600.0, on_wait=None) -> Iterator[None]:
        """Hold the archive's write lock (other runs wait for it); the temporary files
        of a run killed mid-write are removed first."""
        try:
            with hold_lock(self.root, timeout, on_wait):
                yield
        except LockTimeout:
            raise ArchiveError(
                f"another papershelf run holds the archive lock for over {timeout:.0f} s",
                where=self.root,
                fix="wait for it to finish",
            ) from None
