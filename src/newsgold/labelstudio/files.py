"""Between the project's files and Label Studio (no SDK): tasks from the gold, gold files from an export."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError
from ..model import Document, KBEntry
from .parse import TaskContents

#: model_version of the gold when it is pushed as pre-annotations (``--as predictions``).
GOLD_MODEL_VERSION = "newsgold-gold"


def build_tasks(
    root: Path | None, *, as_: str = "annotations", predictions: Path | None = None
) -> tuple[list[dict[str, Any]], tuple[KBEntry, ...]]:
    """Label Studio tasks for every gold document.

    Args:
        root: the project folder (``None``: found from the current folder).
        as_: ``annotations`` puts the gold in as annotations (and any
            ``predictions`` as pre-annotations); ``predictions`` puts the gold
            in as pre-annotations (model version ``newsgold-gold``), or, with
            ``predictions``, only the system's predictions, for annotators to correct.
        predictions: a predictions JSONL file (model version: its file stem);
            entity labels must be newsgold's.

    Returns:
        ``(tasks, kb)``.

    Raises:
        ValidationError: the gold or the predictions do not validate.
    """
    from ..model import ENTITY_LABELS, Prediction
    from ..validate import iter_predictions, load_gold
    from .tasks import to_task

    gold = load_gold(root)
    preds: dict[str, Prediction] = {}
    if predictions is not None:
        problems: list[Problem] = []
        for pred in iter_predictions(
            predictions, gold.docs, problems, labels=ENTITY_LABELS, display=str(predictions)
        ):
            preds[pred.doc_id] = pred
        if problems:
            raise ValidationError(problems)
    version = predictions.stem if predictions is not None else None
    tasks = []
    for doc_id, doc in gold.docs.items():
        pairs: list[tuple[str, Prediction]] = []
        if as_ == "annotations":
            anns: list[Document] | None = None
        else:
            anns = []
            if predictions is None:
                pairs.append(
                    (
                        GOLD_MODEL_VERSION,
                        Prediction(doc_id, doc.entities, doc.dates, doc.quotes),
                    )
                )
        if version is not None and doc_id in preds:
            pairs.append((version, preds[doc_id]))
        tasks.append(to_task(doc, gold.kb, annotations=anns, predictions=pairs))
    return tasks, gold.kb


def read_kb(root: Path | None) -> tuple[KBEntry, ...]:
    """The project's validated knowledge base (``annotations/kb.json``)."""
    from ..jsonio import Paths, find_root
    from ..validate import validate_kb

    paths = Paths(root or find_root())
    kb, problems = validate_kb(paths.kb, root=paths.root)
    if kb is None:
        raise ValidationError(problems)
    return kb


@dataclass(frozen=True)
class PulledFiles:
    """The gold files of an export, with everything that kept some annotations out.

    Attributes:
        files: destination → JSON text, for every valid annotation chosen.
        written: annotator (``None`` without a choice of annotator) → the doc_ids written.
        problems: errors; each kept one annotation (or one task) out, named by
            task, annotator and result id.
        warnings: documents left out for want of a submitted annotation,
            unsubmitted drafts, and what else the reader should know.
    """

    files: dict[Path, str]
    written: dict[str | None, list[str]]
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()


def pull_files(
    tasks: Any,
    out: Path,
    root: Path | None,
    *,
    kb: Sequence[KBEntry] | None,
    annotator: str | None = None,
    by_annotator: bool = False,
    source: str,
    users: Mapping[int, str] | None = None,
) -> PulledFiles:
    """The gold files to write for an export: every valid annotation, whatever is wrong elsewhere.

    Reads the export (:func:`~newsgold.labelstudio.export.read_export`), chooses
    the annotations (:func:`~newsgold.labelstudio.export.choose_annotations`)
    and checks every document's text against its seed (``seeds/<doc_id>.txt``),
    so the file's ``text_sha256`` stays true. With ``by_annotator`` each
    annotator gets a sub-folder of ``out`` named after their e-mail (or
    ``user-<id>`` when the export names them by id only). Nothing is written here.

    Args:
        tasks: the parsed export.
        out: the output folder.
        root: the project folder (for the seeds).
        kb: the knowledge base for the checks.
        annotator: keep only this annotator's annotations (e-mail or user id).
        by_annotator: keep every annotator's annotations apart.
        source: the export's name for problems.
        users: user id → e-mail, for an export naming annotators by id only.

    Returns:
        The :class:`PulledFiles`.

    Raises:
        ValidationError: the export as a whole cannot be read (not a list, a
            JSON_MIN export), or the annotator made no annotation at all.
    """
    from ..jsonio import Paths, find_root
    from .export import annotators_of, choose_annotations, no_annotation_by, read_export

    paths = Paths(root or find_root())
    reading = read_export(tasks, kb=kb, source=source, annotator=annotator, users=users)
    if (
        annotator is not None
        and not any(
            a.annotator == annotator or str(a.user_id) == annotator
            for t in reading.contents
            for a in t.annotations
        )
        and not any(annotator in t.refused for t in reading.contents)
    ):
        raise ValidationError([no_annotation_by(annotator, annotators_of(tasks, users), source)])
    chosen = choose_annotations(
        reading.contents, annotator=annotator, by_annotator=by_annotator, source=source
    )
    files, written, seed_problems = documents_to_files(
        chosen.chosen, out, paths.seeds, by_annotator=by_annotator, source=source
    )
    problems = (*reading.problems, *chosen.problems, *seed_problems)
    return PulledFiles(files, written, problems, (*chosen.left_out, *reading.warnings))


def documents_to_files(
    chosen: dict[str | None, list[Document]],
    out: Path,
    seed_dir: Path,
    *,
    by_annotator: bool,
    source: str,
) -> tuple[dict[Path, str], dict[str | None, list[str]], list[Problem]]:
    """Gold files for chosen documents whose text is their seed's; the others are problems.

    Args:
        chosen: annotator (``None``: no choice of annotator) → documents.
        out: the output folder.
        seed_dir: the seed folder (``seeds/``).
        by_annotator: put each annotator's documents in ``out/<e-mail>/``.
        source: the export's name for problems.

    Returns:
        ``(destination → JSON text, annotator → doc_ids written, problems)``.

    Raises:
        ValidationError: an annotator's or a document's name is not a plain name.
    """
    from ..jsonio import document_to_json, dumps_json, read_seed
    from ..paths import safe_name

    problems: list[Problem] = []
    files: dict[Path, str] = {}
    written: dict[str | None, list[str]] = {}
    seeds: dict[str, str | None] = {}
    for who, docs in sorted(chosen.items(), key=lambda kv: str(kv[0])):
        folder = out / _folder_name(who, source) if by_annotator else out
        for doc in docs:
            safe_name(doc.doc_id, "doc_id", source=source)
            if doc.doc_id not in seeds:
                seed = seed_dir / f"{doc.doc_id}.txt"
                seeds[doc.doc_id] = read_seed(seed) if seed.is_file() else None
            seed_text = seeds[doc.doc_id]
            if seed_text is None:
                problems.append(
                    Problem(
                        source,
                        None,
                        "$",
                        f"document {doc.doc_id!r}: no seed text seeds/{doc.doc_id}.txt "
                        "(expected every document's text in seeds/; add it there first)",
                    )
                )
            elif seed_text != doc.text:
                problems.append(
                    Problem(
                        source,
                        None,
                        "$",
                        f"document {doc.doc_id!r}: the task's text differs from seeds/{doc.doc_id}.txt "
                        "(expected the seed text unchanged)",
                    )
                )
            else:
                files[folder / f"{doc.doc_id}.json"] = dumps_json(document_to_json(doc))
                written.setdefault(who, []).append(doc.doc_id)
    return files, written, problems


def gold_files(
    contents: Sequence[TaskContents],
    out: Path,
    root: Path | None,
    *,
    annotator: str | None = None,
    by_annotator: bool = False,
    source: str,
) -> dict[Path, str]:
    """The gold files of already read tasks, strictly: all or nothing (see :func:`pull_files`).

    Raises:
        ValidationError: a task has the wrong number of annotations or a text
            that is not its seed's.
    """
    from ..jsonio import Paths, find_root
    from .export import select_annotations

    chosen = select_annotations(
        contents, annotator=annotator, by_annotator=by_annotator, source=source
    )
    files, _, problems = documents_to_files(
        chosen, out, Paths(root or find_root()).seeds, by_annotator=by_annotator, source=source
    )
    if problems:
        raise ValidationError(problems)
    return files


def _folder_name(annotator: str | None, source: str) -> str:
    """The annotator's sub-folder: their e-mail (``user-<id>`` without one), refused unless it
    is a plain name (``..`` and path separators are refused by :func:`newsgold.paths.safe_name`)."""
    from ..paths import safe_name

    name = "unknown" if annotator is None else annotator
    if name.isdigit():
        name = f"user-{name}"
    return safe_name(name, "annotator e-mail", source=source)
