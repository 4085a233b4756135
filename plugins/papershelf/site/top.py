"""The best papers of each week and month: their periods and ranking (pure).

A paper belongs to the ISO week and the month of its real date (``listing_day``,
papershelf.dates): the day a fetched feed or a bot digest announced it, else the
paper's own date (the arXiv API's, or its note's). An undated paper, known only
from an import (``imported`` is the day of the import, not of the paper), is in no
period, so an import cannot flood one week.

Within a period each paper gets a rank value (``TOP_BLEND`` gives the weights):

    score  * the paper's feed score / the best feed score of the period
  + rating * the curator's rating / 5
  + note   * 1 if a curator wrote a note on it

Every term lies in [0, 1] whatever the period, so one blend reads the same in a
quiet week and a busy month. Equal values go to the higher score, then the id.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from papershelf.dates import dates_of

BLEND_TERMS = ("score", "rating", "note")
MAX_RATING = 5.0
KINDS = ("week", "month")


def listing_day(article) -> datetime.date | None:
    """The day a paper's periods are counted from: its real date; None for an
    undated paper (an import's day is not the paper's)."""
    day = dates_of(article).real_date
    return datetime.date.fromisoformat(day) if day else None


def week_key(day: datetime.date) -> str:
    """``2025-W50``: the ISO week (Monday to Sunday; week 1 holds the year's first
    Thursday, so 2025-12-29 is in ``2026-W01``)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_key(day: datetime.date) -> str:
    return f"{day.year}-{day.month:02d}"


def period_days(kind: str, key: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a period."""
    if kind == "week":
        year, week = key.split("-W")
        start = datetime.date.fromisocalendar(int(year), int(week), 1)
        return start, start + datetime.timedelta(days=6)
    year, month = (int(part) for part in key.split("-"))
    start = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)


def rating_of(article) -> float:
    rating = getattr(getattr(article, "note", None), "rating", None)
    return min(max(float(rating), 0.0), MAX_RATING) if rating else 0.0


def score_of(article) -> float:
    return float(getattr(getattr(article, "paper", None), "score", 0.0) or 0.0)


def rank_value(article, best_score: float, blend: Mapping[str, float]) -> float:
    """The blend of one paper in a period whose best feed score is ``best_score``."""
    relative = score_of(article) / best_score if best_score > 0 else 0.0
    has_note = 1.0 if getattr(article, "note", None) is not None else 0.0
    value = (
        blend.get("score", 0.0) * relative
        + blend.get("rating", 0.0) * rating_of(article) / MAX_RATING
        + blend.get("note", 0.0) * has_note
    )
    return round(value, 9)  # equal blends compare equal, whatever the float noise


@dataclass
class Ranked:
    rank: int  # 1-based
    value: float
    article: object


def rank(articles: Iterable, blend: Mapping[str, float]) -> list[Ranked]:
    """Best first by rank value, then feed score, then id."""
    papers = list(articles)
    best = max((score_of(a) for a in papers), default=0.0)
    valued = [(rank_value(a, best, blend), a) for a in papers]
    valued.sort(key=lambda pair: (-pair[0], -score_of(pair[1]), pair[1].slug))
    return [Ranked(number, value, a) for number, (value, a) in enumerate(valued, 1)]


@dataclass
class Period:
    kind: str  # "week" or "month"
    key: str  # 2025-W50, 2025-12
    papers: list  # Ranked, best first: every paper of the period
    base_url: str  # TOP_URL
    size: int  # TOP_SIZE: how many are shown
    previous: Period | None = field(default=None, repr=False)  # older
    next: Period | None = field(default=None, repr=False)  # newer

    @property
    def url(self) -> str:
        return f"{self.base_url}{self.kind}/{self.key}/"

    @property
    def slug(self) -> str:
        """The period's name in file paths: ``week/2025-W50``, ``month/2025-12``."""
        return f"{self.kind}/{self.key}"

    @property
    def year(self) -> str:
        return self.key[:4]

    @property
    def week(self) -> int:
        return int(self.key.split("-W")[1]) if self.kind == "week" else 0

    @property
    def start(self) -> datetime.date:
        return period_days(self.kind, self.key)[0]

    @property
    def end(self) -> datetime.date:
        return period_days(self.kind, self.key)[1]

    @property
    def count(self) -> int:
        return len(self.papers)

    @property
    def shown(self) -> list[Ranked]:
        return self.papers[: self.size]

    @property
    def best_score(self) -> float:
        return max((score_of(r.article) for r in self.papers), default=0.0)


def periods_of(articles: Iterable, kind: str) -> dict[str, list]:
    """Period key -> its papers, for the dated papers."""
    key_of = week_key if kind == "week" else month_key
    members: dict[str, list] = defaultdict(list)
    for article in articles:
        day = listing_day(article)
        if day is not None:
            members[key_of(day)].append(article)
    return members


def build_periods(
    articles: Iterable, kind: str, blend: Mapping[str, float], base_url: str, size: int
) -> list[Period]:
    """The periods of one kind that have papers, newest first, linked to their
    neighbours (the periods with papers before and after)."""
    members = periods_of(articles, kind)
    periods = [
        Period(kind, key, rank(members[key], blend), base_url, size)
        for key in sorted(members, reverse=True)
    ]
    for newer, older in zip(periods, periods[1:], strict=False):
        newer.previous, older.next = older, newer
    return periods


@dataclass
class TopPeriods:
    """Every week and month with papers; templates ask ``of(day)`` for a day's."""

    weeks: list[Period]
    months: list[Period]
    _by_key: dict[tuple[str, str], Period] = field(init=False, repr=False)

    def __post_init__(self):
        self._by_key = {(p.kind, p.key): p for p in self.weeks + self.months}

    def of(self, day) -> dict[str, Period | None]:
        """The week and month pages a day (``YYYY-MM-DD``) belongs to, if any."""
        try:
            date = datetime.date.fromisoformat(str(day)[:10])
        except ValueError:
            return {"week": None, "month": None}
        return {
            "week": self._by_key.get(("week", week_key(date))),
            "month": self._by_key.get(("month", month_key(date))),
        }
