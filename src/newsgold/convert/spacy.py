"""spaCy ``Doc`` and ``DocBin`` as entity predictions (spaCy is imported only when used).

``doc.ents`` become entities with spaCy's own character offsets
(``start_char``/``end_char``: code points, end exclusive, as in newsgold) and
``label_`` as the label (OntoNotes for the English pipelines: score with the
``ontonotes`` scheme). A ``Doc`` is matched to its gold document by
``doc.user_data["doc_id"]`` when set, else by its text, which must be exactly
one gold document's text.

>>> from newsgold.model import Document
>>> from newsgold.model import Gold
>>> import spacy  # doctest: +SKIP
>>> nlp = spacy.blank("en")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import NewsgoldError, Problem, ValidationError, short
from ..model import Entity, Gold, Prediction


def _require_spacy() -> Any:
    try:
        import spacy
    except ImportError:
        raise NewsgoldError(
            "spaCy is not installed (expected `pip install spacy` to read Doc/DocBin predictions)"
        ) from None
    return spacy


def from_doc(doc: Any, doc_id: str) -> Prediction:
    """One spaCy ``Doc``'s entities as a prediction.

    Args:
        doc: a ``spacy.tokens.Doc``.
        doc_id: the gold document it is about.

    Returns:
        The prediction (entities only).
    """
    return Prediction(
        doc_id,
        entities=tuple(Entity(e.start_char, e.end_char, e.text, e.label_) for e in doc.ents),
    )


def from_docs(docs: Iterable[Any], gold: Gold, *, source: str = "<spacy>") -> list[Prediction]:
    """Several ``Doc`` objects as predictions, each matched to its gold document.

    Args:
        docs: the ``Doc`` objects.
        gold: the gold.
        source: the file name for problems.

    Returns:
        One prediction per ``Doc``.

    Raises:
        ValidationError: a ``Doc`` whose id or text matches no gold document, or
            a document given twice.
    """
    by_text: dict[str, list[str]] = {}
    for d in gold.docs.values():
        by_text.setdefault(d.text, []).append(d.doc_id)
    problems: list[Problem] = []
    out: list[Prediction] = []
    seen: set[str] = set()
    for i, doc in enumerate(docs):
        doc_id = doc.user_data.get("doc_id") if hasattr(doc, "user_data") else None
        if doc_id is None:
            hits = by_text.get(doc.text, [])
            if len(hits) != 1:
                problems.append(
                    Problem(
                        source,
                        None,
                        f"$[{i}]",
                        f"Doc text {short(doc.text[:40])} is {'no' if not hits else 'more than one'} gold document's text (set doc.user_data['doc_id'])",
                    )
                )
                continue
            doc_id = hits[0]
        if doc_id not in gold.docs:
            problems.append(Problem(source, None, f"$[{i}]", f"unknown doc_id {short(doc_id)}"))
            continue
        if gold.docs[doc_id].text != doc.text:
            problems.append(
                Problem(
                    source,
                    None,
                    f"$[{i}]",
                    f"the Doc's text differs from the text of {doc_id} (expected the gold text, untouched)",
                )
            )
            continue
        if doc_id in seen:
            problems.append(Problem(source, None, f"$[{i}]", f"duplicate doc_id {short(doc_id)}"))
            continue
        seen.add(doc_id)
        out.append(from_doc(doc, doc_id))
    if problems:
        raise ValidationError(problems)
    return out


def from_docbin(data: bytes, gold: Gold, *, source: str = "<spacy>") -> list[Prediction]:
    """A serialized ``DocBin`` (a ``.spacy`` file's bytes) as predictions.

    Args:
        data: the bytes.
        gold: the gold.
        source: the file name for problems.

    Returns:
        One prediction per ``Doc``.

    Raises:
        NewsgoldError: spaCy is not installed.
        ValidationError: bytes that are not a DocBin, or Docs that match no gold document.
    """
    spacy = _require_spacy()
    from spacy.tokens import DocBin

    try:
        docbin = DocBin(store_user_data=True).from_bytes(data)
    except Exception as exc:  # spaCy raises several types for bad bytes
        raise ValidationError(
            [Problem(source, None, "$", f"not a spaCy DocBin ({type(exc).__name__}: {exc})")]
        ) from None
    vocab = spacy.blank("xx").vocab
    return from_docs(list(docbin.get_docs(vocab)), gold, source=source)
