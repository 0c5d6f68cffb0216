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
    alternative_problems,
    calendar_problem,
    check_spans,
    indirect_may_nest,
    overlap_problems,
    validate_document,
)
from .kb import validate_kb
from .predictions import check_prediction, iter_predictions, validate_predictions
from .project import load_gold, seed_manifest_problems, validate_gold

__all__ = [
    "LAYER_NAMES",
    "Gold",
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
    "validate_gold",
    "validate_kb",
    "validate_predictions",
]
