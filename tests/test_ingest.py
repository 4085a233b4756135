"""Merging a day's feeds into paper records."""

import itertools
from pathlib import Path

from papershelf.ingest.feeds import parse_feed
from papershelf.ingest.matching import KeywordMatcher
from papershelf.ingest.merge import merge_feeds

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
MATCHER = KeywordMatcher(
    {"LLM": 3.0, "MoE": 3.0, "RL": 2.0, "Quantization": 2.0, "Decoding": 1.0},
    exclude=["survey"],
)
DAY1 = ["day1-cs.CL.new-and-cross.rss.xml", "day1-cs.AI.cross-list.rss.xml"]


def feeds(*names):
    return [(name, parse_feed((FEEDS / name).read_bytes())) for name in names]


def merge(existing, names, min_score=1.0, max_per_day=100):
    return merge_feeds(existing, feeds(*names), MATCHER, min_score, max_per_day)


def test_cross_listed_paper_is_kept_once_with_all_categories_in_any_order():
    results = [
        {i: p.to_dict() for i, p in merge({}, list(order)).changed.items()}
        for order in itertools.permutations(DAY1)
    ]
    assert results[0] == results[1]
    paper = results[0]["2512.00001"]
    assert paper["categories"] == ["cs.CL", "cs.AI"]
    assert paper["primary_category"] == "cs.CL"
    assert paper["announce_type"] == "new"
    assert paper["feeds"] == sorted(DAY1)


def test_rejections_have_reasons():
    result = merge({}, DAY1)
    assert sorted(result.changed) == ["2512.00001", "2512.00002", "2512.00004"]
    by_feed = {o.feed: o for o in result.outcomes}
    assert by_feed[DAY1[0]].rejected == {"excluded by 'survey'": 1}
    assert by_feed[DAY1[1]].rejected == {"below min score": 1}  # the world model
    assert by_feed[DAY1[1]].counts["new"] == 2
    assert "3 items: 2 new, 0 updated, 0 kept, 1 rejected" in by_feed[DAY1[1]].line()


def test_repeating_a_fetch_changes_nothing():
    first = merge({}, DAY1).changed
    again = merge(first, DAY1)
    assert again.changed == {}
    assert sum(o.counts["kept"] for o in again.outcomes) == 4


def test_feeds_of_one_day_in_separate_runs_agree_with_one_run():
    together = merge({}, DAY1).changed
    separately = dict(merge({}, [DAY1[1]]).changed)
    separately.update(merge(separately, [DAY1[0]]).changed)
    assert {i: p.to_dict() for i, p in separately.items()} == {
        i: p.to_dict() for i, p in together.items()
    }


def test_replace_updates_version_and_keeps_first_seen_date():
    day1 = merge({}, DAY1).changed
    result = merge(day1, ["day2-cs.CL.replace.rss.xml"])
    paper = result.changed["2512.00001"]
    assert paper.version == 2
    assert paper.announced == "2025-12-09"
    assert paper.announce_type == "new"
    assert paper.last_updated == "2025-12-10"
    assert [(a.date, a.announce_type, a.version) for a in paper.announcements] == [
        ("2025-12-09", "new", 1),
        ("2025-12-10", "replace", 2),
    ]
    assert paper.categories == ["cs.CL", "cs.AI", "cs.LG"]
    assert "sixteen GPUs" in paper.abstract
    assert day1["2512.00001"].version == 1  # the input is not modified


def test_replaced_paper_never_seen_before_is_recorded_as_replace():
    paper = merge({}, ["day2-cs.CL.replace.rss.xml"]).changed["2512.00006"]
    assert paper.announce_type == "replace"
    assert paper.version == 3
    assert paper.announced == "2025-12-10"


def test_daily_limit_keeps_the_best_and_never_drops_existing_records():
    result = merge({}, DAY1, max_per_day=1)
    assert list(result.changed) == ["2512.00001"]  # MoE + LLM in title: best score
    assert sum(o.rejected["over daily limit"] for o in result.outcomes) == 2
    again = merge(result.changed, DAY1, max_per_day=1)
    assert again.changed == {}


def test_min_score_is_honoured():
    result = merge({}, DAY1, min_score=8.0)
    assert list(result.changed) == ["2512.00001"]


def test_new_and_its_replacement_in_one_run_equal_two_runs():
    day1 = feeds(DAY1[0])
    day2 = feeds("day2-cs.CL.replace.rss.xml")
    # Pretend the replacement came on the same day, as in a digest that lists both.
    for entry in day2[0][1].entries:
        entry.date = "2025-12-09"
    one_run = merge_feeds({}, day1 + day2, MATCHER, 1.0, 100).changed
    first = merge_feeds({}, day1, MATCHER, 1.0, 100).changed
    second = merge_feeds(first, day2, MATCHER, 1.0, 100).changed
    paper = one_run["2512.00001"]
    assert paper.version == 2 and paper.announce_type == "new"
    assert [(a.announce_type, a.version) for a in paper.announcements] == [
        ("new", 1),
        ("replace", 2),
    ]
    two_runs = second["2512.00001"].to_dict()
    assert {
        k: v for k, v in paper.to_dict().items() if k not in ("score", "matched_keywords", "feeds")
    } == {k: v for k, v in two_runs.items() if k not in ("score", "matched_keywords", "feeds")}
