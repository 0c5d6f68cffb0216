"""Smoke run of benchmarks/bench_score.py at a tiny size (the real run is 10,000 documents, by hand)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from newsgold.model import Entity, Prediction
from newsgold.scoring import score

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_score.py"


def test_bench_smoke(capsys: pytest.CaptureFixture[str], reference: ModuleType) -> None:
    """40 documents: the benchmark's counts are right (not only equal to nervaluate's), and the
    last line carries both ratios.

    The synthetic corpus is rebuilt here with the benchmark's own seed; its strict-correct count
    is a plain set intersection (gold spans never overlap, predictions overlap at most one gold
    span), and every mode's counts of the scorer equal the reference scorer's."""
    spec = importlib.util.spec_from_file_location("bench_score", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--docs", "40", "--spans", "8", "--bootstrap", "20", "--seed", "0"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert re.fullmatch(r"ratio_vs_nervaluate=\d+\.\d\d ratio_vs_parse=\d+\.\d\d", lines[-1])

    gold, preds = module.make_corpus(40, 8, 0)
    truth = {(d, e.start, e.end, e.label) for d, doc in gold.docs.items() for e in doc.entities}
    guessed = [
        (d, s, e, lab) for d, spans in zip(gold.docs, preds, strict=True) for s, e, lab in spans
    ]
    strict_correct = len(truth & set(guessed))
    assert 0 < strict_correct < len(truth)
    assert lines[1] == f"entity counts agree with nervaluate: {strict_correct} strict correct"

    report = score(
        gold,
        [
            Prediction(d, entities=tuple(Entity(s, e, label=lab) for s, e, lab in spans))
            for d, spans in zip(gold.docs, preds, strict=True)
        ],
        n_bootstrap=0,
    ).to_json()["entities"]
    records = [
        {"doc_id": d, "entities": [{"start": s, "end": e, "label": lab} for s, e, lab in spans]}
        for d, spans in zip(gold.docs, preds, strict=True)
    ]
    expected = reference.score_records(gold, records)["entities"]
    assert expected["strict"]["correct"] == strict_correct
    for mode in ("strict", "exact", "partial", "type"):
        for k in ("correct", "incorrect", "partial", "missed", "spurious"):
            assert report[mode][k] == expected[mode][k], (mode, k)
