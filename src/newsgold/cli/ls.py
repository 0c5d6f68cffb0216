"""``newsgold ls``: the Label Studio commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from ..errors import UsageError, ValidationError
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
    users: dict[int, str] | None = None,
) -> None:
    """Write every valid annotation; report the rest (exit 1 when anything was wrong)."""
    from ..jsonio import write_files_atomically
    from ..labelstudio.files import pull_files
    from ..ls_client import read_kb
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
        users=users,
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
@click.option(
    "--url",
    default=None,
    help="Optional: the Label Studio server the export comes from, to name annotators by "
    "e-mail (the UI's export gives user ids only).",
)
@click.option(
    "--api-key",
    default=None,
    envvar="LABEL_STUDIO_API_KEY",
    help="With --url: a user's API token (env LABEL_STUDIO_API_KEY).",
)
@root_option
@handle_errors
def ls_import(
    export: Path,
    out_dir: Path,
    annotator: str | None,
    by_annotator: bool,
    url: str | None,
    api_key: str | None,
    root: Path | None,
) -> None:
    """Validate a Label Studio JSON export and write its valid annotations as gold files.

    Takes the UI's ordinary export (Export → JSON, with or without predictions)
    as well as a full one; a JSON_MIN export is refused (it lacks the relations
    and the links of per-region fields). Each task may have one annotation,
    unless --annotator or --by-annotator says which (the UI's export names
    annotators by user id: give --url and --api-key to name them by e-mail,
    folders included). Documents nobody has
    submitted yet are reported and left out; every bad annotation is reported
    with task, annotator and result id (exit 1) while the others are written.
    """
    from ..jsonio import loads_json, read_text

    tasks = loads_json(read_text(export, display=str(export)), str(export))
    users = None
    if url is not None:
        from ..ls_client import Server

        if api_key is None:
            raise UsageError("--url needs --api-key (or LABEL_STUDIO_API_KEY)")
        with Server(url, api_key) as server:
            users = server.users()
    _write_gold(tasks, out_dir, root, annotator, by_annotator, str(export), users)


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
        who = list(annotators) or sorted(server.users().values())
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

    Validated like `newsgold ls import`: partial progress is pulled (documents
    without a submitted annotation are reported and left out), unsubmitted
    drafts are warned about, and one annotator's bad annotation is reported
    (task, annotator, result id; exit 1) without holding back the others.
    """
    from ..ls_client import Server

    with Server(url, api_key) as server:
        tasks = server.export(project)
    _write_gold(tasks, out_dir, root, annotator, by_annotator, f"{server.url} project {project}")


def _annotator_sets(dir_a: Path, dir_b: Path, root: Path | None) -> tuple[str, Any, str, Any]:
    """Both folders loaded as partial work, named after the folders (their e-mails after a pull)."""
    from ..paths import distinct_folders
    from ..validate import load_gold

    distinct_folders((dir_a, dir_b), "two annotators' folders")
    a, b = dir_a.name or str(dir_a), dir_b.name or str(dir_b)
    if a == b:
        a, b = str(dir_a), str(dir_b)
    problems = []
    sets = []
    for folder in (dir_a, dir_b):
        try:
            sets.append(load_gold(root, folder, partial=True))
        except ValidationError as exc:
            problems += exc.problems
    if problems:
        raise ValidationError(problems)
    return a, sets[0], b, sets[1]


@ls_group.command(name="adjudicate")
@click.argument("dir_a", type=click.Path(file_okay=False, path_type=Path))
@click.argument("dir_b", type=click.Path(file_okay=False, path_type=Path))
@ls_url
@ls_key
@click.option(
    "--project",
    "title",
    default="newsgold review",
    show_default=True,
    help="Title of the new review project (without --pull).",
)
@click.option(
    "--pull",
    "pull_project",
    type=int,
    default=None,
    help="Read the reviews back from this review project id and write the adjudicated gold.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --pull: the folder for the adjudicated gold and its record (adjudication/).",
)
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@root_option
@handle_errors
def ls_adjudicate(
    dir_a: Path,
    dir_b: Path,
    url: str,
    api_key: str,
    title: str,
    pull_project: int | None,
    out_dir: Path | None,
    no_progress: bool,
    root: Path | None,
) -> None:
    """Adjudicate two annotators' folders through a review project.

    Without --pull: the documents both annotated are compared; those with a
    disagreement go to a new review project, one task each with both readings
    as predictions (model version: the folder name, the annotator's e-mail
    after `ls pull --by-annotator`) and a header listing every disagreement.
    Prints the project id.

    With --pull PROJECT --out GOLD: writes the adjudicated gold (the documents
    both annotated identically, and every reviewed one as the reviewer
    submitted it) and GOLD/adjudication/decisions.json and decisions.md, the
    record of every decision: item, reading A, reading B, chosen, by whom.
    Documents not reviewed yet are reported and left out.
    """
    from ..labelstudio.adjudicate import plan_review, review_tasks

    a, gold_a, b, gold_b = _annotator_sets(dir_a, dir_b, root)
    plan = plan_review(a, gold_a.docs, b, gold_b.docs)
    for doc_id, who in plan.alone.items():
        err.print(
            f"[yellow]warning[/yellow]: {escape(doc_id)}: annotated by {escape(who)} only: "
            "not adjudicated"
        )
    if pull_project is not None:
        if out_dir is None:
            raise UsageError("--pull needs --out GOLD, the folder for the adjudicated gold")
        from ..paths import check_outputs

        # the next --pull reads both folders again: neither may be overwritten
        check_outputs({"--out": out_dir}, [dir_a, dir_b])
        _adjudicate_pull(plan, url, api_key, pull_project, out_dir, root)
        return
    if out_dir is not None:
        raise UsageError("--out goes with --pull (the gold is written when the reviews come back)")
    from ..convert.label_studio import labeling_config
    from ..ls_client import Server

    tasks = review_tasks(plan, gold_a.kb)
    if not tasks:
        err.print(
            f"[green]ok[/green]: {a} and {b} agree on all {len(plan.agreed)} documents they "
            "share: nothing to review (either folder is the adjudicated gold)"
        )
        return
    with Server(url, api_key) as server:
        pid, ids = server.push(title, labeling_config(gold_a.kb), tasks, progress=not no_progress)
    click.echo(str(pid))
    err.print(
        f"[green]ok[/green]: {len(plan.agreed)} documents agreed; {len(ids)} with disagreements "
        f"({sum(len(r.disagreements) for r in plan.review)} in all) pushed to review project "
        + escape(f"{pid} at {server.url}/projects/{pid}")
    )


def _adjudicate_pull(
    plan: Any, url: str, api_key: str, project: int, out_dir: Path, root: Path | None
) -> None:
    from ..jsonio import Paths, dumps_json, find_root, write_files_atomically
    from ..labelstudio.adjudicate import adjudicated, to_record_markdown
    from ..labelstudio.files import documents_to_files
    from ..ls_client import Server, read_kb
    from ..paths import ensure_writable

    ensure_writable(out_dir, "the adjudicated gold")
    with Server(url, api_key) as server:
        tasks = server.export(project)
    source = f"{server.url} project {project}"
    result = adjudicated(plan, tasks, kb=read_kb(root), project=project, source=source)
    files, _, seed_problems = documents_to_files(
        {None: list(result.documents.values())},
        out_dir,
        Paths(root or find_root()).seeds,
        by_annotator=False,
        source=source,
    )
    record_dir = out_dir / "adjudication"
    files[record_dir / "decisions.json"] = dumps_json(result.record)
    files[record_dir / "decisions.md"] = to_record_markdown(result.record)
    for doc_id in result.awaiting:
        err.print(f"[yellow]warning[/yellow]: {escape(doc_id)}: awaiting review: left out")
    write_files_atomically(files, within=out_dir)
    err.print(
        f"[green]ok[/green]: wrote {len(files) - 2} adjudicated gold files and "
        f"{len(result.record['decisions'])} decisions to {escape(str(record_dir))}"
    )
    problems = [*result.problems, *seed_problems]
    if problems:
        raise ValidationError(problems)
