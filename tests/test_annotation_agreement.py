"""`newsgold agree` over partial work: pairs, layers, mean and worst pair, disagreements.

The figures are checked against hand-computed cases on a tiny project and
against an independent count (set intersection) on random annotation sets.
The docs file docs/annotation-agreement.md is run here block by block.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsgold.agreement import pairwise_agreement, split_document
from newsgold.cli import main
from newsgold.jsonio import document_to_json, dumps_json
from newsgold.model import Date, Document, Entity, Gold

ROOT = Path(__file__).resolve().parents[1]

D1 = "Putin met Biden in Moscow on Monday.\n"
D2 = "Russian troops left Kiev <script>x</script> today.\n"
KB = [
    {"kb_id": "joe-biden", "name": "Joe Biden", "label": "PER", "aliases": ["Biden"]},
    {"kb_id": "kiev", "name": "Kiev", "label": "GPE", "aliases": ["Kiev"]},
    {"kb_id": "moscow", "name": "Moscow", "label": "GPE", "aliases": ["Moscow"]},
    {"kb_id": "russia", "name": "Russia", "label": "GPE", "aliases": ["Russia", "Russian"]},
    {"kb_id": "russian", "name": "Russian", "label": "NORP", "aliases": ["Russian"]},
    {"kb_id": "vladimir-putin", "name": "Vladimir Putin", "label": "PER", "aliases": ["Putin"]},
    {"kb_id": "x-org", "name": "X", "label": "ORG", "aliases": ["x"]},
]


def ent(text: str, word: str, label: str, kb_id: str) -> Entity:
    s = text.index(word)
    return Entity(s, s + len(word), word, label, kb_id)


def date(text: str, word: str, value: str) -> Date:
    s = text.index(word)
    return Date(s, s + len(word), word, "DATE", value, None)


def doc(doc_id: str, text: str, ents: tuple[Entity, ...], dates: tuple[Date, ...]) -> Document:
    return Document(doc_id, text, "2021-12-30", "test", entities=ents, dates=dates)


A = {
    "d1": doc(
        "d1",
        D1,
        (
            ent(D1, "Putin", "PER", "vladimir-putin"),
            ent(D1, "Biden", "PER", "joe-biden"),
            ent(D1, "Moscow", "GPE", "moscow"),
        ),
        (date(D1, "Monday", "2021-12-27"),),
    ),
    "d2": doc(
        "d2",
        D2,
        (
            ent(D2, "Russian", "NORP", "russian"),
            ent(D2, "Kiev", "GPE", "kiev"),
            ent(D2, "x", "ORG", "x-org"),
        ),
        (date(D2, "today", "2021-12-30"),),
    ),
}
B = {
    "d1": doc("d1", D1, A["d1"].entities[:2], A["d1"].dates),
    "d2": doc(
        "d2", D2, (ent(D2, "Russian", "GPE", "russia"), *A["d2"].entities[1:]), A["d2"].dates
    ),
}
C = {"d1": doc("d1", D1, A["d1"].entities, ())}


def write_folder(folder: Path, docs: dict[str, Document]) -> Path:
    folder.mkdir(parents=True)
    for d in docs.values():
        (folder / f"{d.doc_id}.json").write_text(dumps_json(document_to_json(d)), encoding="utf-8")
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A two-document project: seeds with their manifest, a KB, three annotators' folders."""
    root = tmp_path / "proj"
    (root / "seeds").mkdir(parents=True)
    (root / "annotations").mkdir()
    sums = []
    for name, text in (("d1", D1), ("d2", D2)):
        (root / "seeds" / f"{name}.txt").write_text(text, encoding="utf-8")
        sums.append(f"{hashlib.sha256(text.encode()).hexdigest()}  {name}.txt")
    (root / "seeds" / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    (root / "annotations" / "kb.json").write_text(json.dumps(KB, indent=2), encoding="utf-8")
    write_folder(root / "a", A)
    write_folder(root / "b", B)
    write_folder(root / "c", C)
    return root


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_hand_computed_three_annotators(tiny: Path) -> None:
    """A/B share d1, d2; C only d1. Entities by span+label, dates by span, by hand:

    A/B: entities A 6, B 5, 4 strict matches (Russian NORP vs GPE differs, B lacks Moscow)
    → 2·4/11; dates 2, 2, 2 → 1. A/C (d1): entities 3, 3, 3 → 1; dates 1, 0, 0 → 0.
    B/C (d1): entities 2, 3, 2 → 0.8; dates 1, 0 → 0. Mean entities (8/11 + 1 + 0.8)/3.
    """
    res = run(
        "agree", str(tiny / "a"), str(tiny / "b"), str(tiny / "c"), "--json", "-",
        "--bootstrap", "0", "--root", str(tiny),
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    pairs = {(p["a"].split("/")[-1], p["b"].split("/")[-1]): p for p in data["pairs"]}
    assert pairs["a", "b"]["documents"] == ["d1", "d2"]
    assert pairs["a", "c"]["documents"] == ["d1"]
    assert pairs["a", "b"]["f1"] == {
        "entities": round(8 / 11, 6),
        "dates": 1.0,
        "quotes": None,
    }
    assert pairs["a", "c"]["f1"] == {"entities": 1.0, "dates": 0.0, "quotes": None}
    assert pairs["b", "c"]["f1"] == {"entities": 0.8, "dates": 0.0, "quotes": None}
    ents = data["summary"]["entities"]
    assert ents["pairs"] == 3
    assert ents["mean_f1"] == round((8 / 11 + 1 + 0.8) / 3, 6)
    assert ents["worst"] == {"a": str(tiny / "a"), "b": str(tiny / "b"), "f1": round(8 / 11, 6)}
    assert data["summary"]["dates"]["mean_f1"] == round(1 / 3, 6)
    assert data["summary"]["dates"]["worst"]["f1"] == 0.0
    assert data["summary"]["quotes"] == {"pairs": 0, "mean_f1": None, "worst": None}
    # the disagreement list of A/B: Moscow (only A) and Russian (NORP russian vs GPE russia)
    dis = pairs["a", "b"]["disagreements"]
    assert [(d["doc_id"], d["text"], len(d["a"]), len(d["b"])) for d in dis] == [
        ("d1", "Moscow", 1, 0),
        ("d2", "Russian", 1, 1),
    ]
    assert (dis[1]["a"][0]["label"], dis[1]["b"][0]["label"]) == ("NORP", "GPE")
    # the engine's full report is kept per pair
    assert pairs["a", "b"]["report"]["entities"]["strict"]["correct"] == 4


def test_unused_kb_entry_and_missing_documents_are_fine(tiny: Path) -> None:
    """C uses neither kiev nor x-org and has no d2: no KB complaint, no missing-document error."""
    res = run("agree", str(tiny / "a"), str(tiny / "c"), "--bootstrap", "0", "--root", str(tiny))
    assert res.exit_code == 0, res.output
    assert "used by no mention" not in res.output
    assert "kb.json" not in res.output
    # the real gold: a folder without the only Reuters mention
    gold_dir = ROOT / "annotations"
    folder = tiny.parent / "no_reuters"
    folder.mkdir()
    for path in sorted(gold_dir.glob("0*.json"))[:3]:
        obj = json.loads(path.read_text(encoding="utf-8"))
        obj["entities"] = [e for e in obj["entities"] if e["kb_id"] != "reuters"]
        obj["quotes"] = [q for q in obj["quotes"] if q["speaker"] != "reuters"]
        (folder / path.name).write_text(dumps_json(obj), encoding="utf-8")
    res = run("agree", str(gold_dir), str(folder), "--bootstrap", "0", "--root", str(ROOT))
    assert res.exit_code == 0, res.output
    assert "used by no mention" not in res.output
    assert "| 3 |" in res.stdout  # three documents in common


def test_markdown_and_html_list_the_disagreements_escaped(tiny: Path) -> None:
    """Markdown by default; --html escapes the document's own text (a <script> in it)."""
    page = tiny.parent / "agree.html"
    b = tiny / "b"
    # B marks the `x` inside <script>x</script> with another kb_id... as a different label
    objs = json.loads((b / "d2.json").read_text(encoding="utf-8"))
    objs["entities"] = [e for e in objs["entities"] if e["text"] != "x"]
    (b / "d2.json").write_text(dumps_json(objs), encoding="utf-8")
    res = run(
        "agree", str(tiny / "a"), str(b), "--html", str(page), "--bootstrap", "0",
        "--root", str(tiny),
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    md = res.stdout
    assert "## Disagreements of" in md
    assert "| d1 | entities | [19:25] Moscow | GPE moscow [19:25] “Moscow” | (nothing) |" in md
    assert "NORP russian [0:7] “Russian”" in md and "GPE russia [0:7] “Russian”" in md
    html = page.read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "ORG x-org [33:34] “x”" in html
    assert html.count("<tr>") >= 4


def test_subset_of_documents_and_layers(tiny: Path) -> None:
    """--docs and --layers restrict what is compared."""
    res = run(
        "agree", str(tiny / "a"), str(tiny / "b"), "--docs", "d2", "--layers", "entities",
        "--json", "-", "--bootstrap", "0", "--root", str(tiny),
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    (pair,) = json.loads(res.stdout)["pairs"]
    assert pair["documents"] == ["d2"]
    assert pair["f1"] == {"entities": round(2 * 2 / 6, 6)}
    assert [d["text"] for d in pair["disagreements"]] == ["Russian"]


def test_bad_folder_is_one_line_per_problem(tiny: Path) -> None:
    """An annotator's file that does not validate: its problems, exit 1, no traceback."""
    bad = tiny / "b" / "d1.json"
    obj = json.loads(bad.read_text(encoding="utf-8"))
    obj["entities"][0]["end"] = 3  # 'Put' inside 'Putin', text no longer the slice
    bad.write_text(dumps_json(obj), encoding="utf-8")
    res = run("agree", str(tiny / "a"), str(tiny / "b"), "--root", str(tiny))
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    assert re.search(r"b/d1\.json:\d+: \$\.entities\[0\]", res.stderr), res.stderr
    one = run("agree", str(tiny / "a"), "--root", str(tiny))
    assert one.exit_code == 1
    assert one.stderr == "error: agree needs at least two annotation folders (DIR_A DIR_B)\n"


# --------------------------------------------------------------------------- random inputs


def _reference_f1(x: set[tuple[Any, ...]], y: set[tuple[Any, ...]]) -> float | None:
    """Pairwise F1 by set intersection: 2|X∩Y| / (|X| + |Y|), undefined with no item."""
    if not x and not y:
        return None
    return 2 * len(x & y) / (len(x) + len(y))


def test_random_sets_equal_an_independent_count() -> None:
    """Random annotators over random subsets of 6 documents: every pair's entity (span and
    label) and date (span) F1, the mean and the worst pair, equal a set-intersection count."""
    rng = random.Random(15)
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()
    text = " ".join(words) + "."
    starts = [text.index(w) for w in words]
    labels = ("PER", "ORG", "GPE")
    for _round in range(30):
        n_ann = rng.choice((2, 3, 4))
        sets: dict[str, Gold] = {}
        for k in range(n_ann):
            docs = {}
            for d in range(6):
                if rng.random() < 0.3:
                    continue  # this annotator has not done this document
                ents, dates = [], []
                for w, s in zip(words, starts, strict=True):
                    r = rng.random()
                    if r < 0.35:
                        ents.append(Entity(s, s + len(w), w, rng.choice(labels), None))
                    elif r < 0.5:
                        dates.append(Date(s, s + len(w), w, "DATE", "2021-12-30", None))
                docs[f"d{d}"] = Document(
                    f"d{d}", text, "2021-12-30", "r", tuple(ents), tuple(dates)
                )
            sets[f"ann{k}"] = Gold(docs, ())
        result = pairwise_agreement(sets, layers=("entities", "dates"))
        summary = result.summary()
        expected: dict[str, list[tuple[float, str, str]]] = {"entities": [], "dates": []}
        for (x, gx), (y, gy) in itertools.combinations(sets.items(), 2):
            common = sorted(set(gx.docs) & set(gy.docs))
            pair = next(p for p in result.pairs if (p.a, p.b) == (x, y))
            assert list(pair.doc_ids) == common
            for layer in ("entities", "dates"):

                def keys(
                    g: Gold, common: list[str] = common, layer: str = layer
                ) -> set[tuple[Any, ...]]:
                    return {
                        (d, i.start, i.end, getattr(i, "label", None))
                        for d in common
                        for i in getattr(g.docs[d], layer)
                    }

                ref = _reference_f1(keys(gx), keys(gy)) if common else None
                got = pair.f1[layer]
                if ref is None:
                    assert got is None or (common and got != got)
                else:
                    assert got == pytest.approx(ref, abs=1e-9), (x, y, layer)
                    expected[layer].append((ref, x, y))
                # disagreements: exactly the items not shared, grouped (single words: one each)
                shared = keys(gx) & keys(gy)
                n_items = len(keys(gx) - shared) + len(keys(gy) - shared)
                grouped = [d for d in pair.disagreements if d.layer == layer]
                assert sum(len(d.a) + len(d.b) for d in grouped) == n_items
        for layer, figs in expected.items():
            if not figs:
                continue
            assert summary[layer]["mean_f1"] == pytest.approx(
                sum(f for f, _, _ in figs) / len(figs)
            )
            assert summary[layer]["worst"]["f1"] == pytest.approx(min(f for f, _, _ in figs))


def test_split_document_is_symmetric_and_complete() -> None:
    """Agreed items plus both sides of the disagreements give back each annotator's items."""
    a, b = A["d2"], B["d2"]
    agreed, dis = split_document(a, b)
    agreed_b, dis_b = split_document(b, a)
    assert agreed["entities"] == agreed_b["entities"]
    assert [(d.a, d.b) for d in dis] == [(d.b, d.a) for d in dis_b]
    items_a = agreed["entities"] + [x for d in dis for x in d.reading_a()]
    assert sorted(json.dumps(x, sort_keys=True) for x in items_a) == sorted(
        json.dumps(x, sort_keys=True) for x in document_to_json(a)["entities"]
    )


def test_a_different_document_date_is_a_disagreement(tiny: Path) -> None:
    """The dct sets every relative date's value: two readings of it are listed (layer dct),
    even where every span agrees."""
    moved = {**A, "d2": doc("d2", D2, A["d2"].entities, A["d2"].dates)}
    moved["d2"] = Document(
        "d2", D2, "2021-12-29", "other", entities=A["d2"].entities, dates=A["d2"].dates
    )
    write_folder(tiny / "a2", moved)
    res = run(
        "agree", str(tiny / "a"), str(tiny / "a2"), "--json", "-", "--bootstrap", "0",
        "--root", str(tiny),
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    (pair,) = json.loads(res.stdout)["pairs"]
    assert pair["f1"]["entities"] == 1.0 and pair["f1"]["dates"] == 1.0
    assert [(d["doc_id"], d["layer"], d["a"], d["b"]) for d in pair["disagreements"]] == [
        (
            "d2",
            "dct",
            [{"dct": "2021-12-30", "dct_reason": "test"}],
            [{"dct": "2021-12-29", "dct_reason": "other"}],
        )
    ]
    md = run("agree", str(tiny / "a"), str(tiny / "a2"), "--bootstrap", "0", "--root", str(tiny))
    assert "dct 2021-12-29 (“other”)" in md.stdout
    # the same date with its reason worded otherwise is no disagreement
    reworded = {**A, "d2": Document("d2", D2, "2021-12-30", "reworded", entities=A["d2"].entities,
                                    dates=A["d2"].dates)}  # fmt: skip
    write_folder(tiny / "a3", reworded)
    res = run(
        "agree", str(tiny / "a"), str(tiny / "a3"), "--json", "-", "--bootstrap", "0",
        "--root", str(tiny),
    )  # fmt: skip
    assert json.loads(res.stdout)["pairs"][0]["disagreements"] == []


def test_one_folder_by_two_spellings_is_refused(tiny: Path) -> None:
    """`a` and `b/../a` are one folder: agreeing with oneself is refused, not scored 1.0."""
    res = CliRunner().invoke(
        main, ["agree", str(tiny / "a"), str(tiny / "b" / ".." / "a"), "--root", str(tiny)]
    )
    assert res.exit_code == 1
    assert "are the same folder (expected different annotators' folders)" in res.output


def test_unknown_document_in_docs_is_named(tiny: Path) -> None:
    """A typo in --docs is named, not reported as 'no document in common'."""
    res = CliRunner().invoke(
        main,
        ["agree", str(tiny / "a"), str(tiny / "b"), "--docs", "d1,nosuch", "--root", str(tiny)],
    )
    assert res.exit_code == 1
    assert "no annotation set holds 'nosuch'" in res.output
    assert "in common" not in res.output


def test_adjudicated_gold_never_overwrites_an_annotator(tiny: Path) -> None:
    """`ls adjudicate --pull --out DIR_A` would destroy what the next pull reads: refused before
    any server is asked (the URL here answers nothing)."""
    before = sorted((p.name, p.read_bytes()) for p in (tiny / "a").iterdir())
    res = CliRunner().invoke(
        main,
        ["ls", "adjudicate", str(tiny / "a"), str(tiny / "b"), "--pull", "1", "--out",
         str(tiny / "a"), "--url", "http://127.0.0.1:9", "--api-key", "x", "--root", str(tiny)],
    )  # fmt: skip
    assert res.exit_code == 1, res.output
    assert "is also an input of this command" in res.output
    assert sorted((p.name, p.read_bytes()) for p in (tiny / "a").iterdir()) == before


def test_a_stale_review_task_is_not_awaiting_review() -> None:
    """A review task whose reading of B is no longer B's folder is reported and recorded as left
    out because a folder changed, not as awaiting review; with the folders unchanged the same
    export is reviewed (the export is built from review_tasks, as Label Studio returns it)."""
    import copy
    import dataclasses

    from newsgold.labelstudio.adjudicate import adjudicated, plan_review, review_tasks
    from newsgold.validate import load_gold

    gold = load_gold(ROOT)
    ids = sorted(gold.docs)[:2]
    a = {d: gold.docs[d] for d in ids}
    first = a[ids[0]]
    b = {**a, ids[0]: dataclasses.replace(first, entities=first.entities[1:])}
    plan = plan_review("a@x.test", a, "b@x.test", b)
    export = []
    for i, task in enumerate(review_tasks(plan, gold.kb), start=1):
        task = copy.deepcopy(task)
        task["id"] = i
        for j, pred in enumerate(task["predictions"]):
            pred["id"] = 100 + j
        reading = task["predictions"][0]["result"]
        task["annotations"] = [
            {"id": 50 + i, "completed_by": {"email": "r@x.test"}, "result": reading,
             "was_cancelled": False}
        ]  # fmt: skip
        export.append(task)
    fresh = adjudicated(plan, export, kb=gold.kb, project=7, source="export.json")
    assert fresh.record["documents"] == {ids[0]: "reviewed", ids[1]: "agreed"}
    assert not fresh.problems
    b_later = {**b, ids[0]: dataclasses.replace(first, entities=first.entities[2:])}
    later = plan_review("a@x.test", a, "b@x.test", b_later)
    stale = adjudicated(later, export, kb=gold.kb, project=7, source="export.json")
    assert stale.record["documents"][ids[0]] == (
        "left out: a folder changed since the review project was made"
    )
    assert stale.awaiting == ()
    assert ids[0] not in stale.documents
    assert [str(p) for p in stale.problems] == [
        f"export.json: $: task 1 ({ids[0]}): the prediction of 'b@x.test' is not b@x.test's "
        "folder as it is now (changed since the review project was made? make a new one with "
        "`newsgold ls adjudicate`)"
    ]
