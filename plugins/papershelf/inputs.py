"""Reading the files a user gives: UTF-8 text, or one error naming the file.

Notes, the tag alias file and the files given to ``import`` are text a person
saved, often with an editor that picked another encoding (GB18030 on a Chinese
Windows, UTF-16 from Notepad) or, by mistake, a file that is not text at all.
Decoding such bytes as UTF-8 raises a ``UnicodeDecodeError`` that says nothing
about the file; here it becomes a PapershelfError naming the file, the line of
the first bad byte, what the bytes look like and how to fix it.
"""

from __future__ import annotations

import os
from pathlib import Path

from papershelf.errors import InputError, PapershelfError, UsageError

SAVE_AS_UTF8 = "save it as UTF-8"

# Files people put where text belongs, by their first bytes.
_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a Word document?)"),
)
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def text_problem(data: bytes) -> tuple[int, str] | None:
    """Why ``data`` is not UTF-8 text, with the 1-based line of the first bad
    byte; None if it is fine.

    NUL bytes count as bad: they are valid UTF-8, but no text holds them, and
    they are what UTF-16 without a byte order mark looks like."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return 1, f"it is {kind}"
    if data.startswith(_UTF16_MARKS):
        return 1, "it is UTF-16 (it starts with a UTF-16 byte order mark)"
    nul = data.find(b"\0")
    if nul >= 0:
        why = "it holds NUL bytes (UTF-16 without a byte order mark, or not text at all)"
        return _line_at(data, nul), why
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        why = (
            f"it holds byte 0x{data[error.start]:02x}, which UTF-8 does not allow there "
            "(GB18030, GBK or another legacy encoding?)"
        )
        return _line_at(data, error.start), why
    return None


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_text(
    data: bytes, where: str | os.PathLike, error: type[PapershelfError] = InputError
) -> str:
    """``data`` as UTF-8 text, or ``error`` naming ``where`` and the first bad line."""
    problem = text_problem(data)
    if problem:
        line, why = problem
        raise error(f"not UTF-8 text: {why}", where=where, line=line, fix=SAVE_AS_UTF8)
    return data.decode("utf-8")


def read_bytes(path: str | os.PathLike, error: type[PapershelfError] = InputError) -> bytes:
    """The file's bytes; a missing file or a folder is a UsageError (someone gave a
    wrong path), an unreadable one ``error``."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError("no such file", where=path, fix="check the path") from None
    except IsADirectoryError:
        raise UsageError("is a folder, not a file", where=path, fix="give a file") from None
    except OSError as failure:
        raise error(
            f"cannot be read ({failure.strerror})", where=path, fix="check its permissions"
        ) from None


def read_text(path: str | os.PathLike, error: type[PapershelfError] = InputError) -> str:
    """The file as UTF-8 text, or one PapershelfError naming it."""
    return decode_text(read_bytes(path, error), path, error)
