"""docs/statistics.md runs: its ```bash blocks line by line with `newsgold` on PATH, its ```python
blocks in one namespace, both in a temporary copy of the repository (the docs convention; a block
after `<!-- not run: ... -->` is skipped)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DOC = "docs/statistics.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def _blocks(text: str) -> list[tuple[str, str]]:
    out = []
    for m in FENCE.finditer(text):
        before = text[: m.start()].rstrip().splitlines()
        previous = before[-1].strip() if before else ""
        if previous.startswith("<!-- not run:"):
            continue
        out.append((m.group(1), m.group(2)))
    return out


def test_statistics_doc_examples_run(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", "*.pyc"),
    )
    text = (root / DOC).read_text(encoding="utf-8")
    blocks = _blocks(text)
    assert [k for k, _ in blocks].count("bash") >= 3 and [k for k, _ in blocks].count("python") >= 3
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["NEWSGOLD_ROOT"] = str(copy)
    namespace: dict[str, object] = {}
    monkeypatch.setenv("NEWSGOLD_ROOT", str(copy))
    cwd = os.getcwd()
    try:
        os.chdir(copy)
        for kind, body in blocks:
            if kind == "bash":
                for line in body.splitlines():
                    if not line.strip() or line.lstrip().startswith("#"):
                        continue
                    done = subprocess.run(
                        shlex.split(line), cwd=copy, env=env, capture_output=True, text=True
                    )
                    assert done.returncode == 0, (line, done.stderr[-2000:])
            elif kind == "python":
                exec(compile(body, DOC, "exec"), namespace)  # noqa: S102
    finally:
        os.chdir(cwd)
