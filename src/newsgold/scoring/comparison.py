"""Two systems on the same documents (:func:`compare`): the paired randomisation test, the
paired-bootstrap interval of the difference, and the minimum detectable effect."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from statistics import NormalDist
from typing import Any

import numpy as np

from ..errors import NewsgoldError
from ..model import Gold, Prediction
from .bootstrap import EXACT_LIMIT, bootstrap_sums, interval, randomization_sums
from .common import get_path
from .registry import LAYERS
from .report import FEW_DOCUMENTS, SCHEMA_VERSION, SCORER_VERSION, Comparison, _summarize
from .run import _as_records, _gold_sha256, _run
from .schemes import Scheme
from .units import DEFAULT_UNIT

ALPHA = 0.05
"""The significance level of the minimum detectable effect (two-sided)."""

POWER = 0.8
"""The power of the minimum detectable effect."""


def smallest_p_value(n_units: int, n_resamples: int) -> float:
    """The smallest p-value the paired test of :func:`compare` can return.

    Exact (``n_units <= 16``) and two-sided, the test always counts the observed
    assignment and its mirror image (every unit swapped), so ``p >= 2 / 2**n``;
    the approximate test adds one to both counts, so ``p >= 1 / (n_resamples + 1)``.

    >>> smallest_p_value(5, 10000)
    0.0625
    """
    return 2 / 2**n_units if n_units <= EXACT_LIMIT else 1 / (n_resamples + 1)


def minimum_detectable_effect(
    standard_error: float,
    n_units: int | None = None,
    alpha: float = ALPHA,
    power: float = POWER,
) -> float:
    """The smallest true difference the paired test detects with probability ``power`` at ``alpha``.

    A formula (normal approximation), not a simulation. For a two-sided z
    test it is ``(z[1 − alpha/2] + z[power]) × SE`` (Cohen 1988), SE the
    standard error of the difference (here: the standard deviation of the
    paired bootstrap's differences over the chosen unit). The randomisation
    test swaps units, so its null distribution's variance is that of the
    *uncentred* per-unit differences, about ``SE² + δ²/n`` for a true
    difference δ over ``n`` units; with ``n_units`` the MDE is the δ that solves
    ``δ = z[1 − alpha/2] · √(SE² + δ²/n) + z[power] · SE``, which a direct
    simulation of the test matches (tests/test_statistics.py: power 0.77–0.81
    where the plain formula gives 0.72).

    >>> round(minimum_detectable_effect(0.01), 5)
    0.02802
    >>> round(minimum_detectable_effect(0.01, n_units=60), 5)
    0.02938
    """
    z = NormalDist()
    a, b = z.inv_cdf(1 - alpha / 2), z.inv_cdf(power) * standard_error
    if n_units is None:
        return a * standard_error + b
    lead = 1 - a * a / n_units
    if lead <= 0:
        return math.inf  # too few units: no difference reaches significance with this power
    # lead·δ² − 2bδ + (b² − a²·SE²) = 0, the larger root
    disc = b * b - lead * (b * b - a * a * standard_error**2)
    return (b + math.sqrt(disc)) / lead


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm's step-down adjustment (Holm 1979) of p-values for multiple comparisons.

    Sorted ascending, the i-th smallest of m p-values (i from 1) becomes
    ``max over j <= i of min(1, (m - j + 1) × p_(j))``; rejecting where the
    adjusted value is below alpha controls the family-wise error rate at alpha.
    ``None`` (no test) stays ``None`` and does not count in m.

    >>> holm([0.01, 0.04, None, 0.03])
    [0.03, 0.06, None, 0.06]
    """
    present = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(present)
    out: list[float | None] = [None] * len(p_values)
    running = 0.0
    for k, (p, i) in enumerate(present):
        running = max(running, min(1.0, (m - k) * p))
        out[i] = round(running, 12)
    return out


def compare(
    gold: Gold,
    pred_a: Iterable[Prediction],
    pred_b: Iterable[Prediction],
    *,
    layers: Iterable[str] | None = None,
    scheme: str | Scheme = "newsgold",
    n_resamples: int = 10000,
    seed: int = 0,
    unit: str = DEFAULT_UNIT,
    names: tuple[str, str] = ("<system A>", "<system B>"),
) -> Comparison:
    """Compare two systems on the same documents with a paired test.

    The test is approximate randomisation over units (Noreen 1989; exact
    when there are at most 16 units): under the null hypothesis the two
    systems are exchangeable, so each unit's outputs are swapped between
    them at random, and the p-value is the share of swaps whose |difference|
    is at least the observed one (with the usual +1 correction when sampled).
    The interval of the difference comes from the paired bootstrap (the same
    resampled units for both systems); its standard deviation gives the
    minimum detectable effect at 80% power and alpha 0.05
    (:func:`minimum_detectable_effect`). When the test's smallest attainable
    p-value is above 0.05 no difference can be significant, and the
    minimum detectable effect is ``null``.

    Args:
        gold: the gold.
        pred_a: system A's predictions.
        pred_b: system B's predictions.
        layers: the layers to compare (default: those both systems predict).
        scheme: the label scheme applied to both.
        n_resamples: random swaps and bootstrap resamples.
        seed: random seed.
        unit: the unit swapped and resampled (``document``, ``paragraph``, ``sentence``).
        names: what A and B are (file names), recorded in the comparison.

    Returns:
        The :class:`Comparison`.
    """
    common: dict[str, Any] = {
        "scheme": scheme,
        "seed": seed,
        "corpus_version": "unreleased",
        "unit": unit,
    }
    rep_a, (doc_ids, mats_a, scored_a, sch, lay) = _run(
        gold,
        _as_records(pred_a, "<system A>"),
        layers=layers,
        n_bootstrap=0,
        source="<system A>",
        **common,
    )
    rep_b, (_, mats_b, scored_b, _, _) = _run(
        gold,
        _as_records(pred_b, "<system B>"),
        layers=layers,
        n_bootstrap=0,
        source="<system B>",
        **common,
    )
    scored = [x for x in scored_a if x in scored_b]
    if not scored:
        raise NewsgoldError(
            f"no layer in common: system A predicts {', '.join(scored_a)}, system B predicts "
            f"{', '.join(scored_b)} (expected a layer both predict; name the layers to compare "
            "one of them as predicting nothing)"
        )
    n_docs = len(doc_ids)
    n_units = lay.n_units
    floor = smallest_p_value(n_units, n_resamples)
    warnings = [f"system A: {w}" for w in rep_a.warnings if "bootstrap" not in w]
    warnings += [f"system B: {w}" for w in rep_b.warnings if "bootstrap" not in w]
    if floor > ALPHA:
        warnings.append(
            f"on {n_units} {lay.unit}s the smallest p-value this test can reach is {floor:.4g}, "
            f"above {ALPHA}: no difference can be significant (resample a smaller unit: --unit)"
        )
    elif n_units < FEW_DOCUMENTS:
        warnings.append(
            f"only {n_units} {lay.unit}s: the test has little power, and a p-value this coarse "
            f"(at best {floor:.3g}) says little"
        )
    if unit != "document":
        warnings.append(
            f"the test treats the {n_units} {lay.unit}s of {n_docs} documents as independent; "
            "units of one document are correlated, so p-values and intervals are optimistic "
            "by the design effect (docs/statistics.md)"
        )
    figures: dict[str, Any] = {}
    exact = False
    for layer in scored:
        a, b = mats_a[layer], mats_b[layer]
        pa = _summarize(layer, a.sum(axis=0), sch.labels)
        pb = _summarize(layer, b.sum(axis=0), sch.labels)
        ra, rb, exact = randomization_sums(a, b, n_resamples, seed=seed)
        sa, sb = _summarize(layer, ra, sch.labels), _summarize(layer, rb, sch.labels)
        boot_a = _summarize(layer, bootstrap_sums(a, n_resamples, seed=seed), sch.labels)
        boot_b = _summarize(layer, bootstrap_sums(b, n_resamples, seed=seed), sch.labels)
        for path in LAYERS[layer].headline:
            va = float(get_path(pa, path)[0])
            vb = float(get_path(pb, path)[0])
            delta = va - vb
            entry: dict[str, Any] = {"a": va, "b": vb, "difference": delta}
            if math.isnan(delta):
                entry.update(p_value=None, difference_ci95=None, standard_error=None, mde=None)
            else:
                swapped = get_path(sa, path) - get_path(sb, path)
                swapped = swapped[~np.isnan(swapped)]
                hits = int(np.sum(np.abs(swapped) >= abs(delta) - 1e-12))
                p = hits / swapped.size if exact else (hits + 1) / (swapped.size + 1)
                entry["p_value"] = min(1.0, p)
                diffs = get_path(boot_a, path) - get_path(boot_b, path)
                entry["difference_ci95"] = interval(diffs)
                diffs = diffs[~np.isnan(diffs)]
                se = float(np.std(diffs, ddof=1)) if diffs.size > 1 else math.nan
                entry["standard_error"] = se
                entry["mde"] = (
                    None
                    if floor > ALPHA or math.isnan(se)
                    else minimum_detectable_effect(se, n_units)
                )
            figures[f"{layer}.{path}"] = entry
    data = {
        "schema_version": SCHEMA_VERSION,
        "scorer_version": SCORER_VERSION,
        "gold_sha256": _gold_sha256(gold),
        "scheme": sch.name,
        "documents": n_docs,
        "systems": {"A": names[0], "B": names[1]},
        "test": {
            "method": f"approximate randomisation over {lay.unit}s, two-sided",
            "unit": lay.unit,
            "units": n_units,
            "exact": exact,
            "resamples": None if exact else n_resamples,
            "seed": seed,
            "smallest_p_value": floor,
            "alpha": ALPHA,
            "difference_interval": "paired percentile bootstrap over the same units, 95%",
            "mde": f"minimum detectable effect at {POWER:.0%} power, alpha {ALPHA}, two-sided, by "
            "formula: the δ solving δ = z[0.975]·√(SE² + δ²/units) + z[0.8]·SE, SE the standard "
            "deviation of the paired bootstrap's differences",
        },
        "figures": figures,
        "warnings": warnings,
    }
    return Comparison(data, tuple(warnings))
