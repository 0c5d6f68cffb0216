"""The JSON Schemas (``schemas/*.schema.json``): the one source of truth at the JSON boundary.

>>> sorted(SCHEMA_NAMES)
['document', 'kb', 'predictions', 'submission']
>>> schema_problems({"doc_id": "x", "entities": [{"start": 0}]}, "predictions", "p.jsonl", line=3)
[Problem(file='p.jsonl', line=3, path='$.entities[0]', message="missing required key 'end'")]
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError as SchemaError

from .errors import Problem, short
from .jsonio import PathPart, json_path

SCHEMA_NAMES = ("document", "kb", "predictions", "submission")

_EXAMPLES = {
    "DATE": "2021-12-30, 2022-01, 2021-W51, 199, PRESENT_REF",
    "TIME": "2021-12-30T20:30, 2021-12-30TEV",
    "DURATION": "PT50M, P2W, P1M",
    "SET": "P1Y, XXXX-WXX-1",
}


def schema_dir() -> Path:
    """The folder holding the schemas: inside the installed package, or the clone's ``schemas/``."""
    packaged = Path(str(resources.files("newsgold"))) / "schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "schemas"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Load ``schemas/<name>.schema.json``.

    Args:
        name: one of :data:`SCHEMA_NAMES`.

    Returns:
        The schema as a dict.
    """
    with (schema_dir() / f"{name}.schema.json").open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


def _is_json_integer(_checker: Any, instance: Any) -> bool:
    return type(instance) is int


def _is_json_number(_checker: Any, instance: Any) -> bool:
    return type(instance) is int or (type(instance) is float and math.isfinite(instance))


# JSON Schema counts 5.0 (and 1e20) as an "integer"; an offset or a count written as a float is a
# mistake here (it would slice text wrongly or overflow later), so "integer" means a JSON integer.
# A Python float may be NaN or infinite, which JSON cannot carry: a "number" is a finite one (a
# system's score of NaN would otherwise be written as the non-JSON token NaN, then refused on read).
_Validator = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine_many(
        {"integer": _is_json_integer, "number": _is_json_number}
    ),
)


@cache
def validator(name: str) -> Draft202012Validator:
    """A compiled draft 2020-12 validator for the schema ``name`` ("integer": JSON integers only)."""
    return _Validator(load_schema(name))  # type: ignore[no-any-return]


def _expected_from(error: SchemaError) -> str:
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if "enum" in schema:
        return "one of " + ", ".join("null" if v is None else str(v) for v in schema["enum"])
    if "type" in schema:
        t = schema["type"]
        return " or ".join(t) if isinstance(t, list) else str(t)
    return str(error.validator_value)


def describe(error: SchemaError) -> str:
    """One readable sentence for a jsonschema error: what was found, what was expected."""
    kind = error.validator
    got = short(error.instance)
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    rule: Any = error.validator_value
    instance: Any = error.instance
    if kind == "required":
        missing = [k for k in rule if k not in instance]
        return f"missing required key {missing[0]!r}" if missing else error.message
    if kind == "additionalProperties":
        allowed = sorted((schema.get("properties") or {}).keys())
        extra = sorted(set(instance) - set(allowed))
        return (
            f"unknown key {extra[0]!r} (expected only: {', '.join(allowed)})"
            if extra
            else error.message
        )
    if kind == "enum":
        return f"got {got}, expected {_expected_from(error)}"
    if kind == "type":
        return f"got {got}, expected {_expected_from(error)}"
    if kind == "pattern":
        # a TIMEX value is checked per type by allOf/<i>/if/then, rule i for type i
        if "allOf" in error.absolute_schema_path:
            dtype = _date_type_of(error)
            return f"got {got}, expected a TIMEX3 {dtype} value (e.g. {_EXAMPLES.get(dtype, '')})"
        return f"got {got}, expected a string matching {error.validator_value}"
    if kind in ("minimum", "maximum", "minLength", "maxLength", "minItems"):
        return f"got {got}, expected {kind} {error.validator_value}"
    if kind == "uniqueItems":
        return f"got {got}, expected unique items"
    if kind == "anyOf":
        alts = []
        for sub in rule:
            if "$ref" in sub:
                alts.append("a span {start, end, text}")
            elif "pattern" in sub:
                alts.append("a kb_id slug (lowercase words joined by '-')")
            elif "type" in sub:
                alts.append(str(sub["type"]))
        return f"got {got}, expected " + " or ".join(alts)
    return f"got {got}: {error.message}"


def _date_type_of(error: SchemaError) -> str:
    # the rule that fired tells the type: allOf/<i>/then, rules in DATE_TYPES order
    path = list(error.absolute_schema_path)
    i = path.index("allOf")
    idx = path[i + 1]
    return ("DATE", "TIME", "DURATION", "SET")[int(idx)]


def schema_problems(
    instance: Any,
    name: str,
    file: str,
    *,
    line: int | None = None,
    locate_line: Callable[[Sequence[PathPart]], int | None] | None = None,
) -> list[Problem]:
    """Every schema violation of ``instance`` as a :class:`Problem`, sorted by path.

    Args:
        instance: the parsed JSON.
        name: the schema name.
        file: the file name used in problems.
        line: the line of the whole instance (a JSONL line), when known.
        locate_line: maps a JSON path to its line (for multi-line JSON files).

    Returns:
        The problems; empty when the instance is valid.
    """
    out = []
    for error in validator(name).iter_errors(instance):
        parts = list(error.absolute_path)
        where = locate_line(parts) if locate_line else line
        out.append(Problem(file, where, json_path(parts), describe(error)))
    return sorted(set(out), key=lambda p: (p.line or 0, p.path, p.message))
