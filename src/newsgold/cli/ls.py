"""``newsgold ls``: the Label Studio commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from ..errors import UsageError
from ._app import (
    F,
    _Registered,
    _scheme_names,
    err,
    handle_errors,
    main,
    root_option,
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
    type=click.Choice(["annotations", "predictions", "none"]),
    default=None,
    help="Put the gold in as annotations, as pre-annotations to correct (with --predictions: "
    "only the system's), or not at all (annotators start blind). Default: none with "
    "--annotators (a team never sees the gold unless asked), else annotations.",
)
ls_predictions = click.option(
    "--predictions",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Pre-annotations: a predictions JSONL file, or a submission folder "
    "(eval/submissions/<system_id>; its system_id names them, its scheme projects them).",
)
ls_docs = [
    click.option(
        "--docs",
        default=None,
        help="Only these gold documents (doc_ids separated by commas; default: all).",
    ),
    click.option(
        "--texts",
        multiple=True,
        type=click.Path(exists=True, path_type=Path),
        help="New documents without gold: a UTF-8 text file (doc_id: its stem) or a folder "
        "of *.txt files; repeatable.",
    ),
    click.option(
        "--scheme",
        type=_Registered(_scheme_names),
        default=None,
        help="Label scheme of the predictions (ontonotes: PERSON becomes PER, DATE/TIME "
        "become dates); default: the submission's, else newsgold.",
    ),
    click.option(
        "--model-version",
        default=None,
        help="Name of the pre-annotations in Label Studio (default: the submission's "
        "system_id, else the file's stem).",
    ),
]


def _with_docs(func: F) -> F:
    for option in reversed(ls_docs):
        func = option(func)
    return func


def _tasks(
    root: Path | None,
    as_: str,
    predictions: Path | None,
    docs: str | None,
    texts: tuple[Path, ...],
    scheme: str | None,
    model_version: str | None,
) -> tuple[list[dict[str, Any]], Any, Any]:
    """The tasks of push and export-tasks: ``(tasks, kb, prediction source)``; notes to stderr."""
    from ..labelstudio.files import build_tasks, prediction_source

    if predictions is None and (scheme is not None or model_version is not None):
        raise UsageError("--scheme and --model-version describe --predictions (give it too)")
    source = (
        None
        if predictions is None
        else prediction_source(predictions, model_version=model_version, scheme=scheme)
    )
    chosen = None if docs is None else [d.strip() for d in docs.split(",") if d.strip()]
    notes: list[str] = []
    tasks, kb = build_tasks(
        root, as_=as_, predictions=source, docs=chosen, texts=texts, notes=notes
    )
    for note in notes:
        err.print(f"[yellow]note[/yellow]: {escape(note)}", highlight=False)
    return tasks, kb, source


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


ls_out = click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder for the gold files (<doc_id>.json).",
)


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
@root_option
@handle_errors
def ls_config(out: Path | None, root: Path | None) -> None:
    """Print the labeling config generated from newsgold's label sets and the KB."""
    from ..convert.label_studio import labeling_config
    from ..jsonio import atomic_write
    from ..ls_client import read_kb

    config = labeling_config(read_kb(root))
    if out is None:
        click.echo(config, nl=False)
        return
    atomic_write(out, config)
    err.print(f"[green]ok[/green]: wrote {escape(str(out))}")


@ls_group.command(name="export-tasks")
@click.argument("out_file", metavar="OUT.json", type=click.Path(dir_okay=False, path_type=Path))
@ls_as
@ls_predictions
@_with_docs
@root_option
@handle_errors
def ls_export_tasks(
    out_file: Path,
    as_: str | None,
    predictions: Path | None,
    docs: str | None,
    texts: tuple[Path, ...],
    scheme: str | None,
    model_version: str | None,
    root: Path | None,
) -> None:
    """Write the gold (and new texts) as Label Studio tasks (JSON) to import in the UI."""
    from ..jsonio import atomic_write, dumps_json

    tasks, _, _ = _tasks(
        root, as_ or "annotations", predictions, docs, texts, scheme, model_version
    )
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
    from ..convert.label_studio import from_export
    from ..jsonio import write_files_atomically
    from ..ls_client import gold_files, read_kb
    from ..paths import ensure_writable

    if annotator is not None and by_annotator:
        raise UsageError("--annotator and --by-annotator exclude each other (pick one)")
    ensure_writable(out_dir, "gold files")
    contents = from_export(tasks, kb=read_kb(root), source=source)
    files = gold_files(
        contents, out_dir, root, annotator=annotator, by_annotator=by_annotator, source=source
    )
    write_files_atomically(files, within=out_dir)
    err.print(f"[green]ok[/green]: wrote {len(files)} gold files to {escape(str(out_dir))}")


@ls_group.command(name="import")
@click.argument("export", metavar="EXPORT.json", type=click.Path(dir_okay=False, path_type=Path))
@ls_out
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
    from ..jsonio import loads_json, read_text

    tasks = loads_json(read_text(export, display=str(export)), str(export))
    _write_gold(tasks, out_dir, root, annotator, by_annotator, str(export))


@ls_group.command(name="push")
@ls_url
@ls_key
@click.option(
    "--project", "title", default="newsgold", show_default=True, help="Title of the new project."
)
@click.option(
    "--annotators",
    type=click.IntRange(min=1),
    default=None,
    help="Set the project up for a team: N annotators each annotate every task; the "
    "guideline becomes the instructions shown before labeling.",
)
@ls_as
@ls_predictions
@_with_docs
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@root_option
@handle_errors
def ls_push(
    url: str,
    api_key: str,
    title: str,
    annotators: int | None,
    as_: str | None,
    predictions: Path | None,
    docs: str | None,
    texts: tuple[Path, ...],
    scheme: str | None,
    model_version: str | None,
    no_progress: bool,
    root: Path | None,
) -> None:
    """Create a project with the generated config and push the gold (and predictions).

    With --annotators N it is a team project: every task goes to N annotators,
    the guideline (annotations/GUIDELINES.md) is shown before labeling, and the
    gold stays out unless --as says otherwise. Prints the project id.
    """
    from ..labelstudio import labeling_config
    from ..labelstudio.client import Team
    from ..labelstudio.files import guideline_html
    from ..ls_client import Server

    as_ = as_ or ("none" if annotators else "annotations")
    tasks, kb, source = _tasks(root, as_, predictions, docs, texts, scheme, model_version)
    team = None
    if annotators is not None:
        shown = None
        if source is not None:
            shown = source.model_version
        elif as_ == "predictions":
            from ..labelstudio import GOLD_MODEL_VERSION

            shown = GOLD_MODEL_VERSION
        team = Team(
            annotators,
            guideline_html(root),
            model_version=shown,
            extra_annotations=1 if as_ == "annotations" else 0,
        )
    with Server(url, api_key) as server:
        pid, ids = server.push(
            title, labeling_config(kb), tasks, progress=not no_progress, team=team
        )
    if team is not None:
        gold = {
            "none": "not shown",
            "predictions": "shown as pre-annotations",
            "annotations": "shown as an annotation",
        }[as_]
        shown = f"; pre-annotations: {team.model_version}" if team.model_version else ""
        err.print(
            f"team project: every task goes to {annotators} annotator"
            f"{'s' * (annotators != 1)}; the gold is {gold} (--as {as_}){escape(shown)}; "
            "the guideline is shown before labeling",
            highlight=False,
        )
    click.echo(str(pid))
    err.print(
        f"[green]ok[/green]: pushed {len(ids)} tasks to project {pid} at "
        + escape(f"{server.url}/projects/{pid}")
    )


@ls_group.command(name="status")
@ls_url
@ls_key
@click.option("--project", "project", required=True, type=int, help="The project id.")
@click.option(
    "--annotator",
    "annotators",
    multiple=True,
    help="Report these annotators (e-mail; repeatable; default: every user of the server).",
)
@handle_errors
def ls_status(url: str, api_key: str, project: int, annotators: tuple[str, ...]) -> None:
    """Print the progress of a project per task and per annotator.

    Each annotator's state of each task: submitted, draft (saved, not
    submitted), skipped, or missing; then the counts per annotator.
    """
    from ..labelstudio.status import status_lines
    from ..ls_client import Server

    with Server(url, api_key) as server:
        tasks = server.progress(project)
        who = list(annotators) or server.users()
    for line in status_lines(tasks, who):
        click.echo(line)


@ls_group.command(name="pull")
@ls_url
@ls_key
@click.option("--project", "project", required=True, type=int, help="The project id.")
@ls_out
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
    from ..ls_client import Server

    with Server(url, api_key) as server:
        tasks = server.export(project)
    _write_gold(tasks, out_dir, root, annotator, by_annotator, f"{server.url} project {project}")
