"""``newsgold score``, ``compare`` and ``agree``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from ..errors import MAX_LISTED, CappedProblems, Problem, UsageError, ValidationError
from ..paths import check_outputs, distinct_folders
from ._app import (
    _emit,
    _layers,
    _score_options,
    _write_or_print,
    bootstrap_options,
    err,
    get_paths,
    handle_errors,
    json_out_option,
    main,
    out,
    root_option,
    unit_option,
)

# --------------------------------------------------------------------------- scoring (issue 5)


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
@click.option(
    "--each-occurrence",
    is_flag=True,
    help="--format mentions only: align each distinct string to every occurrence in the text.",
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
    each_occurrence: bool,
    n_bootstrap: int,
    seed: int,
    unit: str,
    root: Path | None,
) -> None:
    """Score a system's predictions PRED against the gold.

    Prints a table of precision, recall and F1 with bootstrap 95% intervals;
    --json writes the stable report object (corpus version, gold sha256, scorer
    and metric versions). A gold document missing from PRED counts as
    predicting nothing, with a warning (an error with --strict). With
    --format mentions (strings without offsets, as an LLM answers) the strings
    are aligned to the text first and the report gains an alignment section.
    """
    from ..mentions import aligning, with_alignment
    from ..report import corpus_version, to_html, to_table
    from ..scoring import score_file
    from ..validate import load_gold

    if each_occurrence and fmt != "mentions":
        raise click.UsageError("--each-occurrence applies to --format mentions only")
    project = get_paths(root)
    check_outputs(
        {"--json": json_out, "--html": html_out}, [pred], [project.annotations, project.seeds]
    )
    gold = load_gold(project.root)
    kept: list[Any] | None = [] if html_out is not None else None
    with aligning(each_occurrence) as aligner:
        report = score_file(
            gold,
            pred,
            format=fmt,
            layers=_layers(layers),
            scheme=scheme,
            n_bootstrap=n_bootstrap,
            seed=seed,
            unit=unit,
            corpus_version=corpus_version(project.root),
            keep=kept,
        )
    if aligner.documents:
        report = with_alignment(report, aligner)
    if strict and report.missing_doc_ids:
        raise ValidationError(
            [
                Problem(str(pred), None, "$", f"no prediction for document {d!r} (--strict)")
                for d in report.missing_doc_ids
            ]
        )
    if html_out is not None:
        from ..jsonio import atomic_write

        atomic_write(html_out, to_html(report, gold, kept or []))
    if _emit(report, json_out, lambda: to_table(report)) and "alignment" in report.data:
        from ..mentions import summary

        out.print(summary(report.data["alignment"]), markup=False)


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
@unit_option
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
    unit: str,
    root: Path | None,
) -> None:
    """Compare two systems A and B on the gold with a paired significance test.

    Prints which file is A and which is B, then for each headline figure: A, B,
    A − B with its paired-bootstrap 95% interval, the p-value of an approximate
    randomisation test over --unit (exact with 16 units or fewer), and the
    minimum detectable effect (80% power, alpha 0.05, normal formula on the
    bootstrap's standard error). Says so when the unit count makes p < 0.05
    impossible (five documents: p ≥ 0.0625).
    """
    from ..formats import read_records
    from ..report import comparison_table
    from ..scoring import checked_predictions, get_scheme
    from ..scoring import compare as compare_predictions
    from ..validate import load_gold

    project = get_paths(root)
    check_outputs({"--json": json_out}, [pred_a, pred_b], [project.annotations, project.seeds])
    gold = load_gold(project.root)
    sch = get_scheme(scheme)
    problems: list[Problem] = CappedProblems(MAX_LISTED, stop=True)
    a = checked_predictions(read_records(pred_a, fmt, gold), gold, sch, str(pred_a), problems)
    b = checked_predictions(read_records(pred_b, fmt, gold), gold, sch, str(pred_b), problems)
    if problems:
        raise ValidationError(problems)
    result = compare_predictions(
        gold,
        a,
        b,
        layers=_layers(layers),
        scheme=sch,
        n_resamples=resamples,
        seed=seed,
        unit=unit,
        names=(str(pred_a), str(pred_b)),
    )
    if not _emit(result, json_out, lambda: comparison_table(result)):
        return


@main.command()
@click.argument("dirs", metavar="DIR_A DIR_B [DIR ...]", nargs=-1, type=click.Path(path_type=Path))
@click.option("--layers", default=None, help="Comma-separated layers (default: all three).")
@click.option(
    "--docs",
    default=None,
    help="Comma-separated doc_ids: only these documents (default: every document a pair shares).",
)
@click.option(
    "--json",
    "json_out",
    metavar="OUT|-",
    default=None,
    help="Write the agreement as JSON to OUT (- for stdout): pairs, summary, disagreements.",
)
@click.option(
    "--html",
    "html_out",
    metavar="OUT",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the agreement and its disagreements as an HTML page.",
)
@bootstrap_options
@root_option
@handle_errors
def agree(
    dirs: tuple[Path, ...],
    layers: str | None,
    docs: str | None,
    json_out: str | None,
    html_out: Path | None,
    n_bootstrap: int,
    seed: int,
    unit: str,
    root: Path | None,
) -> None:
    """Inter-annotator agreement of two or more annotation folders, per pair and per layer.

    Each folder holds one annotator's gold documents (any subset of the
    documents, validated like the gold; KB entries an annotator did not use are
    fine). Every pair is scored on the documents both annotated: pairwise
    strict F1 per layer (entities by span and label, dates and quotes by span),
    with the first folder of the pair as reference (swapping them swaps P and R
    only). With more than two folders, the mean and the worst pair per layer.
    Prints Markdown with every disagreement (document, text, both readings).
    """
    from ..agreement import LAYER_NAMES, pairwise_agreement, to_html, to_markdown
    from ..jsonio import atomic_write, dumps_json
    from ..report import corpus_version
    from ..validate import load_gold

    if len(dirs) < 2:
        raise UsageError("agree needs at least two annotation folders (DIR_A DIR_B)")
    names = [str(d) for d in dirs]
    distinct_folders(dirs, "different annotators' folders")
    project = get_paths(root)
    check_outputs(
        {"--json": json_out, "--html": html_out}, list(dirs), [project.annotations, project.seeds]
    )
    problems: list[Problem] = []
    sets = {}
    for name, folder in zip(names, dirs, strict=True):
        try:
            sets[name] = load_gold(project.root, folder, partial=True)
        except ValidationError as exc:
            problems += exc.problems
    if problems:
        raise ValidationError(problems)
    result = pairwise_agreement(
        sets,
        layers=_layers(layers) or LAYER_NAMES,
        doc_ids=_layers(docs),
        n_bootstrap=n_bootstrap,
        seed=seed,
        unit=unit,
        corpus_version=corpus_version(project.root),
    )
    for w in result.warnings:
        err.print(f"[yellow]warning[/yellow]: {escape(w)}", markup=True, highlight=False)
    if html_out is not None:
        atomic_write(html_out, to_html(result))
    _write_or_print(json_out, dumps_json(result.to_json()))
    if json_out != "-":
        click.echo(to_markdown(result), nl=False)
