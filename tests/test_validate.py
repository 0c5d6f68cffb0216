"""`newsgold validate`: clean gold passes; every corruption is one line with file, line, path, value."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgold.cli import main

DOC = "000_e9e65d9efa045d67"


def run(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", "--root", str(project), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def edit(project: Path, fn) -> Path:  # type: ignore[no-untyped-def]
    path = project / "annotations" / f"{DOC}.json"
    obj = json.loads(path.read_text())
    fn(obj)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")
    return path


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first occurrence of ``needle``, found independently of the library."""
    for i, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(needle)


def test_gold_is_valid(root: Path) -> None:
    """The committed gold passes with exit 0."""
    code, err = run(root)
    assert code == 0, err
    assert "ok" in err


def test_second_pass_is_valid(root: Path) -> None:
    """The blind second annotation is a valid annotation set too."""
    code, err = run(root, str(root / "annotations" / "second_pass"))
    assert code == 0, err


def test_offset_outside_text(project: Path) -> None:
    """An end past the text is reported with its line and both numbers."""
    n = len((project / "seeds" / f"{DOC}.txt").read_text(encoding="utf-8"))
    path = edit(project, lambda o: o["entities"][-1].update(end=99999))
    code, err = run(project)
    assert code == 1
    line = line_of(path, '"end": 99999')
    assert (
        f"annotations/{DOC}.json:{line}: $.entities[{53}].end: 99999 > len(text)={n} (expected an offset inside the text)"
        in err.splitlines()
    )


def test_text_mismatch(project: Path) -> None:
    """A span whose text is not the slice names both strings."""
    path = edit(project, lambda o: o["entities"][0].update(text="Rusian"))
    code, err = run(project)
    assert code == 1
    line = line_of(path, '"Rusian"')
    assert (
        f"annotations/{DOC}.json:{line}: $.entities[0].text: got 'Rusian', expected the text at [0:7] = 'Russian'"
        in err
    )


def test_span_boundary_inside_a_word(project: Path) -> None:
    """GUIDELINES.md 3.4 is a rule of every gold file, not only of Label Studio pulls: `Russia`
    over the first six letters of `Russian` is named at its line, with what the guideline allows."""
    path = edit(project, lambda o: o["entities"][0].update(end=6, text="Russia"))
    code, err = run(project)
    assert code == 1
    line = line_of(path, '"start": 0') - 1  # the entity's opening brace
    assert (
        f"annotations/{DOC}.json:{line}: $.entities[0]: [0:6] 'Russia' ends inside the word "
        "'Russian' [0:7] (expected span boundaries between words; GUIDELINES.md 3.4 allows a "
        "boundary inside a run of letters only at a hyphen between names (Russian-American), "
        "before a possessive (Russia’s) and where broken formatting glued words "
        "(GENERICO.ruWorldBiden))"
    ) in err.splitlines(), err


def test_unknown_label(project: Path) -> None:
    """A label outside the closed vocabulary lists the allowed ones."""
    edit(project, lambda o: o["entities"][0].update(label="PERSON"))
    code, err = run(project)
    assert code == 1
    assert "$.entities[0].label: got 'PERSON', expected one of PER, ORG, GPE, LOC, NORP" in err


def test_unknown_kb_id(project: Path) -> None:
    """A kb_id missing from kb.json is named, with the fix."""
    edit(project, lambda o: o["entities"][1].update(kb_id="vladimir-poutine"))
    code, err = run(project)
    assert code == 1
    assert (
        "$.entities[1].kb_id: unknown kb_id 'vladimir-poutine' (expected an id in kb.json; add the entity there)"
        in err
    )


def test_all_problems_reported(project: Path) -> None:
    """Several problems in several places are all reported, one a line, with a count."""

    def corrupt(o: dict) -> None:  # type: ignore[type-arg]
        o["entities"][0]["label"] = "XYZ"
        o["dates"][0]["value"] = "tomorrow"
        o["quotes"][0]["speaker"] = "nobody-at-all"
        o["dct"] = "2021-02-30"

    edit(project, corrupt)
    code, err = run(project)
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[-1] == "4 problems in 1 file", err
    assert all(line.startswith(f"annotations/{DOC}.json:") for line in lines[:-1])


def test_invalid_json(project: Path) -> None:
    """Malformed JSON: line and column, no traceback."""
    path = project / "annotations" / f"{DOC}.json"
    path.write_text('{\n  "doc_id": "x",\n  oops\n}\n')
    code, err = run(project)
    assert code == 1
    assert (
        f"annotations/{DOC}.json:3: $: invalid JSON: Expecting property name enclosed in double quotes at column 3"
        in err
    )
    assert "Traceback" not in err


def test_invalid_utf8(project: Path) -> None:
    """Invalid UTF-8 names the byte and its line."""
    path = project / "annotations" / f"{DOC}.json"
    data = path.read_bytes()
    path.write_bytes(data.replace(b'"Russian"', b'"Russ\xffan"', 1))
    code, err = run(project)
    assert code == 1
    line = data[: data.index(b'"Russian"')].count(b"\n") + 1
    assert f"annotations/{DOC}.json:{line}: $: invalid UTF-8: byte 0xff at byte offset" in err


def test_duplicate_doc(project: Path) -> None:
    """The same document under a second name is reported (wrong stem, no seed, duplicate)."""
    shutil.copy(project / "annotations" / f"{DOC}.json", project / "annotations" / "zzz_copy.json")
    code, err = run(project)
    assert code == 1
    assert (
        f"annotations/zzz_copy.json:2: $.doc_id: got '{DOC}', expected the file's stem 'zzz_copy'"
        in err
    )
    assert (
        "annotations/zzz_copy.json: $.doc_id: no seed text seeds/zzz_copy.txt for this document"
        in err
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", ":1: $: empty file (expected a JSON value)"),
        (
            b"\xef\xbb\xbf{}",
            ":1: $: UTF-8 byte-order mark (BOM) at the start (expected UTF-8 without BOM)",
        ),
        (
            b'{\r\n  "doc_id": 1\r\n}\r\n',
            ":1: $: CRLF line ending (expected LF line endings, as newsgold writes them)",
        ),
        (b"[1, 2]", ":1: $: got [1, 2], expected object"),
        (b'{"doc_id": 5}', ":1: $.doc_id: got 5, expected string"),
    ],
    ids=["empty", "bom", "crlf", "array", "wrong-type"],
)
def test_bad_files(project: Path, content: bytes, expected: str) -> None:
    """Each malformed file gives one clear line and exit 1."""
    path = project / "annotations" / f"{DOC}.json"
    path.write_bytes(content)
    code, err = run(project, str(path))
    assert code == 1
    assert f"{DOC}.json{expected}" in err, err


def test_directory_instead_of_kb(project: Path) -> None:
    """A directory where the KB file should be."""
    (project / "annotations" / "kb.json").unlink()
    (project / "annotations" / "kb.json").mkdir()
    code, err = run(project)
    assert code == 1
    assert "annotations/kb.json: $: is a directory (expected a file)" in err


def test_huge_file(project: Path) -> None:
    """A 100 MB file is refused by its size, not read."""
    path = project / "annotations" / f"{DOC}.json"
    with path.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)
    code, err = run(project)
    assert code == 1
    assert f"{DOC}.json: $: file too large (104857600 bytes, expected at most 16777216)" in err


def test_overlap_and_unsorted(project: Path) -> None:
    """Overlapping entities and unsorted spans are both reported."""

    def corrupt(o: dict) -> None:  # type: ignore[type-arg]
        o["entities"][0], o["entities"][1] = o["entities"][1], o["entities"][0]

    edit(project, corrupt)
    code, err = run(project)
    assert code == 1
    assert "$.entities[1]: span [0:7] comes after" in err


def test_changed_seed(project: Path) -> None:
    """A seed edited by one byte fails the manifest and the document's sha256."""
    seed = project / "seeds" / f"{DOC}.txt"
    seed.write_bytes(seed.read_bytes().replace(b"Thursday", b"Thursdax", 1))
    code, err = run(project)
    assert code == 1
    assert f"seeds/{DOC}.txt changed" in err
    assert "$.text_sha256: got " in err


def test_predictions(project: Path, tmp_path: Path) -> None:
    """A predictions file: unknown doc, bad offsets, wrong text, duplicate doc, bad JSON line."""
    pred = tmp_path / "p.jsonl"
    lines = [
        {"doc_id": DOC, "entities": [{"start": 0, "end": 7, "text": "Russian", "label": "NORP"}]},
        {"doc_id": "nope", "entities": []},
        {"doc_id": DOC, "dates": []},
        {
            "doc_id": "001_6065d58d5078e82b",
            "entities": [{"start": 5, "end": 1}],
            "quotes": [{"start": 0, "end": 3, "text": "abc"}],
        },
    ]
    pred.write_text("\n".join(json.dumps(x) for x in lines) + "\n{bad\n")
    code, err = run(project, "--predictions", str(pred))
    assert code == 1
    got = [line.split(": ", 1)[1] for line in err.strip().splitlines()[:-1]]
    assert got == [
        "$.doc_id: unknown doc_id 'nope' (expected one of 000_e9e65d9efa045d67, 001_6065d58d5078e82b, 002_7dc57ecce207a157…)",
        f"$.doc_id: duplicate doc_id '{DOC}' (first on line 1; expected one prediction per document)",
        "$.entities[0].start: start 5 >= end 1 (expected start < end, end exclusive)",
        "$.quotes[0].text: got 'abc', expected the text at [0:3] = 'GEN'",
        "$: invalid JSON: Expecting property name enclosed in double quotes at column 2",
    ]
    assert [line.split(": ", 1)[0] for line in err.strip().splitlines()[:-1]] == [
        f"{pred}:2",
        f"{pred}:3",
        f"{pred}:4",
        f"{pred}:4",
        f"{pred}:5",
    ]


def test_usage_error_exit_2(root: Path) -> None:
    """An unknown option is a usage error: exit 2."""
    result = CliRunner().invoke(main, ["validate", "--nope"])
    assert result.exit_code == 2


def test_paths_are_not_read_as_rich_markup(project: Path) -> None:
    """A file name holding rich markup (`[red]`) is printed as it is."""
    odd = project / "annotations" / "second[red]x"
    odd.mkdir()
    for p in (project / "annotations").glob("0*.json"):
        (odd / p.name).write_bytes(p.read_bytes())
    code, err = run(project, str(odd))
    assert code == 0, err
    assert f"ok: {odd} is valid" in err.replace("\n", "")
