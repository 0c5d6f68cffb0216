"""The whole run: validate, score, test and render every submission; write the board's files."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CappedProblems, NewsgoldError, ValidationError, short
from ..jsonio import write_files_atomically
from ..model import Gold
from ..paths import safe_name
from ..report import REPORT_START
from .board import build_board, figure, rank, to_json_text
from .constants import LAYER_TITLES, N_BOOTSTRAP, PRIMARY
from .html_page import to_html
from .markdown import to_markdown
from .paired import _paired_p, min_p_value
from .submissions import (
    Invalid,
    Submission,
    _checked,
    _raise_if,
    check_submission,
    discover,
    shown_name,
    stream_predictions,
)


@dataclass
class Outcome:
    """What :func:`run_leaderboard` produced.

    Attributes:
        board: the board object.
        files: output path → content (the board files and every error report).
        invalid: the submissions left off the board.
    """

    board: dict[str, Any]
    files: dict[Path, str]
    invalid: list[Invalid]


def run_leaderboard(
    gold: Gold,
    submissions: Path,
    out: Path,
    *,
    corpus_version: str,
    n_bootstrap: int = N_BOOTSTRAP,
    n_resamples: int = 2000,
    progress: Callable[[str], None] | None = None,
    unit: str | None = None,
) -> Outcome:
    """Validate, score, test and render every submission; return the files to write.

    Args:
        gold: the gold.
        submissions: the submissions folder.
        out: the output folder (the files' keys are under it).
        corpus_version: recorded in every result.
        n_bootstrap: bootstrap resamples of the intervals.
        n_resamples: resamples of the paired test.
        progress: called with each submission's folder name when its work is done.
        unit: the resampling unit of the intervals and the tests (default
            :data:`newsgold.scoring.DEFAULT_UNIT`).

    Returns:
        The :class:`Outcome`; nothing is written here.
    """
    from ..scoring import DEFAULT_UNIT, compare

    unit = unit or DEFAULT_UNIT
    reports: dict[str, dict[str, Any]] = {}
    valid: dict[str, Submission] = {}
    invalid: list[Invalid] = []
    html_reports: dict[str, str] = {}
    for entry in discover(submissions):
        scored = assess(entry, submissions, gold, n_bootstrap, corpus_version, unit)
        if isinstance(scored, Invalid):
            invalid.append(scored)
        else:
            sub, report_json, html = scored
            reports[sub.system_id] = report_json
            valid[sub.system_id] = sub
            html_reports[sub.system_id] = html
        if progress is not None:
            progress(entry.name)

    tests: dict[tuple[str, str], float | None] = {}
    for layer in LAYER_TITLES:
        taking = sorted(s for s, r in reports.items() if r.get(layer) is not None)
        order = rank([(s, figure(reports[s], layer, PRIMARY[layer])["value"]) for s in taking])
        if len(order) < 2:
            continue
        best = valid[order[0][0]]
        for system_id, _ in order[1:]:
            tests[(layer, system_id)] = _paired_p(
                gold, best, valid[system_id], layer, n_resamples, compare, unit
            )

    board = build_board(
        reports,
        {s: sub.meta for s, sub in valid.items()},
        tests,
        invalid,
        gold_sha256=gold.sha256,
        corpus_version=corpus_version,
        documents=len(gold.docs),
        min_p_value=min_p_value(gold, n_resamples, unit) if len(reports) > 1 else None,
        unit=unit,
    )
    files = {
        out / "leaderboard.json": to_json_text(board),
        out / "LEADERBOARD.md": to_markdown(board),
        out / "index.html": to_html(board),
    }
    for system_id, text in sorted(html_reports.items()):
        files[out / "reports" / f"{safe_name(system_id, 'system id')}.html"] = text
    return Outcome(board, files, invalid)


#: What reading, checking or scoring one untrusted submission may raise: it makes that
#: submission invalid, never the run fail.
_UNTRUSTED = (
    NewsgoldError,
    OSError,
    RecursionError,
    UnicodeError,
    ValueError,
    TypeError,
    OverflowError,
    MemoryError,
)


def assess(
    entry: Path,
    submissions: Path,
    gold: Gold,
    n_bootstrap: int,
    corpus_version: str,
    unit: str | None = None,
) -> Invalid | tuple[Submission, dict[str, Any], str]:
    """Check one submission (:func:`~.submissions.check_submission`), then score it and render
    its error report: what the board does with each submission, and all that
    ``newsgold submission check`` does.

    Whatever one untrusted submission holds makes it :class:`Invalid` (one line
    saying why), never the caller fail: the board still ranks the others.

    Args:
        entry: ``<submissions>/<system_id>``.
        submissions: the submissions folder.
        gold: the current gold.
        n_bootstrap: bootstrap resamples of the intervals.
        corpus_version: the current ``corpus/VERSION``.
        unit: the resampling unit of the intervals (default
            :data:`newsgold.scoring.DEFAULT_UNIT`), as on the board.

    Returns:
        :class:`Invalid`, or the submission, its report object and its HTML error report.
    """
    try:
        return _check_and_score(entry, submissions, gold, n_bootstrap, corpus_version, unit)
    except _UNTRUSTED as exc:
        return Invalid(entry.name, (_failure_line(entry, submissions, exc),))


def _check_and_score(
    entry: Path,
    submissions: Path,
    gold: Gold,
    n_bootstrap: int,
    corpus_version: str,
    unit: str | None,
) -> Invalid | tuple[Submission, dict[str, Any], str]:
    from .. import report as report_mod
    from ..scoring import DEFAULT_UNIT, score

    sub = check_submission(entry, submissions, gold, corpus_version=corpus_version)
    if isinstance(sub, Invalid):
        return sub
    found = CappedProblems()
    report = score(
        gold,
        stream_predictions(sub, gold, found),
        layers=sub.layers,
        scheme=sub.scheme,
        n_bootstrap=n_bootstrap,
        corpus_version=corpus_version,
        unit=unit or DEFAULT_UNIT,
    )
    _raise_if(found)
    report_json = report.to_json()
    # the board is written as UTF-8: what cannot be encoded makes the submission invalid here
    to_json_text(report_json).encode("utf-8")
    to_json_text(dict(sub.meta)).encode("utf-8")
    html = report_mod.to_html(report, gold, _checked(stream_predictions(sub, gold, found), found))
    html.encode("utf-8")
    return sub, report_json, html


def _failure_line(entry: Path, submissions: Path, exc: BaseException) -> str:
    """One ``FILE: $: message`` line for a submission that could not be read or scored."""
    if isinstance(exc, ValidationError) and exc.problems:
        return str(exc.problems[0])
    if isinstance(exc, RecursionError):
        why = "nested too deeply to process"
    elif isinstance(exc, OSError):
        why = f"cannot be read: {exc.strerror or type(exc).__name__}"
    elif isinstance(exc, UnicodeError):
        why = "holds text that is not valid Unicode (a lone surrogate?)"
    elif isinstance(exc, MemoryError):
        why = "too large to process"
    else:
        why = f"cannot be scored: {short(str(exc) or type(exc).__name__)}"
    return f"{shown_name(entry.name)}: $: {why}"


def write_board(files: Mapping[Path, str], out: Path | None = None) -> list[Path]:
    """Write the board's files atomically (all or none), then remove stale error reports.

    A report in ``reports/`` that this run did not produce (a system removed from
    the submissions, or now invalid) is removed, but only when newsgold wrote it:
    a file that does not begin as newsgold's error reports begin is left alone.

    Args:
        files: path → content, as in :attr:`Outcome.files`.
        out: the board's folder: every file must land inside it.

    Returns:
        The stale reports removed.
    """
    write_files_atomically(dict(files), within=out)
    removed: list[Path] = []
    if out is None:
        return removed
    folder = out / "reports"
    if folder.is_dir() and not folder.is_symlink():
        for path in sorted(folder.glob("*.html")):
            if path in files or path.is_symlink() or not path.is_file():
                continue
            signature = REPORT_START.encode("utf-8")
            with path.open("rb") as fh:
                head = fh.read(len(signature))
            if head == signature:
                path.unlink()
                removed.append(path)
    return removed
