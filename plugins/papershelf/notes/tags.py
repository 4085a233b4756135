"""Tag names: normalisation and the alias file (``content/tags.yml``).

Case, Unicode width, spaces, hyphens and underscores never distinguish tags;
the alias file maps synonyms, abbreviations and translations to one canonical
tag, whose spelling in the file is the one pages show.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from papershelf.build_state import build_state
from papershelf.config import plugin_settings
from papershelf.errors import AliasFileError
from papershelf.inputs import read_text

_SEPARATORS = re.compile(r"[\s_\-‐-―]+")


def tag_key(name: str) -> str:
    """``Mixture-of-Experts`` and ``mixture of  experts`` share one key."""
    return _SEPARATORS.sub(" ", unicodedata.normalize("NFKC", name).casefold()).strip()


@dataclass
class TagAliases:
    canonical_of: dict[str, str] = field(default_factory=dict)  # tag_key -> canonical
    aliases_of: dict[str, list[str]] = field(default_factory=dict)  # canonical -> aliases

    def canonical(self, name: str) -> str:
        """The canonical spelling of a tag (the name itself if it has none)."""
        return self.canonical_of.get(tag_key(name), name.strip())


ENTRY = "Tag: {aliases: [...]}"
_SYNTAX_FIX = f"fix the file's syntax: one '{ENTRY}' entry per tag"


def _yaml(text: str, source: str) -> tuple[object, yaml.Node | None]:
    """The YAML document and its node tree (for the line of each entry)."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node else None), node
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        column = f" (column {mark.column + 1})" if mark else ""
        raise AliasFileError(
            f"not valid YAML: {problem}{column}",
            where=source,
            line=mark.line + 1 if mark else 1,
            fix=_SYNTAX_FIX,
        ) from None
    finally:
        loader.dispose()


def _entry_lines(node: yaml.Node | None) -> dict[str, int]:
    """The 1-based line of each top-level key."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value).strip(): key.start_mark.line + 1 for key, _ in node.value}


def parse_aliases(text: str, source: str = "tags.yml") -> TagAliases:
    """The aliases in ``text``; AliasFileError names the line of a bad entry."""
    data, node = _yaml(text, source)
    data = data or {}
    if not isinstance(data, dict):
        raise AliasFileError(
            f"expected '{ENTRY}' entries, not a {type(data).__name__}",
            where=source,
            line=1,
            fix=_SYNTAX_FIX,
        )
    lines = _entry_lines(node)
    result = TagAliases()
    for canonical, entry in data.items():
        canonical = str(canonical).strip()

        def fail(message: str, fix: str, canonical=canonical):
            return AliasFileError(message, where=source, line=lines.get(canonical), fix=fix)

        if entry is not None and not isinstance(entry, dict):
            raise fail(
                f"'{canonical}' is followed by {entry!r}, not by its aliases",
                f"write '{canonical}: {{aliases: [...]}}'",
            )
        aliases = (entry or {}).get("aliases") or []
        if not isinstance(aliases, list):
            raise fail(
                f"the aliases of '{canonical}' must be a list, not {aliases!r}",
                f"write '{canonical}: {{aliases: [{aliases}]}}'",
            )
        for alias in aliases:
            if isinstance(alias, dict | list) or alias is None:
                raise fail(
                    f"alias {alias!r} of '{canonical}' is not a tag name",
                    "write each alias as plain text, e.g. [Mixture of Experts, 专家混合]",
                )
        result.aliases_of[canonical] = [str(alias) for alias in aliases]
        for name in [canonical, *map(str, aliases)]:
            other = result.canonical_of.setdefault(tag_key(name), canonical)
            if other != canonical:
                raise fail(
                    f"'{name}' is listed under both '{other}' and '{canonical}'",
                    "keep it under one of them",
                )
    return result


def load_aliases(path: str | Path) -> TagAliases:
    """The alias file, or no aliases if there is none."""
    path = Path(path)
    if not path.is_file():
        return TagAliases()
    return parse_aliases(read_text(path, AliasFileError), str(path))


def tag_aliases(settings: dict) -> TagAliases:
    """The alias file, read once per build (and again only if it changed)."""
    path = plugin_settings(settings)["PAPERSHELF_TAG_ALIASES"]
    stamp = (path, os.stat(path).st_mtime_ns if os.path.exists(path) else None)
    cached = build_state(settings).aliases
    if cached.get("stamp") != stamp:
        cached.update(stamp=stamp, value=load_aliases(path))
    return cached["value"]
