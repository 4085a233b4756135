"""Tag names: normalisation, the inflection rule and the alias file (``content/tags.yml``).

Case, Unicode width, spaces, hyphens and underscores never distinguish tags;
neither do English plurals (``inflection_key``): tags that differ only so join
under their most used spelling (``inflection_joins``), unless the alias file
keeps them apart. The alias file maps synonyms, abbreviations and translations
to one canonical tag, whose spelling in the file is the one pages show.
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
# An acronym's plural: two capitals or more, then a lowercase s (LLMs, MoEs, LoRAs).
_ACRONYM_PLURAL = re.compile(r"[A-Z0-9]*[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*s")
# Endings that are not plurals (class, corpus, analysis, bias), and words of three letters.
_NOT_PLURAL = ("ss", "us", "is", "as")
_SIBILANT_E = re.compile(r"([sxz]|ch|sh)e$")
_AROUND = re.compile(r"(\W*)(.*?)(\W*)", re.DOTALL)


def tag_key(name: str) -> str:
    """``Mixture-of-Experts`` and ``mixture of  experts`` share one key."""
    return _SEPARATORS.sub(" ", unicodedata.normalize("NFKC", name).casefold()).strip()


def _singular(word: str) -> str:
    """One English word's key: ``models``/``model``, ``caches``/``cache``,
    ``boxes``/``box`` and ``strategies``/``strategy`` each share one. Applied to
    singulars too (``cache`` -> ``cach``), so both forms meet; punctuation around
    the word stays (``(LLMs)`` -> ``(llm)``)."""
    before, word, after = _AROUND.fullmatch(word).groups()
    return before + _singular_word(word) + after.casefold()


def _singular_word(word: str) -> str:
    if _ACRONYM_PLURAL.fullmatch(word):
        return word[:-1].casefold()
    word = word.casefold()
    if not word.isascii() or not word.isalpha():
        return word
    if len(word) > 3 and word.endswith("s") and not word.endswith(_NOT_PLURAL):
        word = word[:-1]
    if word.endswith("ie") and len(word) > 4:
        return word[:-2] + "y"
    return _SIBILANT_E.sub(r"\1", word)


def inflection_key(name: str) -> str:
    """Tags with one key differ only by English inflection (plural -s, -es, -ies,
    an acronym's plural), word by word: ``LLMs Compression`` = ``LLM compression``,
    ``language models`` = ``Language Model``; ``Efficient`` and ``Efficiency`` differ."""
    words = _SEPARATORS.sub(" ", unicodedata.normalize("NFKC", name)).split()
    return " ".join(_singular(word) for word in words)


@dataclass
class TagAliases:
    canonical_of: dict[str, str] = field(default_factory=dict)  # tag_key -> canonical
    aliases_of: dict[str, list[str]] = field(default_factory=dict)  # canonical -> aliases
    inflected_of: dict[str, str | None] = field(default_factory=dict)  # inflection_key -> one
    apart: set[frozenset[str]] = field(default_factory=set)  # tag_key pairs kept apart

    def canonical(self, name: str) -> str:
        """The canonical spelling of a tag (the name itself if it has none); an
        inflection of a listed name means what that name means, unless kept apart."""
        found = self.canonical_of.get(tag_key(name))
        if found is None:
            found = self.inflected_of.get(inflection_key(name))
            if found is None or self.kept_apart(name, found):
                return name.strip()
        return found

    def kept_apart(self, one: str, other: str) -> bool:
        return frozenset((tag_key(one), tag_key(other))) in self.apart

    def with_joins(self, joins: dict[str, str]) -> TagAliases:
        """This table, also knowing the spellings a build joined (spelling -> its
        tag) as aliases, so tag pages list them and search finds them."""
        aliases_of = {name: list(aliases) for name, aliases in self.aliases_of.items()}
        for name, winner in sorted(joins.items()):
            known = aliases_of.setdefault(winner, [])
            if tag_key(name) not in {tag_key(other) for other in [winner, *known]}:
                known.append(name)
        canonical_of = {**self.canonical_of, **{tag_key(n): w for n, w in joins.items()}}
        return TagAliases(canonical_of, aliases_of, self.inflected_of, self.apart)


def _choice_key(name: str, uses: int, listed: bool) -> tuple:
    # The spelling tags.yml names, then the most used, then the shortest, then
    # the first in code point order: the same choice in every build.
    return (not listed, -uses, len(name), name)


def inflection_joins(uses: dict[str, int], aliases: TagAliases) -> dict[str, str]:
    """``uses``: papers per tag spelling (after the alias file). Returns each
    spelling that joins another -> that one: spellings sharing an inflection key
    join the one tags.yml names, else the most used; one kept apart stays."""
    groups: dict[str, list[str]] = {}
    for name in sorted(uses):
        groups.setdefault(inflection_key(name), []).append(name)
    joins = {}
    for names in groups.values():
        if len({tag_key(name) for name in names}) < 2:
            continue  # one tag in several cases: the slug already joins them
        winner = min(names, key=lambda n: _choice_key(n, uses[n], n in aliases.aliases_of))
        for name in names:
            if tag_key(name) != tag_key(winner) and not aliases.kept_apart(name, winner):
                joins[name] = winner
    return joins


ENTRY = "Tag: {aliases: [...]}"
KEYS = ("aliases", "keep_apart")
_SYNTAX_FIX = f"fix the file's syntax: one '{ENTRY}' entry per tag"


class _TextLoader(yaml.SafeLoader):
    """SafeLoader reading dates as text: tags are names, and a date that is none
    (``2025-13-01``) must not make the constructor fail."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if not tag.endswith(":timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml(text: str, source: str) -> tuple[object, yaml.Node | None]:
    """The YAML document and its node tree (for the line of each entry)."""
    loader = None
    try:
        # The reader refuses control characters as soon as it is made, before parsing.
        loader = _TextLoader(text)
        node = loader.get_single_node()
        return (loader.construct_document(node) if node else None), node
    except yaml.reader.ReaderError as error:
        raise AliasFileError(
            f"not valid YAML: it holds U+{error.character:04X}, a character YAML does not allow",
            where=source,
            line=text.count("\n", 0, max(error.position, 0)) + 1,
            fix="delete the character (a control character pasted by accident?)",
        ) from None
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
    except (ValueError, OverflowError, RecursionError) as error:
        # What a constructor makes of an explicit tag (!!timestamp 2025-13-01,
        # !!float), or nesting too deep for the composer.
        problem = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise AliasFileError(f"not valid YAML: {problem}", where=source, fix=_SYNTAX_FIX) from None
    finally:
        if loader is not None:
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
        unknown = sorted(set(entry or {}) - set(KEYS), key=str)
        if unknown:
            raise fail(
                f"'{canonical}' has an unknown key '{unknown[0]}'",
                f"use only {' and '.join(KEYS)}, e.g. 'Tag: {{aliases: [...], keep_apart: [...]}}'",
            )
        aliases = _names(entry, "aliases", canonical, fail)
        apart = _names(entry, "keep_apart", canonical, fail)
        result.aliases_of[canonical] = aliases
        for name in [canonical, *aliases]:
            other = result.canonical_of.setdefault(tag_key(name), canonical)
            if other != canonical:
                raise fail(
                    f"'{name}' is listed under both '{other}' and '{canonical}'",
                    "keep it under one of them",
                )
        for name in apart:
            if result.canonical_of.get(tag_key(name)) == canonical:
                raise fail(
                    f"'{name}' is '{canonical}' or one of its aliases, and kept apart from it",
                    f"remove '{name}' from one of the lists",
                )
            result.apart.add(frozenset((tag_key(name), tag_key(canonical))))
    for canonical, aliases in result.aliases_of.items():
        for name in [canonical, *aliases]:
            other = result.inflected_of.setdefault(inflection_key(name), canonical)
            if other not in (canonical, None):
                result.inflected_of[inflection_key(name)] = None  # two tags: no guess
    return result


def _names(entry, key: str, canonical: str, fail) -> list[str]:
    """The list under ``key`` of one entry, each a plain tag name."""
    names = (entry or {}).get(key) or []
    if not isinstance(names, list):
        raise fail(
            f"the {key} of '{canonical}' must be a list, not {names!r}",
            f"write '{canonical}: {{{key}: [{names}]}}'",
        )
    for name in names:
        if isinstance(name, dict | list) or name is None:
            raise fail(
                f"{key} entry {name!r} of '{canonical}' is not a tag name",
                "write each name as plain text, e.g. [Mixture of Experts, 专家混合]",
            )
    return [str(name) for name in names]


def load_aliases(path: str | Path) -> TagAliases:
    """The alias file, or no aliases if there is none."""
    path = Path(path)
    if not path.is_file():
        return TagAliases()
    return parse_aliases(read_text(path, AliasFileError), str(path))


def tag_aliases(settings: dict) -> TagAliases:
    """The alias file, read once per build (and again only if it changed); once
    the build has resolved its tags (``set_joined_aliases``), with its joins."""
    path = plugin_settings(settings)["PAPERSHELF_TAG_ALIASES"]
    stamp = (path, os.stat(path).st_mtime_ns if os.path.exists(path) else None)
    cached = build_state(settings).aliases
    if cached.get("stamp") != stamp:
        cached.clear()
        cached.update(stamp=stamp, value=load_aliases(path))
    return cached.get("joined") or cached["value"]


def set_joined_aliases(settings: dict, joined: TagAliases) -> None:
    """What ``tag_aliases`` returns for the rest of this build."""
    tag_aliases(settings)
    build_state(settings).aliases["joined"] = joined
