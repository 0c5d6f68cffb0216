"""Label Studio: the labeling config, lossless task converters (pure, no I/O) and the server client.

Label Studio's own converters drop relations and per-region fields, and its
server accepts any offsets and labels. Here nothing is lost and nothing wrong
is accepted: :func:`to_task` turns a gold document (and any predictions) into a
Label Studio task, :func:`from_task` turns an exported task back into gold
documents (one per annotation, so every annotator's work stays apart) and
predictions, and raises :class:`~newsgold.errors.ValidationError` with every
problem, each naming the task id and the result id.

How the gold maps onto Label Studio regions (all on the ``text`` object):

=============  =======================================================================
gold           Label Studio
=============  =======================================================================
entity         ``entity`` label (PER ...), per-region ``kb_id`` picked from the KB list (a
               taxonomy pick ``[[kb_id]]``; a text area in projects made before), or a
               ``new_kb_id`` the annotator proposes (text area; refused at pull until
               ``kb.json`` has it)
date           ``date`` label (DATE, TIME, DURATION, SET = the TIMEX type), per-region
               ``date_value`` text area and optional ``date_mod`` choice
alternatives   of an entity or a date: the per-region ``alternatives`` text area, one
               value listing each extent as ``start-end`` code-point offsets, separated
               by spaces, in the gold's order (``118-133 120-126``); the texts are
               recomputed from the document text when the task is read back
quote          ``quote`` label (QUOTE), per-region ``quote_kind`` choice (direct,
               partial, indirect); an indirect quote's region may lie inside another
               quote's region
speaker        a ``speaker`` relation from the quote to an entity region with that
               ``kb_id``; when the text has no mention of the speaker, the quote's
               per-region ``speaker_id`` pick from the KB list holds the ``kb_id``
cue            a ``cue`` region (CUE) and a ``cue`` relation from the quote to it;
               quotes sharing one reporting verb share one cue region. A relation
               drawn without a label is named by its target: an entity, the speaker;
               a cue region, the cue
dct            the task's ``data.dct`` / ``data.dct_reason``; an annotation that
               disagrees holds its own in the document-level ``dct`` /
               ``dct_reason`` text areas
=============  =======================================================================

Offsets: Label Studio 1.23 stores ``start``/``end`` of text regions as
Unicode code points, exactly newsgold's convention, so they pass through
unchanged (the integration test proves it with an emoji and a right-to-left
word through a real server). Region ids are deterministic (``ent-0``,
``date-3``, ``quote-1``, ``cue-0``), so the same document gives the same task.

>>> from newsgold.model import Document, Entity
>>> doc = Document("d1", "Putin spoke.", "2021-12-30", "a reason",
...                entities=(Entity(0, 5, "Putin", "PER", "vladimir-putin"),))
>>> task = to_task(doc, ())
>>> [r["from_name"] for r in task["annotations"][0]["result"]]
['entity', 'kb_id']
>>> from_task(task).annotations[0].document == doc
True

Modules: :mod:`.config` (the labeling config, generated from the label sets and
the KB, and its control names), :mod:`.tasks` (gold and predictions → tasks and
results), :mod:`.results` (result lists → regions, relations, layers),
:mod:`.parse` (a task → gold documents and predictions, with every check),
:mod:`.export` (exports and the choice of annotations), :mod:`.files` (tasks
from the project's gold, new texts and predictions, gold files from an export),
:mod:`.status` (a team project's progress as text) and :mod:`.client` (the
server, over ``label-studio-sdk``, imported only when a command needs it; team
settings), :mod:`.adjudicate` (two annotators merged through a review project).
The public names are re-exported here;
:mod:`newsgold.convert.label_studio` and :mod:`newsgold.ls_client` re-export
them at their former paths.
"""

from __future__ import annotations

from .client import (
    ATTEMPTS,
    BACKOFF,
    BATCH_SIZE,
    EXPORT_TIMEOUT,
    LabelStudioError,
    Server,
    TaskProgress,
    Team,
)
from .config import (
    ALTERNATIVES,
    CUE,
    CUE_LABEL,
    CUE_REL,
    DATA_KEYS,
    DATE,
    DATE_MOD,
    DATE_VALUE,
    DCT,
    DCT_REASON,
    ENTITY,
    KB_ID,
    NEW_KB_ID,
    QUOTE,
    QUOTE_KIND,
    QUOTE_LABEL,
    SPEAKER_ID,
    SPEAKER_REL,
    TEXT,
    kb_choice_label,
    labeling_config,
)
from .export import (
    ExportReading,
    Selection,
    choose_annotations,
    from_export,
    read_export,
    select_annotations,
)
from .files import (
    GOLD_AS,
    GOLD_MODEL_VERSION,
    PredictionSource,
    PulledFiles,
    build_tasks,
    gold_files,
    guideline_html,
    new_documents,
    prediction_source,
    pull_files,
    read_kb,
)
from .parse import AnnotationSet, PredictionSet, TaskContents, TaskReading, from_task, read_task
from .status import status_lines
from .tasks import to_results, to_task

__all__ = [
    "ALTERNATIVES",
    "ATTEMPTS",
    "BACKOFF",
    "BATCH_SIZE",
    "CUE",
    "CUE_LABEL",
    "CUE_REL",
    "DATA_KEYS",
    "DATE",
    "DATE_MOD",
    "DATE_VALUE",
    "DCT",
    "DCT_REASON",
    "ENTITY",
    "EXPORT_TIMEOUT",
    "GOLD_AS",
    "GOLD_MODEL_VERSION",
    "KB_ID",
    "NEW_KB_ID",
    "QUOTE",
    "QUOTE_KIND",
    "QUOTE_LABEL",
    "SPEAKER_ID",
    "SPEAKER_REL",
    "TEXT",
    "AnnotationSet",
    "ExportReading",
    "LabelStudioError",
    "PredictionSet",
    "PredictionSource",
    "PulledFiles",
    "Selection",
    "Server",
    "TaskContents",
    "TaskProgress",
    "TaskReading",
    "Team",
    "build_tasks",
    "choose_annotations",
    "from_export",
    "from_task",
    "gold_files",
    "guideline_html",
    "kb_choice_label",
    "labeling_config",
    "new_documents",
    "prediction_source",
    "pull_files",
    "read_export",
    "read_kb",
    "read_task",
    "select_annotations",
    "status_lines",
    "to_results",
    "to_task",
]
