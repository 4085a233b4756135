"""A client for OpenAI-compatible chat-completions endpoints (for ``summarize``).

Building the request and reading the answer are pure functions; ``ChatClient``
sends it through the one polite client (``ingest/client.py``: User-Agent,
kept-alive connections, retries, Retry-After, the size cap) and knows only the
protocol: which answers are a summary, which fail one paper, and which would
fail every paper alike (fatal: the run stops).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from papershelf.errors import ChatError, FetchError
from papershelf.ingest.client import NoAnswer, NotSent, PoliteClient, Response, Unreachable

MAX_ANSWER_BYTES = 2 * 1024 * 1024  # a summary is a few kB; more is a broken server
TEMPERATURE = 0.2  # factual summaries, little variation between runs
# Statuses that every further request would meet too: stop the run, not one paper.
FATAL_STATUSES = {401, 403, 404}
# Reasoning models may prepend their thoughts to the answer.
THINK_BLOCK = re.compile(r"^\s*<think>.*?</think>", re.DOTALL)


@dataclass(frozen=True)
class ChatAnswer:
    text: str
    model: str  # as the server names it; "" when it does not


def chat_url(api_base: str) -> str:
    """``https://host/v1`` -> ``https://host/v1/chat/completions`` (a full URL is kept)."""
    base = api_base.rstrip("/")
    return base if base.endswith("/chat/completions") else f"{base}/chat/completions"


def chat_payload(model: str, system: str, user: str) -> dict[str, Any]:
    messages = [{"role": "system", "content": system}] if system else []
    messages.append({"role": "user", "content": user})
    return {"model": model, "messages": messages, "temperature": TEMPERATURE}


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error_detail(body: bytes) -> str:
    """The message of an error answer (``{"error": {"message": ...}}`` and kin), or ""."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        # A plain-text reason is worth showing; an HTML error page is not.
        return "" if text.startswith("<") else _one_line(text)
    if not isinstance(data, dict):
        return ""
    error = data.get("error")
    if isinstance(error, dict):
        error = error.get("message") or error.get("code")
    message = error or data.get("detail") or data.get("message")
    return _one_line(message) if isinstance(message, str) else ""


def _error_code(body: bytes) -> str:
    try:
        error = json.loads(body).get("error")
    except (ValueError, AttributeError):
        return ""
    return str(error.get("code") or error.get("type") or "") if isinstance(error, dict) else ""


def http_error(status: int, reason: str, body: bytes, key_env: str, key_sent: bool) -> ChatError:
    """The error for a 4xx answer, with a hint at the setting to fix when there is one."""
    detail = error_detail(body)
    message = f"HTTP {status} {reason}".strip() + (f": {detail}" if detail else "")
    if status in (401, 403):
        hint = f"check the key in ${key_env}" if key_sent else f"no key sent: put it in ${key_env}"
        message += f" ({hint})"
    elif status == 404:
        message += " (check SUMMARY_API_BASE and SUMMARY_MODEL)"
    return ChatError(message, fatal=status in FATAL_STATUSES)


def _content_text(content: Any) -> str:
    """A message's content: a string, or a list of parts of which the text ones count."""
    if isinstance(content, list):
        return "".join(
            part.get("text", "")
            for part in content
            if isinstance(part, dict) and part.get("type", "text") == "text"
        )
    return content if isinstance(content, str) else ""


def parse_answer(body: bytes) -> ChatAnswer:
    """The text and model of a chat-completions answer; ChatError says what is wrong."""
    try:
        data = json.loads(body)
    except ValueError as error:
        start = body[:200].decode("utf-8", "replace").lstrip()
        kind = "an HTML page" if start.startswith("<") else f"invalid JSON ({error})"
        raise ChatError(f"the answer is not a chat completion: {kind}") from None
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        detail = error_detail(body) if isinstance(data, dict) and "error" in data else ""
        raise ChatError(
            f"the API answered an error: {detail}" if detail else "the answer has no choices"
        )
    choice = choices[0]
    message = choice.get("message")
    if not isinstance(message, dict) or message.get("content") is None:
        raise ChatError("the answer has no choices[0].message.content")
    if choice.get("finish_reason") == "length":
        # A cut summary would be kept for good: fail, so a later run tries again.
        raise ChatError("the answer was cut off at the model's token limit (finish_reason length)")
    if choice.get("finish_reason") == "content_filter":
        raise ChatError("the answer was withheld by the API's content filter")
    text = THINK_BLOCK.sub("", _content_text(message["content"])).strip()
    if not text:
        raise ChatError("the answer's content is empty")
    model = data.get("model")
    return ChatAnswer(text, model.strip() if isinstance(model, str) else "")


class ChatClient:
    """Chat completions over the polite client: one kept-alive connection per worker
    thread (the caller bounds concurrency with a thread pool instead of spacing
    requests), and a timed-out request is not retried."""

    def __init__(
        self,
        url: str,
        user_agent: str,
        api_key: str = "",
        key_env: str = "PAPERSHELF_SUMMARY_API_KEY",
        timeout: float = 60.0,
        max_retries: int = 2,
        backoff: float = 2.0,
        max_bytes: int = MAX_ANSWER_BYTES,
        sleep: Callable[[float], Any] | None = None,
        log: Callable[[str], None] | None = None,
    ):
        self.url = url
        self.key_env = key_env
        self.timeout = timeout
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.http = PoliteClient(
            user_agent,
            interval=0.0,
            timeout=timeout,
            max_retries=max_retries,
            max_bytes=max_bytes,
            backoff=backoff,
            sleep=sleep,
            log=log,
            # The model may still be writing: a retry would likely time out again
            # and pay twice. The paper is left for the next run instead.
            retry_timeouts=False,
            deadline_factor=2.0,
            cap_setting="",
        )
        self.stop = self.http.stop  # set: no new request is sent

    def close(self) -> None:
        self.http.close()

    def complete(self, payload: dict[str, Any], label: str = "") -> ChatAnswer:
        """POST ``payload``; the answer, or ChatError. ``label`` names it in retry logs.

        A fatal error stops the client at once, in this thread: the next paper
        queued for this worker is then not sent."""
        try:
            return self._complete(payload, label)
        except ChatError as error:
            if error.fatal:
                self.stop.set()
            raise

    def _complete(self, payload: dict[str, Any], label: str) -> ChatAnswer:
        try:
            answer = self.http.post_json(
                self.url, payload, self.headers, label=label or self.url, final=_out_of_quota
            )
        except NotSent:
            raise ChatError("not sent: the run is stopping", stopped=True) from None
        except NoAnswer:
            raise ChatError(f"no answer within {self.timeout:g} s (SUMMARY_TIMEOUT)") from None
        except Unreachable as error:
            # A server that refuses connections is not there: every paper would fail too.
            raise ChatError(str(error), fatal=True) from None
        except FetchError as error:
            raise ChatError(str(error)) from None
        if _out_of_quota(answer):
            raise ChatError(f"HTTP 429: {error_detail(answer.body)}", fatal=True)
        if answer.status >= 400:
            raise http_error(answer.status, answer.reason, answer.body, self.key_env, self._has_key)
        return parse_answer(answer.body)

    @property
    def _has_key(self) -> bool:
        return "Authorization" in self.headers


def _out_of_quota(answer: Response) -> bool:
    """A 429 that waiting does not cure: every further request would meet it too."""
    return answer.status == 429 and _error_code(answer.body) == "insufficient_quota"
