"""A hand-written check of ``schemas/predictions.schema.json``, fast enough for 500,000 spans.

jsonschema walks every span through its generic machinery (about 20 µs per
span); :func:`prediction_ok` checks exactly the same rules by hand. It only
answers yes or no: callers use it as a fast path and, when it says no, run
the schema to word the error (:func:`newsgold.validate.check_prediction`
does). A test checks on random valid and invalid lines that the two agree.

The date value patterns are read from the schema itself, so they cannot drift.

>>> prediction_ok({"doc_id": "d1", "entities": [{"start": 0, "end": 5, "label": "PER"}]})
True
>>> prediction_ok({"doc_id": "d1", "entities": [{"start": 0, "end": 5, "label": ""}]})
False
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from . import model

TOP_KEYS = frozenset({"doc_id", "entities", "dates", "quotes"})
ENTITY_KEYS = frozenset({"start", "end", "text", "score", "label", "kb_id"})
DATE_KEYS = frozenset({"start", "end", "text", "score", "type", "value", "mod"})
QUOTE_KEYS = frozenset({"start", "end", "text", "score", "kind", "speaker", "cue"})
CUE_KEYS = frozenset({"start", "end", "text"})
# the closed vocabularies come from model.py (tests/test_schema.py checks them against the schema)
DATE_TYPES = frozenset(model.DATE_TYPES)
DATE_MODS = frozenset((*model.DATE_MODS, None))
QUOTE_KINDS = frozenset(model.QUOTE_KINDS)
# jsonschema applies "pattern" with re.search, so these do too (``$`` also matches before a final newline)
DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
KB_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@cache
def date_value_patterns() -> dict[str, re.Pattern[str]]:
    """Date type → the compiled value pattern of the predictions schema."""
    from .schema import load_schema

    rules = load_schema("predictions")["properties"]["dates"]["items"]["allOf"]
    out = {}
    for rule in rules:
        dtype = rule["if"]["properties"]["type"]["const"]
        out[dtype] = re.compile(rule["then"]["properties"]["value"]["pattern"])
    return out


def _offset(v: Any) -> bool:
    return type(v) is int and v >= 0


def _number(v: Any) -> bool:
    return type(v) is int or type(v) is float


def _span_ok(obj: Any, keys: frozenset[str]) -> bool:
    if type(obj) is not dict or not keys.issuperset(obj):
        return False
    if not (_offset(obj.get("start")) and _offset(obj.get("end"))):
        return False
    if "text" in obj and type(obj["text"]) is not str:
        return False
    return not ("score" in obj and not _number(obj["score"]))


def entity_ok(e: Any) -> bool:
    """One predicted entity against the schema's rules."""
    if not _span_ok(e, ENTITY_KEYS):
        return False
    if "label" in e and not (type(e["label"]) is str and e["label"]):
        return False
    if "kb_id" in e:
        k = e["kb_id"]
        if k is not None and not (type(k) is str and KB_ID.search(k)):
            return False
    return True


def date_ok(d: Any) -> bool:
    """One predicted temporal expression against the schema's rules."""
    if not _span_ok(d, DATE_KEYS):
        return False
    if "type" in d and not (type(d["type"]) is str and d["type"] in DATE_TYPES):
        return False
    if "mod" in d and not (d["mod"] is None or (type(d["mod"]) is str and d["mod"] in DATE_MODS)):
        return False
    if "value" in d:
        v = d["value"]
        if v is not None and type(v) is not str:
            return False
        if type(v) is str and "type" in d:
            if not date_value_patterns()[d["type"]].search(v):
                return False
    return True


def quote_ok(q: Any) -> bool:
    """One predicted quotation against the schema's rules."""
    if not _span_ok(q, QUOTE_KEYS):
        return False
    if "kind" in q and not (type(q["kind"]) is str and q["kind"] in QUOTE_KINDS):
        return False
    if "speaker" in q and q["speaker"] is not None and type(q["speaker"]) is not str:
        return False
    if "cue" in q and q["cue"] is not None and not _span_ok(q["cue"], CUE_KEYS):
        return False
    return True


def prediction_ok(obj: Any) -> bool:
    """Whether one parsed predictions line satisfies the predictions schema.

    Conservative in one respect only: offsets must be JSON integers written
    without a fraction (``5``, not ``5.0``, which JSON Schema would accept).

    Args:
        obj: the parsed line.

    Returns:
        ``True`` when the line is schema-valid.
    """
    if type(obj) is not dict or not TOP_KEYS.issuperset(obj):
        return False
    doc_id = obj.get("doc_id")
    if type(doc_id) is not str or not DOC_ID.search(doc_id):
        return False
    for layer, check in (("entities", entity_ok), ("dates", date_ok), ("quotes", quote_ok)):
        if layer in obj:
            items = obj[layer]
            if type(items) is not list or not all(map(check, items)):
                return False
    return True
