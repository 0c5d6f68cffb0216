"""The prediction formats, each described once: name, file suffixes, layout and reader.

``newsgold score --format``, ``compare --format``, ``run --cmd`` (what a
program may write), :func:`newsgold.scoring.score_file` and the table of
docs/formats.md all read :data:`FORMATS`. A reader turns a path into
``(line, record)`` pairs: JSON-shaped records (or :class:`~newsgold.model.Prediction`
records from an adapter) that then go through the one check
(:mod:`newsgold.predcheck`) and the one engine, like every other input.

Adding a format is one call (see CONTRIBUTING.md):

>>> from newsgold.formats import FORMATS, Format, register_format, unregister_format
>>> register_format(Format("toy", (".toy",), False, lambda path, gold, name: [], "a toy"))
>>> "toy" in FORMATS
True
>>> unregister_format("toy")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problem, ValidationError
from .jsonio import iter_jsonl, loads_json, prediction_to_json, read_bytes, read_text
from .model import Gold, Prediction

Records = Iterable[tuple[int | None, Any]]
Reader = Callable[[Path, Gold, str], Records]


@dataclass(frozen=True)
class Format:
    """One prediction format.

    Attributes:
        name: the ``--format`` value.
        suffixes: file name endings (the first is the usual one).
        folder: ``True`` for a folder of ``<doc_id><suffix>`` files, ``False`` for one file.
        read: ``(path, gold, display name) → (line, record)`` pairs.
        description: one line for ``--help`` and the table of docs/formats.md.
        module: where its converter lives (for the table of docs/formats.md).
        command_output: a ``newsgold run --cmd`` program may write it.
        notes: what the reader does with it (the last column of that table, Markdown).
    """

    name: str
    suffixes: tuple[str, ...]
    folder: bool
    read: Reader
    description: str
    module: str = ""
    command_output: bool = False
    notes: str = ""


FORMATS: dict[str, Format] = {}
"""The formats by name, in the order ``--format`` lists them."""


def register_format(fmt: Format) -> None:
    """Add a format (its name must be new)."""
    if fmt.name in FORMATS:
        raise ValueError(f"format {fmt.name!r} is registered already")
    FORMATS[fmt.name] = fmt


def unregister_format(name: str) -> None:
    """Remove a format added by :func:`register_format`."""
    FORMATS.pop(name, None)


def get_format(name: str) -> Format:
    """The format called ``name``.

    Raises:
        UsageError: an unknown name, listing the known ones.
    """
    from .errors import UsageError

    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(
            f"unknown format {name!r} (expected one of {', '.join(FORMATS)})"
        ) from None


def read_records(path: Path, fmt: str, gold: Gold, display: str | None = None) -> Records:
    """``(line, record)`` pairs of a predictions file or folder in format ``fmt``.

    Args:
        path: the file or folder.
        fmt: the format's name.
        gold: the gold (adapters align to its texts).
        display: how to name the input in problems (default: the path).

    Raises:
        ValidationError: the input cannot be read at all (missing, a folder for a
            file format, a file for a folder format, an adapter's problems).
    """
    spec = get_format(fmt)
    name = display or str(path)
    if spec.folder:
        if not path.is_dir():
            raise ValidationError(
                [Problem(name, None, "$", f"expected a folder of <doc_id>{spec.suffixes[0]} files")]
            )
    elif path.is_dir():
        what = "JSONL" if fmt == "jsonl" else fmt
        raise ValidationError(
            [Problem(name, None, "$", f"is a directory (expected a {what} file)")]
        )
    elif not path.exists():  # a device or a pipe is read, up to the reader's size limit
        raise ValidationError([Problem(name, None, "$", "no such file")])
    return spec.read(path, gold, name)


def as_records(predictions: Iterable[Prediction]) -> Iterator[tuple[int | None, Any]]:
    """Adapter output as records for the one check."""
    for pred in predictions:
        yield None, prediction_to_json(pred)


def per_file_records(
    predictions: Iterable[Prediction],
    lines: Mapping[str, list[int]],
    folder: str,
    suffix: str,
    layer: str,
) -> Records:
    """Records of a folder of one file per document (brat, TimeML) for the one check: a
    problem found there (a label or type outside the schema) names the document's own file
    and the line of its span (``<folder>/<doc_id><suffix>:LINE``)."""
    from .predcheck import RecordLines

    return [
        (
            RecordLines(
                1,
                {(layer, i): n for i, n in enumerate(lines[p.doc_id])},
                file=f"{folder}/{p.doc_id}{suffix}",
            ),
            prediction_to_json(p),
        )
        for p in predictions
    ]


def folder_files(path: Path, suffixes: tuple[str, ...], name: str) -> dict[str, str]:
    """``doc_id → text`` of the files of a folder format (the stem before the suffix).

    Raises:
        ValidationError: no such file in the folder.
    """
    files: dict[str, str] = {}
    for p in sorted(path.iterdir()):
        suffix = next((s for s in suffixes if p.name.endswith(s)), None)
        if suffix is not None and p.is_file():
            files[p.name[: -len(suffix)]] = read_text(p, display=str(p))
    if not files:
        raise ValidationError([Problem(name, None, "$", f"no {suffixes[0]} files in the folder")])
    return files


# --------------------------------------------------------------------------- the built-in formats

NOTES = {
    "jsonl": ("streamed; every line checked (schema, offsets, `text`, labels)"),
    "conll": (
        "`-DOCSTART- <doc_id>` starts each document (`-DOCSTART- -X- -X- O`: all documents, in `doc_id` order); tokens are aligned to the text, a token that does not match is an error naming line, token and text"
    ),
    "brat": (
        "`T` lines become entities (offsets as brat's, end exclusive); discontinuous spans are an error; `#`, `R`, `E`, `A`, `M`, `N` lines are passed over"
    ),
    "spacy": (
        '`doc.ents` with `start_char`/`end_char`; a Doc is matched by `user_data["doc_id"]` or by its text; needs spaCy installed'
    ),
    "hf": (
        "`entity_group`/`start`/`end`/`score` (aggregated) or per-token `B-`/`I-` `entity` tags (merged); white space at span edges (RoBERTa's leading space) is trimmed"
    ),
    "label-studio": (
        "each task's prediction (one model version per export), read by `newsgold.labelstudio`"
    ),
    "timeml": (
        "inline `<TIMEX3>` tags as HeidelTime, SUTime and the TempEval tools write them, mapped back to code points of the original text; feeds the dates layer (see [Score a system in one call](systems.md#score-a-system-in-one-call))"
    ),
    "mentions": (
        "strings without offsets (an LLM's answer), aligned to the text by `alignment.v1` (in order, then normalised, then fuzzy ≥ 0.9 for spans of 20+ code points); unaligned strings count as spurious; the report gains an `alignment` section (see [Score an LLM](systems.md#score-an-llm))"
    ),
    "rules": ("nothing"),
    "spacy-sm": ("`pip install 'newsgold[baselines]'`"),
    "dateparser": ("`pip install 'newsgold[baselines]'`"),
}
"""What each built-in reader does (the notes of the table of docs/formats.md)."""


def _jsonl(path: Path, gold: Gold, name: str) -> Records:
    return iter_jsonl(path, name)


def _conll(path: Path, gold: Gold, name: str) -> Records:
    from .convert.conll import from_conll
    from .predcheck import RecordLines

    lines: dict[str, tuple[int, list[int]]] = {}
    preds = from_conll(read_text(path, display=name), gold, source=name, lines=lines)
    # a problem found later (a label) names the line of its entity's first token
    return [
        (
            RecordLines(
                lines[p.doc_id][0],
                {("entities", i): n for i, n in enumerate(lines[p.doc_id][1])},
            ),
            prediction_to_json(p),
        )
        for p in preds
    ]


def _brat(path: Path, gold: Gold, name: str) -> Records:
    from .convert.brat import from_brat

    lines: dict[str, list[int]] = {}
    preds = from_brat(folder_files(path, (".ann",), name), gold, folder=name, lines=lines)
    return per_file_records(preds, lines, name, ".ann", "entities")


def _spacy(path: Path, gold: Gold, name: str) -> Records:
    from .convert.spacy import from_docbin

    return as_records(from_docbin(read_bytes(path, display=name), gold, source=name))


def _hf(path: Path, gold: Gold, name: str) -> Records:
    from .convert.hf import from_hf

    if path.suffix == ".jsonl":
        rows = []
        for _lineno, row in iter_jsonl(path, name):
            if isinstance(row, Problem):
                raise ValidationError([row])
            rows.append(row)
        return as_records(from_hf(rows, gold, source=name))
    return as_records(from_hf(loads_json(read_text(path, display=name), name), gold, source=name))


def _label_studio(path: Path, gold: Gold, name: str) -> Records:
    from .convert import from_label_studio

    data = loads_json(read_text(path, display=name), name)
    return as_records(from_label_studio(data, gold, source=name))


def _mentions(path: Path, gold: Gold, name: str) -> Records:
    from .mentions import read_format

    return read_format(path, gold, name)


def _timeml(path: Path, gold: Gold, name: str) -> Records:
    from .convert.timeml import from_timeml_files

    files = folder_files(path, (".tml", ".timeml", ".xml"), name)
    lines: dict[str, list[int]] = {}
    preds = from_timeml_files(files, gold, folder=name, lines=lines)
    return per_file_records(preds, lines, name, ".tml", "dates")


_BUILTIN = (
    Format(
        "jsonl",
        (".jsonl",),
        False,
        _jsonl,
        "newsgold predictions JSONL",
        "newsgold.convert.jsonl",
        True,
        NOTES["jsonl"],
    ),
    Format(
        "conll",
        (".conll", ".txt"),
        False,
        _conll,
        "CoNLL-2003 BIO columns, token first, tag last",
        "newsgold.convert.conll",
        False,
        NOTES["conll"],
    ),
    Format(
        "brat",
        (".ann",),
        True,
        _brat,
        "a folder of `<doc_id>.ann`",
        "newsgold.convert.brat",
        True,
        NOTES["brat"],
    ),
    Format(
        "spacy",
        (".spacy",),
        False,
        _spacy,
        "a `DocBin` (`.spacy`)",
        "newsgold.convert.spacy",
        False,
        NOTES["spacy"],
    ),
    Format(
        "hf",
        (".json", ".jsonl"),
        False,
        _hf,
        '`{doc_id: [pipeline output]}` JSON, or JSONL `{"doc_id", "entities"}`',
        "newsgold.convert.hf",
        False,
        NOTES["hf"],
    ),
    Format(
        "label-studio",
        (".json",),
        False,
        _label_studio,
        "a Label Studio JSON export",
        "newsgold.labelstudio",
        False,
        NOTES["label-studio"],
    ),
    Format(
        "timeml",
        (".tml", ".timeml", ".xml"),
        True,
        _timeml,
        "a folder of `<doc_id>.tml` (`.timeml`, `.xml`)",
        "newsgold.convert.timeml",
        True,
        NOTES["timeml"],
    ),
    Format(
        "mentions",
        (".jsonl",),
        False,
        _mentions,
        'JSONL `{"doc_id", "entities": [{"text", "label"}], "dates": [...], "quotes": [...]}` without offsets',
        "newsgold.mentions",
        False,
        NOTES["mentions"],
    ),
)
for _fmt in _BUILTIN:
    register_format(_fmt)


def markdown_table() -> str:
    """The table of formats of docs/formats.md, made from :data:`FORMATS` (a test checks it)."""
    lines = ["| format | input | notes |", "|---|---|---|"]
    for i, f in enumerate(FORMATS.values()):
        name = f"`{f.name}`" + (" (default)" if i == 0 else "")
        lines.append(f"| {name} | {f.description} | {f.notes} |")
    return "\n".join(lines) + "\n"
