"""Submissions: discovery, the checks of their files, and the streaming and checking of their predictions.

Submissions are untrusted input; see :mod:`newsgold.leaderboard` for what makes one invalid.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CappedProblems, Problem, ValidationError, short
from ..jsonio import loads_json, read_text
from ..model import Gold, Prediction
from ..schema import schema_problems
from ..validate import iter_predictions
from .constants import LAYER_TITLES

SYSTEM_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
"""A system id: lowercase letters, digits, ``.``, ``_`` and ``-``, not starting with punctuation."""

MAX_SUBMISSION_BYTES = 1024 * 1024
"""Largest ``submission.json`` read (metadata only)."""


@dataclass(frozen=True)
class Submission:
    """A submission whose files passed every check.

    Attributes:
        system_id: its id (equal to its folder name).
        meta: the parsed ``submission.json``.
        predictions: the path of ``predictions.jsonl``.
        display: how to name the predictions file in messages (relative to the submissions folder).
    """

    system_id: str
    meta: Mapping[str, Any] = field(hash=False)
    predictions: Path
    display: str

    @property
    def scheme(self) -> str:
        """The label scheme of its entity labels (``newsgold`` unless declared)."""
        return str(self.meta.get("scheme", "newsgold"))

    @property
    def layers(self) -> tuple[str, ...]:
        """The layers it predicts, in the scorer's order."""
        declared = set(self.meta["layers"])
        return tuple(x for x in LAYER_TITLES if x in declared)


@dataclass(frozen=True)
class Invalid:
    """A submission left off the board.

    Attributes:
        folder: its folder name, as found (untrusted: escape it wherever shown).
        problems: every reason, one line each.
    """

    folder: str
    problems: tuple[str, ...]


def discover(submissions: Path) -> list[Path]:
    """The candidate submission entries of a folder, sorted by name (hidden entries skipped).

    Args:
        submissions: the submissions folder.

    Returns:
        Every entry that is not hidden, folders and anything else alike (a stray
        file is then reported as invalid, not ignored).

    Raises:
        ValidationError: when the folder does not exist.
    """
    if not submissions.is_dir():
        raise ValidationError(
            [
                Problem(
                    str(submissions), None, "$", "no such folder (expected a folder of submissions)"
                )
            ]
        )
    return sorted(
        (p for p in submissions.iterdir() if not p.name.startswith(".")), key=lambda p: p.name
    )


def shown_name(name: str) -> str:
    """A folder name as the file part of a problem line: as is when it is a system id,
    otherwise quoted with every space, control character and lone surrogate escaped.

    >>> shown_name("rules"), shown_name("Bad <Name>")
    ('rules', "'Bad\\\\x20<Name>'")
    """
    if SYSTEM_ID.fullmatch(name):
        return name
    text = short(name)
    return re.sub(r"\s", lambda m: f"\\x{ord(m.group()):02x}", text)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve(strict=True).relative_to(folder.resolve(strict=True))
    except (ValueError, OSError):
        return False
    return True


def check_files(entry: Path, submissions: Path) -> tuple[Submission | None, list[str]]:
    """Check a submission's folder and ``submission.json`` (not yet its predictions).

    Args:
        entry: ``<submissions>/<system_id>``.
        submissions: the submissions folder (nothing may resolve outside it).

    Returns:
        ``(submission or None, problems)``.
    """
    name = entry.name
    if not SYSTEM_ID.fullmatch(name):
        return None, [
            f"{shown_name(name)}: $: folder name is not a system id (expected [a-z0-9][a-z0-9._-]*, at most 64 characters)"
        ]
    if entry.is_symlink():
        return None, [
            f"{name}: $: is a symbolic link (expected a real folder inside the submissions folder)"
        ]
    if not entry.is_dir():
        return None, [
            f"{name}: $: not a folder (expected {name}/submission.json and {name}/predictions.jsonl)"
        ]
    problems: list[str] = []
    for file in ("submission.json", "predictions.jsonl"):
        path = entry / file
        if path.is_symlink():
            problems.append(f"{name}/{file}: $: is a symbolic link (expected a regular file)")
        elif not path.exists():
            problems.append(f"{name}/{file}: $: no such file")
        elif not path.is_file():
            problems.append(f"{name}/{file}: $: not a regular file")
        elif not _inside(path, submissions):
            problems.append(f"{name}/{file}: $: resolves outside the submissions folder")
    if problems:
        return None, problems
    display = f"{name}/submission.json"
    try:
        meta = loads_json(
            read_text(entry / "submission.json", max_bytes=MAX_SUBMISSION_BYTES, display=display),
            display,
        )
    except ValidationError as exc:
        return None, [str(p) for p in exc.problems]
    schema = schema_problems(meta, "submission", display)
    if schema:
        return None, [str(p) for p in schema]
    if meta["system_id"] != name:
        return None, [
            f"{display}: $.system_id: got {short(meta['system_id'])}, expected the folder name {name!r}"
        ]
    return Submission(name, meta, entry / "predictions.jsonl", f"{name}/predictions.jsonl"), []


def made_against_problems(submission: Submission, gold: Gold, corpus_version: str) -> list[str]:
    """Problems when a submission was not made against the current gold and corpus version.

    ``submission.json`` records the ``gold_sha256`` and ``corpus_version`` its
    predictions were checked against; a submission made against other gold is
    refused (its figures would not mean what the board says), naming both values.

    Args:
        submission: a submission whose files passed :func:`check_files`.
        gold: the current gold.
        corpus_version: the current ``corpus/VERSION``.

    Returns:
        One line per mismatch (none when both match).
    """
    display = f"{submission.system_id}/submission.json"
    out = []
    made = submission.meta["gold_sha256"]
    if made != gold.sha256:
        out.append(
            f"{display}: $.gold_sha256: made against gold {made}, but the current gold is "
            f"{gold.sha256} (expected the current gold's sha256: check the predictions "
            "against the current gold with `newsgold submission check` and record its sha256)"
        )
    version = submission.meta["corpus_version"]
    if version != corpus_version:
        out.append(
            f"{display}: $.corpus_version: made against corpus {short(version)}, but the current "
            f"corpus is {corpus_version} (expected the current corpus version)"
        )
    return out


def check_submission(
    entry: Path, submissions: Path, gold: Gold, *, corpus_version: str
) -> Submission | Invalid:
    """Every check of one submission: the one function the board and ``newsgold submission check`` call.

    Its folder and ``submission.json`` (:func:`check_files`), that it was made
    against the current gold (:func:`made_against_problems`), and every line of
    its predictions (:func:`stream_predictions`).

    Args:
        entry: ``<submissions>/<system_id>``.
        submissions: the submissions folder (nothing may resolve outside it).
        gold: the current gold.
        corpus_version: the current ``corpus/VERSION``.

    Returns:
        The :class:`Submission`, or :class:`Invalid` with every reason.
    """
    sub, problems = check_files(entry, submissions)
    if sub is not None:
        found = CappedProblems()
        for _ in stream_predictions(sub, gold, found):
            pass
        problems = made_against_problems(sub, gold, corpus_version) + found.lines()
    if sub is None or problems:
        return Invalid(entry.name, tuple(problems))
    return sub


def stream_predictions(
    submission: Submission, gold: Gold, problems: list[Problem]
) -> Iterator[Prediction]:
    """Stream a submission's valid predictions, collecting every problem.

    Beyond :func:`~newsgold.validate.iter_predictions` (schema, ``doc_id``,
    offsets, ``text``, labels of the submission's scheme), a line must carry
    exactly the declared layers; when the stream ends, every gold document must
    have had a line.

    Args:
        submission: the submission.
        gold: the gold.
        problems: receives the problems; the caller checks it once the stream is exhausted.

    Yields:
        The valid predictions, in file order.
    """
    from ..scoring import get_scheme

    labels = get_scheme(submission.scheme).accepted
    declared = set(submission.layers)
    seen: set[str] = set()
    for pred in iter_predictions(
        submission.predictions, gold.docs, problems, labels=labels, display=submission.display
    ):
        present = {x for x in LAYER_TITLES if getattr(pred, x) is not None}
        if present != declared:
            extra, lacking = sorted(present - declared), sorted(declared - present)
            what = (
                f"layer {extra[0]!r} not declared in submission.json $.layers"
                if extra
                else f"layer {lacking[0]!r} declared in submission.json but absent (expected a list; [] predicts nothing)"
            )
            problems.append(Problem(submission.display, None, f"$[{pred.doc_id}]", what))
            continue
        seen.add(pred.doc_id)
        yield pred
    if problems:
        return  # a line with problems was not yielded: its document is not "missing"
    for doc_id in sorted(set(gold.docs) - seen):
        problems.append(
            Problem(
                submission.display,
                None,
                "$",
                f"no line for document {doc_id!r} (expected one line per gold document; an empty list predicts nothing)",
            )
        )


def to_newsgold_labels(pred: Prediction, scheme: str) -> Prediction:
    """A prediction in newsgold's evaluation labels: :meth:`~newsgold.scoring.Scheme.project`.

    Kept for 1.x callers; the paired test between systems of different schemes
    scores both through the one projection. (The ``conll`` scheme projects the
    gold too, so the board does not test across it.)

    >>> from newsgold.model import Entity
    >>> p = Prediction("d", entities=(Entity(0, 5, label="PERSON"), Entity(6, 9, label="DATE")))
    >>> q = to_newsgold_labels(p, "ontonotes")
    >>> [e.label for e in q.entities], [d.type for d in q.dates]
    (['PER'], ['DATE'])
    """
    from ..scoring import get_scheme

    return get_scheme(scheme).project(pred).prediction


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        # the file changed between the validation pass and this one
        raise ValidationError(problems)


def _checked(preds: Iterator[Prediction], problems: list[Problem]) -> Iterator[Prediction]:
    yield from preds
    _raise_if(problems)
