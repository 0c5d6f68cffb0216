"""The --cmd runner: newsgold.runner (real subprocesses, real files)."""

from __future__ import annotations

import json
import shlex
import sys
import textwrap
from pathlib import Path

import pytest

from newsgold.errors import UsageError
from newsgold.model import Document, Gold
from newsgold.runner import CommandError, build_argv, run_command
from newsgold.validate import load_gold

TAGGER = Path(__file__).parent / "fixtures" / "timeml" / "toy_tagger.py"
PY = shlex.quote(sys.executable)


@pytest.fixture(scope="module")
def gold(root: Path) -> Gold:
    return load_gold(root)


def tiny_docs() -> dict[str, Document]:
    """Two small documents; the second has a non-ASCII quote and no final newline."""
    return {
        "a": Document("a", "Talks on Monday.\n", "2021-12-30", "r"),
        "b": Document("b", "Putin “said” it on Friday", "2021-12-31", "r"),
    }


def script(tmp_path: Path, body: str, name: str = "system.py") -> str:
    """Write a Python script and return the command that runs it on {input} {output}."""
    path = tmp_path / name
    path.write_text(
        "import json, pathlib, sys\nsrc, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])\n"
        + textwrap.dedent(body),
        encoding="utf-8",
    )
    return f"{PY} {shlex.quote(str(path))} {{input}} {{output}}"


def failure(command: str, docs: dict[str, Document], **kwargs: object) -> str:
    with pytest.raises(CommandError) as info:
        run_command(command, docs, **kwargs)  # type: ignore[arg-type]
    return str(info.value)


# --------------------------------------------------------------------------- working systems


def test_toy_tagger_timeml_over_the_corpus(gold: Gold) -> None:
    """An independent tagger (standard library only) writing HeidelTime-style TimeML for
    every seed document: read back with offsets into the real texts, progress per document."""
    seen: list[str] = []
    run = run_command(f"{PY} {shlex.quote(str(TAGGER))} {{input}} {{output}}", gold.docs,
                      on_document=seen.append)  # fmt: skip
    assert run.output_format == "timeml"
    assert sorted(seen) == sorted(gold.docs) and len(seen) == len(set(seen))
    assert [p.doc_id for p in run.predictions] == sorted(gold.docs)
    assert run.stderr_tail.splitlines() == [f"tagged {d}" for d in sorted(gold.docs)]
    total = 0
    for pred in run.predictions:
        text = gold.docs[pred.doc_id].text
        assert pred.entities is None and pred.quotes is None and pred.dates is not None
        for d in pred.dates:
            assert text[d.start : d.end] == d.text
            assert d.type == "DATE"
        total += len(pred.dates)
    assert total > 10
    doc4 = next(p for p in run.predictions if p.doc_id.startswith("004"))
    thursday = next(d for d in doc4.dates or () if d.text == "Thursday")
    assert thursday.value == gold.docs[doc4.doc_id].dct  # dct 2021-12-23 was a Thursday


def test_input_folder_layout(tmp_path: Path) -> None:
    """What a command sees: <doc_id>.txt byte-exact, dct.tsv and manifest.json; it
    echoes them back as JSONL so the test can look."""
    command = script(
        tmp_path,
        """
        files = sorted(p.name for p in src.iterdir())
        manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
        tsv = (src / "dct.tsv").read_text(encoding="utf-8")
        with open(dst / "predictions.jsonl", "w", encoding="utf-8") as out:
            for item in manifest:
                text = (src / item["file"]).read_bytes().decode("utf-8")
                out.write(json.dumps({"doc_id": item["doc_id"], "entities": [
                    {"start": 0, "end": len(text), "text": text, "label": "ORG"}]}) + "\\n")
        sys.stderr.write(json.dumps([files, tsv]))
        """,
    )
    docs = tiny_docs()
    run = run_command(command, docs)
    files, tsv = json.loads(run.stderr_tail)
    assert files == ["a.txt", "b.txt", "dct.tsv", "manifest.json"]
    assert tsv == "a\t2021-12-30\nb\t2021-12-31\n"
    assert run.output_format == "jsonl"
    assert [p.entities[0].text for p in run.predictions if p.entities] == [
        docs["a"].text,
        docs["b"].text,
    ]


def test_brat_output(tmp_path: Path) -> None:
    """A tool writing brat standoff: one <doc_id>.ann per document, a note line passed over,
    offsets after a non-ASCII quote mark counted in code points."""
    command = script(
        tmp_path,
        """
        for doc_id in ("a", "b"):
            text = (src / f"{doc_id}.txt").read_bytes().decode("utf-8")
            lines = []
            for n, word in enumerate(("Monday", "Putin", "Friday"), start=1):
                i = text.find(word)
                if i >= 0:
                    lines.append(f"T{n}\\t{'PER' if word == 'Putin' else 'DATE'} {i} {i + len(word)}\\t{word}")
            lines.append("#1\\tAnnotatorNotes T1\\tby a rule")
            (dst / f"{doc_id}.ann").write_text("\\n".join(lines) + "\\n", encoding="utf-8")
        """,
    )
    docs = tiny_docs()
    run = run_command(command, docs)
    assert run.output_format == "brat"
    got = {
        p.doc_id: [(e.start, e.end, e.text, e.label) for e in p.entities or ()]
        for p in run.predictions
    }
    assert got == {
        "a": [(9, 15, "Monday", "DATE")],
        "b": [(0, 5, "Putin", "PER"), (19, 25, "Friday", "DATE")],
    }


def test_malformed_brat(tmp_path: Path) -> None:
    """A brat line whose text is not the document's: the brat adapter's error, under {output}."""
    command = script(
        tmp_path,
        """
        (dst / "a.ann").write_text("T1\\tDATE 9 15\\tmonday\\n", encoding="utf-8")
        (dst / "b.ann").write_text("", encoding="utf-8")
        """,
    )
    lines = failure(command, tiny_docs()).splitlines()
    assert lines[1] == ("{output}/a.ann:1: $: got 'monday', expected the text at [9:15] = 'Monday'")


def test_placeholders_inside_arguments() -> None:
    """{input} and {output} are replaced inside arguments; quoting is shell-like."""
    argv = build_argv("t --in={input} -o '{output}/my preds.jsonl'", Path("/i"), Path("/o"))
    assert argv == ["t", "--in=/i", "-o", "/o/my preds.jsonl"]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("", "empty command (expected e.g. 'python tag.py {input} {output}')"),
        (
            "tag {input}",
            "the command 'tag {input}' does not contain {output} "
            "(expected both, e.g. 'python tag.py {input} {output}')",
        ),
        (
            "tag '{input} {output}",
            'cannot split the command "tag \'{input} {output}": No closing quotation',
        ),
    ],
    ids=["empty", "no-output", "unbalanced-quote"],
)
def test_bad_command_lines(command: str, expected: str) -> None:
    """Malformed command lines are usage errors, before anything runs."""
    with pytest.raises(UsageError) as info:
        run_command(command, tiny_docs())
    assert str(info.value) == expected


# --------------------------------------------------------------------------- failing systems


def test_nonzero_exit_quotes_stderr_tail(tmp_path: Path) -> None:
    """A crash: the exit status and the last 20 lines of stderr, nothing else read."""
    command = script(
        tmp_path,
        """
        for i in range(30):
            sys.stderr.write(f"log line {i}\\n")
        sys.stderr.write("Exception: model file not found\\n")
        sys.exit(3)
        """,
    )
    message = failure(command, tiny_docs())
    lines = message.splitlines()
    assert lines[0] == f"the command exited with status 3: {command}"
    assert lines[1] == "last lines of its standard error:"
    assert lines[2:] == [f"  | log line {i}" for i in range(11, 30)] + [
        "  | Exception: model file not found"
    ]


def test_missing_output_for_one_document(tmp_path: Path) -> None:
    """The tool skipped a document: named, not dropped."""
    command = script(
        tmp_path,
        """
        (dst / "a.tml").write_text("<TimeML>Talks on Monday.\\n</TimeML>", encoding="utf-8")
        sys.stderr.write("skipped b: too long\\n")
        """,
    )
    message = failure(command, tiny_docs())
    assert message == (
        f"the output of the command cannot be read: {command}\n"
        "{output}/b.tml: $: missing: the command wrote no timeml output for document 'b'\n"
        "last lines of its standard error:\n"
        "  | skipped b: too long"
    )


def test_no_output_at_all(tmp_path: Path) -> None:
    """Exit 0 but nothing written, and nothing on stderr either."""
    command = script(tmp_path, "pass\n")
    assert failure(command, tiny_docs()) == (
        "the command wrote no output to {output} (found nothing; expected a *.jsonl file, "
        f"<doc_id>.ann files (brat) or <doc_id>.tml files (TimeML)): {command}\n"
        "(it wrote nothing to standard error)"
    )


def test_malformed_timeml(tmp_path: Path) -> None:
    """Tagged text that is not the document's (the tool normalised a quote mark)."""
    command = script(
        tmp_path,
        """
        (dst / "a.tml").write_text("Talks on <TIMEX3>Monday</TIMEX3>.\\n", encoding="utf-8")
        (dst / "b.tml").write_text('Putin "said" it on Friday', encoding="utf-8")
        """,
    )
    message = failure(command, tiny_docs())
    assert message.splitlines()[1] == (
        "{output}/b.tml:1: $: tagged text does not match the document at document offset 6 "
        "(line 1, column 7): different text; tagged text (column 7) has "
        "'\"said\" it on Friday', document has '“said” it on Friday' "
        "(expected the document's text, unchanged, with TIMEX3 tags inserted)"
    )


def test_timeml_values_are_checked_like_predictions(tmp_path: Path) -> None:
    """Well-formed TimeML whose TIMEX3 says type="TEMPONYM" (a HeidelTime extension) and a
    DURATION value that is not ISO 8601: both named with file and JSON path."""
    command = script(
        tmp_path,
        """
        (dst / "a.tml").write_text('Talks on <TIMEX3 type="TEMPONYM" value="X">Monday</TIMEX3>.',
                                   encoding="utf-8")
        (dst / "b.tml").write_text('Putin “said” it on <TIMEX3 type="DURATION" value="1 day">'
                                   'Friday</TIMEX3>', encoding="utf-8")
        """,
    )
    lines = failure(command, tiny_docs()).splitlines()
    assert lines[1].startswith(
        "{output}/a.tml: $[a].dates[0].type: got 'TEMPONYM', expected one of"
    )
    assert lines[2].startswith("{output}/b.tml: $[b].dates[0].value: got '1 day'")


def test_jsonl_missing_a_document(tmp_path: Path) -> None:
    """Valid JSONL that has no line for one of the documents given: named, not scored as empty."""
    command = script(
        tmp_path,
        """(dst / "p.jsonl").write_text('{"doc_id": "b", "entities": []}\\n', encoding="utf-8")\n""",
    )
    lines = failure(command, tiny_docs()).splitlines()
    assert lines[1] == (
        "{output}/p.jsonl: $: no line for document 'a' (expected one line per input document)"
    )


def test_malformed_jsonl(tmp_path: Path) -> None:
    """A JSONL line that is not JSON, and an offset past the end of the text."""
    command = script(
        tmp_path,
        """
        (dst / "p.jsonl").write_text('{"doc_id": "a", "dates": [{"start": 9, "end": 99}]}\\n{oops\\n',
                                     encoding="utf-8")
        sys.stderr.write("done\\n")
        """,
    )
    lines = failure(command, tiny_docs()).splitlines()
    assert lines[0] == f"the output of the command cannot be read: {command}"
    assert lines[1].startswith("{output}/p.jsonl:1: $.dates[0].end: ")
    assert lines[2].startswith("{output}/p.jsonl:2: $: invalid JSON")
    assert lines[-1] == "  | done"


def test_unknown_document_and_mixed_formats(tmp_path: Path) -> None:
    """Output for a document that was not given is an error, and so are two formats at once."""
    unknown = script(
        tmp_path,
        """
        for name in ("a", "b", "zzz"):
            (dst / f"{name}.tml").write_text("x", encoding="utf-8")
        """,
        "unknown.py",
    )
    message = failure(unknown, {"a": Document("a", "x", "2021-12-30", "r"),
                                "b": Document("b", "x", "2021-12-30", "r")})  # fmt: skip
    assert (
        "{output}/zzz.tml: $: output for an unknown document 'zzz' (expected files named" in message
    )
    mixed = script(
        tmp_path,
        """
        (dst / "a.tml").write_text("x", encoding="utf-8")
        (dst / "p.jsonl").write_text("", encoding="utf-8")
        """,
        "mixed.py",
    )
    assert failure(mixed, {"a": Document("a", "x", "2021-12-30", "r")}).startswith(
        "the command wrote more than one output format to {output}: jsonl, timeml "
        "(expected one; pass the format to read)"
    )


def test_command_not_found() -> None:
    """A program that does not exist."""
    message = failure("no-such-tagger-xyz {input} {output}", tiny_docs())
    assert message.splitlines()[0] == (
        "command not found: 'no-such-tagger-xyz' (expected a program on PATH or a path to one)"
    )


def test_timeout_stops_the_command(tmp_path: Path) -> None:
    """A hanging tool is killed after the time-out, with what it logged."""
    command = script(
        tmp_path,
        """
        import time
        sys.stderr.write("loading model\\n"); sys.stderr.flush()
        time.sleep(60)
        """,
    )
    message = failure(command, tiny_docs(), timeout=1.0)
    assert message.splitlines() == [
        f"the command timed out after 1 s and was stopped: {command}",
        "last lines of its standard error:",
        "  | loading model",
    ]


def test_format_can_be_forced(tmp_path: Path) -> None:
    """With output_format given, only that format's files are read (a stray .xml is ignored)."""
    command = script(
        tmp_path,
        """
        (dst / "p.jsonl").write_text('{"doc_id": "a", "dates": []}\\n', encoding="utf-8")
        (dst / "config.xml").write_text("<x/>", encoding="utf-8")
        """,
    )
    docs = {"a": Document("a", "x", "2021-12-30", "r")}
    run = run_command(command, docs, output_format="jsonl")
    assert run.predictions[0].dates == ()
    with pytest.raises(UsageError, match="unknown output format 'conll'"):
        run_command(command, docs, output_format="conll")


# --------------------------------------------------------------------------- the CLI


def test_cli_run_cmd_timeml_scored(tmp_path: Path, root: Path) -> None:
    """`newsgold run --cmd ... --score --json`: an independent TimeML tagger scored on the
    dates layer; the report records documents per second; the JSONL re-scores identically."""
    from click.testing import CliRunner

    from newsgold.cli import main

    out, report_path = tmp_path / "toy.jsonl", tmp_path / "report.json"
    command = f"{PY} {shlex.quote(str(TAGGER))} {{input}} {{output}}"
    result = CliRunner().invoke(
        main,
        ["run", "--cmd", command, "--out", str(out), "--score", "--json", str(report_path),
         "--bootstrap", "0", "--root", str(root)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "documents" in result.stderr and "5/5" in result.stderr  # the progress bar
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["layers"] == ["dates"]
    assert report["run"]["kind"] == "command" and report["run"]["system"] == command
    assert report["run"]["documents"] == 5 and report["run"]["documents_per_second"] > 0
    assert 0 < report["dates"]["relaxed"]["f1"] < 1
    rescored = CliRunner().invoke(
        main, ["score", str(out), "--json", "-", "--bootstrap", "0", "--root", str(root)]
    )
    assert rescored.exit_code == 0, rescored.output
    again = json.loads(rescored.stdout)
    report.pop("run")
    assert again == report


def test_cli_run_cmd_failure_exit_1(tmp_path: Path, root: Path) -> None:
    """A failing command through the CLI: exit 1, one message with the stderr tail, no
    predictions file, no traceback."""
    from click.testing import CliRunner

    from newsgold.cli import main

    command = script(tmp_path, 'sys.stderr.write("java.lang.OutOfMemoryError\\n"); sys.exit(1)\n')
    out = tmp_path / "p.jsonl"
    result = CliRunner().invoke(
        main, ["run", "--cmd", command, "--out", str(out), "--no-progress", "--root", str(root)]
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: the command exited with status 1: {command}\n"
        "last lines of its standard error:\n"
        "  | java.lang.OutOfMemoryError\n"
    )
    assert not out.exists()


def test_failure_quotes_stdout_when_stderr_is_empty(tmp_path: Path) -> None:
    """A tool that logs to standard output only: its stdout tail is quoted instead."""
    command = script(tmp_path, 'print("Exception in thread main: no such file")\nsys.exit(2)\n')
    assert failure(command, tiny_docs()).splitlines()[1:] == [
        "(it wrote nothing to standard error) last lines of its standard output:",
        "  | Exception in thread main: no such file",
    ]


def test_timeout_stops_what_the_command_started(tmp_path: Path) -> None:
    """A wrapper script whose real tagger is a child process: the time-out stops both."""
    command = script(
        tmp_path,
        """
        import subprocess, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        sys.stderr.write(f"child {child.pid}\\n"); sys.stderr.flush()
        time.sleep(60)
        """,
    )
    message = failure(command, tiny_docs(), timeout=1.0)
    pid = int(message.splitlines()[-1].split()[-1])

    def running(pid: int) -> bool:
        status = Path(f"/proc/{pid}/status")
        try:
            return "\\tZ" not in status.read_text().split("State:", 1)[1].splitlines()[0]
        except (FileNotFoundError, IndexError):
            return False

    import time

    deadline = time.monotonic() + 5
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(pid)
