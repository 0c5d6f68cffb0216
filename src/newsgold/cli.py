"""The ``newsgold`` command: a thin layer over the library.

Each command parses its arguments, makes one library call and renders the
result: a rich table for people, ``--json`` for machines. Library errors
become one clear message and exit status 1 (usage errors: 2), never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from . import __version__
from .errors import NewsgoldError, Problem, ValidationError
from .io import Paths, find_root

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
                "\n".join(str(p) for p in exc.problems) + f"\n{_count(exc.problems)}"
            ) from None
        except NewsgoldError as exc:
            raise Failure(f"error: {exc}") from None

    return wrapper  # type: ignore[return-value]


def _count(problems: list[Problem]) -> str:
    files = len({p.file for p in problems})
    return (
        f"{len(problems)} problem{'s' * (len(problems) != 1)} in {files} file{'s' * (files != 1)}"
    )


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


# --------------------------------------------------------------------------- validate


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--predictions",
    "as_predictions",
    is_flag=True,
    help="Treat every PATH as a predictions JSONL file.",
)
@root_option
@handle_errors
def validate(paths: tuple[Path, ...], as_predictions: bool, root: Path | None) -> None:
    """Validate the gold, or the given files.

    With no PATH: every gold document in annotations/, the KB and the seed
    manifest, checked against seeds/. A PATH may be a gold document, a KB
    (kb.json), a folder of gold documents (such as annotations/second_pass) or,
    with --predictions or a .jsonl name, a predictions file. Prints every
    problem, one a line (FILE[:LINE]: $.json.path: message), and exits 1 if
    there are any.
    """
    from .validate import validate_document, validate_gold, validate_kb, validate_predictions

    project = get_paths(root)
    problems: list[Problem] = []
    if not paths:
        problems += validate_gold(project)[1]
    gold = None
    for path in paths:
        if as_predictions or path.suffix == ".jsonl":
            if gold is None:
                gold, gold_problems = validate_gold(project)
                if gold is None:
                    problems += gold_problems
                    break
            problems += validate_predictions(path, gold)
        elif path.is_dir():
            problems += validate_gold(project, path)[1]
        elif path.name == "kb.json":
            problems += validate_kb(path, root=project.root)[1]
        else:
            kb, kb_problems = validate_kb(project.kb, root=project.root)
            problems += kb_problems
            kb_map = None if kb is None else {k.kb_id: k for k in kb}
            problems += validate_document(path, project.seeds, kb_map, root=project.root)[1]
    if problems:
        raise ValidationError(problems)
    what = ", ".join(str(p) for p in paths) if paths else "the gold"
    err.print(f"[green]ok[/green]: {what} is valid")


# --------------------------------------------------------------------------- stats


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@root_option
@handle_errors
def stats(as_json: bool, root: Path | None) -> None:
    """Counts per document, layer and label of the gold."""
    from .stats import gold_stats
    from .validate import load_gold

    table = gold_stats(load_gold(get_paths(root).root))
    if as_json:
        echo_json(table)
        return
    docs = table["documents"]
    rich_table = Table(
        title=f"newsgold gold: {len(docs)} documents, {table['kb_entries']} KB entries"
    )
    rich_table.add_column("count")
    for doc_id in docs:
        rich_table.add_column(doc_id.split("_")[0], justify="right")
    rich_table.add_column("total", justify="right", style="bold")
    for col in table["columns"]:
        rich_table.add_row(col, *(str(row[col]) for row in docs.values()), str(table["total"][col]))
    out.print(rich_table)


def run() -> None:
    """Entry point used by ``python -m newsgold``."""
    main(prog_name="newsgold")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
