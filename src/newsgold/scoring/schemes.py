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

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import Any, Literal

import numpy as np

from ..model import ENTITY_LABELS, Date, Prediction

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

    def route(self, labels: Sequence[str | None]) -> tuple[Any, list[str | None]]:
        """Where each predicted entity goes: the one projection of labels.

        Args:
            labels: predicted entity labels (all known to the scheme; ``None``
                for an entity without a label, which stays an entity).

        Returns:
            ``(kinds, targets)``: per entity ``0`` (stays an entity, target =
            its evaluation label), ``1`` (becomes a date, target = its type) or
            ``2`` (set aside, target = the label).
        """
        table: dict[str | None, tuple[int, str | None]] = {None: (0, None)}
        for lab in sorted(set(labels) - {None}, key=str):
            if lab is not None:
                found = self.pred_map.get(lab)
                if found is None:  # the record check refuses these first; callers of project() too
                    from ..errors import UsageError

                    raise UsageError(
                        f"unknown label {lab!r} for the {self.name} scheme "
                        f"(expected one of {', '.join(self.accepted)})"
                    )
                table[lab] = (_KIND[found[0]], found[1])
        if all(kind == 0 for kind, _ in table.values()):  # the usual case: entities stay entities
            target_of = {lab: target for lab, (_, target) in table.items()}
            return np.zeros(len(labels), dtype=np.int8), list(map(target_of.__getitem__, labels))
        routed = list(map(table.__getitem__, labels))
        kinds = np.fromiter(map(itemgetter(0), routed), dtype=np.int8, count=len(routed))
        return kinds, list(map(itemgetter(1), routed))

    def project(self, pred: Prediction) -> Projection:
        """One prediction in the scheme's evaluation terms (what the scorer, the HTML report and
        the leaderboard all score).

        Entities keep their span and take their evaluation label. Under
        ``ontonotes``, a DATE or TIME entity becomes a predicted date of that
        type with no value and no mod, unless the prediction already has a date
        on exactly that span (then the two are one predicted date: the date, as
        predicted). Labels the gold does not annotate are set aside and counted.

        >>> from newsgold.model import Date, Entity, Prediction
        >>> p = Prediction("d", entities=(Entity(0, 5, label="PERSON"), Entity(6, 14, label="DATE"),
        ...                               Entity(15, 18, label="MONEY")),
        ...                dates=(Date(6, 14, type="DATE", value="2021-12-30"),))
        >>> out = SCHEMES["ontonotes"].project(p)
        >>> [(e.start, e.label) for e in out.prediction.entities], len(out.prediction.dates)
        ([(0, 'PER')], 1)
        >>> dict(out.set_aside)
        {'MONEY': 1}
        """
        set_aside: Counter[str] = Counter()
        entities = None
        moved: list[tuple[Any, ...]] = []
        if pred.entities is not None:
            kinds, targets = self.route([e.label for e in pred.entities])
            kept = []
            for e, kind, target in zip(pred.entities, kinds.tolist(), targets, strict=True):
                if kind == 0:
                    kept.append(replace(e, label=target))
                elif kind == 1:
                    moved.append((0, e.start, e.end, target, None, None))
                else:
                    set_aside[target or ""] += 1
            entities = tuple(kept)
        dates = pred.dates
        if moved:
            rows = [(0, d.start, d.end, d.type, d.value, d.mod) for d in pred.dates or ()]
            merged = merge_dates(rows, moved)
            dates = (
                *(pred.dates or ()),
                *(Date(r[1], r[2], type=r[3]) for r in merged[len(rows) :]),
            )
        return Projection(replace(pred, entities=entities, dates=dates), set_aside)


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

#: The scheme used when none is named (``--scheme``'s default).
DEFAULT_SCHEME = "newsgold"

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


_KIND = {"entity": 0, "date": 1, "drop": 2}


@dataclass(frozen=True)
class Projection:
    """A prediction in evaluation terms (:meth:`Scheme.project`).

    Attributes:
        prediction: entities with evaluation labels; dates including those
            moved from entities.
        set_aside: predicted labels the gold does not annotate, with counts.
    """

    prediction: Prediction
    set_aside: Mapping[str, int] = field(hash=False)


def merge_dates(
    dates: Sequence[tuple[Any, ...]], moved: Sequence[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """Predicted dates plus dates moved from entities: a moved one on the span of another adds nothing.

    Args:
        dates: ``(doc, start, end, type, value, mod)`` rows as predicted.
        moved: rows made from DATE/TIME entities (:meth:`Scheme.project`).

    Returns:
        ``dates`` followed by the moved rows whose ``(doc, start, end)`` is new.

    >>> merge_dates([(0, 1, 5, "DATE", "2021", None)], [(0, 1, 5, "DATE", None, None), (0, 7, 9, "TIME", None, None)])
    [(0, 1, 5, 'DATE', '2021', None), (0, 7, 9, 'TIME', None, None)]
    """
    if not moved:
        return list(dates)
    have = {r[:3] for r in dates}
    out = list(dates)
    for r in moved:
        if r[:3] not in have:
            have.add(r[:3])
            out.append(r)
    return out


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
