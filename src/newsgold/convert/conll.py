"""CoNLL-2003 style BIO columns, aligned to the document text.

One token a line, whitespace-separated columns, the token first and its tag
last (``Putin NNP B-NP B-PER``; two columns are fine); a blank line ends a
sentence. A line ``-DOCSTART- <doc_id>`` starts each document; with the
original ``-DOCSTART- -X- -X- O`` the documents must come in ``doc_id`` order
and all of them must be there. Tags are BIO (IOB1 or IOB2, read as conlleval
does: an ``I-X`` after ``O`` or another type starts an entity).

Tokens carry no offsets, so they are aligned to the text: each token must be
the next non-space stretch of the document text exactly, else the error names
the line, the token and what the text holds there. Nothing is skipped or
guessed; tokens may be glued to their neighbours in the text (``Russia’s`` →
``Russia`` ``’s``).

>>> from newsgold.model import Document
>>> from newsgold.model import Gold
>>> gold = Gold({"d1": Document("d1", "US President Joe Biden", "2021-12-30", "r")}, ())
>>> text = "-DOCSTART- d1\\nUS B-LOC\\nPresident O\\nJoe B-PER\\nBiden I-PER\\n"
>>> [(e.start, e.end, e.label) for e in from_conll(text, gold)[0].entities]
[(0, 2, 'LOC'), (13, 22, 'PER')]
"""

from __future__ import annotations

from ..errors import Problem, ValidationError, short
from ..model import Entity, Gold, Prediction


def _spans(tags: list[tuple[int, int, str, int]]) -> list[tuple[int, int, str, int]]:
    """Entities from (start, end, tag, line) tokens, conlleval's chunk rules; each entity
    keeps the line of its first token."""
    out: list[tuple[int, int, str, int]] = []
    current: list[int | str] | None = None
    for start, end, tag, line in tags:
        prefix, _, label = tag.partition("-")
        if tag == "O" or prefix not in ("B", "I"):
            current = None
            continue
        if prefix == "B" or current is None or current[2] != label:
            current = [start, end, label]
            out.append((start, end, label, line))
        else:
            current[1] = end
            out[-1] = (int(current[0]), end, label, out[-1][3])
    return out


def from_conll(
    text: str,
    gold: Gold,
    *,
    source: str = "<conll>",
    lines: dict[str, tuple[int, list[int]]] | None = None,
) -> list[Prediction]:
    """Read BIO columns into one entity prediction per document.

    Args:
        text: the file's text.
        gold: the gold, whose texts the tokens are aligned to.
        source: the file name for problems.
        lines: when given, receives ``doc_id → (line of its -DOCSTART-, line of each
            entity's first token)``, so later problems can name lines.

    Returns:
        The predictions, in file order.

    Raises:
        ValidationError: every problem: a tag that is not BIO, a token that
            does not match the text, an unknown or repeated document, tokens
            before the first ``-DOCSTART-``, documents missing with ``-X-`` ids.
    """
    problems: list[Problem] = []
    docs: list[tuple[str, list[tuple[int, int, str, int]]]] = []
    starts: dict[str, int] = {}
    anonymous = 0
    order = list(gold.docs)
    doc_text: str | None = None
    pos = 0
    skip_doc = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        cols = line.split()
        if not cols:
            continue
        if cols[0] == "-DOCSTART-":
            doc_id = cols[1] if len(cols) > 1 and cols[1] != "-X-" else None
            if doc_id is None:
                if anonymous >= len(order):
                    problems.append(
                        Problem(
                            source,
                            lineno,
                            "$",
                            f"more -DOCSTART- lines than the {len(order)} gold documents",
                        )
                    )
                    skip_doc = True
                    continue
                doc_id = order[anonymous]
                anonymous += 1
            if doc_id not in gold.docs:
                problems.append(
                    Problem(
                        source,
                        lineno,
                        "$.doc_id",
                        f"unknown doc_id {short(doc_id)} (expected one of {', '.join(order[:3])}…)",
                    )
                )
                skip_doc = True
                continue
            if any(d == doc_id for d, _ in docs):
                problems.append(
                    Problem(
                        source,
                        lineno,
                        "$.doc_id",
                        f"duplicate doc_id {short(doc_id)} (expected each document once)",
                    )
                )
                skip_doc = True
                continue
            docs.append((doc_id, []))
            starts[doc_id] = lineno
            doc_text = gold.docs[doc_id].text
            pos = 0
            skip_doc = False
            continue
        if skip_doc:
            continue
        if doc_text is None:
            problems.append(
                Problem(
                    source,
                    lineno,
                    "$",
                    "token before the first -DOCSTART- line (expected '-DOCSTART- <doc_id>' first)",
                )
            )
            skip_doc = True
            continue
        if len(cols) < 2:
            problems.append(
                Problem(source, lineno, "$", f"got {short(line)}, expected 'TOKEN ... TAG' columns")
            )
            continue
        token, tag = cols[0], cols[-1]
        if tag != "O" and not (tag[:2] in ("B-", "I-") and len(tag) > 2):
            problems.append(
                Problem(
                    source, lineno, "$.tag", f"got {short(tag)}, expected O, B-<label> or I-<label>"
                )
            )
            continue
        while pos < len(doc_text) and doc_text[pos].isspace():
            pos += 1
        if doc_text.startswith(token, pos):
            docs[-1][1].append((pos, pos + len(token), tag, lineno))
            pos += len(token)
        else:
            found = doc_text[pos : pos + len(token)]
            problems.append(
                Problem(
                    source,
                    lineno,
                    "$.token",
                    f"token {short(token)} does not match the text of {docs[-1][0]} at offset {pos} (the text has {short(found)}; expected the tokens in text order, nothing left out)",
                )
            )
            skip_doc = True
    if anonymous and anonymous != len(order) and not problems:
        problems.append(
            Problem(
                source,
                None,
                "$",
                f"{anonymous} documents with -DOCSTART- -X- ids, expected all {len(order)} in doc_id order (or name each: -DOCSTART- <doc_id>)",
            )
        )
    if problems:
        raise ValidationError(problems)
    out = []
    for doc_id, tags in docs:
        spans = _spans(tags)
        if lines is not None:
            lines[doc_id] = (starts[doc_id], [line for *_, line in spans])
        out.append(
            Prediction(
                doc_id,
                entities=tuple(
                    Entity(s, e, gold.docs[doc_id].text[s:e], label) for s, e, label, _ in spans
                ),
            )
        )
    return out
