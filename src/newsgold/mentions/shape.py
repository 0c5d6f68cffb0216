"""The mentions shape: what a system answers without offsets, and its checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import Problem, short

VERSION = "alignment.v1"
FUZZY_THRESHOLD = 0.9
FUZZY_MIN_LENGTH = 20
STATUSES = ("exact", "normalised", "fuzzy", "ambiguous", "unaligned")
MENTION_LAYERS = ("entities", "dates", "quotes")

#: The keys a mention of each layer may carry (``text`` is required).
FIELDS: dict[str, frozenset[str]] = {
    "entities": frozenset({"text", "label", "kb_id", "score"}),
    "dates": frozenset({"text", "type", "value", "mod", "score"}),
    "quotes": frozenset({"text", "kind", "speaker", "cue", "score"}),
}


# --------------------------------------------------------------------------- the shape


def is_mentions_shape(obj: Mapping[str, Any]) -> bool:
    """Whether a system's output is in the mentions shape: some item, and none with offsets.

    >>> is_mentions_shape({"entities": [{"text": "Putin", "label": "PER"}]})
    True
    >>> is_mentions_shape({"entities": [{"start": 0, "end": 5, "label": "PER"}]})
    False
    >>> is_mentions_shape({"entities": []})
    False
    """
    items = [
        item for layer in MENTION_LAYERS if isinstance(obj.get(layer), list) for item in obj[layer]
    ]
    return bool(items) and all(
        isinstance(item, Mapping) and "start" not in item and "end" not in item for item in items
    )


def mention_problems(
    obj: Any, source: str, line: int | None, *, doc_id_required: bool = True
) -> list[Problem]:
    """Problems of one mentions object (its shape only: labels, types and values are left
    to the one check, which sees the aligned records).

    >>> [str(p) for p in mention_problems({"doc_id": "a", "entities": [{"label": "PER"}]}, "m.jsonl", 2)]
    ["m.jsonl:2: $.entities[0]: missing 'text' (expected a non-empty string: the mention as written in the text)"]
    """
    if not isinstance(obj, Mapping):
        return [Problem(source, line, "$", f"got {short(obj)} (expected a JSON object)")]
    problems: list[Problem] = []
    allowed = {"doc_id", *MENTION_LAYERS}
    for key in obj:
        if key not in allowed:
            problems.append(
                Problem(
                    source,
                    line,
                    f"$.{key}",
                    f"unknown key (expected one of {', '.join(sorted(allowed))})",
                )
            )
    if doc_id_required and not isinstance(obj.get("doc_id"), str):
        problems.append(
            Problem(source, line, "$.doc_id", f"got {short(obj.get('doc_id'))} (expected a string)")
        )
    for layer in MENTION_LAYERS:
        if layer not in obj:
            continue
        items = obj[layer]
        if not isinstance(items, list):
            problems.append(
                Problem(source, line, f"$.{layer}", f"got {short(items)} (expected a list)")
            )
            continue
        for i, item in enumerate(items):
            at = f"$.{layer}[{i}]"
            if not isinstance(item, Mapping):
                problems.append(
                    Problem(source, line, at, f"got {short(item)} (expected a JSON object)")
                )
                continue
            if "start" in item or "end" in item:
                problems.append(
                    Problem(
                        source,
                        line,
                        at,
                        "has offsets (expected a mention without start/end; "
                        "offsets belong in the jsonl format)",
                    )
                )
                continue
            text = item.get("text")
            if "text" not in item:
                problems.append(
                    Problem(
                        source,
                        line,
                        at,
                        "missing 'text' (expected a non-empty string: the mention as written in the text)",
                    )
                )
            elif not isinstance(text, str) or not text.strip():
                problems.append(
                    Problem(
                        source,
                        line,
                        f"{at}.text",
                        f"got {short(text)} (expected a non-empty string)",
                    )
                )
            for key in item:
                if key not in FIELDS[layer]:
                    problems.append(
                        Problem(
                            source,
                            line,
                            f"{at}.{key}",
                            f"unknown key (expected one of {', '.join(sorted(FIELDS[layer]))})",
                        )
                    )
            cue = item.get("cue")
            if layer == "quotes" and cue is not None and not isinstance(cue, str):
                problems.append(
                    Problem(
                        source,
                        line,
                        f"{at}.cue",
                        f"got {short(cue)} (expected a string, the reporting verb, or null)",
                    )
                )
    return problems
