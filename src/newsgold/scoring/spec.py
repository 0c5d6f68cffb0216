"""What a layer and a metric are: the records :mod:`.registry` holds."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .common import Figures


@dataclass(frozen=True)
class Metric:
    """One figure (or a group of figures) of a layer, computed from summed count columns.

    Attributes:
        key: its key in the layer's report object (``strict``, ``kb_id_accuracy``).
        name: its versioned name (``entities.strict.v1``); ``None`` for plain counts.
        compute: ``(columns, labels) → array or nested figures``; ``columns``
            maps each count column's name to its sums (one element per resample
            or document), ``labels`` are the scheme's evaluation labels.
        headline: paths under ``key`` that :func:`newsgold.scoring.compare` tests
            (``"f1"``; ``""`` for the figure itself).
        per_document: paths under ``key`` reported per document.
        detail: computed only for the corpus total and its resamples, not per document.
        board: ``(path under key, column title)`` shown on the leaderboard.
        table: paths under ``key`` shown as rows of ``newsgold score``'s table
            (``""`` for the figure itself); a P/R/F1 group, an F1 or an accuracy.
    """

    key: str
    name: str | None
    compute: Callable[[Mapping[str, Any], Sequence[str]], Any]
    headline: tuple[str, ...] = ()
    per_document: tuple[str, ...] = ()
    detail: bool = False
    board: tuple[tuple[str, str], ...] = ()
    table: tuple[str, ...] = ()


@dataclass(frozen=True)
class Slice:
    """A partition of a layer's spans into named slices (HIPE-style figures per slice).

    Each span gets a slice code (an index into ``values``; -1: in no slice)
    from :attr:`code`. The engine adds, per value, the count columns
    ``gold`` (gold spans in the slice), ``pred`` (predicted spans in the slice,
    when ``pred``) and ``correct`` (matched pairs whose gold span is in the
    slice and whose verdict is the layer's :attr:`Layer.slice_verdict`), so
    the slice's figures are ordinary formulas of summed counts: they get
    bootstrap intervals like every other figure.

    Attributes:
        name: the slice's key in the report (``length``).
        values: the slices' names, in order (``1``, ``2``, ``3``, ``4+``).
        code: ``(gold, columns, side, global starts, global ends) → codes``, for the
            gold side (once per gold) and for the predicted spans of each batch.
        pred: predicted spans are sliced too (precision, recall and F1 per
            slice); else only the gold is (recall per slice).
        title: a short description for the report page.
    """

    name: str
    values: tuple[str, ...]
    code: Callable[..., Any]
    pred: bool = True
    title: str = ""

    def columns(self) -> tuple[str, ...]:
        """The count columns the engine adds for this slice."""
        kinds = ("gold", "pred", "correct") if self.pred else ("gold", "correct")
        return tuple(f"slice:{self.name}={v}:{k}" for v in self.values for k in kinds)


@dataclass
class Layer:
    """Everything about one annotation layer, in one place.

    Attributes:
        name: ``entities``, ``dates``, ``quotes``.
        title: its title on the board and in tables.
        fields: the fields of a span after ``start, end``, in the order the
            matching's tie-break reads them (the first is the label, type or kind).
        gold_values: ``(document, scheme) → [(start, end, *fields), ...]``.
        columns: ``labels → count column names``.
        count: ``(counting, codes) → (documents × columns)`` counts of a batch.
        metrics: the figures, in report order.
        name_order: the keys of the versioned names, in the order the report lists them.
        primary: the figure the board ranks by.
        vocabulary: ``scheme → {field: values}`` whose codes must be their
            positions (the entity labels of the scheme, so code k is label k).
        extras: gold-only values after the fields in ``gold_values`` tuples
            (``alternatives``: the accepted extents), not used by the matching.
        extra: metrics added by :func:`.registry.register_metric`.
    """

    name: str
    title: str
    fields: tuple[str, ...]
    gold_values: Callable[[Any, Any], Iterable[tuple[Any, ...]]]
    columns: Callable[[Sequence[str]], tuple[str, ...]]
    count: Callable[[Any, Mapping[str, Any]], Any]
    metrics: list[Metric]
    name_order: tuple[str, ...]
    primary: str
    vocabulary: Callable[[Any], dict[str, list[Any]]] = lambda _scheme: {}
    extras: tuple[str, ...] = ()
    extra: list[Metric] = field(default_factory=list)
    slices: list[Slice] = field(default_factory=list)
    slice_verdict: Callable[[Any, Any, Mapping[str, Any]], Any] | None = None
    slice_metric: str | None = None

    def all_metrics(self) -> list[Metric]:
        """The built-in metrics, those registered later, then the slices' figures (if any)."""
        out = [*self.metrics, *self.extra]
        if self.slices:
            paths = tuple(f"{s.name}.{v}" for s in self.slices for v in s.values)
            out.append(
                Metric("slices", self.slice_metric, self._slice_figures, detail=True, table=paths)
            )
        return out

    def column_names(self, labels: Sequence[str]) -> tuple[str, ...]:
        """Every count column: the layer's own (:attr:`columns`), then the slices'."""
        return self.columns(labels) + tuple(c for s in self.slices for c in s.columns())

    def _slice_figures(self, c: Mapping[str, Any], labels: Sequence[str]) -> Figures:
        """Per slice and value: gold (and predicted) counts, recall (precision and F1)."""
        from .common import prf, ratio

        out: Figures = {}
        for s in self.slices:
            group: Figures = {}
            for v in s.values:
                key = f"slice:{s.name}={v}:"
                gold = np.asarray(c[key + "gold"], dtype=np.float64)
                if s.pred:
                    fig = prf(c[key + "correct"], c[key + "pred"], gold)
                    fig["predicted"] = np.asarray(c[key + "pred"], dtype=np.float64)
                else:
                    fig = {"recall": ratio(c[key + "correct"], gold)}
                fig["gold"] = gold
                group[v] = fig
            out[s.name] = group
        return out

    @property
    def metric_names(self) -> dict[str, str]:
        """Report key → versioned name, in report order."""
        names = {m.key: m.name for m in self.all_metrics() if m.name is not None}
        ordered = {k: names[k] for k in self.name_order if k in names}
        ordered.update({k: v for k, v in names.items() if k not in ordered})
        return ordered

    @property
    def headline(self) -> tuple[str, ...]:
        """The dotted paths :func:`newsgold.scoring.compare` tests."""
        return tuple(f"{m.key}.{h}" if h else m.key for m in self.all_metrics() for h in m.headline)

    @property
    def board_columns(self) -> tuple[tuple[str, str], ...]:
        """``(report path, title)`` of the figures the leaderboard shows."""
        return tuple(
            (f"{m.key}.{p}" if p else m.key, title)
            for m in self.all_metrics()
            for p, title in m.board
        )

    @property
    def table_rows(self) -> tuple[str, ...]:
        """The dotted paths of ``newsgold score``'s table rows."""
        return tuple(f"{m.key}.{p}" if p else m.key for m in self.all_metrics() for p in m.table)

    @property
    def per_document(self) -> tuple[str, ...]:
        """The dotted paths reported per document."""
        return tuple(
            f"{m.key}.{h}" if h else m.key for m in self.all_metrics() for h in m.per_document
        )

    def summarize(
        self, c: Mapping[str, Any], labels: Sequence[str], *, detail: bool = True
    ) -> Figures:
        """Every figure from summed count columns."""
        return {m.key: m.compute(c, labels) for m in self.all_metrics() if detail or not m.detail}
