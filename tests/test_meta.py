"""Meta-tests: every command documented and helped, unique metric names, lint and types clean.

Lint and type checks run here so that CI (which runs only the README's test
command) enforces the same rules as `just lint`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from newsgold.cli import main

ROOT = Path(__file__).resolve().parents[1]


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        out.append((*prefix, name))
        if isinstance(cmd, click.Group):
            out += commands(cmd, (*prefix, name))
    return out


ALL = commands(main)


def test_there_are_commands() -> None:
    """The walk finds the commands (guards the parametrized tests below against vacuity)."""
    assert ("validate",) in ALL and ("ls", "push") in ALL and len(ALL) >= 15


@pytest.mark.parametrize("path", ALL, ids=" ".join)
def test_every_command_has_help_and_a_readme_entry(
    path: tuple[str, ...], documentation: str
) -> None:
    """`newsgold ... --help` exits 0 with a description, and README.md or docs/*.md names it."""
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: main {' '.join(path)} "), result.output[:200]
    cmd: click.Command = main
    for name in path:
        assert isinstance(cmd, click.Group)
        cmd = cmd.commands[name]
    assert (cmd.help or "").strip(), f"{' '.join(path)} has no help text"
    assert f"newsgold {' '.join(path)}" in documentation, (
        f"neither README.md nor docs/*.md mentions `newsgold {' '.join(path)}`"
    )


def test_metric_names_are_unique_and_versioned() -> None:
    """Every metric name is unique and ends in a version (`entities.strict.v1`)."""
    from newsgold.scoring import score
    from newsgold.validate import load_gold

    gold = load_gold(ROOT)
    layers = ["entities", "dates", "quotes"]
    names = score(gold, [], layers=layers, n_bootstrap=0).to_json()["metric_names"]
    values = list(names.values()) if isinstance(names, dict) else list(names)
    assert values and len(values) == len(set(values))
    assert all(str(v).rsplit(".", 1)[-1].startswith("v") for v in values), values


def _tool(name: str) -> str:
    exe = Path(sys.executable).with_name(name)
    found = str(exe) if exe.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed (it is in the test extra)")
    return found


def test_ruff_clean() -> None:
    """ruff check and ruff format --check pass on the code (pyproject.toml's configuration)."""
    paths = ["src", "tests", "benchmarks", "scripts"]
    check = subprocess.run(
        [_tool("ruff"), "check", *paths], cwd=ROOT, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = subprocess.run(
        [_tool("ruff"), "format", "--check", *paths], cwd=ROOT, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy_strict_clean(tmp_path: Path) -> None:
    """mypy --strict passes on src/newsgold, the CLI included."""
    res = subprocess.run(
        [_tool("mypy"), "--cache-dir", str(tmp_path / "mypy")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout + res.stderr
