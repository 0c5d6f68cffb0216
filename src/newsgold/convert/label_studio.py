"""Label Studio's JSON export as a prediction format (``newsgold score --format label-studio``).

The code now lives in the package :mod:`newsgold.labelstudio` (config, tasks,
results, parse, export); this module re-exports its converters at their former
import path.
"""

from __future__ import annotations

from ..labelstudio.config import (
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
    QUOTE,
    QUOTE_KIND,
    QUOTE_LABEL,
    SPEAKER_ID,
    SPEAKER_REL,
    TEXT,
    labeling_config,
)
from ..labelstudio.export import from_export, select_annotations
from ..labelstudio.parse import AnnotationSet, PredictionSet, TaskContents, from_task
from ..labelstudio.tasks import to_results, to_task

__all__ = [
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
    "KB_ID",
    "QUOTE",
    "QUOTE_KIND",
    "QUOTE_LABEL",
    "SPEAKER_ID",
    "SPEAKER_REL",
    "TEXT",
    "AnnotationSet",
    "PredictionSet",
    "TaskContents",
    "from_export",
    "from_task",
    "labeling_config",
    "select_annotations",
    "to_results",
    "to_task",
]
