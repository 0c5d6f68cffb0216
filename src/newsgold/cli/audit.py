"""``newsgold audit``: the review queue of gold annotations the bundled systems contradict."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.text import Text

from ._app import Failure, err, get_paths, handle_errors, main, out, root_option


@main.command()
@click.option(
    "--submissions",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The folder of submissions, one subfolder per system (default: eval/submissions).",
)
@click.option(
    "-k",
    "k",
    type=int,
    default=2,
    show_default=True,
    help="How many systems must contradict the gold the same way (1 … the number of systems).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write AUDIT.md and audit.html (default: eval/audit).",
)
@click.option(
    "--label-studio",
    "ls_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write Label Studio tasks of the contested documents, each system's reading "
    "as a prediction (model version: its system id).",
)
@root_option
@handle_errors
def audit(
    submissions: Path | None, k: int, out_dir: Path | None, ls_file: Path | None, root: Path | None
) -> None:
    """Audit the gold against the bundled systems: write a review queue of what k of them contradict.

    An item is a gold annotation, or a gap in the gold, that at least k of the
    systems predicting its layer contradict the same way: a gold span they all
    leave unmatched while overlapping it (missed by all), a span and label they
    predict where the gold has nothing (absent from the gold), or a gold span
    they match with the same other boundaries, label/type/kind or date value
    (same other reading). Systems are read through their scheme's projection
    and matched as the scorer matches. The queue is written as Markdown and
    HTML; review each item against annotations/GUIDELINES.md.
    """
    import json

    from ..audit import System, check_k, counts, label_studio_tasks, to_html, to_markdown
    from ..audit import audit as run_audit
    from ..jsonio import write_files_atomically
    from ..leaderboard import (
        CappedProblems,
        Invalid,
        check_submission,
        discover,
        stream_predictions,
    )
    from ..paths import ensure_writable
    from ..report import corpus_version
    from ..validate import load_gold

    project = get_paths(root)
    subs = submissions if submissions is not None else project.eval / "submissions"
    dest = out_dir if out_dir is not None else project.eval / "audit"
    ensure_writable(dest, "the audit")
    entries = discover(subs)
    check_k(k, len(entries))  # fail fast, before reading any prediction
    gold = load_gold(project.root)
    systems: list[System] = []
    invalid: list[str] = []
    version = corpus_version(project.root)
    for entry in entries:
        # the board's own check (gold sha256 and corpus version included), then the predictions
        sub = check_submission(entry, subs, gold, corpus_version=version)
        problems = list(sub.problems) if isinstance(sub, Invalid) else []
        if not isinstance(sub, Invalid):
            found = CappedProblems()
            preds = {p.doc_id: p for p in stream_predictions(sub, gold, found)}
            problems = found.lines()  # the file changed since it was checked
        if isinstance(sub, Invalid) or problems:
            invalid += [f"invalid submission {entry.name!r}: {p}" for p in problems]
        else:
            systems.append(System(sub.system_id, sub.scheme, sub.layers, preds))
    if invalid:
        raise Failure(
            "\n".join(invalid) + "\n(expected every submission valid: see newsgold leaderboard)"
        )
    items = run_audit(gold, systems, k)
    files: dict[Path, str] = {
        dest / "AUDIT.md": to_markdown(items, systems, k),
        dest / "audit.html": to_html(items, systems, k),
    }
    if ls_file is not None:
        tasks = label_studio_tasks(gold, systems, items)
        files[ls_file] = json.dumps(tasks, indent=2, ensure_ascii=False) + "\n"
    write_files_atomically(files)
    for (kind, layer), n in counts(items).items():
        out.print(Text(f"{kind:14} {layer:9} {n:4d}"))
    err.print(
        f"[green]ok[/green]: {len(items)} item{'s' * (len(items) != 1)} at k={k} against "
        f"{len(systems)} systems; wrote " + escape(", ".join(str(p) for p in files))
    )
