"""The contract every entry point keeps on any input: it returns a value, or raises
a PapershelfError that names the input; never any other exception."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from papershelf.errors import PapershelfError


def value_or_named_error(call: Callable[[], Any], where: str | os.PathLike | None = None):
    """``call()``'s value, or the PapershelfError it raised (which must name ``where``
    when given). Any other exception propagates: the property fails on it."""
    try:
        return call()
    except PapershelfError as error:
        if where is not None:
            assert os.fspath(where) in str(error), f"{error!s} does not name {where}"
        assert str(error).strip(), "an error with no message"
        return error
