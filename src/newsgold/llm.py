"""Run a language model behind any OpenAI-compatible chat-completions endpoint over the corpus.

``newsgold run --openai URL --model NAME`` (vLLM, llama.cpp's server, Ollama,
hosted APIs) sends each document once, in the prompt template
(``newsgold/prompts/extract.txt``, or ``--prompt FILE``: ``{text}`` and
``{dct}`` are replaced by the document's text and creation date), with the
JSON Schema of ``newsgold schema llm`` as the response format
(``response_format: {"type": "json_schema", ...}``). The answer is a
``mentions`` object (strings, no offsets), aligned to the text by
:mod:`newsgold.mentions` and scored like every other system.

- **API key**: read from the environment (:data:`API_KEY_VARIABLES`, the first
  set wins) and sent as ``Authorization: Bearer``; never a command-line
  argument, never written to a file (not to the cache, the responses or the report).
- **Retries**: a connection failure, a timeout, HTTP 408, 409, 429 or 5xx is
  retried ``retries`` times, waiting ``backoff * 2**attempt`` seconds; any
  other HTTP status fails at once. Then the run stops with one line naming
  the endpoint, the document and the cause.
- **Cache**: ``<cache>/<key>.json`` holds the raw response, where ``key`` is the
  sha256 of (model, prompt template, document text, document creation date)
  (:func:`cache_key`). A cached document is not requested again, so a rerun
  costs nothing and a run is reproducible from its cache.
- **Raw responses** are kept next to the predictions
  (``PRED.responses.jsonl``: doc_id, cache key, whether it came from the
  cache, the response as received), with the parsed answers as a mentions
  file (``PRED.mentions.jsonl``, which ``newsgold score --format mentions`` reads).
- **Usage and cost**: the report's ``run`` section gains ``endpoint``,
  ``requests`` (made now), ``cache_hits``, ``retries``, ``usage`` (the sums of
  the responses' ``prompt_tokens``, ``completion_tokens``, ``total_tokens``, or
  ``null`` when the endpoint returns no usage) and ``cost`` (the sum of
  ``usage.cost`` when the endpoint reports one, else ``null``). Cached responses
  keep the usage they were produced with.

>>> len(cache_key("m", "p {text}", "Putin spoke.", "2021-12-30"))
64
>>> render("On {dct}: {text}", "Putin spoke.", "2021-12-30")
'On 2021-12-30: Putin spoke.'
>>> chat_url("http://127.0.0.1:8000/v1")
'http://127.0.0.1:8000/v1/chat/completions'
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import NewsgoldError, Problem, ValidationError, short
from .jsonio import atomic_write, loads_json, write_files_atomically
from .mentions import mention_problems
from .model import Document

#: Environment variables holding the API key, in the order they are read.
API_KEY_VARIABLES = ("NEWSGOLD_API_KEY", "OPENAI_API_KEY")

#: HTTP statuses worth another attempt.
RETRY_STATUSES = frozenset({408, 409, 429})


def default_prompt() -> str:
    """The default prompt template (``newsgold/prompts/extract.txt``)."""
    return (resources.files("newsgold") / "prompts" / "extract.txt").read_text(encoding="utf-8")


def llm_schema() -> dict[str, Any]:
    """The JSON Schema of an LLM's structured answer (``schemas/llm.schema.json``)."""
    from .schema import load_schema

    return load_schema("llm")


def render(template: str, text: str, dct: str) -> str:
    """The prompt for one document: ``{dct}`` and ``{text}`` replaced (nothing else is special)."""
    return template.replace("{dct}", dct).replace("{text}", text)


def cache_key(model: str, template: str, text: str, dct: str) -> str:
    """sha256 of (model, prompt template, document text, creation date): a response's cache key."""
    payload = json.dumps([model, template, text, dct], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def chat_url(url: str) -> str:
    """The chat-completions address of an endpoint given as its base (``.../v1``) or in full."""
    base = url.rstrip("/")
    return base if base.endswith("/chat/completions") else base + "/chat/completions"


def request_body(model: str, prompt: str) -> dict[str, Any]:
    """The chat-completions request of one document: the prompt, the schema as response format."""
    return {
        "model": model,
        "messages": [{"role": "user", "content": prompt}],
        "temperature": 0,
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "newsgold_mentions", "strict": True, "schema": llm_schema()},
        },
    }


def api_key(env: Mapping[str, str] | None = None) -> str | None:
    """The API key from the first of :data:`API_KEY_VARIABLES` that is set, or ``None``."""
    env = os.environ if env is None else env
    return next((env[v] for v in API_KEY_VARIABLES if env.get(v)), None)


def post(
    url: str,
    body: Mapping[str, Any],
    *,
    key: str | None,
    timeout: float,
    retries: int,
    backoff: float,
    what: str,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[Any, int]:
    """POST ``body`` as JSON with retries and backoff.

    Returns:
        ``(response JSON, attempts made)``.

    Raises:
        NewsgoldError: one line naming the endpoint, ``what`` and the cause, after the last attempt.
    """
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    cause = ""
    for attempt in range(retries + 1):
        if attempt:
            sleep(backoff * 2 ** (attempt - 1))
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            cause = f"HTTP {exc.code} {exc.reason}"
            exc.close()
            if exc.code in RETRY_STATUSES or exc.code >= 500:
                continue
            raise NewsgoldError(
                f"the endpoint {url} answered {cause} for {what} (expected 200; not retried)"
            ) from None
        except TimeoutError:
            cause = f"no answer within {timeout:g} s"
            continue
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                cause = f"no answer within {timeout:g} s"
            else:
                cause = f"cannot connect: {reason}"
            continue
        except OSError as exc:
            cause = f"connection failed: {exc}"
            continue
        try:
            return json.loads(raw.decode("utf-8")), attempt + 1
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise NewsgoldError(
                f"the endpoint {url} sent no JSON for {what}: {exc} (expected a chat-completions response)"
            ) from None
    attempts = retries + 1
    raise NewsgoldError(
        f"the endpoint {url} failed for {what}: {cause} "
        f"(after {attempts} attempt{'s' * (attempts != 1)})"
    )


def answer_of(response: Any, source: str) -> dict[str, Any]:
    """The mentions object in a chat-completions response (``choices[0].message.content``).

    A JSON answer wrapped in a Markdown code fence is accepted.

    Raises:
        ValidationError: no content, content that is not JSON, or not a mentions object.

    >>> answer_of({"choices": [{"message": {"content": '{"entities": []}'}}]}, "<m>")
    {'entities': []}
    """
    try:
        content = response["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        content = None
    if not isinstance(content, str):
        raise ValidationError(
            [
                Problem(
                    source,
                    None,
                    "$.choices[0].message.content",
                    f"got {short(content)} (expected the answer as a JSON string)",
                )
            ]
        )
    text = content.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[-1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    obj = loads_json(text, source)
    problems = mention_problems(obj, source, None, doc_id_required=False)
    if problems:
        raise ValidationError(problems)
    return dict(obj)


class ChatSystem:
    """A chat-completions endpoint as a callable system ``(text, dct) -> mentions object``.

    Args:
        url: the endpoint (its base, ``http://host:port/v1``, or the full chat-completions address).
        model: the model name sent in each request.
        prompt: the prompt template (default: :func:`default_prompt`).
        cache: a folder of cached responses (created when needed), or ``None``.
        timeout: seconds to wait for each answer.
        retries: further attempts after a failure that may pass.
        backoff: seconds before the first retry (doubled each time).
        key: the API key (default: from :data:`API_KEY_VARIABLES`).
    """

    def __init__(
        self,
        url: str,
        model: str,
        *,
        prompt: str | None = None,
        cache: str | Path | None = None,
        timeout: float = 120.0,
        retries: int = 3,
        backoff: float = 1.0,
        key: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = chat_url(url)
        self.model = model
        self.template = default_prompt() if prompt is None else prompt
        self.cache = None if cache is None else Path(cache)
        from .procgroup import check_timeout

        check_timeout(timeout)
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._key = key if key is not None else api_key()
        self._sleep = sleep
        self.__qualname__ = f"{model} at {self.url}"
        self.responses: list[dict[str, Any]] = []
        self.requests = 0
        self.cache_hits = 0
        self.retried = 0

    def __repr__(self) -> str:  # the key stays out of every repr
        return f"ChatSystem({self.url!r}, {self.model!r})"

    def __call__(self, text: str, dct: str) -> dict[str, Any]:
        key = cache_key(self.model, self.template, text, dct)
        path = None if self.cache is None else self.cache / f"{key}.json"
        what = f"the document {key[:12]}… ({len(text)} code points)"
        if path is not None and path.is_file():
            stored = loads_json(path.read_text(encoding="utf-8"), str(path))
            response, cached = stored["response"], True
            self.cache_hits += 1
        else:
            body = request_body(self.model, render(self.template, text, dct))
            response, attempts = post(
                self.url,
                body,
                key=self._key,
                timeout=self.timeout,
                retries=self.retries,
                backoff=self.backoff,
                what=what,
                sleep=self._sleep,
            )
            self.requests += 1
            self.retried += attempts - 1
            cached = False
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(
                    path,
                    json.dumps(
                        {"model": self.model, "cache_key": key, "response": response},
                        ensure_ascii=False,
                        indent=1,
                    )
                    + "\n",
                )
        self.responses.append({"cache_key": key, "cached": cached, "response": response})
        return answer_of(response, f"<{self.model} response {key[:12]}>")

    def run_fields(self) -> dict[str, Any]:
        """The fields this system adds to the report's ``run`` section."""
        usage: dict[str, int] | None = None
        cost: float | None = None
        for item in self.responses:
            found = item["response"].get("usage") if isinstance(item["response"], dict) else None
            if not isinstance(found, dict):
                continue
            usage = usage or {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
            for name in usage:
                value = found.get(name)
                if isinstance(value, int):
                    usage[name] += value
            if isinstance(found.get("cost"), int | float):
                cost = (cost or 0.0) + float(found["cost"])
        return {
            "endpoint": self.url,
            "model": self.model,
            "prompt_sha256": hashlib.sha256(self.template.encode("utf-8")).hexdigest(),
            "requests": self.requests,
            "cache_hits": self.cache_hits,
            "retries": self.retried,
            "usage": usage,
            "cost": cost,
        }


def run_endpoint(
    system: ChatSystem,
    docs: Mapping[str, Document],
    *,
    layers: Iterable[str] | None = None,
    each_occurrence: bool = False,
    on_document: Callable[[str], None] | None = None,
) -> Any:
    """Run a :class:`ChatSystem` over ``docs``: a :class:`~newsgold.evaluate.SystemRun` of kind
    ``openai`` whose ``run`` section has the endpoint's usage, and whose alignment is the
    answers' (:func:`newsgold.evaluate.predict` does the work, as for any callable)."""
    from .evaluate import predict

    run = predict(
        system, docs, layers=layers, on_document=on_document, each_occurrence=each_occurrence
    )
    return dataclasses.replace(run, kind="openai", name=system.model, extra=system.run_fields())


def side_files(out: Path) -> tuple[Path, Path]:
    """Where the raw responses and the parsed answers go beside the predictions ``out``."""
    stem = out.name[: -len(".jsonl")] if out.name.endswith(".jsonl") else out.name
    return out.with_name(stem + ".responses.jsonl"), out.with_name(stem + ".mentions.jsonl")


def write_side_files(out: Path, system: ChatSystem, doc_ids: Iterable[str]) -> tuple[Path, Path]:
    """Write the raw responses and the parsed answers next to the predictions ``out``.

    Args:
        out: the predictions file.
        system: the system that ran (its responses are in ``doc_id`` order).
        doc_ids: the documents, in the order they were run.

    Returns:
        The two paths written.
    """
    responses_path, mentions_path = side_files(out)
    responses, mentions = [], []
    for doc_id, item in zip(doc_ids, system.responses, strict=True):
        responses.append(json.dumps({"doc_id": doc_id, **item}, ensure_ascii=False) + "\n")
        answer = answer_of(item["response"], f"<{system.model} on {doc_id}>")
        mentions.append(json.dumps({"doc_id": doc_id, **answer}, ensure_ascii=False) + "\n")
    write_files_atomically({responses_path: "".join(responses), mentions_path: "".join(mentions)})
    return responses_path, mentions_path
