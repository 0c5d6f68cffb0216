"""`newsgold run --cmd` against commands that misbehave with their {output} folder: one error
line first, exit 1, no traceback, the previous `--out` file byte-identical."""

from __future__ import annotations

import shlex
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import invoke

ROOT = Path(__file__).resolve().parents[2]

BODIES = {
    "removes-output": ("shutil.rmtree(dst)", "removed or replaced its {output} folder"),
    "replaces-output-by-file": (
        "shutil.rmtree(dst); dst.write_text('x')",
        "removed or replaced its {output} folder",
    ),
    "output-link-outside": (
        "shutil.rmtree(dst); dst.symlink_to(src)",
        "removed or replaced its {output} folder",
    ),
    "jsonl-is-a-folder": ("(dst / 'p.jsonl').mkdir()", "the output of the command cannot be read"),
    "broken-jsonl": (
        "(dst / 'p.jsonl').write_text('{\"doc_id\": ')",
        "the output of the command cannot be read",
    ),
    "deep-jsonl": (
        "(dst / 'p.jsonl').write_text('[' * 5000 + ']' * 5000)",
        "the output of the command cannot be read",
    ),
    "writes-nothing": ("pass", "the command wrote no output"),
}


@pytest.mark.parametrize("name", sorted(BODIES))
def test_misbehaving_command(tmp_path: Path, name: str) -> None:
    body, expected = BODIES[name]
    program = tmp_path / "system.py"
    program.write_text(
        "import pathlib, shutil, sys\n"
        "src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])\n"
        + textwrap.dedent(body)
        + "\n",
        encoding="utf-8",
    )
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(program))} {{input}} {{output}}"
    out = tmp_path / "p.jsonl"
    out.write_text("previous\n")
    result = invoke(
        ["run", "--cmd", command, "--out", str(out), "--no-progress", "--root", str(ROOT)]
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith("error: ") and expected in first, result.stderr
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jsonl", "system.py"]
