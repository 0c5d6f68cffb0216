"""Hand-computed figures with unequal counts, so that no swapped denominator goes unseen.

Every case has a different number of gold and predicted items, and the counts
it produces (matched, strict, right type/value/mod/kind/speaker) differ from
each other, so a figure computed over the wrong count or with precision and
recall swapped gives a different number. Each expected value is worked out in
the comment above it, from the spans, not from the scorer.
"""

from __future__ import annotations

import pytest

from newsgold.model import Date, Document, Entity, Gold, KBEntry, Prediction, Quote
from newsgold.scoring import score
from newsgold.scoring.quotes import speaker_resolver

TEXT = "x" * 140


def _report(layer: str, kb: tuple[KBEntry, ...] = (), **gold_and_pred: object) -> object:
    gold = Gold(
        {"d": Document("d", TEXT, "2021-12-30", "r", **gold_and_pred["gold"])},  # type: ignore[arg-type]
        kb,
    )
    pred = Prediction("d", **gold_and_pred["pred"])  # type: ignore[arg-type]
    return score(gold, [pred], layers=[layer], n_bootstrap=0)


def _r(x: float) -> float:
    return round(x, 6)


# --------------------------------------------------------------------------- dates


def test_dates_two_gold_four_predicted_one_overlap_with_the_wrong_mod() -> None:
    """2 gold, 4 predicted, 1 overlapping match (not exact) with the right type and value, wrong mod."""
    rep = _report(
        "dates",
        gold={
            "dates": (
                Date(0, 8, None, "DATE", "2021-12-30", None),
                Date(20, 27, None, "DURATION", "P1M", None),
            )
        },
        pred={
            "dates": (
                Date(1, 8, type="DATE", value="2021-12-30", mod="START"),
                Date(40, 45, type="DATE", value="2021"),
                Date(50, 55, type="DATE", value="2020"),
                Date(60, 65, type="SET", value="P1W"),
            )
        },
    )
    f = rep.figure  # type: ignore[attr-defined]
    # matched 1 of 4 predicted and of 2 gold
    assert (f("dates.relaxed.precision"), f("dates.relaxed.recall")) == (0.25, 0.5)
    assert f("dates.relaxed.f1") == _r(2 * 1 / (4 + 2))
    # no identical boundaries
    assert (f("dates.strict.precision"), f("dates.strict.recall"), f("dates.strict.f1")) == (
        0,
        0,
        0,
    )
    assert f("dates.mod_accuracy") == 0.0
    assert f("dates.type_accuracy") == f("dates.value_accuracy") == 1.0
    assert f("dates.type_f1") == f("dates.value_f1") == _r(2 * 1 / 6)
    assert (f("dates.gold"), f("dates.predicted")) == (2, 4)


def test_dates_five_gold_six_predicted_every_count_different() -> None:
    """matched 4, strict 1, type right 2, value right 3, mod right 0; 5 gold, 6 predicted."""
    rep = _report(
        "dates",
        gold={
            "dates": (
                Date(0, 5, None, "DATE", "2021-12-30", None),
                Date(10, 15, None, "DATE", "2021-12", None),
                Date(20, 25, None, "DURATION", "P1M", "MORE_THAN"),
                Date(30, 35, None, "TIME", "2021-12-30T10:00", None),
                Date(40, 45, None, "DATE", "2021", None),  # missed
            )
        },
        pred={
            "dates": (
                Date(0, 5, type="DATE", value="2021-12-30", mod="APPROX"),  # strict; mod wrong
                Date(11, 15, type="DATE", value="2021-12", mod="START"),  # mod wrong
                Date(20, 24, value="P1M"),  # type (none) and mod wrong
                Date(31, 36, type="DATE", value=None, mod="END"),  # no value: wrong
                Date(50, 55, type="DATE", value="2020"),  # spurious
                Date(60, 65, type="SET", value="P1W"),  # spurious
            )
        },
    )
    f = rep.figure  # type: ignore[attr-defined]
    assert f("dates.strict.precision") == _r(1 / 6)
    assert f("dates.strict.recall") == _r(1 / 5)
    assert f("dates.strict.f1") == _r(2 / 11)
    assert f("dates.relaxed.precision") == _r(4 / 6)
    assert f("dates.relaxed.recall") == _r(4 / 5)
    assert f("dates.relaxed.f1") == _r(8 / 11)
    assert f("dates.type_accuracy") == 0.5
    assert f("dates.value_accuracy") == 0.75
    assert f("dates.mod_accuracy") == 0.0
    assert f("dates.type_f1") == _r(2 * 2 / 11)
    assert f("dates.value_f1") == _r(2 * 3 / 11)
    assert (f("dates.gold"), f("dates.predicted")) == (5, 6)


def _engine_row(layer: str, gold: list[tuple], pred: list[tuple]) -> dict[str, int]:
    """One document's count row as the engine makes it, by column name."""
    from newsgold.jsonio import prediction_to_json
    from newsgold.model import Document, Gold, Prediction
    from newsgold.scoring import LAYERS, count_stream, get_scheme

    if layer == "dates":
        g = Document(
            "d",
            "x" * 40,
            "2021-12-30",
            "r",
            dates=tuple(Date(s, e, None, t, v, m) for s, e, t, v, m in gold),
        )
        p = Prediction(
            "d", dates=tuple(Date(s, e, type=t, value=v, mod=m) for s, e, t, v, m in pred)
        )
    else:
        g = Document(
            "d",
            "x" * 40,
            "2021-12-30",
            "r",
            quotes=tuple(Quote(s, e, None, k, sp) for s, e, k, sp in gold),
        )
        p = Prediction("d", quotes=tuple(Quote(s, e, kind=k, speaker=sp) for s, e, k, sp in pred))
    sch = get_scheme("newsgold")
    engine = count_stream(Gold({"d": g}, ()), [(None, prediction_to_json(p))], sch, "<test>")
    row = engine.matrices()[2][layer][0].tolist()
    return dict(zip(LAYERS[layer].columns(sch.labels), map(int, row), strict=True))


def test_dates_doc_counts_missing_values_and_mods() -> None:
    """A missing predicted value is wrong even when the gold value is missing too; None mods agree."""
    row = _engine_row("dates", [(0, 5, "DATE", None, None)], [(0, 5, "DATE", None, None)])
    assert row == {
        "gold": 1,
        "pred": 1,
        "matched": 1,
        "strict": 1,
        "type_ok": 1,
        "value_ok": 0,
        "mod_ok": 1,
        "accepted": 1,
        "valued": 0,
    }
    row = _engine_row(
        "dates",
        [(0, 5, "DATE", "2021", "START"), (9, 12, "SET", "P1W", None)],
        [
            (2, 7, None, "2021", "END"),
            (20, 22, "DATE", "2020", None),
            (30, 31, None, "X", None),
        ],
    )
    assert list(row.values()) == [2, 3, 1, 0, 0, 1, 0, 0, 3]


def test_dates_undefined_figures_are_null() -> None:
    """Denominator 0 → null: nothing predicted (precision, accuracies), nothing to find (recall)."""
    gold_only = _report(
        "dates", gold={"dates": (Date(0, 5, None, "DATE", "2021", None),)}, pred={"dates": ()}
    )
    f = gold_only.figure  # type: ignore[attr-defined]
    assert f("dates.relaxed.precision") is None and f("dates.strict.precision") is None
    assert f("dates.relaxed.recall") == 0.0 and f("dates.relaxed.f1") == 0.0
    for acc in ("type_accuracy", "value_accuracy", "mod_accuracy"):
        assert f(f"dates.{acc}") is None, acc
    assert f("dates.type_f1") == 0.0
    assert f("dates.value_f1") is None  # no value predicted: undefined, not 0
    pred_only = _report("dates", gold={}, pred={"dates": (Date(0, 5, type="DATE", value="2021"),)})
    f = pred_only.figure  # type: ignore[attr-defined]
    assert f("dates.relaxed.recall") is None and f("dates.strict.recall") is None
    assert f("dates.relaxed.precision") == 0.0 and f("dates.relaxed.f1") == 0.0
    assert f("dates.mod_accuracy") is None
    neither = _report("dates", gold={}, pred={"dates": ()})
    for path in ("strict.f1", "relaxed.precision", "relaxed.recall", "type_f1", "value_accuracy"):
        assert neither.figure(f"dates.{path}") is None, path  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- quotes

SMITHS = (
    KBEntry("vladimir-putin", "Vladimir Putin", "PER", ("Putin",)),
    # canonical names that are not among their own aliases; "Smith" names two people
    KBEntry("anna-smith", "Anna Smith", "PER", ("Smith",)),
    KBEntry("bob-smith", "Bob Smith", "PER", ("Smith", "Bob")),
    KBEntry("juergen-strasse", "Jürgen Straße", "PER", ()),
)


def test_quotes_three_gold_two_predicted_one_match_right_kind_and_speaker() -> None:
    """Accuracies are over matches: 1 of 1 right, not 1 of 2 predicted or 1 of 3 gold."""
    rep = _report(
        "quotes",
        SMITHS,
        gold={
            "quotes": (
                Quote(0, 10, None, "direct", "anna-smith"),
                Quote(20, 30, None, "indirect", "bob-smith"),
                Quote(40, 50, None, "direct", None),
            )
        },
        pred={
            "quotes": (
                Quote(1, 10, kind="direct", speaker="Anna Smith"),
                Quote(60, 70, kind="direct", speaker="bob-smith"),
            )
        },
    )
    f = rep.figure  # type: ignore[attr-defined]
    assert f("quotes.kind_accuracy") == 1.0
    assert f("quotes.speaker_accuracy") == 1.0
    assert (f("quotes.overlap.precision"), f("quotes.overlap.recall")) == (0.5, _r(1 / 3))
    assert f("quotes.overlap.f1") == _r(2 / 5)
    assert (f("quotes.end_to_end.precision"), f("quotes.end_to_end.recall")) == (0.5, _r(1 / 3))
    assert f("quotes.strict.precision") == f("quotes.strict.recall") == f("quotes.strict.f1") == 0
    assert (f("quotes.gold"), f("quotes.predicted")) == (3, 2)


def test_quotes_five_gold_six_predicted_every_count_different() -> None:
    """matched 4, strict 1, kind right 2, speaker right 3 (by id, by a padded upper-case
    canonical name missing from the aliases, null = null), 1 wrong (an alias two people share)."""
    rep = _report(
        "quotes",
        SMITHS,
        gold={
            "quotes": (
                Quote(0, 10, None, "direct", "vladimir-putin"),
                Quote(20, 30, None, "direct", "anna-smith"),
                Quote(40, 50, None, "indirect", None),
                Quote(60, 70, None, "partial", "bob-smith"),
                Quote(80, 90, None, "direct", "juergen-strasse"),  # missed
            )
        },
        pred={
            "quotes": (
                Quote(0, 10, kind="direct", speaker="vladimir-putin"),  # strict, kind, speaker
                Quote(21, 30, kind="direct", speaker="  ANNA SMITH "),  # kind, speaker
                Quote(40, 49, kind="direct", speaker=None),  # speaker (null = null)
                Quote(61, 70, kind="direct", speaker="Smith"),  # ambiguous: wrong
                Quote(100, 110, kind="direct", speaker="vladimir-putin"),  # spurious
                Quote(120, 130, kind="direct", speaker=None),  # spurious
            )
        },
    )
    f = rep.figure  # type: ignore[attr-defined]
    assert f("quotes.strict.precision") == _r(1 / 6)
    assert f("quotes.strict.recall") == _r(1 / 5)
    assert f("quotes.strict.f1") == _r(2 / 11)
    assert f("quotes.overlap.precision") == _r(4 / 6)
    assert f("quotes.overlap.recall") == _r(4 / 5)
    assert f("quotes.overlap.f1") == _r(8 / 11)
    assert f("quotes.end_to_end.precision") == _r(3 / 6)
    assert f("quotes.end_to_end.recall") == _r(3 / 5)
    assert f("quotes.end_to_end.f1") == _r(6 / 11)
    assert f("quotes.speaker_accuracy") == 0.75
    assert f("quotes.kind_accuracy") == 0.5
    assert (f("quotes.gold"), f("quotes.predicted")) == (5, 6)


def test_quotes_doc_counts_by_hand() -> None:
    """The count row: a wrong speaker on an exact span, a right one on an overlap, a spurious one."""
    row = _engine_row(
        "quotes",
        [(0, 5, "direct", "a"), (10, 20, "partial", None)],
        [(0, 5, "direct", "b"), (12, 20, "indirect", None), (30, 31, "direct", "a")],
    )
    assert {k: v for k, v in row.items() if ":" not in k} == {
        "gold": 2,
        "pred": 3,
        "matched": 2,
        "strict": 1,
        "kind_ok": 1,
        "speaker_ok": 1,
        "kinded": 3,
    }


def test_quotes_undefined_figures_are_null() -> None:
    """Nothing predicted: precision and both accuracies null, recall 0; nothing at all: all null."""
    rep = _report(
        "quotes", gold={"quotes": (Quote(0, 5, None, "direct", None),)}, pred={"quotes": ()}
    )
    f = rep.figure  # type: ignore[attr-defined]
    assert f("quotes.overlap.precision") is None and f("quotes.end_to_end.precision") is None
    assert f("quotes.speaker_accuracy") is None and f("quotes.kind_accuracy") is None
    assert f("quotes.overlap.recall") == 0.0 and f("quotes.end_to_end.f1") == 0.0
    rep = _report("quotes", gold={}, pred={"quotes": ()})
    assert rep.figure("quotes.end_to_end.f1") is None  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- speaker resolution


def test_speaker_resolution() -> None:
    """ids stay, names and aliases resolve case-insensitively and unpadded, shared aliases do not."""
    resolve = speaker_resolver(SMITHS)
    ids = {k.kb_id for k in SMITHS}
    assert resolve(None) is None
    assert resolve("bob-smith") == "bob-smith"
    # a canonical name that is not among the entity's aliases still resolves
    assert resolve("Anna Smith") == "anna-smith"
    assert resolve("anna smith") == "anna-smith"
    assert resolve("VLADIMIR PUTIN") == "vladimir-putin"
    assert resolve("putin") == "vladimir-putin"
    # surrounding white space is ignored
    assert resolve("  Bob\t") == "bob-smith"
    assert resolve("\nVladimir Putin ") == "vladimir-putin"
    # case-insensitive in the Unicode sense (ß folds to ss)
    assert resolve("JÜRGEN STRASSE") == "juergen-strasse"
    # an alias shared by two entities names neither, in any case
    for shared in ("Smith", "SMITH", " smith "):
        got = resolve(shared)
        assert got is not None and got not in ids, shared
    # unknown names are never an id, and never None
    for unknown in ("Joe Biden", "", "Anna", "Smith Anna"):
        got = resolve(unknown)
        assert got is not None and got not in ids, unknown


def test_every_real_kb_name_resolves_to_its_entity(root: object) -> None:
    """Every entity of annotations/kb.json is found by its canonical name (several are not among
    their own aliases) and by each alias, unless that form names more than one entity."""
    from newsgold.validate import load_gold

    kb = load_gold(root).kb  # type: ignore[arg-type]
    owners: dict[str, set[str]] = {}
    for k in kb:
        for form in {k.name, *k.aliases}:
            owners.setdefault(form.casefold(), set()).add(k.kb_id)
    resolve = speaker_resolver(kb)
    missing_name = [k for k in kb if k.name not in k.aliases]
    assert missing_name, "the KB no longer has a name outside its aliases: the case is vacuous"
    checked = 0
    for k in kb:
        for form in {k.name, *k.aliases}:
            got = resolve(f" {form.upper()} ")
            if owners[form.casefold()] == {k.kb_id}:
                assert got == k.kb_id, (form, got)
                checked += 1
            else:
                assert got not in owners[form.casefold()], (form, got)
    assert checked >= len(kb)


# --------------------------------------------------------------------------- entities: macro and kb_id


def test_entity_macro_is_the_mean_of_defined_per_label_figures() -> None:
    """Per label both sides are restricted and matched again; macro averages the labels where
    each figure is defined (LOC: precision but no recall; NORP: nothing)."""
    rep = _report(
        "entities",
        gold={
            "entities": (
                Entity(0, 5, None, "PER", "p1"),
                Entity(10, 15, None, "PER", None),
                Entity(20, 25, None, "ORG", None),
                Entity(30, 35, None, "GPE", None),
            )
        },
        pred={
            "entities": (
                Entity(0, 5, label="PER", kb_id="p1"),  # strict
                Entity(11, 15, label="PER"),  # boundary error, same label
                Entity(20, 25, label="GPE"),  # exact boundaries, wrong label
                Entity(40, 45, label="LOC"),  # spurious
                Entity(50, 55, label="ORG"),  # spurious
            )
        },
    )
    f = rep.figure  # type: ignore[attr-defined]
    # overall: gold 4, predicted 5, matched 3, exact 2, typed 2, strict 1
    assert (f("entities.strict.precision"), f("entities.strict.recall")) == (0.2, 0.25)
    assert f("entities.exact.f1") == _r(2 * 2 / 9)
    assert (f("entities.partial.precision"), f("entities.partial.recall")) == (0.5, 0.625)
    assert (f("entities.type.precision"), f("entities.type.recall")) == (0.4, 0.5)
    assert f("entities.strict.missed") == 1 and f("entities.strict.spurious") == 2
    # per label: PER 2/2 matched, 1 exact; ORG and GPE no overlap within the label; LOC 0 gold
    per = {
        "PER": {"strict": (0.5, 0.5, 0.5), "partial": (0.75, 0.75, 0.75), "type": (1, 1, 1)},
        "ORG": {"strict": (0, 0, 0), "partial": (0, 0, 0), "type": (0, 0, 0)},
        "GPE": {"strict": (0, 0, 0), "partial": (0, 0, 0), "type": (0, 0, 0)},
        "LOC": {"strict": (0, None, 0), "partial": (0, None, 0), "type": (0, None, 0)},
        "NORP": {"strict": (None,) * 3, "partial": (None,) * 3, "type": (None,) * 3},
    }
    for lab, modes in per.items():
        for mode, prf in modes.items():
            got = tuple(
                f(f"entities.per_label.{lab}.{mode}.{k}") for k in ("precision", "recall", "f1")
            )
            assert got == prf, (lab, mode, got)
    assert f("entities.per_label.GPE.strict.missed") == 1
    assert f("entities.per_label.GPE.strict.spurious") == 1
    # macro: the mean over the labels where the figure is defined
    for mode in ("strict", "partial", "type"):
        for i, k in enumerate(("precision", "recall", "f1")):
            defined = [modes[mode][i] for modes in per.values() if modes[mode][i] is not None]
            assert f(f"entities.macro.{mode}.{k}") == _r(sum(defined) / len(defined)), (mode, k)
    assert f("entities.macro.strict.precision") == 0.125  # (0.5 + 0 + 0 + 0) / 4
    assert f("entities.macro.type.recall") == _r(1 / 3)  # (1 + 0 + 0) / 3


def test_kb_id_accuracy_over_strict_matches() -> None:
    """3 strict matches: right id, wrong id, gold without id; linked non-strict and spurious
    predictions do not count: 1/3."""
    gold = {
        "entities": (
            Entity(0, 5, None, "PER", "a"),
            Entity(10, 15, None, "PER", "b"),
            Entity(20, 25, None, "ORG", "c"),
            Entity(30, 35, None, "GPE", None),
        )
    }
    rep = _report(
        "entities",
        gold=gold,
        pred={
            "entities": (
                Entity(0, 5, label="PER", kb_id="a"),
                Entity(10, 15, label="PER", kb_id="x"),
                Entity(20, 25, label="GPE", kb_id="c"),  # right id, wrong label: not strict
                Entity(30, 35, label="GPE"),  # strict; gold has no id, a missing id is not right
                Entity(40, 45, label="ORG", kb_id="a"),  # spurious
            )
        },
    )
    assert rep.figure("entities.kb_id_accuracy") == _r(1 / 3)  # type: ignore[attr-defined]
    # linking nothing: null, not 0
    rep = _report("entities", gold=gold, pred={"entities": (Entity(0, 5, label="PER"),)})
    assert rep.figure("entities.kb_id_accuracy") is None  # type: ignore[attr-defined]
    # linking, but no strict match: the denominator is 0, null
    rep = _report("entities", gold=gold, pred={"entities": (Entity(1, 5, label="PER", kb_id="a"),)})
    assert rep.figure("entities.kb_id_accuracy") is None  # type: ignore[attr-defined]
    # linking one strict match wrongly, another not at all: 0 of 2
    rep = _report(
        "entities",
        gold=gold,
        pred={"entities": (Entity(0, 5, label="PER", kb_id="b"), Entity(10, 15, label="PER"))},
    )
    assert rep.figure("entities.kb_id_accuracy") == 0.0  # type: ignore[attr-defined]


@pytest.mark.parametrize("layer", ["entities", "dates", "quotes"])
def test_a_layer_not_scored_is_null(layer: str) -> None:
    """Only the requested layer is in the report; the others are null, not zeros."""
    rep = _report(layer, gold={}, pred={"entities": (), "dates": (), "quotes": ()})
    data = rep.to_json()  # type: ignore[attr-defined]
    assert data["layers"] == [layer]
    for other in {"entities", "dates", "quotes"} - {layer}:
        assert data[other] is None


def test_per_document_summary_counts_only_defined_documents() -> None:
    """Per-document F1 mean and std are over the documents where F1 is defined; none: null, 0."""
    docs = {
        "a": Document(
            "a", TEXT, "2021-12-30", "r", dates=(Date(0, 4, None, "DATE", "2021", None),)
        ),
        "b": Document("b", TEXT, "2021-12-30", "r"),  # nothing on either side: F1 undefined
        "c": Document(
            "c", TEXT, "2021-12-30", "r", dates=(Date(0, 4, None, "DATE", "2021", None),)
        ),
    }
    preds = [
        Prediction("a", dates=(Date(0, 4, type="DATE", value="2021"),)),  # F1 1
        Prediction("b", dates=()),
        Prediction("c", dates=()),  # F1 0
    ]
    rep = score(Gold(docs, ()), preds, n_bootstrap=0)
    assert rep.figure("dates.per_document.b.strict.f1") is None
    assert rep.figure("dates.per_document_summary.strict.f1") == {
        "mean": 0.5,
        "std": 0.5,
        "documents": 2,
    }
    empty = score(Gold({"b": docs["b"]}, ()), [Prediction("b", dates=())], n_bootstrap=0)
    assert empty.figure("dates.per_document_summary.relaxed.f1") == {
        "mean": None,
        "std": None,
        "documents": 0,
    }


def test_value_and_kind_figures_undefined_when_never_predicted() -> None:
    """A system that predicts dates without values (spaCy's DATE entities) and quotes without
    kinds (textacy): value accuracy/F1 and kind accuracy are null, not 0; one value or one kind
    predicted makes them defined again (0 when wrong)."""
    gold = {"dates": (Date(0, 5, None, "DATE", "2021", None),)}
    f = _report("dates", gold=gold, pred={"dates": (Date(0, 5, type="DATE"),)}).figure  # type: ignore[attr-defined]
    assert f("dates.relaxed.f1") == 1.0
    assert f("dates.value_accuracy") is None and f("dates.value_f1") is None
    f = _report("dates", gold=gold, pred={"dates": (Date(0, 5, type="DATE", value="2020"),)}).figure  # type: ignore[attr-defined]
    assert f("dates.value_accuracy") == 0.0 and f("dates.value_f1") == 0.0
    qgold = {"quotes": (Quote(0, 5, None, "direct", None, None),)}
    f = _report("quotes", gold=qgold, pred={"quotes": (Quote(0, 5),)}).figure  # type: ignore[attr-defined]
    assert f("quotes.overlap.f1") == 1.0 and f("quotes.kind_accuracy") is None
    f = _report("quotes", gold=qgold, pred={"quotes": (Quote(0, 5, kind="partial"),)}).figure  # type: ignore[attr-defined]
    assert f("quotes.kind_accuracy") == 0.0
