"""Scoring: hand-computed cases per layer, the report object, and schemes."""

from __future__ import annotations

from newsgold.model import Date, Document, Entity, Prediction, Quote
from newsgold.scoring import score
from newsgold.validate import Gold


def _gold(**layers: object) -> Gold:
    text = "Vladimir Putin told Joe Biden on Thursday: “no”. Russia and NATO met in Geneva."
    return Gold({"d1": Document("d1", text, "2021-12-30", "r", **layers)}, ())  # type: ignore[arg-type]


def test_entity_modes_hand_computed() -> None:
    """One exact hit, one boundary error with the right label, one wrong label, one spurious, one missed."""
    gold = _gold(
        entities=(
            Entity(0, 14, None, "PER", "vladimir-putin"),
            Entity(20, 29, None, "PER", "joe-biden"),
            Entity(49, 55, None, "GPE", "russia"),
            Entity(60, 64, None, "ORG", "nato"),
        )
    )
    pred = Prediction(
        "d1",
        entities=(
            Entity(0, 14, label="PER"),
            Entity(24, 29, label="PER"),
            Entity(49, 55, label="ORG"),
            Entity(72, 78, label="GPE"),
        ),
    )
    rep = score(gold, [pred], n_bootstrap=0)
    # matched 3 of 4 gold, 3 of 4 pred; exact boundaries 2; same label 2; strict 1
    assert rep.figure("entities.strict.correct") == 1
    assert rep.figure("entities.strict.incorrect") == 2
    assert rep.figure("entities.strict.missed") == 1
    assert rep.figure("entities.strict.spurious") == 1
    assert rep.figure("entities.strict.f1") == round(2 * 1 / 8, 6)
    assert rep.figure("entities.exact.precision") == 0.5
    assert rep.figure("entities.partial.precision") == (2 + 0.5 * 1) / 4
    assert rep.figure("entities.type.recall") == 0.5
    assert rep.figure("entities.kb_id_accuracy") is None
