"""The hand-written predictions check agrees with the JSON Schema on random valid and invalid lines."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.fastcheck import prediction_ok
from newsgold.schema import schema_problems

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
        item["text"] = "abc"
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


def _schema_ok(line: Any) -> bool:
    return not schema_problems(line, "predictions", "p.jsonl", line=1)


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.booleans())
def test_fast_check_agrees_with_schema(seed: int, corrupt: bool) -> None:
    """Random lines, valid and corrupted in one or two places: both checks give the same verdict."""
    line = _line(seed, corrupt)
    assert prediction_ok(line) == _schema_ok(line), line


def test_valid_lines_pass_fast() -> None:
    """Uncorrupted lines are valid for both (the generator itself is right)."""
    for seed in range(200):
        line = _line(seed, False)
        assert prediction_ok(line) and _schema_ok(line)


def test_conservative_on_integral_floats() -> None:
    """5.0 is an integer for JSON Schema; the fast path says no and lets the schema decide."""
    line = {"doc_id": "d1", "entities": [{"start": 0, "end": 5.0}]}
    assert _schema_ok(line)
    assert not prediction_ok(line)


def test_date_value_pattern_from_schema() -> None:
    """A DATE value that is not TIMEX3 fails both; the same value is fine without a type."""
    bad = {"doc_id": "d1", "dates": [{"start": 0, "end": 5, "type": "DATE", "value": "P1M"}]}
    assert not prediction_ok(bad) and not _schema_ok(bad)
    untyped = {"doc_id": "d1", "dates": [{"start": 0, "end": 5, "value": "P1M"}]}
    assert prediction_ok(untyped) and _schema_ok(untyped)
