"""score_jsonl (the vectorised file path) gives exactly the reference path's report and problems."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.errors import ValidationError
from newsgold.model import Date, Document, Entity, Gold, KBEntry, Quote
from newsgold.scoring import fast, get_scheme, score, score_jsonl
from newsgold.validate import iter_predictions

LABELS = ("PER", "ORG", "GPE", "LOC", "NORP")
TEXT = 'Putin said "no" in Moscow; NATO and Biden\\Harris met. Russia, Ukraine and the EU ' * 2


def _gold(n_docs: int = 7) -> Gold:
    rng = random.Random(1)
    docs = {}
    for i in range(n_docs):
        ents = []
        pos = 0
        while pos < len(TEXT) - 12:
            pos += rng.randint(0, 6)
            length = rng.randint(2, 8)
            ents.append(
                Entity(
                    pos,
                    pos + length,
                    TEXT[pos : pos + length],
                    rng.choice(LABELS),
                    rng.choice([None, "vladimir-putin", "nato"]),
                )
            )
            pos += length
        docs[f"d{i}"] = Document(
            f"d{i}",
            TEXT,
            "2021-12-30",
            "r",
            entities=tuple(ents),
            dates=(Date(0, 5, TEXT[0:5], "DATE", "2021-12-30", None),),
            quotes=(Quote(12, 14, TEXT[12:14], "direct", "vladimir-putin"),),
        )
    kb = (
        KBEntry("nato", "NATO", "ORG", ("NATO",)),
        KBEntry("vladimir-putin", "Vladimir Putin", "PER", ("Putin",)),
    )
    return Gold(docs, kb)


def _entity(rng: random.Random, gold_ents: tuple[Entity, ...]) -> dict[str, Any]:
    if gold_ents and rng.random() < 0.6:
        g = rng.choice(gold_ents)
        start, end = g.start + rng.choice([0, 0, 1]), g.end + rng.choice([0, 0, -1, 2])
        end = max(end, start + 1)
    else:
        start = rng.randint(0, len(TEXT) - 10)
        end = start + rng.randint(1, 9)
    ent: dict[str, Any] = {"start": start, "end": end}
    shape = rng.random()
    if shape < 0.7:
        ent["label"] = rng.choice(LABELS)
    elif shape < 0.8:
        ent = {"label": rng.choice(LABELS), "end": end, "start": start}
    else:
        if rng.random() < 0.7:
            ent["label"] = rng.choice(LABELS)
        if rng.random() < 0.5:
            ent["text"] = TEXT[start:end]
        if rng.random() < 0.4:
            ent["kb_id"] = rng.choice([None, "vladimir-putin", "nato", "someone-else"])
        if rng.random() < 0.3:
            ent["score"] = rng.choice([0.5, 1])
    return ent


def _corrupt(rng: random.Random, line: dict[str, Any]) -> str:
    """Serialize a line, sometimes with one defect the reference path must catch."""
    r = rng.random()
    ents = line.get("entities") or []
    if r < 0.05 and ents:
        rng.choice(ents)["label"] = rng.choice([None, "", "PERSON", 3, ["PER"]])
    elif r < 0.10 and ents:
        e = rng.choice(ents)
        e[rng.choice(["start", "end"])] = rng.choice([-1, 5.0, 10**6, 10**30, "3", True, None])
    elif r < 0.13 and ents:
        rng.choice(ents)["text"] = "nope"
    elif r < 0.16:
        line["doc_id"] = rng.choice(["unknown", "bad id", 7])
    elif r < 0.19 and ents:
        rng.choice(ents)["extra"] = 1
    text = json.dumps(
        line, separators=rng.choice([(",", ":"), (", ", ": ")]), ensure_ascii=rng.random() < 0.5
    )
    if rng.random() < 0.05 and '"start":' in text.replace(" ", ""):
        text = text.replace('"start"', '"start": 0, "start"', 1)  # a duplicate key
    if rng.random() < 0.03:
        text = text[:-1]  # broken JSON
    if rng.random() < 0.03:
        text = text.replace('"doc_id"', '"doc_id" ', 1)  # white space before a colon
    return text


def _write(tmp_path: Path, gold: Gold, seed: int) -> Path:
    rng = random.Random(seed)
    out = []
    ids = list(gold.docs)
    rng.shuffle(ids)
    for doc_id in ids[: rng.randint(0, len(ids))] + ([ids[0]] if rng.random() < 0.1 else []):
        line: dict[str, Any] = {"doc_id": doc_id}
        if rng.random() < 0.9:
            line["entities"] = [
                _entity(rng, gold.docs[doc_id].entities) for _ in range(rng.randint(0, 25))
            ]
        if rng.random() < 0.2:
            line["dates"] = [
                {"start": 0, "end": 5, "type": "DATE", "value": rng.choice(["2021-12-30", None])}
            ]
        if rng.random() < 0.2:
            line["quotes"] = [
                {"start": 11, "end": 14, "speaker": rng.choice(["Putin", "nato", None])}
            ]
        out.append(_corrupt(rng, line))
        if rng.random() < 0.05:
            out.append("")
    path = tmp_path / f"p{seed}.jsonl"
    path.write_text("\n".join(out) + ("\n" if out else ""), encoding="utf-8")
    return path


def _reference(gold: Gold, path: Path, scheme: str) -> Any:
    problems: list = []
    preds = iter_predictions(path, gold.docs, problems, labels=get_scheme(scheme).accepted)
    report = score(gold, preds, scheme=scheme, n_bootstrap=40, check=False)
    if problems:
        return sorted(map(str, problems))
    return report.to_json()


def _fast(gold: Gold, path: Path, scheme: str) -> Any:
    try:
        return score_jsonl(gold, path, scheme=scheme, n_bootstrap=40).to_json()
    except ValidationError as exc:
        return sorted(map(str, exc.problems))


GOLD = _gold()


@settings(max_examples=400, deadline=None)
@given(
    st.integers(0, 10**9),
    st.sampled_from(["newsgold", "ontonotes"]),
    st.sampled_from([2, 3, 512]),
    st.booleans(),
)
def test_fast_path_equals_reference(seed: int, scheme: str, batch: int, orjson: bool) -> None:
    """Random files (valid or with one defect; batches of 2, 3 or 512 lines; parsed by orjson or
    the standard library): the same report or the same problems as the reference path."""
    import tempfile

    old, old_parser = fast.BATCH, fast._ORJSON
    fast.BATCH = batch
    if not orjson:
        fast._ORJSON = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = _write(Path(tmp), GOLD, seed)
            if scheme == "ontonotes":
                text = path.read_text(encoding="utf-8").replace('"PER"', '"PERSON"')
                text = text.replace('"NORP"', '"CARDINAL"')  # set aside by the scheme
                if seed % 2:
                    text = text.replace('"LOC"', '"DATE"')  # moves to the dates layer
                path.write_text(text, encoding="utf-8")
            assert _fast(GOLD, path, scheme) == _reference(GOLD, path, scheme)
    finally:
        fast.BATCH, fast._ORJSON = old, old_parser


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    """A duplicate key the C parser would swallow is reported with the strict decoder's words."""
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"doc_id":"d0","entities":[{"start":0,"start":1,"end":5,"label":"PER"}]}\n',
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        score_jsonl(GOLD, path)
    assert str(info.value) == (
        f"{path}:1: $: invalid JSON: duplicate key 'start' (expected one value per key)"
    )


def test_tangled_documents_use_optimal_matching(tmp_path: Path) -> None:
    """Overlapping predictions in one document: the vectorised path hands it to the optimal matching."""
    g = GOLD.docs["d0"].entities
    a, b = g[0], g[1]
    line = {
        "doc_id": "d0",
        "entities": [
            {"start": a.start, "end": b.end, "label": a.label},
            {"start": a.start, "end": a.end, "label": a.label},
            {"start": b.start, "end": b.end, "label": b.label},
        ],
    }
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert _fast(GOLD, path, "newsgold") == _reference(GOLD, path, "newsgold")
    assert score_jsonl(GOLD, path, n_bootstrap=0).figure("entities.strict.correct") == 2
