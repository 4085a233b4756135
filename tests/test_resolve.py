"""``papershelf resolve`` against a real HTTP server on 127.0.0.1 answering in arXiv's
Atom format: exact match, near match, a different paper with a similar title, no
result, an error page, an API error, a 503 with Retry-After; the record of what was
tried, dry runs, limits and an interrupted run."""

import io
import json
import os
import signal
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from papershelf.archive import Archive
from papershelf.ingest.feeds import parse_feed
from papershelf.ingest.resolve import run_resolve
from papershelf.ingest.resolve_match import (
    ACCEPT_SIMILARITY,
    distinctive_phrase,
    judge,
    query_url,
    search_query,
)
from papershelf.model import Paper

from .httpserver import Answer
from .search_helpers import search_folder_json
from .sites import ROOT, build, default_sigint, site_settings, tree_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "resolve"
TODAY = date(2026, 2, 10)
ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}

FLY = (
    "Large reasoning models spend most of their decoding budget on long chains of thought "
    "before they answer. We present FlyThinker, which lets a small latent thinker run in "
    "parallel with the answering model and hands it compressed thoughts through a learned "
    "bridge, so that thinking and answering overlap instead of alternating. On mathematical "
    "and coding benchmarks FlyThinker keeps the accuracy of explicit chain of thought while "
    "cutting end-to-end latency by more than half, and it needs no change to the base "
    "model's weights or tokenizer. We release code and checkpoints for every experiment."
)
SWI = (
    "Reasoning language models either think in explicit tokens, which is readable but slow, "
    "or in latent space, which is fast but drifts. SwiReasoning switches between the two "
    "modes during decoding, guided by the entropy of the next token distribution, and limits "
    "how often it may switch so that it does not overthink. Across math and science "
    "benchmarks it improves accuracy by up to three points under the same token budget and "
    "reaches the same accuracy with roughly half the tokens, for several open model families "
    "and sizes, without any additional training of the underlying model."
)
DRAFT = (
    "Speculative decoding for large language models verifies a tree of drafted tokens at "
    "once; we grow the draft tree adaptively from the acceptance rates observed in the "
    "current request, which raises the accepted length by a third over static trees and "
    "speeds up serving of chat models on a single GPU with no loss in output quality."
)
NONE = (
    "We collect a corpus of handwritten recipes from village kitchens and annotate every "
    "ingredient with its regional name, then ask whether tokenizers split the rarer names "
    "into more pieces and how that changes the cost of serving such users."
)
PAGE = (
    "Curriculum schedules for reinforcement learning from verifiable rewards are compared "
    "on puzzles of graded difficulty, and a simple ordering by solve rate matches the "
    "learned schedules at a fraction of their tuning cost across three model sizes."
)
BAD = (
    "Federated fine-tuning of adapters over hospital networks leaks membership through "
    "gradient norms; clipping per client and adding calibrated noise closes the leak while "
    "keeping diagnostic accuracy within a point of centralised training on four datasets."
)


def local(record_id, abstract, title, derived=True):
    extra = {"imported": "2026-01-01", "topic": "推理"}
    if derived:
        extra["title_derived"] = True
    return Paper(arxiv_id=record_id, title=title, abstract=abstract, extra=extra)


CASES = {
    # record id: (record, how the server answers its query)
    "pe-1111111111": (
        local("pe-1111111111", " ".join(FLY.split()[:40]) + "…", "FlyThinker"),
        [
            Answer(503, b"busy", headers={"Retry-After": "1"}),
            Answer(body=(FIXTURES / "exact.xml").read_bytes(), headers=ATOM),
        ],
    ),
    "pe-aaaaaaaaaa": (local("pe-aaaaaaaaaa", FLY, "FlyThinker"), "exact.xml"),
    "pe-bbbbbbbbbb": (local("pe-bbbbbbbbbb", SWI, "SwiReasoning"), "near.xml"),
    "pe-cccccccccc": (
        local("pe-cccccccccc", DRAFT, "Adaptive Draft Trees for Speculative Decoding", False),
        "similar-title.xml",
    ),
    "pe-dddddddddd": (local("pe-dddddddddd", NONE, "x"), "no-result.xml"),
    "pe-eeeeeeeeee": (
        local("pe-eeeeeeeeee", PAGE, "y"),
        Answer(
            body=(FIXTURES / "error-page.html").read_bytes(), headers={"Content-Type": "text/html"}
        ),
    ),
    "pe-ffffffffff": (
        local("pe-ffffffffff", BAD, "z"),
        Answer(400, (FIXTURES / "api-error.xml").read_bytes(), headers=ATOM),
    ),
}
# The curator's record of SwiReasoning, already in the archive without the API's metadata.
SWI_RECORD = Paper(
    arxiv_id="2510.04182",
    title="SwiReasoning: Switch-Thinking in Latent and Explicit for Pareto-Superior Reasoning LLMs",
    abstract="",
    extra={"note_summary": "switches modes by entropy"},
)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def served(tmp_path, feed_server):
    """An archive of the cases and a server answering each one's query."""
    options = site_settings(
        tmp_path,
        ARXIV_API_URL=feed_server.url("/api/query") + "?id_list={ids}",
        ARXIV_REQUEST_INTERVAL=0,
        ARXIV_MAX_RETRIES=1,
    )["PAPERSHELF_VALIDATED"]
    archive = Archive(options["ARXIV_ARCHIVE_PATH"])
    archive.save([SWI_RECORD, *(record for record, _ in CASES.values())])
    routes = {}
    for record_id, (record, answer) in CASES.items():
        if isinstance(answer, str):
            answer = Answer(body=(FIXTURES / answer).read_bytes(), headers=ATOM)
        path = path_of(query_url(options["ARXIV_API_URL"], search_query(record)))
        feed_server.route(path, answer)
        routes[record_id] = path
    return options, archive, routes


def resolve(options, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    status = run_resolve(options, out=out, err=err, **{"today": TODAY, **kwargs})
    return status, out.getvalue(), err.getvalue()


def test_each_answer_kind(served, feed_server):
    options, archive, routes = served
    status, out, err = resolve(options)
    assert status == 1, out  # two lookups failed
    papers = archive.load()

    # Exact (re-typeset, and a truncated copy): merged into the API's full record.
    fly = papers["2512.06690"]
    assert "pe-aaaaaaaaaa" not in papers and "pe-1111111111" not in papers
    assert fly.title == "FlyThinker: Thinking While Flying with Parallel Latent Reasoning"
    assert fly.authors == ["Mei Chen", "Jonas Berg", "Ana Rui"]
    assert (fly.primary_category, fly.categories) == ("cs.CL", ["cs.CL", "cs.AI", "cs.LG"])
    assert (fly.doi, fly.journal_ref) == ("10.1234/flythinker.2026", "Proc. ICLR 2026")
    assert fly.comment == "24 pages, 9 figures; v2: more baselines"
    assert (fly.extra["published"], fly.extra["updated"], fly.version) == (
        "2025-12-07",
        "2026-01-15",
        2,
    )
    assert fly.extra["title_aliases"] == ["FlyThinker"]
    assert fly.extra["topic"] == "推理"  # the explorer's contribution stays
    assert {m["id"] for m in fly.extra["merged"]} == {"pe-aaaaaaaaaa", "pe-1111111111"}
    assert "pe-aaaaaaaaaa: resolved to 2512.06690 (same abstract)" in out
    assert "dedupe: merged pe-aaaaaaaaaa -> 2512.06690: same arXiv id" in out

    # Near (a reworded sentence), beside an unrelated hit: joins the curator's record.
    swi = papers["2510.04182"]
    assert "pe-bbbbbbbbbb" not in papers
    assert swi.authors == ["Dachuan Shi", "Abedelkadir Asi"]
    assert swi.extra["note_summary"] == "switches modes by entropy"
    assert swi.extra["title_aliases"] == ["SwiReasoning"]
    assert swi.abstract.startswith("Reasoning language models")
    assert "2601.01234" not in papers
    assert "pe-bbbbbbbbbb: resolved to 2510.04182 (abstract similarity 0." in out

    # A different paper with a similar title, no result, an HTML page, an API error: kept.
    for record_id in ("pe-cccccccccc", "pe-dddddddddd", "pe-eeeeeeeeee", "pe-ffffffffff"):
        assert "resolved_arxiv_id" not in papers[record_id].extra
    assert "2511.07777" not in papers
    assert "pe-cccccccccc: 1 results, no abstract matches (best similarity 0.0" in out
    assert "pe-dddddddddd: no result for abs:" in out
    assert "error: pe-eeeeeeeeee: not an API answer (an HTML page" in out
    assert "error: pe-ffffffffff: HTTP 400" in out
    assert "resolve: resolved 3 of 7 looked up; 1 without a matching abstract, 1 without " in out

    log = json.loads((archive.root / "resolve-log.json").read_text())
    assert {key: value["outcome"] for key, value in log.items()} == {
        "pe-1111111111": "resolved",
        "pe-aaaaaaaaaa": "resolved",
        "pe-bbbbbbbbbb": "resolved",
        "pe-cccccccccc": "no match",
        "pe-dddddddddd": "no result",
        "pe-eeeeeeeeee": "failed",
        "pe-ffffffffff": "failed",
    }
    assert log["pe-cccccccccc"]["tried"] == "2026-02-10"

    # The 503 was retried after its Retry-After, on the one connection of the run.
    first, second = feed_server.requests_to(routes["pe-1111111111"])
    assert second.time - first.time >= 1.0
    assert len({request.client_port for request in feed_server.requests}) == 1
    assert "[7/7] resolve: pe-ffffffffff" in err


def test_a_second_run_asks_only_the_failed_until_the_waiting_period_is_over(served, feed_server):
    options, archive, routes = served
    resolve(options)
    asked = len(feed_server.requests)
    status, out, _ = resolve(options)
    again = [r.path for r in feed_server.requests[asked:]]
    assert sorted(again) == sorted([routes["pe-eeeeeeeeee"], routes["pe-ffffffffff"]])
    assert status == 1
    later = TODAY + timedelta(days=options["ARXIV_RESOLVE_RETRY_DAYS"])
    asked = len(feed_server.requests)
    resolve(options, today=later)
    again = {r.path for r in feed_server.requests[asked:]}
    assert routes["pe-cccccccccc"] in again and routes["pe-dddddddddd"] in again
    assert routes["pe-aaaaaaaaaa"] not in again  # resolved records are asked no more


def test_dry_run_writes_nothing_and_limit_bounds_the_lookups(served, feed_server):
    options, archive, routes = served
    before = tree_bytes(archive.papers_dir)
    status, out, _ = resolve(options, dry_run=True, limit=3)
    assert tree_bytes(archive.papers_dir) == before
    assert not (archive.root / "resolve-log.json").exists()
    assert len(feed_server.requests) == 4  # three records, one of them retried once
    assert "pe-aaaaaaaaaa: would resolve to 2512.06690 (same abstract)" in out
    assert "resolve: would resolve 3 of 3 looked up" in out
    assert status == 0


def test_the_answer_is_judged_by_the_abstract_never_the_title():
    entries = parse_feed((FIXTURES / "similar-title.xml").read_bytes()).entries
    paper = Paper(arxiv_id="pe-0123456789", title=entries[0].title, abstract=DRAFT)
    candidate, best = judge(paper, entries)
    assert candidate is None and best < ACCEPT_SIMILARITY
    copy = Paper(arxiv_id="pe-0123456789", title="", abstract=entries[0].abstract.upper())
    assert judge(copy, entries)[0].reason == "same abstract"


def test_the_phrase_avoids_math_and_sentence_ends():
    text = (
        "We bound $O(n \\log n)$ cost. "
        "Sparse attention kernels reorder memory accesses for wide vector units."
    )
    assert distinctive_phrase(text) == "Sparse attention kernels reorder memory accesses for wide"
    assert distinctive_phrase("Too short.") == ""
    assert search_query(Paper(arxiv_id="pe-0123456789", title="A name", abstract="")) == ""


def test_an_interrupted_run_keeps_what_it_got(tmp_path, feed_server):
    """The CLI killed while it waits for the second answer: the first result is kept."""
    conf = tmp_path / "pelicanconf.py"
    conf.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *  # noqa\n"
        f"ARXIV_ARCHIVE_PATH = {str(tmp_path / 'data')!r}\n"
        f"PATH = {str(ROOT / 'content')!r}\n"
        f"ARXIV_API_URL = {feed_server.url('/api/query') + '?id_list={ids}'!r}\n"
        "ARXIV_REQUEST_INTERVAL = 0\n"
    )
    archive = Archive(tmp_path / "data")
    first, _ = CASES["pe-aaaaaaaaaa"]
    second, _ = CASES["pe-cccccccccc"]
    archive.save([first, second])
    api = feed_server.url("/api/query") + "?id_list={ids}"
    feed_server.route(
        path_of(query_url(api, search_query(first))),
        Answer(body=(FIXTURES / "exact.xml").read_bytes(), headers=ATOM),
    )
    feed_server.route(
        path_of(query_url(api, search_query(second))),
        Answer(body=b"", headers=ATOM, delay=30),
    )
    run = subprocess.Popen(
        [sys.executable, "-m", "papershelf.cli", "--settings", str(conf), "resolve"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=default_sigint,
    )
    try:
        line = run.stdout.readline()
        assert "pe-aaaaaaaaaa: resolved to 2512.06690" in line
        run.send_signal(signal.SIGINT)
        run.wait(timeout=20)
    finally:
        run.kill()
    assert run.returncode == 130
    papers = archive.load()
    assert papers["pe-aaaaaaaaaa"].extra["resolved_arxiv_id"] == "2512.06690"
    assert papers["2512.06690"].authors == ["Mei Chen", "Jonas Berg", "Ana Rui"]
    log = json.loads((archive.root / "resolve-log.json").read_text())
    assert list(log) == ["pe-aaaaaaaaaa"]


def test_resolve_usage_errors_exit_2(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "papershelf.cli", "resolve", "--limit", "0"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and "--limit" in run.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "papershelf.cli", "resolve", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert helped.returncode == 0 and "--dry-run" in helped.stdout
    assert "ARXIV_RESOLVE_RETRY_DAYS" in helped.stdout


def test_the_title_a_record_was_known_by_is_searched(tmp_path):
    """After resolve, the guessed title is a search name of the paper (title_aliases)."""
    settings = site_settings(tmp_path)
    record = Paper(
        arxiv_id="2512.06690",
        title="FlyThinker: Thinking While Flying with Parallel Latent Reasoning",
        abstract=FLY,
        announced="2025-12-08",
        extra={"title_aliases": ["Zebrafinch overlap of thinking and answering"]},
    )
    Archive(settings["ARXIV_ARCHIVE_PATH"]).save([record])
    output = build(settings)
    index = json.dumps(search_folder_json(output / "search"), ensure_ascii=False)
    assert "zebrafinch" in index.lower()


def test_the_threshold_stands_clear_of_the_demo_archives_different_papers():
    """README's measurement: no two different demo abstracts come near the threshold."""
    from papershelf.ingest.dedupe import WordHashes, shingles_of, signature

    known = WordHashes()
    papers = [p for p in Archive(ROOT / "data").load().values() if len(p.abstract.split()) >= 30]
    sets = [shingles_of(signature(p, known).text.split(), known) for p in papers]
    highest = 0.0
    for i, first in enumerate(sets):
        for second in sets[i + 1 :]:
            shared = len(first & second)
            if shared:
                highest = max(highest, shared / (len(first) + len(second) - shared))
    assert len(papers) > 800
    assert highest < 0.1 < ACCEPT_SIMILARITY
