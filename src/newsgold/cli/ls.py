"""``newsgold ls``: the Label Studio commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from ..errors import UsageError, ValidationError
from ._app import (
    F,
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
        help="Take only this annotator's annotations (their e-mail, or Label Studio user id).",
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
@handle_errors
def ls_config(out: Path | None) -> None:
    """Print the labeling config generated from newsgold's label sets."""
    from ..convert.label_studio import labeling_config
    from ..jsonio import atomic_write

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
    from ..jsonio import atomic_write, dumps_json
    from ..ls_client import build_tasks

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
    """Write every valid annotation; report the rest (exit 1 when anything was wrong)."""
    from ..jsonio import write_files_atomically
    from ..ls_client import read_kb
    from ..labelstudio.files import pull_files
    from ..paths import ensure_writable

    if annotator is not None and by_annotator:
        raise UsageError("--annotator and --by-annotator exclude each other (pick one)")
    ensure_writable(out_dir, "gold files")
    pulled = pull_files(
        tasks,
        out_dir,
        root,
        kb=read_kb(root),
        annotator=annotator,
        by_annotator=by_annotator,
        source=source,
    )
    for w in pulled.warnings:
        err.print(f"[yellow]warning[/yellow]: {escape(str(w))}")
    if pulled.files:
        write_files_atomically(pulled.files, within=out_dir)
    who = (
        " (" + ", ".join(f"{k}: {len(v)}" for k, v in sorted(pulled.written.items())) + ")"
        if by_annotator and pulled.written
        else ""
    )
    err.print(
        f"[green]ok[/green]: wrote {len(pulled.files)} gold files to {escape(str(out_dir))}"
        + escape(who)
    )
    if pulled.problems:
        raise ValidationError(pulled.problems)


@ls_group.command(name="import")
@click.argument("export", metavar="EXPORT.json", type=click.Path(dir_okay=False, path_type=Path))
@ls_out
@_with_select
@root_option
@handle_errors
def ls_import(
    export: Path, out_dir: Path, annotator: str | None, by_annotator: bool, root: Path | None
) -> None:
    """Validate a Label Studio JSON export and write its valid annotations as gold files.

    Takes the UI's ordinary export (Export → JSON, with or without predictions)
    as well as a full one; a JSON_MIN export is refused (it lacks the relations
    and the links of per-region fields). Each task may have one annotation,
    unless --annotator or --by-annotator says which. Documents nobody has
    submitted yet are reported and left out; every bad annotation is reported
    with task, annotator and result id (exit 1) while the others are written.
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
    from ..convert.label_studio import labeling_config
    from ..ls_client import Server, build_tasks

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

    Validated like `newsgold ls import`: partial progress is pulled (documents
    without a submitted annotation are reported and left out), unsubmitted
    drafts are warned about, and one annotator's bad annotation is reported
    (task, annotator, result id; exit 1) without holding back the others.
    """
    from ..ls_client import Server

    with Server(url, api_key) as server:
        tasks = server.export(project)
    _write_gold(tasks, out_dir, root, annotator, by_annotator, f"{server.url} project {project}")
