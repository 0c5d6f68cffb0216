"""``newsgold score``, ``compare`` and ``agree``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..errors import MAX_LISTED, CappedProblems, Problem, ValidationError
from ..paths import check_outputs
from ._app import (
    _emit,
    _layers,
    _score_options,
    bootstrap_options,
    get_paths,
    handle_errors,
    json_out_option,
    main,
    out,
    root_option,
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
    from ..report import corpus_version, to_table
    from ..scoring import agree as agree_sets
    from ..validate import load_gold

    project = get_paths(root)
    check_outputs({"--json": json_out}, [dir_a, dir_b], [project.annotations, project.seeds])
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
