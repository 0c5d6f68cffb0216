"""docs/reliability.md runs as written: its ```bash lines one by one (newsgold on PATH, in a
copy of the repository) and its ```python blocks in one namespace (the docs convention)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "reliability.md"


def _blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced block not marked ``<!-- not run: ... -->``."""
    out = []
    for m in re.finditer(r"```(\w+)\n(.*?)```", text, re.S):
        before = [ln for ln in text[: m.start()].splitlines() if ln.strip()]
        if before and before[-1].startswith("<!-- not run:"):
            continue
        out.append((m.group(1), m.group(2)))
    return out


def test_reliability_examples_run(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=True,
    )
    for name in listed.stdout.decode("utf-8").split("\0"):
        source = ROOT / name
        if name and source.is_file() and not source.is_symlink():  # the repository's files only
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(copy / "src"),
        "NEWSGOLD_ROOT": str(copy),
    }
    namespace: dict[str, object] = {}
    ran = 0
    for lang, body in _blocks(DOC.read_text(encoding="utf-8")):
        if lang == "bash":
            for line in body.splitlines():
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                done = subprocess.run(
                    ["bash", "-c", line], cwd=copy, env=env, capture_output=True, text=True
                )
                assert done.returncode == 0, (line, done.stdout, done.stderr)
                assert "Traceback" not in done.stderr, (line, done.stderr)
                ran += 1
        elif lang == "python":
            cwd = os.getcwd()
            os.chdir(copy)
            try:
                exec(compile(body, str(DOC), "exec"), namespace)  # noqa: S102 - the docs' own code
            finally:
                os.chdir(cwd)
            ran += 1
    assert ran >= 6
