"""Score any system against the gold: entities, dates and quotes, with confidence intervals.

The public entry points are pure functions over records (no I/O):

- :func:`score` — one system against the gold → :class:`Report`.
- :func:`compare` — two systems on the same documents, paired test → :class:`Comparison`.
- :func:`agree` — one annotation set against another (inter-annotator agreement) → :class:`Report`.

Every figure is defined in the docstring of its layer module
(:mod:`.entities`, :mod:`.dates`, :mod:`.quotes`) under a versioned name
(``entities.strict.v1``); the matching is in :mod:`.matching`, label schemes
in :mod:`.schemes`, the bootstrap and the paired test in :mod:`.bootstrap`.

>>> from newsgold.model import Document, Entity, Prediction
>>> from newsgold.model import Gold
>>> doc = Document("d1", "Putin met Biden.", "2021-12-30", "r",
...                entities=(Entity(0, 5, "Putin", "PER", "putin"), Entity(10, 15, "Biden", "PER", "biden")))
>>> gold = Gold({"d1": doc}, ())
>>> report = score(gold, [Prediction("d1", entities=(Entity(0, 5, label="PER"),))], n_bootstrap=10)
>>> report.figure("entities.strict.f1"), report.figure("entities.strict.recall")
(0.666667, 0.5)
>>> report.to_json()["dates"] is None
True
"""

from __future__ import annotations

import gc
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import Problem, UsageError, ValidationError, short
from ..jsonio import prediction_from_json, prediction_to_json
from ..model import Gold, Prediction
from ..predcheck import check_stream
from . import quotes as quotes_layer
from .bootstrap import bootstrap_sums, interval, randomization_sums
from .common import Figures, columns_view, get_path, nanmean_std
from .engine import Engine, cached, gold_columns
from .matching import match
from .registry import LAYERS, register_layer, register_metric
from .schemes import SCHEMES, Scheme, get_scheme
from .spec import Layer, Metric

SCORER_VERSION = "1.1.0"
"""Version of the scoring code; a change of any figure's meaning also renames that figure."""

SCHEMA_VERSION = 1
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


# --------------------------------------------------------------------------- input


def prepare_gold(gold: Gold, scheme: str | Scheme = "newsgold") -> None:
    """Do the one-time work per gold object ahead of time (its columns and sha256).

    :func:`score` does it on first use anyway and keeps it for as long as the
    gold object lives; call this to keep it out of a timing.

    Args:
        gold: the gold.
        scheme: the scheme the gold will be scored under.
    """
    sch = scheme if isinstance(scheme, Scheme) else get_scheme(scheme)
    gold_columns(gold, sch)
    _gold_sha256(gold)
    Engine(gold, sch, _resolver(gold))


def _gold_sha256(gold: Gold) -> str:
    return cached(gold, "sha256", lambda: gold.sha256)  # type: ignore[no-any-return]


def _resolver(gold: Gold) -> Callable[[str | None], str | None]:
    return cached(gold, "resolver", lambda: quotes_layer.speaker_resolver(gold.kb))  # type: ignore[no-any-return]


def _as_records(predictions: Iterable[Any], source: str) -> Iterator[tuple[int | None, Any]]:
    """Records as JSON-shaped objects for the one check (:mod:`newsgold.predcheck`)."""
    for i, pred in enumerate(predictions):
        if isinstance(pred, Prediction):
            yield None, prediction_to_json(pred)
        elif isinstance(pred, Mapping):
            yield None, dict(pred)
        else:
            yield (
                None,
                Problem(
                    source,
                    None,
                    f"$[{i}]",
                    f"got {short(pred)}, expected a Prediction or a JSON object",
                ),
            )


def count_stream(
    gold: Gold,
    records: Iterable[tuple[int | None, Any]],
    scheme: Scheme,
    source: str,
    keep: list[Prediction] | None = None,
) -> Engine:
    """Check and count a stream of ``(line, record)`` pairs: the one path of every input.

    Args:
        gold: the gold.
        records: ``(line or None, record)`` pairs (see :func:`newsgold.predcheck.check_stream`).
        scheme: the label scheme.
        source: the input's name for problems.
        keep: receives every valid record as a :class:`Prediction` (for the HTML report).

    Raises:
        ValidationError: every problem of every record.
    """
    engine = Engine(gold, scheme, _resolver(gold))
    problems: list[Problem] = []
    # Parsing creates and drops millions of small containers; with a large gold alive, the
    # cyclic garbage collector would rescan it again and again (nothing here makes cycles).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for batch in check_stream(records, gold.docs, scheme.accepted, source, problems):
            engine.add(batch)
            if keep is not None:
                keep.extend(map(prediction_from_json, batch))
    finally:
        if gc_was_enabled:
            gc.enable()
    if problems:
        raise ValidationError(problems)
    return engine


def checked_predictions(
    records: Iterable[tuple[int | None, Any]],
    gold: Gold,
    scheme: Scheme,
    source: str,
    problems: list[Problem],
) -> list[Prediction]:
    """The valid records of a stream as :class:`Prediction` records (problems collected).

    The one check (:func:`newsgold.predcheck.check_stream`), for callers that need
    the records themselves (``compare`` reads two files before testing them).
    """
    out: list[Prediction] = []
    for batch in check_stream(records, gold.docs, scheme.accepted, source, problems):
        out.extend(map(prediction_from_json, batch))
    return out


def _summarize(layer: str, sums: Any, labels: Sequence[str], detail: bool = True) -> Figures:
    spec = LAYERS[layer]
    c = columns_view(np.atleast_2d(sums), spec.columns(labels))
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


def _attach_intervals(point: dict[str, Any], boot: Mapping[str, Any] | None) -> None:
    for key in list(point):
        value = point[key]
        if isinstance(value, dict):
            _attach_intervals(value, None if boot is None else boot[key])
        elif key == "f1" or key.endswith("_f1"):
            point[key + "_ci95"] = None if boot is None else interval(boot[key])


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
    layer: str, doc_ids: Sequence[str], rows: Any, labels: Sequence[str], n_boot: int, seed: int
) -> dict[str, Any]:
    point: dict[str, Any] = _ints(_scalars(_summarize(layer, rows.sum(axis=0), labels)))
    if n_boot > 0:
        boot = _summarize(layer, bootstrap_sums(rows, n_boot, seed=seed), labels)
        _attach_intervals(point, boot)
    else:
        _attach_intervals(point, None)  # the same keys, null: the report's shape never changes
    per_doc = _summarize(layer, rows, labels, detail=False)
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


def _run(
    gold: Gold,
    records: Iterable[tuple[int | None, Any]],
    *,
    layers: Iterable[str] | None,
    scheme: str | Scheme,
    n_bootstrap: int,
    seed: int,
    corpus_version: str,
    source: str,
    keep: list[Prediction] | None = None,
) -> tuple[Report, Any]:
    sch = scheme if isinstance(scheme, Scheme) else get_scheme(scheme)
    wanted = _check_args(layers, n_bootstrap)
    engine = count_stream(gold, records, sch, source, keep)
    doc_ids, missing, mats = engine.matrices()
    return _finish(
        gold,
        sch,
        wanted,
        doc_ids,
        missing,
        mats,
        engine.predicted,
        engine.set_aside,
        n_bootstrap,
        seed,
        corpus_version,
    )


def _check_args(layers: Iterable[str] | None, n_bootstrap: int) -> tuple[str, ...] | None:
    wanted = None if layers is None else tuple(layers)
    if wanted is not None:
        bad = [x for x in wanted if x not in LAYERS]
        if bad:
            raise UsageError(
                f"unknown layer {short(bad[0])} (expected some of {', '.join(LAYERS)})"
            )
    if n_bootstrap < 0:
        raise UsageError(f"n_bootstrap must be >= 0 (got {n_bootstrap})")
    return wanted


def _finish(
    gold: Gold,
    sch: Scheme,
    wanted: tuple[str, ...] | None,
    doc_ids: list[str],
    missing: list[str],
    mats: dict[str, Any],
    predicted: set[str],
    set_aside: Counter[str],
    n_bootstrap: int,
    seed: int,
    corpus_version: str,
) -> tuple[Report, Any]:
    scored = [x for x in LAYERS if (x in wanted if wanted is not None else x in predicted)]
    warnings: list[str] = []
    if missing:
        warnings.append(
            f"{len(missing)} of {len(doc_ids)} documents have no prediction and count as predicting nothing: "
            + ", ".join(missing[:5])
            + ("…" if len(missing) > 5 else "")
        )
    for layer in scored:
        if layer not in predicted:
            warnings.append(
                f"no prediction has the {layer} layer: it is scored as predicting nothing"
            )
    if len(doc_ids) < FEW_DOCUMENTS and n_bootstrap > 0:
        warnings.append(
            f"only {len(doc_ids)} documents: bootstrap intervals over so few documents are rough"
        )
    if set_aside:
        warnings.append(
            f"the {sch.name} scheme set aside predicted labels the gold does not annotate: "
            + ", ".join(f"{k} ×{v}" for k, v in sorted(set_aside.items()))
        )
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "scorer_version": SCORER_VERSION,
        "corpus_version": corpus_version,
        "gold_sha256": _gold_sha256(gold),
        "scheme": {
            "name": sch.name,
            "labels": list(sch.labels),
            "set_aside": dict(sorted(set_aside.items())),
        },
        "layers": scored,
        "documents": {"scored": len(doc_ids), "missing": missing},
        "bootstrap": {
            "resamples": n_bootstrap,
            "seed": seed,
            "level": 0.95,
            "unit": "document",
            "method": "percentile",
        },
        "metric_names": {
            f"{layer}.{k}": v for layer in scored for k, v in LAYERS[layer].metric_names.items()
        },
        "warnings": warnings,
    }
    for layer in LAYERS:
        data[layer] = (
            _layer_report(layer, doc_ids, mats[layer], sch.labels, n_bootstrap, seed)
            if layer in scored
            else None
        )
    report = Report(data, tuple(missing), tuple(warnings))
    return report, (doc_ids, mats, scored, sch)


def score(
    gold: Gold,
    predictions: Iterable[Prediction | Mapping[str, Any]],
    *,
    layers: Iterable[str] | None = None,
    scheme: str | Scheme = "newsgold",
    n_bootstrap: int = 1000,
    seed: int = 0,
    corpus_version: str = "unreleased",
    check: bool = True,
) -> Report:
    """Score one system's predictions against the gold.

    Pure: reads nothing, writes nothing. The predictions are consumed once, in
    one pass, so a generator streaming a large file keeps memory flat.

    Args:
        gold: the gold (:func:`newsgold.load_gold`).
        predictions: one :class:`~newsgold.model.Prediction` (or its JSON
            object, as a predictions line holds it) per document, any order. A gold document with no prediction counts as predicting
            nothing (listed in :attr:`Report.missing_doc_ids` and warned about).
        layers: the layers to score (default: those any prediction carries).
        scheme: the label scheme (``newsgold``, ``ontonotes``, ``conll``).
        n_bootstrap: bootstrap resamples for the 95% intervals (0: none).
        seed: the bootstrap's random seed.
        corpus_version: recorded in the report (the CLI reads ``corpus/VERSION``).
        check: ignored since scorer 1.1 (every record goes through the one
            check of :mod:`newsgold.predcheck`, which is cheap); kept so that
            1.x calls keep working.

    Returns:
        The :class:`Report`.

    Raises:
        ValidationError: every problem of the predictions (unknown or duplicate
            ``doc_id``, offsets outside the text, ``text`` not matching, a label
            the scheme does not know).
        UsageError: an unknown layer or scheme.
    """
    return _run(
        gold,
        _as_records(predictions, "<predictions>"),
        layers=layers,
        scheme=scheme,
        n_bootstrap=n_bootstrap,
        seed=seed,
        corpus_version=corpus_version,
        source="<predictions>",
    )[0]


def score_file(
    gold: Gold,
    path: str | Path,
    *,
    format: str = "jsonl",
    layers: Iterable[str] | None = None,
    scheme: str | Scheme = "newsgold",
    n_bootstrap: int = 1000,
    seed: int = 0,
    corpus_version: str = "unreleased",
    display: str | None = None,
    keep: list[Prediction] | None = None,
) -> Report:
    """Score a predictions file or folder in any registered format (:data:`newsgold.formats.FORMATS`).

    JSONL is streamed line by line; every format's records go through the one
    check and the one engine, so the report is that of :func:`score`.

    Args:
        gold: the gold.
        path: the file (or folder, for folder formats such as brat and TimeML).
        format: the format's name (``jsonl``, ``conll``, ``brat``, ``spacy``,
            ``hf``, ``label-studio``, ``timeml``, or one registered later).
        layers: layers to score (default: those the predictions carry).
        scheme: the label scheme.
        n_bootstrap: bootstrap resamples.
        seed: the bootstrap's seed.
        corpus_version: recorded in the report.
        display: the name used in problems (default: the path).
        keep: receives the valid predictions (what the HTML report draws).

    Returns:
        The :class:`Report`.

    Raises:
        ValidationError: every problem of every record (with its line number).
        UsageError: an unknown format, layer or scheme.
    """
    from ..formats import read_records

    path = Path(path)
    name = display or str(path)
    return _run(
        gold,
        read_records(path, format, gold, name),
        layers=layers,
        scheme=scheme,
        n_bootstrap=n_bootstrap,
        seed=seed,
        corpus_version=corpus_version,
        source=name,
        keep=keep,
    )[0]


def score_jsonl(
    gold: Gold,
    path: str | Path,
    *,
    layers: Iterable[str] | None = None,
    scheme: str | Scheme = "newsgold",
    n_bootstrap: int = 1000,
    seed: int = 0,
    corpus_version: str = "unreleased",
    display: str | None = None,
) -> Report:
    """Score a predictions JSONL file, streamed: :func:`score_file` with ``format="jsonl"``."""
    return score_file(
        gold,
        path,
        layers=layers,
        scheme=scheme,
        n_bootstrap=n_bootstrap,
        seed=seed,
        corpus_version=corpus_version,
        display=display,
    )


def gold_as_predictions(gold: Gold) -> list[Prediction]:
    """Every document of an annotation set as a prediction with all three layers.

    >>> from newsgold.model import Document
    >>> g = Gold({"d": Document("d", "x", "2021-12-30", "r")}, ())
    >>> gold_as_predictions(g)
    [Prediction(doc_id='d', entities=(), dates=(), quotes=())]
    """
    return [
        Prediction(doc.doc_id, doc.entities, doc.dates, doc.quotes) for doc in gold.docs.values()
    ]


def agree(
    reference: Gold,
    other: Gold,
    *,
    layers: Iterable[str] | None = LAYERS,
    n_bootstrap: int = 1000,
    seed: int = 0,
    corpus_version: str = "unreleased",
) -> Report:
    """Inter-annotator agreement: score one annotation set against another.

    Pairwise F1 is symmetric (swapping the two sets swaps precision and
    recall), so it is the usual agreement figure for span annotation.

    Args:
        reference: the set treated as gold (its KB resolves speakers).
        other: the other annotation set, over the same documents.
        layers: the layers to compare (default: all three).
        n_bootstrap: bootstrap resamples.
        seed: the bootstrap's seed.
        corpus_version: recorded in the report.

    Returns:
        A :class:`Report`; documents of ``reference`` missing from ``other``
        are listed in :attr:`Report.missing_doc_ids`.
    """
    return score(
        reference,
        gold_as_predictions(other),
        layers=layers,
        n_bootstrap=n_bootstrap,
        seed=seed,
        corpus_version=corpus_version,
    )


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


__all__ = [
    "LAYERS",
    "METRIC_NAMES",
    "SCHEMES",
    "SCHEMA_VERSION",
    "SCORER_VERSION",
    "Comparison",
    "Layer",
    "Metric",
    "Report",
    "Scheme",
    "agree",
    "checked_predictions",
    "compare",
    "count_stream",
    "get_scheme",
    "gold_as_predictions",
    "match",
    "prepare_gold",
    "register_layer",
    "register_metric",
    "score",
    "score_file",
    "score_jsonl",
    "smallest_p_value",
]


def __getattr__(name: str) -> Any:
    if name == "METRIC_NAMES":  # kept for 1.x callers: read LAYERS[layer].metric_names
        return {n: lay.metric_names for n, lay in LAYERS.items()}
    raise AttributeError(name)
