"""Validation of the gold, the KB and predictions: the schema, then everything a schema cannot say.

Every check reports *all* problems, never only the first, each as
``FILE[:LINE]: $.json.path: message (got X, expected Y)``. Loading the gold is
validating it: :func:`load_gold` raises :class:`~newsgold.errors.ValidationError`
rather than return anything that does not conform.

The code is in :mod:`.gold` (one document), :mod:`.kb`, :mod:`.project` (the whole
set, :func:`load_gold`) and :mod:`.predictions`.
"""

from __future__ import annotations

from ..model import Gold
from .common import LAYER_NAMES
from .gold import (
    ALLOWED_CUTS,
    alternative_problems,
    calendar_problem,
    check_spans,
    indirect_may_nest,
    overlap_problems,
    validate_document,
    word_cut_problem,
    word_cut_problems,
)
from .kb import validate_kb
from .predictions import check_prediction, iter_predictions, validate_predictions
from .project import load_gold, seed_manifest_problems, validate_gold

# isort: split
# Names this module imported for its own use before it was split, still importable from
# here for callers that took them from it (not in __all__; their home is the module named).
from ..errors import Problem as Problem
from ..errors import ValidationError as ValidationError
from ..errors import short as short
from ..jsonio import PathPart as PathPart
from ..jsonio import Paths as Paths
from ..jsonio import document_from_json as document_from_json
from ..jsonio import find_root as find_root
from ..jsonio import iter_jsonl as iter_jsonl
from ..jsonio import kb_from_json as kb_from_json
from ..jsonio import line_index as line_index
from ..jsonio import loads_json as loads_json
from ..jsonio import locate as locate
from ..jsonio import prediction_from_json as prediction_from_json
from ..jsonio import read_text as read_text
from ..model import ENTITY_LABELS as ENTITY_LABELS
from ..model import Document as Document
from ..model import KBEntry as KBEntry
from ..model import Prediction as Prediction
from ..model import sha256_text as sha256_text
from ..predcheck import check_stream as check_stream
from ..predcheck import record_problems as record_problems
from ..schema import schema_problems as schema_problems

__all__ = [
    "LAYER_NAMES",
    "Gold",
    "ALLOWED_CUTS",
    "alternative_problems",
    "calendar_problem",
    "check_prediction",
    "check_spans",
    "indirect_may_nest",
    "iter_predictions",
    "load_gold",
    "overlap_problems",
    "seed_manifest_problems",
    "validate_document",
    "word_cut_problem",
    "word_cut_problems",
    "validate_gold",
    "validate_kb",
    "validate_predictions",
]
