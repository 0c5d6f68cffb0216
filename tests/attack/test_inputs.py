"""Hostile predictions through `validate --predictions` and `score`: one line per problem, exit 1,
no traceback, the previous `--json` output byte-identical, nothing written beside it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import assert_clean_failure, invoke, snapshot

ROOT = Path(__file__).resolve().parents[2]
RULES = (ROOT / "eval" / "submissions" / "rules" / "predictions.jsonl").read_text(encoding="utf-8")
LINES = RULES.splitlines()
DEEP = "[" * 2000 + "]" * 2000


def _with(index: int, change: Callable[[str], str]) -> str:
    lines = list(LINES)
    lines[index] = change(lines[index])
    return "\n".join(lines) + "\n"


def _end(value: str) -> str:
    return _with(0, lambda line: line.replace('"end":7,', f'"end":{value},', 1))


#: name → (file content, the problem line that must be printed)
CASES: dict[str, tuple[str | bytes, str]] = {
    "float-end": (_end("7.0"), ":1: $.entities[0].end: got 7.0, expected integer"),
    "huge-float-end": (_end("1e20"), ":1: $.entities[0].end: got 1e+20, expected integer"),
    "float-start": (
        _with(0, lambda line: line.replace('"start":0,', '"start":0.0,', 1)),
        ":1: $.entities[0].start: got 0.0, expected integer",
    ),
    "bool-end": (_end("true"), ":1: $.entities[0].end: "),
    "nan-end": (_end("NaN"), ":1: $: invalid JSON: NaN is not valid JSON"),
    "infinity-end": (_end("Infinity"), ":1: $: invalid JSON: Infinity is not valid JSON"),
    "deep-line": (_with(1, lambda _: DEEP), ":2: $: invalid JSON: nested too deeply"),
    "deep-object": (
        _with(1, lambda _: '{"a":' * 3000 + "1" + "}" * 3000),
        ":2: $: invalid JSON: nested too deeply",
    ),
    "deep-in-record": (
        _with(0, lambda line: line[:-1] + ',"x":' + "[" * 900 + "]" * 900 + "}"),
        ":1: $: invalid JSON: nested too deeply",
    ),
    "dup-key": (
        _with(0, lambda line: line.replace('{"doc_id":', '{"doc_id":"x","doc_id":', 1)),
        ":1: $: invalid JSON: duplicate key 'doc_id'",
    ),
    "broken-line-3": (_with(2, lambda line: line[: len(line) // 2]), ":3: $: invalid JSON"),
    "broken-line-1": (_with(0, lambda line: line[:10]), ":1: $: invalid JSON"),
    "lone-surrogate": (
        _with(0, lambda line: line.replace('"text":"Russian"', '"text":"Russ\\ud800an"', 1)),
        ":1: $: invalid JSON: lone surrogate \\ud800",
    ),
    "bad-utf8": (
        RULES.encode("utf-8").replace(b"Russian", b"Russ\xffan", 1),
        ":1: $: invalid UTF-8",
    ),
    "path-doc-id": (
        _with(0, lambda line: line.replace('"000_e9e65d9efa045d67"', '"../../etc/passwd"', 1)),
        ":1: $.doc_id: ",
    ),
}


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_predictions(tmp_path: Path, name: str) -> None:
    content, expected = CASES[name]
    pred = _write(tmp_path / "pred.jsonl", content)
    result = invoke(["validate", "--predictions", str(pred), "--root", str(ROOT)])
    lines = assert_clean_failure(result.stderr + result.stdout, result.exit_code)
    assert any(line.startswith(f"{pred}{expected}") for line in lines), (expected, lines)


@pytest.mark.parametrize("name", sorted(CASES))
def test_score_keeps_previous_output(tmp_path: Path, name: str) -> None:
    content, expected = CASES[name]
    pred = _write(tmp_path / "pred.jsonl", content)
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text('{"previous": true}\n')
    before, around = snapshot(out), snapshot(tmp_path)
    result = invoke(["score", str(pred), "--json", str(out / "report.json"), "--root", str(ROOT)])
    lines = assert_clean_failure(result.stderr, result.exit_code)
    assert any(line.startswith(f"{pred}{expected}") for line in lines), (expected, lines)
    assert snapshot(out) == before
    assert snapshot(tmp_path) == around
