"""Mutations of a generated document, as real files get damaged: cut short, saved in
another encoding or with a BOM, NUL and control bytes, bidi and zero-width
characters, a huge field, deep nesting, a line given twice, CRLF line ends, mixed
scripts. ``mutated(documents)`` draws a document and 0-3 mutations as bytes."""

from __future__ import annotations

from hypothesis import strategies as st

from .strategies import BIDI, CONTROL, ZERO_WIDTH

ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "gb18030",
    "cp1252",
    "latin-1",
]
# Opening bytes of documents that are not what they claim to be.
NOT_TEXT = [b"\x89PNG\r\n\x1a\n", b"%PDF-1.7\n", b"PK\x03\x04", b"\xff\xd8\xff\xe0", b"GIF89a"]


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


def _insert(data: bytes, at: int, piece: bytes) -> bytes:
    at = min(at, len(data))
    return data[:at] + piece + data[at:]


def _nesting(kind: str, depth: int) -> bytes:
    opening, closing = {
        "xml": ("<x>", "</x>"),
        "yaml": ("[", "]"),
        "markdown": ("> ", ""),
        "html": ("<div>", ""),
        "json": ('{"a":', "}"),
    }[kind]
    return (opening * depth + "deep" + closing * depth).encode()


@st.composite
def mutation(draw):
    """One mutation: a function of the bytes."""
    kind = draw(
        st.sampled_from(
            [
                "truncate",
                "insert",
                "nul",
                "crlf",
                "cr",
                "duplicate",
                "huge",
                "nest",
                "bom",
                "not-text",
                "invalid-utf8",
                "drop-line",
                "swap",
                "declared-encoding",
            ]
        )
    )
    at = draw(st.integers(0, 10**6))
    if kind == "truncate":
        return lambda data: data[: at % (len(data) + 1)]
    if kind == "insert":
        piece = draw(
            st.lists(
                st.sampled_from(CONTROL + BIDI + ZERO_WIDTH + ["Ω", "中", "ي"]),
                min_size=1,
                max_size=5,
            )
        )
        return lambda data: _insert(data, at % (len(data) + 1), "".join(piece).encode())
    if kind == "nul":
        count = draw(st.integers(1, 4))
        return lambda data: _insert(data, at % (len(data) + 1), b"\0" * count)
    if kind == "crlf":
        return lambda data: data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if kind == "cr":
        return lambda data: data.replace(b"\n", b"\r")
    if kind == "duplicate":

        def duplicate(data: bytes) -> bytes:
            lines = data.splitlines(keepends=True)
            if not lines:
                return data
            line = lines[at % len(lines)]
            return b"".join(lines[: at % len(lines)] + [line, line] + lines[at % len(lines) + 1 :])

        return duplicate
    if kind == "huge":
        size = draw(st.sampled_from([10_000, 100_000, 1_000_000]))
        piece = draw(st.sampled_from([b"a", b"\xe4\xb8\xad", b"a, ", b"  ", b"x" * 7 + b" "]))
        return lambda data: _insert(data, at % (len(data) + 1), piece * (size // len(piece)))
    if kind == "nest":
        nest = draw(st.sampled_from(["xml", "yaml", "markdown", "html", "json"]))
        depth = draw(st.sampled_from([50, 500, 5000]))
        return lambda data: _insert(data, at % (len(data) + 1), _nesting(nest, depth))
    if kind == "bom":
        bom = draw(
            st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf" * 2])
        )
        return lambda data: bom + data
    if kind == "not-text":
        head = draw(st.sampled_from(NOT_TEXT))
        return lambda data: head + data
    if kind == "invalid-utf8":
        piece = draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe4\xb8", b"\x80\x80"]))
        return lambda data: _insert(data, at % (len(data) + 1), piece)
    if kind == "declared-encoding":  # what the XML declaration says the bytes are
        name = draw(st.sampled_from([b"UTF-8\x99", b"bogus", b"utf-16", b"gb18030", b"", b"\xff"]))
        return lambda data: data.replace(b'encoding="UTF-8"', b'encoding="' + name + b'"', 1)
    if kind == "drop-line":

        def drop(data: bytes) -> bytes:
            lines = data.splitlines(keepends=True)
            return b"".join(lines[: at % (len(lines) or 1)] + lines[at % (len(lines) or 1) + 1 :])

        return drop

    # swap two lines
    def swap(data: bytes) -> bytes:
        lines = data.splitlines(keepends=True)
        if len(lines) < 2:
            return data
        i, j = at % len(lines), (at // 7) % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
        return b"".join(lines)

    return swap


@st.composite
def mutated(draw, documents, max_mutations: int = 3) -> bytes:
    """A document from ``documents``, encoded (mostly UTF-8) and mutated 0-3 times."""
    text = draw(documents)
    encoding = draw(st.one_of(st.just("utf-8"), st.sampled_from(ENCODINGS)))
    data = _encode(text, encoding)
    for change in draw(st.lists(mutation(), max_size=max_mutations)):
        data = change(data)
    return data


def as_text(data: bytes) -> str:
    """Bytes as text, as a pure parser gets it: decoded already, so never holding a
    lone surrogate (papershelf.inputs refuses bytes that are not UTF-8 before that)."""
    return data.decode("utf-8", errors="replace")
