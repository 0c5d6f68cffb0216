"""The ``newsgold`` command: a thin layer over the library.

Each command parses its arguments, makes one library call and renders the
result: a rich table for people, ``--json`` for machines. Library errors
become one clear message and exit status 1 (usage errors: 2), never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import __version__
from .errors import NewsgoldError, Problem, UsageError, ValidationError
from .jsonio import Paths, find_root

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
    err.print(f"[green]ok[/green]: {escape(what)} is valid")


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


# --------------------------------------------------------------------------- leaderboard (issue 7)

BASELINE_NAMES = ("dateparser", "rules", "spacy-sm")


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
    English pipeline with dateparser and textacy) or dateparser (dates only);
    the last two need the baselines extra: pip install 'newsgold[baselines]'.
    The submission records the packages, their versions and the command.
    """
    from .baselines import get_baseline, run_baseline, write_submission
    from .validate import load_gold

    system = get_baseline(name)
    predict = system.predictor()  # fails early, with the fix, when a package is missing
    gold = load_gold(get_paths(root).root)
    command = f"newsgold baseline {name} --out eval/submissions/{system.system_id}"
    written = write_submission(
        system, run_baseline(system, gold.docs.values(), predict=predict), out, command
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
@root_option
@handle_errors
def leaderboard(
    submissions: Path | None, out_dir: Path | None, allow_invalid: bool, root: Path | None
) -> None:
    """Score every submission and write the board (JSON, Markdown, HTML page, error reports).

    Each subfolder of the submissions folder is one system: submission.json
    and predictions.jsonl (see eval/README.md). An invalid submission is
    reported with its reasons and left off the board; the others are still
    ranked, and the command exits 1 unless --allow-invalid.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.text import Text

    from .leaderboard import LAYER_TITLES, discover, run_leaderboard, write_board
    from .report import corpus_version
    from .validate import load_gold

    project = get_paths(root)
    subs = submissions if submissions is not None else project.eval / "submissions"
    dest = out_dir if out_dir is not None else project.eval
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
            gold, subs, dest, corpus_version=corpus_version(project.root), progress=advance
        )
    write_board(outcome.files)
    board = outcome.board
    for layer, table in board["layers"].items():
        rich_table = Table(title=f"{LAYER_TITLES[layer]} (ranked by {table['ranked_by']})")
        rich_table.add_column("#", justify="right")
        rich_table.add_column("system")
        for col in table["columns"]:
            rich_table.add_column(col["title"], justify="right")
        rich_table.add_column("vs best")
        for row in table["rows"]:
            cells = [Text(str(row["rank"])), Text(row["system_id"])]
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
                    else ("≈ " if row["indistinguishable_from_best"] else "") + f"p={p:.3f}"
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
    )
    if outcome.invalid:
        lines = [
            f"invalid submission {item.folder!r} (left off the board): {problem}"
            for item in outcome.invalid
            for problem in item.problems
        ]
        for line in lines:
            err.print(Text(line))
        if not allow_invalid:
            raise Failure(
                f"{len(outcome.invalid)} invalid submission{'s' * (len(outcome.invalid) != 1)} "
                "(pass --allow-invalid to exit 0 anyway)"
            )


# --------------------------------------------------------------------------- Label Studio (issue 6)


@main.group(name="ls")
def ls_group() -> None:
    """Label Studio: the labeling config, tasks, and push/pull against a server.

    The gold goes to Label Studio and comes back without loss: entities with
    their kb_id, dates with type, value and mod, quotes with kind, speaker
    (relation or speaker_id) and cue. Everything coming back is validated as
    strictly as `newsgold validate`; each error names the task and result id.
    push and pull need the extra: pip install 'newsgold[labelstudio]'.
    """


ls_url = click.option(
    "--url", required=True, help="The Label Studio server, e.g. http://127.0.0.1:8080."
)
ls_key = click.option(
    "--api-key",
    required=True,
    envvar="LABEL_STUDIO_API_KEY",
    help="A user's API token (Account & Settings; env LABEL_STUDIO_API_KEY).",
)
ls_as = click.option(
    "--as",
    "as_",
    type=click.Choice(["annotations", "predictions"]),
    default="annotations",
    show_default=True,
    help="Put the gold in as annotations, or as pre-annotations to correct "
    "(with --predictions: only the system's predictions).",
)
ls_predictions = click.option(
    "--predictions",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A predictions JSONL file to add as pre-annotations (model version: its file stem).",
)
ls_select = [
    click.option(
        "--annotator",
        default=None,
        help="Take only this annotator's (e-mail) annotation of every task.",
    ),
    click.option(
        "--by-annotator",
        is_flag=True,
        help="Keep every annotator's annotations apart: OUT/<e-mail>/<doc_id>.json.",
    ),
]


def _with_select(func: F) -> F:
    for option in reversed(ls_select):
        func = option(func)
    return func


@ls_group.command(name="config")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the config to this file instead of printing it (labelstudio/config.xml).",
)
@handle_errors
def ls_config(out: Path | None) -> None:
    """Print the labeling config generated from newsgold's label sets."""
    from .convert.label_studio import labeling_config
    from .jsonio import atomic_write

    config = labeling_config()
    if out is None:
        click.echo(config, nl=False)
        return
    atomic_write(out, config)
    err.print(f"[green]ok[/green]: wrote {escape(str(out))}")


@ls_group.command(name="export-tasks")
@click.argument("out_file", metavar="OUT.json", type=click.Path(dir_okay=False, path_type=Path))
@ls_as
@ls_predictions
@root_option
@handle_errors
def ls_export_tasks(out_file: Path, as_: str, predictions: Path | None, root: Path | None) -> None:
    """Write the gold as Label Studio tasks (JSON) to import in the UI."""
    from .jsonio import atomic_write, dumps_json
    from .ls_client import build_tasks

    tasks, _ = build_tasks(root, as_=as_, predictions=predictions)
    atomic_write(out_file, dumps_json(tasks))
    err.print(f"[green]ok[/green]: wrote {len(tasks)} tasks to {escape(str(out_file))}")


def _write_gold(
    tasks: Any,
    out_dir: Path,
    root: Path | None,
    annotator: str | None,
    by_annotator: bool,
    source: str,
) -> None:
    from .convert.label_studio import from_export
    from .jsonio import write_files_atomically
    from .ls_client import gold_files, read_kb

    if annotator is not None and by_annotator:
        raise UsageError("--annotator and --by-annotator exclude each other (pick one)")
    contents = from_export(tasks, kb=read_kb(root), source=source)
    files = gold_files(
        contents, out_dir, root, annotator=annotator, by_annotator=by_annotator, source=source
    )
    write_files_atomically(files)
    err.print(f"[green]ok[/green]: wrote {len(files)} gold files to {escape(str(out_dir))}")


@ls_group.command(name="import")
@click.argument("export", metavar="EXPORT.json", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder for the gold files (<doc_id>.json).",
)
@_with_select
@root_option
@handle_errors
def ls_import(
    export: Path, out_dir: Path, annotator: str | None, by_annotator: bool, root: Path | None
) -> None:
    """Validate a Label Studio JSON export and write its annotations as gold files.

    Writes all files or none. Each task must have exactly one annotation,
    unless --annotator or --by-annotator says which.
    """
    from .jsonio import loads_json, read_text

    tasks = loads_json(read_text(export, display=str(export)), str(export))
    _write_gold(tasks, out_dir, root, annotator, by_annotator, str(export))


@ls_group.command(name="push")
@ls_url
@ls_key
@click.option(
    "--project", "title", default="newsgold", show_default=True, help="Title of the new project."
)
@ls_as
@ls_predictions
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@root_option
@handle_errors
def ls_push(
    url: str,
    api_key: str,
    title: str,
    as_: str,
    predictions: Path | None,
    no_progress: bool,
    root: Path | None,
) -> None:
    """Create a project with the generated config and push the gold (and predictions)."""
    from .convert.label_studio import labeling_config
    from .ls_client import Server, build_tasks

    tasks, _ = build_tasks(root, as_=as_, predictions=predictions)
    with Server(url, api_key) as server:
        pid, ids = server.push(title, labeling_config(), tasks, progress=not no_progress)
    click.echo(str(pid))
    err.print(
        f"[green]ok[/green]: pushed {len(ids)} tasks to project {pid} at "
        + escape(f"{server.url}/projects/{pid}")
    )


@ls_group.command(name="pull")
@ls_url
@ls_key
@click.option("--project", "project", required=True, type=int, help="The project id.")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder for the gold files (<doc_id>.json).",
)
@_with_select
@root_option
@handle_errors
def ls_pull(
    url: str,
    api_key: str,
    project: int,
    out_dir: Path,
    annotator: str | None,
    by_annotator: bool,
    root: Path | None,
) -> None:
    """Export a project (full predictions and annotators) and write its annotations as gold files.

    Validated like `newsgold ls import`; all files or none.
    """
    from .ls_client import Server

    with Server(url, api_key) as server:
        tasks = server.export(project)
    _write_gold(tasks, out_dir, root, annotator, by_annotator, f"{server.url} project {project}")


# --------------------------------------------------------------------------- corpus (issue 4)


@main.command()
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if the corpus folder is not what a build would write (CI runs this).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The corpus folder (default: corpus/ of the project).",
)
@root_option
@handle_errors
def build(check: bool, out: Path | None, root: Path | None) -> None:
    """Build corpus/, the Hugging Face dataset, from the gold.

    Validates the gold, then writes the card (README.md), VERSION, manifest.json
    and one parquet file per config, byte-identical on every rebuild. The
    version is the newest '## X.Y.Z' heading of corpus/CHANGELOG.md (edit it by
    hand to release). With --check nothing is written: prints every stale file
    and exits 1 if corpus/ is out of step with annotations/.
    """
    from .corpus import build_corpus, read_inputs, stale_files, write_corpus
    from .validate import load_gold

    project = get_paths(root)
    folder = out if out is not None else project.corpus
    gold = load_gold(project.root)
    changelog, agreement = read_inputs(project.root, folder)
    built = build_corpus(gold, changelog, agreement, str(folder / "CHANGELOG.md"))
    if check:
        stale = stale_files(folder, built)
        if stale:
            raise Failure(
                "\n".join(f"{folder}/{line}" for line in stale)
                + f"\n{folder} is stale: run `newsgold build` and commit it"
            )
        err.print(
            f"[green]ok[/green]: {escape(str(folder))} is in step with the gold (corpus {built.version})"
        )
        return
    removed = write_corpus(folder, built)
    err.print(
        f"wrote {folder}: corpus {built.version}, {len(built.files)} files, "
        f"gold sha256 {built.gold_sha256[:12]}…"
        + (f", removed {len(removed)} old data file{'s' * (len(removed) != 1)}" if removed else "")
    )


@main.command()
@click.option("--repo-id", required=True, help="The dataset repository on the Hub, OWNER/NAME.")
@click.option("--tag", default=None, help="The release tag (default and only: corpus-v<VERSION>).")
@click.option("--private", is_flag=True, help="Create the repository as private.")
@click.option("--dry-run", is_flag=True, help="Print the exact operations; send nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the operations as JSON.")
@click.option(
    "--corpus",
    "corpus_path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The corpus folder (default: corpus/ of the project).",
)
@root_option
@handle_errors
def publish(
    repo_id: str,
    tag: str | None,
    private: bool,
    dry_run: bool,
    as_json: bool,
    corpus_path: Path | None,
    root: Path | None,
) -> None:
    """Publish corpus/ to the Hugging Face Hub: create the dataset repo, upload, tag.

    Refuses a corpus out of step with the gold (`newsgold build --check`) or
    with its manifest. The tag is corpus-v<VERSION>; users pin it with
    load_dataset(..., revision="corpus-vX.Y.Z"). Uses the token saved by
    `huggingface-cli login` (or HF_TOKEN).
    """
    from .corpus import build_corpus, read_inputs, stale_files
    from .hub import execute, plan_publish, render_plan
    from .validate import load_gold

    project = get_paths(root)
    folder = corpus_path if corpus_path is not None else project.corpus
    plan = plan_publish(folder, repo_id, tag, private=private)
    gold = load_gold(project.root)
    stale = stale_files(folder, build_corpus(gold, *read_inputs(project.root, folder)))
    if stale:
        raise Failure(
            "\n".join(f"{folder}/{line}" for line in stale)
            + f"\n{folder} is stale: run `newsgold build`, commit, then publish"
        )
    if as_json:
        echo_json({"dry_run": dry_run, "operations": plan.operations()})
    elif dry_run:
        click.echo(render_plan(plan))
    if dry_run:
        return
    url = execute(plan)
    err.print(f"[green]published[/green] {escape(url)}")


# --------------------------------------------------------------------------- scoring (issue 5)


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
    from .scoring.schemes import SCHEMES

    return list(SCHEMES)


def _command_formats() -> list[str]:
    from .formats import FORMATS

    return [name for name, f in FORMATS.items() if f.command_output]


def _format_names() -> list[str]:
    from .formats import FORMATS

    return list(FORMATS)


json_out_option = click.option(
    "--json",
    "json_out",
    metavar="OUT|-",
    default=None,
    help="Write the JSON report to OUT (- for stdout).",
)


def bootstrap_options(func: F) -> F:
    """``--bootstrap N`` and ``--seed S``, shared by the commands that report intervals."""
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
                help="Format of the predictions (see README: Scoring).",
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
    from .report import to_json_text

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
    from .jsonio import atomic_write

    if target is None:
        return
    if target == "-":
        click.echo(text, nl=False)
    else:
        atomic_write(Path(target), text)


@main.command()
@click.argument("pred", type=click.Path(path_type=Path))
@_score_options
@json_out_option
@click.option(
    "--html",
    "html_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write a self-contained HTML error report.",
)
@click.option(
    "--strict", is_flag=True, help="A gold document missing from the predictions is an error."
)
@bootstrap_options
@root_option
@handle_errors
def score(
    pred: Path,
    fmt: str,
    scheme: str,
    layers: str | None,
    json_out: str | None,
    html_out: Path | None,
    strict: bool,
    n_bootstrap: int,
    seed: int,
    root: Path | None,
) -> None:
    """Score a system's predictions PRED against the gold.

    Prints a table of precision, recall and F1 with bootstrap 95% intervals;
    --json writes the stable report object (corpus version, gold sha256, scorer
    and metric versions). A gold document missing from PRED counts as
    predicting nothing, with a warning (an error with --strict).
    """
    from .report import corpus_version, to_html, to_table
    from .scoring import score_file
    from .validate import load_gold

    project = get_paths(root)
    gold = load_gold(project.root)
    kept: list[Any] | None = [] if html_out is not None else None
    report = score_file(
        gold,
        pred,
        format=fmt,
        layers=_layers(layers),
        scheme=scheme,
        n_bootstrap=n_bootstrap,
        seed=seed,
        corpus_version=corpus_version(project.root),
        keep=kept,
    )
    if strict and report.missing_doc_ids:
        raise ValidationError(
            [
                Problem(str(pred), None, "$", f"no prediction for document {d!r} (--strict)")
                for d in report.missing_doc_ids
            ]
        )
    if html_out is not None:
        from .jsonio import atomic_write

        atomic_write(html_out, to_html(report, gold, kept or []))
    _emit(report, json_out, lambda: to_table(report))


@main.command()
@click.argument("pred_a", type=click.Path(path_type=Path))
@click.argument("pred_b", type=click.Path(path_type=Path))
@_score_options
@click.option(
    "--json",
    "json_out",
    metavar="OUT|-",
    default=None,
    help="Write the comparison as JSON to OUT (- for stdout).",
)
@click.option(
    "--resamples",
    type=click.IntRange(min=1),
    default=10000,
    show_default=True,
    help="Random swaps and bootstrap resamples.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@root_option
@handle_errors
def compare(
    pred_a: Path,
    pred_b: Path,
    fmt: str,
    scheme: str,
    layers: str | None,
    json_out: str | None,
    resamples: int,
    seed: int,
    root: Path | None,
) -> None:
    """Compare two systems A and B on the gold with a paired significance test.

    For each headline F1: A, B, A − B with its paired-bootstrap 95% interval
    and the p-value of an approximate randomisation test over documents (exact
    with 16 documents or fewer). Warns when there are few documents.
    """
    from .formats import read_records
    from .report import comparison_table
    from .scoring import checked_predictions, get_scheme
    from .scoring import compare as compare_predictions
    from .validate import load_gold

    gold = load_gold(get_paths(root).root)
    sch = get_scheme(scheme)
    problems: list[Problem] = []
    a = checked_predictions(read_records(pred_a, fmt, gold), gold, sch, str(pred_a), problems)
    b = checked_predictions(read_records(pred_b, fmt, gold), gold, sch, str(pred_b), problems)
    if problems:
        raise ValidationError(problems)
    result = compare_predictions(
        gold, a, b, layers=_layers(layers), scheme=sch, n_resamples=resamples, seed=seed
    )
    if not _emit(result, json_out, lambda: comparison_table(result)):
        return


@main.command()
@click.argument("dir_a", type=click.Path(path_type=Path))
@click.argument("dir_b", type=click.Path(path_type=Path))
@click.option("--layers", default=None, help="Comma-separated layers (default: all three).")
@json_out_option
@bootstrap_options
@root_option
@handle_errors
def agree(
    dir_a: Path,
    dir_b: Path,
    layers: str | None,
    json_out: str | None,
    n_bootstrap: int,
    seed: int,
    root: Path | None,
) -> None:
    """Inter-annotator agreement: score annotation folder DIR_B against DIR_A, per layer.

    Both folders hold gold documents (validated like the gold); pairwise F1 is
    symmetric, so which one is the reference changes only P and R.
    """
    from .report import corpus_version, to_table
    from .scoring import agree as agree_sets
    from .validate import load_gold

    project = get_paths(root)
    ref = load_gold(project.root, dir_a)
    other = load_gold(project.root, dir_b)
    report = agree_sets(
        ref,
        other,
        layers=_layers(layers) or ("entities", "dates", "quotes"),
        n_bootstrap=n_bootstrap,
        seed=seed,
        corpus_version=corpus_version(project.root),
    )
    if not _emit(report, json_out, lambda: to_table(report, "newsgold agree")):
        return


# --------------------------------------------------------------------------- run a system (issue 8)


@main.command("run")
@click.option(
    "--spacy",
    "spacy_model",
    metavar="MODEL",
    default=None,
    help="A spaCy pipeline: an installed package name or a folder from nlp.to_disk.",
)
@click.option(
    "--hf",
    "hf_path",
    metavar="PATH",
    default=None,
    help="A local folder with a Hugging Face token-classification model and tokenizer.",
)
@click.option(
    "--python",
    "python_spec",
    metavar="MODULE:FUNCTION",
    default=None,
    help="A callable (text, dct) -> {entities, dates, quotes} (or a spaCy Language / HF pipeline object).",
)
@click.option(
    "--cmd",
    "command",
    metavar="COMMAND",
    default=None,
    help='A program run once on the corpus: "prog {input} {output}" (see README: Score a system).',
)
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the predictions here (newsgold JSONL).",
)
@click.option(
    "--score", "do_score", is_flag=True, help="Also score the predictions against the gold."
)
@click.option(
    "--output-format",
    type=_Registered(_command_formats),
    default=None,
    help="--cmd only: the format the command writes (default: recognised from its files).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="--cmd only: stop the command after this many seconds.",
)
@click.option(
    "--scheme",
    type=_Registered(_scheme_names),
    default="newsgold",
    show_default=True,
    help="Label scheme of the system's entity labels (ontonotes for spaCy's English pipelines).",
)
@click.option(
    "--layers",
    default=None,
    help="Comma-separated layers to keep and score (default: those the system predicts).",
)
@click.option(
    "--json",
    "json_out",
    metavar="OUT|-",
    default=None,
    help="With --score: write the JSON report to OUT (- for stdout).",
)
@click.option(
    "--bootstrap",
    "n_bootstrap",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    help="With --score: bootstrap resamples for the 95% intervals.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="With --score: seed of the bootstrap."
)
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@root_option
@handle_errors
def run_system(
    spacy_model: str | None,
    hf_path: str | None,
    python_spec: str | None,
    command: str | None,
    out_path: Path,
    do_score: bool,
    output_format: str | None,
    timeout: float | None,
    scheme: str,
    layers: str | None,
    json_out: str | None,
    n_bootstrap: int,
    seed: int,
    no_progress: bool,
    root: Path | None,
) -> None:
    """Run a system over the corpus, write its predictions, and optionally score them.

    Give exactly one of --spacy, --hf, --python or --cmd. --cmd runs any
    program once: the corpus is written to a temporary folder ({input}: one
    <doc_id>.txt per document, dct.tsv, manifest.json) and the program writes
    newsgold JSONL, brat .ann or TimeML files to {output}. The report records
    documents per second.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .evaluate import SystemRun, keep_layers, load_system, predict, score_run, write_predictions
    from .report import corpus_version, to_table
    from .validate import load_gold

    given = [
        (flag, value)
        for flag, value in (
            ("--spacy", spacy_model),
            ("--hf", hf_path),
            ("--python", python_spec),
            ("--cmd", command),
        )
        if value is not None
    ]
    if len(given) != 1:
        raise click.UsageError(
            "give exactly one of --spacy MODEL, --hf PATH, --python MODULE:FUNCTION, --cmd COMMAND"
            + (f" (got {', '.join(f for f, _ in given)})" if given else "")
        )
    if command is None and (output_format is not None or timeout is not None):
        raise click.UsageError("--output-format and --timeout apply to --cmd only")
    if not do_score and (json_out is not None):
        raise click.UsageError("--json needs --score")
    project = get_paths(root)
    gold = load_gold(project.root)
    wanted = _layers(layers)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[doc]}"),
        console=err,
        disable=no_progress,
        transient=False,
    )
    with progress:
        task = progress.add_task("documents", total=len(gold.docs), doc="")

        def advance(doc_id: str) -> None:
            progress.update(task, advance=1, doc=doc_id)

        if command is not None:
            from .runner import run_command

            cmd_run = run_command(
                command,
                gold.docs,
                output_format=output_format,
                timeout=timeout,
                on_document=advance,
            )
            system_run = SystemRun(
                "command", command, keep_layers(cmd_run.predictions, wanted), cmd_run.seconds
            )
        else:
            kind, spec = next((f.lstrip("-"), v) for f, v in given)
            system = load_system(kind, str(spec))
            system_run = predict(system, gold.docs, layers=wanted, on_document=advance)
    write_predictions(out_path, system_run.predictions)
    rate = system_run.documents_per_second
    err.print(
        f"wrote {len(system_run.predictions)} predictions to {out_path} "
        f"({system_run.seconds:.2f} s in the system"
        + (f", {rate:.1f} documents/s)" if rate is not None else ")")
    )
    if not do_score:
        return
    report = score_run(
        system_run,
        gold,
        layers=wanted,
        scheme=scheme,
        n_bootstrap=n_bootstrap,
        seed=seed,
        corpus_version=corpus_version(project.root),
    )
    if not _emit(report, json_out, lambda: to_table(report)):
        return
    out.print(
        f"system: {system_run.kind} {system_run.name}, {len(system_run.predictions)} documents in "
        f"{system_run.seconds:.2f} s" + (f" ({rate:.1f} documents/s)" if rate is not None else ""),
        markup=False,
    )


def run() -> None:
    """Entry point used by ``python -m newsgold``."""
    main(prog_name="newsgold")


if __name__ == "__main__":  # pragma: no cover
    run()
