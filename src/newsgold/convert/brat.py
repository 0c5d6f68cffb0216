"""brat standoff ``.ann`` files: text-bound annotations as entity predictions.

One ``.ann`` file per document, named ``<doc_id>.ann``. Lines ``T<n>\\tLABEL
START END\\tTEXT`` are entities; brat's offsets are character offsets with an
exclusive end, the same as newsgold's (code points, as brat's Python server
counts them). The ``TEXT`` column must equal the document's text there.
Discontinuous spans (``0 5;10 15``) cannot be a newsgold span and are an
error. Notes (``#``), relations (``R``), events (``E``), attributes
(``A``/``M``) and normalizations (``N``) carry nothing a prediction can hold
and are passed over; anything else is an error.

>>> from newsgold.model import Document
>>> from newsgold.model import Gold
>>> gold = Gold({"d1": Document("d1", "Putin met Biden", "2021-12-30", "r")}, ())
>>> pred = from_brat({"d1": "T1\\tPER 0 5\\tPutin\\nT2\\tPER 10 15\\tBiden\\n"}, gold)[0]
>>> [(e.start, e.end, e.label) for e in pred.entities]
[(0, 5, 'PER'), (10, 15, 'PER')]
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..errors import Problem, ValidationError, short
from ..model import Entity, Gold, Prediction

_TEXT_BOUND = re.compile(r"T\w+\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)")
_PASSED_OVER = ("#", "R", "E", "A", "M", "N", "*")


def from_brat(files: Mapping[str, str], gold: Gold, *, folder: str = "<brat>") -> list[Prediction]:
    """Read ``.ann`` contents into entity predictions.

    Args:
        files: ``doc_id`` (the file stem) → the ``.ann`` file's text.
        gold: the gold, to check ids, offsets and surfaces.
        folder: how to name the folder in problems.

    Returns:
        One prediction per file, sorted by ``doc_id``.

    Raises:
        ValidationError: every problem of every file.
    """
    problems: list[Problem] = []
    out: list[Prediction] = []
    for doc_id in sorted(files):
        name = f"{folder}/{doc_id}.ann"
        doc = gold.docs.get(doc_id)
        if doc is None:
            problems.append(
                Problem(
                    name,
                    None,
                    "$",
                    f"no gold document {doc_id!r} (expected files named <doc_id>.ann)",
                )
            )
            continue
        ents = []
        for lineno, line in enumerate(files[doc_id].split("\n"), start=1):
            if not line.strip():
                continue
            if line.startswith(_PASSED_OVER):
                continue
            m = _TEXT_BOUND.fullmatch(line.rstrip("\r"))
            if not m:
                problems.append(
                    Problem(
                        name,
                        lineno,
                        "$",
                        f"got {short(line)}, expected 'T<n><TAB>LABEL START END<TAB>TEXT'",
                    )
                )
                continue
            label, offsets, surface = m.groups()
            if ";" in offsets:
                problems.append(
                    Problem(
                        name,
                        lineno,
                        "$",
                        f"discontinuous span {offsets!r} (expected one contiguous START END)",
                    )
                )
                continue
            start, end = map(int, offsets.split())
            if not start < end <= len(doc.text):
                problems.append(
                    Problem(
                        name,
                        lineno,
                        "$",
                        f"span {start} {end} outside the text of length {len(doc.text)} or empty (expected START < END <= {len(doc.text)})",
                    )
                )
                continue
            if doc.text[start:end] != surface:
                problems.append(
                    Problem(
                        name,
                        lineno,
                        "$",
                        f"got {short(surface)}, expected the text at [{start}:{end}] = {short(doc.text[start:end])}",
                    )
                )
                continue
            ents.append(Entity(start, end, surface, label))
        out.append(Prediction(doc_id, entities=tuple(ents)))
    if problems:
        raise ValidationError(problems)
    return out
