"""Between the project's files and Label Studio (no SDK): tasks from the gold, gold files from an export."""

from __future__ import annotations

from collections.abc import Sequence
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


def gold_files(
    contents: Sequence[TaskContents],
    out: Path,
    root: Path | None,
    *,
    annotator: str | None = None,
    by_annotator: bool = False,
    source: str,
) -> dict[Path, str]:
    """The gold files to write for exported tasks: path → content (nothing written).

    Every document's text must be its seed's (``seeds/<doc_id>.txt``), so the
    file's ``text_sha256`` stays true. With ``by_annotator`` each annotator
    gets a sub-folder of ``out`` named after their e-mail.

    Args:
        contents: the converted tasks.
        out: the output folder.
        root: the project folder (for the seeds).
        annotator: keep only this annotator's annotations.
        by_annotator: keep every annotator's annotations apart.
        source: the export's name for problems.

    Returns:
        Destination → JSON text.

    Raises:
        ValidationError: a task has the wrong number of annotations or a text
            that is not its seed's.
    """
    from ..jsonio import Paths, document_to_json, dumps_json, find_root, read_seed
    from .export import select_annotations

    paths = Paths(root or find_root())
    chosen = select_annotations(
        contents, annotator=annotator, by_annotator=by_annotator, source=source
    )
    from ..paths import safe_name

    problems: list[Problem] = []
    files: dict[Path, str] = {}
    seeds: dict[str, str | None] = {}
    for who, docs in sorted(chosen.items(), key=lambda kv: str(kv[0])):
        folder = out / _folder_name(who, source) if by_annotator else out
        for doc in docs:
            safe_name(doc.doc_id, "doc_id", source=source)
            if doc.doc_id not in seeds:
                seed = paths.seeds / f"{doc.doc_id}.txt"
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
            files[folder / f"{doc.doc_id}.json"] = dumps_json(document_to_json(doc))
    if problems:
        raise ValidationError(problems)
    return files


def _folder_name(annotator: str | None, source: str) -> str:
    """The annotator's sub-folder: their e-mail, refused unless it is a plain name."""
    from ..paths import safe_name

    return safe_name(annotator or "unknown", "annotator e-mail", source=source)
