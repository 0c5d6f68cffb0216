"""Resources: hostile inputs cost time and memory in proportion to their size (not its square)
and endless or huge inputs stop at a limit the error names."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from newsgold.convert.timeml import from_timeml
from newsgold.errors import ValidationError
from newsgold.jsonio import MAX_JSON_BYTES, MAX_LINE_BYTES

from .conftest import assert_clean_failure, invoke, snapshot

ROOT = Path(__file__).resolve().parents[2]
DOC = "000_e9e65d9efa045d67"


def _cpu(func: object) -> float:
    started = time.process_time()
    try:
        func()  # type: ignore[operator]
    except ValidationError:
        pass
    return time.process_time() - started


@pytest.mark.parametrize(
    "opener", ["<!--", "<![CDATA[", "<?", "<!DOCTYPE x", "<TIMEX3 type='DATE' ", "<", "&amp"]
)
def test_timeml_unclosed_openers_are_linear(opener: str) -> None:
    """20,000 and 100,000 unclosed openers (each used to rescan the rest of the text): CPU time
    well under two seconds, and growing about linearly (5x the input, not 25x the time)."""
    # best of three: CPU time still wobbles on a busy machine
    small = min(_cpu(lambda: from_timeml(opener * 20_000, "x" * 10, name="f.tml")) for _ in "123")
    large = min(_cpu(lambda: from_timeml(opener * 100_000, "x" * 10, name="f.tml")) for _ in "12")
    assert large < 2.0, f"{large:.2f} s of CPU for 100,000 × {opener!r}"
    assert large < 12 * max(small, 0.02), (small, large)  # linear is 5 ×, quadratic 25 ×


def test_timeml_unclosed_comments_through_the_cli(tmp_path: Path) -> None:
    folder = tmp_path / "tml"
    folder.mkdir()
    (folder / f"{DOC}.tml").write_text("<!--" * 100_000, encoding="utf-8")
    started = time.monotonic()
    result = invoke(["score", str(folder), "--format", "timeml", "--root", str(ROOT)])
    assert time.monotonic() - started < 30
    (line,) = assert_clean_failure(result.stderr, result.exit_code)
    assert f"{DOC}.tml:1: $: tagged text does not match the document" in line


def _nested_gold(tmp_path: Path, n: int) -> Path:
    """Document 000 with ``n`` entities each nested in the one before (distinct spans)."""
    doc = json.loads((ROOT / "annotations" / f"{DOC}.json").read_text(encoding="utf-8"))
    text = (ROOT / "seeds" / f"{DOC}.txt").read_text(encoding="utf-8")
    doc["entities"] = sorted(
        (
            {
                "start": (k + 1) // 2,
                "end": len(text) - k // 2,
                "text": text[(k + 1) // 2 : len(text) - k // 2],
                "label": "NORP",
                "kb_id": "russian",
            }
            for k in range(n)
        ),
        key=lambda e: (e["start"], e["end"]),  # sorted, as the gold must be
    )
    path = tmp_path / f"{DOC}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_two_thousand_nested_entities_give_a_bounded_report(tmp_path: Path) -> None:
    """2,000 nested gold entities used to make about two million overlap problems: now each
    span is reported once, the first 50 listed and the rest counted in one more line."""
    path = _nested_gold(tmp_path, 2000)
    started = time.monotonic()
    result = invoke(["validate", str(path), "--root", str(ROOT)])
    assert time.monotonic() - started < 60
    lines = assert_clean_failure(result.stderr + result.stdout, result.exit_code)
    overlaps = [line for line in lines if " overlaps [" in line]
    assert len(overlaps) == 50, len(overlaps)
    assert f"{path}:1: $.entities: 1949 more entities overlap another span (only the first 50" in (
        "\n".join(lines)
    )
    # (each span's text is also not an alias of its kb_id: one problem per span, listed up
    # to the command's limit, then counted)
    assert len(lines) <= 1000


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "/dev/zero"],
        ["validate", "--predictions", "/dev/zero"],
        ["score", "/dev/zero"],
        ["score", "/dev/zero", "--format", "conll"],
        ["score", "/dev/zero", "--format", "hf"],
        ["score", "/dev/zero", "--format", "label-studio"],
        ["score", "/dev/zero", "--format", "spacy"],
        ["score", "/dev/zero", "--format", "mentions"],
        ["compare", "/dev/zero", "/dev/zero"],
        ["ls", "import", "/dev/zero", "--out", "{tmp}/out"],
    ],
    ids=lambda a: "-".join(
        x.strip("-/") for x in a if x not in ("/dev/zero", "--out", "{tmp}/out")
    ),
)
def test_endless_input_stops_at_the_named_limit(tmp_path: Path, args: list[str]) -> None:
    """/dev/zero never ends: every reader stops at its limit, and the error names it."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this machine")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args] + ["--root", str(ROOT)]
    result = invoke(argv)
    lines = assert_clean_failure(result.stderr + result.stdout, result.exit_code)
    assert all(line.startswith("/dev/zero") for line in lines), lines
    limits = (f"expected at most {MAX_JSON_BYTES}", f"expected at most {MAX_LINE_BYTES}")
    assert all(any(x in line for x in limits) for line in lines), lines
    assert snapshot(tmp_path) == {}


def test_a_long_line_is_skipped_and_the_next_ones_still_read(tmp_path: Path) -> None:
    """A JSONL line over the limit is one problem naming the limit; the lines after it are
    still read (and a bad one among them reported) without holding the long one."""
    pred = tmp_path / "pred.jsonl"
    with pred.open("wb") as fh:
        fh.write(b'{"doc_id": "' + b"x" * (MAX_LINE_BYTES + 10) + b'"}\n')
        fh.write(b"{broken\n")
    result = invoke(["validate", "--predictions", str(pred), "--root", str(ROOT)])
    lines = assert_clean_failure(result.stderr + result.stdout, result.exit_code)
    assert lines[0].startswith(f"{pred}:1: $: line too long ({MAX_LINE_BYTES + 25} bytes")
    assert lines[1].startswith(f"{pred}:2: $: invalid JSON")


@pytest.mark.parametrize("digits", [13, 5000])
def test_huge_brat_offset_is_one_line(tmp_path: Path, digits: int) -> None:
    folder = tmp_path / "ann"
    folder.mkdir()
    (folder / f"{DOC}.ann").write_text(f"T1\tORG 0 {'9' * digits}\tRussian\n", encoding="utf-8")
    result = invoke(["score", str(folder), "--format", "brat", "--root", str(ROOT)])
    (line,) = assert_clean_failure(result.stderr, result.exit_code)
    assert line.startswith(f"{folder}/{DOC}.ann:1: $: offset ")
    assert "is too long (expected at most 12 digits" in line and len(line) < 400


def test_huge_gold_line_index_is_linear(tmp_path: Path) -> None:
    """A one-line gold document with 20,000 values: placing errors on lines used to count the
    newlines from the start for every value (quadratic); now it takes a moment."""
    doc = json.loads((ROOT / "annotations" / f"{DOC}.json").read_text(encoding="utf-8"))
    doc["dates"] = [{"start": 0, "end": 1, "text": "R", "type": "DATE", "value": "x"}] * 4000
    path = tmp_path / f"{DOC}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert os.path.getsize(path) > 200_000
    started = time.process_time()
    result = invoke(["validate", str(path), "--root", str(ROOT)])
    assert time.process_time() - started < 20
    assert_clean_failure(result.stderr + result.stdout, result.exit_code)
