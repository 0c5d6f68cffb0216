"""Two systems on the same documents (:func:`compare`): the paired randomisation test and
the paired-bootstrap interval of the difference."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..errors import NewsgoldError
from ..model import Gold, Prediction
from .bootstrap import bootstrap_sums, interval, randomization_sums
from .common import get_path
from .registry import LAYERS
from .report import FEW_DOCUMENTS, SCHEMA_VERSION, SCORER_VERSION, Comparison, _summarize
from .run import _as_records, _gold_sha256, _run
from .schemes import Scheme


def smallest_p_value(n_docs: int, n_resamples: int) -> float:
    """The smallest p-value the paired test of :func:`compare` can return.

    Exact (``n_docs <= 16``) and two-sided, the test always counts the observed
    assignment and its mirror image (every document swapped), so ``p >= 2 / 2**n``;
    the approximate test adds one to both counts, so ``p >= 1 / (n_resamples + 1)``.

    >>> smallest_p_value(5, 10000)
    0.0625
    """
    return 2 / 2**n_docs if n_docs <= 16 else 1 / (n_resamples + 1)


def compare(
    gold: Gold,
    pred_a: Iterable[Prediction],
    pred_b: Iterable[Prediction],
    *,
    layers: Iterable[str] | None = None,
    scheme: str | Scheme = "newsgold",
    n_resamples: int = 10000,
    seed: int = 0,
) -> Comparison:
    """Compare two systems on the same documents with a paired test.

    The test is approximate randomisation over documents (Noreen 1989; exact
    when there are at most 16 documents): under the null hypothesis the two
    systems are exchangeable, so each document's outputs are swapped between
    them at random, and the p-value is the share of swaps whose |difference|
    is at least the observed one (with the usual +1 correction when sampled).
    The interval of the difference comes from the paired bootstrap (the same
    resampled documents for both systems).

    Args:
        gold: the gold.
        pred_a: system A's predictions.
        pred_b: system B's predictions.
        layers: the layers to compare (default: those both systems predict).
        scheme: the label scheme applied to both.
        n_resamples: random swaps and bootstrap resamples.
        seed: random seed.

    Returns:
        The :class:`Comparison`.
    """
    common: dict[str, Any] = {"scheme": scheme, "seed": seed, "corpus_version": "unreleased"}
    rep_a, (doc_ids, mats_a, scored_a, sch) = _run(
        gold,
        _as_records(pred_a, "<system A>"),
        layers=layers,
        n_bootstrap=0,
        source="<system A>",
        **common,
    )
    rep_b, (_, mats_b, scored_b, _) = _run(
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
    warnings = [f"system A: {w}" for w in rep_a.warnings if "bootstrap" not in w]
    warnings += [f"system B: {w}" for w in rep_b.warnings if "bootstrap" not in w]
    if n_docs < FEW_DOCUMENTS:
        warnings.append(
            f"only {n_docs} documents: the test has little power, and a p-value this coarse "
            f"(at best {smallest_p_value(n_docs, n_resamples):.3g}) says little"
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
                entry.update(p_value=None, difference_ci95=None)
            else:
                swapped = get_path(sa, path) - get_path(sb, path)
                swapped = swapped[~np.isnan(swapped)]
                hits = int(np.sum(np.abs(swapped) >= abs(delta) - 1e-12))
                p = hits / swapped.size if exact else (hits + 1) / (swapped.size + 1)
                entry["p_value"] = min(1.0, p)
                entry["difference_ci95"] = interval(get_path(boot_a, path) - get_path(boot_b, path))
            figures[f"{layer}.{path}"] = entry
    data = {
        "schema_version": SCHEMA_VERSION,
        "scorer_version": SCORER_VERSION,
        "gold_sha256": _gold_sha256(gold),
        "scheme": sch.name,
        "documents": n_docs,
        "test": {
            "method": "approximate randomisation over documents, two-sided",
            "exact": exact,
            "resamples": None if exact else n_resamples,
            "seed": seed,
        },
        "figures": figures,
        "warnings": warnings,
    }
    return Comparison(data, tuple(warnings))
