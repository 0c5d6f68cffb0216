"""newsgold: a small, exact, gold-annotated news corpus and the benchmark around it.

>>> from newsgold import Entity
>>> Entity(0, 6, "Moscow", "GPE", "moscow").label
'GPE'
"""

from __future__ import annotations

from .corpus import corpus_dir, load
from .errors import NewsgoldError, Problem, UsageError, ValidationError
from .evaluate import evaluate  # the function shadows its module: newsgold.evaluate(system)
from .model import Date, Document, Entity, Gold, KBEntry, Prediction, Quote, Span
from .validate import load_gold

__version__ = "0.2.0"

__all__ = [
    "Date",
    "Document",
    "Entity",
    "Gold",
    "KBEntry",
    "NewsgoldError",
    "Prediction",
    "Problem",
    "Quote",
    "Span",
    "UsageError",
    "ValidationError",
    "corpus_dir",
    "__version__",
    "evaluate",
    "load",
    "load_gold",
]
