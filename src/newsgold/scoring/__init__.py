"""Score any system against the gold: entities, dates and quotes, with confidence intervals.

The public entry points are pure functions over records (no I/O):

- :func:`score` — one system against the gold → :class:`Report`.
- :func:`compare` — two systems on the same documents, paired test → :class:`Comparison`.
- :func:`agree` — one annotation set against another (inter-annotator agreement) → :class:`Report`.

Every figure is defined in the docstring of its layer module
(:mod:`.entities`, :mod:`.dates`, :mod:`.quotes`) under a versioned name
(``entities.strict.v1``); the matching is in :mod:`.matching`, label schemes
in :mod:`.schemes`, the bootstrap and the paired test in :mod:`.bootstrap`.

>>> from newsgold.model import Document, Entity, Prediction
>>> from newsgold.model import Gold
>>> doc = Document("d1", "Putin met Biden.", "2021-12-30", "r",
...                entities=(Entity(0, 5, "Putin", "PER", "putin"), Entity(10, 15, "Biden", "PER", "biden")))
>>> gold = Gold({"d1": doc}, ())
>>> report = score(gold, [Prediction("d1", entities=(Entity(0, 5, label="PER"),))], n_bootstrap=10)
>>> report.figure("entities.strict.f1"), report.figure("entities.strict.recall")
(0.666667, 0.5)
>>> report.to_json()["dates"] is None
True
"""

from __future__ import annotations

from typing import Any

from .comparison import compare, holm, minimum_detectable_effect, smallest_p_value
from .matching import match
from .registry import LAYERS, register_layer, register_metric, register_slice
from .report import DIGITS as DIGITS  # importable from here before the split; not in __all__
from .report import FEW_DOCUMENTS as FEW_DOCUMENTS
from .report import SCHEMA_VERSION, SCORER_VERSION, Comparison, Report
from .run import (
    agree,
    checked_predictions,
    count_stream,
    gold_as_predictions,
    prepare_gold,
    score,
    score_file,
    score_jsonl,
)
from .schemes import SCHEMES, Scheme, get_scheme
from .spec import Layer, Metric, Slice
from .units import DEFAULT_UNIT, UNITS

# isort: split
# Names this module imported for its own use before it was split, still importable from
# here for callers that took them from it (not in __all__; their home is the module named).
from ..errors import Problem as Problem
from ..errors import UsageError as UsageError
from ..errors import ValidationError as ValidationError
from ..errors import short as short
from ..jsonio import prediction_from_json as prediction_from_json
from ..jsonio import prediction_to_json as prediction_to_json
from ..model import Gold as Gold
from ..model import Prediction as Prediction
from ..predcheck import check_stream as check_stream
from .bootstrap import bootstrap_sums as bootstrap_sums
from .bootstrap import interval as interval
from .bootstrap import randomization_sums as randomization_sums
from .common import Figures as Figures
from .common import columns_view as columns_view
from .common import get_path as get_path
from .common import nanmean_std as nanmean_std
from .engine import Engine as Engine
from .engine import cached as cached
from .engine import gold_columns as gold_columns

__all__ = [
    "DEFAULT_UNIT",
    "LAYERS",
    "METRIC_NAMES",
    "SCHEMES",
    "SCHEMA_VERSION",
    "SCORER_VERSION",
    "Comparison",
    "Layer",
    "Metric",
    "Report",
    "Scheme",
    "Slice",
    "UNITS",
    "agree",
    "checked_predictions",
    "compare",
    "count_stream",
    "get_scheme",
    "gold_as_predictions",
    "holm",
    "match",
    "minimum_detectable_effect",
    "prepare_gold",
    "register_layer",
    "register_metric",
    "register_slice",
    "score",
    "score_file",
    "score_jsonl",
    "smallest_p_value",
]


_REMOVED = {
    "check_prediction_records": "the one prediction check is newsgold.predcheck.record_problems",
    "fast": "there is one engine (newsgold.scoring.engine); score_jsonl and score_file stay",
    "HEADLINE": "read newsgold.scoring.LAYERS[layer].headline",
}


def __getattr__(name: str) -> Any:
    if name == "METRIC_NAMES":  # kept for 1.x callers: read LAYERS[layer].metric_names
        return {n: lay.metric_names for n, lay in LAYERS.items()}
    if name in _REMOVED:
        raise AttributeError(
            f"newsgold.scoring.{name} was removed in newsgold 0.2.0: {_REMOVED[name]}"
        )
    raise AttributeError(name)
