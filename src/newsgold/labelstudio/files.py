"""Between the project's files and Label Studio (no SDK): tasks from the gold, gold files from an export."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem, UsageError, ValidationError
from ..model import Document, KBEntry, Prediction
from .parse import TaskContents

#: model_version of the gold when it is pushed as pre-annotations (``--as predictions``).
GOLD_MODEL_VERSION = "newsgold-gold"


#: What ``--as`` may put into a project: the gold as annotations, as pre-annotations, or not at all.
GOLD_AS = ("annotations", "predictions", "none")


@dataclass(frozen=True)
class PredictionSource:
    """Where pre-annotations come from and how they are named.

    Attributes:
        path: the predictions JSONL file.
        model_version: the name Label Studio shows for them.
        scheme: the label scheme of their entity labels (projected onto newsgold's).
    """

    path: Path
    model_version: str
    scheme: str


def prediction_source(
    given: Path, *, model_version: str | None = None, scheme: str | None = None
) -> PredictionSource:
    """The predictions of ``--predictions``: a JSONL file, or a submission folder.

    A submission (``eval/submissions/<system_id>/``: ``submission.json`` and
    ``predictions.jsonl``), given as its folder or as its ``predictions.jsonl``
    beside its ``submission.json``, is checked as the leaderboard checks it
    (:func:`newsgold.leaderboard.check_files`) and names the model version (its
    ``system_id``) and the scheme (its ``scheme``); any other file is named by
    its stem, in newsgold's labels. ``model_version`` and ``scheme`` override both.

    Raises:
        UsageError: a folder that is not a valid submission.
    """
    from ..leaderboard import check_files

    is_submission = given.is_dir() or (
        given.name == "predictions.jsonl" and (given.parent / "submission.json").is_file()
    )
    if not is_submission:
        return PredictionSource(given, model_version or given.stem, scheme or "newsgold")
    folder = given if given.is_dir() else given.parent
    sub, problems = check_files(folder, folder.parent)
    if sub is None:
        raise UsageError(f"--predictions {folder}: not a submission folder ({'; '.join(problems)})")
    return PredictionSource(sub.predictions, model_version or sub.system_id, scheme or sub.scheme)


def new_documents(texts: Sequence[Path], known: Collection[str]) -> list[Document]:
    """Documents without gold yet, from plain text files (a folder: its ``*.txt`` files).

    The ``doc_id`` is the file's stem, which must be a plain name and a valid
    ``doc_id`` (letters, digits, ``_``, ``.``, ``-``) that is no gold document's
    yet. The text is the file's bytes decoded as UTF-8, untouched; the
    document creation time is left for the annotator (the task's DCT fields).

    Raises:
        ValidationError: one line per bad file.
    """
    from ..jsonio import read_seed
    from ..paths import plain_name_problem
    from ..predcheck import DOC_ID

    files: list[Path] = []
    problems: list[Problem] = []
    for given in texts:
        found = sorted(given.glob("*.txt")) if given.is_dir() else [given]
        if not found:
            problems.append(
                Problem(str(given), None, "$", "no *.txt file in the folder (expected UTF-8 texts)")
            )
        files += found
    out: dict[str, Document] = {}
    for f in files:
        doc_id = f.stem
        why = plain_name_problem(doc_id)
        if why is not None or not DOC_ID.search(doc_id):
            problems.append(
                Problem(
                    str(f),
                    None,
                    "$",
                    f"file stem {doc_id!r} is not a doc_id (expected letters, "
                    "digits, _ . - and a letter or digit first)",
                )
            )
        elif doc_id in known:
            problems.append(
                Problem(
                    str(f),
                    None,
                    "$",
                    f"doc_id {doc_id!r} already has gold "
                    f"(expected a new document; push it with --docs {doc_id})",
                )
            )
        elif doc_id in out:
            problems.append(Problem(str(f), None, "$", f"doc_id {doc_id!r} given twice"))
        elif not f.is_file():
            problems.append(Problem(str(f), None, "$", "no such file (expected a UTF-8 text file)"))
        else:
            try:
                out[doc_id] = Document(doc_id, read_seed(f), "", "")
            except ValidationError as exc:
                problems += exc.problems
    if problems:
        raise ValidationError(problems)
    return list(out.values())


def with_kb_ids(pred: Prediction, kb: Sequence[KBEntry], text: str) -> Prediction:
    """A prediction with the ``kb_id`` the KB gives, as a suggestion for annotators.

    Resolved the way the scorer resolves a predicted speaker
    (:func:`newsgold.scoring.quotes.speaker_resolver`: a name or alias naming
    exactly one entity): a speaker given as a name becomes that ``kb_id``; an
    entity without a ``kb_id`` gets the one its text (in the document ``text``)
    names, when that entry has the entity's label. Anything else is left as
    predicted.

    >>> from newsgold.model import Entity, Quote
    >>> kb = [KBEntry("vladimir-putin", "Vladimir Putin", "PER", ("Putin",))]
    >>> p = with_kb_ids(Prediction("d", entities=(Entity(0, 5, "Putin", "PER"),
    ...     Entity(6, 11, "Putin", "ORG")), quotes=(Quote(12, 14, speaker="putin"),)), kb,
    ...     "Putin Putin: no")
    >>> [e.kb_id for e in p.entities], p.quotes[0].speaker
    (['vladimir-putin', None], 'vladimir-putin')
    """
    from dataclasses import replace

    from ..scoring.quotes import UNRESOLVED, speaker_resolver

    resolve = speaker_resolver(kb)
    labels = {k.kb_id: k.label for k in kb}

    def known(name: str | None) -> str | None:
        found = resolve(name)
        return None if found is None or found.startswith(UNRESOLVED) else found

    entities = pred.entities
    if entities is not None:
        entities = tuple(
            e
            if e.kb_id is not None
            else replace(
                e,
                kb_id=k if (k := known(text[e.start : e.end])) and labels[k] == e.label else None,
            )
            for e in entities
        )
    quotes = pred.quotes
    if quotes is not None:
        quotes = tuple(replace(q, speaker=known(q.speaker) or q.speaker) for q in quotes)
    return replace(pred, entities=entities, quotes=quotes)


def build_tasks(
    root: Path | None,
    *,
    as_: str = "annotations",
    predictions: Path | PredictionSource | None = None,
    docs: Sequence[str] | None = None,
    texts: Sequence[Path] = (),
    notes: list[str] | None = None,
) -> tuple[list[dict[str, Any]], tuple[KBEntry, ...]]:
    """Label Studio tasks for the gold documents (all, or ``docs``) and new texts.

    Args:
        root: the project folder (``None``: found from the current folder).
        as_: ``annotations`` puts the gold in as annotations (and any
            ``predictions`` as pre-annotations); ``predictions`` puts the gold
            in as pre-annotations (model version ``newsgold-gold``), or, with
            ``predictions``, only the system's predictions, for annotators to
            correct; ``none`` leaves the gold out (annotators start blind).
        predictions: a predictions file or a :class:`PredictionSource`
            (:func:`prediction_source`); labels of another scheme are projected
            onto newsgold's, and what the scheme sets aside is counted in ``notes``.
        docs: the gold documents to push (``None``: all).
        texts: plain text files (or folders of them) of new documents, no gold yet.
        notes: receives one line per thing worth telling (labels set aside).

    Returns:
        ``(tasks, kb)``; gold documents first (sorted by ``doc_id``), then new texts.

    Raises:
        ValidationError: the gold, the predictions or a text does not validate,
            or ``docs`` names a document that has no gold.
    """
    from collections import Counter

    from ..model import ENTITY_LABELS
    from ..scoring import get_scheme
    from ..validate import iter_predictions, load_gold
    from .tasks import to_task

    if as_ not in GOLD_AS:
        raise UsageError(f"--as {as_!r} (expected one of {', '.join(GOLD_AS)})")
    gold = load_gold(root)
    chosen = list(gold.docs) if docs is None else list(docs)
    unknown = [d for d in chosen if d not in gold.docs]
    if unknown:
        raise UsageError(
            f"--docs: no gold document {', '.join(map(repr, unknown))} "
            "(expected doc_ids of annotations/*.json; new texts go with --texts)"
        )
    documents = [gold.docs[d] for d in chosen] + new_documents(texts, gold.docs)
    if not documents:
        raise UsageError("nothing to push: --docs '' and no --texts (expected some documents)")
    by_id = {d.doc_id: d for d in documents}
    source = prediction_source(predictions) if isinstance(predictions, Path) else predictions
    preds: dict[str, Prediction] = {}
    if source is not None:
        scheme = get_scheme(source.scheme)
        foreign = sorted(set(scheme.labels) - set(ENTITY_LABELS))
        if foreign:
            raise UsageError(
                f"--scheme {scheme.name}: its labels {', '.join(foreign)} are not in the labeling "
                f"config (expected a scheme that projects onto {', '.join(ENTITY_LABELS)})"
            )
        problems: list[Problem] = []
        set_aside: Counter[str] = Counter()
        for pred in iter_predictions(
            source.path, by_id, problems, labels=scheme.accepted, display=str(source.path)
        ):
            projected = scheme.project(pred)
            set_aside.update(projected.set_aside)
            preds[pred.doc_id] = with_kb_ids(projected.prediction, gold.kb, by_id[pred.doc_id].text)
        if problems:
            raise ValidationError(problems)
        if set_aside and notes is not None:
            counts = ", ".join(f"{n} {lab}" for lab, n in sorted(set_aside.items()))
            notes.append(
                f"{source.model_version}: set aside labels the gold does not annotate "
                f"(scheme {scheme.name}): {counts}"
            )
    tasks = []
    for doc in documents:
        pairs: list[tuple[str, Prediction]] = []
        anns: list[Document] | None = []
        is_gold = doc.doc_id in gold.docs
        if as_ == "annotations" and is_gold:
            anns = None
        elif as_ == "predictions" and is_gold and source is None:
            pairs.append(
                (GOLD_MODEL_VERSION, Prediction(doc.doc_id, doc.entities, doc.dates, doc.quotes))
            )
        if source is not None and doc.doc_id in preds:
            pairs.append((source.model_version, preds[doc.doc_id]))
        tasks.append(to_task(doc, gold.kb, annotations=anns, predictions=pairs))
    return tasks, gold.kb


def guideline_html(root: Path | None) -> str:
    """The annotation guideline (``annotations/GUIDELINES.md``) as HTML, for the project's
    instructions; raw HTML in the Markdown is shown as text, never run.

    Raises:
        ValidationError: the guideline is missing or not UTF-8.
    """
    from markdown_it import MarkdownIt

    from ..jsonio import Paths, find_root, read_text

    path = Paths(root or find_root()).annotations / "GUIDELINES.md"
    if not path.is_file():
        raise ValidationError(
            [Problem(str(path), None, "$", "no such file (expected the annotation guideline)")]
        )
    text = read_text(path, display=str(path))
    return str(MarkdownIt("commonmark", {"html": False}).enable("table").render(text))


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
