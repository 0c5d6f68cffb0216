"""A held-out campaign: faults and hostile inputs beyond those the issue listed (real full and
read-only file systems on a tmpfs, signals during the leaderboard and the build, NUL bytes, BOMs,
CRLF, many documents, symlinked and same-as-input outputs, stale reports)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import assert_clean_failure, invoke, snapshot

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
DOC = "000_e9e65d9efa045d67"
RULES = ROOT / "eval" / "submissions" / "rules"
PREDICTIONS = (RULES / "predictions.jsonl").read_bytes()


# --------------------------------------------------------------------------- real file systems


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs mounted for the test (root only; skipped with the reason otherwise)."""
    point = tmp_path / "mnt"
    point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip() or 'not root'})")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def _remount_read_only(point: Path) -> None:
    done = subprocess.run(
        ["mount", "-o", "remount,ro", str(point)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot remount the tmpfs read-only: {done.stderr.strip()}")


def test_full_disk_keeps_the_previous_output(tmpfs: Path) -> None:
    """`ls export-tasks` onto a 256 KiB file system already nearly full: one error line
    naming the file and the cause, the previous file byte-identical, no temporary file left."""
    (tmpfs / "filler").write_bytes(b"x" * 200_000)
    target = tmpfs / "tasks.json"
    target.write_bytes(b"previous\n")
    before = snapshot(tmpfs)
    result = invoke(["ls", "export-tasks", str(target), "--root", str(ROOT)])
    (line,) = assert_clean_failure(result.stderr, result.exit_code)
    assert line == f"error: cannot write {target}: no space left on the device"
    assert snapshot(tmpfs) == before


def test_read_only_file_system(tmpfs: Path) -> None:
    """A read-only mount (which binds root too): one line, nothing changed."""
    target = tmpfs / "p.jsonl"
    target.write_bytes(b"previous\n")
    _remount_read_only(tmpfs)
    result = invoke(
        ["run", "--python", "os.path:basename", "--out", str(target), "--no-progress"]
        + ["--root", str(ROOT)]
    )
    lines = assert_clean_failure(result.stderr, result.exit_code)
    assert lines[0].startswith("error: ")
    assert target.read_bytes() == b"previous\n"


def test_full_disk_during_the_build(tmpfs: Path) -> None:
    (tmpfs / "filler").write_bytes(b"x" * 220_000)
    out = tmpfs / "corpus"
    result = invoke(["build", "--out", str(out), "--root", str(ROOT)])
    (line,) = assert_clean_failure(result.stderr, result.exit_code)
    assert line.startswith(f"error: cannot write {out}/") and "no space left" in line
    assert not [p for p in tmpfs.rglob("*") if p.name.endswith(".tmp")]


# --------------------------------------------------------------------------- signals


def _copy_submissions(dest: Path, names: tuple[str, ...] = ("rules", "dateparser")) -> Path:
    subs = dest / "submissions"
    for name in names:
        shutil.copytree(ROOT / "eval" / "submissions" / name, subs / name)
    return subs


def _signal_midway(argv: list[str], delay: float, signum: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsgold", *argv],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(delay)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _all_or_nothing(folder: Path, before: dict[str, bytes], after: dict[str, bytes]) -> None:
    now = snapshot(folder)
    assert not [name for name in now if name.rsplit("/", 1)[-1].startswith(".")], now.keys()
    assert now in (before, after), sorted(
        name for name in set(now) | set(after) if now.get(name) != after.get(name)
    )


@pytest.mark.parametrize("delay", [0.3, 1.5, 3.0, 6.0])
def test_sigterm_during_the_leaderboard(tmp_path: Path, delay: float) -> None:
    """SIGTERM at some moment of `newsgold leaderboard`: the board folder holds either the
    previous files or the complete new ones, never a mix, never a temporary file."""
    subs = _copy_submissions(tmp_path)
    board = tmp_path / "board"
    args = ["leaderboard", "--submissions", str(subs), "--out", str(board), "--root", str(ROOT)]
    done = invoke(args)
    assert done.exit_code == 0, done.output
    after = snapshot(board)
    for path in board.rglob("*"):
        if path.is_file():
            path.write_bytes(b"previous " + path.name.encode() + b"\n")
    before = snapshot(board)
    result = _signal_midway(args, delay, signal.SIGTERM)
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, -signal.SIGTERM), result.stderr
    _all_or_nothing(board, before, after)


@pytest.mark.parametrize("delay", [0.3, 2.0, 4.0])
def test_sigterm_during_the_build(tmp_path: Path, delay: float) -> None:
    out = tmp_path / "corpus"
    assert invoke(["build", "--out", str(out), "--root", str(ROOT)]).exit_code == 0
    after = snapshot(out)
    for path in [out / "README.md", *(out / "data").iterdir()]:  # (the changelog is an input)
        path.write_bytes(b"previous\n")
    before = snapshot(out)
    result = _signal_midway(
        ["build", "--out", str(out), "--root", str(ROOT)], delay, signal.SIGTERM
    )
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, -signal.SIGTERM), result.stderr
    now = snapshot(out)
    assert not [n for n in now if n.rsplit("/", 1)[-1].startswith(".")]
    # the build removes old data files after writing: the files it writes are all or nothing
    assert {k: v for k, v in now.items() if k in after} in (
        {k: v for k, v in before.items() if k in after},
        after,
    )


# --------------------------------------------------------------------------- the board's files


def test_removed_system_leaves_no_stale_report(tmp_path: Path) -> None:
    """A system removed from the submissions: its error report goes at the next run; a file
    newsgold did not write in reports/ stays, byte for byte."""
    subs = _copy_submissions(tmp_path)
    board = tmp_path / "board"
    args = ["leaderboard", "--submissions", str(subs), "--out", str(board), "--root", str(ROOT)]
    assert invoke(args).exit_code == 0
    assert sorted(p.name for p in (board / "reports").iterdir()) == [
        "dateparser.html",
        "rules.html",
    ]
    (board / "reports" / "notes.html").write_text("<p>my own notes</p>\n")
    shutil.rmtree(subs / "dateparser")
    result = invoke(args)
    assert result.exit_code == 0, result.output
    assert "removed 1 stale report: dateparser.html" in result.stderr
    assert sorted(p.name for p in (board / "reports").iterdir()) == ["notes.html", "rules.html"]
    assert (board / "reports" / "notes.html").read_text() == "<p>my own notes</p>\n"


# --------------------------------------------------------------------------- hostile bytes


def _lines() -> list[bytes]:
    return PREDICTIONS.splitlines(keepends=True)


HOSTILE: dict[str, tuple[bytes, str]] = {
    "nul-in-json": (
        _lines()[0].replace(b'"Russian"', b'"Russ\x00an"', 1) + b"".join(_lines()[1:]),
        ":1: $: invalid JSON: Invalid control character",
    ),
    "nul-escape-in-text": (
        _lines()[0].replace(b'"text":"Russian"', b'"text":"Russ\\u0000an"', 1)
        + b"".join(_lines()[1:]),
        ":1: $.entities[0].text:",
    ),
    "bom": (b"\xef\xbb\xbf" + PREDICTIONS, ":1: $: UTF-8 byte-order mark (BOM) at the start"),
    "bom-on-line-3": (
        b"".join(_lines()[:2]) + b"\xef\xbb\xbf" + b"".join(_lines()[2:]),
        ":3: $: UTF-8 byte-order mark (BOM)",
    ),
    "utf16": (PREDICTIONS.decode("utf-8").encode("utf-16"), ":1: $: invalid UTF-8"),
    "many-documents": (
        PREDICTIONS
        + b"".join(
            json.dumps({"doc_id": f"999_{i:016x}", "entities": []}).encode() + b"\n"
            for i in range(20_000)
        ),
        ":6: $.doc_id: unknown doc_id '999_0000000000000000'",
    ),
    "duplicate-document": (PREDICTIONS + _lines()[0], ":6: $.doc_id: duplicate doc_id"),
    "negative-offset": (
        _lines()[0].replace(b'"start":0,', b'"start":-1,', 1) + b"".join(_lines()[1:]),
        ":1: $.entities[0].start: ",
    ),
    "exponent-offset": (
        _lines()[0].replace(b'"end":7,', b'"end":7e0,', 1) + b"".join(_lines()[1:]),
        ":1: $.entities[0].end: got 7.0, expected integer",
    ),
    "huge-int-offset": (
        _lines()[0].replace(b'"end":7,', b'"end":' + b"9" * 5000 + b",", 1)
        + b"".join(_lines()[1:]),
        ":1: $",
    ),
    "top-level-array": (b"[]\n", ":1: $: got [], expected object"),
    "cr-only-line-ends": (PREDICTIONS.replace(b"\n", b"\r"), ":1: $: invalid JSON"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_bytes(tmp_path: Path, name: str) -> None:
    content, expected = HOSTILE[name]
    pred = tmp_path / "p.jsonl"
    pred.write_bytes(content)
    out = tmp_path / "report.json"
    out.write_bytes(b"previous\n")
    before = snapshot(tmp_path)
    result = invoke(["score", str(pred), "--json", str(out), "--root", str(ROOT)])
    lines = assert_clean_failure(result.stderr, result.exit_code)
    assert any(line.startswith(f"{pred}{expected}") for line in lines), lines[:3]
    assert len(lines) <= 20_001
    assert snapshot(tmp_path) == before


def test_crlf_line_ends_are_read_as_lines(tmp_path: Path) -> None:
    """CRLF line ends (a file saved on Windows) read as the same records: the same figures."""
    pred = tmp_path / "p.jsonl"
    pred.write_bytes(PREDICTIONS.replace(b"\n", b"\r\n"))
    plain = tmp_path / "q.jsonl"
    plain.write_bytes(PREDICTIONS)
    a = invoke(["score", str(pred), "--json", "-", "--bootstrap", "0", "--root", str(ROOT)])
    b = invoke(["score", str(plain), "--json", "-", "--bootstrap", "0", "--root", str(ROOT)])
    assert a.exit_code == b.exit_code == 0, a.output
    assert a.stdout == b.stdout


# --------------------------------------------------------------------------- where outputs go


def test_output_equal_to_input_keeps_the_input(tmp_path: Path) -> None:
    """`score P --json P`: the report would overwrite the predictions it scores. Refused,
    one line, the predictions byte-identical."""
    pred = tmp_path / "p.jsonl"
    pred.write_bytes(PREDICTIONS)
    result = invoke(["score", str(pred), "--json", str(pred), "--root", str(ROOT)])
    (line,) = assert_clean_failure(result.stderr, result.exit_code)
    assert "is also an input" in line
    assert pred.read_bytes() == PREDICTIONS


def test_output_through_a_symlink_to_the_input(tmp_path: Path) -> None:
    pred = tmp_path / "p.jsonl"
    pred.write_bytes(PREDICTIONS)
    (tmp_path / "link.json").symlink_to(pred)
    result = invoke(
        ["score", str(pred), "--json", str(tmp_path / "link.json"), "--root", str(ROOT)]
    )
    (line,) = assert_clean_failure(result.stderr, result.exit_code)
    assert "is also an input" in line
    assert pred.read_bytes() == PREDICTIONS
    assert (tmp_path / "link.json").is_symlink()


def test_output_symlink_elsewhere_is_replaced_not_followed(tmp_path: Path) -> None:
    """`--json` names a symlink to a file outside: the link is replaced by the report, the file
    it pointed to is not written (nothing is written outside the folder given)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_bytes(b"keep me\n")
    given = tmp_path / "given"
    given.mkdir()
    (given / "report.json").symlink_to(victim)
    pred = tmp_path / "p.jsonl"
    pred.write_bytes(PREDICTIONS)
    result = invoke(
        ["score", str(pred), "--json", str(given / "report.json"), "--bootstrap", "0"]
        + ["--root", str(ROOT)]
    )
    assert result.exit_code == 0, result.output
    assert victim.read_bytes() == b"keep me\n"
    assert not (given / "report.json").is_symlink()
    assert json.loads((given / "report.json").read_text())["layers"]


def test_run_out_equal_to_a_gold_file_is_refused(tmp_path: Path) -> None:
    """`run --out` pointing at the gold itself (a copy of the project): refused, gold intact."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "annotations", project / "annotations")
    shutil.copytree(ROOT / "seeds", project / "seeds")
    shutil.copytree(ROOT / "corpus", project / "corpus")
    (project / "pyproject.toml").write_text('[project]\nname = "newsgold"\n')
    gold_file = project / "annotations" / f"{DOC}.json"
    before = gold_file.read_bytes()
    result = invoke(
        ["run", "--python", "os.path:basename", "--out", str(gold_file), "--no-progress"]
        + ["--root", str(project)]
    )
    lines = assert_clean_failure(result.stderr, result.exit_code)
    assert lines[0].startswith("error: ")
    assert gold_file.read_bytes() == before


def test_output_to_a_full_device_is_written_to_not_replaced(tmp_path: Path) -> None:
    """`--json` naming a device (a copy of /dev/full made with mknod): as root a rename would
    have replaced the device by a file; it is written to, and its ENOSPC is one line."""
    device = tmp_path / "full"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    for argv in (
        ["ls", "export-tasks", str(device)],
        ["score", str(RULES / "predictions.jsonl"), "--json", str(device), "--bootstrap", "0"],
    ):
        result = invoke([*argv, "--root", str(ROOT)])
        lines = assert_clean_failure(result.stderr, result.exit_code)
        assert lines[-1] == f"error: cannot write {device}: no space left on the device"
        assert device.is_char_device()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]


def test_output_to_a_pipe_is_streamed(tmp_path: Path) -> None:
    """`--json` naming a FIFO (as `--json /dev/stdout` is a pipe or a terminal): the report
    goes through it, and the FIFO is still a FIFO afterwards."""
    import threading

    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    args = ["score", str(RULES / "predictions.jsonl"), "--json", str(fifo), "--bootstrap", "0"]
    result = invoke([*args, "--root", str(ROOT)])
    reader.join(30)
    assert result.exit_code == 0, result.output
    assert json.loads(got[0])["layers"] == ["entities", "dates", "quotes"]
    assert fifo.is_fifo()


@pytest.mark.parametrize("value", [",", ",,,", " , "])
def test_empty_layer_list_is_refused(value: str) -> None:
    result = invoke(
        ["score", str(RULES / "predictions.jsonl"), "--layers", value, "--root", str(ROOT)]
    )
    (line,) = assert_clean_failure(result.stderr, result.exit_code)
    assert line == "error: no layer named (expected some of entities, dates, quotes)"


# --------------------------------------------------------------------------- odd input files


def test_line_break_in_a_file_name_stays_one_line(tmp_path: Path) -> None:
    pred = tmp_path / "a\nb.jsonl"
    result = invoke(["score", str(pred), "--root", str(ROOT)])
    (line,) = assert_clean_failure(result.stderr, result.exit_code)
    assert line == f"{tmp_path}/a\\nb.jsonl: $: no such file"


def test_fifo_without_a_writer_in_a_gold_folder(tmp_path: Path) -> None:
    """`agree` over a folder where one gold document is a FIFO nobody writes to: it used to
    wait for ever; it reads as empty, one line."""
    other = tmp_path / "second"
    shutil.copytree(ROOT / "annotations", other, ignore=shutil.ignore_patterns("second_pass"))
    (other / f"{DOC}.json").unlink()
    os.mkfifo(other / f"{DOC}.json")
    started = time.monotonic()
    result = invoke(["agree", str(ROOT / "annotations"), str(other), "--root", str(ROOT)])
    assert time.monotonic() - started < 60
    lines = assert_clean_failure(result.stderr, result.exit_code)
    assert f"{other}/{DOC}.json:1: $: empty file (expected a JSON value)" in lines


def test_fifo_with_a_writer_is_read(tmp_path: Path) -> None:
    """A pipe that is written to (as `score <(zcat p.jsonl.gz)` gives) is read as a file."""
    import threading

    fifo = tmp_path / "p.jsonl"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(PREDICTIONS), daemon=True)
    writer.start()
    time.sleep(0.3)  # the writer waits in open() (counted as a writer) before newsgold reads
    result = invoke(["score", str(fifo), "--json", "-", "--bootstrap", "0", "--root", str(ROOT)])
    writer.join(30)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["layers"] == ["entities", "dates", "quotes"]


@pytest.mark.parametrize("command", ["score", "validate", "compare"])
def test_a_million_bad_lines_cost_a_thousand_problems(tmp_path: Path, command: str) -> None:
    """300,000 lines for unknown documents: checking stops after the first 1,000 problems and
    the count line says so (it used to take two minutes and 1.7 GB for a million)."""
    pred = tmp_path / "many.jsonl"
    line = '{"doc_id": "999_%016x", "entities": []}\n'
    with pred.open("w", encoding="utf-8") as fh:
        fh.writelines(line % i for i in range(300_000))
    argv = {
        "score": ["score", str(pred)],
        "validate": ["validate", "--predictions", str(pred)],
        "compare": ["compare", str(pred), str(pred)],
    }[command]
    started = time.monotonic()
    result = invoke([*argv, "--root", str(ROOT)])
    assert time.monotonic() - started < 30
    output = result.stderr + (result.stdout if command == "validate" else "")
    lines = assert_clean_failure(output, result.exit_code)
    assert len(lines) == 1000
    assert output.rstrip().endswith(
        "(checking stopped after 1000: the rest of the input was not read)"
    )


def _loop(tmp_path: Path) -> Path:
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    return tmp_path / "loop1"


@pytest.mark.parametrize(
    "args",
    [
        ["agree", "{loop}", "{tmp}"],
        ["validate", "{loop}"],
        ["validate", "--predictions", "{loop}"],
        ["score", "{loop}"],
        ["score", "{loop}", "--format", "brat"],
        ["ls", "import", "{loop}", "--out", "{tmp}/out"],
    ],
    ids=lambda a: "-".join(x for x in a if not x.startswith("{")),
)
def test_symlink_loop_as_input(tmp_path: Path, args: list[str]) -> None:
    """A loop of symbolic links named as input: one line, no RuntimeError traceback."""
    loop = _loop(tmp_path)
    argv = [a.replace("{loop}", str(loop)).replace("{tmp}", str(tmp_path)) for a in args]
    result = invoke([*argv, "--root", str(ROOT)])
    lines = assert_clean_failure(result.stderr + result.stdout, result.exit_code)
    assert lines[0].startswith(str(loop)), lines


def test_symlink_loop_as_output_is_replaced(tmp_path: Path) -> None:
    """`--json` naming a loop of links: the link is replaced by the report (as any link)."""
    loop = _loop(tmp_path)
    args = ["score", str(RULES / "predictions.jsonl"), "--json", str(loop), "--bootstrap", "0"]
    result = invoke([*args, "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert json.loads(loop.read_text())["layers"]
    assert (tmp_path / "loop2").is_symlink()
