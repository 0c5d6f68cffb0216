"""Layers and metrics, each described once.

A :class:`Layer` declares everything the scorer, the report, the leaderboard
and the CLI need to know about it: the fields of its spans, its count
columns, how a batch is counted (column-wise, see :mod:`.engine`), its
figures (:class:`Metric`, with versioned names), the figures the paired test
compares, the figures reported per document, and the figure the board ranks
by. Nothing else in the code lists layers or metrics: they read
:data:`LAYERS`.

Adding a metric to a layer is one call (see CONTRIBUTING.md):

>>> from newsgold.scoring.common import ratio
>>> m = Metric("linked_share", "entities.linked_share.v1", lambda c, labels: ratio(c["linked"], c["pred"]))
>>> register_metric("entities", m)
>>> "entities.linked_share.v1" in LAYERS["entities"].metric_names.values()
True
>>> unregister_metric("entities", "linked_share")
"""

from __future__ import annotations

from .spec import Layer, Metric, Slice

LAYERS: dict[str, Layer] = {}
"""The layers by name, in report order."""


def register_layer(layer: Layer) -> None:
    """Add a layer (its name must be new)."""
    if layer.name in LAYERS:
        raise ValueError(f"layer {layer.name!r} is registered already")
    LAYERS[layer.name] = layer


def register_metric(layer: str, metric: Metric) -> None:
    """Add a figure to a layer; the report, the table, the board and ``compare`` pick it up."""
    target = LAYERS[layer]
    if any(m.key == metric.key for m in target.all_metrics()):
        raise ValueError(f"{layer} has a figure {metric.key!r} already")
    names = [m.name for lay in LAYERS.values() for m in lay.all_metrics() if m.name]
    if metric.name is not None and metric.name in names:
        raise ValueError(f"metric name {metric.name!r} is taken")
    target.extra.append(metric)


def register_slice(layer: str, piece: Slice) -> None:
    """Add a slicing of a layer's spans: its figures join the layer's ``slices`` figure."""
    target = LAYERS[layer]
    if target.slice_verdict is None:
        raise ValueError(f"{layer} declares no slice verdict")
    if any(s.name == piece.name for s in target.slices):
        raise ValueError(f"{layer} has a slice {piece.name!r} already")
    target.slices.append(piece)


def unregister_slice(layer: str, name: str) -> None:
    """Remove a slicing added by :func:`register_slice`."""
    target = LAYERS[layer]
    target.slices[:] = [s for s in target.slices if s.name != name]


def unregister_metric(layer: str, key: str) -> None:
    """Remove a figure added by :func:`register_metric`."""
    target = LAYERS[layer]
    target.extra[:] = [m for m in target.extra if m.key != key]


def _register_builtins() -> None:
    from . import dates, entities, quotes

    for module in (entities, dates, quotes):
        if module.LAYER.name not in LAYERS:
            register_layer(module.LAYER)


_register_builtins()
