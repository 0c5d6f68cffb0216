"""``newsgold schema``: print a JSON Schema (``llm``: the response format for language models)."""

from __future__ import annotations

import click

from ._app import handle_errors, main

_NAMES = ("llm", "predictions", "submission", "document", "kb")


@main.command("schema")
@click.argument("name", type=click.Choice(_NAMES))
@handle_errors
def schema(name: str) -> None:
    """Print the JSON Schema NAME.

    `newsgold schema llm` is the structured output asked of a language model
    (entities, dates and quotes as strings copied from the text, with their
    labels, TIMEX3 types and values, quote kinds, speakers and cues), ready to
    pass as the response format of any API that accepts JSON Schema; newsgold
    aligns the strings to the text. The others describe newsgold's files.
    """
    import json

    from ..schema import load_schema

    click.echo(json.dumps(load_schema(name), indent=2, ensure_ascii=False))
