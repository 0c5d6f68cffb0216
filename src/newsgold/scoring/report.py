"""The report objects (:class:`Report`, :class:`Comparison`) and their rounding; one layer's
figures with their bootstrap intervals and per-document views."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .bootstrap import bootstrap_sums, intervals
from .common import Figures, columns_view, get_path, nanmean_std
from .registry import LAYERS

SCORER_VERSION = "1.2.0"
"""Version of the scoring code; a change of any figure's meaning also renames that figure."""

SCHEMA_VERSION = 2
"""Version of the report object's layout (:meth:`Report.to_json`)."""

FEW_DOCUMENTS = 30
"""Below this many documents, intervals and p-values come with a warning."""

DIGITS = 6

# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class Report:
    """The result of :func:`score` or :func:`agree`.

    Attributes:
        data: the full report object, unrounded (see :meth:`to_json` for its layout).
        missing_doc_ids: gold documents the predictions did not cover (scored
            as predicting nothing), sorted.
        warnings: things the reader should know (missing documents, few
            documents, labels set aside by the scheme), one sentence each.
    """

    data: Mapping[str, Any] = field(hash=False)
    missing_doc_ids: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The stable report object, floats rounded to 6 decimals, undefined figures ``null``.

        Returns:
            A JSON-ready dict; layers not scored are ``null``.
        """
        return _rounded(self.data)  # type: ignore[no-any-return]

    def figure(self, path: str) -> Any:
        """One figure by dotted path, rounded as in :meth:`to_json` (``entities.strict.f1``)."""
        node: Any = self.to_json()
        for part in path.split("."):
            node = None if node is None else node[part]
        return node


def _rounded(obj: Any) -> Any:
    if isinstance(obj, float):
        return None if math.isnan(obj) else round(obj, DIGITS)
    if isinstance(obj, Mapping):
        return {k: _rounded(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_rounded(v) for v in obj]
    return obj


def _summarize(layer: str, sums: Any, labels: Sequence[str], detail: bool = True) -> Figures:
    spec = LAYERS[layer]
    c = columns_view(np.atleast_2d(sums), spec.column_names(labels))
    return spec.summarize(c, labels, detail=detail)


def _scalars(fig: Any, index: int = 0) -> Any:
    """Nested arrays → nested Python scalars (``nan`` kept; rounded to ``null`` on write)."""
    if isinstance(fig, dict):
        return {k: _scalars(v, index) for k, v in fig.items()}
    value = float(np.asarray(fig).reshape(-1)[index])
    return value


_COUNT_KEYS = {"correct", "incorrect", "partial", "missed", "spurious", "gold", "predicted"}


def _ints(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {
            k: (int(v) if k in _COUNT_KEYS and isinstance(v, float) else _ints(v))
            for k, v in obj.items()
        }
    return obj


def _interval_slots(
    point: dict[str, Any],
    boot: Mapping[str, Any] | None,
    out: list[tuple[dict[str, Any], str, Any]],
) -> None:
    """Every figure of ``point`` that is not a count: ``(its dict, its key, its resamples)``."""
    for key in list(point):
        value = point[key]
        if isinstance(value, dict):
            _interval_slots(value, None if boot is None else boot[key], out)
        elif key not in _COUNT_KEYS:
            out.append((point, key, None if boot is None else boot[key]))


def _attach_intervals(point: dict[str, Any], boot: Mapping[str, Any] | None) -> None:
    """Add ``<key>_ci95`` beside every figure that is not a count (``null``: undefined or no bootstrap).

    An undefined figure (``nan``: a denominator of 0) has a ``null`` interval.
    """
    slots: list[tuple[dict[str, Any], str, Any]] = []
    _interval_slots(point, boot, slots)
    if boot is None:
        for target, key, _ in slots:
            target[key + "_ci95"] = None
        return
    found = intervals(np.vstack([np.asarray(b, dtype=np.float64).reshape(-1) for _, _, b in slots]))
    for (target, key, _), ci in zip(slots, found, strict=True):
        target[key + "_ci95"] = None if math.isnan(target[key]) else ci


def _set_path(target: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


class _PerDocument(Mapping[str, Any]):
    """Per-document figures, built into dicts only when first read (10,000 documents cost time)."""

    def __init__(self, doc_ids: Sequence[str], paths: Sequence[str], figures: Figures) -> None:
        self._doc_ids = list(doc_ids)
        self._paths = tuple(paths)
        self._columns = [np.asarray(get_path(figures, p)) for p in paths]
        self._built: dict[str, Any] | None = None

    def _build(self) -> dict[str, Any]:
        if self._built is None:
            columns = [c.tolist() for c in self._columns]
            # group the dotted paths once: "strict.f1" → entry["strict"]["f1"]
            groups: dict[str, list[tuple[str, int]]] = {}
            flat: list[tuple[str, int]] = []
            for k, path in enumerate(self._paths):
                head, _, tail = path.partition(".")
                if tail:
                    groups.setdefault(head, []).append((tail, k))
                else:
                    flat.append((head, k))
            docs: dict[str, Any] = {}
            for i, doc_id in enumerate(self._doc_ids):
                entry: dict[str, Any] = {
                    head: {tail: columns[k][i] for tail, k in members}
                    for head, members in groups.items()
                }
                for head, k in flat:
                    v = columns[k][i]
                    entry[head] = int(v) if head in ("gold", "predicted") else v
                docs[doc_id] = entry
            self._built = docs
        return self._built

    def __getitem__(self, key: str) -> Any:
        return self._build()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._build())

    def __len__(self) -> int:
        return len(self._doc_ids)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]


def _layer_report(
    layer: str,
    doc_ids: Sequence[str],
    rows: Any,
    labels: Sequence[str],
    n_boot: int,
    seed: int,
    doc_rows: Any = None,
) -> dict[str, Any]:
    """One layer's figures, intervals and per-document views.

    Args:
        rows: the count rows the bootstrap resamples (one per unit).
        doc_rows: the same counts summed per document (default: ``rows`` are documents).
    """
    doc_rows = rows if doc_rows is None else doc_rows
    point: dict[str, Any] = _ints(_scalars(_summarize(layer, rows.sum(axis=0), labels)))
    if n_boot > 0:
        boot = _summarize(layer, bootstrap_sums(rows, n_boot, seed=seed), labels)
        _attach_intervals(point, boot)
    else:
        _attach_intervals(point, None)  # the same keys, null: the report's shape never changes
    per_doc = _summarize(layer, doc_rows, labels, detail=False)
    paths = LAYERS[layer].per_document
    point_docs = _PerDocument(doc_ids, paths, per_doc)
    point["per_document"] = point_docs
    summary: dict[str, Any] = {}
    for path in paths:
        if path.endswith("f1"):
            mean, std, n = nanmean_std(get_path(per_doc, path))
            _set_path(summary, path, {"mean": mean, "std": std, "documents": n})
    point["per_document_summary"] = summary
    return point


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare`.

    Attributes:
        data: the comparison object: per headline figure the value of A and B,
            the difference A − B, its paired-bootstrap 95% interval and the
            randomisation test's two-sided p-value.
        warnings: e.g. how few documents the test rests on.
    """

    data: Mapping[str, Any] = field(hash=False)
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The comparison object, floats rounded to 6 decimals."""
        return _rounded(self.data)  # type: ignore[no-any-return]
