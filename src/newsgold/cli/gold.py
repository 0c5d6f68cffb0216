"""``newsgold validate``, ``stats``, ``build`` and ``publish``: the gold and the dataset."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ..errors import MAX_LISTED, CappedProblems, ValidationError
from ._app import (
    Failure,
    _Registered,
    _scheme_names,
    echo_json,
    err,
    get_paths,
    handle_errors,
    main,
    out,
    root_option,
)

# --------------------------------------------------------------------------- validate


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--predictions",
    "as_predictions",
    is_flag=True,
    help="Treat every PATH as a predictions JSONL file.",
)
@click.option(
    "--scheme",
    type=_Registered(_scheme_names),
    default="newsgold",
    show_default=True,
    help="With predictions: the label scheme their entity labels must belong to (as score checks).",
)
@root_option
@handle_errors
def validate(paths: tuple[Path, ...], as_predictions: bool, scheme: str, root: Path | None) -> None:
    """Validate the gold, or the given files.

    With no PATH: every gold document in annotations/, the KB and the seed
    manifest, checked against seeds/. A PATH may be a gold document, a KB
    (kb.json), a folder of gold documents (such as annotations/second_pass) or,
    with --predictions or a .jsonl name, a predictions file. Prints every
    problem, one a line (FILE[:LINE]: $.json.path: message), and exits 1 if
    there are any.
    """
    from ..scoring.schemes import get_scheme
    from ..validate import validate_document, validate_gold, validate_kb, validate_predictions

    project = get_paths(root)
    problems = CappedProblems(MAX_LISTED)
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
            # the one check score and the leaderboard run: a file that validates is a file they accept
            found = validate_predictions(path, gold, labels=get_scheme(scheme).accepted)
            problems += found
            problems.stopped |= getattr(found, "stopped", False)
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
    from ..stats import gold_stats
    from ..validate import load_gold

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


# --------------------------------------------------------------------------- info


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
@root_option
@handle_errors
def info(as_json: bool, root: Path | None) -> None:
    """Which gold is in use: a clone or the installed package, its path, versions and sha256.

    Outside a clone (and without NEWSGOLD_ROOT or --root) newsgold reads the
    gold installed with the package, read-only; inside a clone, the clone's
    own files. The gold sha256 is the one every score report quotes.
    """
    from .. import __version__
    from ..paths import is_packaged, recorded_gold_sha256
    from ..report import corpus_version
    from ..scoring import SCORER_VERSION
    from ..validate import load_gold

    project = get_paths(root)
    gold = load_gold(project.root)
    recorded = recorded_gold_sha256(project.root)
    data = {
        "source": "installed package" if is_packaged(project.root) else "clone",
        "root": str(project.root.resolve()),
        "read_only": is_packaged(project.root),
        "corpus_version": corpus_version(project.root),
        "gold_sha256": gold.sha256,
        "corpus_built_from_this_gold": recorded == gold.sha256,
        "documents": len(gold.docs),
        "package_version": __version__,
        "scorer_version": SCORER_VERSION,
    }
    if as_json:
        echo_json(data)
        return
    for key, value in data.items():
        out.print(f"{key.replace('_', ' ')}: {escape(str(value))}")


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
    from ..corpus import build_corpus, read_inputs, stale_files, write_corpus
    from ..paths import ensure_writable
    from ..validate import load_gold

    project = get_paths(root)
    folder = out if out is not None else project.corpus
    if not check:
        ensure_writable(folder, "the corpus")
    gold = load_gold(project.root)
    changelog, agreement = read_inputs(project.root, folder)
    built = build_corpus(gold, changelog, agreement, str(folder / "CHANGELOG.md"))
    if check:
        stale = stale_files(folder, built)
        if stale:
            raise Failure(
                "\n".join(f"{folder}/{line}" for line in stale)
                + f"\nerror: {folder} is stale: run `newsgold build` and commit it"
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
    from ..corpus import build_corpus, read_inputs, stale_files
    from ..hub import execute, plan_publish, render_plan
    from ..validate import load_gold

    project = get_paths(root)
    folder = corpus_path if corpus_path is not None else project.corpus
    plan = plan_publish(folder, repo_id, tag, private=private)
    gold = load_gold(project.root)
    stale = stale_files(folder, build_corpus(gold, *read_inputs(project.root, folder)))
    if stale:
        raise Failure(
            "\n".join(f"{folder}/{line}" for line in stale)
            + f"\nerror: {folder} is stale: run `newsgold build`, commit, then publish"
        )
    if as_json:
        echo_json({"dry_run": dry_run, "operations": plan.operations()})
    elif dry_run:
        click.echo(render_plan(plan))
    if dry_run:
        return
    url = execute(plan)
    err.print(f"[green]published[/green] {escape(url)}")
