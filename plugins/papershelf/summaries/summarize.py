"""``papershelf summarize``: AI summaries for papers that have none.

Off unless SUMMARY_API_BASE is set. Papers without ``ai_summary`` are sent, newest
first, to an OpenAI-compatible chat-completions endpoint, a few at a time; each
summary is written to the archive as soon as it arrives, so an interrupted run
keeps what it got and no paper is summarised twice. A paper whose request fails
is named with the cause and left for the next run.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from papershelf.archive import Archive
from papershelf.errors import PromptError
from papershelf.inputs import decode_text
from papershelf.model import Paper
from papershelf.progress import Progress
from papershelf.summaries.chat import ChatAnswer, ChatClient, ChatError, chat_payload, chat_url
from papershelf.summaries.freshness import is_stale

SOURCE = "summarize"  # the ai_summary's "source"; the arxiv-bot importer's is "arxiv-bot:<file>"
BUNDLED_PROMPT = Path(__file__).with_name("summary_prompt.txt")
LANGUAGES = {
    "en": "English",
    "zh": "Simplified Chinese (简体中文)",
    "zh-cn": "Simplified Chinese (简体中文)",
    "zh-tw": "Traditional Chinese (繁體中文)",
    "ja": "Japanese",
    "ko": "Korean",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
}
MAX_AUTHORS = 10  # a prompt needs the first authors, not a consortium's full list
PLACEHOLDER = re.compile(r"\{(title|authors|abstract|lang)\}")
SECTION = re.compile(r"^\[(system|user)\]\s*$", re.MULTILINE)
CONFIGURE_HINT = (
    'set SUMMARY_API_BASE (e.g. "https://api.openai.com/v1" or a local server\'s '
    '"http://127.0.0.1:8080/v1") and SUMMARY_MODEL in pelicanconf.py, and put the API '
    "key, if the server needs one, in the environment variable ${env}"
)


@dataclass(frozen=True)
class PromptTemplate:
    system: str
    user: str


@dataclass
class Tally:
    summarised: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    not_attempted: int = 0


def parse_template(text: str, name: str) -> PromptTemplate:
    """``[system]`` and ``[user]`` sections; text before the first is a comment."""
    parts = SECTION.split(text)
    sections = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    user = sections.get("user", "")
    if not user:
        raise PromptError(
            "no [user] section", where=name, fix="put a line '[user]' before the prompt"
        )
    missing = [p for p in ("{title}", "{abstract}") if p not in user]
    if missing:
        raise PromptError(
            f"the [user] section lacks {' and '.join(missing)}",
            where=name,
            fix="the prompt must show the paper's title and abstract",
        )
    return PromptTemplate(sections.get("system", ""), user)


def load_template(path: Path) -> PromptTemplate:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PromptError(
            f"cannot read the prompt ({error.strerror})",
            where=path,
            fix="check SUMMARY_PROMPT_FILE",
        ) from None
    return parse_template(decode_text(data, path, PromptError), str(path))


def prompt_path(options: Mapping[str, Any], project_root: str | os.PathLike) -> Path:
    """SUMMARY_PROMPT_FILE, relative to the project root; the bundled prompt if unset."""
    configured = options["SUMMARY_PROMPT_FILE"]
    return Path(project_root, configured) if configured else BUNDLED_PROMPT


def language_name(lang: str) -> str:
    return LANGUAGES.get(lang.strip().lower(), lang.strip())


def render_prompt(template: PromptTemplate, paper: Paper, lang: str) -> tuple[str, str]:
    """The system and user messages for ``paper``; only the four placeholders change."""
    authors = paper.authors[:MAX_AUTHORS]
    values = {
        "title": " ".join(paper.title.split()),
        "authors": ", ".join(authors) + (" et al." if len(paper.authors) > MAX_AUTHORS else ""),
        "abstract": paper.abstract.strip(),
        "lang": language_name(lang),
    }

    def fill(text: str) -> str:
        return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)

    return fill(template.system), fill(template.user)


def select_papers(papers: Iterable[Paper], stale: bool = False) -> tuple[list[Paper], list[Paper]]:
    """Papers to summarise (no AI summary yet, or with ``stale`` those whose summary
    was made from an older version; newest first, then by id) and those skipped for
    having no abstract."""
    wanted = is_stale if stale else (lambda p: not p.extra.get("ai_summary"))
    pending = sorted((p for p in papers if wanted(p)), key=lambda p: p.arxiv_id)
    pending.sort(key=lambda p: p.announced, reverse=True)  # stable: ids stay ascending
    todo = [p for p in pending if p.abstract.strip()]
    return todo, [p for p in pending if not p.abstract.strip()]


def stored_summary(answer: ChatAnswer, configured_model: str, version: int) -> dict[str, Any]:
    """The archive's ``ai_summary``: the arxiv-bot importer's shape, with the version
    of the paper it was made from."""
    model = answer.model or configured_model
    return {"text": answer.text, "model": model, "source": SOURCE, "version": version}


def _configuration_problem(options: Mapping[str, Any]) -> str | None:
    if not options["SUMMARY_API_BASE"]:
        return "AI summaries are off: " + CONFIGURE_HINT.format(env=options["SUMMARY_API_KEY_ENV"])
    if not options["SUMMARY_MODEL"].strip():
        return "SUMMARY_MODEL is not set: name the model to ask in pelicanconf.py"
    return None


def _summarise_all(
    todo: list[Paper],
    client: ChatClient,
    template: PromptTemplate,
    options: Mapping[str, Any],
    archive: Archive,
    out,
    err,
) -> Tally:
    """Send every paper, at most SUMMARY_CONCURRENCY at once; write each answer as it
    arrives (here, in the calling thread: the workers only talk HTTP)."""
    model, lang = options["SUMMARY_MODEL"], options["SUMMARY_LANG"]
    tally, stopping = Tally(), False
    progress = Progress("summarize", len(todo), stream=err)
    executor = ThreadPoolExecutor(options["SUMMARY_CONCURRENCY"], "summarize")
    try:
        futures: dict[Future, Paper] = {
            executor.submit(
                client.complete, chat_payload(model, *render_prompt(template, p, lang)), p.arxiv_id
            ): p
            for p in todo
        }
        for future in as_completed(futures):
            paper = futures[future]
            if future.cancelled():
                tally.not_attempted += 1
                continue
            try:
                answer = future.result()
            except ChatError as error:
                if error.stopped:
                    tally.not_attempted += 1
                    continue
                tally.failed.append(paper.arxiv_id)
                progress.step(f"{paper.arxiv_id}: failed")
                print(f"error: {paper.arxiv_id}: {error}", file=out, flush=True)
                if error.fatal and not stopping:
                    # Every further request would fail the same way (the client
                    # has stopped sending): cancel what is still queued.
                    stopping = True
                    for other in futures:
                        other.cancel()
                    print("stopping: the other papers would fail the same way", file=out)
                continue
            paper.extra["ai_summary"] = stored_summary(answer, model, paper.version)
            archive.save([paper])
            tally.summarised.append(paper.arxiv_id)
            progress.step(f"{paper.arxiv_id}: summarised")
    finally:
        # On an interrupt too: send nothing new, wait only for requests in flight.
        client.stop.set()
        executor.shutdown(wait=True, cancel_futures=True)
    progress.done()
    return tally


def run_summarize(
    options: Mapping[str, Any],
    limit: int | None = None,
    project_root: str | os.PathLike = ".",
    out=None,
    err=None,
    environ: Mapping[str, str] | None = None,
    backoff: float = 2.0,
    sleep=None,
    stale: bool = False,
) -> int:
    """Summarise, store, report; 0 when every paper sent got a summary, 1 when some
    failed, 2 when summaries are off or misconfigured. With ``stale``, the papers
    sent are those whose AI summary was made from an older version."""
    out, err = out or sys.stdout, err or sys.stderr
    environ = os.environ if environ is None else environ
    problem = _configuration_problem(options)
    if problem:
        print(f"papershelf summarize: {problem}", file=err)
        return 2
    try:
        template = load_template(prompt_path(options, project_root))
    except PromptError as error:
        print(f"papershelf summarize: {error}", file=err)
        return 2
    key_env = options["SUMMARY_API_KEY_ENV"]
    api_key = environ.get(key_env, "").strip()
    archive = Archive(options["ARXIV_ARCHIVE_PATH"])
    with archive.lock(on_wait=lambda: print("waiting for another run…", file=err)):
        pending, skipped = select_papers(archive.load().values(), stale)
        todo = pending if limit is None else pending[:limit]
        if skipped:
            shown = ", ".join(p.arxiv_id for p in skipped[:10])
            more = f" and {len(skipped) - 10} more" if len(skipped) > 10 else ""
            print(f"skipped {len(skipped)} papers without an abstract: {shown}{more}", file=out)
        if not todo:
            done = (
                "no AI summary is older than its paper"
                if stale
                else ("every paper with an abstract has an AI summary")
            )
            print(f"summarize: {done}", file=out)
            return 0
        if not api_key:
            print(f"note: ${key_env} is empty: requests carry no API key", file=err)
        client = ChatClient(
            chat_url(options["SUMMARY_API_BASE"]),
            options["ARXIV_USER_AGENT"],
            api_key=api_key,
            key_env=key_env,
            timeout=options["SUMMARY_TIMEOUT"],
            max_retries=options["SUMMARY_MAX_RETRIES"],
            backoff=backoff,
            sleep=sleep,
            log=lambda message: print(f"  {message}", file=err, flush=True),
        )
        try:
            tally = _summarise_all(todo, client, template, options, archive, out, err)
        finally:
            client.close()
    print(
        f"summarize: {len(tally.summarised)} summarised, {len(skipped)} skipped (no abstract), "
        f"{len(tally.failed)} failed, {tally.not_attempted} not attempted; "
        f"{len(pending) - len(tally.summarised)} papers still "
        + ("with an AI summary of an older version" if stale else "without an AI summary"),
        file=out,
    )
    return 1 if tally.failed else 0
