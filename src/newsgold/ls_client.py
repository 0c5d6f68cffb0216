"""Push tasks to a Label Studio server and pull them back (over ``label-studio-sdk``).

The code now lives in the package :mod:`newsgold.labelstudio`: the server
client in :mod:`newsgold.labelstudio.client`, the file helpers in
:mod:`newsgold.labelstudio.files`. This module re-exports them at their former
import path. Set ``BACKOFF`` and the other settings on
:mod:`newsgold.labelstudio.client`, where the client reads them.
"""

from __future__ import annotations

from .labelstudio.client import (
    ATTEMPTS,
    BACKOFF,
    BATCH_SIZE,
    EXPORT_TIMEOUT,
    LabelStudioError,
    Server,
)
from .labelstudio.files import GOLD_MODEL_VERSION, build_tasks, gold_files, read_kb

__all__ = [
    "ATTEMPTS",
    "BACKOFF",
    "BATCH_SIZE",
    "EXPORT_TIMEOUT",
    "GOLD_MODEL_VERSION",
    "LabelStudioError",
    "Server",
    "build_tasks",
    "gold_files",
    "read_kb",
]
