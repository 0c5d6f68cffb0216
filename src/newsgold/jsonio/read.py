"""Strict reading: UTF-8 decoding, JSON without duplicate keys or constants, JSON paths and
their line numbers, and JSONL streamed line by line.

Nothing here repairs input: a file that is not clean UTF-8 JSON gives a
:class:`~newsgold.errors.ValidationError` naming the file, line and what was expected.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError

#: Largest gold document or KB file read (a gold document is a few kB).
MAX_JSON_BYTES = 16 * 1024 * 1024
#: Largest single JSONL line of predictions (a whole file is streamed, any size).
MAX_LINE_BYTES = 16 * 1024 * 1024

#: Deepest nesting of arrays and objects read (newsgold's own files nest about 5 levels).
MAX_DEPTH = 64

PathPart = str | int

_TOO_DEEP = (
    f"invalid JSON: nested too deeply (expected at most {MAX_DEPTH} levels of arrays and objects)"
)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _limits(value: Any, text: str | bytes) -> str | None:
    """Why a parsed value breaks the reader's limits (depth, lone surrogates), or ``None``.

    Cheap for ordinary input: the depth is only walked when the text holds more
    brackets than the limit, the strings only when it holds a surrogate escape.
    """
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    deep = raw.count(b"[") + raw.count(b"{") > MAX_DEPTH
    surrogate = b"\\u" in raw and _SURROGATE_ESCAPE.search(raw.decode("utf-8", "replace"))
    if not deep and not surrogate:
        return None
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if depth > MAX_DEPTH:
                return _TOO_DEEP
            stack.extend((k, depth) for k in item)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            if depth > MAX_DEPTH:
                return _TOO_DEEP
            stack.extend((v, depth + 1) for v in item)
        elif isinstance(item, str) and surrogate:
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                bad = item[exc.start]
                return (
                    f"invalid JSON: lone surrogate \\u{ord(bad):04x} in a string "
                    "(expected valid Unicode: a surrogate escape must be half of a pair)"
                )
    return None


def read_text(path: Path, *, max_bytes: int = MAX_JSON_BYTES, display: str | None = None) -> str:
    """Read a file as strict UTF-8 text, at most ``max_bytes`` of it (:func:`read_bytes`).

    Args:
        path: the file.
        max_bytes: refuse larger files (they cannot be what they claim to be).
        display: how to name the file in errors (default: the path as given).

    Returns:
        The decoded text, untouched (no newline translation, no stripping).

    Raises:
        ValidationError: missing file, a directory, too large, a BOM, or
            invalid UTF-8 (with the line and byte of the first bad byte).
    """
    name = display or str(path)
    return decode_utf8(read_bytes(path, max_bytes=max_bytes, display=name), name)


def read_bytes(path: Path, *, max_bytes: int = MAX_JSON_BYTES, display: str | None = None) -> bytes:
    """Read a whole input file, never more than ``max_bytes``: the one bounded reader.

    The limit holds whatever the file is: a regular file larger than it is refused
    before reading, and a device or pipe that never ends (``/dev/zero``, a FIFO fed
    for ever) is read only up to the limit, then refused. Every JSON and text input
    (gold, KB, predictions in any format, tasks) is read through here or, for JSONL,
    through :func:`iter_jsonl`, whose lines have the same kind of limit.

    Args:
        path: the file.
        max_bytes: the most bytes read.
        display: how to name the file in errors (default: the path as given).

    Raises:
        ValidationError: missing, a directory, unreadable, or larger than the limit
            (the message names the limit).
    """
    name = display or str(path)
    _check_file(path, name)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ValidationError([_too_large(name, f"{size} bytes", max_bytes)])
        chunks: list[bytes] = []
        total = 0
        with _open_input(path) as fh:
            while chunk := fh.read(min(1 << 20, max_bytes + 1 - total)):
                chunks.append(chunk)
                total += len(chunk)
                if total > max_bytes:
                    raise ValidationError(
                        [_too_large(name, f"more than {max_bytes} bytes", max_bytes)]
                    )
    except OSError as exc:
        raise ValidationError([Problem(name, None, "$", f"cannot read: {_why(exc)}")]) from None
    return b"".join(chunks)


def _open_input(path: Path) -> Any:
    """Open an input for reading without ever waiting for a writer.

    A FIFO nobody writes to would block ``open`` for ever; opened non-blocking and then
    switched back, it reads as empty instead (a pipe being written to reads as usual).
    """
    import os

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _too_large(name: str, got: str, limit: int) -> Problem:
    return Problem(name, None, "$", f"file too large ({got}, expected at most {limit})")


def _why(exc: OSError) -> str:
    """An OS error in words (permission denied, …) without a traceback."""
    return (exc.strerror or type(exc).__name__).lower() if exc.strerror else type(exc).__name__


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
        value = _DECODER.decode(text)
    except RecursionError:
        raise ValidationError([Problem(name, first_line, "$", _TOO_DEEP)]) from None
    except json.JSONDecodeError as exc:
        lineno, colno = exc.lineno, exc.colno
        body = text.rstrip("\r\n")
        last = body.count("\n") + 1
        if lineno > last:  # the text ends early (a line cut short): the error is at its end
            lineno, colno = last, len(body) - (body.rfind("\n") + 1) + 1
        raise ValidationError(
            [
                Problem(
                    name,
                    first_line + lineno - 1,
                    "$",
                    f"invalid JSON: {exc.msg.removesuffix(' at')} at column {colno}",
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
    why = _limits(value, text)
    if why is not None:
        raise ValidationError([Problem(name, first_line, "$", why)])
    return value


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
    # line of an offset by bisection over the line ends (counting from 0 each time is quadratic)
    ends = [m.start() for m in re.finditer("\n", text)]

    def skip(i: int) -> int:
        m = _WS.match(text, i)
        return m.end() if m else i

    def value(i: int, path: tuple[PathPart, ...]) -> int:
        i = skip(i)
        out[path] = bisect.bisect_left(ends, i) + 1
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
    try:
        opened = _open_input(path)
    except OSError as exc:
        raise ValidationError([Problem(name, None, "$", f"cannot read: {_why(exc)}")]) from None
    with opened as fh:
        for lineno, raw in _bounded_lines(fh, name):
            if isinstance(raw, Problem):
                yield lineno, raw
                continue
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
                if value is not _NOTHING:
                    why = _limits(value, body)
                    if why is not None:
                        yield lineno, Problem(name, lineno, "$", why)
                        continue
                    try:
                        same = dumps(value) == body
                    except TypeError:  # orjson writes at most 255 levels: the strict path words it
                        same = False
                    if same:
                        yield lineno, value
                        continue
            yield from _strict_line(lineno, raw, name)


_NOTHING = object()


def _bounded_lines(fh: Any, name: str) -> Iterator[tuple[int, Any]]:
    """``(line number, bytes)`` of a binary file, no line held beyond :data:`MAX_LINE_BYTES`.

    A longer line gives a :class:`Problem` naming the limit instead; the rest of it is
    skipped without being held. In a stream that is not a regular file (``/dev/zero``,
    a pipe) nothing after such a line is read: it may never end.
    """
    import os
    import stat

    regular = stat.S_ISREG(os.fstat(fh.fileno()).st_mode)
    lineno = 0
    while raw := fh.readline(MAX_LINE_BYTES + 1):
        lineno += 1
        if len(raw) <= MAX_LINE_BYTES or raw.endswith(b"\n"):
            yield lineno, raw
            continue
        skipped = len(raw)
        while regular and (rest := fh.readline(1 << 20)):
            skipped += len(rest)
            if rest.endswith(b"\n"):
                break
        size = f"{skipped} bytes" if regular else f"more than {MAX_LINE_BYTES} bytes"
        more = "" if regular else "; the rest of the stream was not read"
        yield (
            lineno,
            Problem(
                name,
                lineno,
                "$",
                f"line too long ({size}, expected at most {MAX_LINE_BYTES}{more})",
            ),
        )
        if not regular:
            return


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
        raise ValidationError([Problem(name, None, "$", "is a directory (expected a file)")])


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
