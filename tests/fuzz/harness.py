"""What the atheris harnesses share: the contract checked on each input (a value, or
a PapershelfError naming the input; any other exception is a crash atheris reports)."""

from __future__ import annotations

import sys

import atheris


def fuzz(one_input) -> None:
    """Run ``one_input(data: bytes)`` under libFuzzer with sys.argv's options."""
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


def text_of(data: bytes) -> str:
    """The bytes as a parser gets text: decoded, as the project's readers decode."""
    return data.decode("utf-8", errors="replace")
