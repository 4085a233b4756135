"""``papershelf summarize`` against a real chat-completions server on 127.0.0.1."""

import io
import json
import threading
import time

import pytest

from papershelf.archive import Archive
from papershelf.cli import main
from papershelf.model import Announcement, Paper
from papershelf.settings import DEFAULTS, SettingsError, validate
from papershelf.summaries.chat import ChatError, chat_url, error_detail, parse_answer
from papershelf.summaries.freshness import is_stale, summary_version
from papershelf.summaries.summarize import (
    BUNDLED_PROMPT,
    PromptError,
    load_template,
    parse_template,
    render_prompt,
    run_summarize,
    select_papers,
)

from .httpserver import Answer, refused_port
from .sites import ROOT

PATH = "/v1/chat/completions"
KEY_ENV = "PAPERSHELF_SUMMARY_API_KEY"
BOT_SUMMARY = {"text": "from the bot", "model": "qwen-long", "source": "arxiv-bot:x.md"}


def paper(number: int, announced: str, abstract: str | None = None, **extra) -> Paper:
    arxiv_id = f"2512.{number:05d}"
    return Paper(
        arxiv_id=arxiv_id,
        title=f"Paper {arxiv_id}",
        authors=["Ada Lovelace", "Alan Turing"],
        abstract=f"We study {arxiv_id} with {{braces}} kept." if abstract is None else abstract,
        announced=announced,
        extra=extra,
    )


PAPERS = [
    paper(1, "2025-12-08"),
    paper(2, "2025-12-09"),
    paper(3, "2025-12-09"),
    paper(4, "2025-12-09", abstract=""),  # nothing to summarise
    paper(5, "2025-12-10", ai_summary=BOT_SUMMARY),  # has one already
]


def completion(text: str, model: str = "served-model", finish: str = "stop") -> bytes:
    choice = {"index": 0, "message": {"role": "assistant", "content": text}}
    return json.dumps({"model": model, "choices": [{**choice, "finish_reason": finish}]}).encode()


def paper_of(request) -> str:
    """The arXiv id of the paper a request asks about."""
    user = json.loads(request.body)["messages"][-1]["content"]
    return user.split("Title: Paper ")[1].split()[0]


def summary_for(request) -> Answer:
    return Answer(body=completion(f"Summary of {paper_of(request)}.\n\n### Problem\n- x\n"))


def first_then(first: Answer, then):
    """A route answering ``first`` to the first request and ``then(request)`` after."""
    calls = iter(range(1_000_000))
    return lambda request: first if next(calls) == 0 else then(request)


@pytest.fixture
def archive(tmp_path) -> Archive:
    archive = Archive(tmp_path / "data")
    archive.save(PAPERS)
    return archive


@pytest.fixture
def options(tmp_path, feed_server, archive):
    def make(**overrides):
        values = {
            "ARXIV_ARCHIVE_PATH": str(archive.root),
            "SUMMARY_API_BASE": feed_server.url("/v1"),
            "SUMMARY_MODEL": "test-model",
            "SUMMARY_TIMEOUT": 2.0,
        }
        return validate({**values, **overrides})

    return make


@pytest.fixture(autouse=True)
def no_key(monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)


def summarize(options, **kwargs) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    kwargs.setdefault("sleep", lambda seconds: None)
    kwargs.setdefault("backoff", 0.01)
    code = run_summarize(options, out=out, err=err, **kwargs)
    return code, out.getvalue(), err.getvalue()


def stored(archive: Archive, number: int) -> dict | None:
    record = json.loads(archive.path_for(f"2512.{number:05d}").read_text())
    return record.get("ai_summary")


def test_summaries_are_stored_and_a_second_run_sends_nothing(
    feed_server, options, archive, monkeypatch
):
    monkeypatch.setenv(KEY_ENV, "sk-test")
    feed_server.route(PATH, summary_for)
    code, out, err = summarize(options(SUMMARY_CONCURRENCY=1))  # one at a time: in order
    assert code == 0, out + err
    requests = feed_server.requests_to(PATH)
    assert [paper_of(r) for r in requests] == ["2512.00002", "2512.00003", "2512.00001"]
    first = requests[0]
    assert first.method == "POST"
    assert first.headers["Authorization"] == "Bearer sk-test"
    assert first.headers["User-Agent"] == DEFAULTS["ARXIV_USER_AGENT"]
    body = json.loads(first.body)
    assert body["model"] == "test-model" and body["temperature"] == 0.2
    system, user = body["messages"]
    assert (system["role"], user["role"]) == ("system", "user")
    assert "Title: Paper 2512.00002" in user["content"]
    assert "We study 2512.00002 with {braces} kept." in user["content"]
    assert "Ada Lovelace, Alan Turing" in user["content"] and "in English" in user["content"]
    assert stored(archive, 2) == {
        "text": "Summary of 2512.00002.\n\n### Problem\n- x",
        "model": "served-model",
        "source": "summarize",
        "version": 1,  # the version it was made from
    }
    assert stored(archive, 5) == BOT_SUMMARY  # never asked, never touched
    assert stored(archive, 4) is None
    assert "skipped 1 papers without an abstract: 2512.00004" in out
    assert "3 summarised, 1 skipped (no abstract), 0 failed" in out
    assert "[3/3] summarize: 2512.00001: summarised" in err
    assert "sk-test" not in out + err

    code, out, _ = summarize(options())
    assert code == 0
    assert len(feed_server.requests_to(PATH)) == 3  # no paper summarised twice
    assert "every paper with an abstract has an AI summary" in out


def test_without_a_key_no_authorization_header_and_the_configured_model(feed_server, options):
    feed_server.route(PATH, Answer(body=completion("Short.", model="")))
    code, _, err = summarize(options())
    assert code == 0
    assert "Authorization" not in feed_server.requests_to(PATH)[0].headers
    assert f"${KEY_ENV} is empty" in err


def test_limit_on_the_command_line_takes_the_newest(tmp_path, feed_server, archive, capsys):
    conf = tmp_path / "pelicanconf.py"
    conf.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *  # noqa\n"
        f"ARXIV_ARCHIVE_PATH = {str(archive.root)!r}\n"
        f"PATH = {str(ROOT / 'content')!r}\n"
        f"SUMMARY_API_BASE = {feed_server.url('/v1/')!r}\n"
        "SUMMARY_MODEL = 'test-model'\n"
    )
    feed_server.route(PATH, summary_for)
    assert main(["--settings", str(conf), "summarize", "--limit", "2"]) == 0
    assert {paper_of(r) for r in feed_server.requests} == {"2512.00002", "2512.00003"}
    assert stored(archive, 1) is None
    assert "1 papers still without an AI summary" in capsys.readouterr().out


def test_off_by_default(tmp_path, capsys):
    assert main(["--settings", str(ROOT / "pelicanconf.py"), "summarize"]) == 2
    message = capsys.readouterr().err
    assert "AI summaries are off: set SUMMARY_API_BASE" in message
    assert f"${KEY_ENV}" in message


def test_a_model_must_be_named(options):
    code, _, err = summarize(options(SUMMARY_MODEL=""))
    assert code == 2 and "SUMMARY_MODEL is not set" in err


def test_a_server_error_is_retried(feed_server, options, archive):
    feed_server.route(PATH, first_then(Answer(500, b"oops"), summary_for))
    code, _, err = summarize(options(SUMMARY_CONCURRENCY=1))
    assert code == 0
    assert len(feed_server.requests_to(PATH)) == 4  # one retry, then one per paper
    assert "2512.00002: HTTP 500 Internal Server Error; retrying in" in err
    assert stored(archive, 2)["text"].startswith("Summary of 2512.00002")


def test_429_waits_as_long_as_retry_after_says(feed_server, options, archive):
    delays = []
    busy = Answer(429, b'{"error": {"message": "slow down"}}', {"Retry-After": "3"})
    feed_server.route(PATH, first_then(busy, summary_for))
    code, _, _ = summarize(options(SUMMARY_CONCURRENCY=1), sleep=delays.append)
    assert code == 0
    assert delays == [3.0]
    assert stored(archive, 2) is not None


def test_an_error_answer_skips_that_paper_and_the_others_go_on(feed_server, options, archive):
    too_long = b'{"error": {"message": "maximum context length exceeded", "code": null}}'

    def answer(request):
        if paper_of(request) == "2512.00003":
            return Answer(400, too_long, {"Content-Type": "application/json"})
        return summary_for(request)

    feed_server.route(PATH, answer)
    code, out, _ = summarize(options())
    assert code == 1
    assert "error: 2512.00003: HTTP 400 Bad Request: maximum context length exceeded\n" in out
    assert "2 summarised, 1 skipped (no abstract), 1 failed" in out
    assert stored(archive, 3) is None and stored(archive, 1) and stored(archive, 2)
    assert len(feed_server.requests_to(PATH)) == 3  # a 400 is not retried

    feed_server.route(PATH, summary_for)
    assert summarize(options())[0] == 0
    assert [paper_of(r) for r in feed_server.requests_to(PATH)[3:]] == ["2512.00003"]


@pytest.mark.parametrize(
    ("body", "cause"),
    [
        (b"{not json", "the answer is not a chat completion: invalid JSON"),
        (b"<html>Bad gateway</html>", "the answer is not a chat completion: an HTML page"),
        (b'{"choices": []}', "the answer has no choices"),
        (b'{"error": {"message": "model overloaded"}}', "the API answered an error: model over"),
        (
            b'{"choices": [{"message": {"role": "assistant"}}]}',
            "the answer has no choices[0].message.content",
        ),
        (completion("  \n "), "the answer's content is empty"),
        (completion("Half a sum", finish="length"), "the answer was cut off at the model's"),
    ],
)
def test_a_bad_answer_fails_that_paper_clearly(feed_server, options, archive, body, cause):
    feed_server.route(PATH, Answer(body=body))
    code, out, _ = summarize(options(SUMMARY_CONCURRENCY=1))
    assert code == 1
    assert f"error: 2512.00002: {cause}" in out
    assert "0 summarised, 1 skipped (no abstract), 3 failed" in out
    assert all(stored(archive, n) is None for n in (1, 2, 3))


def test_a_slow_answer_times_out_and_is_not_retried(feed_server, options, archive):
    def answer(request):
        slow = paper_of(request) == "2512.00002"
        return Answer(body=summary_for(request).body, delay=1.0 if slow else 0.0)

    feed_server.route(PATH, answer)
    started = time.monotonic()
    code, out, _ = summarize(options(SUMMARY_TIMEOUT=0.3))
    assert time.monotonic() - started < 1.0
    assert code == 1
    assert "error: 2512.00002: no answer within 0.3 s (SUMMARY_TIMEOUT)" in out
    assert [paper_of(r) for r in feed_server.requests].count("2512.00002") == 1
    assert stored(archive, 2) is None and stored(archive, 3) is not None


def test_concurrency_is_bounded(tmp_path, feed_server, options, archive):
    archive.save(paper(n, "2025-12-11") for n in range(10, 16))
    in_flight, most, lock = 0, 0, threading.Lock()

    def answer(request):
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        time.sleep(0.1)
        with lock:
            in_flight -= 1
        return summary_for(request)

    feed_server.route(PATH, answer)
    code, _, _ = summarize(options(SUMMARY_CONCURRENCY=2))
    assert code == 0
    assert len(feed_server.requests) == 9
    assert most == 2
    assert len({r.client_port for r in feed_server.requests}) == 2  # a connection per worker


@pytest.mark.parametrize("key", ["sk-wrong", ""])
def test_a_refused_key_stops_the_run(feed_server, options, archive, monkeypatch, key):
    monkeypatch.setenv(KEY_ENV, key)
    refusal = b'{"error": {"message": "Incorrect API key provided"}}'
    feed_server.route(PATH, Answer(401, refusal))
    code, out, _ = summarize(options(SUMMARY_CONCURRENCY=1))
    assert code == 1
    hint = f"check the key in ${KEY_ENV}" if key else f"no key sent: put it in ${KEY_ENV}"
    assert f"error: 2512.00002: HTTP 401 Unauthorized: Incorrect API key provided ({hint})" in out
    assert "stopping: the other papers would fail the same way" in out
    assert "0 summarised, 1 skipped (no abstract), 1 failed, 2 not attempted" in out
    assert len(feed_server.requests) == 1


def test_an_exhausted_quota_stops_the_run_without_retrying(feed_server, options, archive):
    quota = b'{"error": {"message": "You exceeded your quota", "code": "insufficient_quota"}}'
    feed_server.route(PATH, Answer(429, quota, {"Retry-After": "1"}))
    delays = []
    code, out, _ = summarize(options(SUMMARY_CONCURRENCY=1), sleep=delays.append)
    assert code == 1
    assert "error: 2512.00002: HTTP 429: You exceeded your quota" in out
    assert "stopping: the other papers would fail the same way" in out
    assert len(feed_server.requests) == 1 and delays == []


def test_no_server_stops_the_run_after_the_retries(options, archive):
    closed = refused_port()
    try:
        base = f"http://127.0.0.1:{closed.getsockname()[1]}/v1"
        code, out, err = summarize(options(SUMMARY_API_BASE=base, SUMMARY_CONCURRENCY=1))
    finally:
        closed.close()
    assert code == 1
    assert "error: 2512.00002: connection refused (gave up after 3 attempts)" in out
    assert "2 not attempted" in out


def test_a_prompt_file_relative_to_the_project_root(tmp_path, feed_server, options):
    (tmp_path / "prompt.txt").write_text("[user]\n{title} in {lang}: {abstract}\n")
    feed_server.route(PATH, Answer(body=completion("Short.")))
    code, _, _ = summarize(
        # One at a time, so the first request is the newest paper's.
        options(SUMMARY_PROMPT_FILE="prompt.txt", SUMMARY_LANG="zh", SUMMARY_CONCURRENCY=1),
        project_root=tmp_path,
    )
    assert code == 0
    messages = json.loads(feed_server.requests[0].body)["messages"]
    assert messages == [
        {
            "role": "user",
            "content": "Paper 2512.00002 in Simplified Chinese (简体中文): "
            "We study 2512.00002 with {braces} kept.",
        }
    ]

    code, _, err = summarize(options(SUMMARY_PROMPT_FILE="missing.txt"), project_root=tmp_path)
    assert code == 2 and "missing.txt: cannot read the prompt" in err


def test_the_bundled_prompt_has_every_placeholder():
    template = load_template(BUNDLED_PROMPT)
    system, user = render_prompt(template, PAPERS[0], "en")
    assert "Title: Paper 2512.00001" in user and "in English" in user
    assert "{" not in system + user.replace("{braces}", "")
    assert "[user]" not in user and "SUMMARY_PROMPT_FILE" not in system + user


def test_template_errors_name_the_file():
    with pytest.raises(PromptError, match=r"p.txt: no \[user\] section"):
        parse_template("[system]\nYou summarise.\n", "p.txt")
    with pytest.raises(PromptError, match=r"lacks \{abstract\}"):
        parse_template("[user]\nSummarise {title}.\n", "p.txt")


def test_papers_are_chosen_newest_first_without_a_summary():
    todo, skipped = select_papers(PAPERS)
    assert [p.arxiv_id for p in todo] == ["2512.00002", "2512.00003", "2512.00001"]
    assert [p.arxiv_id for p in skipped] == ["2512.00004"]


def test_answer_parsing():
    parts = {"choices": [{"message": {"content": [{"type": "text", "text": "A"}, {"x": 1}]}}]}
    assert parse_answer(json.dumps(parts).encode()).text == "A"
    thought = parse_answer(completion("<think>hmm\n</think>\n\nThe summary.", model="r1"))
    assert (thought.text, thought.model) == ("The summary.", "r1")
    with pytest.raises(ChatError, match="content filter"):
        parse_answer(completion("", finish="content_filter"))
    assert error_detail(b'{"detail": "Not Found"}') == "Not Found"
    assert error_detail(b"<html><body>502</body></html>") == ""
    assert chat_url("http://h/v1/") == "http://h/v1/chat/completions"
    assert chat_url("http://h/v1/chat/completions") == "http://h/v1/chat/completions"


def test_summary_settings_are_checked():
    with pytest.raises(SettingsError, match="SUMMARY_API_BASE"):
        validate({"SUMMARY_API_BASE": "api.openai.com"})
    with pytest.raises(SettingsError, match="SUMMARY_CONCURRENCY"):
        validate({"SUMMARY_CONCURRENCY": 0})
    with pytest.raises(SettingsError) as error:
        validate({"SUMMARY_API_KEY_ENV": "sk-secret-123"})
    assert "sk-secret" not in str(error.value)  # a key put there is never printed


def replaced(number: int, version: int, summary: dict | None) -> Paper:
    """A paper announced new as v1 on 2025-12-08, then replaced up to ``version``."""
    record = paper(number, "2025-12-08", **({"ai_summary": summary} if summary else {}))
    record.version = version
    record.announcements = [
        Announcement(f"2025-12-{7 + v:02d}", "new" if v == 1 else "replace", v)
        for v in range(1, version + 1)
    ]
    return record


def test_a_summary_knows_the_version_it_was_made_from():
    assert summary_version(replaced(1, 1, None)) is None
    assert summary_version(replaced(1, 3, {"text": "x", "version": 2})) == 2
    # Stored before versions were recorded: made when the record was first seen.
    legacy = replaced(1, 2, {"text": "x", "model": "m"})
    assert summary_version(legacy) == 1 and is_stale(legacy)
    assert not is_stale(replaced(1, 2, {"text": "x", "version": 2}))
    assert not is_stale(replaced(1, 1, {"text": "x"}))
    for nonsense in ("2", True, 0, -1, None):  # a hand-edited record
        assert summary_version(replaced(1, 1, {"text": "x", "version": nonsense})) == 1


def test_stale_refreshes_only_summaries_of_an_older_version(tmp_path, feed_server, options):
    archive = Archive(tmp_path / "data")
    archive.save(
        [
            replaced(11, 3, {"text": "old", "model": "m", "source": "summarize", "version": 1}),
            replaced(12, 2, {"text": "legacy, no version", "model": "m", "source": "x"}),
            replaced(13, 2, {"text": "current", "model": "m", "source": "x", "version": 2}),
            replaced(14, 2, None),  # no summary at all: not --stale's business
        ]
    )
    feed_server.route(PATH, summary_for)
    run = options(ARXIV_ARCHIVE_PATH=str(archive.root), SUMMARY_CONCURRENCY=1)
    code, out, err = summarize(run, stale=True)
    assert code == 0, out + err
    assert sorted(paper_of(r) for r in feed_server.requests_to(PATH)) == [
        "2512.00011",
        "2512.00012",
    ]
    assert stored(archive, 11)["version"] == 3 and stored(archive, 11)["text"].startswith(
        "Summary of 2512.00011"
    )
    assert stored(archive, 12)["version"] == 2
    assert stored(archive, 13)["text"] == "current"
    assert stored(archive, 14) is None
    assert "2 summarised" in out and "0 papers still with an AI summary of an older" in out

    code, out, _ = summarize(run, stale=True)
    assert code == 0 and len(feed_server.requests_to(PATH)) == 2
    assert "no AI summary is older than its paper" in out


def test_stale_on_the_command_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["summarize", "--help"])
    assert exit_.value.code == 0
    assert "--stale" in capsys.readouterr().out
