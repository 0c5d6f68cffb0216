"""Run any program over the corpus: the ``--cmd`` runner of ``newsgold run``.

The command is one line such as ``java -jar tagger.jar {input} {output}``. It is
split like a shell would (``shlex``) but run without a shell: no pipes, globs or
variables, so nothing in a path can be misread. ``{input}`` and ``{output}``
are replaced, wherever they occur in an argument, by two folders:

``{input}`` holds the corpus, written fresh for each run:

- ``<doc_id>.txt``: each document's text, exactly (UTF-8, no BOM, LF line ends
  as in the seed, no added final newline);
- ``dct.tsv``: one line per document, ``<doc_id>`` TAB ``<dct>`` (ISO date),
  sorted, no header, for shell loops such as
  ``while IFS=$'\\t' read id dct; do heideltime -dct "$dct" "$id.txt"; done``;
- ``manifest.json``: the same as a JSON list of
  ``{"doc_id", "file", "dct"}`` objects, for programs that prefer JSON.

``{output}`` is an empty folder the command fills with one of:

- newsgold JSONL: a single ``*.jsonl`` file (e.g. ``{output}/predictions.jsonl``),
  one line per document, as ``newsgold score`` reads it;
- brat standoff: ``<doc_id>.ann`` per document;
- TimeML: ``<doc_id>.tml`` (or ``.timeml``, ``.xml``) per document, the text
  with TIMEX3 tags (:mod:`newsgold.convert.timeml`).

The format is recognised from the files (or fixed with ``output_format``).
Every document needs its output; files for unknown documents, a mix of
formats, a non-zero exit status, a time-out, a command that is not found and
output that does not read are all :class:`CommandError`, whose message ends
with the last lines the command wrote to its standard error (or, when it wrote
nothing there, to its standard output).

>>> build_argv("tagger --in {input} --out={output}/p.jsonl", Path("/i"), Path("/o"))
['tagger', '--in', '/i', '--out=/o/p.jsonl']
"""

from __future__ import annotations

import os
import shlex
import stat
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import NewsgoldError, Problem, UsageError, ValidationError
from .jsonio import atomic_write, dumps_json, read_text
from .model import Document, Prediction
from .paths import safe_name
from .procgroup import TAIL_LINES, check_timeout, run_group
from .signals import cleanup_on_signals


def _output_formats() -> dict[str, tuple[str, ...]]:
    """The formats a command may write (:data:`newsgold.formats.FORMATS`), with their suffixes."""
    from .formats import FORMATS as ALL

    return {f.name: f.suffixes for f in ALL.values() if f.command_output}


#: Lines of standard error quoted when a command fails.
STDERR_LINES = TAIL_LINES


class CommandError(NewsgoldError):
    """The command failed, or its output cannot be read; the message quotes its stderr tail.

    Attributes:
        problems: the problems with the output (empty when the command itself failed).
        stderr_tail: the last lines of the command's standard error.
    """

    def __init__(
        self,
        message: str,
        stderr_tail: str = "",
        problems: list[Problem] | None = None,
        stdout_tail: str = "",
    ):
        self.problems = list(problems or [])
        self.stderr_tail = stderr_tail
        text = message
        if self.problems:
            text += "\n" + "\n".join(str(p) for p in self.problems)
        if stderr_tail:
            text += "\nlast lines of its standard error:\n" + "\n".join(
                "  | " + line for line in stderr_tail.splitlines()
            )
        elif stdout_tail:  # some tools (Java ones often) log to standard output
            text += (
                "\n(it wrote nothing to standard error) last lines of its standard output:\n"
                + "\n".join("  | " + line for line in stdout_tail.splitlines())
            )
        else:
            text += "\n(it wrote nothing to standard error)"
        super().__init__(text)


@dataclass(frozen=True)
class CommandRun:
    """What a command run produced.

    Attributes:
        predictions: one prediction per document, in ``doc_id`` order.
        output_format: the format read back (``jsonl``, ``brat`` or ``timeml``).
        seconds: wall-clock time of the command itself (not of writing and reading files).
        stderr_tail: the last lines of its standard error (tools log there).
    """

    predictions: tuple[Prediction, ...]
    output_format: str
    seconds: float
    stderr_tail: str


def build_argv(command: str, input_dir: Path, output_dir: Path) -> list[str]:
    """Split ``command`` like a shell and fill in ``{input}`` and ``{output}``.

    Args:
        command: the command line, e.g. ``"python tag.py {input} {output}"``.
        input_dir: the folder that replaces ``{input}``.
        output_dir: the folder that replaces ``{output}``.

    Returns:
        The argument vector, run without a shell.

    Raises:
        UsageError: an empty command, unbalanced quotes, or a command that does
            not name both ``{input}`` and ``{output}``.

    >>> build_argv("tag '{input}/a b' {output}", Path("/i"), Path("/o"))
    ['tag', '/i/a b', '/o']
    """
    try:
        parts = shlex.split(command)
    except ValueError as exc:
        raise UsageError(f"cannot split the command {command!r}: {exc}") from None
    if not parts:
        raise UsageError("empty command (expected e.g. 'python tag.py {input} {output}')")
    missing = [p for p in ("{input}", "{output}") if not any(p in a for a in parts)]
    if missing:
        raise UsageError(
            f"the command {command!r} does not contain {' or '.join(missing)} "
            "(expected both, e.g. 'python tag.py {input} {output}')"
        )
    return [
        a.replace("{input}", str(input_dir)).replace("{output}", str(output_dir)) for a in parts
    ]


def write_input(folder: Path, docs: Mapping[str, Document]) -> None:
    """Write the corpus for a command: texts, ``dct.tsv`` and ``manifest.json``.

    Args:
        folder: an existing empty folder.
        docs: the documents by id.
    """
    ids = sorted(docs)
    for doc_id in ids:
        name = safe_name(doc_id, "doc_id")
        (folder / f"{name}.txt").write_bytes(docs[doc_id].text.encode("utf-8"))
    atomic_write(folder / "dct.tsv", "".join(f"{i}\t{docs[i].dct}\n" for i in ids))
    atomic_write(
        folder / "manifest.json",
        dumps_json([{"doc_id": i, "file": f"{i}.txt", "dct": docs[i].dct} for i in ids]),
    )


def _format_of(name: str) -> str | None:
    for fmt, suffixes in _output_formats().items():
        if any(name.endswith(s) for s in suffixes):
            return fmt
    return None


def detect_format(output: Path) -> str:
    """The format of what a command wrote to ``output``.

    Args:
        output: the output folder.

    Returns:
        ``jsonl``, ``brat`` or ``timeml``.

    Raises:
        NewsgoldError: when the folder holds none of them, or more than one.
    """
    found = sorted(
        {f for p in output.iterdir() if not p.name.startswith(".") if (f := _format_of(p.name))}
    )
    if len(found) == 1:
        return found[0]
    if not found:
        listing = ", ".join(sorted(p.name for p in output.iterdir())[:5]) or "nothing"
        raise NewsgoldError(
            f"the command wrote no output to {{output}} (found {listing}; expected a *.jsonl "
            "file, <doc_id>.ann files (brat) or <doc_id>.tml files (TimeML))"
        )
    raise NewsgoldError(
        f"the command wrote more than one output format to {{output}}: {', '.join(found)} "
        "(expected one; pass the format to read)"
    )


def read_output(
    output: Path, docs: Mapping[str, Document], output_format: str
) -> tuple[Prediction, ...]:
    """Read a command's output folder back as predictions, one per document.

    Args:
        output: the folder the command wrote.
        docs: the documents it was given.
        output_format: ``jsonl``, ``brat`` or ``timeml``.

    Returns:
        One prediction per document, in ``doc_id`` order.

    Raises:
        ValidationError: every problem found (named ``{output}/<file>``): files
            that do not read, a missing document, a file for an unknown one.
    """
    from .convert.timeml import from_timeml
    from .evaluate import output_problems
    from .jsonio import prediction_to_json
    from .validate import iter_predictions

    problems: list[Problem] = []
    preds: dict[str, Prediction] = {}
    unreadable: set[str] = set()
    suffixes = _output_formats()[output_format]
    files = sorted(p for p in output.iterdir() if p.name.endswith(suffixes))
    for path in files:
        # a FIFO would block the reader for ever, a link could point anywhere (/dev/zero)
        kind = _not_regular(path)
        if kind is not None:
            problems.append(
                Problem(
                    f"{{output}}/{path.name}",
                    None,
                    "$",
                    f"not a regular file ({kind}; expected the command to write a plain file)",
                )
            )
    if problems:
        raise ValidationError(problems)
    if output_format == "jsonl":
        if len(files) != 1:
            names = ", ".join(p.name for p in files) or "none"
            raise ValidationError(
                [Problem("{output}", None, "$", f"found {names} (expected exactly one *.jsonl)")]
            )
        display = f"{{output}}/{files[0].name}"
        for pred in iter_predictions(files[0], docs, problems, display=display):
            preds[pred.doc_id] = pred
    else:
        for path in files:
            display = f"{{output}}/{path.name}"
            doc_id = path.name[: -len(next(s for s in suffixes if path.name.endswith(s)))]
            if doc_id not in docs:
                problems.append(
                    Problem(
                        display,
                        None,
                        "$",
                        f"output for an unknown document {doc_id!r} "
                        f"(expected files named after the input's doc_ids, e.g. {min(docs)}{suffixes[0]})",
                    )
                )
                continue
            try:
                data = read_text(path, display=display)
                if output_format == "timeml":
                    pred = Prediction(
                        doc_id, dates=from_timeml(data, docs[doc_id].text, name=display)
                    )
                else:
                    pred = _read_brat(data, docs[doc_id], display)
            except ValidationError as exc:
                problems += exc.problems
                unreadable.add(doc_id)
                continue
            # what the tool wrote must make a valid predictions line (e.g. a TIMEX3 type)
            found = output_problems(prediction_to_json(pred), docs[doc_id], display)
            if found:
                problems += found
                unreadable.add(doc_id)
            else:
                preds[doc_id] = pred
    if output_format == "jsonl" and not problems:
        for doc_id in sorted(set(docs) - set(preds)):
            problems.append(
                Problem(
                    f"{{output}}/{files[0].name}",
                    None,
                    "$",
                    f"no line for document {doc_id!r} (expected one line per input document)",
                )
            )
    elif output_format != "jsonl":
        for doc_id in sorted(set(docs) - set(preds) - unreadable):
            problems.append(
                Problem(
                    f"{{output}}/{doc_id}{suffixes[0]}",
                    None,
                    "$",
                    f"missing: the command wrote no {output_format} output for document {doc_id!r}",
                )
            )
    if problems:
        raise ValidationError(problems)
    return tuple(preds[i] for i in sorted(preds))


def _not_regular(path: Path) -> str | None:
    """What ``path`` is when it is not a regular file (``None`` when it is one)."""
    mode = os.lstat(path).st_mode
    if stat.S_ISREG(mode):
        return None
    kinds = {
        stat.S_ISLNK: "a symbolic link",
        stat.S_ISFIFO: "a FIFO",
        stat.S_ISDIR: "a folder",
        stat.S_ISSOCK: "a socket",
        stat.S_ISCHR: "a device",
        stat.S_ISBLK: "a device",
    }
    return next((name for test, name in kinds.items() if test(mode)), "not a file")


def _read_brat(data: str, doc: Document, display: str) -> Prediction:
    """A brat ``.ann`` file as a prediction (the brat adapter of :mod:`newsgold.convert.brat`)."""
    from .convert.brat import from_brat
    from .model import Gold

    return from_brat({doc.doc_id: data}, Gold({doc.doc_id: doc}, ()), folder="{output}")[0]


def _count_done(output: Path, docs: Mapping[str, Document], seen: set[str]) -> list[str]:
    """Documents whose per-document output file has appeared since the last look."""
    new = []
    try:
        names = os.listdir(output)
    except OSError:
        return []
    for name in names:
        stem = name.rsplit(".", 1)[0]
        if stem in docs and stem not in seen and _format_of(name) in ("brat", "timeml"):
            seen.add(stem)
            new.append(stem)
    return sorted(new)


def run_command(
    command: str,
    docs: Mapping[str, Document],
    *,
    output_format: str | None = None,
    timeout: float | None = None,
    on_document: Callable[[str], None] | None = None,
    poll_seconds: float = 0.05,
) -> CommandRun:
    """Run ``command`` over ``docs`` and read back its predictions.

    Args:
        command: the command line with ``{input}`` and ``{output}``.
        docs: the documents by id.
        output_format: ``jsonl``, ``brat`` or ``timeml``; ``None`` recognises it
            from the files written.
        timeout: seconds after which the command is killed (``None``: no limit).
        on_document: called with each ``doc_id`` once its output is there (as
            per-document files appear while the command runs, the rest when it ends).
        poll_seconds: how often to look for new output files.

    Returns:
        The predictions, the format, the command's time and its stderr tail.

    Raises:
        UsageError: a malformed command or unknown format.
        CommandError: the command is not found, fails, times out, or its output
            is missing or malformed (with every problem and the stderr tail).
    """
    formats = _output_formats()
    if output_format is not None and output_format not in formats:
        raise UsageError(
            f"unknown output format {output_format!r} (expected one of {', '.join(formats)})"
        )
    check_timeout(timeout)
    # signals raise inside the block, so the folder goes (and the command's group is killed)
    with cleanup_on_signals(), tempfile.TemporaryDirectory(prefix="newsgold-run-") as tmp:
        base = Path(tmp)
        input_dir, output_dir = base / "input", base / "output"
        input_dir.mkdir()
        output_dir.mkdir()
        argv = build_argv(command, input_dir, output_dir)
        write_input(input_dir, docs)
        seen: set[str] = set()

        def poll() -> None:
            for doc_id in _count_done(output_dir, docs, seen):
                if on_document:
                    on_document(doc_id)

        try:
            done = run_group(argv, timeout=timeout, poll_seconds=poll_seconds, on_poll=poll)
        except UsageError:
            raise
        except NewsgoldError as exc:  # not found, not executable
            raise CommandError(str(exc)) from None
        tail, out_tail = done.stderr_tail, done.stdout_tail
        if done.status is None:
            raise CommandError(
                f"the command timed out after {timeout:g} s and was stopped: {command}",
                tail,
                stdout_tail=out_tail,
            )
        seconds = done.seconds
        if done.status != 0:
            raise CommandError(
                f"the command {done.describe()}: {command}", tail, stdout_tail=out_tail
            )
        try:
            if not output_dir.is_dir() or output_dir.is_symlink():
                raise NewsgoldError(
                    "the command removed or replaced its {output} folder "
                    "(expected it to write its output into that folder)"
                )
            fmt = output_format or detect_format(output_dir)
            preds = read_output(output_dir, docs, fmt)
        except OSError as exc:
            raise CommandError(
                f"the output of the command cannot be read ({exc.strerror or type(exc).__name__}): "
                f"{command}",
                tail,
                stdout_tail=out_tail,
            ) from None
        except ValidationError as exc:
            raise CommandError(
                f"the output of the command cannot be read: {command}",
                tail,
                exc.problems,
                stdout_tail=out_tail,
            ) from None
        except NewsgoldError as exc:
            raise CommandError(f"{exc}: {command}", tail, stdout_tail=out_tail) from None
        if on_document:
            for doc_id in sorted(set(docs) - seen):
                on_document(doc_id)
        return CommandRun(preds, fmt, seconds, tail)
