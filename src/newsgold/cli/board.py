"""``newsgold baseline`` and ``leaderboard``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ._app import (
    Failure,
    err,
    get_paths,
    handle_errors,
    main,
    out,
    root_option,
    unit_option,
)

# --------------------------------------------------------------------------- leaderboard (issue 7)

BASELINE_NAMES = ("dateparser", "recognizers", "rules", "spacy-sm")


@main.command()
@click.argument("name", type=click.Choice(BASELINE_NAMES))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The submission folder to write (predictions.jsonl and submission.json).",
)
@root_option
@handle_errors
def baseline(name: str, out: Path, root: Path | None) -> None:
    """Run a baseline over the corpus and write it as a leaderboard submission.

    NAME is rules (regular expressions, no model), spacy-sm (spaCy's small
    English pipeline with dateparser and textacy), dateparser (dates only) or
    recognizers (Microsoft Recognizers-Text DateTime, dates only); all but
    rules need the baselines extra: pip install 'newsgold[baselines]'.
    The submission records the packages, their versions and the command.
    """
    from ..baselines import get_baseline, run_baseline, write_submission
    from ..report import corpus_version
    from ..validate import load_gold

    system = get_baseline(name)
    predict = system.predictor()  # fails early, with the fix, when a package is missing
    project = get_paths(root)
    gold = load_gold(project.root)
    command = f"newsgold baseline {name} --out eval/submissions/{system.system_id}"
    written = write_submission(
        system,
        run_baseline(system, gold.docs.values(), predict=predict),
        out,
        command,
        gold_sha256=gold.sha256,
        corpus_version=corpus_version(project.root),
    )
    err.print(f"[green]ok[/green]: wrote {escape(', '.join(str(p) for p in written))}")


@main.command()
@click.option(
    "--submissions",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The folder of submissions, one subfolder per system (default: eval/submissions).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write leaderboard.json, LEADERBOARD.md, index.html and reports/ (default: eval).",
)
@click.option(
    "--allow-invalid",
    is_flag=True,
    help="Exit 0 even when some submissions are invalid (they are still left off the board).",
)
@unit_option
@root_option
@handle_errors
def leaderboard(
    submissions: Path | None,
    out_dir: Path | None,
    allow_invalid: bool,
    unit: str,
    root: Path | None,
) -> None:
    """Score every submission and write the board (JSON, Markdown, HTML page, error reports).

    Each subfolder of the submissions folder is one system: submission.json
    and predictions.jsonl (see eval/README.md). An invalid submission is
    reported with its reasons and left off the board; the others are still
    ranked, and the command exits 1 unless --allow-invalid. Intervals and the
    paired tests against each layer's best resample --unit; systems the
    Holm-corrected test cannot tell from the best form the layer's statistical tie.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.text import Text

    from ..leaderboard import LAYER_TITLES, discover, run_leaderboard, write_board
    from ..leaderboard.formatting import SEEN
    from ..paths import ensure_writable
    from ..report import corpus_version
    from ..validate import load_gold

    project = get_paths(root)
    subs = submissions if submissions is not None else project.eval / "submissions"
    dest = out_dir if out_dir is not None else project.eval
    ensure_writable(dest, "the leaderboard")
    gold = load_gold(project.root)
    total = len(discover(subs))
    with Progress(
        TextColumn("scoring"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=total)

        def advance(name: str) -> None:
            bar.update(task, advance=1, description=escape(name))

        outcome = run_leaderboard(
            gold,
            subs,
            dest,
            corpus_version=corpus_version(project.root),
            progress=advance,
            unit=unit,
        )
    stale = write_board(outcome.files, dest)
    board = outcome.board
    for layer, table in board["layers"].items():
        rich_table = Table(title=f"{LAYER_TITLES[layer]} (ranked by {table['ranked_by']})")
        rich_table.add_column("#", justify="right")
        rich_table.add_column("system")
        for col in table["columns"]:
            rich_table.add_column(col["title"], justify="right")
        rich_table.add_column("vs best")
        for row in table["rows"]:
            seen = SEEN[row["contamination"]]
            cells = [
                Text(str(row["rank"])),
                Text(row["system_id"] + (f" ({seen})" if seen else "")),
            ]
            for col in table["columns"]:
                fig = row["figures"][col["path"]]
                value = "—" if fig["value"] is None else f"{fig['value']:.3f}"
                ci = "" if not fig["ci95"] else f" [{fig['ci95'][0]:.3f}, {fig['ci95'][1]:.3f}]"
                cells.append(Text(value + ci))
            p = row["p_value_vs_best"]
            versus = (
                "best"
                if row["best"]
                else (
                    "no test"
                    if p is None
                    else ("≈ " if row["indistinguishable_from_best"] else "")
                    + f"p={p:.3f} Holm {row['p_value_vs_best_holm']:.3f}"
                )
            )
            cells.append(Text(versus))
            rich_table.add_row(*cells)
        out.print(rich_table)
    ranked = len(board["submissions"])
    err.print(
        f"[green]ok[/green]: ranked {ranked} submission{'s' * (ranked != 1)}; wrote "
        + escape(f"{dest / 'leaderboard.json'}, {dest / 'LEADERBOARD.md'}, {dest / 'index.html'} ")
        + f"and {len(outcome.files) - 3} error report{'s' * (len(outcome.files) - 3 != 1)}"
        + (
            f"; removed {len(stale)} stale report{'s' * (len(stale) != 1)}: "
            + escape(", ".join(p.name for p in stale))
            if stale
            else ""
        )
    )
    if outcome.invalid:
        # one FILE[:LINE]: $.path: message line per reason; the file names the submission
        lines = [problem for item in outcome.invalid for problem in item.problems]
        for line in lines:
            err.print(Text(line))
        if not allow_invalid:
            raise Failure(
                f"error: {len(outcome.invalid)} invalid submission"
                f"{'s' * (len(outcome.invalid) != 1)} "
                "left off the board (pass --allow-invalid to exit 0 anyway)"
            )
