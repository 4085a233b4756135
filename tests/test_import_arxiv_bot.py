"""``papershelf import arxiv-bot``: the parser's cases, the merging rules, the seed digest."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from papershelf.archive import Archive
from papershelf.cli import main
from papershelf.importers.arxiv_bot import parse_arxiv_bot
from papershelf.importers.arxiv_bot_import import (
    NEW,
    UNCHANGED,
    UPDATED,
    NotADigest,
    merge_digest,
    run_import_arxiv_bot,
)
from papershelf.ingest.matching import KeywordMatcher
from papershelf.model import Announcement, Paper, parse_arxiv_id
from papershelf.settings import DEFAULT_KEYWORDS

from .sites import SHARED, site_settings, tree_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "arxiv_bot"
SEED = SHARED / "seeds" / "arxiv-bot-2025-12-09.md"
RANKED = FIXTURES / "ranked-papers.md"
MATCHER = KeywordMatcher(DEFAULT_KEYWORDS)
SOURCE = "arxiv-bot:ranked-papers.md"


def parse(name: str):
    return parse_arxiv_bot((FIXTURES / name).read_text(encoding="utf-8"))


def merge(existing: dict[str, Paper], name: str = "ranked-papers.md", announce_date=None):
    digest = parse(name)
    return merge_digest(existing, digest, name, MATCHER, digest.day, announce_date)


def feed_record(arxiv_id: str, **fields) -> Paper:
    """A record as ``fetch`` leaves it: a full abstract, from a feed."""
    values = {
        "title": "From the feed",
        "authors": ["Feed Author"],
        "abstract": "The feed's complete abstract, longer than anything the bot shows. " * 5,
        "primary_category": "cs.LG",
        "categories": ["cs.LG", "cs.AI"],
        "announced": "2025-12-10",
        "announcements": [Announcement("2025-12-10", "new", 1)],
        "score": 9.5,
        "matched_keywords": ["MoE"],
        "feeds": ["cs.LG.rss.xml"],
    }
    values.update(fields)
    return Paper(arxiv_id=arxiv_id, **values)


# --- parsing ----------------------------------------------------------------------------------


def test_the_ranked_papers_and_their_fields():
    digest = parse("ranked-papers.md")
    assert digest.day == "2025-12-10" and digest.stated_total == 4 and digest.warnings == []
    papers = digest.papers
    assert [p.rank for p in papers] == [1, 2, 3, 4]
    assert [(p.arxiv_id, p.version) for p in papers] == [
        ("2512.10001", 2),
        ("2512.10002", 1),
        ("2512.10003", 3),
        ("2512.10004", 1),
    ]
    assert papers[0].title == "Routing Tokens: Mixture-of-Experts Inference [at Scale]"
    assert papers[0].authors == ["Ada Lovelace", "José Afonso", "Carola-Bibiane Schönlieb"]
    assert [len(p.authors) for p in papers] == [3, 2, 1, 4]
    assert [p.categories for p in papers] == [["cs.LG"], ["cs.CL"], ["cs.AI"], ["cs.LG"]]
    assert [p.score for p in papers] == [11.0, 8.5, 6.5, 5.0]
    assert [p.announce_type for p in papers] == ["new", "cross", "replace", "new"]
    assert [p.published for p in papers] == ["2025-12-10", "2025-12-10", "2025-12-09", "2025-12-10"]


def test_truncated_abstracts_lose_the_dots_and_keep_a_flag():
    papers = parse("ranked-papers.md").papers
    assert [p.abstract_truncated for p in papers] == [True, True, False, True]
    assert papers[0].abstract.endswith("without changing")
    assert papers[2].abstract == "We quantize attention kernels to FP8 and lose no accuracy."


def test_ai_summaries_are_the_details_blocks_verbatim_with_their_model():
    papers = parse("ranked-papers.md").papers
    text = RANKED.read_text(encoding="utf-8")
    blocks = re.findall(r"<summary>.*?</summary>\n\n(.*?)\n\n</details>", text, re.DOTALL)
    assert [p.ai_summary for p in papers if p.ai_summary] == blocks
    assert [p.ai_model for p in papers] == ["qwen-long", "", "gpt-4o-mini", ""]
    # Its headings ("### 2. [...]", "### 3.1") are the summary's own, not papers; its
    # HTML is stored as written (the site sanitises it when rendering).
    assert "### 2. [Not a paper](https://arxiv.org/abs/2512.99999)" in papers[0].ai_summary
    assert "<script>" in papers[0].ai_summary
    assert papers[1].ai_summary == "" and papers[3].ai_summary == ""


def test_the_bots_keyword_configuration():
    keywords = parse("ranked-papers.md").keywords
    assert keywords == ["LLM", "RL", "MOE", "Sparse", "Quantization", "FP8", "Decoding"]


def test_ids_from_links_papers_without_ids_and_bad_scores():
    digest = parse("missing-ids.md")
    assert [(p.rank, p.arxiv_id) for p in digest.papers] == [(1, "2512.20001"), (3, "2512.20003")]
    assert digest.papers[0].published == "" and digest.papers[0].version == 1
    assert digest.papers[1].categories == ["cs.CL", "cs.AI"] and digest.papers[1].score == 0
    assert any("no arXiv id" in w and "skipped" in w for w in digest.warnings)
    assert any("'high' is not a number" in w for w in digest.warnings)
    assert "the digest states 3 papers; 2 were found" in digest.warnings


# --- merging ----------------------------------------------------------------------------------


def test_new_papers_become_records_marked_as_imported():
    result = merge({})
    assert [status for _, status in result.outcomes] == [NEW] * 4
    record = result.changed["2512.10001"].to_dict()
    assert record["version"] == 2 and record["feeds"] == [] and record["score"] == 11.0
    assert record["announced"] == "2025-12-10" and record["announce_type"] == "new"
    assert record["announcements"] == [{"date": "2025-12-10", "announce_type": "new", "version": 2}]
    assert record["imports"] == [
        {
            "source": "arxiv-bot",
            "file": "ranked-papers.md",
            "date": "2025-12-10",
            "score": 11.0,
            "rank": 1,
        }
    ]
    assert record["ai_summary"]["model"] == "qwen-long"
    assert record["ai_summary"]["source"] == SOURCE
    assert record["ai_summary"]["version"] == 2  # made from the version the digest lists
    assert record["abstract_truncated"] is True
    assert {"Mixture of Experts", "LLM", "Inference", "Cluster"} <= set(record["matched_keywords"])
    complete = result.changed["2512.10003"].to_dict()
    assert "abstract_truncated" not in complete and complete["announced"] == "2025-12-09"
    assert "ai_summary" not in result.changed["2512.10004"].extra


def test_a_feed_abstract_is_never_replaced_by_the_bots_truncated_one():
    record = feed_record("2512.10001", version=2)
    merged = merge({"2512.10001": record}).changed["2512.10001"]
    assert merged.abstract == record.abstract and "abstract_truncated" not in merged.extra
    assert merged.title == "From the feed" and merged.feeds == ["cs.LG.rss.xml"]
    assert merged.score == 9.5 and merged.matched_keywords == ["MoE"]
    assert merged.extra["imports"][0]["score"] == 11.0
    # A later version than the record's brings its title, never its cut abstract.
    older = merge({"2512.10001": feed_record("2512.10001")}).changed["2512.10001"]
    assert older.version == 2 and older.title.startswith("Routing Tokens")
    assert older.abstract == record.abstract


def test_a_truncated_abstract_gives_way_to_a_longer_or_complete_one():
    short = feed_record("2512.10001", abstract="We route", extra={"abstract_truncated": True})
    longer = feed_record("2512.10004", abstract="Sparse decoding skips most of the vocabulary")
    longer.extra["abstract_truncated"] = True
    longer.abstract += " at each step and keeps the quality of dense decoding on every benchmark"
    longer.abstract += " we tried, and more"
    cut = feed_record("2512.10003", abstract="We quantize", extra={"abstract_truncated": True})
    changed = merge({p.arxiv_id: p for p in (short, longer, cut)}).changed
    assert changed["2512.10001"].abstract.startswith("We route tokens of a Mixture")
    assert changed["2512.10001"].extra["abstract_truncated"] is True
    assert changed["2512.10004"].abstract == longer.abstract  # the longer cut one stays
    assert changed["2512.10003"].abstract.endswith("lose no accuracy.")
    assert "abstract_truncated" not in changed["2512.10003"].extra  # now complete


def test_earliest_day_highest_version_and_all_categories_are_kept():
    later = feed_record(
        "2512.10003",
        version=4,
        announced="2025-12-12",
        announcements=[Announcement("2025-12-12", "replace", 4)],
        primary_category="cs.LG",
        categories=["cs.LG"],
    )
    earlier = feed_record("2512.10002", announced="2025-12-01", categories=["cs.LG", "cs.AI"])
    changed = merge({"2512.10003": later, "2512.10002": earlier}).changed
    assert changed["2512.10003"].announced == "2025-12-09"  # the bot saw it first
    assert changed["2512.10003"].announce_type == "replace"
    assert changed["2512.10003"].version == 4
    assert changed["2512.10003"].categories == ["cs.LG", "cs.AI"]
    assert changed["2512.10002"].announced == "2025-12-01"
    assert changed["2512.10002"].primary_category == "cs.LG"
    assert changed["2512.10002"].categories == ["cs.LG", "cs.AI", "cs.CL"]


def test_an_ai_summary_from_elsewhere_is_kept_and_one_from_this_file_refreshed():
    other = {"text": "Mine.", "model": "me", "source": "hand"}
    stale = {"text": "Old text.", "model": "qwen-long", "source": SOURCE}
    existing = {
        "2512.10001": feed_record("2512.10001", extra={"ai_summary": other}),
        "2512.10003": feed_record("2512.10003", extra={"ai_summary": stale}),
    }
    changed = merge(existing).changed
    assert changed["2512.10001"].extra["ai_summary"] == other
    assert changed["2512.10003"].extra["ai_summary"]["text"].startswith("## 核心贡献")


def test_merging_again_changes_nothing_and_adds_no_second_import_entry():
    first = merge({"2512.10001": feed_record("2512.10001")})
    assert [s for _, s in first.outcomes] == [UPDATED, NEW, NEW, NEW]
    second = merge(first.changed)
    assert second.changed == {} and [s for _, s in second.outcomes] == [UNCHANGED] * 4
    assert len(first.changed["2512.10001"].extra["imports"]) == 1
    # A second digest adds its own entry beside the first.
    again = merge_digest(
        first.changed, parse("ranked-papers.md"), "other.md", MATCHER, "2025-12-11"
    )
    assert [e["file"] for e in again.changed["2512.10001"].extra["imports"]] == [
        "ranked-papers.md",
        "other.md",
    ]


def test_a_given_date_is_the_day_of_every_paper():
    result = merge({}, announce_date="2025-12-15")
    assert {p.announced for p in result.changed.values()} == {"2025-12-15"}


# --- the command ------------------------------------------------------------------------------


@pytest.fixture
def options(tmp_path):
    return site_settings(tmp_path)["PAPERSHELF_VALIDATED"]


def run(options, source: Path, announce_date=None) -> str:
    out = io.StringIO()
    assert run_import_arxiv_bot(options, source, announce_date, out=out, err=io.StringIO()) == 0
    return out.getvalue()


def test_running_twice_changes_no_byte(tmp_path, options):
    first = run(options, RANKED)
    assert "4 papers: 4 new, 0 updated, 0 unchanged; 2 with an AI summary" in first
    assert "[1] 2512.10001v2: new: 3 authors, abstract 146 chars" in first
    assert "AI summary yes (qwen-long)" in first and "AI summary no" in first
    assert "the bot's keywords (7, not applied): LLM, RL, MOE" in first
    before = tree_bytes(tmp_path / "data")
    second = run(options, RANKED)
    assert tree_bytes(tmp_path / "data") == before
    assert "0 new, 0 updated, 4 unchanged" in second and "0 files written" in second
    assert len(Archive(tmp_path / "data").load()) == 4


def test_double_encoded_text_is_repaired_first(options):
    pytest.importorskip(
        "papershelf.importers.mojibake.repair", reason="the mojibake repairer is not installed"
    )
    report = run(options, FIXTURES / "mojibake-cp1254.md")
    assert "repaired double-encoded text (UTF-8 read as cp1254)" in report
    record = Archive(options["ARXIV_ARCHIVE_PATH"]).load()["2512.10001"]
    clean = parse("ranked-papers.md").papers[0]
    assert (
        record.authors == clean.authors and record.extra["ai_summary"]["text"] == clean.ai_summary
    )


def test_cli_imports_and_shows_progress(tmp_path, capsys):
    settings = tmp_path / "pelicanconf.py"
    settings.write_text(f"ARXIV_ARCHIVE_PATH = {str(tmp_path / 'data')!r}\n")
    argv = ["--settings", str(settings), "import", "arxiv-bot", str(RANKED)]
    assert main([*argv, "--date", "2025-12-14"]) == 0
    out, err = capsys.readouterr()
    assert "digest of 2025-12-14" in out and "[4/4] import arxiv-bot" in err
    record = Archive(tmp_path / "data").load()["2512.10002"]
    assert record.announced == "2025-12-14" and record.extra["imports"][0]["date"] == "2025-12-14"


def test_a_file_that_is_not_a_digest_is_an_error_naming_it(tmp_path, capsys, options):
    source = FIXTURES / "not-a-digest.md"
    with pytest.raises(NotADigest, match="not-a-digest.md: not an arXiv-bot digest"):
        run(options, source)
    settings = tmp_path / "pelicanconf.py"
    settings.write_text(f"ARXIV_ARCHIVE_PATH = {str(tmp_path / 'data')!r}\n")
    assert main(["--settings", str(settings), "import", "arxiv-bot", str(source)]) == 2
    assert "not-a-digest.md" in capsys.readouterr().err
    assert main(["--settings", str(settings), "import", "arxiv-bot", "nope.md"]) == 2


# --- the real digest --------------------------------------------------------------------------


@pytest.mark.skipif(
    not SEED.is_file(), reason="../shared/seeds/arxiv-bot-2025-12-09.md not present"
)
def test_the_seed_digest_parses_completely():
    text = SEED.read_text(encoding="utf-8")
    digest = parse_arxiv_bot(text)
    assert digest.day == "2025-12-09" and digest.warnings == []
    assert len(digest.papers) == 30 and [p.rank for p in digest.papers] == list(range(1, 31))
    summaries = len(re.findall(r"^<summary>.*AI Summary", text, re.MULTILINE))
    assert sum(bool(p.ai_summary) for p in digest.papers) == summaries == 15
    ids = [parse_arxiv_id(i) for i in re.findall(r"^\*\*ArXiv ID\*\*: (\S+)", text, re.MULTILINE)]
    assert [(p.arxiv_id, p.version) for p in digest.papers] == ids
    assert all(p.authors and p.primary_category and p.score > 0 for p in digest.papers)
    assert all(p.abstract_truncated for p in digest.papers)
    assert len(digest.keywords) == 30
