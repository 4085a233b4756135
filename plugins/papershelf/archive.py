"""The paper archive: one JSON file per paper under ``<archive>/papers/``.

Files are written atomically (temporary file, fsync, rename) with stable key
order, and only when their bytes change, so a repeated fetch changes nothing
and a crash mid-write never leaves a broken file. Writers hold a lock.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from papershelf.errors import ArchiveError
from papershelf.model import LOCAL_ID, Paper, parse_arxiv_id


def dump_json(data: Any) -> bytes:
    """The canonical bytes of an archive file."""
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def write_atomic(path: Path, data: bytes, durable: bool = True) -> bool:
    """Replace ``path`` with ``data`` atomically; return False if it already held it.

    ``durable=False`` skips the fsync: for files a build can make again (thousands of
    search shards), where readers must still never see half a file."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return True


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

    def save(self, papers: Iterable[Paper]) -> int:
        """Write records that changed; return how many files were written."""
        return sum(write_atomic(self.path_for(p.arxiv_id), dump_json(p.to_dict())) for p in papers)

    def _remove_leftovers(self) -> None:
        """Delete the temporary files of a writer that was killed mid-write (only
        the lock holder writes, so none of them is in use)."""
        for leftover in self.root.rglob(".*.tmp"):
            leftover.unlink(missing_ok=True)

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
        write_atomic(self.state_path, dump_json(state))

    @contextlib.contextmanager
    def lock(self, timeout: float = 600.0, on_wait=None) -> Iterator[None]:
        """Hold the archive's write lock (other fetches wait for it)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+") as handle:
            deadline = time.monotonic() + timeout
            waited = False
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as error:
                    if error.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() > deadline:
                        raise ArchiveError(
                            f"another papershelf run holds the archive lock for over "
                            f"{timeout:.0f} s",
                            where=self.root,
                            fix="wait for it to finish",
                        ) from None
                    if on_wait and not waited:
                        on_wait()
                    waited = True
                    time.sleep(0.1)
            self._remove_leftovers()
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
