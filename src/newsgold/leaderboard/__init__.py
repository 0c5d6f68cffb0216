"""The leaderboard: validate every submission, score it, rank it per layer, render the board.

Submissions are untrusted input. A submission is the folder
``eval/submissions/<system_id>/`` holding ``submission.json`` (valid under
``schemas/submission.schema.json``) and ``predictions.jsonl``. It is *invalid*,
reported with its reason and left off the board, when:

- its folder name is not a system id (``[a-z0-9][a-z0-9._-]*``, at most 64
  characters) or differs from the ``system_id`` inside;
- the folder or one of its files is a symbolic link, or a file resolves outside
  the submissions folder (no path may leave ``eval/``);
- ``submission.json`` is not valid, or any predictions line is not (schema,
  unknown or duplicate ``doc_id``, offsets, ``text``, a label its ``scheme``
  does not know), a line carries a layer the submission does not declare or
  lacks one it declares, or a gold document has no line;
- its ``gold_sha256`` or ``corpus_version`` is not the current gold's (it was
  made against other gold: the message names both values).

Predictions are streamed line by line (a 100 MB file never sits in memory);
they are read once to validate, once to score, once per paired test and once
for the error report.

The pieces are split so the logic stays pure: :func:`discover` and
:func:`check_submission` read files (the board and ``newsgold submission check``
call the same :func:`assess`); :func:`rank` orders scored systems;
:func:`build_board` turns scores and paired tests into the board object (the
content of ``leaderboard.json``); :func:`to_markdown` and :func:`to_html` render
it; :func:`run_leaderboard` wires them together and :func:`write_board` writes
the files atomically. The output depends only on the inputs (no clock, sorted
everything), so a rerun is byte-identical.

Ranking, per layer, by one figure (:data:`PRIMARY`): entities by strict F1,
dates by value F1 (span found *and* value right), quotes by end-to-end F1 (span
and speaker right); ties share a rank and are listed by system id. The best
system of a layer is compared with each other one by the scorer's paired test
(approximate randomisation over documents); a system whose p-value is at least
:data:`ALPHA` cannot be told from the best and is marked so.

Modules: :mod:`.constants` (layers, figures, level of the test),
:mod:`.submissions` (discovery, checks, prediction streaming), :mod:`.board`
(ranking and the board object), :mod:`.paired` (paired tests),
:mod:`.formatting`, :mod:`.markdown` and :mod:`.html_page` (renderings; the
page's HTML, CSS and JavaScript are package data files) and :mod:`.run` (the
whole run). The public names are re-exported here.

>>> rank([("b", 0.5), ("a", 0.7), ("c", 0.5), ("d", None)])
[('a', 1), ('b', 2), ('c', 2), ('d', 4)]
"""

from __future__ import annotations

from ..errors import CappedProblems
from .board import (
    board_shape,
    build_board,
    figure,
    is_baseline,
    rank,
    rows_beside_board,
    to_json_text,
)
from .constants import ALPHA, COLUMNS, LAYER_TITLES, LEADERBOARD_VERSION, N_BOOTSTRAP, PRIMARY
from .html_page import to_html
from .markdown import md_escape, metric_name, to_markdown
from .paired import min_p_value
from .run import Outcome, assess, run_leaderboard, write_board
from .submissions import (
    MAX_SUBMISSION_BYTES,
    SYSTEM_ID,
    Invalid,
    Submission,
    check_files,
    check_submission,
    discover,
    made_against_problems,
    stream_predictions,
    to_newsgold_labels,
)

__all__ = [
    "ALPHA",
    "COLUMNS",
    "LAYER_TITLES",
    "LEADERBOARD_VERSION",
    "MAX_SUBMISSION_BYTES",
    "N_BOOTSTRAP",
    "PRIMARY",
    "SYSTEM_ID",
    "CappedProblems",
    "Invalid",
    "Outcome",
    "Submission",
    "assess",
    "build_board",
    "check_files",
    "check_submission",
    "discover",
    "figure",
    "is_baseline",
    "made_against_problems",
    "md_escape",
    "metric_name",
    "min_p_value",
    "rank",
    "board_shape",
    "rows_beside_board",
    "run_leaderboard",
    "stream_predictions",
    "to_html",
    "to_json_text",
    "to_markdown",
    "to_newsgold_labels",
    "write_board",
]
