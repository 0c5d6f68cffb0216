"""Reading and writing newsgold files: strict decoding, deterministic JSON, atomic writes.

Nothing here repairs input. A file that is not clean UTF-8 JSON raises a
:class:`~newsgold.errors.ValidationError` that names the file, line and what
was expected. Writes go to a temporary file in the same folder and are renamed
into place, so a crash never leaves a half-written file.

>>> dumps_json({"b": 1, "a": [1, 2]})
'{\\n  "b": 1,\\n  "a": [\\n    1,\\n    2\\n  ]\\n}\\n'
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problem, ValidationError
from .model import Date, Document, Entity, KBEntry, Prediction, Quote, Span

#: Largest gold document or KB file read (a gold document is a few kB).
MAX_JSON_BYTES = 16 * 1024 * 1024
#: Largest single JSONL line of predictions (a whole file is streamed, any size).
MAX_LINE_BYTES = 16 * 1024 * 1024

PathPart = str | int


# --------------------------------------------------------------------------- paths


@dataclass(frozen=True)
class Paths:
    """Where a newsgold project keeps its parts.

    Attributes:
        root: the project folder (a clone of the repository).
    """

    root: Path

    @property
    def seeds(self) -> Path:
        """The seed texts, ``seeds/*.txt``."""
        return self.root / "seeds"

    @property
    def annotations(self) -> Path:
        """The gold, ``annotations/*.json``."""
        return self.root / "annotations"

    @property
    def kb(self) -> Path:
        """The knowledge base, ``annotations/kb.json``."""
        return self.annotations / "kb.json"

    @property
    def corpus(self) -> Path:
        """The built Hugging Face dataset."""
        return self.root / "corpus"

    @property
    def eval(self) -> Path:
        """The leaderboard folder."""
        return self.root / "eval"

    def gold_files(self) -> list[Path]:
        """Gold document files, sorted (``kb.json`` excluded)."""
        return sorted(p for p in self.annotations.glob("*.json") if p.name != "kb.json")

    def seed_files(self) -> list[Path]:
        """Seed text files, sorted."""
        return sorted(self.seeds.glob("*.txt"))


def find_root(start: Path | None = None) -> Path:
    """Find the newsgold project folder.

    The ``NEWSGOLD_ROOT`` environment variable wins; otherwise the nearest folder
    at or above ``start`` (default: the current folder) that holds ``seeds/`` and
    ``annotations/``; otherwise the clone this package was installed from.

    Args:
        start: where to start looking.

    Returns:
        The project folder.

    Raises:
        NewsgoldError: when no project folder is found.
    """
    from .errors import NewsgoldError

    env = os.environ.get("NEWSGOLD_ROOT")
    if env:
        return Path(env)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "seeds").is_dir() and (folder / "annotations").is_dir():
            return folder
    installed = Path(__file__).resolve().parents[2]
    if (installed / "seeds").is_dir():
        return installed
    raise NewsgoldError(
        f"no newsgold project found at or above {here} (expected seeds/ and annotations/); "
        "run inside a clone of newsgold or set NEWSGOLD_ROOT"
    )


# --------------------------------------------------------------------------- reading


def read_text(path: Path, *, max_bytes: int = MAX_JSON_BYTES, display: str | None = None) -> str:
    """Read a file as strict UTF-8 text.

    Args:
        path: the file.
        max_bytes: refuse larger files (they cannot be what they claim to be).
        display: how to name the file in errors (default: the path as given).

    Returns:
        The decoded text, untouched (no newline translation, no stripping).

    Raises:
        ValidationError: missing file, a directory, too large, empty, a BOM, or
            invalid UTF-8 (with the line and byte of the first bad byte).
    """
    name = display or str(path)
    if not path.exists():
        raise ValidationError([Problem(name, None, "$", "no such file")])
    if path.is_dir():
        raise ValidationError([Problem(name, None, "$", "is a directory (expected a file)")])
    size = path.stat().st_size
    if size > max_bytes:
        raise ValidationError(
            [
                Problem(
                    name, None, "$", f"file too large ({size} bytes, expected at most {max_bytes})"
                )
            ]
        )
    data = path.read_bytes()
    return decode_utf8(data, name)


def decode_utf8(data: bytes, name: str, first_line: int = 1) -> str:
    """Decode bytes as strict UTF-8 without a byte-order mark.

    Args:
        data: the raw bytes.
        name: the file name used in errors.
        first_line: line number of the first byte (for lines of a JSONL file).

    Returns:
        The text.

    Raises:
        ValidationError: on a BOM or invalid UTF-8.

    >>> decode_utf8(b"ok", "f")
    'ok'
    >>> decode_utf8(b"a\\n\\xff", "f")
    Traceback (most recent call last):
    ...
    newsgold.errors.ValidationError: f:2: $: invalid UTF-8: byte 0xff at byte offset 2 (expected UTF-8 text; re-save the file as UTF-8)
    """
    if data.startswith(b"\xef\xbb\xbf"):
        raise ValidationError(
            [
                Problem(
                    name,
                    first_line,
                    "$",
                    "UTF-8 byte-order mark (BOM) at the start (expected UTF-8 without BOM)",
                )
            ]
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + data.count(b"\n", 0, exc.start)
        raise ValidationError(
            [
                Problem(
                    name,
                    line,
                    "$",
                    f"invalid UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start} "
                    "(expected UTF-8 text; re-save the file as UTF-8)",
                )
            ]
        ) from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):  # the parser would keep the last value silently
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r}")
            seen.add(key)
    return out


_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant)


def loads_json(text: str, name: str, first_line: int = 1) -> Any:
    """Parse JSON strictly: no NaN/Infinity, no duplicate keys, nothing after the value.

    Args:
        text: the JSON text.
        name: the file name used in errors.
        first_line: line number of the text's first line.

    Returns:
        The parsed value.

    Raises:
        ValidationError: with the line of the syntax error.

    >>> loads_json('{"a": 1}', "f")
    {'a': 1}
    >>> loads_json('{"a": 1, "a": 2}', "f")
    Traceback (most recent call last):
    ...
    newsgold.errors.ValidationError: f:1: $: invalid JSON: duplicate key 'a' (expected one value per key)
    """
    if not text.strip():
        raise ValidationError(
            [Problem(name, first_line, "$", "empty file (expected a JSON value)")]
        )
    try:
        return _DECODER.decode(text)
    except RecursionError:
        raise ValidationError(
            [
                Problem(
                    name,
                    first_line,
                    "$",
                    "invalid JSON: nested too deeply (expected at most a few hundred levels)",
                )
            ]
        ) from None
    except json.JSONDecodeError as exc:
        raise ValidationError(
            [
                Problem(
                    name,
                    first_line + exc.lineno - 1,
                    "$",
                    f"invalid JSON: {exc.msg} at column {exc.colno}",
                )
            ]
        ) from None
    except ValueError as exc:
        # raised by the hooks: duplicate keys, NaN; locate roughly by the key
        msg = str(exc)
        line = first_line
        m = re.match(r"duplicate key '(.*)'", msg)
        if m:
            hits = [i for i, ln in enumerate(text.splitlines()) if f'"{m.group(1)}"' in ln]
            if len(hits) > 1:
                line = first_line + hits[1]
            return_msg = f"invalid JSON: {msg} (expected one value per key)"
        else:
            return_msg = f"invalid JSON: {msg}"
        raise ValidationError([Problem(name, line, "$", return_msg)]) from None


def json_path(parts: Sequence[PathPart]) -> str:
    """Render a JSON path.

    >>> json_path(["entities", 2, "end"])
    '$.entities[2].end'
    >>> json_path([])
    '$'
    """
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")


def line_index(text: str) -> dict[tuple[PathPart, ...], int]:
    """Map every JSON path in ``text`` to the 1-based line where its value starts.

    Used only to place errors; the text is assumed to be valid JSON.

    >>> idx = line_index('{\\n "a": [\\n  1,\\n  {"b": 2}\\n ]\\n}')
    >>> idx[("a", 1, "b")]
    4
    """
    out: dict[tuple[PathPart, ...], int] = {}
    decoder = json.JSONDecoder()

    def skip(i: int) -> int:
        m = _WS.match(text, i)
        return m.end() if m else i

    def value(i: int, path: tuple[PathPart, ...]) -> int:
        i = skip(i)
        out[path] = text.count("\n", 0, i) + 1
        ch = text[i]
        if ch == "{":
            i = skip(i + 1)
            if text[i] == "}":
                return i + 1
            while True:
                key, i = decoder.raw_decode(text, skip(i))
                i = skip(i)
                i = value(i + 1, (*path, key))  # past ':'
                i = skip(i)
                if text[i] == "}":
                    return i + 1
                i += 1  # ','
        if ch == "[":
            i = skip(i + 1)
            if text[i] == "]":
                return i + 1
            k = 0
            while True:
                i = skip(value(i, (*path, k)))
                k += 1
                if text[i] == "]":
                    return i + 1
                i += 1
        _, end = decoder.raw_decode(text, i)
        return int(end)

    try:
        value(0, ())
    except (ValueError, IndexError):
        pass
    return out


def locate(index: Mapping[tuple[PathPart, ...], int], parts: Sequence[PathPart]) -> int | None:
    """The line of the deepest known prefix of ``parts`` in a :func:`line_index`."""
    key = tuple(parts)
    while key:
        if key in index:
            return index[key]
        key = key[:-1]
    return index.get((), None)


def iter_jsonl(path: Path, display: str | None = None) -> Iterator[tuple[int, Any]]:
    """Stream a JSONL file, one parsed value per non-blank line.

    Reads the file line by line, so memory does not grow with its size.

    Args:
        path: the file.
        display: how to name the file in errors.

    Yields:
        ``(line_number, value)``; a bad line yields ``(line_number, Problem)``
        instead, so the caller can report every bad line.

    Raises:
        ValidationError: when the file cannot be opened at all.
    """
    name = display or str(path)
    _check_file(path, name)
    loads, dumps = _fast_codec()
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            # The fast path: orjson parses the line; when re-serialising the value gives back
            # the line byte for byte, nothing can have been collapsed (a repeated key would be
            # missing from the output) and the value is what the strict decoder would return.
            # Any other line (spaces, escapes, a float written another way, anything orjson
            # refuses) is read by the strict decoder, which words every problem.
            if loads is not None and len(raw) <= MAX_LINE_BYTES:
                body = raw[:-1] if raw.endswith(b"\n") else raw
                try:
                    value = loads(body)
                except ValueError:
                    value = _NOTHING
                if value is not _NOTHING and dumps(value) == body:
                    yield lineno, value
                    continue
            yield from _strict_line(lineno, raw, name)


_NOTHING = object()


def _fast_codec() -> tuple[Any, Any]:
    try:
        import orjson
    except (
        ImportError
    ):  # pragma: no cover - orjson is a dependency; the strict path alone is correct
        return None, None
    return orjson.loads, orjson.dumps


def _check_file(path: Path, name: str) -> None:
    if not path.exists():
        raise ValidationError([Problem(name, None, "$", "no such file")])
    if path.is_dir():
        raise ValidationError([Problem(name, None, "$", "is a directory (expected a JSONL file)")])


def _strict_line(lineno: int, raw: bytes, name: str) -> Iterator[tuple[int, Any]]:
    """One JSONL line through the strict decoder: nothing for a blank line."""
    if len(raw) > MAX_LINE_BYTES:
        yield (
            lineno,
            Problem(
                name,
                lineno,
                "$",
                f"line too long ({len(raw)} bytes, expected at most {MAX_LINE_BYTES})",
            ),
        )
        return
    if not raw.strip():
        return
    try:
        yield lineno, loads_json(decode_utf8(raw, name, lineno), name, lineno)
    except ValidationError as exc:
        yield lineno, exc.problems[0]


# --------------------------------------------------------------------------- writing


def dumps_json(obj: Any) -> str:
    """Serialize deterministically: 2-space indent, UTF-8 as is, final newline."""
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def dumps_jsonl_line(obj: Any) -> str:
    """One compact JSONL line with its newline."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write a file atomically: a temporary file in the same folder, then rename.

    Args:
        path: the destination.
        data: text (written as UTF-8 with ``\\n`` line ends) or bytes.
    """
    write_files_atomically({path: data})


def write_files_atomically(files: Mapping[Path, str | bytes]) -> None:
    """Write several files so that none is half-written.

    Every file is first written in full to a temporary sibling; only when all
    have been written are they renamed into place. If anything fails before the
    renames, no destination is touched.

    Args:
        files: destination path → content.
    """
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in temps:
            os.replace(tmp, path)
        temps = []
    finally:
        for tmp, _ in temps:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass


# --------------------------------------------------------------------------- records <-> JSON


def span_to_json(span: Span) -> dict[str, Any]:
    """A span as ``{start, end, text}``."""
    return {"start": span.start, "end": span.end, "text": span.text}


def _with_alternatives(obj: dict[str, Any], alternatives: Sequence[Span]) -> dict[str, Any]:
    """Add ``alternatives`` last, and only when there are any (v1 files stay byte-identical)."""
    if alternatives:
        obj["alternatives"] = [span_to_json(a) for a in alternatives]
    return obj


def _alternatives(obj: Mapping[str, Any]) -> tuple[Span, ...]:
    return tuple(Span(a["start"], a["end"], a.get("text")) for a in obj.get("alternatives") or ())


def document_to_json(doc: Document) -> dict[str, Any]:
    """A gold document as the JSON object of ``annotations/<doc_id>.json`` (no text).

    >>> d = Document("d1", "Putin said", "2021-12-30", "a reason",
    ...              entities=(Entity(0, 5, "Putin", "PER", "vladimir-putin"),))
    >>> document_to_json(d)["entities"]
    [{'start': 0, 'end': 5, 'text': 'Putin', 'label': 'PER', 'kb_id': 'vladimir-putin'}]

    ``alternatives`` is written only when an entity or date has any:

    >>> d = Document("d2", "the Kremlin said", "2021-12-30", "a reason",
    ...              entities=(Entity(4, 11, "Kremlin", "ORG", "kremlin",
    ...                               alternatives=(Span(0, 11, "the Kremlin"),)),))
    >>> document_to_json(d)["entities"][0]["alternatives"]
    [{'start': 0, 'end': 11, 'text': 'the Kremlin'}]
    """
    return {
        "doc_id": doc.doc_id,
        "text_sha256": doc.text_sha256,
        "dct": doc.dct,
        "dct_reason": doc.dct_reason,
        "entities": [
            _with_alternatives(
                {
                    "start": e.start,
                    "end": e.end,
                    "text": e.text,
                    "label": e.label,
                    "kb_id": e.kb_id,
                },
                e.alternatives,
            )
            for e in doc.entities
        ],
        "dates": [
            _with_alternatives(
                {
                    "start": d.start,
                    "end": d.end,
                    "text": d.text,
                    "type": d.type,
                    "value": d.value,
                    "mod": d.mod,
                },
                d.alternatives,
            )
            for d in doc.dates
        ],
        "quotes": [
            {
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "kind": q.kind,
                "speaker": q.speaker,
                "cue": None if q.cue is None else span_to_json(q.cue),
            }
            for q in doc.quotes
        ],
    }


def _span(obj: Mapping[str, Any] | None) -> Span | None:
    if obj is None:
        return None
    return Span(obj["start"], obj["end"], obj.get("text"))


def entity_from_json(obj: Mapping[str, Any]) -> Entity:
    """An entity from its JSON object (gold or prediction)."""
    return Entity(
        obj["start"],
        obj["end"],
        obj.get("text"),
        obj.get("label"),
        obj.get("kb_id"),
        obj.get("score"),
        _alternatives(obj),
    )


def date_from_json(obj: Mapping[str, Any]) -> Date:
    """A temporal expression from its JSON object (gold or prediction)."""
    return Date(
        obj["start"],
        obj["end"],
        obj.get("text"),
        obj.get("type"),
        obj.get("value"),
        obj.get("mod"),
        obj.get("score"),
        _alternatives(obj),
    )


def quote_from_json(obj: Mapping[str, Any]) -> Quote:
    """A quotation from its JSON object (gold or prediction)."""
    return Quote(
        obj["start"],
        obj["end"],
        obj.get("text"),
        obj.get("kind"),
        obj.get("speaker"),
        _span(obj.get("cue")),
        obj.get("score"),
    )


def document_from_json(obj: Mapping[str, Any], text: str) -> Document:
    """A gold document from its (already validated) JSON object and its seed text."""
    return Document(
        doc_id=obj["doc_id"],
        text=text,
        dct=obj["dct"],
        dct_reason=obj["dct_reason"],
        entities=tuple(entity_from_json(e) for e in obj["entities"]),
        dates=tuple(date_from_json(d) for d in obj["dates"]),
        quotes=tuple(quote_from_json(q) for q in obj["quotes"]),
    )


def kb_to_json(kb: Sequence[KBEntry]) -> list[dict[str, Any]]:
    """The KB as the JSON list of ``annotations/kb.json``, sorted by ``kb_id``."""
    return [
        {"kb_id": k.kb_id, "name": k.name, "label": k.label, "aliases": list(k.aliases)}
        for k in sorted(kb, key=lambda k: k.kb_id)
    ]


def kb_from_json(items: Sequence[Mapping[str, Any]]) -> tuple[KBEntry, ...]:
    """KB entries from the (already validated) JSON list."""
    return tuple(KBEntry(i["kb_id"], i["name"], i["label"], tuple(i["aliases"])) for i in items)


def prediction_from_json(obj: Mapping[str, Any]) -> Prediction:
    """A prediction line (already validated) as a record; absent layers stay ``None``."""
    ents = obj.get("entities")
    dates = obj.get("dates")
    quotes = obj.get("quotes")
    return Prediction(
        doc_id=obj["doc_id"],
        entities=None if ents is None else tuple(entity_from_json(e) for e in ents),
        dates=None if dates is None else tuple(date_from_json(d) for d in dates),
        quotes=None if quotes is None else tuple(quote_from_json(q) for q in quotes),
    )


def _drop_none(obj: dict[str, Any], keep: Sequence[str]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v is not None or k in keep}


def prediction_to_json(pred: Prediction) -> dict[str, Any]:
    """A prediction as one JSONL object; fields a system did not fill are left out.

    >>> prediction_to_json(Prediction("d1", entities=(Entity(0, 5, label="PER"),)))
    {'doc_id': 'd1', 'entities': [{'start': 0, 'end': 5, 'label': 'PER'}]}
    """
    out: dict[str, Any] = {"doc_id": pred.doc_id}
    if pred.entities is not None:
        out["entities"] = [
            _drop_none(
                {
                    "start": e.start,
                    "end": e.end,
                    "text": e.text,
                    "label": e.label,
                    "kb_id": e.kb_id,
                    "score": e.score,
                },
                (),
            )
            for e in pred.entities
        ]
    if pred.dates is not None:
        out["dates"] = [
            _drop_none(
                {
                    "start": d.start,
                    "end": d.end,
                    "text": d.text,
                    "type": d.type,
                    "value": d.value,
                    "mod": d.mod,
                    "score": d.score,
                },
                (),
            )
            for d in pred.dates
        ]
    if pred.quotes is not None:
        out["quotes"] = [
            _drop_none(
                {
                    "start": q.start,
                    "end": q.end,
                    "text": q.text,
                    "kind": q.kind,
                    "speaker": q.speaker,
                    "cue": None if q.cue is None else _drop_none(span_to_json(q.cue), ()),
                    "score": q.score,
                },
                (),
            )
            for q in pred.quotes
        ]
    return out


def read_seed(path: Path) -> str:
    """A seed text: the file's bytes decoded as UTF-8, untouched."""
    return read_text(path, max_bytes=MAX_JSON_BYTES)
