"""``newsgold submission check``: one submission, checked and scored exactly as the board does."""

from __future__ import annotations

import os
from pathlib import Path

import click
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ._app import Failure, err, get_paths, handle_errors, main, out, root_option


@main.group("submission")
def submission() -> None:
    """Leaderboard submissions (eval/submissions/<system_id>/): check one before a pull request."""


@submission.command("check")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--board",
    "board_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The current board to rank it against (default: eval/leaderboard.json).",
)
@root_option
@handle_errors
def check(folder: Path, board_path: Path | None, root: Path | None) -> None:
    """Check the submission FOLDER as the leaderboard will, score it, and rank it beside the board.

    FOLDER is <submissions>/<system_id> holding submission.json and
    predictions.jsonl. The checks are the board's own (one function): the
    folder and file rules, submission.json against its schema, its
    gold_sha256 and corpus_version against the current gold, every
    predictions line. A valid submission is scored (bootstrap intervals as on
    the board) and its rows are printed ranked among the current board's
    rows, baselines marked; exit 1 with one line per problem otherwise.
    """
    from ..jsonio import loads_json, read_text
    from ..leaderboard import (
        COLUMNS,
        LAYER_TITLES,
        N_BOOTSTRAP,
        PRIMARY,
        Invalid,
        assess,
        board_shape,
        rows_beside_board,
    )
    from ..leaderboard.submissions import shown_name
    from ..report import corpus_version
    from ..validate import load_gold

    project = get_paths(root)
    gold = load_gold(project.root)
    version = corpus_version(project.root)
    # normalised, symbolic links kept (the check refuses them)
    entry = Path(os.path.abspath(folder))
    path = board_path if board_path is not None else project.eval / "leaderboard.json"
    board = None
    if path.is_file():
        board = board_shape(loads_json(read_text(path, display=str(path)), str(path)), str(path))
    # scored over the board's own resampling unit, so its intervals sit beside the board's
    unit = None if board is None else str(board["paired_test"].get("unit") or "") or None
    result = assess(entry, entry.parent, gold, N_BOOTSTRAP, version, unit)
    if isinstance(result, Invalid):
        raise Failure(
            "\n".join(result.problems)
            + f"\n{shown_name(result.folder)}: not valid: the leaderboard would leave it off "
            f"({len(result.problems)} problem{'s' * (len(result.problems) != 1)})"
        )
    sub, report, _html = result
    if board is not None:
        if board.get("gold_sha256") != gold.sha256:
            err.print(
                f"[yellow]warning[/yellow]: {escape(str(path))} was made from other gold "
                f"({escape(str(board.get('gold_sha256')))}); run newsgold leaderboard to renew it"
            )
    else:
        err.print(f"[yellow]warning[/yellow]: no board at {escape(str(path))}: ranked alone")
    # every figure whole, even when piped (a console that is not a terminal is 80 columns wide)
    wide = Console(highlight=False, width=max(out.width, 140))
    for layer, rows in rows_beside_board(board, sub.system_id, sub.meta, report).items():
        table = Table(title=f"{LAYER_TITLES[layer]} (ranked by {PRIMARY[layer]})", box=box.SIMPLE)
        table.add_column("#", justify="right")
        table.add_column("system", no_wrap=True)
        table.add_column("kind", no_wrap=True)
        table.add_column("seen texts")
        for _path, title in COLUMNS[layer]:
            table.add_column(title, justify="right")
        table.add_column(f"95% CI of {PRIMARY[layer]}", justify="right")
        for row in rows:
            cells = [
                Text(str(row["rank"])),
                Text(row["system_id"]),
                Text(row["kind"]),
                Text(str(row["contamination"])),
            ]
            for col, _title in COLUMNS[layer]:
                value = (row["figures"].get(col) or {}).get("value")
                cells.append(Text("—" if value is None else f"{value:.3f}"))
            ci = (row["figures"].get(PRIMARY[layer]) or {}).get("ci95")
            cells.append(Text(f"[{ci[0]:.3f}, {ci[1]:.3f}]" if ci else "—"))
            style = "bold" if row["kind"] == "this submission" else None
            table.add_row(*cells, style=style)
        wide.print(table)
    err.print(
        f"[green]ok[/green]: {escape(sub.system_id)} is valid: made against corpus {version}, "
        f"gold sha256 {gold.sha256}; the leaderboard will rank it"
    )
