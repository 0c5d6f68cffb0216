"""Arbitrary bytes into the JSON readers and every format adapter: a value or a
ValidationError naming the file, never another exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgold.errors import NewsgoldError, ValidationError
from newsgold.formats import FORMATS
from newsgold.jsonio import decode_utf8, iter_jsonl, loads_json
from newsgold.validate import load_gold

ROOT = Path(__file__).resolve().parents[2]
GOLD = load_gold(ROOT)
DOC = sorted(GOLD.docs)[0]

#: bytes that look like JSON often enough to reach deep into the parser
JSONISH = st.lists(
    st.sampled_from(
        [
            b"[",
            b"]",
            b"{",
            b"}",
            b'"',
            b":",
            b",",
            b"\\",
            b"\\ud800",
            b"1e999",
            b"-0",
            b"7.0",
            b"NaN",
            b"true",
            b"null",
            b'"doc_id"',
            b"\n",
            b"\xff",
            b"\x00",
            b" ",
        ]
    )
    | st.binary(max_size=8),
    max_size=60,
).map(b"".join)
FUZZ = settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(st.binary(max_size=200) | JSONISH)
def test_loads_json_bytes(data: bytes) -> None:
    try:
        loads_json(decode_utf8(data, "f.json"), "f.json")
    except ValidationError as exc:
        assert all(p.file == "f.json" for p in exc.problems)


@FUZZ
@given(st.binary(max_size=300) | JSONISH)
def test_iter_jsonl_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "p.jsonl"
    path.write_bytes(data)
    for line, value in iter_jsonl(path, "p.jsonl"):
        assert line >= 1
        if hasattr(value, "file"):
            assert value.file == "p.jsonl" and "\n" not in str(value)


@pytest.mark.parametrize("name", sorted(FORMATS))
@FUZZ
@given(data=st.binary(max_size=300) | JSONISH)
def test_format_adapter_bytes(tmp_path: Path, name: str, data: bytes) -> None:
    fmt = FORMATS[name]
    if fmt.folder:
        path = tmp_path / f"{name}-in"
        path.mkdir(exist_ok=True)
        for old in path.iterdir():
            old.unlink()
        (path / f"{DOC}{fmt.suffixes[0]}").write_bytes(data)
    else:
        path = tmp_path / f"in{fmt.suffixes[0]}"
        path.write_bytes(data)
    try:
        for _ in fmt.read(path, GOLD, str(path)):
            pass
    except NewsgoldError:
        pass
