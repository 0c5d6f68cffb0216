"""The team setup of `newsgold ls push` and the labeling view's controls (issue 15), offline.

The server and browser side is in tests/test_ls_team_server.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsgold.cli import main
from newsgold.convert.label_studio import from_task, to_task
from newsgold.errors import UsageError, ValidationError
from newsgold.labelstudio import (
    GOLD_MODEL_VERSION,
    TaskProgress,
    Team,
    build_tasks,
    guideline_html,
    prediction_source,
    status_lines,
)
from newsgold.model import Document, Entity, KBEntry, Quote, Span
from newsgold.validate import load_gold

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Putin said “we agree” in Moscow."
KB = (
    KBEntry("moscow", "Moscow", "GPE", ("Moscow",)),
    KBEntry("vladimir-putin", "Vladimir Putin", "PER", ("Putin",)),
)


def doc() -> Document:
    said = TEXT.index("said")
    q0 = TEXT.index("we")
    return Document(
        "d1",
        TEXT,
        "2021-12-30",
        "r",
        entities=(Entity(0, 5, "Putin", "PER", "vladimir-putin"),),
        quotes=(
            Quote(q0, q0 + 8, "we agree", "direct", "vladimir-putin", Span(said, said + 4, "said")),
        ),
    )


def results(task: dict[str, Any]) -> list[dict[str, Any]]:
    return task["annotations"][0]["result"]  # type: ignore[no-any-return]


def problems(task: dict[str, Any], kb: Any = KB) -> list[str]:
    with pytest.raises(ValidationError) as info:
        from_task(task, kb=kb, source="e.json", index=0)
    return [str(p) for p in info.value.problems]


# --------------------------------------------------------------------------- kb_id from the list


def test_kb_id_is_a_pick_from_the_list_and_comes_back_exactly() -> None:
    """kb_id travels as a per-region taxonomy pick [[kb_id]]; a text area (older projects) too."""
    task = json.loads(json.dumps(to_task(doc(), KB)))
    (pick,) = [r for r in results(task) if r.get("from_name") == "kb_id"]
    assert (pick["type"], pick["value"]) == (
        "taxonomy",
        {"start": 0, "end": 5, "taxonomy": [["vladimir-putin"]]},
    )
    assert from_task(task, kb=KB).annotations[0].document == doc()
    pick["type"], pick["value"] = "textarea", {"start": 0, "end": 5, "text": ["vladimir-putin"]}
    assert from_task(task, kb=KB).annotations[0].document == doc()


def test_two_picks_are_refused() -> None:
    """A kb_id list allows one pick; two name the region and say what to do."""
    task = to_task(doc(), KB)
    task["id"] = 4
    (pick,) = [r for r in results(task) if r.get("from_name") == "kb_id"]
    pick["value"]["taxonomy"] = [["vladimir-putin"], ["moscow"]]
    assert problems(task)[0] == (
        "e.json: $[0].annotations[0].result[1]: task 4, result 'ent-0': kb_id is "
        '["vladimir-putin", "moscow"] (expected exactly one entry picked from the list)'
    )


def _propose(task: dict[str, Any], new: str, keep_pick: bool) -> None:
    res = results(task)
    (i,) = [k for k, r in enumerate(res) if r.get("from_name") == "kb_id"]
    if not keep_pick:
        del res[i]
    res.append(
        {"id": "ent-0", "from_name": "new_kb_id", "to_name": "text", "type": "textarea",
         "value": {"start": 0, "end": 5, "text": [new]}}
    )  # fmt: skip


def test_a_proposed_new_kb_id_becomes_the_kb_id() -> None:
    """new_kb_id is the entity's kb_id: refused while kb.json lacks it, exact once it is there."""
    task = to_task(doc(), KB)
    task["id"] = 5
    _propose(task, "v-putin", keep_pick=False)
    got = problems(task)
    assert (
        "e.json: $[0].annotations[0].result[0]: task 5, result 'ent-0': $.entities[0].kb_id: "
        "unknown kb_id 'v-putin' (expected an id in kb.json; add the entity there)"
    ) in got
    kb = (*KB, KBEntry("v-putin", "V. Putin", "PER", ("Putin",)))
    back = from_task(task, kb=kb).annotations[0].document
    assert back.entities[0].kb_id == "v-putin"
    assert back.quotes[0].speaker == "v-putin"  # the speaker relation follows the entity


def test_picking_one_and_proposing_another_is_refused() -> None:
    task = to_task(doc(), KB)
    task["id"] = 6
    _propose(task, "v-putin", keep_pick=True)
    assert (
        "e.json: $[0].annotations[0].result[0]: task 6, result 'ent-0': kb_id 'vladimir-putin' "
        "picked from the list and new kb_id 'v-putin' proposed (expected one of the two; clear "
        "the other)"
    ) in problems(task)
    task2 = to_task(doc(), KB)
    _propose(task2, "vladimir-putin", keep_pick=True)  # the same id twice: no contradiction
    assert from_task(task2, kb=KB).annotations[0].document == doc()


# --------------------------------------------------------------------------- relations


def test_relations_without_a_label_are_named_by_their_target() -> None:
    """The two-click relation (no label menu): to an entity it is the speaker, to a cue the cue."""
    task = to_task(doc(), KB)
    for r in results(task):
        if r.get("type") == "relation":
            del r["labels"]
    assert from_task(task, kb=KB).annotations[0].document == doc()
    for r in results(task):
        if r.get("type") == "relation":
            r["labels"] = []
    assert from_task(task, kb=KB).annotations[0].document == doc()


def test_an_unlabeled_relation_to_another_quote_is_refused() -> None:
    d = doc()
    two = Document(d.doc_id, d.text, d.dct, d.dct_reason, d.entities, (),
                   (d.quotes[0], Quote(d.quotes[0].start, d.quotes[0].start + 2, "we", "indirect")))  # fmt: skip
    task = to_task(two, KB)
    task["id"] = 9
    results(task).append({"type": "relation", "from_id": "quote-0", "to_id": "quote-1"})
    (line,) = problems(task)
    assert line.endswith(
        "task 9: relation quote-0 -> quote-1 without a label links a quote to a quote region "
        "(expected from a quote to an entity, the speaker, or to a cue region, the cue)"
    ), line


def test_a_label_contradicting_the_target_is_still_refused() -> None:
    task = to_task(doc(), KB)
    task["id"] = 2
    for r in results(task):
        if r.get("type") == "relation" and r["labels"] == ["cue"]:
            r["labels"] = ["speaker"]
    assert any(
        "speaker relation from a quote to a cue region (expected from a quote to an entity)" in p
        for p in problems(task)
    )


# --------------------------------------------------------------------------- what push sends


def test_docs_subset_and_unknown_doc() -> None:
    gold = load_gold(ROOT)
    first, third = sorted(gold.docs)[0], sorted(gold.docs)[2]
    tasks, _ = build_tasks(ROOT, as_="none", docs=[third, first])
    assert [t["data"]["doc_id"] for t in tasks] == [third, first]
    assert [t["annotations"] for t in tasks] == [[], []]
    assert [t["predictions"] for t in tasks] == [[], []]
    with pytest.raises(UsageError) as info:
        build_tasks(ROOT, docs=[first, "nope"])
    assert str(info.value) == (
        "--docs: no gold document 'nope' (expected doc_ids of annotations/*.json; new texts go "
        "with --texts)"
    )


def test_new_texts_have_no_gold_and_their_stem_as_doc_id(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "n_1.txt").write_bytes("Putin said “yes”.\r\n".encode())
    (folder / "n-2.txt").write_text("Moscow.", encoding="utf-8")
    (folder / "notes.md").write_text("not a text", encoding="utf-8")
    tasks, _ = build_tasks(ROOT, as_="annotations", docs=[], texts=[folder])
    assert [(t["data"]["doc_id"], t["data"]["text"], t["annotations"]) for t in tasks] == [
        ("n-2", "Moscow.", []),
        ("n_1", "Putin said “yes”.\r\n", []),  # the bytes, untouched
    ]
    assert tasks[0]["data"]["dct"] == "" and "new document" in tasks[0]["data"]["header"]
    # pulled back without a DCT, the annotator is told to fill it in
    assert any("$.dct" in p for p in problems({**tasks[0], "annotations": [{"result": []}]}))

    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValidationError, match=r"empty: \$: no \*\.txt file in the folder"):
        build_tasks(ROOT, docs=[], texts=[empty])
    with pytest.raises(UsageError, match=r"nothing to push: --docs '' and no --texts"):
        build_tasks(ROOT, docs=[])

    bad = tmp_path / "bad name.txt"
    bad.write_text("x", encoding="utf-8")
    taken = tmp_path / f"{sorted(load_gold(ROOT).docs)[0]}.txt"
    taken.write_text("x", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        build_tasks(ROOT, docs=[], texts=[bad, taken])
    assert [str(p) for p in info.value.problems] == [
        f"{bad}: $: file stem 'bad name' is not a doc_id (expected letters, digits, _ . - and a "
        "letter or digit first)",
        f"{taken}: $: doc_id {taken.stem!r} already has gold (expected a new document; push it "
        f"with --docs {taken.stem})",
    ]


def test_the_spacy_baseline_goes_in_through_its_scheme(tmp_path: Path) -> None:
    """A submission folder names its predictions (system_id) and projects them (its scheme):
    PERSON becomes PER, DATE/TIME entities become dates, the rest is set aside and counted."""
    sub = ROOT / "eval" / "submissions" / "spacy-sm"
    notes: list[str] = []
    tasks, _ = build_tasks(ROOT, as_="none", predictions=prediction_source(sub), notes=notes)
    versions = {p["model_version"] for t in tasks for p in t["predictions"]}
    assert versions == {"spacy-sm"}
    labels = {
        r["value"]["labels"][0]
        for t in tasks
        for p in t["predictions"]
        for r in p["result"]
        if r.get("from_name") == "entity"
    }
    assert "PER" in labels and labels <= {"PER", "ORG", "GPE", "LOC", "NORP"}
    raw = [json.loads(x) for x in (sub / "predictions.jsonl").read_text().splitlines()]
    cardinals = sum(e["label"] == "CARDINAL" for r in raw for e in r.get("entities", []))
    (note,) = notes
    assert note.startswith(
        "spacy-sm: set aside labels the gold does not annotate (scheme ontonotes): "
    )
    assert f"{cardinals} CARDINAL" in note
    # the same file given alone is named by --model-version, and needs --scheme
    assert prediction_source(sub / "predictions.jsonl").model_version == "spacy-sm"
    copy = tmp_path / "spacy.jsonl"
    copy.write_bytes((sub / "predictions.jsonl").read_bytes())
    with pytest.raises(ValidationError, match=r"unknown label 'PERSON'.*or pass a --scheme"):
        build_tasks(ROOT, as_="none", predictions=prediction_source(copy))
    src = prediction_source(copy, scheme="ontonotes", model_version="spacy 3.8")
    tasks2, _ = build_tasks(ROOT, as_="none", predictions=src)
    assert {p["model_version"] for t in tasks2 for p in t["predictions"]} == {"spacy 3.8"}
    with pytest.raises(
        UsageError, match=r"--scheme conll: its labels MISC are not in the labeling config"
    ):
        build_tasks(ROOT, predictions=prediction_source(copy, scheme="conll"))


def test_push_options_that_need_predictions(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["ls", "export-tasks", str(tmp_path / "t.json"), "--scheme", "ontonotes",
               "--root", str(ROOT)],
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --scheme and --model-version describe --predictions (give it too)\n"
    )


def test_export_tasks_of_a_subset_and_new_texts(tmp_path: Path) -> None:
    text = tmp_path / "fresh.txt"
    text.write_text("Putin spoke.", encoding="utf-8")
    first = sorted(load_gold(ROOT).docs)[0]
    out = tmp_path / "t.json"
    result = CliRunner().invoke(
        main, ["ls", "export-tasks", str(out), "--as", "predictions", "--docs", first,
               "--texts", str(text), "--root", str(ROOT)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert [
        (t["data"]["doc_id"], [p["model_version"] for p in t["predictions"]]) for t in tasks
    ] == [
        (first, [GOLD_MODEL_VERSION]),
        ("fresh", []),
    ]


# --------------------------------------------------------------------------- team settings, status


def test_team_settings() -> None:
    """N annotators each get every task; the gold as an annotation counts towards the maximum."""
    assert Team(2, "<p>x</p>").settings() == {
        "maximum_annotations": 2,
        "overlap_cohort_percentage": 100,
        "show_overlap_first": True,
        "expert_instruction": "<p>x</p>",
        "show_instruction": True,
        "show_skip_button": True,
        "show_collab_predictions": False,
    }
    s = Team(3, "", model_version="spacy-sm", extra_annotations=1).settings()
    assert (s["maximum_annotations"], s["model_version"], s["show_collab_predictions"]) == (
        4,
        "spacy-sm",
        True,
    )


def test_guideline_html_is_the_rendered_guideline() -> None:
    html = guideline_html(ROOT)
    md = (ROOT / "annotations" / "GUIDELINES.md").read_text(encoding="utf-8")
    first = md.splitlines()[0].lstrip("# ")
    assert html.startswith(f"<h1>{first}</h1>")
    assert len(re.findall(r"<h2>", html)) == len(re.findall(r"(?m)^## ", md))
    assert "<table>" in html or "|" not in md


def test_status_lines_list_every_state_and_every_annotator() -> None:
    tasks = [
        TaskProgress(1, "a", frozenset({"x@t", "y@t"}), frozenset(), frozenset()),
        TaskProgress(2, "b", frozenset(), frozenset({"x@t"}), frozenset({"z@t"})),
    ]
    lines = status_lines(tasks, ["y@t", "x@t"])
    assert lines[0].split() == ["task", "doc_id", "y@t", "x@t", "z@t"]  # z: not asked, but seen
    assert lines[1].split() == ["1", "a", "submitted", "submitted", "missing"]
    assert lines[2].split() == ["2", "b", "missing", "draft", "skipped"]
    assert [ln.split() for ln in lines[4:]] == [
        ["annotator", "submitted", "draft", "skipped", "missing"],
        ["y@t", "1", "0", "0", "1"],
        ["x@t", "1", "1", "0", "0"],
        ["z@t", "0", "0", "1", "1"],
    ]


def test_preannotations_get_the_kb_ids_the_kb_gives() -> None:
    """The spaCy baseline's entities get kb_id suggestions where their text names one KB entry
    of their label, and its speakers (names) become kb_ids, linked to a mention when there is one;
    checked against the KB independently of the resolver."""
    gold = load_gold(ROOT)
    sub = ROOT / "eval" / "submissions" / "spacy-sm"
    tasks, _ = build_tasks(ROOT, as_="none", predictions=prediction_source(sub))
    by_form: dict[str, set[str]] = {}
    for k in gold.kb:
        for form in (k.name, *k.aliases):
            by_form.setdefault(form.casefold(), set()).add(k.kb_id)
    label_of = {k.kb_id: k.label for k in gold.kb}
    suggested = unresolved = 0
    for t in tasks:
        (pred,) = from_task(t).predictions
        for e in pred.prediction.entities or ():
            hits = by_form.get((e.text or "").casefold(), set())
            want = next(iter(hits)) if len(hits) == 1 else None
            if want is not None and label_of[want] != e.label:
                want = None
            assert e.kb_id == want, e
            suggested += e.kb_id is not None
            unresolved += e.kb_id is None
        for q in pred.prediction.quotes or ():
            assert (
                q.speaker is None
                or q.speaker in label_of
                or len(by_form.get(q.speaker.casefold(), ())) != 1
            )
    assert suggested > 20 and unresolved > 0


def test_a_folder_that_is_no_submission_is_refused(tmp_path: Path) -> None:
    """A folder given to --predictions is read as a submission, checked like the leaderboard's."""
    folder = tmp_path / "my-run"
    folder.mkdir()
    (folder / "predictions.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(UsageError) as info:
        prediction_source(folder)
    assert str(info.value) == (
        f"--predictions {folder}: not a submission folder (my-run/submission.json: $: no such file)"
    )
    # a file of another name beside a submission.json is just a file
    (folder / "submission.json").write_text("{}", encoding="utf-8")
    other = folder / "other.jsonl"
    other.write_text("", encoding="utf-8")
    assert prediction_source(other).model_version == "other"
