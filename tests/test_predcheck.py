"""The one prediction check: its batch verdict agrees with its wording, on random valid and invalid records.

:func:`newsgold.predcheck.batch_ok` (column-wise, no wording) must say "valid"
exactly when :func:`newsgold.predcheck.record_problems` (the JSON Schema plus
the offset, text, doc_id and label rules) finds nothing; and a batch is valid
exactly when each of its records is.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.model import Document
from newsgold.predcheck import batch_ok, check_stream, record_problems

TEXT = "said abc " * 8

_VALUES: list[Any] = [
    0,
    5,
    -1,
    2.5,
    True,
    None,
    "",
    "x",
    "PER",
    "DATE",
    "TIME",
    "SET",
    "DURATION",
    "2021-12-30",
    "P1M",
    "PT50M",
    "XXXX-WXX-1",
    "2021-12-30T20:30",
    "PAST_REF",
    "direct",
    "partial",
    "APPROX",
    "vladimir-putin",
    "Bad_Id",
    "d1\n",
    7.0,
    10**30,
    "abc",
    "said",
    [],
    {},
    {"start": 1, "end": 2},
    {"start": 1},
]
_KEYS = {
    "entities": ["start", "end", "text", "score", "label", "kb_id", "extra"],
    "dates": ["start", "end", "text", "score", "type", "value", "mod", "extra"],
    "quotes": ["start", "end", "text", "score", "kind", "speaker", "cue", "extra"],
}


def _valid_item(rng: random.Random, layer: str) -> dict[str, Any]:
    start = rng.randint(0, 50)
    item: dict[str, Any] = {"start": start, "end": start + rng.randint(1, 9)}
    if rng.random() < 0.5:
        item["text"] = TEXT[item["start"] : item["end"]]
    if rng.random() < 0.3:
        item["score"] = rng.choice([0.5, 1])
    if layer == "entities":
        if rng.random() < 0.8:
            item["label"] = rng.choice(["PER", "ORG", "PERSON"])
        if rng.random() < 0.3:
            item["kb_id"] = rng.choice([None, "vladimir-putin"])
    elif layer == "dates":
        dtype, value = rng.choice(
            [
                ("DATE", "2021-12-30"),
                ("TIME", "2021-12-30T20:30"),
                ("DURATION", "P1M"),
                ("SET", "P1Y"),
            ]
        )
        item["type"] = dtype
        if rng.random() < 0.8:
            item["value"] = rng.choice([value, None])
        if rng.random() < 0.3:
            item["mod"] = rng.choice(["APPROX", None])
    else:
        if rng.random() < 0.7:
            item["kind"] = rng.choice(["direct", "partial"])
        if rng.random() < 0.7:
            item["speaker"] = rng.choice(["vladimir-putin", "Putin", None])
        if rng.random() < 0.4:
            item["cue"] = rng.choice([None, {"start": 0, "end": 4, "text": "said"}])
    return item


def _line(seed: int, corrupt: bool) -> dict[str, Any]:
    rng = random.Random(seed)
    line: dict[str, Any] = {"doc_id": rng.choice(["000_e9e65d9efa045d67", "d.1-x"])}
    for layer in _KEYS:
        if rng.random() < 0.7:
            line[layer] = [_valid_item(rng, layer) for _ in range(rng.randint(0, 3))]
    if corrupt:
        for _ in range(rng.randint(1, 2)):
            where = rng.random()
            layers = [
                k
                for k in _KEYS
                if isinstance(line.get(k), list) and line[k] and isinstance(line[k][0], dict)
            ]
            if where < 0.2 or not layers:
                key = rng.choice(["doc_id", "entities", "dates", "quotes", "bogus"])
                line[key] = rng.choice(_VALUES)
            else:
                layer = rng.choice(layers)
                item = rng.choice(line[layer])
                item[rng.choice(_KEYS[layer])] = rng.choice(_VALUES)
    return line


DOCS = {d: Document(d, TEXT, "2021-12-30", "r") for d in ("000_e9e65d9efa045d67", "d.1-x")}
ACCEPTED = frozenset({"PER", "ORG", "PERSON"})


def _ok(line: Any, accepted: frozenset[str] | None = ACCEPTED) -> bool:
    return not record_problems(line, "p.jsonl", 1, DOCS, accepted)


@settings(max_examples=600, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=10**9), st.booleans(), st.booleans())
def test_verdict_agrees_with_wording(seed: int, corrupt: bool, any_label: bool) -> None:
    """Random lines, valid and corrupted in one or two places: the same verdict both ways."""
    line = _line(seed, corrupt)
    accepted = None if any_label else ACCEPTED
    assert batch_ok([line], DOCS, accepted) == _ok(line, accepted), line


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 10**9), st.booleans()), min_size=1, max_size=6))
def test_a_batch_is_valid_when_each_record_is(specs: list[tuple[int, bool]]) -> None:
    lines = [_line(seed, corrupt) for seed, corrupt in specs]
    assert batch_ok(lines, DOCS, ACCEPTED) == all(_ok(x) for x in lines)


def test_valid_lines_pass() -> None:
    """Uncorrupted lines are valid for both (the generator itself is right)."""
    for seed in range(200):
        line = _line(seed, False)
        assert batch_ok([line], DOCS, ACCEPTED) and _ok(line), line


def test_float_offsets_are_refused_everywhere() -> None:
    """5.0 and 1e20 are not offsets: the schema ("integer" means a JSON integer) and the verdict agree."""
    for end in (5.0, 1e20, True):
        line = {"doc_id": "d.1-x", "entities": [{"start": 0, "end": end, "text": "said "}]}
        problems = record_problems(line, "p.jsonl", 3, DOCS, None)
        assert [str(p) for p in problems] == [
            f"p.jsonl:3: $.entities[0].end: got {'true' if end is True else end}, expected integer"
        ]
        assert not batch_ok([line], DOCS, None)


def test_date_value_pattern_from_schema() -> None:
    """A DATE value that is not TIMEX3 fails both; the same value is fine without a type."""
    bad = {"doc_id": "d.1-x", "dates": [{"start": 0, "end": 5, "type": "DATE", "value": "P1M"}]}
    assert not batch_ok([bad], DOCS, None) and not _ok(bad)
    untyped = {"doc_id": "d.1-x", "dates": [{"start": 0, "end": 5, "value": "P1M"}]}
    assert batch_ok([untyped], DOCS, None) and _ok(untyped)


def test_one_wording_of_a_duplicate_doc_id() -> None:
    """With and without line numbers, a doc_id given twice is one message."""
    for lines, where in (
        ((1, 2), "p.jsonl:2: $.doc_id"),
        ((None, None), "p.jsonl: $[d.1-x].doc_id"),
    ):
        problems: list = []
        records = [(ln, {"doc_id": "d.1-x"}) for ln in lines]
        batches = list(check_stream(records, DOCS, None, "p.jsonl", problems))
        assert sum(map(len, batches)) == 1
        first = "line 1" if lines[0] else "an earlier record"
        assert [str(p) for p in problems] == [
            f"{where}: duplicate doc_id 'd.1-x' (first on {first}; expected one prediction per document)"
        ]
