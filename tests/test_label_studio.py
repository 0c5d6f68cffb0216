"""Tests of newsgold.convert.label_studio (pure) and the offline `newsgold ls` commands."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.cli import main
from newsgold.convert.label_studio import (
    AnnotationSet,
    TaskContents,
    from_export,
    from_task,
    labeling_config,
    select_annotations,
    to_results,
    to_task,
)
from newsgold.errors import ValidationError
from newsgold.jsonio import document_to_json, dumps_json
from newsgold.model import (
    DATE_MODS,
    DATE_TYPES,
    ENTITY_LABELS,
    QUOTE_KINDS,
    Date,
    Document,
    Entity,
    KBEntry,
    Prediction,
    Quote,
    Span,
)
from newsgold.validate import load_gold

ROOT = Path(__file__).resolve().parents[1]

TEXT = "Putin said “we agree” on Thursday in Moscow, the Kremlin said."
MOSCOW = TEXT.index("Moscow")
KB = (
    KBEntry("kremlin", "Kremlin", "ORG", ("Kremlin",)),
    KBEntry("moscow", "Moscow", "GPE", ("Moscow",)),
    KBEntry("vladimir-putin", "Vladimir Putin", "PER", ("Putin",)),
)


def small_doc() -> Document:
    """Entities, a date with a mod, a quote with a speaker relation and a cue."""
    t = TEXT
    return Document(
        "d1",
        t,
        "2021-12-30",
        "a reason",
        entities=(
            Entity(0, 5, "Putin", "PER", "vladimir-putin"),
            Entity(t.index("Moscow"), t.index("Moscow") + 6, "Moscow", "GPE", "moscow"),
            Entity(t.index("Kremlin"), t.index("Kremlin") + 7, "Kremlin", "ORG", "kremlin"),
        ),
        dates=(
            Date(
                t.index("Thursday"),
                t.index("Thursday") + 8,
                "Thursday",
                "DATE",
                "2021-12-30",
                "APPROX",
            ),
        ),
        quotes=(
            Quote(
                t.index("we"),
                t.index("agree") + 5,
                "we agree",
                "direct",
                "vladimir-putin",
                Span(6, 10, "said"),
            ),
        ),
    )


def problems_of(task: Any, kb: Any = KB) -> list[str]:
    with pytest.raises(ValidationError) as info:
        from_task(task, kb=kb, source="export.json", index=0)
    return [str(p) for p in info.value.problems]


def result_of(task: dict[str, Any]) -> list[dict[str, Any]]:
    return task["annotations"][0]["result"]  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- config


def test_config_is_the_committed_file_and_covers_the_label_sets() -> None:
    """The committed labelstudio/config.xml is exactly what `newsgold ls config` generates
    for the project's KB; the kb_id and speaker_id lists hold every KB entry, once."""
    kb = load_gold(ROOT).kb
    config = labeling_config(kb)
    assert (ROOT / "labelstudio" / "config.xml").read_text(encoding="utf-8") == config
    tree = ET.fromstring(config)
    labels = {
        lab.get("name"): [x.get("value") for x in lab.iter("Label")] for lab in tree.iter("Labels")
    }
    assert labels == {
        "entity": list(ENTITY_LABELS),
        "date": list(DATE_TYPES),
        "quote": ["QUOTE"],
        "cue": ["CUE"],
    }
    choices = {
        c.get("name"): [x.get("value") for x in c.iter("Choice")] for c in tree.iter("Choices")
    }
    assert choices == {"date_mod": list(DATE_MODS), "quote_kind": list(QUOTE_KINDS)}
    lists = {
        t.get("name"): sorted(x.get("alias") for x in t.iter("Choice"))
        for t in tree.iter("Taxonomy")
    }
    assert lists == {
        "kb_id": sorted(k.kb_id for k in kb),
        "speaker_id": sorted(k.kb_id for k in kb),
    }
    shown = {x.get("alias"): x.get("value") for x in next(tree.iter("Taxonomy")).iter("Choice")}
    assert shown["vladimir-putin"] == "Vladimir Putin · PER · vladimir-putin"
    per_region = {
        t.get("name"): (t.tag, t.get("whenTagName") or t.get("whenLabelValue"))
        for t in tree.iter()
        if t.get("perRegion") == "true"
    }
    assert per_region == {
        "kb_id": ("Taxonomy", "entity"),
        "new_kb_id": ("TextArea", "entity"),
        "date_value": ("TextArea", "date"),
        "date_mod": ("Choices", "date"),
        # one text area for both layers: shown for a region with any entity or date label
        "alternatives": ("TextArea", ",".join((*ENTITY_LABELS, *DATE_TYPES))),
        "quote_kind": ("Choices", "quote"),
        "speaker_id": ("Taxonomy", "quote"),
    }
    # every per-region control sits in the column beside the document, none below it
    (fields,) = [v for v in tree.iter("View") if v.get("className") == "newsgold-fields"]
    assert {t.get("name") for t in fields.iter() if t.get("perRegion") == "true"} == set(per_region)
    assert [r.get("value") for r in tree.iter("Relation")] == ["speaker", "cue"]


def test_cli_config_prints_it() -> None:
    """`newsgold ls config` prints the generated config unchanged."""
    result = CliRunner().invoke(main, ["ls", "config", "--root", str(ROOT)])
    assert result.exit_code == 0
    assert result.stdout == labeling_config(load_gold(ROOT).kb)


# --------------------------------------------------------------------------- round trips


def test_the_five_gold_documents_round_trip() -> None:
    """Every gold document survives to_task/from_task, KB checks included."""
    gold = load_gold(ROOT)
    for doc in gold.docs.values():
        back = from_task(to_task(doc, gold.kb), kb=gold.kb)
        assert back.annotations[0].document == doc
        assert dumps_json(document_to_json(back.annotations[0].document)) == (
            ROOT / "annotations" / f"{doc.doc_id}.json"
        ).read_text(encoding="utf-8")


def test_speaker_without_mention_uses_speaker_id() -> None:
    """A speaker never named in the text travels in the quote's speaker_id text area."""
    doc = small_doc()
    quote = doc.quotes[0]
    doc2 = Document(
        doc.doc_id, doc.text, doc.dct, doc.dct_reason, doc.entities[1:], doc.dates, (quote,)
    )
    result = result_of(to_task(doc2, KB))
    assert [
        (r["type"], r["value"]["taxonomy"]) for r in result if r.get("from_name") == "speaker_id"
    ] == [("taxonomy", [["vladimir-putin"]])]
    assert not [r for r in result if r.get("labels") == ["speaker"]]
    assert from_task(to_task(doc2, KB), kb=KB).annotations[0].document == doc2


def test_shared_cue_is_one_region() -> None:
    """Two quotes with one reporting verb share one cue region and get two cue relations."""
    t = "Putin said “yes” and “no”."
    cue = Span(6, 10, "said")
    doc = Document(
        "d1",
        t,
        "2021-12-30",
        "r",
        quotes=(
            Quote(12, 15, "yes", "partial", None, cue),
            Quote(22, 24, "no", "partial", None, cue),
        ),
    )
    result = result_of(to_task(doc, ()))
    assert len([r for r in result if r.get("from_name") == "cue"]) == 1
    assert len([r for r in result if r.get("labels") == ["cue"]]) == 2
    assert from_task(to_task(doc, ())).annotations[0].document == doc


def test_predictions_keep_model_version_and_scores() -> None:
    """Pre-annotations carry region scores and the mean as the prediction's score."""
    doc = small_doc()
    pred = Prediction(
        "d1",
        entities=(
            Entity(0, 5, None, "PER", None, 0.9),
            Entity(MOSCOW, MOSCOW + 6, "Moscow", "GPE", score=0.5),
        ),
        dates=(),
        quotes=(Quote(12, 20, "we agree", None, "Poutine", None, 0.4),),  # a free name
    )
    task = to_task(doc, KB, annotations=[], predictions=[("sys-2", pred)])
    assert task["annotations"] == []
    (item,) = task["predictions"]
    assert item["model_version"] == "sys-2"
    assert item["score"] == pytest.approx((0.9 + 0.5 + 0.4) / 3)
    (back,) = from_task(task).predictions
    assert back.model_version == "sys-2"
    # text is filled in from the document; nothing else changes
    assert back.prediction.entities == (
        Entity(0, 5, "Putin", "PER", None),
        Entity(MOSCOW, MOSCOW + 6, "Moscow", "GPE"),
    )
    assert [e.score for e in back.prediction.entities or ()] == [0.9, 0.5]
    assert back.prediction.quotes == pred.quotes
    assert back.prediction.quotes is not None and back.prediction.quotes[0].score == 0.4


def test_several_annotations_stay_apart() -> None:
    """Two annotators' annotations of one task come back as two documents with their authors."""
    doc = small_doc()
    other = Document(doc.doc_id, doc.text, "2021-12-29", "another reason", doc.entities[:1])
    task = to_task(doc, KB, annotations=[doc, other])
    task["annotations"][0]["completed_by"] = {"id": 1, "email": "a@x.org"}
    task["annotations"][1]["completed_by"] = 2
    back = from_task(task, kb=KB)
    assert [(a.annotator, a.document) for a in back.annotations] == [("a@x.org", doc), ("2", other)]


_ALPHABET = st.sampled_from(list("ab cdé\nשל👋“”.,"))


@st.composite
def documents(draw: Any) -> Document:
    """Random texts (emoji, Hebrew, newlines) with valid, non-overlapping spans in every layer,
    every boundary between words (a boundary inside a word is refused at import)."""
    from newsgold.tokenize import straddled_cuts

    text = draw(st.text(_ALPHABET, min_size=1, max_size=40))
    n = len(text)
    inside = set(straddled_cuts(text, range(n + 1)))
    between = [i for i in range(n + 1) if i not in inside]
    cuts = sorted(draw(st.sets(st.sampled_from(between), max_size=12)))
    spans = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if a < b]
    kinds = draw(
        st.lists(st.sampled_from(["e", "d", "q", "-"]), min_size=len(spans), max_size=len(spans))
    )
    ids = ["ann-a", "bo-b", "c1"]
    ents, dates, quotes = [], [], []
    values = {"DATE": "2021-12-30", "TIME": "2021-12-30T20:30", "DURATION": "PT50M", "SET": "P1Y"}

    def alternatives(a: int, b: int) -> tuple[Span, ...]:
        """Accepted extents inside the span (they overlap no other span of the layer)."""
        inner = [
            (x, y)
            for x in range(a, b)
            for y in range(x + 1, b + 1)
            if (x, y) != (a, b) and x not in inside and y not in inside
        ]
        if not inner:
            return ()
        chosen = draw(st.lists(st.sampled_from(inner), unique=True, max_size=2))
        return tuple(Span(x, y, text[x:y]) for x, y in chosen)

    for (a, b), kind in zip(spans, kinds, strict=True):
        if kind == "e":
            ents.append(
                Entity(
                    a,
                    b,
                    text[a:b],
                    draw(st.sampled_from(ENTITY_LABELS)),
                    draw(st.sampled_from(ids)),
                    alternatives=alternatives(a, b),
                )
            )
        elif kind == "d":
            dtype = draw(st.sampled_from(DATE_TYPES))
            dates.append(
                Date(
                    a,
                    b,
                    text[a:b],
                    dtype,
                    values[dtype],
                    draw(st.sampled_from((None, *DATE_MODS))),
                    alternatives=alternatives(a, b),
                )
            )
        elif kind == "q":
            cue = None
            if draw(st.booleans()):
                c0 = draw(st.sampled_from(between[:-1]))
                c1 = draw(st.sampled_from([i for i in between if i > c0]))
                cue = Span(c0, c1, text[c0:c1])
            speaker = draw(st.sampled_from((None, *ids, "nobody-here")))
            quotes.append(Quote(a, b, text[a:b], draw(st.sampled_from(QUOTE_KINDS)), speaker, cue))
    return Document("doc_1", text, "2021-12-30", "r", tuple(ents), tuple(dates), tuple(quotes))


@settings(max_examples=150, deadline=None)
@given(documents())
def test_round_trip_property(doc: Document) -> None:
    """from_task(to_task(doc)) == doc, for any valid document, through JSON."""
    task = json.loads(json.dumps(to_task(doc, ())))
    assert from_task(task).annotations[0].document == doc


# --------------------------------------------------------------------------- import errors


def test_text_not_the_slice() -> None:
    """A region whose text is not the text at its offsets names the task and result."""
    task = to_task(small_doc(), KB)
    task["id"] = 7
    result_of(task)[0]["value"]["text"] = "Putiin"
    assert problems_of(task) == [
        "export.json: $[0].annotations[0].result[0]: task 7, result 'ent-0': text 'Putiin' is "
        "not the text at [0:5] = 'Putin'"
    ]


def test_offsets_outside_and_not_integers() -> None:
    """Offsets past the end, and offsets that are not integers."""
    task = to_task(small_doc(), KB)
    task["id"] = 7
    result_of(task)[0]["value"]["end"] = 500
    result_of(task)[2]["value"]["start"] = str(MOSCOW)
    got = problems_of(task)
    n = len(TEXT)
    assert (
        "export.json: $[0].annotations[0].result[0]: task 7, result 'ent-0': offsets [0:500] "
        f"outside the text of length {n} (expected 0 <= start < end <= len(text))"
    ) in got
    assert (
        "export.json: $[0].annotations[0].result[2]: task 7, result 'ent-1': offsets '37'..43 "
        "(expected integer code-point offsets)"
    ) in got


def test_unknown_label_and_two_labels() -> None:
    """A label outside the set, and a region with two labels."""
    task = to_task(small_doc(), KB)
    task["id"] = 3
    result_of(task)[0]["value"]["labels"] = ["PERSON"]
    result_of(task)[2]["value"]["labels"] = ["GPE", "LOC"]
    got = problems_of(task)
    assert (
        "export.json: $[0].annotations[0].result[0]: task 3, result 'ent-0': unknown entity label "
        "'PERSON' (expected one of PER, ORG, GPE, LOC, NORP)"
    ) in got
    assert (
        "export.json: $[0].annotations[0].result[2]: task 3, result 'ent-1': labels "
        '["GPE", "LOC"] (expected exactly one label per region)'
    ) in got


def test_missing_kb_id_and_unknown_kb_id() -> None:
    """An entity without kb_id (the schema), and one with an id the KB does not know."""
    task = to_task(small_doc(), KB)
    task["id"] = 3
    res = result_of(task)
    del res[1]  # ent-0's kb_id
    res[2]["value"]["taxonomy"] = [["moskva"]]  # ent-1's kb_id, as picked from the list
    got = problems_of(task)
    assert (
        "export.json: $[0].annotations[0].result[0]: task 3, result 'ent-0': $.entities[0].kb_id: "
        "got null, expected string"
    ) in got
    assert (
        "export.json: $[0].annotations[0].result[1]: task 3, result 'ent-1': $.entities[1].kb_id: "
        "unknown kb_id 'moskva' (expected an id in kb.json; add the entity there)"
    ) in got


def test_date_value_of_the_wrong_type() -> None:
    """A DURATION value on a DATE region: the type-consistency rule of the schema."""
    task = to_task(small_doc(), KB)
    task["id"] = 3
    for r in result_of(task):
        if r.get("from_name") == "date_value":
            r["value"]["text"] = ["PT50M"]
    (got,) = problems_of(task)
    assert got.startswith(
        "export.json: $[0].annotations[0].result[6]: task 3, result 'date-0': "
        "$.dates[0].value: got 'PT50M', expected a TIMEX3 DATE value"
    )


def test_relations_to_missing_or_wrong_regions() -> None:
    """A relation to no region, a speaker relation to a date, a cue region linked from nothing."""
    task = to_task(small_doc(), KB)
    task["id"] = 9
    res = result_of(task)
    res.append({"type": "relation", "from_id": "quote-0", "to_id": "nope", "labels": ["speaker"]})
    res.append({"type": "relation", "from_id": "quote-0", "to_id": "date-0", "labels": ["speaker"]})
    res[:] = [r for r in res if r.get("labels") != ["cue"]]
    got = problems_of(task)
    assert (
        "export.json: $[0].annotations[0].result[13]: task 9: relation quote-0 -> nope points to no region 'nope'"
        in got
    )
    assert (
        "export.json: $[0].annotations[0].result[14]: task 9: speaker relation from a quote to a "
        "date region (expected from a quote to an entity)"
    ) in got
    assert (
        "export.json: $[0].annotations[0].result[11]: task 9, result 'cue-0': cue region linked "
        "from no quote (expected a cue relation from its quote)"
    ) in got


def test_speaker_id_contradicting_the_relation() -> None:
    """Both a speaker relation and a different speaker_id: keep one."""
    task = to_task(small_doc(), KB)
    task["id"] = 9
    q = next(r for r in result_of(task) if r.get("from_name") == "quote")
    result_of(task).append(
        {
            **copy.deepcopy(q),
            "from_name": "speaker_id",
            "type": "textarea",
            "value": {"start": q["value"]["start"], "end": q["value"]["end"], "text": ["kremlin"]},
        }
    )
    assert problems_of(task) == [
        "export.json: $[0].annotations[0].result[9]: task 9, result 'quote-0': speaker_id "
        "'kremlin' contradicts the speaker relation to ent-0 ('vladimir-putin'); keep one"
    ]


def test_field_on_wrong_region_and_orphan_field() -> None:
    """A kb_id on a date region, and a date_value whose region has no label."""
    task = to_task(small_doc(), KB)
    task["id"] = 2
    d = next(r for r in result_of(task) if r.get("from_name") == "date")
    result_of(task).append(
        {
            **copy.deepcopy(d),
            "from_name": "kb_id",
            "type": "textarea",
            "value": {"start": d["value"]["start"], "end": d["value"]["end"], "text": ["x"]},
        }
    )
    result_of(task).append(
        {
            "id": "zz",
            "from_name": "date_value",
            "to_name": "text",
            "type": "textarea",
            "value": {"start": 0, "end": 1, "text": ["2021"]},
        }
    )
    got = problems_of(task)
    assert any(
        "task 2, result 'date-0': kb_id on a date region (expected it only on entity regions)" in g
        for g in got
    ), got
    assert any(
        "task 2, result 'zz': date_value given for a region that has no label (expected a labeled region)"
        in g
        for g in got
    ), got


def test_alternatives_in_the_task_and_back() -> None:
    """Alternatives travel as one `start-end ...` value of the region's `alternatives` text
    area, in the gold's order; texts come back from the document; nested indirect quotes too."""
    doc = small_doc()
    t = doc.text
    kremlin, thursday = doc.entities[2], doc.dates[0]
    the = t.index("the Kremlin")
    on = t.index("on Thursday")
    said = t.rindex("said")
    doc = Document(
        doc.doc_id,
        t,
        doc.dct,
        doc.dct_reason,
        entities=(*doc.entities[:2], replace(kremlin, alternatives=(Span(the, kremlin.end, "x"),))),
        dates=(
            replace(
                thursday,
                alternatives=(
                    Span(on, thursday.end, "on Thursday"),
                    Span(thursday.start, thursday.start + 5, "Thurs"),
                ),
            ),
        ),
        quotes=(  # sorted by start, then end: the nested indirect quote first
            Quote(doc.quotes[0].start, doc.quotes[0].end - 6, "we", "indirect", None, None),
            doc.quotes[0],
        ),
    )
    task = json.loads(json.dumps(to_task(doc, KB)))
    fields = {
        r["id"]: r["value"]["text"] for r in result_of(task) if r.get("from_name") == "alternatives"
    }
    assert fields == {
        "ent-2": [f"{the}-{kremlin.end}"],
        "date-0": [f"{on}-{thursday.end} {thursday.start}-{thursday.start + 5}"],
    }
    back = from_task(task, kb=KB).annotations[0].document
    assert back.entities[2].alternatives == (Span(the, kremlin.end, "the Kremlin"),)
    assert back.dates == doc.dates
    assert back.quotes == doc.quotes
    assert said > 0


def test_bad_alternatives_name_task_region_and_value() -> None:
    """Every bad pair of an alternatives text area is one line naming task, region and value;
    alternatives on a quote, and one overlapping another entity, are refused too."""
    doc = small_doc()
    task = to_task(doc, KB)
    task["id"] = 5
    kremlin = next(r for r in result_of(task) if r["id"] == "ent-2")
    quote = next(r for r in result_of(task) if r["id"] == "quote-0")
    moscow = next(r for r in result_of(task) if r["id"] == "ent-1")
    k0, k1 = kremlin["value"]["start"], kremlin["value"]["end"]
    m0, m1 = moscow["value"]["start"], moscow["value"]["end"]
    bad = f"{k0}-{k1} x-3 {k0 - 4}-999 0-5 {k0 - 4}-{k1} {k0 - 4}-{k1}"

    def field(region: dict[str, Any], value: str) -> dict[str, Any]:
        v = region["value"]
        return {
            "id": region["id"],
            "from_name": "alternatives",
            "to_name": "text",
            "type": "textarea",
            "value": {"start": v["start"], "end": v["end"], "text": [value]},
        }

    result_of(task).extend(
        [
            field(kremlin, bad),
            field(quote, f"{quote['value']['start']}-{quote['value']['end'] + 1}"),
        ]
    )
    result_of(task).append(field(moscow, f"{m0}-{m1 + 1}"))  # `Moscow,`: a good one
    got = problems_of(task)
    where = "export.json: $[0].annotations[0]"
    i_k, i_q = len(result_of(task)) - 3, len(result_of(task)) - 2
    head = f"{where}.result[{i_k}]: task 5, result 'ent-2': alternatives {bad!r}"
    assert got[:6] == [
        f"{head}: {k0}-{k1} is the region's own extent (expected a different extent)",
        f"{head}: x-3 is not a start-end pair (expected code-point offsets such as 118-133, "
        "pairs separated by spaces)",
        f"{head}: {k0 - 4}-999 is outside the text of length {len(TEXT)} "
        "(expected 0 <= start < end <= len(text))",
        f"{head}: 0-5 'Putin' neither contains nor lies inside the region {k0}-{k1} 'Kremlin' "
        "(expected one of the two to contain the other)",
        f"{head}: {k0 - 4}-{k1} is listed twice (expected each extent once)",
        f"{where}.result[{i_q}]: task 5, result 'quote-0': alternatives on a quote region "
        "(expected it only on entity or date regions)",
    ]
    assert len(got) == 6, got[6:]

    overlapping = to_task(doc, KB)
    overlapping["id"] = 6
    moscow = next(r for r in result_of(overlapping) if r["id"] == "ent-1")
    result_of(overlapping).append(field(moscow, f"{m0}-{k1}"))
    (line,) = problems_of(overlapping)
    assert line.startswith(
        f"{where}.result[2]: task 6, result 'ent-1': $.entities[1].alternatives[0]: [{m0}:{k1}]"
    ), line
    assert "overlaps" in line


def test_overlapping_entities_and_changed_text() -> None:
    """Overlapping entities (gold rule), and a task whose text no longer matches its sha256."""
    task = to_task(small_doc(), KB)
    task["id"] = 4
    result_of(task).append(
        {
            "id": "x",
            "from_name": "entity",
            "to_name": "text",
            "type": "labels",
            "value": {"start": 1, "end": 4, "text": "uti", "labels": ["PER"]},
        }
    )
    result_of(task).append(
        {
            "id": "x",
            "from_name": "kb_id",
            "to_name": "text",
            "type": "textarea",
            "value": {"start": 1, "end": 4, "text": ["vladimir-putin"]},
        }
    )
    got = problems_of(task)
    assert any(
        g.startswith(
            "export.json: $[0].annotations[0].result[14]: task 4, result 'x': $.entities[1]: [1:4] 'uti' overlaps [0:5] 'Putin'"
        )
        for g in got
    ), got
    task2 = to_task(small_doc(), KB)
    task2["data"]["text"] = TEXT.replace("Putin", "Pútin")
    assert problems_of(task2) == [
        "export.json: $[0]: task None: data.text_sha256 "
        f"'{task['data']['text_sha256'][:57]}… (64 characters) is not the sha256 of data.text (the text was "
        "changed; expected the seed text unchanged)"
    ]


def test_predictions_exported_as_ids_only() -> None:
    """The UI's plain export gives prediction ids: a warning, and the annotations are read."""
    from newsgold.labelstudio.parse import read_task

    task = to_task(small_doc(), KB)
    task["id"] = 5
    task["predictions"] = [17, 18]
    from newsgold.labelstudio.export import read_export

    reading = read_task(task, kb=KB, source="export.json", index=0)
    assert (reading.problems, reading.warnings) == ((), ())
    assert reading.contents is not None
    assert reading.contents.prediction_ids == (17, 18)
    assert [str(w) for w in read_export([task], kb=KB, source="export.json").warnings] == [
        "export.json: $: the predictions of 1 task(s) are exported as ids only (the UI's plain "
        "export): not read; the annotations are (`newsgold ls pull` exports predictions whole)"
    ]
    assert reading.contents.annotations[0].document == small_doc()
    assert reading.contents.predictions == ()
    task["predictions"] = ["x"]
    assert problems_of(task) == [
        "export.json: $[0].predictions[0]: task 5: got 'x', expected a prediction object or its id"
    ]


def test_cancelled_annotations_are_counted_not_read() -> None:
    """A skipped annotation holds nothing to read; it is counted."""
    task = to_task(small_doc(), KB)
    task["annotations"].append({"result": [], "was_cancelled": True})
    back = from_task(task, kb=KB)
    assert (len(back.annotations), back.cancelled) == (1, 1)


def test_select_annotations() -> None:
    """One per task by default; --annotator picks; --by-annotator keeps all apart."""
    doc = small_doc()
    a = AnnotationSet(1, "a@x", doc)
    b = AnnotationSet(2, "b@x", doc)
    tasks = [TaskContents(7, "d1", (a, b))]
    with pytest.raises(ValidationError) as info:
        select_annotations(tasks, source="e.json")
    assert str(info.value) == (
        "e.json: $: task 7 (d1): 2 annotations (by a@x, b@x; expected one: choose with "
        "--annotator, or keep them apart with --by-annotator)"
    )
    assert select_annotations(tasks, annotator="b@x") == {"b@x": [doc]}
    assert select_annotations(tasks, by_annotator=True) == {"a@x": [doc], "b@x": [doc]}
    with pytest.raises(
        ValidationError, match=r"no submitted annotation by 'c@x' \(annotators: a@x, b@x\)"
    ):
        select_annotations(tasks, annotator="c@x")


# --------------------------------------------------------------------------- CLI (offline)


def test_export_tasks_then_import_round_trip(tmp_path: Path) -> None:
    """`ls export-tasks` then `ls import` gives back the gold files byte for byte."""
    runner = CliRunner()
    tasks = tmp_path / "tasks.json"
    result = runner.invoke(main, ["ls", "export-tasks", str(tasks), "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"ok: wrote 5 tasks to {tasks}\n"
    out = tmp_path / "out"
    result = runner.invoke(
        main, ["ls", "import", str(tasks), "--out", str(out), "--root", str(ROOT)]
    )
    assert result.exit_code == 0, result.output
    for path in sorted(out.iterdir()):
        assert path.read_bytes() == (ROOT / "annotations" / path.name).read_bytes()
    assert len(list(out.iterdir())) == 5


def test_import_with_one_bad_task_writes_the_others(tmp_path: Path) -> None:
    """One bad region in one task: exit 1, the error names task and result, the others written."""
    tasks = [to_task(d, load_gold(ROOT).kb) for d in load_gold(ROOT).docs.values()]
    tasks[3]["id"] = 44
    tasks[3]["annotations"][0]["result"][0]["value"]["labels"] = ["PERSON"]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["ls", "import", str(export), "--out", str(out), "--root", str(ROOT)]
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"ok: wrote 4 gold files to {out}\n"
        f"{export}: $[3].annotations[0].result[0]: task 44, result 'ent-0': unknown entity label "
        "'PERSON' (expected one of PER, ORG, GPE, LOC, NORP)\n1 problem in 1 file\n"
    )
    bad = tasks[3]["data"]["doc_id"]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{d}.json" for d in load_gold(ROOT).docs if d != bad
    )
    for path in out.iterdir():
        assert path.read_bytes() == (ROOT / "annotations" / path.name).read_bytes()


def test_import_text_not_the_seed(tmp_path: Path) -> None:
    """A task for a seed whose text was edited in Label Studio is refused."""
    gold = load_gold(ROOT)
    doc = next(iter(gold.docs.values()))
    edited = Document(doc.doc_id, doc.text + " ", doc.dct, doc.dct_reason)
    export = tmp_path / "export.json"
    export.write_text(json.dumps([to_task(edited, gold.kb)]), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["ls", "import", str(export), "--out", str(tmp_path / "o"), "--root", str(ROOT)]
    )
    assert result.exit_code == 1
    assert not (tmp_path / "o").exists()
    assert result.stderr == (
        f"ok: wrote 0 gold files to {tmp_path / 'o'}\n"
        f"{export}: $: document {doc.doc_id!r}: the task's text differs from "
        f"seeds/{doc.doc_id}.txt (expected the seed text unchanged)\n1 problem in 1 file\n"
    )


def test_export_tasks_with_foreign_labels_is_refused(tmp_path: Path) -> None:
    """Predictions in another label set cannot become pre-annotations for this config."""
    pred = tmp_path / "sys.jsonl"
    doc_id = sorted(load_gold(ROOT).docs)[0]
    pred.write_text(
        json.dumps({"doc_id": doc_id, "entities": [{"start": 0, "end": 7, "label": "NORP_X"}]})
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main,
        [
            "ls",
            "export-tasks",
            str(tmp_path / "t.json"),
            "--predictions",
            str(pred),
            "--root",
            str(ROOT),
        ],
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"{pred}:1: $.entities[0].label: unknown label 'NORP_X' (expected one of GPE, LOC, NORP, ORG, PER; "
        "or pass a --scheme)\n1 problem in 1 file\n"
    )
    assert not (tmp_path / "t.json").exists()


def test_from_export_needs_a_list_and_one_task_per_document() -> None:
    """Not a list; the same document in two tasks."""
    with pytest.raises(ValidationError, match=r"expected a list of tasks"):
        from_export({}, source="e.json")
    t1, t2 = to_task(small_doc(), KB), to_task(small_doc(), KB)
    t1["id"], t2["id"] = 1, 2
    with pytest.raises(ValidationError) as info:
        from_export([t1, t2], source="e.json")
    assert str(info.value) == (
        "e.json: $[1].data.doc_id: task 2: document 'd1' also in task 1 (expected one task per document)"
    )


def test_to_results_refuses_unlabeled_predictions() -> None:
    """A predicted span without a label or type cannot be shown in Label Studio."""
    with pytest.raises(ValidationError, match=r"\$\.entities\[0\]\.label: missing"):
        to_results("abc", [Entity(0, 1)], [], [])


def test_export_tasks_as_predictions(tmp_path: Path) -> None:
    """--as predictions: the gold as pre-annotations; with --predictions only the system's."""
    runner = CliRunner()
    out = tmp_path / "t.json"
    result = runner.invoke(
        main, ["ls", "export-tasks", str(out), "--as", "predictions", "--root", str(ROOT)]
    )
    assert result.exit_code == 0, result.output
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert [t["annotations"] for t in tasks] == [[]] * 5
    assert {p["model_version"] for t in tasks for p in t["predictions"]} == {"newsgold-gold"}
    gold = load_gold(ROOT)
    for contents in from_export(tasks, kb=gold.kb):
        (pred,) = contents.predictions
        doc = gold.docs[contents.doc_id]
        assert pred.prediction == Prediction(doc.doc_id, doc.entities, doc.dates, doc.quotes)

    doc_id = sorted(gold.docs)[0]
    pred_file = tmp_path / "my-sys.jsonl"
    pred_file.write_text(
        json.dumps(
            {"doc_id": doc_id, "entities": [{"start": 0, "end": 7, "label": "NORP", "score": 0.25}]}
        )
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        main,
        [
            "ls",
            "export-tasks",
            str(out),
            "--as",
            "predictions",
            "--predictions",
            str(pred_file),
            "--root",
            str(ROOT),
        ],
    )
    assert result.exit_code == 0, result.output
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert [len(t["predictions"]) for t in tasks] == [1, 0, 0, 0, 0]
    assert tasks[0]["predictions"][0]["model_version"] == "my-sys"
    assert tasks[0]["predictions"][0]["score"] == 0.25
    (back,) = from_task(tasks[0]).predictions
    # "Russian" names one KB entry with that label: its kb_id is suggested (files.with_kb_ids)
    assert back.prediction.entities == (
        Entity(0, 7, gold.docs[doc_id].text[:7], "NORP", "russian"),
    )


def test_annotator_options_exclude_each_other(tmp_path: Path) -> None:
    """--annotator and --by-annotator together is a usage error, before anything is read."""
    export = tmp_path / "e.json"
    export.write_text("[]", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "ls",
            "import",
            str(export),
            "--out",
            str(tmp_path / "o"),
            "--annotator",
            "a@x",
            "--by-annotator",
            "--root",
            str(ROOT),
        ],
    )
    assert result.exit_code == 1
    assert result.stderr == "error: --annotator and --by-annotator exclude each other (pick one)\n"


def test_missing_sdk_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without label-studio-sdk, push and pull say which extra to install."""
    import sys

    monkeypatch.setitem(sys.modules, "label_studio_sdk", None)  # makes the import fail
    result = CliRunner().invoke(
        main,
        ["ls", "pull", "--url", "http://127.0.0.1:9", "--api-key", "k", "--project", "1",
         "--out", str(tmp_path / "o")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        "error: label-studio-sdk is not installed: pip install 'newsgold[labelstudio]'\n"
    )


_SCORES = st.one_of(st.none(), st.floats(0, 1, allow_nan=False))


@settings(max_examples=100, deadline=None)
@given(documents(), st.data())
def test_prediction_round_trip_property(doc: Document, data: Any) -> None:
    """A prediction (unsorted is fine) comes back equal, region scores and model version kept."""
    ents = tuple(
        Entity(
            e.start,
            e.end,
            e.text,
            e.label,
            data.draw(st.sampled_from((None, e.kb_id))),
            data.draw(_SCORES),
        )
        for e in reversed(doc.entities)
    )
    dates = tuple(
        Date(d.start, d.end, d.text, d.type, d.value, d.mod, data.draw(_SCORES)) for d in doc.dates
    )
    quotes = tuple(
        Quote(q.start, q.end, q.text, q.kind, q.speaker, q.cue, data.draw(_SCORES))
        for q in doc.quotes
    )
    pred = Prediction(doc.doc_id, ents, dates, quotes)
    task = json.loads(json.dumps(to_task(doc, (), annotations=[], predictions=[("m-1", pred)])))
    (back,) = from_task(task).predictions
    assert back.model_version == "m-1"
    assert back.prediction == pred
    for got, want in (
        (back.prediction.entities, ents),
        (back.prediction.dates, dates),
        (back.prediction.quotes, quotes),
    ):
        assert [x.score for x in got or ()] == [x.score for x in want]


def test_annotators_own_dct_is_checked() -> None:
    """An annotator's DCT in the document-level text box must be a real date."""
    doc = small_doc()
    other = Document(doc.doc_id, doc.text, "2021-02-30", doc.dct_reason)
    task = to_task(doc, KB, annotations=[other])
    task["id"] = 8
    assert problems_of(task) == [
        "export.json: $[0].annotations[0].result[0]: task 8, result 'dct': $.dct: got "
        "'2021-02-30', expected a real calendar date YYYY-MM-DD"
    ]
