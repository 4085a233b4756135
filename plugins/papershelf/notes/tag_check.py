"""Tags that are probably one tag spelled two ways, not yet joined by an alias.

``LLM Agents`` / ``LLM agent``, ``Chain of Thought`` / ``Chain-of-Thoughts`` or
``ReAct`` / ``re-act``: equal once case, width, separators and word endings (the
search stemmer's) are ignored. Spellings that differ only by inflection
(``papershelf.notes.tags.inflection_key``) are one tag already and never warned
about; ``papershelf check`` reports the rest as warnings: the fix is an alias or
a ``keep_apart`` entry in ``content/tags.yml``, which only a curator can decide on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from papershelf.notes.tags import TagAliases, inflection_key, tag_key
from papershelf.search.porter import stem


@dataclass(frozen=True, order=True)
class TagWarning:
    where: str  # "path:line" of a note using one of the spellings, or an archive record
    names: tuple[str, ...]
    url: str = ""  # set when the tags are different but would share this page

    def __str__(self) -> str:
        shown = " and ".join(f"'{name}'" for name in self.names)
        if self.url:
            return (
                f"{self.where}: warning: tags {shown} are different but share the page "
                f"{self.url} and would be shown as one (rename one of them)"
            )
        return (
            f"{self.where}: warning: tags {shown} look like one tag "
            f"(list the others as aliases of one in tags.yml)"
        )


def loose_key(name: str) -> str:
    """A tag's key, ignoring word endings and the spaces between words."""
    return "".join(stem(word) if word.isascii() else word for word in tag_key(name).split())


def near_duplicates(uses: Iterable[tuple[str, str]], aliases: TagAliases) -> list[TagWarning]:
    """``uses``: (tag as written, where) pairs; one warning per group of canonical
    tags that share a loose key."""
    groups: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for name, where in uses:
        canonical = aliases.canonical(name)
        groups[loose_key(canonical)].setdefault(inflection_key(canonical), (canonical, where))
    warnings = []
    for spellings in groups.values():
        # A spelling the curator kept apart from every other one is decided.
        undecided = [
            (name, where)
            for name, where in spellings.values()
            if any(
                name != other and not aliases.kept_apart(name, other)
                for other, _ in spellings.values()
            )
        ]
        if len(undecided) > 1:
            found = sorted(undecided)
            wheres = sorted(where for _, where in found)
            warnings.append(TagWarning(wheres[0], tuple(name for name, _ in found)))
    return sorted(warnings)


def shared_pages(
    uses: Iterable[tuple[str, str]], aliases: TagAliases, page_of: Callable[[str], str]
) -> list[TagWarning]:
    """Tags that are different (``C``, ``C++``) but whose URLs are the same
    (``tags/c/``): the site would merge them. ``page_of``: a tag's URL."""
    groups: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for name, where in uses:
        canonical = aliases.canonical(name)
        groups[page_of(canonical)].setdefault(tag_key(canonical), (canonical, where))
    warnings = []
    for url, spellings in groups.items():
        if len(spellings) > 1:
            found = sorted(spellings.values())
            wheres = sorted(where for _, where in found)
            warnings.append(TagWarning(wheres[0], tuple(name for name, _ in found), url))
    return sorted(warnings)
