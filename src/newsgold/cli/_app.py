"""The command group, the consoles, error handling and the options every command shares."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from .. import __version__
from ..errors import NewsgoldError, Problem, ValidationError
from ..jsonio import Paths, find_root

F = TypeVar("F", bound=Callable[..., Any])

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class Failure(click.ClickException):
    """Exit 1 with a message, printed without click's 'Error:' prefix when it is a list of problems."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


def handle_errors(func: F) -> F:
    """Turn newsgold's own exceptions into exit status 1 with a clean message."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            raise Failure(
                "\n".join(str(p) for p in exc.problems) + f"\n{_count(exc.problems, exc)}"
            ) from None
        except NewsgoldError as exc:
            raise Failure(f"error: {exc}") from None

    return wrapper  # type: ignore[return-value]


def _count(problems: list[Problem], exc: ValidationError | None = None) -> str:
    files = len({p.file for p in problems})
    total = len(problems) + (exc.dropped if exc is not None else 0)
    line = f"{total} problem{'s' * (total != 1)} in {files} file{'s' * (files != 1)}"
    if exc is not None and exc.stopped:
        line += f" (checking stopped after {len(problems)}: the rest of the input was not read)"
    elif exc is not None and exc.dropped:
        line += f" (the first {len(problems)} are listed)"
    return line


def get_paths(root: Path | None) -> Paths:
    """The project paths, from ``--root`` or the folder search of :func:`find_root`."""
    return Paths(root if root is not None else find_root())


root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The newsgold project folder (default: found from the current folder, or NEWSGOLD_ROOT).",
)


def echo_json(data: Any) -> None:
    """Print JSON for machines: sorted keys, UTF-8."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsgold")
def main() -> None:
    """newsgold: a gold-annotated news corpus (entities, dates, quotes) and its benchmark."""


class _Registered(click.Choice):  # type: ignore[type-arg]
    """A choice read from a registry when the command runs (a format registered later is offered)."""

    def __init__(self, names: Callable[[], list[str]]) -> None:
        self._names = names
        super().__init__(names())

    @property  # type: ignore[override]
    def choices(self) -> list[str]:
        return self._names()

    @choices.setter
    def choices(self, _value: Any) -> None:
        pass


def _scheme_names() -> list[str]:
    from ..scoring.schemes import SCHEMES

    return list(SCHEMES)


def _command_formats() -> list[str]:
    from ..formats import FORMATS

    return [name for name, f in FORMATS.items() if f.command_output]


def _format_names() -> list[str]:
    from ..formats import FORMATS

    return list(FORMATS)


json_out_option = click.option(
    "--json",
    "json_out",
    metavar="OUT|-",
    default=None,
    help="Write the JSON report to OUT (- for stdout).",
)


def unit_option(func: F) -> F:
    """``--unit``: what every interval and paired test resamples (docs/statistics.md)."""
    from ..scoring.units import DEFAULT_UNIT, UNITS

    return click.option(
        "--unit",
        type=click.Choice(UNITS),
        default=DEFAULT_UNIT,
        show_default=True,
        help="Resampling unit of the intervals and tests: document, paragraph or sentence "
        "(a span belongs to the unit of its start).",
    )(func)


def bootstrap_options(func: F) -> F:
    """``--bootstrap N``, ``--seed S`` and ``--unit``, shared by the commands that report intervals."""
    func = unit_option(func)
    func = click.option(
        "--seed", type=int, default=0, show_default=True, help="Seed of the bootstrap."
    )(func)
    return click.option(
        "--bootstrap",
        "n_bootstrap",
        type=click.IntRange(min=0),
        default=1000,
        show_default=True,
        help="Bootstrap resamples for the 95% intervals.",
    )(func)


def _score_options(func: F) -> F:
    for option in reversed(
        [
            click.option(
                "--format",
                "fmt",
                type=_Registered(_format_names),
                default="jsonl",
                show_default=True,
                help="Format of the predictions (docs/formats.md).",
            ),
            click.option(
                "--scheme",
                type=_Registered(_scheme_names),
                default="newsgold",
                show_default=True,
                help="Label scheme projecting gold and predicted labels (ontonotes: DATE/TIME go to dates).",
            ),
            click.option(
                "--layers",
                default=None,
                help="Comma-separated layers to score (default: those the predictions carry).",
            ),
        ]
    ):
        func = option(func)
    return func


def _emit(result: Any, json_out: str | None, table: Callable[[], Any]) -> bool:
    """The common ending of score, compare, agree and run: warnings to stderr, the JSON report
    to ``--json`` (a file, or stdout for ``-``), the table to stdout unless the JSON went there.

    Returns:
        Whether stdout is free for more (the table was printed).
    """
    from ..report import to_json_text

    for w in result.warnings:
        err.print(f"[yellow]warning[/yellow]: {escape(w)}", markup=True, highlight=False)
    _write_or_print(json_out, to_json_text(result))
    if json_out == "-":
        return False
    out.print(table())
    return True


def _layers(value: str | None) -> list[str] | None:
    return None if value is None else [x.strip() for x in value.split(",") if x.strip()]


def _write_or_print(target: str | None, text: str) -> None:
    from ..jsonio import atomic_write

    if target is None:
        return
    if target == "-":
        click.echo(text, nl=False)
    else:
        atomic_write(Path(target), text)
