"""Which dates a paper has, and the one the site lists it by: the one home of the rule.

Three kinds of day may be known of a record, and only two say when the paper was:

- ``announcement_day``: the day an arXiv listing announced it (``announced``: a
  fetched feed's day, or the day of the bot digest that listed it);
- ``paper_date``: the paper's own date: the day of its first version from the arXiv
  API (``published``, which ``papershelf resolve`` adds), else its curated note's
  ``Date``;
- ``import_day``: the day an import brought the record (``imported``). It says when
  the site learnt of the paper, not when the paper was, so it never dates one.

The real date is the announcement day, else the paper date. A paper with neither
is undated: it is on its tag, topic and category pages and in search, but in no
digest, month, top list or feed, and the stats count it apart, so an import of 800
papers without dates is not 800 papers "new" on the day of the import.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

ANNOUNCED = "announced"
PUBLISHED = "published"
UNDATED = ""
# Pelican wants a date on every article: an undated paper gets this one, so every
# listing sorted newest first puts it after the dated papers. Nothing shows it.
UNDATED_SORT_DATE = datetime.datetime(1970, 1, 1)


def as_day(value) -> str:
    """``YYYY-MM-DD`` of a date, datetime or text starting with one; "" otherwise."""
    if isinstance(value, datetime.date):  # a datetime too
        return value.strftime("%Y-%m-%d")
    text = str(value or "")[:10]
    try:
        return datetime.date.fromisoformat(text).isoformat() if len(text) == 10 else ""
    except ValueError:
        return ""


@dataclass(frozen=True)
class PaperDates:
    announcement_day: str = ""  # YYYY-MM-DD or ""
    published: str = ""  # the first version's day from the arXiv API
    note_day: str = ""  # the curated note's Date
    import_day: str = ""  # never a date of the paper

    @property
    def paper_date(self) -> str:
        """The paper's own date: the API's, else its note's."""
        return self.published or self.note_day

    @property
    def kind(self) -> str:
        """``announced``, ``published`` (the paper's own date) or ``""`` (undated)."""
        if self.announcement_day:
            return ANNOUNCED
        return PUBLISHED if self.paper_date else UNDATED

    @property
    def real_date(self) -> str:
        """The day the site lists the paper by; "" for an undated paper."""
        return self.announcement_day or self.paper_date

    @property
    def is_dated(self) -> bool:
        return bool(self.real_date)

    @property
    def sort_date(self) -> datetime.datetime:
        """Pelican's date of the article: the real date, else UNDATED_SORT_DATE."""
        day = self.real_date
        return datetime.datetime.fromisoformat(day) if day else UNDATED_SORT_DATE


def record_dates(paper, note_date=None) -> PaperDates:
    """The dates of a record (or None) and of its note's ``Date`` (or None)."""
    extra = getattr(paper, "extra", None) or {}
    return PaperDates(
        announcement_day=as_day(getattr(paper, "announced", "")),
        published=as_day(extra.get("published")),
        note_day=as_day(note_date),
        import_day=as_day(extra.get("imported")),
    )


def dates_of(article) -> PaperDates:
    """The dates of a built article: those paper_articles set, else worked out from
    its record and note (articles made elsewhere, such as tests' stand-ins)."""
    known = getattr(article, "dates", None)
    if isinstance(known, PaperDates):
        return known
    note = getattr(article, "note", None)
    return record_dates(getattr(article, "paper", None), getattr(note, "date", None))
