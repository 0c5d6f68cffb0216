"""Scoring one system (:func:`score`, :func:`score_file`, :func:`score_jsonl`) or one annotation
set against another (:func:`agree`): records → the one check → the engine → a :class:`Report`."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import MAX_LISTED, CappedProblems, Problem, UsageError, ValidationError, short
from ..jsonio import prediction_from_json, prediction_to_json
from ..model import Gold, Prediction
from ..predcheck import check_stream
from . import quotes as quotes_layer
from .engine import Engine, cached, gold_columns
from .registry import LAYERS
from .report import FEW_DOCUMENTS, SCHEMA_VERSION, SCORER_VERSION, Report, _layer_report
from .schemes import Scheme, get_scheme
from .units import DEFAULT_UNIT, Layout, check_unit

# --------------------------------------------------------------------------- input


def prepare_gold(gold: Gold, scheme: str | Scheme = "newsgold", unit: str = DEFAULT_UNIT) -> None:
    """Do the one-time work per gold object ahead of time (its columns and sha256).

    :func:`score` does it on first use anyway and keeps it for as long as the
    gold object lives; call this to keep it out of a timing.

    Args:
        gold: the gold.
        scheme: the scheme the gold will be scored under.
        unit: the resampling unit it will be scored with.
    """
    sch = scheme if isinstance(scheme, Scheme) else get_scheme(scheme)
    gold_columns(gold, sch)
    _gold_sha256(gold)
    Engine(gold, sch, _resolver(gold), check_unit(unit))


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
    unit: str = "document",
) -> Engine:
    """Check and count a stream of ``(line, record)`` pairs: the one path of every input.

    Args:
        gold: the gold.
        records: ``(line or None, record)`` pairs (see :func:`newsgold.predcheck.check_stream`).
        scheme: the label scheme.
        source: the input's name for problems.
        keep: receives every valid record as a :class:`Prediction` (for the HTML report).
        unit: the resampling unit: one count row per document, paragraph or sentence.

    Raises:
        ValidationError: every problem of every record.
    """
    engine = Engine(gold, scheme, _resolver(gold), check_unit(unit))
    problems: list[Problem] = CappedProblems(MAX_LISTED, stop=True)
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
    unit: str = DEFAULT_UNIT,
) -> tuple[Report, Any]:
    sch = scheme if isinstance(scheme, Scheme) else get_scheme(scheme)
    wanted = _check_args(layers, n_bootstrap)
    engine = count_stream(gold, records, sch, source, keep, unit=unit)
    if wanted is None and not engine.predicted:
        # an empty file, or records with no layer: an empty table would look like a result
        raise ValidationError(
            [
                Problem(
                    source,
                    None,
                    "$",
                    "nothing to score: no prediction carries a layer (expected lines with "
                    f"doc_id and at least one of {', '.join(LAYERS)}; name the layers to "
                    "score them as predicting nothing)",
                )
            ]
        )
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
        engine.layout,
    )


def _check_args(layers: Iterable[str] | None, n_bootstrap: int) -> tuple[str, ...] | None:
    wanted = None if layers is None else tuple(layers)
    if wanted is not None:
        if not wanted:  # (`--layers ,` would print an empty table)
            raise UsageError(f"no layer named (expected some of {', '.join(LAYERS)})")
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
    layout: Layout,
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
    if layout.n_units < FEW_DOCUMENTS and n_bootstrap > 0:
        warnings.append(
            f"only {layout.n_units} {layout.unit}s: bootstrap intervals over so few "
            f"{layout.unit}s are rough"
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
            "unit": layout.unit,
            "units": layout.n_units,
            "method": "percentile",
        },
        "metric_names": {
            f"{layer}.{k}": v for layer in scored for k, v in LAYERS[layer].metric_names.items()
        },
        "warnings": warnings,
    }
    for layer in LAYERS:
        data[layer] = (
            _layer_report(
                layer,
                doc_ids,
                mats[layer],
                sch.labels,
                n_bootstrap,
                seed,
                layout.per_document(mats[layer]),
            )
            if layer in scored
            else None
        )
    report = Report(data, tuple(missing), tuple(warnings))
    return report, (doc_ids, mats, scored, sch, layout)


def score(
    gold: Gold,
    predictions: Iterable[Prediction | Mapping[str, Any]],
    *,
    layers: Iterable[str] | None = None,
    scheme: str | Scheme = "newsgold",
    n_bootstrap: int = 1000,
    seed: int = 0,
    unit: str = DEFAULT_UNIT,
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
        unit: the resampling unit of the intervals: ``document``, ``paragraph``
            or ``sentence`` (:mod:`newsgold.scoring.units`).
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
        unit=unit,
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
    unit: str = DEFAULT_UNIT,
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
        unit: the resampling unit (``document``, ``paragraph``, ``sentence``).
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
        unit=unit,
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
    unit: str = DEFAULT_UNIT,
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
        unit=unit,
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
    unit: str = DEFAULT_UNIT,
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
        unit: the resampling unit (``document``, ``paragraph``, ``sentence``).
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
        unit=unit,
        corpus_version=corpus_version,
    )
