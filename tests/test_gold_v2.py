"""Gold 2.0 additions: indirect quotes (which may nest) and accepted alternative extents.

Each rule of the validation has a good and a bad case on a tiny inline document.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsgold.jsonio import document_from_json, document_to_json, dumps_json
from newsgold.model import QUOTE_KINDS, Date, Entity, KBEntry, Span
from newsgold.validate import validate_document

TEXT = "The Kremlin said that the talks in the past were useful, just a few hours ago, Putin said."
#      0    5    10   15   20   25   30   35   40   45   50   55   60   65   70   75   80   85
KB = {
    "kremlin": KBEntry("kremlin", "Kremlin", "ORG", ("Kremlin",)),
    "vladimir-putin": KBEntry("vladimir-putin", "Vladimir Putin", "PER", ("Putin",)),
}


def span(surface: str, occurrence: int = 1) -> dict[str, Any]:
    """The span of the n-th occurrence of ``surface`` in TEXT, computed, never counted."""
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(surface, start + 1)
    return {"start": start, "end": start + len(surface), "text": surface}


def base() -> dict[str, Any]:
    """A valid document with no 2.0 annotation at all."""
    return {
        "doc_id": "d1",
        "text_sha256": __import__("hashlib").sha256(TEXT.encode()).hexdigest(),
        "dct": "2021-12-30",
        "dct_reason": "a test",
        "entities": [
            {**span("Kremlin"), "label": "ORG", "kb_id": "kremlin"},
            {**span("Putin"), "label": "PER", "kb_id": "vladimir-putin"},
        ],
        "dates": [
            {**span("past"), "type": "DATE", "value": "PAST_REF", "mod": None},
            {**span("just a few hours"), "type": "DURATION", "value": "PTXH", "mod": None},
        ],
        "quotes": [],
    }


def problems(tmp_path: Path, obj: dict[str, Any]) -> list[str]:
    (tmp_path / "seeds").mkdir(exist_ok=True)
    (tmp_path / "seeds" / "d1.txt").write_text(TEXT, encoding="utf-8")
    path = tmp_path / "d1.json"
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _, found = validate_document(path, tmp_path / "seeds", KB, root=tmp_path)
    return [str(p) for p in found]


def line_of(tmp_path: Path, needle: str, after: int = 0) -> int:
    lines = (tmp_path / "d1.json").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines[after:], start=after + 1):
        if needle in line:
            return i
    raise AssertionError(needle)


# --------------------------------------------------------------------------- alternatives


def test_alternatives_good(tmp_path: Path) -> None:
    """`The Kremlin` beside `Kremlin`, `the past` beside `past`, `a few hours` inside `just a few hours`."""
    obj = base()
    obj["entities"][0]["alternatives"] = [span("The Kremlin")]
    obj["dates"][0]["alternatives"] = [span("the past")]
    obj["dates"][1]["alternatives"] = [span("a few hours")]
    assert problems(tmp_path, obj) == []


def test_alternative_outside_text(tmp_path: Path) -> None:
    obj = base()
    obj["entities"][0]["alternatives"] = [{"start": 0, "end": 999, "text": "x"}]
    got = problems(tmp_path, obj)
    line = line_of(tmp_path, '"end": 999')
    assert got == [
        f"d1.json:{line}: $.entities[0].alternatives[0].end: 999 > len(text)={len(TEXT)} "
        "(expected an offset inside the text)"
    ]


def test_alternative_text_must_equal_slice(tmp_path: Path) -> None:
    obj = base()
    obj["entities"][0]["alternatives"] = [{**span("The Kremlin"), "text": "the Kremlin"}]
    got = problems(tmp_path, obj)
    line = line_of(tmp_path, '"text": "the Kremlin"')
    assert got == [
        f"d1.json:{line}: $.entities[0].alternatives[0].text: got 'the Kremlin', "
        "expected the text at [0:11] = 'The Kremlin'"
    ]


def test_alternative_must_differ_from_gold(tmp_path: Path) -> None:
    obj = base()
    obj["dates"][0]["alternatives"] = [span("past")]
    got = problems(tmp_path, obj)
    assert len(got) == 1
    assert "$.dates[0].alternatives[0]: " in got[0]
    assert "is the gold extent itself (expected a different extent)" in got[0]


def test_alternative_must_contain_or_lie_inside_gold(tmp_path: Path) -> None:
    """`hours ago` starts inside `just a few hours` and ends outside it: refused."""
    obj = base()
    obj["dates"][1]["alternatives"] = [span("hours ago")]
    got = problems(tmp_path, obj)
    assert len(got) == 1, got
    line = line_of(tmp_path, '"alternatives"') + 1  # the alternative object's opening brace
    assert got[0].startswith(f"d1.json:{line}: ")
    assert "$.dates[1].alternatives[0]: " in got[0]
    assert "(expected one of the two to contain the other)" in got[0]


def test_alternative_must_not_overlap_another_span(tmp_path: Path) -> None:
    """An alternative reaching into the next date is refused; one stopping short is fine."""
    obj = base()
    obj["dates"][0]["alternatives"] = [span("past were useful, just")]
    got = problems(tmp_path, obj)
    assert len(got) == 1, got
    assert "$.dates[0].alternatives[0]: " in got[0]
    assert "overlaps [" in got[0] and "at $.dates[1] (expected an alternative" in got[0]
    obj["dates"][0]["alternatives"] = [span("past were useful")]
    assert problems(tmp_path, obj) == []


def test_alternatives_must_not_overlap_each_other(tmp_path: Path) -> None:
    """Two items' alternatives may not share text either."""
    obj = base()
    obj["dates"][0]["alternatives"] = [span("past were useful, ")]
    obj["dates"][1]["alternatives"] = [span(", just a few hours")]
    got = problems(tmp_path, obj)
    assert len(got) == 1, got
    assert "$.dates[1].alternatives[0]: " in got[0] and "at $.dates[0].alternatives[0]" in got[0]


def test_duplicate_alternative(tmp_path: Path) -> None:
    obj = base()
    obj["entities"][0]["alternatives"] = [span("The Kremlin"), span("The Kremlin")]
    got = problems(tmp_path, obj)
    assert len(got) == 1 and "duplicate alternative [0:11]" in got[0], got


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([], "got [], expected minItems 1"),
        ([{"start": 0, "end": 11}], "missing required key 'text'"),
    ],
)
def test_alternatives_schema(tmp_path: Path, value: Any, expected: str) -> None:
    """An empty list is refused (leave the key out); every alternative is a full span."""
    obj = base()
    obj["entities"][0]["alternatives"] = value
    got = problems(tmp_path, obj)
    assert got and any(expected in p and "$.entities[0].alternatives" in p for p in got), got


def test_alternatives_not_on_quotes(tmp_path: Path) -> None:
    """Quotes take no alternatives (`additionalProperties: false`)."""
    obj = base()
    q = span("the talks in the past were useful")
    obj["quotes"] = [
        {**q, "kind": "indirect", "speaker": "kremlin", "cue": span("said"), "alternatives": [q]}
    ]
    got = problems(tmp_path, obj)
    assert got and all("$.quotes[0]" in p for p in got), got


# --------------------------------------------------------------------------- indirect quotes


def quote(surface: str, kind: str, speaker: str | None, cue: str, n: int = 1) -> dict[str, Any]:
    return {**span(surface), "kind": kind, "speaker": speaker, "cue": span(cue, n)}


def test_indirect_quotes_may_nest(tmp_path: Path) -> None:
    """`C, Putin said`, where C reports what the Kremlin said: two indirect quotes, one inside the other."""
    obj = base()
    obj["quotes"] = [
        quote(
            "The Kremlin said that the talks in the past were useful, just a few hours ago",
            "indirect",
            "vladimir-putin",
            "said",
            2,
        ),
        quote("the talks in the past were useful", "indirect", "kremlin", "said"),
    ]
    assert problems(tmp_path, obj) == []
    # a partial quote inside an indirect one is fine too
    obj["quotes"][1]["kind"] = "partial"
    assert problems(tmp_path, obj) == []


def test_marked_quotes_do_not_nest(tmp_path: Path) -> None:
    """Without an indirect quote, one quote inside another is refused."""
    obj = base()
    obj["quotes"] = [
        quote("The Kremlin said that the talks in the past were useful", "direct", None, "said"),
        quote("the talks in the past were useful", "partial", "kremlin", "said"),
    ]
    got = problems(tmp_path, obj)
    assert len(got) == 1, got
    assert "$.quotes[1]: " in got[0]
    assert (
        "(expected no overlapping quotes, except an indirect quote nested in a quote or around one)"
        in got[0]
    )


def test_crossing_indirect_quotes_are_refused(tmp_path: Path) -> None:
    obj = base()
    obj["quotes"] = [
        quote("said that the talks in the past", "indirect", "kremlin", "said"),
        quote("the past were useful", "indirect", "kremlin", "said"),
    ]
    got = problems(tmp_path, obj)
    assert len(got) == 1 and "$.quotes[1]: " in got[0] and "overlaps" in got[0], got


def test_unknown_quote_kind_is_refused(tmp_path: Path) -> None:
    obj = base()
    obj["quotes"] = [quote("the talks in the past were useful", "reported", "kremlin", "said")]
    got = problems(tmp_path, obj)
    assert got and "$.quotes[0].kind" in got[0], got


def test_indirect_is_a_quote_kind() -> None:
    assert QUOTE_KINDS == ("direct", "partial", "indirect")


# --------------------------------------------------------------------------- records and JSON


def test_positional_constructors_unchanged() -> None:
    """`alternatives` is the last field: v1 positional calls mean what they meant."""
    e = Entity(4, 11, "Kremlin", "ORG", "kremlin", 0.5)
    assert (e.score, e.alternatives) == (0.5, ())
    d = Date(30, 34, "past", "DATE", "PAST_REF", None, 0.5)
    assert (d.score, d.alternatives) == (0.5, ())
    alt = Entity(4, 11, "Kremlin", "ORG", "kremlin", None, (Span(0, 11, "The Kremlin"),))
    assert alt != e and len({alt, e, Entity(4, 11, "Kremlin", "ORG", "kremlin")}) == 2


def test_alternatives_round_trip_and_are_left_out_when_empty() -> None:
    obj = base()
    doc = document_from_json(obj, TEXT)
    assert doc.entities[0].alternatives == ()
    out = document_to_json(doc)
    assert "alternatives" not in out["entities"][0] and "alternatives" not in out["dates"][0]
    assert dumps_json(out) == dumps_json(obj)  # a v1 document is unchanged, byte for byte
    obj["entities"][0]["alternatives"] = [span("The Kremlin")]
    obj["dates"][1]["alternatives"] = [span("a few hours")]
    doc = document_from_json(obj, TEXT)
    assert doc.entities[0].alternatives == (Span(0, 11, "The Kremlin"),)
    assert dumps_json(document_to_json(doc)) == dumps_json(obj)
    assert list(document_to_json(doc)["entities"][0])[-1] == "alternatives"
