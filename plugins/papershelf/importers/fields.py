"""Recognising fields in hand-written lines: dates, ratings, venues, links, affiliations.

Pure functions over strings, shared by the importers. They are tuned on real
awesome-list READMEs: Chinese and English mixed, no fixed separators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from papershelf.model import InvalidArxivId, parse_arxiv_id
from papershelf.text import CHINESE_TEXT_CLASS

# Pictographs that start a highlight ("1. ✨ ..."); geometric bullets such as ● are not.
EMOJI = re.compile(r"[\u231a-\u23ff\u2600-\u27bf\u2b50\u2b55\U0001f000-\U0001faff]")
# A link ends at white space, quotes, or Chinese text and punctuation glued to it.
URL = re.compile(f"https?://[^\\s<>\"'{CHINESE_TEXT_CLASS}]+")
# 2025.11.25 or 2025.5.9, not part of a longer number (arXiv ids look alike).
DOTTED_DATE = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?![\d])")
# A trailing standalone rating: "5", "4+", "5？", "5?", "5(TBD)"; after a space or a
# closing bracket ("EBM（能量校准）4"), never glued to a name ("FP4", "R3", "Qwen3").
RATING_SUFFIX = re.compile(
    r"(?:(?<=\s)|(?<=[)）]))(?P<value>[1-5](?:\.5)?)(?P<plus>\+)?\s*"
    r"(?P<mark>[?？]|[(（]TBD[)）])?\s*$"
)
VENUES = (
    "NeurIPS|NIPS|ICLR|ICML|ACL|EMNLP|NAACL|COLING|COLM|AAAI|IJCAI|KDD|CVPR|ICCV|ECCV|"
    "ASPLOS|SC|OSDI|SOSP|NSDI|EuroSys|ATC|MLSys|ISCA|MICRO|HPCA|PPoPP|SIGMOD|VLDB|TACL"
)
# "ICLR 2026投稿" (submitted), "NeurIPS25", "ASPLOS26", "EMNLP 2025", "SC25".
VENUE = re.compile(rf"(?<![A-Za-z])(?:{VENUES})\s?'?(?:20\d\d|\d\d)(?:投稿)?(?![A-Za-z\d])")
ACL_ANTHOLOGY = re.compile(r"aclanthology\.org/(?P<year>\d{4})\.(?P<venue>[a-z]+)-")
ARXIV_LINK = re.compile(r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(?P<id>[^?#\s]+)")
CODE_HOSTS = re.compile(
    r"^https?://(?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co|anonymous\.4open\.science)/"
)
ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.]{0,7}$")
SENTENCE_PUNCTUATION = re.compile(r"[。；;：:！!？?]")


def iso_date(match: re.Match) -> str | None:
    """``2025.5.9`` -> ``2025-05-09``; None for an impossible day."""
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
    except ValueError:
        return None


@dataclass(frozen=True)
class Rating:
    value: str  # "4.5" for "4+": what the note's Rating key holds
    written: str  # as in the heading: "4+", "5？", "5(TBD)"
    mark: str | None  # "?", "？" (unsure) or "(TBD)"

    def __str__(self) -> str:
        return self.value if self.written == self.value else f"{self.value} ({self.written})"

    @property
    def remark(self) -> str | None:
        """The curator's doubt, for the note's body (the Rating key holds a number)."""
        if not self.mark:
            return None
        meaning = "to be decided" if "TBD" in self.mark else "unsure"
        return f"*Curator's rating: {self.written} (marked {meaning} in the source list).*"


def split_rating(heading: str) -> tuple[str, Rating | None]:
    """``"FastGRO 4+"`` -> ``("FastGRO", Rating("4.5", "4+", None))``; no rating: None."""
    match = RATING_SUFFIX.search(heading.rstrip())
    name = heading[: match.start()].strip() if match else ""
    if not match or not name:
        return heading.strip(), None
    value = float(match["value"]) + (0.5 if match["plus"] else 0)
    if value > 5:
        return heading.strip(), None
    return name, Rating(f"{value:g}", match.group(0).strip(), match["mark"])


def arxiv_id_of(url: str) -> str | None:
    """The id of an ``arxiv.org/abs/…`` or ``/pdf/…`` link, without version."""
    match = ARXIV_LINK.match(url)
    if not match:
        return None
    candidate = match["id"].rstrip("/.").removesuffix(".pdf")
    try:
        return parse_arxiv_id(candidate)[0]
    except InvalidArxivId:
        return None


def is_code_link(url: str) -> bool:
    return bool(CODE_HOSTS.match(url))


def venue_from_link(url: str) -> str | None:
    """Venues a paper link names by itself (ACL Anthology, TACL)."""
    match = ACL_ANTHOLOGY.search(url)
    if match:
        return f"{match['venue'].upper()} {match['year']}"
    if "direct.mit.edu/tacl/" in url:
        return "TACL"
    return None


def _tokens(text: str) -> list[str]:
    """White-space separated tokens; a bracketed part stays whole: ``（SuperSymmetry Tech）``."""
    tokens: list[str] = []
    depth = 0
    for word in text.split():
        if depth > 0 and tokens:
            tokens[-1] += " " + word
        else:
            tokens.append(word)
        depth = max(
            0, depth + sum(word.count(c) for c in "(（") - sum(word.count(c) for c in ")）")
        )
    return tokens


def split_affiliations(text: str) -> list[str]:
    """``MIT NVIDIA 韩松团队等`` -> three; ``Google DeepMind``, ``Moonshot AI`` stay whole.

    Commas, ``&`` and ``、`` always separate; spaces separate unless they join two
    Latin words that are not both acronyms (a multi-word name).
    """
    names: list[str] = []
    for part in re.split(r"[,，、&;；]", text):
        merged: list[str] = []
        for token in _tokens(part):
            previous = merged[-1] if merged else ""
            joins = (
                previous[-1:].isascii()
                and previous[-1:].isalpha()
                and token[:1].isascii()
                and token[:1].isalpha()
                and not (ACRONYM.match(previous.split()[-1]) and ACRONYM.match(token))
            )
            if joins:
                merged[-1] += " " + token
            else:
                merged.append(token)
        names.extend(name for name in merged if name)
    return names


@dataclass
class LineMeta:
    """What a paper line's free text holds besides its link."""

    dates: list[str] = field(default_factory=list)
    venues: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # curator's remarks, for the body
    bad_dates: list[str] = field(default_factory=list)


def _short_enough(piece: str) -> bool:
    """Affiliations are short lists of names, not sentences."""
    return len(piece) <= 40 and not SENTENCE_PUNCTUATION.search(piece)


def parse_meta(text: str) -> LineMeta:
    """Split ``MIT NVIDIA 韩松团队等 2025.11.21 ASPLOS26`` into its fields.

    Dates and venues cut the text into pieces; short pieces are affiliations,
    long ones the curator's comments (``UCB等针对LLM…`` splits after ``等``).
    """
    meta = LineMeta()
    pieces: list[str] = []
    rest = 0
    spans = sorted(
        [(m.start(), m.end(), "date", m) for m in DOTTED_DATE.finditer(text)]
        + [(m.start(), m.end(), "venue", m) for m in VENUE.finditer(text)]
    )
    for start, end, kind, match in spans:
        if start < rest:
            continue
        pieces.append(text[rest:start])
        rest = end
        if kind == "venue":
            meta.venues.append(match.group(0))
        elif iso := iso_date(match):
            meta.dates.append(iso)
        else:
            meta.bad_dates.append(match.group(0))
    pieces.append(text[rest:])
    for piece in pieces:
        piece = piece.lstrip(" \t\u00a0,，;；").rstrip()
        if not piece:
            continue
        if _short_enough(piece.rstrip(",，")):
            meta.affiliations.extend(split_affiliations(piece))
            continue
        cut = piece.find("等")
        if 0 < cut <= 20 and _short_enough(piece[: cut + 1]):
            meta.affiliations.extend(split_affiliations(piece[: cut + 1]))
            piece = piece[cut + 1 :].strip()
        if piece:
            meta.comments.append(piece)
    return meta
