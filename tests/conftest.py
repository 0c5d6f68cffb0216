"""Shared fixtures: the project folder and disposable copies of it."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings

# No per-example deadline: CI shares two cores with a Label Studio server and
# Chromium, and a slow example is not a failure. Each test sets its own size.
settings.register_profile("newsgold", deadline=None)
settings.load_profile("newsgold")

ROOT = Path(__file__).resolve().parents[1]

# tests/oracle.py (the per-record reference implementation) as an importable module:
# `from newsgold_tests_oracle import count_matrices` (test modules are imported by path)
_spec = importlib.util.spec_from_file_location(
    "newsgold_tests_oracle", Path(__file__).with_name("oracle.py")
)
assert _spec is not None and _spec.loader is not None
_oracle = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _oracle
_spec.loader.exec_module(_oracle)

# tests/ls_server.py: the real Label Studio server, one per session for every test module
_ls_spec = importlib.util.spec_from_file_location(
    "newsgold_tests_ls_server", Path(__file__).with_name("ls_server.py")
)
assert _ls_spec is not None and _ls_spec.loader is not None
_ls_module = sys.modules.get(_ls_spec.name) or importlib.util.module_from_spec(_ls_spec)
if _ls_spec.name not in sys.modules:
    sys.modules[_ls_spec.name] = _ls_module
    _ls_spec.loader.exec_module(_ls_module)
ls_server = _ls_module.ls_server  # the session fixture


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository itself (read-only use)."""
    return ROOT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throwaway copy of seeds/ and annotations/ (with the KB) to corrupt at will."""
    dst = tmp_path / "project"
    for part in ("seeds", "annotations"):
        shutil.copytree(ROOT / part, dst / part, ignore=shutil.ignore_patterns("second_pass"))
    return dst


@pytest.fixture(scope="session")
def reference() -> ModuleType:
    """tests/reference_scorer.py: figures recomputed without newsgold.scoring."""
    spec = importlib.util.spec_from_file_location(
        "reference_scorer", Path(__file__).with_name("reference_scorer.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def documentation_files() -> list[Path]:
    """README.md and every docs/*.md: the documentation whose examples tests/test_docs.py runs."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.fixture(scope="session")
def documentation() -> str:
    """The text of README.md and docs/*.md, joined: where a command or a table is documented."""
    return "\n".join(p.read_text(encoding="utf-8") for p in documentation_files())
