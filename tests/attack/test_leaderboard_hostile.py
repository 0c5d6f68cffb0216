"""One hostile submission never stops the board: the valid ones are ranked, each invalid one
is listed with its reasons (one ``FILE[:LINE]: $.path: message`` line each), exit 1."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import PROBLEM, invoke, snapshot

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "eval" / "submissions" / "rules"
DEEP = "[" * 2000 + "]" * 2000


def _copy(folder: Path, **meta: object) -> Path:
    folder.mkdir(parents=True)
    shutil.copyfile(RULES / "predictions.jsonl", folder / "predictions.jsonl")
    base = json.loads((RULES / "submission.json").read_text())
    base.update({"system_id": folder.name, **meta})
    (folder / "submission.json").write_text(json.dumps(base))
    return folder


def _edit_line(folder: Path, index: int, change: Callable[[str], str]) -> None:
    path = folder / "predictions.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[index] = change(lines[index])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _end_to(value: str) -> Callable[[str], str]:
    def change(line: str) -> str:
        return line.replace('"end":7,', f'"end":{value},', 1)

    return change


def _deep_line(f: Path) -> None:
    _edit_line(f, 1, lambda _: DEEP)


def _deep_meta(f: Path) -> None:
    (f / "submission.json").write_text(DEEP)


def _deep_meta_field(f: Path) -> None:
    meta = json.loads((f / "submission.json").read_text())
    (f / "submission.json").write_text(json.dumps(meta)[:-1] + ', "x": ' + DEEP + "}")


def _surrogate_name(f: Path) -> None:
    meta = json.loads((f / "submission.json").read_text())
    meta["name"] = "lone \ud800 surrogate"
    (f / "submission.json").write_text(json.dumps(meta))


def _surrogate_text(f: Path) -> None:
    _edit_line(f, 0, lambda line: line.replace('"text":"Russian"', '"text":"Russ\\udc00an"', 1))


def _fifo(f: Path) -> None:
    (f / "predictions.jsonl").unlink()
    os.mkfifo(f / "predictions.jsonl")


def _dir_preds(f: Path) -> None:
    (f / "predictions.jsonl").unlink()
    (f / "predictions.jsonl").mkdir()


def _dir_meta(f: Path) -> None:
    (f / "submission.json").unlink()
    (f / "submission.json").mkdir()


def _dup_key(f: Path) -> None:
    _edit_line(f, 0, lambda line: line.replace('{"doc_id":', '{"doc_id":"x","doc_id":', 1))


def _broken_then_lines(f: Path) -> None:
    _edit_line(f, 2, lambda line: line[: len(line) // 2])


def _binary(f: Path) -> None:
    (f / "predictions.jsonl").write_bytes(b"\xff\xfe\x00garbage\n")


def _empty(f: Path) -> None:
    (f / "predictions.jsonl").write_bytes(b"")


def _nan(f: Path) -> None:
    _edit_line(f, 0, _end_to("NaN"))


#: folder → (how to make it hostile, what its problem line must hold)
HOSTILE: dict[str, tuple[Callable[[Path], None], str]] = {
    "deep-line": (_deep_line, "deep-line/predictions.jsonl:2: $: invalid JSON: nested too deeply"),
    "deep-meta": (_deep_meta, "deep-meta/submission.json:1: $: invalid JSON: nested too deeply"),
    "deep-meta-field": (
        _deep_meta_field,
        "deep-meta-field/submission.json:1: $: invalid JSON: nested too deeply",
    ),
    "surrogate-name": (
        _surrogate_name,
        "surrogate-name/submission.json:1: $: invalid JSON: lone surrogate \\ud800",
    ),
    "surrogate-text": (
        _surrogate_text,
        "surrogate-text/predictions.jsonl:1: $: invalid JSON: lone surrogate \\udc00",
    ),
    "fifo": (_fifo, "fifo/predictions.jsonl: $: not a regular file"),
    "dir-preds": (_dir_preds, "dir-preds/predictions.jsonl: $: not a regular file"),
    "dir-meta": (_dir_meta, "dir-meta/submission.json: $: not a regular file"),
    "float-end": (
        lambda f: _edit_line(f, 0, _end_to("7.0")),
        "float-end/predictions.jsonl:1: $.entities[0].end: ",
    ),
    "huge-float-end": (
        lambda f: _edit_line(f, 0, _end_to("1e20")),
        "huge-float-end/predictions.jsonl:1: $.entities[0].end: ",
    ),
    "float-start": (
        lambda f: _edit_line(f, 0, lambda line: line.replace('"start":0,', '"start":0.0,', 1)),
        "float-start/predictions.jsonl:1: $.entities[0].start: ",
    ),
    "nan-end": (_nan, "nan-end/predictions.jsonl:1: $: invalid JSON: NaN"),
    "dup-key": (_dup_key, "dup-key/predictions.jsonl:1: $: invalid JSON: duplicate key 'doc_id'"),
    "broken-line": (_broken_then_lines, "broken-line/predictions.jsonl:3: $: invalid JSON"),
    "binary": (_binary, "binary/predictions.jsonl:1: $: invalid UTF-8"),
    "empty": (_empty, "empty/predictions.jsonl: $: no line for document"),
}


@pytest.fixture(scope="module")
def board_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, Result, dict[str, bytes]]:
    base = tmp_path_factory.mktemp("board")
    subs = base / "submissions"
    _copy(subs / "rules")
    for name, (make, _) in HOSTILE.items():
        make(_copy(subs / name))
    out = base / "out"
    before = snapshot(subs)
    result = invoke(
        ["leaderboard", "--submissions", str(subs), "--out", str(out), "--root", str(ROOT)]
    )
    return subs, out, result, before


def test_board_written_valid_ranked(board_run: tuple[Path, Path, Result, dict[str, bytes]]) -> None:
    subs, out, result, before = board_run
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    board = json.loads((out / "leaderboard.json").read_text(encoding="utf-8"))
    assert board["submissions"] == {"rules": board["submissions"]["rules"]}
    assert sorted(i["folder"] for i in board["invalid"]) == sorted(HOSTILE)
    assert sorted(p.name for p in (out / "reports").iterdir()) == ["rules.html"]
    assert snapshot(subs) == before, "the submissions are read, never written"
    assert result.stderr.rstrip().endswith(
        f"error: {len(HOSTILE)} invalid submissions left off the board (pass --allow-invalid to exit 0 anyway)"
    )


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_submission_listed(
    board_run: tuple[Path, Path, Result, dict[str, bytes]], name: str
) -> None:
    _, _, result, _ = board_run
    expected = HOSTILE[name][1]
    lines = [line for line in result.stderr.splitlines() if line.startswith(f"{name}/")]
    assert lines, result.stderr
    for line in lines:
        assert PROBLEM.match(line), line
    assert any(line.startswith(expected) for line in lines), (expected, lines)


@pytest.mark.parametrize(
    ("exc", "message"),
    [
        (PermissionError(13, "Permission denied"), "cannot be read: Permission denied"),
        (RecursionError("maximum recursion depth exceeded"), "nested too deeply to process"),
        (
            UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
            "holds text that is not valid Unicode (a lone surrogate?)",
        ),
        (OverflowError("int too large"), "cannot be scored: 'int too large'"),
        (MemoryError(), "too large to process"),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseException) else "",
)
def test_fault_in_one_submission_spares_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: BaseException, message: str
) -> None:
    """A fault no check foresaw (an unreadable folder as a non-root user, a crash in scoring):
    that submission is invalid with one line, the board is still written."""
    import newsgold.leaderboard.submissions as run_mod

    real = run_mod.check_files

    def check(entry: Path, submissions: Path) -> object:
        if entry.name == "victim":
            raise exc
        return real(entry, submissions)

    monkeypatch.setattr(run_mod, "check_files", check)
    subs = tmp_path / "submissions"
    _copy(subs / "rules")
    _copy(subs / "victim")
    out = tmp_path / "out"
    result = invoke(
        ["leaderboard", "--submissions", str(subs), "--out", str(out), "--root", str(ROOT)]
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("victim")]
    assert PROBLEM.match(line) and line == f"victim: $: {message}"
    board = json.loads((out / "leaderboard.json").read_text(encoding="utf-8"))
    assert list(board["submissions"]) == ["rules"]


def test_rerun_after_failure_keeps_board(tmp_path: Path) -> None:
    """A board that cannot be written (its folder is a file) leaves the previous board as it was."""
    subs = tmp_path / "submissions"
    _copy(subs / "rules")
    out = tmp_path / "out"
    assert (
        invoke(
            ["leaderboard", "--submissions", str(subs), "--out", str(out), "--root", str(ROOT)]
        ).exit_code
        == 0
    )
    (out / "reports").rename(tmp_path / "old-reports")
    (out / "reports").write_text("a file where the reports folder should be")
    before = snapshot(out)
    result = invoke(
        ["leaderboard", "--submissions", str(subs), "--out", str(out), "--root", str(ROOT)]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        result.stderr.strip().splitlines()[-1].startswith(f"error: cannot write {out / 'reports'}/")
    )
    assert snapshot(out) == before
    assert not list(out.rglob("*.tmp"))
