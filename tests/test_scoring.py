"""Scoring: hand-computed cases per layer, the report object, and schemes."""

from __future__ import annotations

from newsgold.model import Date, Document, Entity, Gold, Prediction, Quote
from newsgold.scoring import score


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


def test_dates_tempeval_hand_computed() -> None:
    """Exact hit, overlap with wrong type, a miss and two spurious: TempEval-3 by hand, 3 gold, 4 predicted."""
    gold = _gold(
        dates=(
            Date(33, 41, None, "DATE", "2021-12-30", None),  # Thursday
            Date(0, 8, None, "DATE", "2021-12", "START"),
            Date(60, 64, None, "DURATION", "P1M", None),
        )
    )
    pred = Prediction(
        "d1",
        dates=(
            Date(33, 41, type="DATE", value="2021-12-30"),
            Date(2, 8, value="2021-12", mod="START"),  # no type: a wrong type
            Date(70, 75, type="SET", value="P1Y"),
            Date(76, 78, type="DATE", value="2021"),
        ),
    )
    rep = score(gold, [pred], n_bootstrap=0)
    # 2 relaxed matches of 3 gold / 4 pred; 1 strict; types right 1/2; values right 2/2; mods 2/2
    assert rep.figure("dates.strict.precision") == 0.25
    assert rep.figure("dates.strict.recall") == round(1 / 3, 6)
    assert rep.figure("dates.strict.f1") == round(2 / 7, 6)
    assert rep.figure("dates.relaxed.precision") == 0.5
    assert rep.figure("dates.relaxed.recall") == round(2 / 3, 6)
    assert rep.figure("dates.relaxed.f1") == round(4 / 7, 6)
    assert rep.figure("dates.type_accuracy") == 0.5
    assert rep.figure("dates.value_accuracy") == 1.0
    assert rep.figure("dates.mod_accuracy") == 1.0
    assert rep.figure("dates.type_f1") == round(2 * 1 / 7, 6)
    assert rep.figure("dates.value_f1") == round(2 * 2 / 7, 6)
    assert rep.to_json()["entities"] is None


def test_quotes_speaker_by_alias_and_end_to_end() -> None:
    """Speakers as kb_id, as a case-insensitive alias, ambiguous (an alias two KB entries share),
    and wrong: speaker and end-to-end by hand."""
    from newsgold.model import KBEntry

    text = "He said “one” and “two” then “three” and “four”."
    kb = (
        KBEntry("vladimir-putin", "Vladimir Putin", "PER", ("Poutine", "Putin", "Vladimir Putin")),
        # "Putin" names both entries: a speaker given as "Putin" resolves to neither
        KBEntry("putin-jr", "Putin Jr", "PER", ("Putin Jr", "Vova", "Putin")),
        KBEntry("joe-biden", "Joe Biden", "PER", ("Biden", "Joe Biden")),
    )
    doc = Document(
        "d1",
        text,
        "2021-12-30",
        "r",
        quotes=(
            Quote(0, 2, "He", "direct", "joe-biden"),
            Quote(9, 12, "one", "direct", "vladimir-putin"),
            Quote(19, 22, "two", "partial", "vladimir-putin"),
            Quote(30, 35, "three", "direct", "vladimir-putin"),
            Quote(42, 46, "four", "direct", None),
        ),
    )
    gold = Gold({"d1": doc}, kb)
    pred = Prediction(
        "d1",
        quotes=(
            Quote(0, 2, kind="direct", speaker="Putin Jr"),  # wrong speaker
            Quote(9, 12, kind="direct", speaker="vladimir-putin"),  # right by id
            # right by alias, wrong kind, not strict
            Quote(18, 22, kind="direct", speaker="POUTINE"),
            Quote(30, 35, kind="direct", speaker="putin"),  # ambiguous: wrong
            Quote(42, 46, kind="direct", speaker=None),  # right: no speaker
        ),
    )
    rep = score(gold, [pred], n_bootstrap=0)
    assert rep.figure("quotes.strict.f1") == 0.8
    assert rep.figure("quotes.overlap.f1") == 1.0
    assert rep.figure("quotes.kind_accuracy") == 0.8
    assert rep.figure("quotes.speaker_accuracy") == 0.6
    assert rep.figure("quotes.end_to_end.precision") == 0.6
    assert rep.figure("quotes.end_to_end.recall") == 0.6
    # the same prediction without the ambiguity: "putin" is then Vladimir Putin, and right
    unambiguous = Gold({"d1": doc}, (kb[0], kb[2]))
    rep = score(unambiguous, [pred], n_bootstrap=0)
    assert rep.figure("quotes.speaker_accuracy") == 0.8


def test_missing_document_counts_as_nothing_and_is_listed() -> None:
    """A gold document without a prediction: all its gold is missed, and the report says so."""
    g = _gold(entities=(Entity(0, 14, None, "PER", "vladimir-putin"),))
    other = Document(
        "d2", "Biden", "2021-12-30", "r", entities=(Entity(0, 5, None, "PER", "joe-biden"),)
    )
    gold = Gold({"d1": g.docs["d1"], "d2": other}, ())
    rep = score(gold, [Prediction("d1", entities=(Entity(0, 14, label="PER"),))], n_bootstrap=0)
    assert rep.missing_doc_ids == ("d2",)
    assert rep.figure("entities.strict.recall") == 0.5
    assert rep.figure("entities.strict.precision") == 1.0
    assert any("d2" in w for w in rep.warnings)
    assert rep.to_json()["documents"]["missing"] == ["d2"]


def test_undefined_is_null_not_zero() -> None:
    """No gold and no predictions in a layer: every figure of it is null; nothing predicted: P null, R 0, F1 0."""
    gold = _gold()
    rep = score(gold, [Prediction("d1", entities=(), dates=())], n_bootstrap=20)
    assert rep.figure("entities.strict.f1") is None
    assert rep.figure("entities.strict.f1_ci95") is None
    assert rep.figure("dates.relaxed.precision") is None
    gold2 = _gold(entities=(Entity(0, 14, None, "PER", "vladimir-putin"),))
    rep2 = score(gold2, [Prediction("d1", entities=())], n_bootstrap=0)
    assert rep2.figure("entities.strict.precision") is None
    assert rep2.figure("entities.strict.recall") == 0.0
    assert rep2.figure("entities.strict.f1") == 0.0


def test_bad_predictions_all_reported() -> None:
    """Unknown doc_id, duplicate doc_id, offsets outside, text mismatch, unknown label: all in one error."""
    import pytest

    from newsgold.errors import ValidationError

    gold = _gold()
    preds = [
        Prediction("nope", entities=()),
        Prediction(
            "d1",
            entities=(Entity(0, 999, label="PER"), Entity(0, 8, text="Vladimir", label="PERSON")),
        ),
        Prediction("d1", entities=()),
        Prediction("d1", entities=(Entity(0, 3, text="Xla", label="PER"),)),
    ]
    with pytest.raises(ValidationError) as info:
        score(gold, preds, n_bootstrap=0)
    messages = [str(p) for p in info.value.problems]
    assert messages[0].startswith("<predictions>: $[nope].doc_id: unknown doc_id 'nope'")
    assert any("$[d1].entities[0].end: 999 > len(text)=" in m for m in messages)
    assert any("unknown label 'PERSON'" in m for m in messages)
    assert any("duplicate doc_id 'd1'" in m for m in messages)


def test_schemes_project_both_sides() -> None:
    """CoNLL: gold GPE/NORP become LOC/MISC; OntoNotes: PERSON → PER, DATE → dates layer, CARDINAL set aside."""
    gold = _gold(
        entities=(
            Entity(0, 14, None, "PER", "vladimir-putin"),
            Entity(49, 55, None, "GPE", "russia"),
        ),
        dates=(Date(33, 41, None, "DATE", "2021-12-30", None),),
    )
    conll = score(
        gold,
        [Prediction("d1", entities=(Entity(0, 14, label="PER"), Entity(49, 55, label="LOC")))],
        scheme="conll",
        n_bootstrap=0,
    )
    assert conll.figure("entities.strict.f1") == 1.0
    assert conll.figure("scheme.labels") == ["PER", "ORG", "LOC", "MISC"]
    onto = score(
        gold,
        [
            Prediction(
                "d1",
                entities=(
                    Entity(0, 14, label="PERSON"),
                    Entity(49, 55, label="GPE"),
                    Entity(33, 41, label="DATE"),
                    Entity(60, 64, label="CARDINAL"),
                ),
            )
        ],
        scheme="ontonotes",
        n_bootstrap=0,
    )
    assert onto.figure("entities.strict.f1") == 1.0
    assert onto.figure("dates.strict.f1") == 1.0
    # a DATE entity carries no value: the value figures are undefined (null), not 0
    assert onto.figure("dates.value_accuracy") is None
    assert onto.figure("dates.value_f1") is None
    assert onto.figure("scheme.set_aside") == {"CARDINAL": 1}
    assert onto.to_json()["layers"] == ["entities", "dates"]


def test_bootstrap_interval_is_seeded_and_brackets() -> None:
    """Same seed → same interval; the interval contains the point estimate on a varied corpus."""
    docs = {}
    preds = []
    for i in range(12):
        text = "Putin and Biden met in Geneva."
        ents = (
            Entity(0, 5, None, "PER", "p"),
            Entity(10, 15, None, "PER", "b"),
            Entity(23, 29, None, "GPE", "g"),
        )
        docs[f"d{i:02d}"] = Document(f"d{i:02d}", text, "2021-12-30", "r", entities=ents)
        preds.append(Prediction(f"d{i:02d}", entities=ents[: 1 + i % 3]))
    gold = Gold(docs, ())
    a = score(gold, preds, n_bootstrap=300, seed=3)
    b = score(gold, list(reversed(preds)), n_bootstrap=300, seed=3)
    lo, hi = a.figure("entities.strict.f1_ci95")
    assert lo < a.figure("entities.strict.f1") < hi
    assert a.to_json() == b.to_json()


def test_compare_exact_randomisation() -> None:
    """Two systems on 6 documents: exact test (64 swaps), p-value in (0, 1], a few-documents warning."""
    from newsgold.scoring import compare

    docs = {}
    good, bad = [], []
    for i in range(6):
        ents = (Entity(0, 5, None, "PER", "p"), Entity(10, 15, None, "PER", "b"))
        docs[f"d{i}"] = Document(f"d{i}", "Putin and Biden", "2021-12-30", "r", entities=ents)
        good.append(Prediction(f"d{i}", entities=ents))
        bad.append(Prediction(f"d{i}", entities=ents[:1]))
    gold = Gold(docs, ())
    result = compare(gold, good, bad).to_json()
    fig = result["figures"]["entities.strict.f1"]
    assert fig["a"] == 1.0 and fig["b"] == round(2 / 3, 6)
    # only the identity and full swap reach |difference|: 2 of 64 patterns
    assert fig["p_value"] == round(2 / 64, 6)
    assert result["test"]["exact"] is True
    assert any("only 6 paragraphs" in w for w in result["warnings"])


def _paths(obj: object, prefix: str = "") -> set[str]:
    if isinstance(obj, dict):
        return {p for k, v in obj.items() for p in _paths(v, f"{prefix}.{k}" if prefix else k)}
    return {prefix}


def test_report_shape_is_stable_and_documented() -> None:
    """The documented paths exist; with or without bootstrap the same keys (intervals null without)."""
    gold = _gold(
        entities=(Entity(0, 14, None, "PER", "vladimir-putin"),),
        dates=(Date(33, 41, None, "DATE", "2021-12-30", None),),
        quotes=(Quote(44, 46, None, "direct", None),),
    )
    pred = [Prediction("d1", entities=(Entity(0, 14, label="PER"),), dates=(), quotes=())]
    with_ci = score(gold, pred, n_bootstrap=10).to_json()
    without = score(gold, pred, n_bootstrap=0).to_json()
    assert _paths(with_ci) == _paths(without)
    assert without["entities"]["strict"]["f1_ci95"] is None
    for layer, modes in (
        ("entities", ("strict", "exact", "partial", "type")),
        ("dates", ("strict", "relaxed")),
        ("quotes", ("strict", "overlap", "end_to_end")),
    ):
        for mode in modes:
            for k in ("precision", "recall", "f1", "f1_ci95"):
                assert f"{layer}.{mode}.{k}" in _paths(with_ci)
    for path in (
        "dates.type_accuracy",
        "dates.value_accuracy",
        "dates.value_f1",
        "quotes.speaker_accuracy",
        "quotes.kind_accuracy",
        "entities.kb_id_accuracy",
        "corpus_version",
        "gold_sha256",
        "scorer_version",
        "schema_version",
        "metric_names.entities.strict",
    ):
        assert path in _paths(with_ci), path
    assert with_ci["metric_names"]["entities.strict"] == "entities.strict.v1"
    assert with_ci["gold_sha256"] == gold.sha256


def test_record_checks_cover_cues_and_bool_offsets() -> None:
    """A quote's cue outside the text and a boolean offset are problems, not silently scored."""
    import pytest

    from newsgold.errors import ValidationError
    from newsgold.model import Span

    gold = _gold()
    preds = [
        Prediction(
            "d1",
            entities=(Entity(True, 5, label="PER"),),  # type: ignore[arg-type]
            quotes=(Quote(44, 46, cue=Span(0, 999)),),
        )
    ]
    with pytest.raises(ValidationError) as info:
        score(gold, preds, n_bootstrap=0)
    messages = [str(p) for p in info.value.problems]
    assert messages == [
        "<predictions>: $[d1].entities[0].start: got true, expected integer",
        f"<predictions>: $[d1].quotes[0].cue.end: 999 > len(text)={len(gold.docs['d1'].text)} (expected an offset inside the text)",
    ]


def test_smallest_p_value_is_reached_by_a_perfect_against_an_empty_system() -> None:
    """On 5 documents the exact two-sided test bottoms out at 2/2**5, as the warning says."""
    from newsgold.scoring import compare, gold_as_predictions, smallest_p_value
    from newsgold.validate import load_gold

    gold = load_gold()
    perfect = list(gold_as_predictions(gold))
    empty = [Prediction(doc_id, entities=(), dates=(), quotes=()) for doc_id in gold.docs]
    result = compare(gold, perfect, empty, n_resamples=100, unit="document").to_json()
    assert (
        result["figures"]["entities.strict.f1"]["p_value"]
        == smallest_p_value(len(gold.docs), 100)
        == 0.0625
    )
    assert any("smallest p-value this test can reach is 0.0625" in w for w in result["warnings"])
    assert result["figures"]["entities.strict.f1"]["mde"] is None  # nothing can be detected
