"""Systems that misbehave in Python, formats pushed to their edges, and outputs newsgold must not
write: one error line each, exit 1, no traceback, the previous output byte-identical."""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

import pytest

from newsgold.errors import NewsgoldError, ValidationError
from newsgold.evaluate import evaluate

from .conftest import assert_clean_failure, invoke, snapshot

ROOT = Path(__file__).resolve().parents[2]
DOC = "000_e9e65d9efa045d67"
RULES = ROOT / "eval" / "submissions" / "rules" / "predictions.jsonl"
ONE_LINE = re.compile(r"^[^\n]+: .+$")

MODULES = {
    "nan-score": (
        "def f(text, dct):\n"
        "    return {'entities': [{'start': 0, 'end': 7, 'label': 'NORP', 'score': float('nan')}]}\n",
        "ns:f",
        r"\$\[000_e9e65d9efa045d67\]\.entities\[0\]\.score: got NaN, expected number",
    ),
    "infinite-score": (
        "def f(text, dct):\n"
        "    return {'dates': [{'start': 0, 'end': 7, 'type': 'DATE', 'score': -float('inf')}]}\n",
        "ns:f",
        r"\.dates\[0\]\.score: got -Infinity, expected number",
    ),
    "sys-exit-3": (
        "import sys\ndef f(text, dct):\n    sys.exit(3)\n",
        "ns:f",
        r"^error: the system ns:f called sys\.exit\(3\) on document '000_e9e65d9efa045d67'",
    ),
    "syntax-error": ("def f(:\n", "ns:f", r"^error: --python 'ns:f': syntax error in .*ns\.py:1: "),
    "import-fails": (
        "raise RuntimeError('no model\\nsecond line')\n",
        "ns:f",
        r"^error: --python 'ns:f': importing 'ns' failed: RuntimeError: no model\\nsecond line$",
    ),
    "import-exits": (
        "import sys\nsys.exit('bye')\n",
        "ns:f",
        r"^error: --python 'ns:f': importing 'ns' called sys\.exit\('bye'\)$",
    ),
    "path-as-module": ("", "../../etc/passwd:f", r"^error: --python '\.\./\.\./etc/passwd:f': "),
    "no-colon": ("", "ns", r"^error: --python 'ns': expected MODULE:NAME"),
    "raises-huge-message": (
        "def f(text, dct):\n    raise ValueError('x' * 1_000_000)\n",
        "ns:f",
        r"^error: the system ns:f failed on document '000_e9e65d9efa045d67': ValueError: "
        r"x+… \(1000000 characters\)$",
    ),
}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_python_system_faults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    source, spec, expected = MODULES[name]
    (tmp_path / "ns.py").write_text(source, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("ns", None)
    out = tmp_path / "out" / "p.jsonl"
    out.parent.mkdir()
    out.write_bytes(b"previous\n")
    before = snapshot(tmp_path)
    result = invoke(
        ["run", "--python", spec, "--out", str(out), "--no-progress", "--root", str(ROOT)]
    )
    sys.modules.pop("ns", None)
    lines = assert_clean_failure(result.stderr, result.exit_code)
    assert ONE_LINE.match(lines[0]) and re.search(expected, lines[0]), lines
    assert len(lines) == 1
    assert {k: v for k, v in snapshot(tmp_path).items() if "__pycache__" not in k} == before


@pytest.mark.parametrize("bad", [math.inf, math.nan, -math.inf])
def test_evaluate_out_refuses_non_finite_scores(tmp_path: Path, bad: float) -> None:
    """The library path: nothing written to ``out=`` that newsgold would refuse to read."""

    def system(text: str, dct: str) -> dict[str, object]:
        return {"entities": [{"start": 0, "end": 7, "label": "NORP", "score": bad}]}

    out = tmp_path / "p.jsonl"
    out.write_bytes(b"previous\n")
    with pytest.raises(ValidationError) as info:
        evaluate(system, root=ROOT, out=out, n_bootstrap=0)
    assert "expected number" in str(info.value).splitlines()[0]
    assert out.read_bytes() == b"previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jsonl"]


def test_the_writers_refuse_nan_themselves() -> None:
    from newsgold.jsonio import dumps_json, dumps_jsonl_line

    for dump in (dumps_json, dumps_jsonl_line):
        with pytest.raises(NewsgoldError, match="refusing to write NaN or Infinity"):
            dump({"a": [1.0, float("inf")]})


# --------------------------------------------------------------------------- nothing to score


def test_score_of_an_empty_file_says_so(tmp_path: Path) -> None:
    """An empty predictions file: exit 1 and one line saying there is nothing to score (an
    empty table would look like a result); with --layers it is scored as predicting nothing."""
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    result = invoke(["score", str(empty), "--root", str(ROOT), "--bootstrap", "0"])
    (line,) = assert_clean_failure(result.stderr, result.exit_code)
    assert line.startswith(f"{empty}: $: nothing to score: no prediction carries a layer")
    ok = invoke(["score", str(empty), "--layers", "dates", "--root", str(ROOT)])
    assert ok.exit_code == 0 and "dates.strict" in ok.stdout


@pytest.mark.parametrize("content", ['{"doc_id": "000_e9e65d9efa045d67"}\n', "\n\n"])
def test_score_of_records_without_layers(tmp_path: Path, content: str) -> None:
    pred = tmp_path / "p.jsonl"
    pred.write_text(content, encoding="utf-8")
    result = invoke(["score", str(pred), "--root", str(ROOT)])
    (line,) = assert_clean_failure(result.stderr, result.exit_code)
    assert "nothing to score" in line


def test_compare_with_no_layer_in_common(tmp_path: Path) -> None:
    dates, quotes = tmp_path / "dates.jsonl", tmp_path / "quotes.jsonl"
    rows = [json.loads(line) for line in RULES.read_text(encoding="utf-8").splitlines()]
    dates.write_text(
        "".join(json.dumps({"doc_id": r["doc_id"], "dates": r["dates"]}) + "\n" for r in rows)
    )
    quotes.write_text(
        "".join(json.dumps({"doc_id": r["doc_id"], "quotes": r["quotes"]}) + "\n" for r in rows)
    )
    result = invoke(["compare", str(dates), str(quotes), "--root", str(ROOT)])
    (line,) = assert_clean_failure(result.stderr, result.exit_code)
    assert line == (
        "error: no layer in common: system A predicts dates, system B predicts quotes "
        "(expected a layer both predict; name the layers to compare one of them as predicting "
        "nothing)"
    )


# --------------------------------------------------------------------------- formats

TEXT = (ROOT / "seeds" / f"{DOC}.txt").read_text(encoding="utf-8")
BREAK = TEXT.index("\n")  # the first line break of document 000


def _brat(tmp_path: Path, ann: str) -> tuple[Path, object]:
    folder = tmp_path / "ann"
    folder.mkdir()
    (folder / f"{DOC}.ann").write_text(ann, encoding="utf-8")
    return folder, invoke(["score", str(folder), "--format", "brat", "--root", str(ROOT)])


def test_brat_fragments_across_a_line_break_read_back_exactly(tmp_path: Path) -> None:
    """brat's own way to carry a span across a line break: fragments split there, their texts
    joined by a space; it reads back as the one newsgold span, text and all."""
    from newsgold.convert.brat import from_brat
    from newsgold.validate import load_gold

    gold = load_gold(ROOT)
    a, b = BREAK - 5, BREAK
    c = BREAK + 1
    while TEXT[c].isspace():
        c += 1
    d = c + 4
    ann = f"T1\tORG {a} {b};{c} {d}\t{TEXT[a:b]} {TEXT[c:d]}\n"
    (pred,) = from_brat({DOC: ann}, gold)
    (entity,) = pred.entities or ()
    assert (entity.start, entity.end, entity.text) == (a, d, TEXT[a:d])


def test_brat_problem_found_later_names_its_file_and_line(tmp_path: Path) -> None:
    """A label outside the scheme is found by the one check after reading: the problem still
    names the .ann file and the line of its T line (as CoNLL and TimeML problems do)."""
    folder, result = _brat(tmp_path, "T1\tNORP 0 7\tRussian\n\nT2\tPERSON 0 7\tRussian\n")
    (line,) = assert_clean_failure(result.stderr, result.exit_code)
    assert line.startswith(f"{folder}/{DOC}.ann:3: $.entities[1].label: "), line
    assert "'PERSON'" in line


BRAT = {
    "span-with-line-break": (
        lambda: f"T1\tORG {BREAK - 5} {BREAK + 2}\t{TEXT[BREAK - 5 : BREAK]}\n",
        "holds a line break, which brat's TEXT column cannot carry",
    ),
    "duplicate-t-id": (
        lambda: "T1\tNORP 0 7\tRussian\nT1\tNORP 0 7\tRussian\n",
        "duplicate id 'T1' (first on line 1; expected each T id once in a file)",
    ),
    "fragments-not-at-a-break": (
        lambda: "T1\tNORP 0 3;4 7\tRus sian\n",
        "discontinuous span '0 3;4 7'",
    ),
    "megabyte-label": (
        lambda: "T1\t" + "L" * 1_000_000 + " 0 7\tRussian\n",
        "unknown label 'LLLL",
    ),
    "nul-byte-line": (lambda: "T1\tNORP 0 7\tRuss\x00an\n", "got 'Russ\\x00an', expected the text"),
    "crlf-line-ends": (
        lambda: "T1\tNORP 0 7\tRussian\r\nT2\tNORP 0 8\tRussian\r\n",
        "got 'Russian'",
    ),
}


@pytest.mark.parametrize("name", sorted(BRAT))
def test_brat_edges(tmp_path: Path, name: str) -> None:
    make, expected = BRAT[name]
    _, result = _brat(tmp_path, make())
    lines = assert_clean_failure(result.stderr, result.exit_code)  # type: ignore[attr-defined]
    assert any(expected in line for line in lines), lines
    assert all(len(line) < 600 for line in lines), "a long value is quoted whole"


def test_conll_label_problem_names_file_and_line(tmp_path: Path) -> None:
    """A CoNLL label the scheme does not know: FILE:LINE of the entity's first token, and no
    --scheme suggestion when a scheme was given."""
    text = (ROOT / "tests" / "fixtures" / "convert" / "system.conll").read_text(encoding="utf-8")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.endswith("B-PER"))
    lines[at] = lines[at][: -len("B-PER")] + "B-PERSON"
    bad = tmp_path / "bad.conll"
    bad.write_text("\n".join(lines), encoding="utf-8")
    for scheme, hint in (("conll", "the labels of the conll scheme"), (None, "or pass a --scheme")):
        args = ["score", str(bad), "--format", "conll", "--root", str(ROOT)]
        result = invoke(args + (["--scheme", scheme] if scheme else []))
        found = assert_clean_failure(result.stderr, result.exit_code)
        person = [line for line in found if "'PERSON'" in line]
        assert person and person[0].startswith(f"{bad}:{at + 1}: $.entities["), found
        assert person[0].endswith(hint + ")"), person[0]
        if scheme:
            assert "--scheme" not in person[0]


@pytest.mark.parametrize("dtype", ["TEMPONYM", "date", "EVENT"])
def test_timeml_type_outside_the_schema(tmp_path: Path, dtype: str) -> None:
    folder = tmp_path / "tml"
    folder.mkdir()
    # the bad tag is the second one, on line 3 of the file: the problem names file and line
    first = TEXT.index(" ", 10)
    cut = TEXT.index(" ", first + 1)
    tagged = (
        f'<TIMEX3 tid="t1" type="DATE" value="XXXX">{TEXT[:7]}</TIMEX3>'
        f"<!-- one\ntwo\n -->{TEXT[7:first]}"
        f'<TIMEX3 tid="t2" type="{dtype}" value="XXXX">{TEXT[first:cut]}</TIMEX3>{TEXT[cut:]}'
    )
    (folder / f"{DOC}.tml").write_text(tagged, encoding="utf-8")
    result = invoke(["score", str(folder), "--format", "timeml", "--root", str(ROOT)])
    (line,) = assert_clean_failure(result.stderr, result.exit_code)
    assert line.startswith(
        f"{folder}/{DOC}.tml:3: $.dates[1].type: got '{dtype}', "
        "expected one of DATE, TIME, DURATION, SET"
    ), line


def test_a_megabyte_label_is_never_echoed_whole(tmp_path: Path) -> None:
    row = json.loads(RULES.read_text(encoding="utf-8").splitlines()[0])
    row["entities"][0]["label"] = "L" * 1_000_000
    pred = tmp_path / "p.jsonl"
    pred.write_text(json.dumps(row) + "\n", encoding="utf-8")
    result = invoke(["validate", "--predictions", str(pred), "--root", str(ROOT)])
    lines = assert_clean_failure(result.stderr + result.stdout, result.exit_code)
    assert any("(1000000 characters)" in line for line in lines), lines
    assert max(map(len, lines)) < 1000


MEGA = "x" * 1_000_000

LONG_VALUES = {
    "conll-docstart": ("system.conll", "conll", f"-DOCSTART- {MEGA}\nRussian B-MISC\n"),
    "timeml-attribute": (
        "tml",
        "timeml",
        {f"{DOC}.tml": f'<TIMEX3 type="DATE" value="{MEGA}"><TIMEX3>{TEXT}</TIMEX3>'},
    ),
    "brat-file-for-no-document": ("ann", "brat", {"y" * 200 + ".ann": "T1\tORG 0 1\tR\n"}),
}


@pytest.mark.parametrize("name", sorted(LONG_VALUES))
def test_long_values_in_other_formats_are_cut(tmp_path: Path, name: str) -> None:
    """Huge values from the other formats' files are quoted cut, with their length."""
    target, fmt, content = LONG_VALUES[name]
    path = tmp_path / target
    if isinstance(content, dict):
        path.mkdir()
        for file, text in content.items():
            (path / file).write_text(text, encoding="utf-8")
    else:
        path.write_text(content, encoding="utf-8")
    result = invoke(["score", str(path), "--format", fmt, "--root", str(ROOT)])
    lines = assert_clean_failure(result.stderr, result.exit_code)
    assert max(map(len, lines)) < 1000, [line[:200] for line in lines]
