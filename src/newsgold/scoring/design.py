"""How much the resampling unit matters: interval widths and design effects (:func:`unit_effects`).

Units inside one document are correlated (the same writer, topic and
entities), so a bootstrap that draws paragraphs or sentences independently
understates the variance of a figure. The *design effect* of a unit (Kish
1965) measures by how much:

    deff(unit) = Var(figure | documents resampled, each with all its units)
                 / Var(figure | units resampled independently)

Both variances are bootstrap variances (the same number of resamples, the
same seed) over the same counts: the numerator resamples the document rows
(the clustered bootstrap, each document a cluster of its units), the
denominator the unit rows (the naive bootstrap). ``deff`` ≈ 1 says the units
behave as independent draws; ``deff`` = 2 says intervals over that unit are
about √2 too narrow, and the corpus holds as much information as half as many
independent units (``units / deff``, the effective number of units). With five
documents the numerator rests on five clusters and is itself rough: read the
design effects of this corpus as an order of magnitude.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..model import Gold, Prediction
from .bootstrap import bootstrap_sums, interval
from .common import get_path
from .registry import LAYERS
from .report import _summarize
from .run import _as_records, count_stream
from .schemes import Scheme, get_scheme
from .units import UNITS


@dataclass(frozen=True)
class UnitEffect:
    """One figure of one system under one unit.

    Attributes:
        figure: ``layer.path`` (``entities.strict.f1``).
        unit: the resampling unit.
        units: how many units the corpus has.
        value: the figure.
        width: the width of its 95% percentile interval under this unit.
        variance: its bootstrap variance under this unit (naive: units drawn independently).
        clustered_variance: its bootstrap variance with documents drawn (the clustered bootstrap).
        design_effect: ``clustered_variance / variance`` (``None`` when undefined).
    """

    figure: str
    unit: str
    units: int
    value: float | None
    width: float | None
    variance: float | None
    clustered_variance: float | None
    design_effect: float | None


def _var(values: Any) -> float | None:
    ok = np.asarray(values, dtype=np.float64)
    ok = ok[~np.isnan(ok)]
    return float(np.var(ok, ddof=1)) if ok.size > 1 else None


def unit_effects(
    gold: Gold,
    predictions: Iterable[Prediction | Mapping[str, Any]],
    *,
    scheme: str | Scheme = "newsgold",
    layers: Sequence[str] | None = None,
    units: Sequence[str] = UNITS,
    n_resamples: int = 2000,
    seed: int = 0,
) -> list[UnitEffect]:
    """Interval width and design effect of each headline figure under each unit.

    Args:
        gold: the gold.
        predictions: one system's predictions (read once).
        scheme: its label scheme.
        layers: the layers to report (default: those predicted).
        units: the units to compare.
        n_resamples: bootstrap resamples of each variance.
        seed: the bootstrap's seed.

    Returns:
        One :class:`UnitEffect` per layer headline figure and unit.
    """
    sch = scheme if isinstance(scheme, Scheme) else get_scheme(scheme)
    records = list(_as_records(predictions, "<predictions>"))
    out: list[UnitEffect] = []
    for unit in units:
        engine = count_stream(gold, records, sch, "<predictions>", unit=unit)
        wanted = [x for x in LAYERS if x in (layers or engine.predicted)]
        for layer in wanted:
            rows = engine.mats[layer]
            docs = engine.layout.per_document(rows)
            point = _summarize(layer, rows.sum(axis=0), sch.labels)
            naive = _summarize(layer, bootstrap_sums(rows, n_resamples, seed=seed), sch.labels)
            clustered = _summarize(layer, bootstrap_sums(docs, n_resamples, seed=seed), sch.labels)
            for path in LAYERS[layer].headline:
                value = float(get_path(point, path)[0])
                ci = interval(get_path(naive, path))
                v_naive = _var(get_path(naive, path))
                v_clustered = _var(get_path(clustered, path))
                out.append(
                    UnitEffect(
                        figure=f"{layer}.{path}",
                        unit=unit,
                        units=engine.layout.n_units,
                        value=None if np.isnan(value) else value,
                        width=None if ci is None else ci[1] - ci[0],
                        variance=v_naive,
                        clustered_variance=v_clustered,
                        design_effect=(
                            v_clustered / v_naive if v_naive and v_clustered is not None else None
                        ),
                    )
                )
    return out
