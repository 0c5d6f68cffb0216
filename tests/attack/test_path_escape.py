"""Names from outside never become paths unless they are plain names; writes stay inside."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsgold.convert.label_studio import to_task
from newsgold.errors import NewsgoldError, ValidationError
from newsgold.jsonio import write_files_atomically
from newsgold.paths import check_inside, plain_name_problem, safe_name
from newsgold.validate import load_gold

from .conftest import assert_clean_failure, invoke, snapshot

HOSTILE_NAMES = [
    "..",
    ".",
    "../..",
    "../annotations",
    ".hidden",
    "a/b",
    "/etc",
    "a\\b",
    "..\\..",
    "x\x00y",
    "\x1b[31mred",
    "tab\there",
    "new\nline",
    "del\x7f",
    "lone\ud800",
    "x" * 256,
    "é" * 128,
]

PLAIN_NAMES = ["a.b@x.org", "a+tag@x.org", "jean-luc", "Zoë", "x" * 255, "a b@x", "1"]


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=repr)
def test_not_plain(name: str) -> None:
    assert plain_name_problem(name) is not None
    with pytest.raises(ValidationError) as exc:
        safe_name(name, "annotator e-mail", source="in.json")
    (line,) = str(exc.value).split("\n")
    assert line.startswith("in.json: $: annotator e-mail ")


@pytest.mark.parametrize("name", PLAIN_NAMES)
def test_plain(name: str) -> None:
    assert safe_name(name, "annotator e-mail") == name


@pytest.mark.parametrize("value", ["", None, 3, b"x"], ids=repr)
def test_not_a_name_at_all(value: Any) -> None:
    assert plain_name_problem(value) is not None


def _export(project: Path, tmp_path: Path, email: str) -> Path:
    gold = load_gold(project)
    tasks = [to_task(d, gold.kb) for d in gold.docs.values()]
    for task in tasks:
        task["annotations"][0]["completed_by"] = {"email": email}
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks), encoding="utf-8")
    return export


# JSON cannot carry NUL-free control characters unescaped, but json.dumps escapes them:
# every hostile name reaches the importer as written here.
@pytest.mark.parametrize("email", [n for n in HOSTILE_NAMES if n not in (".",)], ids=repr)
def test_ls_import_by_annotator_refuses_hostile_email(
    project: Path, tmp_path: Path, email: str
) -> None:
    """The reported attack: an e-mail of ``..`` overwrote annotations/. Now: one line, nothing written."""
    export = _export(project, tmp_path, email)
    before = snapshot(project)
    outside = snapshot(tmp_path)
    out = project / "annotations" / "second_pass"
    result = invoke(
        ["ls", "import", str(export), "--out", str(out), "--by-annotator", "--root", str(project)]
    )
    lines = assert_clean_failure(result.stderr, result.exit_code)
    assert len(lines) == 1
    if "\ud800" in email:  # refused earlier, by the JSON reader
        assert "invalid JSON: lone surrogate \\ud800" in lines[0]
    else:
        assert "annotator e-mail" in lines[0] and "is not a plain name" in lines[0]
    assert snapshot(project) == before
    assert snapshot(tmp_path) == outside
    assert not out.exists()


def test_ls_import_dot_email_refused(project: Path, tmp_path: Path) -> None:
    """``.`` would write into --out itself, mixed with other annotators: refused too."""
    export = _export(project, tmp_path, ".")
    before = snapshot(project)
    result = invoke(
        [
            "ls",
            "import",
            str(export),
            "--out",
            str(tmp_path / "o"),
            "--by-annotator",
            "--root",
            str(project),
        ]
    )
    (line,) = assert_clean_failure(result.stderr, result.exit_code)
    assert f"{export}: $: annotator e-mail '.' is not a plain name" in line
    assert snapshot(project) == before
    assert not (tmp_path / "o").exists()


def test_ls_import_plain_email_written_inside(project: Path, tmp_path: Path) -> None:
    export = _export(project, tmp_path, "a.b@x.org")
    out = tmp_path / "o"
    result = invoke(
        ["ls", "import", str(export), "--out", str(out), "--by-annotator", "--root", str(project)]
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(out).parts[0] for p in out.rglob("*.json"))
    assert files == ["a.b@x.org"] * 5


@pytest.mark.parametrize("rel", ["../x.json", "sub/../../x.json", "/tmp/x.json"])
def test_write_outside_folder_refused(tmp_path: Path, rel: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / rel
    with pytest.raises(NewsgoldError, match="refusing to write outside"):
        write_files_atomically({folder / "ok.json": "{}", target: "{}"}, within=folder)
    assert list(folder.iterdir()) == []
    assert not (tmp_path / "x.json").exists()


def test_symlink_out_of_folder_refused(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "link").symlink_to(tmp_path)
    with pytest.raises(NewsgoldError, match="refusing to write outside"):
        check_inside(folder, [folder / "link" / "x.json"])
