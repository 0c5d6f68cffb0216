"""Reading and writing newsgold files: strict decoding, deterministic JSON, atomic writes.

Nothing here repairs input. A file that is not clean UTF-8 JSON raises a
:class:`~newsgold.errors.ValidationError` that names the file, line and what
was expected. Writes go to a temporary file in the same folder and are renamed
into place, so a crash never leaves a half-written file.

The code is in :mod:`.read` (decoding, JSON paths, JSONL streaming), :mod:`.write`
(serialising, atomic writes) and :mod:`.records` (records to and from JSON); the
project's folders are in :mod:`newsgold.paths`.

>>> dumps_json({"b": 1, "a": [1, 2]})
'{\\n  "b": 1,\\n  "a": [\\n    1,\\n    2\\n  ]\\n}\\n'
"""

from __future__ import annotations

from ..paths import Paths, find_root
from .read import (
    MAX_JSON_BYTES,
    MAX_LINE_BYTES,
    PathPart,
    decode_utf8,
    iter_jsonl,
    json_path,
    line_index,
    loads_json,
    locate,
    read_bytes,
    read_text,
)
from .records import (
    date_from_json,
    document_from_json,
    document_to_json,
    entity_from_json,
    kb_from_json,
    kb_to_json,
    prediction_from_json,
    prediction_to_json,
    quote_from_json,
    read_seed,
    span_to_json,
)
from .write import atomic_write, dumps_json, dumps_jsonl_line, write_files_atomically

# isort: split
# Names this module imported for its own use before it was split, still importable from
# here for callers that took them from it (not in __all__; their home is the module named).
from ..errors import Problem as Problem
from ..errors import ValidationError as ValidationError
from ..model import Date as Date
from ..model import Document as Document
from ..model import Entity as Entity
from ..model import KBEntry as KBEntry
from ..model import Prediction as Prediction
from ..model import Quote as Quote
from ..model import Span as Span

__all__ = [
    "MAX_JSON_BYTES",
    "MAX_LINE_BYTES",
    "PathPart",
    "Paths",
    "atomic_write",
    "date_from_json",
    "decode_utf8",
    "document_from_json",
    "document_to_json",
    "dumps_json",
    "dumps_jsonl_line",
    "entity_from_json",
    "find_root",
    "iter_jsonl",
    "json_path",
    "kb_from_json",
    "kb_to_json",
    "line_index",
    "loads_json",
    "locate",
    "prediction_from_json",
    "prediction_to_json",
    "quote_from_json",
    "read_bytes",
    "read_seed",
    "read_text",
    "span_to_json",
    "write_files_atomically",
]
