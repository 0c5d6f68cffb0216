"""Golden file: the full report object of a fixed small case, byte for byte.

Any change of a figure, a key or the rounding shows up here. When a change is
intended, regenerate with ``NEWSGOLD_UPDATE_GOLDEN=1 pytest tests/test_scoring_golden.py``
and review the diff (and, if a figure's meaning changed, its versioned name).
"""

from __future__ import annotations

import os
from pathlib import Path

from newsgold.model import Date, Document, Entity, Gold, KBEntry, Prediction, Quote
from newsgold.report import to_json_text
from newsgold.scoring import score

GOLDEN = Path(__file__).parent / "golden" / "scoring_report.json"
TEXT = "Vladimir Putin told Joe Biden on Thursday: “no deal”. Russia and NATO met in Geneva in January."


def _case() -> tuple[Gold, list[Prediction]]:
    kb = (
        KBEntry("joe-biden", "Joe Biden", "PER", ("Biden", "Joe Biden")),
        KBEntry("vladimir-putin", "Vladimir Putin", "PER", ("Putin", "Vladimir Putin")),
    )
    docs = {}
    preds = []
    for i in range(4):
        docs[f"d{i}"] = Document(
            f"d{i}",
            TEXT,
            "2021-12-30",
            "r",
            entities=(
                Entity(0, 14, "Vladimir Putin", "PER", "vladimir-putin"),
                Entity(20, 29, "Joe Biden", "PER", "joe-biden"),
                Entity(55, 61, "Russia", "GPE", "russia"),
                Entity(66, 70, "NATO", "ORG", "nato"),
                Entity(78, 84, "Geneva", "GPE", "geneva"),
            ),
            dates=(
                Date(33, 41, "Thursday", "DATE", "2021-12-30", None),
                Date(88, 95, "January", "DATE", "2022-01", None),
            ),
            quotes=(Quote(44, 51, "no deal", "direct", "vladimir-putin"),),
        )
        ents = [
            Entity(0, 14, label="PER", kb_id="vladimir-putin"),
            Entity(24, 29, label="PER", kb_id="joe-biden"),
            Entity(55, 61, label=("GPE" if i % 2 else "LOC")),
            Entity(78, 84, label="GPE"),
            Entity(88, 95, label="ORG"),
        ][: 3 + i % 3]
        preds.append(
            Prediction(
                f"d{i}",
                entities=tuple(ents),
                dates=(
                    Date(33, 41, type="DATE", value="2021-12-30"),
                    Date(85, 95, type="DATE", value="2022-01" if i else "2021-01"),
                ),
                quotes=(Quote(43, 51, kind="direct", speaker="Putin" if i % 2 else "joe-biden"),),
            )
        )
    return Gold(docs, kb), preds


def test_report_matches_golden_file() -> None:
    """The report object of the fixed case, written as `newsgold score --json` writes it."""
    gold, preds = _case()
    text = to_json_text(score(gold, preds, n_bootstrap=200, seed=7, corpus_version="test"))
    if os.environ.get("NEWSGOLD_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
