"""Tag names: normalisation and the alias file (``content/tags.yml``).

Case, Unicode width, spaces, hyphens and underscores never distinguish tags;
the alias file maps synonyms, abbreviations and translations to one canonical
tag, whose spelling in the file is the one pages show.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from papershelf.errors import AliasFileError

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


def parse_aliases(text: str, source: str = "tags.yml") -> TagAliases:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise AliasFileError(f"{source}:{line}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise AliasFileError(f"{source}:1: expected 'Tag: {{aliases: [...]}}' entries")
    result = TagAliases()
    for canonical, entry in data.items():
        canonical = str(canonical).strip()
        aliases = (entry or {}).get("aliases", []) if isinstance(entry, dict) else None
        if not isinstance(aliases, list):
            raise AliasFileError(f"{source}: {canonical}: 'aliases' must be a list")
        result.aliases_of[canonical] = [str(alias) for alias in aliases]
        for name in [canonical, *map(str, aliases)]:
            other = result.canonical_of.setdefault(tag_key(name), canonical)
            if other != canonical:
                raise AliasFileError(
                    f"{source}: '{name}' is listed under both '{other}' and '{canonical}'"
                )
    return result


def load_aliases(path: str | Path) -> TagAliases:
    path = Path(path)
    if not path.is_file():
        return TagAliases()
    return parse_aliases(path.read_text(encoding="utf-8"), str(path))
