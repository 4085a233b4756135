"""The paper record: one per paper, keyed by its arXiv id (without version)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from papershelf.errors import InvalidArxivId
from papershelf.language import N_

NEW_STYLE_ID = re.compile(r"^(?P<id>\d{4}\.\d{4,5})(?:v(?P<version>\d+))?$")
OLD_STYLE_ID = re.compile(r"^(?P<id>[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v(?P<version>\d+))?$")
# Where an id may sit inside a longer string: a URL, a guid, a description.
# An old-style archive name starts where a run of its letters starts and is short:
# ``[a-z-]+`` tried from every letter of a long run made a search quadratic (a
# 40,000-letter guid took 20 s, a 1 MB one hours).
ID_IN_TEXT = re.compile(
    r"(?:arXiv:|abs/|pdf/|oai:arXiv\.org:)?"
    r"(?P<full>\d{4}\.\d{4,5}(?:v\d+)?|(?<![a-z-])[a-z-]{2,16}(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)"
)

# Papers from imports that have no arXiv id get a stable local id: a short source
# prefix and a hash of their text, e.g. "pe-3f2a9c1b0d".
LOCAL_ID = re.compile(r"^(?P<prefix>[a-z]{2,8})-[0-9a-f]{10,16}$")

# How an announcement ranks when the same paper arrives in several feeds of a day.
ANNOUNCE_TYPE_RANK = {"new": 0, "cross": 1, "replace": 2, "replace-cross": 3}


def parse_arxiv_id(value: str) -> tuple[str, int | None]:
    """Split ``2511.19269v2`` into ``("2511.19269", 2)``; old style ids too."""
    value = value.strip()
    for pattern in (NEW_STYLE_ID, OLD_STYLE_ID):
        match = pattern.match(value)
        if match and _plausible(match.group("id")):
            version = match.group("version")
            return match.group("id"), int(version) if version else None
    raise InvalidArxivId(
        f"{value!r} is not an arXiv id",
        fix="expected e.g. 2511.19269, 2511.19269v2 or hep-th/9901001",
    )


def _plausible(arxiv_id: str) -> bool:
    """New-style ids have a real month and 4 digits before 2015, 5 after."""
    if "/" in arxiv_id:
        return True
    yymm, number = arxiv_id.split(".")
    return 1 <= int(yymm[2:]) <= 12 and len(number) == (5 if yymm >= "1501" else 4)


def find_arxiv_id(text: str) -> tuple[str, int | None] | None:
    """The first arXiv id found in a URL, guid or description, if any. Text shaped
    like an id but not one (``1256.15786``: no month 56) is skipped, not an error:
    one such entry must not cost a whole feed."""
    for match in ID_IN_TEXT.finditer(text or ""):
        try:
            return parse_arxiv_id(match.group("full"))
        except InvalidArxivId:
            continue
    return None


@dataclass
class Announcement:
    """One appearance of a paper in a daily arXiv listing."""

    date: str  # YYYY-MM-DD, the listing day
    announce_type: str
    version: int

    def key(self) -> tuple:
        return (self.date, ANNOUNCE_TYPE_RANK.get(self.announce_type, 9), self.version)


# How each source shows on cards and charts (msgids the templates translate); an
# importer's own name otherwise.
SOURCE_LABELS = {
    "arxiv": N_("arXiv feed"),
    "arxiv-bot": N_("arXiv bot digest"),
    "awesome-notes": N_("awesome list"),
    "paper-explorer": N_("paper explorer"),
    "note": N_("curator's note"),
}
# The announce types as cards and paper pages name them.
ANNOUNCE_TYPE_LABELS = (N_("new"), N_("cross"), N_("replace"), N_("replace-cross"))


def source_label(source: str) -> str:
    return SOURCE_LABELS.get(source, source)


@dataclass
class Paper:
    arxiv_id: str
    title: str
    version: int = 1
    authors: list[str] = field(default_factory=list)
    abstract: str = ""
    primary_category: str = ""
    categories: list[str] = field(default_factory=list)
    announce_type: str = "new"  # of the first announcement seen
    announced: str = ""  # YYYY-MM-DD: the day the paper was first seen
    announcements: list[Announcement] = field(default_factory=list)
    score: float = 0.0
    matched_keywords: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    comment: str = ""
    journal_ref: str = ""
    doi: str = ""
    # Fields later stages add (summaries, imports) that this module does not know.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_arxiv(self) -> bool:
        """False for imported papers known only by a local id."""
        return LOCAL_ID.match(self.arxiv_id) is None

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.arxiv_id}v{self.version}"

    @property
    def cross_categories(self) -> list[str]:
        return [c for c in self.categories if c != self.primary_category]

    @property
    def sources(self) -> list[str]:
        """Where the record came from: "arxiv" (a fetched feed), then each importer."""
        names = ["arxiv"] if self.feeds else []
        names += [item.get("source", "import") for item in self.extra.get("imports", [])]
        return list(dict.fromkeys(names))

    @property
    def last_updated(self) -> str:
        return max((a.date for a in self.announcements), default=self.announced)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        extra = data.pop("extra")
        data.update(extra)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paper:
        known = set(cls.__dataclass_fields__) - {"extra"}
        values = {key: data[key] for key in known if key in data}
        values["announcements"] = [Announcement(**item) for item in data.get("announcements", [])]
        extra = {key: value for key, value in data.items() if key not in known}
        return cls(**values, extra=extra)
