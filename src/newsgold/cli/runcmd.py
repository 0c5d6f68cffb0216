"""``newsgold run``: run a system over the corpus."""

from __future__ import annotations

from pathlib import Path

import click

from ._app import (
    _command_formats,
    _emit,
    _layers,
    _Registered,
    _scheme_names,
    err,
    get_paths,
    handle_errors,
    main,
    out,
    root_option,
    unit_option,
)

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
    help='A program run once on the corpus: "prog {input} {output}" (docs/systems.md).',
)
@click.option(
    "--openai",
    "openai_url",
    metavar="URL",
    default=None,
    help="An OpenAI-compatible chat-completions endpoint (e.g. http://127.0.0.1:8000/v1); "
    "the API key is read from NEWSGOLD_API_KEY or OPENAI_API_KEY.",
)
@click.option("--model", default=None, help="--openai only: the model name sent in each request.")
@click.option(
    "--prompt",
    "prompt_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="--openai only: a prompt template replacing the default ({text} and {dct} are filled in).",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="--openai only: a folder of cached responses (a rerun sends no request for them).",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=None,
    help="--openai only: further attempts after a timeout, a connection failure, 429 or 5xx [default: 3].",
)
@click.option(
    "--each-occurrence",
    is_flag=True,
    help="--openai or --python answering with strings: align each distinct string to every occurrence.",
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
    type=float,
    default=None,
    help="--cmd: stop the command after this many seconds; --openai: wait this long for each answer [default: 120].",
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
@unit_option
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@root_option
@handle_errors
def run_system(
    spacy_model: str | None,
    hf_path: str | None,
    python_spec: str | None,
    command: str | None,
    openai_url: str | None,
    model: str | None,
    prompt_file: Path | None,
    cache_dir: Path | None,
    retries: int | None,
    each_occurrence: bool,
    out_path: Path,
    do_score: bool,
    output_format: str | None,
    timeout: float | None,
    scheme: str,
    layers: str | None,
    json_out: str | None,
    n_bootstrap: int,
    seed: int,
    unit: str,
    no_progress: bool,
    root: Path | None,
) -> None:
    """Run a system over the corpus, write its predictions, and optionally score them.

    Give exactly one of --spacy, --hf, --python, --cmd or --openai. --cmd runs any
    program once: the corpus is written to a temporary folder ({input}: one
    <doc_id>.txt per document, dct.tsv, manifest.json) and the program writes
    newsgold JSONL, brat .ann or TimeML files to {output}. --openai URL --model
    NAME sends each document to a chat-completions endpoint with the schema of
    `newsgold schema llm` as response format, aligns the strings it answers to
    the text, keeps the raw responses (PRED.responses.jsonl) and the answers
    (PRED.mentions.jsonl) beside the predictions, and records token counts and
    cost. The report records documents per second.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..evaluate import (
        SystemRun,
        keep_layers,
        load_system,
        predict,
        score_run,
        write_predictions,
    )
    from ..report import corpus_version, to_table
    from ..validate import load_gold

    given = [
        (flag, value)
        for flag, value in (
            ("--spacy", spacy_model),
            ("--hf", hf_path),
            ("--python", python_spec),
            ("--cmd", command),
            ("--openai", openai_url),
        )
        if value is not None
    ]
    if len(given) != 1:
        raise click.UsageError(
            "give exactly one of --spacy MODEL, --hf PATH, --python MODULE:FUNCTION, --cmd COMMAND, "
            "--openai URL" + (f" (got {', '.join(f for f, _ in given)})" if given else "")
        )
    if command is None and output_format is not None:
        raise click.UsageError("--output-format applies to --cmd only")
    if command is None and openai_url is None and timeout is not None:
        raise click.UsageError("--timeout applies to --cmd and --openai only")
    from ..procgroup import check_timeout

    check_timeout(timeout)  # one line for nan, inf, 0 and negative (click's range lets nan in)
    if openai_url is None and (
        model is not None or prompt_file is not None or cache_dir is not None or retries is not None
    ):
        raise click.UsageError("--model, --prompt, --cache and --retries apply to --openai only")
    if openai_url is not None and model is None:
        raise click.UsageError("--openai needs --model NAME")
    if each_occurrence and openai_url is None and python_spec is None:
        raise click.UsageError("--each-occurrence applies to --openai and --python only")
    if not do_score and (json_out is not None):
        raise click.UsageError("--json needs --score")
    project = get_paths(root)
    from ..paths import check_outputs, real_path

    check_outputs(
        {"--out": out_path, "--json": json_out},
        [p for p in (prompt_file,) if p is not None],
        [project.annotations, project.seeds],
    )
    if json_out not in (None, "-") and real_path(Path(json_out)) == real_path(out_path):
        from ..errors import NewsgoldError

        raise NewsgoldError(f"--json {json_out}: is also --out (expected two files)")
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
            from ..runner import run_command

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
        elif openai_url is not None and model is not None:
            from ..jsonio import read_text
            from ..llm import ChatSystem, run_endpoint

            chat = ChatSystem(
                openai_url,
                model,
                prompt=None if prompt_file is None else read_text(prompt_file),
                cache=cache_dir,
                timeout=120.0 if timeout is None else timeout,
                retries=3 if retries is None else retries,
            )
            system_run = run_endpoint(
                chat,
                gold.docs,
                layers=wanted,
                each_occurrence=each_occurrence,
                on_document=advance,
            )
        else:
            kind, spec = next((f.lstrip("-"), v) for f, v in given)
            system = load_system(kind, str(spec))
            system_run = predict(
                system,
                gold.docs,
                layers=wanted,
                on_document=advance,
                each_occurrence=each_occurrence,
            )
    write_predictions(out_path, system_run.predictions)
    if openai_url is not None:
        from ..llm import write_side_files

        responses_path, mentions_path = write_side_files(out_path, chat, sorted(gold.docs))
        fields = system_run.extra
        err.print(
            f"wrote the raw responses to {responses_path} and the answers to {mentions_path} "
            f"({fields['requests']} requests, {fields['cache_hits']} from the cache)",
            markup=False,
        )
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
        unit=unit,
        corpus_version=corpus_version(project.root),
    )
    if not _emit(report, json_out, lambda: to_table(report)):
        return
    out.print(
        f"system: {system_run.kind} {system_run.name}, {len(system_run.predictions)} documents in "
        f"{system_run.seconds:.2f} s" + (f" ({rate:.1f} documents/s)" if rate is not None else ""),
        markup=False,
    )
    if system_run.alignment is not None:
        from ..mentions import summary

        out.print(summary(system_run.alignment), markup=False)
