"""Hashes of the code a cache depends on, named by package.

A cache key that hashes a glob of file names breaks silently when a file
moves; one that hashes named packages follows the code wherever it lives in
them. Each file counts with its path inside the package, so a rename counts
as a change.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterable
from pathlib import Path

# Files of a package that its code runs or reads: sources, scripts, bundled data.
CODE_SUFFIXES = (".py", ".js", ".txt", ".json")


def package_files(package: str, exclude: Iterable[str] = ()) -> list[tuple[str, Path]]:
    """(dotted name, path) of every code file of ``package`` (a package or a
    module), less the subpackages named in ``exclude``; in a stable order."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"no package {package!r} to fingerprint")
    origin = Path(spec.origin)
    if not spec.submodule_search_locations:  # a plain module
        return [(package, origin)]
    root = origin.parent
    skipped = {tuple(name.split(".")) for name in exclude}
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.suffix not in CODE_SUFFIXES or "__pycache__" in relative.parts:
            continue
        dotted = (*package.split("."), *relative.parts)
        if any(dotted[: len(prefix)] == prefix for prefix in skipped):
            continue
        found.append((".".join(dotted), path))
    return found


def code_digest(packages: Iterable[str], exclude: Iterable[str] = ()) -> str:
    """One hash of the code of ``packages`` (less ``exclude``), names included."""
    exclude = tuple(exclude)
    digest = hashlib.sha256()
    for package in packages:
        for name, path in package_files(package, exclude):
            digest.update(name.encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()
