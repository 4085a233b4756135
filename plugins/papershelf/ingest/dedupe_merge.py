"""One record from two that describe one paper (pure): every source's part kept."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from papershelf.ingest.dedupe import Link, keep_rank
from papershelf.model import Announcement, Paper

# Fields merged by their own rule below, not "kept's, else other's".
OWN_RULES = ("imports", "tags", "merged", "imported", "title_derived", "abstract_truncated")


def _union(*lists: list) -> list:
    return list(dict.fromkeys(item for items in lists for item in items))


def _imports(kept: list[dict], other: list[dict]) -> list[dict]:
    """One entry per (source, file): the earliest, as a re-import keeps its first day."""
    chosen: dict[tuple, dict] = {}
    for entry in [*kept, *other]:
        key = (entry.get("source"), entry.get("file"))
        if key not in chosen or str(entry.get("date", "")) < str(chosen[key].get("date", "")):
            chosen[key] = entry
    return list(chosen.values())


def _merged_ids(kept: list[dict], other: list[dict], entry: dict) -> list[dict]:
    by_id = {item["id"]: item for item in [*other, *kept]}
    by_id.setdefault(entry["id"], entry)
    return [by_id[key] for key in sorted(by_id)]


def _extra(kept: dict[str, Any], other: dict[str, Any], other_id: str, reason: str) -> dict:
    """``kept``'s fields, filled from ``other``'s; where both hold a different value
    (two structured summaries), ``other``'s stays in its ``merged`` entry: no source's
    contribution is lost."""
    extra = dict(kept)
    entry: dict[str, Any] = {"id": other_id, "reason": reason}
    for key, value in other.items():
        if key in OWN_RULES:
            continue
        if not extra.get(key):
            extra[key] = value
        elif value and value != extra[key]:
            entry.setdefault("fields", {})[key] = value
    extra["imports"] = _imports(kept.get("imports", []), other.get("imports", []))
    tags = _union(kept.get("tags", []), other.get("tags", []))
    if tags:
        extra["tags"] = tags
    days = [day for day in (kept.get("imported"), other.get("imported")) if day]
    if days:
        extra["imported"] = min(days)
    extra["merged"] = _merged_ids(kept.get("merged", []), other.get("merged", []), entry)
    if not extra["imports"]:
        del extra["imports"]
    return extra


def _announcements(a: list[Announcement], b: list[Announcement]) -> list[Announcement]:
    best: dict[tuple, Announcement] = {}
    for item in sorted([*a, *b], key=Announcement.key):
        best.setdefault((item.date, item.version), item)
    return sorted(best.values(), key=Announcement.key)


def merge_records(kept: Paper, other: Paper, reason: str) -> Paper:
    """``kept`` with ``other``'s contributions: the fuller abstract, a real title over a
    derived one, the earliest real announcement day, every import, note field and tag."""
    merged = Paper.from_dict(kept.to_dict())
    if kept.extra.get("title_derived") and other.title and not other.extra.get("title_derived"):
        merged.title = other.title
    # The title given up stays in the merged entry, so what it named is still known.
    other_title = kept.title if merged.title != kept.title else other.title
    merged.extra = _extra(kept.extra, other.extra, other.arxiv_id, reason)
    if other_title and other_title != merged.title:
        entry = next(item for item in merged.extra["merged"] if item["id"] == other.arxiv_id)
        if "title" not in entry.get("fields", {}) and entry["reason"] == reason:
            entry = {**entry, "fields": {**entry.get("fields", {}), "title": other_title}}
            merged.extra["merged"] = [
                entry if item["id"] == other.arxiv_id else item for item in merged.extra["merged"]
            ]
    # Two copies under one id (a local record that learnt its arXiv id) moved no page.
    merged.extra["merged"] = [i for i in merged.extra["merged"] if i["id"] != merged.arxiv_id]
    if not merged.extra["merged"]:
        del merged.extra["merged"]
    if merged.title == kept.title and kept.extra.get("title_derived"):
        merged.extra["title_derived"] = True
    else:
        merged.extra.pop("title_derived", None)
    fuller = min(
        (kept, other),
        key=lambda p: (not p.abstract, bool(p.extra.get("abstract_truncated")), -len(p.abstract)),
    )
    merged.abstract = fuller.abstract
    merged.extra.pop("abstract_truncated", None)
    if fuller.extra.get("abstract_truncated"):
        merged.extra["abstract_truncated"] = True
    merged.version = max(kept.version, other.version)
    merged.authors = kept.authors or other.authors
    merged.primary_category = kept.primary_category or other.primary_category
    rest = sorted((set(kept.categories) | set(other.categories)) - {merged.primary_category})
    merged.categories = [merged.primary_category, *rest] if merged.primary_category else rest
    merged.announcements = _announcements(kept.announcements, other.announcements)
    days = [day for day in (kept.announced, other.announced) if day]
    merged.announced = min(days) if days else ""
    first = [a for a in merged.announcements if a.date == merged.announced]
    if first:
        merged.announce_type = first[0].announce_type
    merged.score = max(kept.score, other.score)
    merged.matched_keywords = _union(kept.matched_keywords, other.matched_keywords)
    merged.feeds = sorted(set(kept.feeds) | set(other.feeds))
    for attr in ("comment", "journal_ref", "doi"):
        setattr(merged, attr, getattr(kept, attr) or getattr(other, attr))
    return merged


def apply_links(papers: Mapping[str, Paper], links: list[Link]) -> dict[str, Paper]:
    """The kept records after their groups merged into them (the rest are to delete)."""
    reasons: dict[str, list[Link]] = {}
    for link in links:
        reasons.setdefault(link.kept, []).append(link)
    result = {}
    for kept_id, group in sorted(reasons.items()):
        record = papers[kept_id]
        for link in sorted(group, key=lambda link: keep_rank(papers[link.merged])):
            record = merge_records(record, papers[link.merged], link.reason)
        result[kept_id] = record
    return result


def merged_away(papers: Mapping[str, Paper]) -> dict[str, str]:
    """Every merged-away id -> the id of the record that holds its paper now."""
    return {
        item["id"]: paper.arxiv_id
        for paper in papers.values()
        for item in paper.extra.get("merged", [])
    }
