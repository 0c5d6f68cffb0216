"""Score a system in one call: ``newsgold.evaluate(system)``.

``system`` is whatever a researcher already has:

- a spaCy ``Language`` (``spacy.load(...)``, or a blank pipeline with an
  ``entity_ruler``): its ``doc.ents`` are entity predictions in its own label
  set, read by :mod:`newsgold.convert.spacy` (pass ``scheme="ontonotes"`` for
  spaCy's English pipelines: their DATE and TIME entities are then scored as dates);
- a Hugging Face token-classification ``Pipeline``
  (``transformers.pipeline("token-classification", model=PATH)``): it is run
  on one paragraph (line) of the document at a time, because such models take
  a bounded number of tokens, and its output is read by
  :mod:`newsgold.convert.hf` with offsets shifted back into the document;
- any callable ``(text, dct) -> {"entities": [...], "dates": [...], "quotes": [...]}``
  taking the document's text and its creation date (ISO string) and returning
  the layers of one predictions line (a :class:`~newsgold.model.Prediction`
  is accepted too). A layer left out is not predicted, an empty list predicts
  nothing. A callable may also answer with strings, the shape of the
  ``mentions`` format (items with ``text`` and no ``start``/``end``, as a
  language model answers): they are aligned to the text by
  :mod:`newsgold.mentions` (``alignment.v1``) and the report gains an
  ``alignment`` section.

Each document's output is checked like a predictions file (schema, offsets
inside the text, ``text`` equal to the slice) before scoring; nothing is
repaired. The report is the very :class:`~newsgold.scoring.Report` that
``newsgold score`` builds, with a ``run`` section added: the system's kind and
name, the number of documents, the seconds the system took and documents per
second.

>>> def shouter(text, dct):
...     i = text.find("Putin")
...     return {"entities": [] if i < 0 else [{"start": i, "end": i + 5, "label": "PER"}]}
>>> report = evaluate(shouter, layers=["entities"], n_bootstrap=0)
>>> 0 < report.figure("entities.strict.precision") <= 1
True
>>> report.to_json()["run"]["kind"], report.to_json()["run"]["documents"]
('callable', 5)
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import NewsgoldError, Problem, ValidationError, clip, short
from .jsonio import (
    dumps_jsonl_line,
    prediction_from_json,
    prediction_to_json,
    write_files_atomically,
)
from .mentions import Aligner, is_mentions_shape
from .model import Document, Prediction

#: A dotted Python name (``pkg.module``, ``Class.method``): what ``--python MODULE:NAME`` takes.
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")

if TYPE_CHECKING:
    from .model import Gold
    from .scoring import Report

#: ``(doc_id, text, dct) -> Prediction``: every kind of system, made uniform.
Predictor = Callable[[str, str, str], Prediction]


@dataclass(frozen=True)
class SystemRun:
    """A system's predictions over a set of documents, and how long it took.

    Attributes:
        kind: ``spacy``, ``hf``, ``callable`` or ``command``.
        name: the system's name (a model name, a function's qualified name, a command).
        predictions: one per document, in ``doc_id`` order.
        seconds: time spent in the system itself (not in checking or scoring).
        alignment: the report's ``alignment`` section when the system answered with strings.
        extra: further fields of the ``run`` section (an endpoint's token counts and cost).
    """

    kind: str
    name: str
    predictions: tuple[Prediction, ...]
    seconds: float
    alignment: Mapping[str, Any] | None = field(default=None, compare=False)
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def documents_per_second(self) -> float | None:
        """Throughput, or ``None`` when no time was measured."""
        return len(self.predictions) / self.seconds if self.seconds > 0 else None

    def to_json(self) -> dict[str, Any]:
        """The ``run`` section of a report.

        >>> SystemRun("callable", "f", (Prediction("a"), Prediction("b")), 0.5).to_json()
        {'kind': 'callable', 'system': 'f', 'documents': 2, 'seconds': 0.5, 'documents_per_second': 4.0}
        """
        return {
            "kind": self.kind,
            "system": self.name,
            "documents": len(self.predictions),
            "seconds": round(self.seconds, 6),
            "documents_per_second": None
            if self.documents_per_second is None
            else round(self.documents_per_second, 6),
            **self.extra,
        }


# --------------------------------------------------------------------------- the kinds of system


def _module_of(obj: Any) -> str:
    return type(obj).__module__.split(".")[0]


def _is_spacy(system: Any) -> bool:
    if _module_of(system) != "spacy":
        return False
    from spacy.language import Language

    return isinstance(system, Language)


def _is_hf_pipeline(system: Any) -> bool:
    if _module_of(system) != "transformers":
        return False
    from transformers import Pipeline

    return isinstance(system, Pipeline)


def system_kind(system: Any) -> str:
    """Which kind of system ``system`` is.

    Args:
        system: a spaCy ``Language``, a Hugging Face ``Pipeline`` or a callable.

    Returns:
        ``spacy``, ``hf`` or ``callable``.

    Raises:
        NewsgoldError: for anything else, saying what is accepted.

    >>> system_kind(lambda text, dct: {})
    'callable'
    >>> system_kind(42)
    Traceback (most recent call last):
    ...
    newsgold.errors.NewsgoldError: cannot evaluate an int (expected a spaCy Language, a Hugging Face token-classification pipeline, or a callable (text, dct) -> {"entities": [...], "dates": [...], "quotes": [...]})
    """
    if _is_spacy(system):
        return "spacy"
    if _is_hf_pipeline(system):
        return "hf"
    if callable(system):
        return "callable"
    raise NewsgoldError(
        f"cannot evaluate {'an' if type(system).__name__[0] in 'aeiou' else 'a'} "
        f"{type(system).__name__} (expected a spaCy Language, a Hugging Face "
        'token-classification pipeline, or a callable (text, dct) -> {"entities": [...], '
        '"dates": [...], "quotes": [...]})'
    )


def system_name(system: Any) -> str:
    """A readable name for ``system``: the pipeline's model name or the function's qualified name."""
    kind = system_kind(system)
    if kind == "spacy":
        meta = getattr(system, "meta", {}) or {}
        return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"
    if kind == "hf":
        path = getattr(getattr(system.model, "config", None), "name_or_path", "") or ""
        return path or type(system.model).__name__
    module = getattr(system, "__module__", None) or ""
    qual = getattr(system, "__qualname__", None) or type(system).__qualname__
    return f"{module}:{qual}" if module else qual


def _spacy_predictor(nlp: Any) -> Predictor:
    from .convert.spacy import from_doc

    def predict(doc_id: str, text: str, dct: str) -> Prediction:
        return from_doc(nlp(text), doc_id)

    return predict


def paragraphs(text: str) -> list[tuple[int, str]]:
    """The non-blank lines of ``text`` with their offsets: the units fed to a HF pipeline.

    >>> paragraphs("Title\\n\\nBody one.\\n")
    [(0, 'Title'), (7, 'Body one.')]
    """
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


def _hf_predictor(pipe: Any) -> Predictor:
    from .convert.hf import from_pipeline_output

    name = system_name(pipe)

    def predict(doc_id: str, text: str, dct: str) -> Prediction:
        parts = paragraphs(text)
        outputs = pipe([p for _, p in parts]) if parts else []
        shifted: list[dict[str, Any]] = []
        for (offset, _), items in zip(parts, outputs, strict=True):
            for item in items:
                moved = {**item, "start": item["start"] + offset, "end": item["end"] + offset}
                if item.get("score") is not None:
                    moved["score"] = float(item["score"])  # numpy float32 → a JSON number
                shifted.append(moved)
        return from_pipeline_output(doc_id, text, shifted, source=f"<{name} on {doc_id}>")

    return predict


def _callable_predictor(
    func: Callable[..., Any],
    docs: Mapping[str, Document] | None = None,
    aligner: Aligner | None = None,
) -> Predictor:
    def predict(doc_id: str, text: str, dct: str) -> Prediction:
        out = func(text, dct)
        if isinstance(out, Prediction):
            if out.doc_id != doc_id:
                out = dataclasses.replace(out, doc_id=doc_id)
            return out
        if not isinstance(out, Mapping):
            raise ValidationError(
                [
                    Problem(
                        f"<{system_name(func)} on {doc_id}>",
                        None,
                        "$",
                        f"the system returned {short(out)} (expected a dict like "
                        '{"entities": [...], "dates": [...], "quotes": [...]})',
                    )
                ]
            )
        obj = dict(out)
        if "doc_id" in obj and obj["doc_id"] != doc_id:
            raise ValidationError(
                [
                    Problem(
                        f"<{system_name(func)} on {doc_id}>",
                        None,
                        "$.doc_id",
                        f"got {short(obj['doc_id'])}, expected {doc_id!r} or no doc_id",
                    )
                ]
            )
        obj["doc_id"] = doc_id
        doc = (docs or {}).get(doc_id) or Document(doc_id, text, dct, "")
        source = f"<{system_name(func)} on {doc_id}>"
        if is_mentions_shape(obj):  # strings, not offsets: align them (alignment.v1)
            obj = (aligner or Aligner()).align(doc, obj, source)
        _check(obj, doc, source)
        return prediction_from_json(obj)

    return predict


def output_problems(obj: Mapping[str, Any], doc: Document, source: str) -> list[Problem]:
    """Problems of one system output as a predictions line (the one check,
    :func:`newsgold.predcheck.record_problems`, labels left to the scorer's scheme).

    Args:
        obj: the predictions object (with ``doc_id``).
        doc: the document it is for.
        source: how to name the output in problems.

    Returns:
        Every problem (empty when valid).

    >>> d = Document("a", "now", "2021-12-30", "r")
    >>> [str(p) for p in output_problems({"doc_id": "a", "dates": [{"start": 0, "end": 3,
    ...     "type": "TEMPONYM"}]}, d, "<tagger on a>")]
    ["<tagger on a>: $[a].dates[0].type: got 'TEMPONYM', expected one of DATE, TIME, DURATION, SET"]
    """
    from .predcheck import record_problems

    return record_problems(obj, source, None, {doc.doc_id: doc}, None)


def _check(obj: Mapping[str, Any], doc: Document, source: str) -> None:
    problems = output_problems(obj, doc, source)
    if problems:
        raise ValidationError(problems)


def as_predictor(
    system: Any,
    docs: Mapping[str, Document] | None = None,
    aligner: Aligner | None = None,
) -> tuple[str, Predictor]:
    """Wrap any kind of system as ``(doc_id, text, dct) -> Prediction``.

    Args:
        system: a spaCy ``Language``, a Hugging Face ``Pipeline`` or a callable.
        docs: the gold documents (a callable's unaligned strings are placed outside their spans).
        aligner: aligns a callable's answers in the mentions shape (and keeps the statistics).

    Returns:
        ``(kind, predictor)``.
    """
    kind = system_kind(system)
    if kind == "spacy":
        return kind, _spacy_predictor(system)
    if kind == "hf":
        return kind, _hf_predictor(system)
    return kind, _callable_predictor(system, docs, aligner)


def predict(
    system: Any,
    docs: Mapping[str, Document],
    *,
    layers: Iterable[str] | None = None,
    on_document: Callable[[str], None] | None = None,
    each_occurrence: bool = False,
) -> SystemRun:
    """Run ``system`` over ``docs``, checking each document's output.

    Args:
        system: a spaCy ``Language``, a Hugging Face ``Pipeline`` or a callable.
        docs: the documents by id.
        layers: keep only these layers of the output (default: all it gives).
        on_document: called with each ``doc_id`` when it is done (a progress bar).
        each_occurrence: a callable's strings go to every occurrence (see :mod:`newsgold.mentions`).

    Returns:
        The predictions, in ``doc_id`` order, the time the system took, and the
        alignment statistics when it answered with strings.

    Raises:
        ValidationError: output that is not a valid predictions line (every
            problem of the first bad document).
        NewsgoldError: the system raised an exception on a document (chained).
    """
    aligner = Aligner(each_occurrence)
    kind, predictor = as_predictor(system, docs, aligner)
    name = system_name(system)
    preds: list[Prediction] = []
    seconds = 0.0
    for doc_id in sorted(docs):
        doc = docs[doc_id]
        started = time.perf_counter()
        try:
            pred = predictor(doc_id, doc.text, doc.dct)
        except (ValidationError, NewsgoldError):
            raise
        except SystemExit as exc:  # a system must not end newsgold (its status would be lost)
            raise NewsgoldError(
                f"the system {name} called sys.exit({short(exc.code)}) on document {doc_id!r} "
                "(expected it to return its predictions or raise an exception)"
            ) from None
        except Exception as exc:
            raise NewsgoldError(
                f"the system {name} failed on document {doc_id!r}: {type(exc).__name__}: "
                f"{clip(str(exc))}"
            ) from exc
        seconds += time.perf_counter() - started
        if kind != "callable":  # callables are checked before conversion, with their own paths
            obj = prediction_to_json(pred)
            _check(obj, doc, f"<{name} on {doc_id}>")
        preds.append(pred)
        if on_document is not None:
            on_document(doc_id)
    alignment = aligner.section() if aligner.documents else None
    return SystemRun(kind, name, keep_layers(preds, layers), seconds, alignment)


def keep_layers(
    predictions: Iterable[Prediction], layers: Iterable[str] | None
) -> tuple[Prediction, ...]:
    """The predictions with only ``layers`` kept (all when ``None``).

    >>> from newsgold.model import Date
    >>> keep_layers([Prediction("a", entities=(), dates=(Date(0, 1),))], ["entities"])
    (Prediction(doc_id='a', entities=(), dates=None, quotes=None),)
    """
    if layers is None:
        return tuple(predictions)
    keep = set(layers)
    return tuple(
        Prediction(
            p.doc_id,
            p.entities if "entities" in keep else None,
            p.dates if "dates" in keep else None,
            p.quotes if "quotes" in keep else None,
        )
        for p in predictions
    )


def load_system(kind: str, spec: str) -> Any:
    """Load a system named on the command line (``newsgold run``).

    Args:
        kind: ``spacy`` (an installed pipeline package or a pipeline folder),
            ``hf`` (a local folder with a saved token-classification model and
            tokenizer) or ``python`` (``MODULE:NAME``, imported with the current
            folder on ``sys.path``; NAME is a callable, a ``Language`` or a ``Pipeline``).
        spec: the name, path or ``MODULE:NAME``.

    Returns:
        The system, ready for :func:`predict`.

    Raises:
        NewsgoldError: when it cannot be loaded, saying why. Nothing is downloaded:
            a spaCy name must be installed, a Hugging Face model must be a local folder.

    >>> load_system("python", "os.path:join")("/a", "b")
    '/a/b'
    >>> load_system("python", "os.path")
    Traceback (most recent call last):
    ...
    newsgold.errors.NewsgoldError: --python 'os.path': expected MODULE:NAME with dotted Python names, e.g. my_tagger:predict (a module on the path, not a file path)
    """
    if kind == "spacy":
        try:
            import spacy
        except ImportError:
            raise NewsgoldError(
                "--spacy needs spaCy: pip install 'spacy>=3.8,<3.9' (or newsgold[baselines])"
            ) from None
        try:
            return spacy.load(spec)
        except OSError as exc:
            raise NewsgoldError(
                f"cannot load the spaCy pipeline {spec!r}: {exc} (expected an installed pipeline "
                "package or a folder written by nlp.to_disk; newsgold downloads nothing)"
            ) from None
    if kind == "hf":
        folder = Path(spec)
        if not (folder / "config.json").is_file():
            raise NewsgoldError(
                f"--hf {spec!r}: no config.json there (expected a local folder with a saved "
                "token-classification model and its tokenizer, as written by save_pretrained; "
                "newsgold downloads nothing)"
            )
        try:
            from transformers import pipeline
        except ImportError:
            raise NewsgoldError(
                "--hf needs transformers and torch: pip install transformers 'torch==2.13.0'"
            ) from None
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # newsgold shows its own
        return pipeline("token-classification", model=str(folder), aggregation_strategy="simple")
    if kind == "python":
        import importlib
        import sys

        module_name, sep, attr = spec.partition(":")
        if not sep or not _DOTTED.fullmatch(module_name) or not _DOTTED.fullmatch(attr):
            raise NewsgoldError(
                f"--python {short(spec)}: expected MODULE:NAME with dotted Python names, "
                "e.g. my_tagger:predict (a module on the path, not a file path)"
            )
        if "" not in sys.path and str(Path.cwd()) not in sys.path:
            sys.path.insert(0, str(Path.cwd()))
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise NewsgoldError(
                f"--python {spec!r}: cannot import {module_name!r}: {exc} (expected a module "
                "importable from the current folder or the environment)"
            ) from None
        except SyntaxError as exc:
            raise NewsgoldError(
                f"--python {spec!r}: syntax error in {exc.filename}:{exc.lineno}: {exc.msg}"
            ) from None
        except SystemExit as exc:
            raise NewsgoldError(
                f"--python {spec!r}: importing {module_name!r} called sys.exit({short(exc.code)})"
            ) from None
        except Exception as exc:
            raise NewsgoldError(
                f"--python {spec!r}: importing {module_name!r} failed: "
                f"{type(exc).__name__}: {clip(str(exc))}"
            ) from None
        obj: Any = module
        for part in attr.split("."):
            if not hasattr(obj, part):
                raise NewsgoldError(f"--python {spec!r}: {module_name!r} has no attribute {attr!r}")
            obj = getattr(obj, part)
        system_kind(obj)  # fails early, saying what is accepted
        return obj
    raise NewsgoldError(f"unknown kind of system {kind!r} (expected spacy, hf or python)")


def with_run(report: Report, run: SystemRun) -> Report:
    """The report with the ``run`` section (system, documents, seconds, documents per second).

    Args:
        report: a report of :func:`newsgold.scoring.score`.
        run: the run that made the predictions.

    Returns:
        A new report; the figures are unchanged.
    """
    data = {**report.data, "run": run.to_json()}
    if run.alignment is not None:
        data["alignment"] = dict(run.alignment)
    return dataclasses.replace(report, data=data)


def write_predictions(path: str | Path, predictions: Sequence[Prediction]) -> None:
    """Write predictions as newsgold JSONL, atomically (``newsgold score`` reads it back).

    Args:
        path: the ``.jsonl`` file.
        predictions: one per document.
    """
    data = "".join(dumps_jsonl_line(prediction_to_json(p)) for p in predictions)
    write_files_atomically({Path(path): data})


def evaluate(
    system: Any,
    *,
    layers: Iterable[str] | None = None,
    scheme: str = "newsgold",
    gold: Gold | None = None,
    root: Path | None = None,
    out: str | Path | None = None,
    n_bootstrap: int = 1000,
    seed: int = 0,
    unit: str | None = None,
    on_document: Callable[[str], None] | None = None,
    each_occurrence: bool = False,
) -> Report:
    """Run ``system`` over the corpus and score it: what ``newsgold run --score`` does.

    Args:
        system: a spaCy ``Language``, a Hugging Face token-classification
            ``Pipeline``, or a callable ``(text, dct) -> {"entities": [...], ...}``.
        layers: the layers to score (default: those the system predicts).
        scheme: the label scheme of its entity labels (``newsgold``,
            ``ontonotes`` for spaCy's English pipelines, ``conll``).
        gold: the gold to score against (default: :func:`newsgold.load_gold`).
        root: the project folder, when ``gold`` is not given.
        out: also write the predictions to this JSONL file.
        n_bootstrap: bootstrap resamples for the confidence intervals (0: none).
        seed: the bootstrap's seed.
        unit: the resampling unit of the intervals (default
            :data:`newsgold.scoring.DEFAULT_UNIT`).
        on_document: called with each ``doc_id`` as the system finishes it.
        each_occurrence: a callable answering with strings has each distinct
            (text, fields) aligned to every occurrence.

    Returns:
        The :class:`~newsgold.scoring.Report` of ``newsgold score``, with a
        ``run`` section (documents per second).

    Raises:
        ValidationError: invalid output (offsets, ``text``, schema, labels
            unknown to the scheme), with every problem.
        NewsgoldError: the system failed on a document.
        UsageError: an unknown layer or scheme.
    """
    from .jsonio import find_root
    from .report import corpus_version
    from .validate import load_gold

    project = root if root is not None else find_root()
    gold = gold if gold is not None else load_gold(project)
    run = predict(
        system,
        gold.docs,
        layers=layers,
        on_document=on_document,
        each_occurrence=each_occurrence,
    )
    if out is not None:
        write_predictions(Path(out), run.predictions)
    return score_run(
        run,
        gold,
        layers=layers,
        scheme=scheme,
        n_bootstrap=n_bootstrap,
        seed=seed,
        unit=unit,
        corpus_version=corpus_version(project),
    )


def score_run(
    run: SystemRun,
    gold: Gold,
    *,
    layers: Iterable[str] | None = None,
    scheme: str = "newsgold",
    n_bootstrap: int = 1000,
    seed: int = 0,
    unit: str | None = None,
    corpus_version: str = "unreleased",
) -> Report:
    """Score a run's predictions and record the run in the report.

    Args:
        run: a :class:`SystemRun` (from :func:`predict` or the command runner).
        gold: the gold.
        layers: the layers to score (default: those predicted).
        scheme: the label scheme.
        n_bootstrap: bootstrap resamples.
        seed: the bootstrap's seed.
        unit: the resampling unit of the intervals (default
            :data:`newsgold.scoring.DEFAULT_UNIT`).
        corpus_version: recorded in the report (:func:`newsgold.report.corpus_version`).

    Returns:
        The report with its ``run`` section.
    """
    from .scoring import DEFAULT_UNIT, score

    report = score(
        gold,
        run.predictions,
        layers=layers,
        scheme=scheme,
        n_bootstrap=n_bootstrap,
        seed=seed,
        unit=unit or DEFAULT_UNIT,
        corpus_version=corpus_version,
    )
    return with_run(report, run)
