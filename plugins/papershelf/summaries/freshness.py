"""Which version of a paper its AI summary was made from.

An AI summary records the paper's version when it was written (``version``).
Summaries stored before that was recorded were written when the record was first
seen, so they count as made from the first announced version. A summary is
stale when the paper has been replaced since: the page says so, and
``papershelf summarize --stale`` writes it again.
"""

from __future__ import annotations

from papershelf.model import Paper


def summary_version(paper: Paper) -> int | None:
    """The version the AI summary was made from; None when there is no summary."""
    summary = paper.extra.get("ai_summary")
    if not isinstance(summary, dict) or not summary.get("text"):
        return None
    recorded = summary.get("version")
    if isinstance(recorded, int) and not isinstance(recorded, bool) and recorded > 0:
        return recorded
    first = min(paper.announcements, key=lambda a: a.key(), default=None)
    return first.version if first else paper.version


def is_stale(paper: Paper) -> bool:
    """True when the AI summary was made from an older version than the record's."""
    made_from = summary_version(paper)
    return made_from is not None and made_from < paper.version
