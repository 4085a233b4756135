"""The Windows code pages that double-encoded text was read with, and the bytes each drops.

Shared by the repair (which puts dropped bytes back) and the character model's
generator (which counts them), so neither imports the other.
"""

from __future__ import annotations

from functools import cache

# Code pages tried, most common first; each drops only continuation bytes (see repair.py).
CODEPAGES = ("cp1252", "cp1254", "cp1250", "cp1251")
SOFT_HYPHEN = 0xAD


@cache
def dropped_bytes(codepage: str) -> frozenset[int]:
    """Bytes the damage removes: those the code page leaves undefined, and the soft hyphen."""
    undefined = set()
    for byte in range(0x80, 0x100):
        try:
            bytes([byte]).decode(codepage)
        except UnicodeDecodeError:
            undefined.add(byte)
    return frozenset(undefined | {SOFT_HYPHEN})
