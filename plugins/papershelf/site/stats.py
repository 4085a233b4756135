"""What the site covers over time: the numbers behind the stats page.

Pure functions over built articles (their real dates, ``.tags``, ``.paper``,
``.note``), one pass each; the site_stats plugin renders them as charts. Papers
over time count by their real date (papershelf.dates); an undated paper is in no
week or month but in the totals' ``undated`` count, so an import of papers without
dates is one number, not a spike on the day it was made.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from papershelf.dates import dates_of
from papershelf.notes.tags import tag_key

NOTE_SOURCE = "note"
RATING_STEPS = [1 + step / 2 for step in range(9)]  # 1, 1.5, ... 5


def paper_source(article) -> str:
    """Where a paper first came from: an arXiv feed, else its first importer,
    else a curator's note. Each paper counts once, under this source."""
    paper = getattr(article, "paper", None)
    sources = paper.sources if paper else []
    return sources[0] if sources else NOTE_SOURCE


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())  # ISO weeks start on Monday


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]


@dataclass(frozen=True)
class Timeline:
    periods: list[str]  # x axis labels, oldest first
    series: list[Series]

    @property
    def total(self) -> int:
        return sum(sum(s.values) for s in self.series)


def weekly_by_source(articles, limit: int) -> Timeline:
    """Dated papers per ISO week by source: every week from the first paper to the
    last (empty ones too, so the axis is honest), at most the last ``limit`` weeks."""
    counts: dict[date, Counter] = defaultdict(Counter)
    for article in articles:
        day = dates_of(article).real_date
        if day:
            counts[week_start(date.fromisoformat(day))][paper_source(article)] += 1
    if not counts:
        return Timeline([], [])
    last = max(counts)
    first = max(min(counts), last - timedelta(weeks=limit - 1))
    weeks = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    totals = Counter()
    for week in weeks:
        totals.update(counts[week])
    sources = sorted(totals, key=lambda source: (-totals[source], source))
    series = [Series(source, [counts[week][source] for week in weeks]) for source in sources]
    return Timeline([week.isoformat() for week in weeks], series)


def _months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def top_tags_by_month(articles, top: int, limit: int) -> Timeline:
    """Papers per month of the ``top`` most used tags, over at most the last
    ``limit`` months with papers."""
    per_month: dict[str, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    names: dict[str, str] = {}
    for article in articles:
        month = dates_of(article).real_date[:7]
        if not month:
            continue
        for tag in getattr(article, "tags", ()):
            key = tag_key(tag.name)
            names.setdefault(key, tag.name)
            per_month[month][key] += 1
            totals[key] += 1
    if not per_month:
        return Timeline([], [])
    months = _months(min(per_month), max(per_month))[-limit:]
    leaders = sorted(totals, key=lambda key: (-totals[key], key))[:top]
    series = [Series(names[key], [per_month[m][key] for m in months]) for key in leaders]
    return Timeline(months, series)


@dataclass(frozen=True)
class Ratings:
    steps: list[float]
    counts: list[int]
    unrated_notes: int
    notes: int


def rating_distribution(articles) -> Ratings:
    """Curator ratings in half-star steps (a rating between steps counts at the
    step below it), and how many notes carry none."""
    counts = Counter()
    notes = unrated = 0
    for article in articles:
        note = getattr(article, "note", None)
        if note is None:
            continue
        notes += 1
        rating = getattr(note, "rating", None)
        if rating is None:
            unrated += 1
            continue
        step = max((s for s in RATING_STEPS if s <= rating), default=RATING_STEPS[0])
        counts[step] += 1
    return Ratings(RATING_STEPS, [counts[step] for step in RATING_STEPS], unrated, notes)


@dataclass(frozen=True)
class Totals:
    papers: int
    notes: int
    tags: int
    first_day: str  # of the dated papers
    last_day: str
    undated: int = 0  # papers without a date (imported), charted nowhere


def totals(articles) -> Totals:
    articles = list(articles)
    days = [day for day in (dates_of(article).real_date for article in articles) if day]
    tags = {tag_key(tag.name) for article in articles for tag in getattr(article, "tags", ())}
    notes = sum(1 for article in articles if getattr(article, "note", None) is not None)
    first, last = min(days, default=""), max(days, default="")
    return Totals(len(articles), notes, len(tags), first, last, len(articles) - len(days))
