"""Label schemes: score a system whose labels are not newsgold's through a named projection.

A scheme maps *both* sides into one evaluation label set, so gold and
predictions are compared in the same terms:

- ``newsgold`` (default): PER, ORG, GPE, LOC, NORP on both sides.
- ``ontonotes``: predictions in the OntoNotes 5 label set (spaCy's English
  pipelines). PERSON → PER; ORG, GPE, LOC, NORP unchanged; FAC (buildings,
  airports, roads: named places) → LOC. DATE and TIME entities leave the entity
  layer and become predicted dates of that type (no value), scored in the
  dates layer. The other OntoNotes labels (EVENT, PRODUCT, WORK_OF_ART, LAW,
  LANGUAGE and the numeric PERCENT, MONEY, QUANTITY, ORDINAL, CARDINAL) have no
  counterpart in the gold, which annotates none of them: they are set aside and
  counted in the report (``scheme.set_aside``), never silently.
- ``conll``: CoNLL-2003 labels PER, ORG, LOC, MISC. The gold is projected:
  GPE and LOC → LOC, NORP → MISC.

>>> SCHEMES["conll"].gold_label("GPE")
'LOC'
>>> SCHEMES["ontonotes"].pred_target("PERSON")
('entity', 'PER')
>>> SCHEMES["ontonotes"].pred_target("TIME")
('date', 'TIME')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ..model import ENTITY_LABELS

Target = tuple[Literal["entity", "date", "drop"], str]


@dataclass(frozen=True)
class Scheme:
    """A named projection of gold and predicted entity labels onto one label set.

    Attributes:
        name: the scheme's name (``newsgold``, ``ontonotes``, ``conll``).
        labels: the evaluation labels, in report order.
        gold_map: gold label → evaluation label.
        pred_map: predicted label → ``("entity", label)``, ``("date", TYPE)``
            (moves the span to the dates layer) or ``("drop", label)`` (set
            aside, counted in the report).
    """

    name: str
    labels: tuple[str, ...]
    gold_map: Mapping[str, str] = field(hash=False)
    pred_map: Mapping[str, Target] = field(hash=False)

    @property
    def accepted(self) -> tuple[str, ...]:
        """Every predicted label the scheme knows, sorted."""
        return tuple(sorted(self.pred_map))

    def gold_label(self, label: str) -> str:
        """The evaluation label of a gold label."""
        return self.gold_map[label]

    def pred_target(self, label: str) -> Target | None:
        """Where a predicted label goes, or ``None`` when the scheme does not know it."""
        return self.pred_map.get(label)


_IDENTITY = {lab: lab for lab in ENTITY_LABELS}

_ONTONOTES: dict[str, Target] = {
    "PERSON": ("entity", "PER"),
    "ORG": ("entity", "ORG"),
    "GPE": ("entity", "GPE"),
    "LOC": ("entity", "LOC"),
    "NORP": ("entity", "NORP"),
    "FAC": ("entity", "LOC"),
    "DATE": ("date", "DATE"),
    "TIME": ("date", "TIME"),
}
for _lab in (
    "EVENT",
    "PRODUCT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
    "PERCENT",
    "MONEY",
    "QUANTITY",
    "ORDINAL",
    "CARDINAL",
):
    _ONTONOTES[_lab] = ("drop", _lab)

SCHEMES: dict[str, Scheme] = {
    "newsgold": Scheme(
        "newsgold",
        ENTITY_LABELS,
        dict(_IDENTITY),
        {lab: ("entity", lab) for lab in ENTITY_LABELS},
    ),
    "ontonotes": Scheme("ontonotes", ENTITY_LABELS, dict(_IDENTITY), _ONTONOTES),
    "conll": Scheme(
        "conll",
        ("PER", "ORG", "LOC", "MISC"),
        {"PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "NORP": "MISC"},
        {lab: ("entity", lab) for lab in ("PER", "ORG", "LOC", "MISC")},
    ),
}
"""The label schemes by name."""


def get_scheme(name: str) -> Scheme:
    """The scheme called ``name``.

    Args:
        name: ``newsgold``, ``ontonotes`` or ``conll``.

    Returns:
        The scheme.

    Raises:
        UsageError: for an unknown name, listing the known ones.

    >>> get_scheme("conll").labels
    ('PER', 'ORG', 'LOC', 'MISC')
    """
    from ..errors import UsageError

    try:
        return SCHEMES[name]
    except KeyError:
        raise UsageError(
            f"unknown scheme {name!r} (expected one of {', '.join(sorted(SCHEMES))})"
        ) from None
