"""The JSON Schemas: valid draft 2020-12, strict, and in step with the Literals in code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from newsgold.model import DATE_MODS, DATE_TYPES, ENTITY_LABELS, QUOTE_KINDS
from newsgold.schema import SCHEMA_NAMES, load_schema, schema_problems


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_valid_and_strict(name: str, root: Path) -> None:
    """Every schema checks as draft 2020-12 and closes every object with additionalProperties: false."""
    schema = json.loads((root / "schemas" / f"{name}.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") in (False, {"type": "string"}), node
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)


def test_enums_equal_literals() -> None:
    """The closed vocabularies in schemas/ equal the Literal types of model.py."""
    doc = load_schema("document")["$defs"]
    assert tuple(doc["entity"]["properties"]["label"]["enum"]) == ENTITY_LABELS
    assert tuple(doc["date"]["properties"]["type"]["enum"]) == DATE_TYPES
    assert tuple(doc["date"]["properties"]["mod"]["enum"]) == (*DATE_MODS, None)
    assert tuple(doc["quote"]["properties"]["kind"]["enum"]) == QUOTE_KINDS
    assert tuple(load_schema("kb")["items"]["properties"]["label"]["enum"]) == ENTITY_LABELS
    pred = load_schema("predictions")["properties"]
    assert tuple(pred["dates"]["items"]["properties"]["type"]["enum"]) == DATE_TYPES
    assert tuple(pred["quotes"]["items"]["properties"]["kind"]["enum"]) == QUOTE_KINDS


def _date(type_: str, value: str) -> dict[str, object]:
    return {"doc_id": "d", "dates": [{"start": 0, "end": 1, "type": type_, "value": value}]}


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        ("DATE", "2021-12-30"),
        ("DATE", "2022-01"),
        ("DATE", "2021-W51"),
        ("DATE", "199"),
        ("DATE", "PAST_REF"),
        ("DATE", "2021-12-30TEV"),
        ("TIME", "2021-12-30T20:30"),
        ("TIME", "2021-12-30TEV"),
        ("DURATION", "PT50M"),
        ("DURATION", "P2W"),
        ("DURATION", "PTXH"),
        ("SET", "P1Y"),
    ],
)
def test_timex_values_accepted(type_: str, value: str) -> None:
    """Values of the spec's examples pass the per-type patterns."""
    assert schema_problems(_date(type_, value), "predictions", "p") == []


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        ("DATE", "PT50M"),
        ("DATE", "30/12/2021"),
        ("TIME", "2021-12-30"),
        ("DURATION", "2021-12-30"),
        ("SET", "weekly"),
    ],
)
def test_timex_value_inconsistent_with_type(type_: str, value: str) -> None:
    """A value of the wrong shape for its type is named with examples of the right shape."""
    problems = schema_problems(_date(type_, value), "predictions", "p", line=7)
    assert len(problems) == 1
    assert str(problems[0]).startswith(
        f"p:7: $.dates[0].value: got {value!r}, expected a TIMEX3 {type_} value (e.g. "
    )
