"""The configs of the corpus and their ``datasets`` features (the schema of the parquet files and card)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import NewsgoldError
from ..model import DATE_TYPES, ENTITY_LABELS

if TYPE_CHECKING:  # pragma: no cover
    import datasets  # type: ignore[import-untyped]

#: The configs of the dataset, the default first.
CONFIGS: tuple[str, ...] = ("documents", "entities", "dates", "quotes", "tokens", "kb")
#: The only split: newsgold is an evaluation benchmark, there is no training data.
SPLIT = "test"
#: IOB2 tag names of ``ner_tags`` (ClassLabel order is part of the corpus version).
NER_TAGS: tuple[str, ...] = ("O", *(f"{p}-{lab}" for lab in ENTITY_LABELS for p in "BI"))
#: IOB2 tag names of ``date_tags``.
DATE_TAGS: tuple[str, ...] = ("O", *(f"{p}-{t}" for t in DATE_TYPES for p in "BI"))


def features(config: str) -> datasets.Features:
    """The ``datasets`` features of a config (the schema of its parquet file and card).

    Args:
        config: one of :data:`CONFIGS`.

    Returns:
        The features; ``ner_tags``/``date_tags`` are lists of ``ClassLabel``.
        Entities and dates (nested in ``documents`` and flat) carry
        ``alternatives``, a list of ``{start, end, text}``; a quote's ``kind``
        is a plain string (``direct``, ``partial`` or ``indirect``).

    >>> features("tokens")["ner_tags"].feature.names[:3]
    ['O', 'B-PER', 'I-PER']
    >>> list(features("entities")["alternatives"].feature)
    ['start', 'end', 'text']
    """
    from datasets import ClassLabel, Features, List, Value

    def span() -> dict[str, Any]:
        return {"start": Value("int32"), "end": Value("int32"), "text": Value("string")}

    # gold 2.0: further extents that also count as boundary-correct (empty list when none)
    alternatives = {"alternatives": List(span())}
    entity = {**span(), "label": Value("string"), "kb_id": Value("string"), **alternatives}
    date = {
        **span(),
        "type": Value("string"),
        "value": Value("string"),
        "mod": Value("string"),
        **alternatives,
    }
    quote = {
        **span(),
        "kind": Value("string"),
        "speaker": Value("string"),
        "cue": span(),
    }
    doc_id = {"doc_id": Value("string")}
    if config == "documents":
        return Features(
            {
                **doc_id,
                "text": Value("string"),
                "text_sha256": Value("string"),
                "dct": Value("string"),
                "dct_reason": Value("string"),
                "entities": List(entity),
                "dates": List(date),
                "quotes": List(quote),
            }
        )
    if config == "entities":
        return Features({**doc_id, **entity})
    if config == "dates":
        return Features({**doc_id, **date})
    if config == "quotes":
        return Features({**doc_id, **quote})
    if config == "tokens":
        return Features(
            {
                **doc_id,
                "sentence": Value("int32"),
                "tokens": List(Value("string")),
                "starts": List(Value("int32")),
                "ends": List(Value("int32")),
                "ner_tags": List(ClassLabel(names=list(NER_TAGS))),
                "date_tags": List(ClassLabel(names=list(DATE_TAGS))),
            }
        )
    if config == "kb":
        return Features(
            {
                "kb_id": Value("string"),
                "name": Value("string"),
                "label": Value("string"),
                "aliases": List(Value("string")),
            }
        )
    raise NewsgoldError(f"unknown config {config!r} (expected one of {', '.join(CONFIGS)})")
