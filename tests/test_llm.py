"""``newsgold run --openai``: the runner for OpenAI-compatible chat-completions endpoints.

No network and no model: every test talks to :class:`StandIn`, a local HTTP server on
127.0.0.1 started by the test. It is a stand-in for a model: it speaks the
chat-completions protocol and answers each document with a recorded response
(``tests/fixtures/llm/responses.jsonl``: the gold as strings, with one invented
name, one mention in capitals and one answer in a Markdown code fence).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from newsgold.cli import main
from newsgold.errors import NewsgoldError
from newsgold.llm import ChatSystem, answer_of, llm_schema, run_endpoint
from newsgold.validate import load_gold

ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "tests" / "fixtures" / "llm" / "responses.jsonl"
SECRET = "sk-test-secret-0123456789"
LAYERS = ("entities", "dates", "quotes")


class StandIn:
    """A stand-in for a model: a chat-completions server on 127.0.0.1 replaying recorded answers.

    Attributes:
        requests: every request received (path, headers, body).
        fail_first: answer this many requests with HTTP 500 first.
        status: answer every request with this HTTP status instead (e.g. 400).
        delay: seconds to wait before answering.
    """

    def __init__(self) -> None:
        self.recorded = {}
        self.gold = load_gold(ROOT)
        for line in RECORDED.read_text("utf-8").splitlines():
            row = json.loads(line)
            self.recorded[row["doc_id"]] = row["response"]
        self.requests: list[dict[str, Any]] = []
        self.fail_first = 0
        self.status: int | None = None
        self.delay = 0.0
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stand_in.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                if stand_in.delay:
                    time.sleep(stand_in.delay)
                if stand_in.status is not None or stand_in.fail_first > 0:
                    stand_in.fail_first -= 1
                    self.send_response(stand_in.status or 500)
                    self.end_headers()
                    self.wfile.write(b'{"error": {"message": "try again"}}')
                    return
                prompt = body["messages"][-1]["content"]
                doc_id = next(d for d, doc in stand_in.gold.docs.items() if doc.text in prompt)
                data = json.dumps(stand_in.recorded[doc_id]).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    server = StandIn()
    try:
        yield server
    finally:
        server.close()


def _run(args: list[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("NEWSGOLD_API_KEY", SECRET)
    return CliRunner().invoke(main, ["run", *args, "--no-progress", "--root", str(ROOT)])


def _figures(report: dict[str, Any]) -> dict[str, Any]:
    return {layer: report[layer] for layer in LAYERS}


def test_run_scores_caches_and_reruns_from_the_cache_without_a_request(
    stand_in: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, out = tmp_path / "cache", tmp_path / "pred.jsonl"
    common = ["--openai", stand_in.url, "--model", "stand-in", "--cache", str(cache)]
    common += ["--out", str(out), "--score", "--bootstrap", "0"]
    first = _run([*common, "--json", str(tmp_path / "r1.json")], monkeypatch)
    assert first.exit_code == 0, first.output
    assert len(stand_in.requests) == 5
    request = stand_in.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == f"Bearer {SECRET}"
    assert request["body"]["model"] == "stand-in"
    assert request["body"]["response_format"]["json_schema"]["schema"] == llm_schema()
    r1 = json.loads((tmp_path / "r1.json").read_text("utf-8"))
    run = r1["run"]
    assert run["kind"] == "openai" and run["system"] == "stand-in" and run["documents"] == 5
    assert (run["requests"], run["cache_hits"], run["retries"]) == (5, 0, 0)
    assert run["usage"] == {"prompt_tokens": 4600, "completion_tokens": 2010, "total_tokens": 6610}
    assert run["cost"] == pytest.approx(0.0025)
    # the recorded answers are the gold as strings, plus one invented name
    stats = r1["alignment"]["layers"]["entities"]
    assert stats["unaligned"] == [
        {"doc_id": sorted(stand_in.gold.docs)[0], "text": "Zorblax Quendi"}
    ]
    assert stats["counts"]["normalised"] == 1
    assert r1["entities"]["strict"]["recall"] == 1.0 and r1["entities"]["strict"]["precision"] < 1
    assert r1["dates"]["strict"]["f1"] == 1.0 and r1["quotes"]["strict"]["f1"] == 1.0
    assert len(list(cache.glob("*.json"))) == 5
    responses = [
        json.loads(x) for x in (tmp_path / "pred.responses.jsonl").read_text("utf-8").splitlines()
    ]
    assert [r["doc_id"] for r in responses] == sorted(stand_in.gold.docs)
    assert responses[0]["response"] == stand_in.recorded[responses[0]["doc_id"]]
    assert not any(r["cached"] for r in responses)
    # the answers as a mentions file score the same
    again = CliRunner().invoke(
        main,
        [
            "score",
            str(tmp_path / "pred.mentions.jsonl"),
            "--format",
            "mentions",
            "--bootstrap",
            "0",
            "--json",
            str(tmp_path / "r3.json"),
            "--root",
            str(ROOT),
        ],
    )
    assert again.exit_code == 0, again.output
    assert _figures(json.loads((tmp_path / "r3.json").read_text("utf-8"))) == _figures(r1)

    stand_in.requests.clear()
    second = _run([*common, "--json", str(tmp_path / "r2.json")], monkeypatch)
    assert second.exit_code == 0, second.output
    assert stand_in.requests == []  # not one request: everything came from the cache
    r2 = json.loads((tmp_path / "r2.json").read_text("utf-8"))
    assert _figures(r2) == _figures(r1) and r2["alignment"] == r1["alignment"]
    assert (r2["run"]["requests"], r2["run"]["cache_hits"]) == (0, 5)
    assert r2["run"]["usage"] == run["usage"]

    # the API key is in no file: not in the cache, the responses, the predictions or the reports
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text("utf-8"), path
    assert SECRET not in first.output + second.output


def test_retries_on_500_then_succeeds(stand_in: StandIn) -> None:
    gold = load_gold(ROOT)
    doc_id = sorted(gold.docs)[1]
    stand_in.fail_first = 2
    waits: list[float] = []
    system = ChatSystem(
        stand_in.url, "stand-in", retries=3, backoff=0.5, key="k", sleep=waits.append
    )
    run = run_endpoint(system, {doc_id: gold.docs[doc_id]})
    assert len(stand_in.requests) == 3 and waits == [0.5, 1.0]
    assert run.extra["retries"] == 2 and run.extra["requests"] == 1
    assert run.predictions[0].entities


def test_gives_up_after_the_retries_in_one_line(stand_in: StandIn) -> None:
    gold = load_gold(ROOT)
    doc_id = sorted(gold.docs)[0]
    stand_in.fail_first = 10
    system = ChatSystem(stand_in.url, "m", retries=2, backoff=0, key=None, sleep=lambda s: None)
    with pytest.raises(NewsgoldError) as err:
        run_endpoint(system, {doc_id: gold.docs[doc_id]})
    assert "HTTP 500" in str(err.value) and "after 3 attempts" in str(err.value)
    assert "\n" not in str(err.value) and len(stand_in.requests) == 3


def test_a_client_error_is_not_retried(
    stand_in: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stand_in.status = 400
    result = _run(
        ["--openai", stand_in.url, "--model", "m", "--out", str(tmp_path / "p.jsonl")], monkeypatch
    )
    assert result.exit_code == 1 and len(stand_in.requests) == 1
    assert result.output.strip().startswith("error: the endpoint http://127.0.0.1:")
    assert "HTTP 400" in result.output and len(result.output.strip().splitlines()) == 1


def test_a_timeout_is_one_line_and_exit_1(
    stand_in: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stand_in.delay = 1.0
    result = _run(
        [
            "--openai",
            stand_in.url,
            "--model",
            "m",
            "--timeout",
            "0.2",
            "--retries",
            "0",
            "--out",
            str(tmp_path / "p.jsonl"),
        ],
        monkeypatch,
    )
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the endpoint ")
    assert "no answer within 0.2 s (after 1 attempt)" in lines[0]
    assert not (tmp_path / "p.jsonl").exists()


def test_prompt_file_replaces_the_template(
    stand_in: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("Extract. Written on {dct}.\n---\n{text}\n", "utf-8")
    result = _run(
        [
            "--openai",
            stand_in.url,
            "--model",
            "m",
            "--prompt",
            str(prompt),
            "--out",
            str(tmp_path / "p.jsonl"),
        ],
        monkeypatch,
    )
    assert result.exit_code == 0, result.output
    sent = stand_in.requests[0]["body"]["messages"][0]["content"]
    doc = load_gold(ROOT).docs[sorted(load_gold(ROOT).docs)[0]]
    assert sent == f"Extract. Written on {doc.dct}.\n---\n{doc.text}\n"


def test_options_and_the_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The key is read from the environment only; --model is needed; --cache needs --openai."""
    helptext = CliRunner().invoke(main, ["run", "--help"]).output
    assert "--api-key" not in helptext and "NEWSGOLD_API_KEY" in helptext
    out = str(tmp_path / "p.jsonl")
    result = CliRunner().invoke(main, ["run", "--openai", "http://127.0.0.1:9/v1", "--out", out])
    assert result.exit_code == 2 and "--openai needs --model" in result.output
    result = CliRunner().invoke(main, ["run", "--python", "x:y", "--cache", "c", "--out", out])
    assert result.exit_code == 2 and "apply to --openai only" in result.output


def test_schema_llm_is_a_valid_schema_the_gold_satisfies() -> None:
    result = CliRunner().invoke(main, ["schema", "llm"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    for line in RECORDED.read_text("utf-8").splitlines():
        response = json.loads(line)["response"]
        validator.validate(answer_of(response, "<recorded>"))

    # strict structured output: every object closes its properties and requires them all
    def objects(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            if node.get("type") == "object":
                yield node
            for value in node.values():
                yield from objects(value)
        elif isinstance(node, list):
            for value in node:
                yield from objects(value)

    for obj in objects(schema):
        assert obj["additionalProperties"] is False
        assert sorted(obj["required"]) == sorted(obj["properties"])
