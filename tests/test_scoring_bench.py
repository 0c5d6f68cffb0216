"""Smoke run of benchmarks/bench_score.py at a tiny size (the real run is 10,000 documents, by hand)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_score.py"


def test_bench_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    """40 documents: the counts agree with nervaluate and the last line carries both ratios."""
    spec = importlib.util.spec_from_file_location("bench_score", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--docs", "40", "--spans", "8", "--bootstrap", "20"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[1].startswith("entity counts agree with nervaluate")
    assert re.fullmatch(r"ratio_vs_nervaluate=\d+\.\d\d ratio_vs_parse=\d+\.\d\d", lines[-1])
