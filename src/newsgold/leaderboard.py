"""The leaderboard: validate every submission, score it, rank it per layer, render the board.

Submissions are untrusted input. A submission is the folder
``eval/submissions/<system_id>/`` holding ``submission.json`` (valid under
``schemas/submission.schema.json``) and ``predictions.jsonl``. It is *invalid*,
reported with its reason and left off the board, when:

- its folder name is not a system id (``[a-z0-9][a-z0-9._-]*``, at most 64
  characters) or differs from the ``system_id`` inside;
- the folder or one of its files is a symbolic link, or a file resolves outside
  the submissions folder (no path may leave ``eval/``);
- ``submission.json`` is not valid, or any predictions line is not (schema,
  unknown or duplicate ``doc_id``, offsets, ``text``, a label its ``scheme``
  does not know), a line carries a layer the submission does not declare or
  lacks one it declares, or a gold document has no line.

Predictions are streamed line by line (a 100 MB file never sits in memory);
they are read once to validate, once to score, once per paired test and once
for the error report.

The pieces are split so the logic stays pure: :func:`discover` and
:func:`check_submission` read files; :func:`rank` orders scored systems;
:func:`build_board` turns scores and paired tests into the board object (the
content of ``leaderboard.json``); :func:`to_markdown` and :func:`to_html` render
it; :func:`run_leaderboard` wires them together and :func:`write_board` writes
the files atomically. The output depends only on the inputs (no clock, sorted
everything), so a rerun is byte-identical.

Ranking, per layer, by one figure (:data:`PRIMARY`): entities by strict F1,
dates by value F1 (span found *and* value right), quotes by end-to-end F1 (span
and speaker right); ties share a rank and are listed by system id. The best
system of a layer is compared with each other one by the scorer's paired test
(approximate randomisation over documents); a system whose p-value is at least
:data:`ALPHA` cannot be told from the best and is marked so.

>>> rank([("b", 0.5), ("a", 0.7), ("c", 0.5), ("d", None)])
[('a', 1), ('b', 2), ('c', 2), ('d', 4)]
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, ValidationError, short
from .jsonio import dumps_json, loads_json, read_text, write_files_atomically
from .model import Date, Entity, Gold, Prediction
from .schema import schema_problems
from .validate import iter_predictions

SYSTEM_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
"""A system id: lowercase letters, digits, ``.``, ``_`` and ``-``, not starting with punctuation."""

LEADERBOARD_VERSION = 1
"""Version of the layout of ``leaderboard.json``."""

ALPHA = 0.05
"""Significance level of the paired test against the best system."""

MAX_SUBMISSION_BYTES = 1024 * 1024
"""Largest ``submission.json`` read (metadata only)."""

LAYER_TITLES = {"entities": "Entities", "dates": "Dates", "quotes": "Quotes"}

PRIMARY = {"entities": "strict.f1", "dates": "value_f1", "quotes": "end_to_end.f1"}
"""The figure each layer is ranked by (a path in the scorer's report)."""

COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "entities": (
        ("strict.f1", "strict F1"),
        ("exact.f1", "exact F1"),
        ("partial.f1", "partial F1"),
        ("type.f1", "type F1"),
        ("macro.strict.f1", "macro strict F1"),
    ),
    "dates": (
        ("strict.f1", "strict F1"),
        ("relaxed.f1", "relaxed F1"),
        ("type_f1", "type F1"),
        ("value_f1", "value F1"),
    ),
    "quotes": (
        ("strict.f1", "strict F1"),
        ("overlap.f1", "overlap F1"),
        ("end_to_end.f1", "end-to-end F1"),
        ("speaker_accuracy", "speaker accuracy"),
    ),
}
"""The figures shown per layer: report path and column title."""


# --------------------------------------------------------------------------- submissions


class CappedProblems(list[Problem]):
    """A problem list that keeps the first ``limit`` problems and counts the others.

    A huge broken file (every line wrong) must not fill memory with problems;
    the count of those not kept is reported, so nothing disappears silently.

    >>> ps = CappedProblems(limit=1)
    >>> ps += [Problem("f", 1, "$", "a"), Problem("f", 2, "$", "b")]
    >>> len(ps), ps.dropped, ps.lines()[-1]
    (1, 1, '… and 1 more problem not listed')
    """

    def __init__(self, limit: int = 100) -> None:
        super().__init__()
        self.limit = limit
        self.dropped = 0

    def append(self, problem: Problem) -> None:
        """Keep the problem while under the limit; count it otherwise."""
        if len(self) < self.limit:
            super().append(problem)
        else:
            self.dropped += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        """Append each problem."""
        for problem in problems:
            self.append(problem)

    def __iadd__(self, problems: Iterable[Problem]) -> CappedProblems:  # type: ignore[override,misc]
        self.extend(problems)
        return self

    def lines(self) -> list[str]:
        """Every kept problem as text, then the count of the others."""
        out = [str(p) for p in self]
        if self.dropped:
            out.append(f"… and {self.dropped} more problem{'s' * (self.dropped != 1)} not listed")
        return out


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
    shown = f"{short(name)}"
    if not SYSTEM_ID.fullmatch(name):
        return None, [
            f"{shown}: folder name is not a system id (expected [a-z0-9][a-z0-9._-]*, at most 64 characters)"
        ]
    if entry.is_symlink():
        return None, [
            f"{name}: is a symbolic link (expected a real folder inside the submissions folder)"
        ]
    if not entry.is_dir():
        return None, [
            f"{name}: not a folder (expected {name}/submission.json and {name}/predictions.jsonl)"
        ]
    problems: list[str] = []
    for file in ("submission.json", "predictions.jsonl"):
        path = entry / file
        if path.is_symlink():
            problems.append(f"{name}/{file}: is a symbolic link (expected a regular file)")
        elif not path.exists():
            problems.append(f"{name}/{file}: no such file")
        elif not path.is_file():
            problems.append(f"{name}/{file}: not a regular file")
        elif not _inside(path, submissions):
            problems.append(f"{name}/{file}: resolves outside the submissions folder")
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
    from .scoring import get_scheme

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
    """A prediction's entities projected onto newsgold labels, as the scorer's scheme does.

    Used only to run the paired test between systems of different schemes
    (the scorer's ``compare`` applies one scheme to both): ``("entity", L)``
    relabels, ``("date", T)`` moves the span to the dates layer, ``("drop", _)``
    removes it. The ``conll`` scheme projects the gold too, so it has no such
    projection (the caller skips that test).

    Args:
        pred: a validated prediction.
        scheme: its scheme (``newsgold`` or ``ontonotes``).

    Returns:
        The projected prediction (unchanged for ``newsgold``).

    >>> p = Prediction("d", entities=(Entity(0, 5, label="PERSON"), Entity(6, 9, label="DATE")))
    >>> q = to_newsgold_labels(p, "ontonotes")
    >>> [e.label for e in q.entities], [d.type for d in q.dates]
    (['PER'], ['DATE'])
    """
    from .scoring import get_scheme

    if scheme == "newsgold" or pred.entities is None:
        return pred
    sch = get_scheme(scheme)
    entities: list[Entity] = []
    dates: list[Date] = list(pred.dates or ())
    for e in pred.entities:
        target = sch.pred_target(e.label) if e.label is not None else ("entity", None)
        if target is None or target[0] == "drop":
            continue
        if target[0] == "date":
            dates.append(Date(e.start, e.end, e.text, target[1], None))
        else:
            entities.append(Entity(e.start, e.end, e.text, target[1], e.kb_id, e.score))
    has_dates = pred.dates is not None or len(dates) > 0
    return Prediction(
        pred.doc_id, tuple(entities), tuple(sorted(dates)) if has_dates else None, pred.quotes
    )


# --------------------------------------------------------------------------- ranking (pure)


def rank(scores: Sequence[tuple[str, float | None]]) -> list[tuple[str, int]]:
    """Competition ranking by score, best first; ties share a rank and go by id; no score is last.

    Args:
        scores: ``(system_id, score or None)``.

    Returns:
        ``(system_id, rank)`` in board order.
    """
    ordered = sorted(scores, key=lambda s: (s[1] is None, -(s[1] or 0.0), s[0]))
    out: list[tuple[str, int]] = []
    for i, (system_id, value) in enumerate(ordered):
        if i and value == ordered[i - 1][1]:
            out.append((system_id, out[-1][1]))
        else:
            out.append((system_id, i + 1))
    return out


def figure(report: Mapping[str, Any], layer: str, path: str) -> dict[str, Any]:
    """One figure of a report with its interval: ``{"value", "ci95"}`` (``ci95`` null when none exists).

    >>> figure({"dates": {"value_f1": 0.5, "value_f1_ci95": [0.4, 0.6]}}, "dates", "value_f1")
    {'value': 0.5, 'ci95': [0.4, 0.6]}
    """
    node: Any = report.get(layer)
    parts = path.split(".")
    for part in parts[:-1]:
        node = None if node is None else node.get(part)
    if node is None:
        return {"value": None, "ci95": None}
    return {"value": node.get(parts[-1]), "ci95": node.get(parts[-1] + "_ci95")}


def _meta_json(meta: Mapping[str, Any]) -> dict[str, Any]:
    keys = (
        "name",
        "version",
        "description",
        "url",
        "license",
        "date",
        "scheme",
        "layers",
        "provenance",
    )
    out = {k: meta.get(k) for k in keys}
    out["scheme"] = meta.get("scheme", "newsgold")
    return out


def build_board(
    reports: Mapping[str, Mapping[str, Any]],
    metas: Mapping[str, Mapping[str, Any]],
    tests: Mapping[tuple[str, str], float | None],
    invalid: Sequence[Invalid],
    *,
    gold_sha256: str,
    corpus_version: str,
    documents: int,
    min_p_value: float | None = None,
) -> dict[str, Any]:
    """The board object (``leaderboard.json``), from scored systems and paired tests. Pure.

    Args:
        reports: system id → the scorer's report object (``Report.to_json()``).
        metas: system id → its ``submission.json``.
        tests: ``(layer, system_id)`` → p-value of the paired test against the
            layer's best system on the layer's ranking figure (``None``: no test
            possible); the best system itself has no entry.
        invalid: the submissions left off the board.
        gold_sha256: the gold's digest.
        corpus_version: ``corpus/VERSION``.
        documents: the number of gold documents.
        min_p_value: the smallest p-value the paired test can reach on this
            gold (see :func:`min_p_value`), or ``None`` when unknown.

    Returns:
        The board, JSON-ready, every list sorted.
    """
    from .scoring import METRIC_NAMES, SCORER_VERSION

    layers: dict[str, Any] = {}
    for layer in LAYER_TITLES:
        taking = sorted(s for s, r in reports.items() if r.get(layer) is not None)
        order = rank([(s, figure(reports[s], layer, PRIMARY[layer])["value"]) for s in taking])
        rows = []
        for position, (system_id, place) in enumerate(order):
            report = reports[system_id]
            p_value = tests.get((layer, system_id))
            best = position == 0
            rows.append(
                {
                    "rank": place,
                    "system_id": system_id,
                    "name": metas[system_id]["name"],
                    "best": best,
                    "p_value_vs_best": None if best else p_value,
                    "indistinguishable_from_best": (not best)
                    and p_value is not None
                    and p_value >= ALPHA,
                    "figures": {path: figure(report, layer, path) for path, _ in COLUMNS[layer]},
                    "per_label": _per_label(report, layer),
                    "report": f"reports/{system_id}.html",
                }
            )
        layers[layer] = {
            "ranked_by": PRIMARY[layer],
            "columns": [{"path": p, "title": t} for p, t in COLUMNS[layer]],
            "rows": rows,
        }
    names = {
        f"{layer}.{key}": name
        for layer, table in METRIC_NAMES.items()
        for key, name in table.items()
    }
    return {
        "leaderboard_version": LEADERBOARD_VERSION,
        "corpus_version": corpus_version,
        "gold_sha256": gold_sha256,
        "scorer_version": SCORER_VERSION,
        "documents": documents,
        "paired_test": {
            "method": "approximate randomisation over documents, two-sided, against the layer's best system",
            "alpha": ALPHA,
            "smallest_attainable_p_value": min_p_value,
        },
        "metric_names": dict(sorted(names.items())),
        "layers": layers,
        "submissions": {s: {**_meta_json(metas[s]), "scores": reports[s]} for s in sorted(reports)},
        "invalid": [{"folder": i.folder, "problems": list(i.problems)} for i in invalid],
    }


def _per_label(report: Mapping[str, Any], layer: str) -> dict[str, Any]:
    """Per-label strict F1 for entities; for the other layers, the table's figures."""
    if layer == "entities":
        labels = (report.get("entities") or {}).get("per_label") or {}
        return {lab: figure({"x": labels[lab]}, "x", "strict.f1") for lab in labels}
    return {title: figure(report, layer, path) for path, title in COLUMNS[layer]}


# --------------------------------------------------------------------------- rendering (pure)


def _num(value: Any) -> str:
    return "—" if value is None else f"{value:.3f}"


def _ci(ci: Any) -> str:
    return "" if not ci else f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def md_escape(text: str) -> str:
    r"""Text safe in a Markdown table cell: HTML-escaped, Markdown punctuation and ``|`` backslashed.

    >>> md_escape('<b>x</b> | *y* [z](u)')
    '&lt;b&gt;x&lt;/b&gt; \\| \\*y\\* \\[z\\]\\(u\\)'
    """
    out = html.escape(" ".join(text.split()), quote=False)
    return re.sub(r"([\\`*_\[\]()|~])", r"\\\1", out)


def to_markdown(board: Mapping[str, Any]) -> str:
    """``LEADERBOARD.md``: one table per layer, the marks, invalid submissions, provenance.

    Args:
        board: the board object of :func:`build_board`.

    Returns:
        Markdown text with a final newline.
    """
    lines = [
        "# newsgold leaderboard",
        "",
        f"Corpus {md_escape(str(board['corpus_version']))}, {board['documents']} documents, "
        f"gold sha256 `{board['gold_sha256']}`, scorer {md_escape(board['scorer_version'])}. "
        "Every figure has its 95% bootstrap interval over documents in brackets.",
        "",
        f"**best** tops the layer; **≈** marks a system the paired test (approximate randomisation "
        f"over documents) cannot tell from the best (p ≥ {ALPHA}). With this few documents, "
        "intervals are wide and the test has little power." + _power_note(board),
        "",
        "Generated by `newsgold leaderboard`; do not edit by hand.",
    ]
    for layer, table in board["layers"].items():
        lines += ["", f"## {LAYER_TITLES[layer]}", ""]
        lines.append(
            f"Ranked by {table['ranked_by']} (`{metric_name(board, layer, table['ranked_by'])}`)."
        )
        lines.append("")
        if not table["rows"]:
            lines.append("No system predicts this layer yet.")
            continue
        header = ["#", "system", *(c["title"] for c in table["columns"]), "vs best"]
        lines.append("| " + " | ".join(header) + " |")
        lines.append(
            "|" + "|".join(["---:", "---", *(["---:"] * len(table["columns"])), "---"]) + "|"
        )
        for row in table["rows"]:
            cells = [str(row["rank"]), f"{md_escape(row['name'])} (`{row['system_id']}`)"]
            for col in table["columns"]:
                fig = row["figures"][col["path"]]
                cells.append(f"{_num(fig['value'])} {_ci(fig['ci95'])}".strip())
            cells.append(_versus(row))
            lines.append("| " + " | ".join(cells) + " |")
    if board["invalid"]:
        lines += ["", "## Not ranked (invalid submissions)", ""]
        for item in board["invalid"]:
            lines.append(
                f"- {md_escape(item['folder'])}: {md_escape(item['problems'][0])}"
                + (f" (and {len(item['problems']) - 1} more)" if len(item["problems"]) > 1 else "")
            )
    lines += ["", "## Systems", ""]
    for system_id, sub in board["submissions"].items():
        prov = sub.get("provenance") or {}
        lines.append(
            f"- `{system_id}`: {md_escape(sub['name'])} {md_escape(sub['version'])} "
            f"({md_escape(sub['license'])}, {md_escape(sub['date'])}, scheme {sub['scheme']}). "
            f"{md_escape(sub['description'])}"
            + (
                " Provenance: "
                + ", ".join(f"{md_escape(k)} {md_escape(v)}" for k, v in prov.items())
                + "."
                if prov
                else ""
            )
            + "".join(f" Scoring note: {md_escape(w)}" for w in _notes(sub))
        )
    return "\n".join(lines) + "\n"


def metric_name(board: Mapping[str, Any], layer: str, path: str) -> str:
    """The versioned name of a figure (``entities.strict.v1`` for ``strict.f1``).

    >>> metric_name({"metric_names": {"dates.value_f1": "dates.value_f1.v1"}}, "dates", "value_f1")
    'dates.value_f1.v1'
    """
    key = path[: -len(".f1")] if path.endswith(".f1") else path
    return str(board["metric_names"].get(f"{layer}.{key}", f"{layer}.{key}"))


def _notes(sub: Mapping[str, Any]) -> list[str]:
    """The scorer's warnings about one system, less the one every system shares (few documents)."""
    warnings = (sub.get("scores") or {}).get("warnings") or []
    return [str(w) for w in warnings if "bootstrap intervals over so few documents" not in str(w)]


def _power_note(board: Mapping[str, Any]) -> str:
    """A sentence when the test cannot reach significance at all on this gold (else empty)."""
    floor = board["paired_test"].get("smallest_attainable_p_value")
    if floor is None or floor < ALPHA:
        return ""
    return (
        f" On {board['documents']} documents the smallest p-value this test can reach is "
        f"{floor:.4g}, above {ALPHA}: no system can be told apart from the best yet."
    )


def _versus(row: Mapping[str, Any]) -> str:
    if row["best"]:
        return "best"
    p = row["p_value_vs_best"]
    if p is None:
        return "no test"
    return f"≈ (p = {p:.3f})" if row["indistinguishable_from_best"] else f"p = {p:.3f}"


_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
table.board{border-collapse:collapse;width:100%;margin:.6rem 0}
table.board th,table.board td{padding:.35rem .6rem;border-bottom:1px solid #e5e7eb;text-align:right;vertical-align:top}
table.board th{background:#f6f8fa;cursor:pointer;user-select:none;white-space:nowrap}
table.board th[aria-sort=ascending]::after{content:" \\25B2"}table.board th[aria-sort=descending]::after{content:" \\25BC"}
table.board td.sys,table.board th.sys{text-align:left}
table.board small{color:#57606a}
tr.best td{background:#eefbf1}tr.tie td{background:#f7fbff}
.mark{display:inline-block;font-size:.75rem;padding:0 .35rem;border-radius:.6rem;margin-left:.3rem}
.mark.best{background:#1a7f37;color:#fff}.mark.tie{background:#ddf4ff;color:#0550ae}
.meta{color:#57606a}.invalid li{margin:.2rem 0}code{font-size:.85em}
figure{margin:1rem 0}figcaption{color:#57606a;font-size:.9rem}
dl.systems dt{font-weight:600;margin-top:.7rem}dl.systems dd{margin-left:1rem}
""".strip()

_JS = """
(function () {
  function key(cell, numeric) {
    var v = cell.getAttribute("data-value");
    if (numeric) { return v === "" ? null : parseFloat(v); }
    return v;
  }
  document.querySelectorAll("table.board").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      th.addEventListener("click", function () {
        var numeric = th.getAttribute("data-type") === "num";
        var asc = th.getAttribute("aria-sort") !== "ascending";
        if (th.getAttribute("aria-sort") === null) { asc = th.getAttribute("data-first") === "asc"; }
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col], numeric), y = key(b.cells[col], numeric);
          if (x === y) { return 0; }
          if (x === null) { return 1; }
          if (y === null) { return -1; }
          return (x < y ? -1 : 1) * (asc ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
""".strip()

_PALETTE = ("#0969da", "#bf3989", "#1a7f37", "#bc4c00", "#8250df", "#0a3069", "#cf222e", "#4d2d00")


def _e(value: Any) -> str:
    """Escape anything for HTML text and attribute values (quotes included)."""
    return html.escape(str(value), quote=True)


def _csp_hash(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode()


def _bar_chart(layer: str, rows: Sequence[Mapping[str, Any]]) -> str:
    """Grouped bars as inline SVG: one group per label (or figure), one bar per system."""
    if not rows:
        return ""
    groups = list(rows[0]["per_label"])
    if not groups:
        return ""
    n = len(rows)
    bar, height, top, left = 14, 160, 12, 34
    group_w = max(n * bar + 22, 96)  # wide enough for a label such as "end-to-end F1"
    gap = group_w - n * bar
    longest = max(len(f"{row['name']} ({row['system_id']})") for row in rows)
    width = max(left + len(groups) * group_w + 10, left + 24 + 7 * longest)
    legend_h = 18 * n
    total_h = top + height + 30 + legend_h
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{total_h}" '
        f'viewBox="0 0 {width} {total_h}" aria-labelledby="chart-{layer}-title">',
        f'<title id="chart-{layer}-title">{_e(LAYER_TITLES[layer])}: '
        f"{'strict F1 per label' if layer == 'entities' else 'F1 per figure'}</title>",
    ]
    for tick in (0.0, 0.5, 1.0):
        y = top + height * (1 - tick)
        parts.append(
            f'<line x1="{left}" x2="{width - 6}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de" stroke-width="1"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" fill="#57606a">{tick:.1f}</text>'
        )
    for g, group in enumerate(groups):
        x0 = left + g * group_w + gap / 2
        for i, row in enumerate(rows):
            value = row["per_label"].get(group, {}).get("value")
            h = 0.0 if value is None else height * max(0.0, min(1.0, float(value)))
            x = x0 + i * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{top + height - h:.1f}" width="{bar - 2}" height="{h:.1f}" '
                f'fill="{_PALETTE[i % len(_PALETTE)]}"><title>{_e(row["name"])}, {_e(group)}: '
                f"{_num(value)}</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + n * bar / 2:.1f}" y="{top + height + 16}" font-size="11" '
            f'text-anchor="middle" fill="#1b1f24">{_e(group)}</text>'
        )
    for i, row in enumerate(rows):
        y = top + height + 30 + 18 * i
        parts.append(
            f'<rect x="{left}" y="{y}" width="12" height="12" fill="{_PALETTE[i % len(_PALETTE)]}"/>'
            f'<text x="{left + 18}" y="{y + 10}" font-size="11" fill="#1b1f24">{_e(row["name"])} '
            f"({_e(row['system_id'])})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def to_html(board: Mapping[str, Any]) -> str:
    """``index.html``: one self-contained page (no external assets) with a sortable table per layer.

    Every string from a submission is escaped for text and attribute context.
    A Content-Security-Policy allows only this page's own style and script (by
    hash), so even an unescaped string could not run code.

    Args:
        board: the board object of :func:`build_board`.

    Returns:
        The HTML document.
    """
    csp = (
        f"default-src 'none'; style-src '{_csp_hash(_CSS)}'; script-src '{_csp_hash(_JS)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        "<title>newsgold leaderboard</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<h1>newsgold leaderboard</h1>",
        f'<p class="meta">corpus {_e(board["corpus_version"])} · {board["documents"]} documents · '
        f"gold sha256 <code>{_e(board['gold_sha256'])}</code> · scorer {_e(board['scorer_version'])}</p>",
        f"<p>Brackets hold 95% bootstrap intervals over documents. Click a column header to sort. "
        f'<span class="mark best">best</span> tops the layer; <span class="mark tie">≈ best</span> marks a '
        f"system the paired test (approximate randomisation over documents) cannot tell from the best "
        f"(p ≥ {ALPHA}). With this few documents, intervals are wide and the test has little power."
        f"{_e(_power_note(board))}</p>",
    ]
    for layer, table in board["layers"].items():
        out.append(f'<section id="layer-{layer}">')
        out.append(f"<h2>{LAYER_TITLES[layer]}</h2>")
        out.append(f'<p class="meta">ranked by {_e(table["ranked_by"])}</p>')
        if not table["rows"]:
            out.append("<p>No system predicts this layer yet.</p></section>")
            continue
        out.append(f'<table class="board" id="board-{layer}">')
        heads = [
            '<th data-type="num" data-first="asc" aria-sort="ascending">#</th>',
            '<th class="sys" data-type="text" data-first="asc">system</th>',
        ]
        heads += [
            f'<th data-type="num" data-first="desc">{_e(c["title"])}</th>' for c in table["columns"]
        ]
        heads += [
            '<th data-type="num" data-first="desc">p vs best</th>',
            '<th class="sys" data-type="text">errors</th>',
        ]
        out.append("<thead><tr>" + "".join(heads) + "</tr></thead><tbody>")
        for row in table["rows"]:
            cls = "best" if row["best"] else ("tie" if row["indistinguishable_from_best"] else "")
            mark = (
                '<span class="mark best">best</span>'
                if row["best"]
                else (
                    '<span class="mark tie">≈ best</span>'
                    if row["indistinguishable_from_best"]
                    else ""
                )
            )
            cells = [
                f'<td data-value="{row["rank"]}">{row["rank"]}</td>',
                f'<td class="sys" data-value="{_e(row["system_id"])}"><span class="name">{_e(row["name"])}</span>'
                f"{mark}<br><small>{_e(row['system_id'])}</small></td>",
            ]
            for col in table["columns"]:
                fig = row["figures"][col["path"]]
                value = "" if fig["value"] is None else repr(float(fig["value"]))
                ci = _ci(fig["ci95"])
                cells.append(
                    f'<td data-value="{value}">{_num(fig["value"])}'
                    + (f"<br><small>{ci}</small>" if ci else "")
                    + "</td>"
                )
            p = row["p_value_vs_best"]
            cells.append(
                f'<td data-value="{"" if p is None else repr(float(p))}">{"—" if p is None else f"{p:.3f}"}</td>'
            )
            cells.append(
                f'<td class="sys" data-value="{_e(row["system_id"])}"><a href="{_e(row["report"])}">error report</a></td>'
            )
            out.append(
                f'<tr class="{cls}" data-system="{_e(row["system_id"])}">'
                + "".join(cells)
                + "</tr>"
            )
        out.append("</tbody></table>")
        chart = _bar_chart(layer, table["rows"])
        if chart:
            caption = "strict F1 per label" if layer == "entities" else "F1 per figure"
            out.append(
                f"<figure>{chart}<figcaption>{LAYER_TITLES[layer]}: {caption}</figcaption></figure>"
            )
        out.append("</section>")
    if board["invalid"]:
        out.append(
            '<section id="invalid"><h2>Not ranked (invalid submissions)</h2><ul class="invalid">'
        )
        for item in board["invalid"]:
            out.append(
                f"<li><code>{_e(item['folder'])}</code>: "
                + "<br>".join(_e(p) for p in item["problems"][:5])
                + (
                    f"<br>(and {len(item['problems']) - 5} more)"
                    if len(item["problems"]) > 5
                    else ""
                )
                + "</li>"
            )
        out.append("</ul></section>")
    out.append('<section id="systems"><h2>Systems</h2><dl class="systems">')
    for system_id, sub in board["submissions"].items():
        url = sub.get("url")
        link = (
            f' · <a href="{_e(url)}" rel="nofollow noopener noreferrer">{_e(url)}</a>'
            if isinstance(url, str) and re.match(r"https?://", url)
            else ""
        )
        prov = sub.get("provenance") or {}
        out.append(
            f'<dt id="system-{_e(system_id)}">{_e(sub["name"])} <small>{_e(system_id)} · version {_e(sub["version"])}</small></dt>'
            f"<dd>{_e(sub['description'])}</dd>"
            f'<dd class="meta">{_e(sub["license"])} · {_e(sub["date"])} · scheme {_e(sub["scheme"])} · '
            f"layers {_e(', '.join(sub['layers']))}{link}</dd>"
            + (
                '<dd class="meta">provenance: '
                + ", ".join(f"{_e(k)} <code>{_e(v)}</code>" for k, v in prov.items())
                + "</dd>"
                if prov
                else ""
            )
            + "".join(f'<dd class="meta">scoring note: {_e(w)}</dd>' for w in _notes(sub))
        )
    out.append("</dl></section>")
    out.append(f"<script>{_JS}</script>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


def to_json_text(board: Mapping[str, Any]) -> str:
    """``leaderboard.json``: the board object, deterministic (keys in build order, UTF-8)."""
    return dumps_json(board)


# --------------------------------------------------------------------------- the whole run


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
    n_bootstrap: int = 1000,
    n_resamples: int = 2000,
    progress: Callable[[str], None] | None = None,
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

    Returns:
        The :class:`Outcome`; nothing is written here.
    """
    from . import report as report_mod
    from .scoring import compare, score

    reports: dict[str, dict[str, Any]] = {}
    valid: dict[str, Submission] = {}
    invalid: list[Invalid] = []
    html_reports: dict[str, str] = {}
    for entry in discover(submissions):
        sub, problems = check_files(entry, submissions)
        if sub is not None:
            found = CappedProblems()
            for _ in stream_predictions(sub, gold, found):
                pass
            problems = found.lines()
        if sub is None or problems:
            invalid.append(Invalid(entry.name, tuple(problems)))
        else:
            found = CappedProblems()
            report = score(
                gold,
                stream_predictions(sub, gold, found),
                layers=sub.layers,
                scheme=sub.scheme,
                n_bootstrap=n_bootstrap,
                corpus_version=corpus_version,
            )
            _raise_if(found)
            reports[sub.system_id] = report.to_json()
            valid[sub.system_id] = sub
            html_reports[sub.system_id] = report_mod.to_html(
                report, gold, _checked(stream_predictions(sub, gold, found), found)
            )
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
                gold, best, valid[system_id], layer, n_resamples, compare
            )

    board = build_board(
        reports,
        {s: sub.meta for s, sub in valid.items()},
        tests,
        invalid,
        gold_sha256=gold.sha256,
        corpus_version=corpus_version,
        documents=len(gold.docs),
        min_p_value=min_p_value(gold, n_resamples) if len(reports) > 1 else None,
    )
    files = {
        out / "leaderboard.json": to_json_text(board),
        out / "LEADERBOARD.md": to_markdown(board),
        out / "index.html": to_html(board),
    }
    for system_id, text in sorted(html_reports.items()):
        files[out / "reports" / f"{system_id}.html"] = text
    return Outcome(board, files, invalid)


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        # the file changed between the validation pass and this one
        raise ValidationError(problems)


def _checked(preds: Iterator[Prediction], problems: list[Problem]) -> Iterator[Prediction]:
    yield from preds
    _raise_if(problems)


def _paired_p(
    gold: Gold,
    best: Submission,
    other: Submission,
    layer: str,
    n_resamples: int,
    compare: Callable[..., Any],
) -> float | None:
    """The p-value of the paired test of ``other`` against ``best`` on the layer's ranking figure."""
    if (
        best.scheme != other.scheme
        and layer == "entities"
        and "conll" in (best.scheme, other.scheme)
    ):
        return None  # the CoNLL projection changes the gold: no common ground to test on
    same = best.scheme == other.scheme
    found: list[Problem] = []

    def preds(sub: Submission) -> Iterator[Prediction]:
        for p in stream_predictions(sub, gold, found):
            yield p if same else to_newsgold_labels(p, sub.scheme)

    result = compare(
        gold,
        preds(best),
        preds(other),
        layers=[layer],
        scheme=best.scheme if same else "newsgold",
        n_resamples=n_resamples,
    )
    _raise_if(found)
    entry = result.to_json()["figures"].get(f"{layer}.{PRIMARY[layer]}")
    return None if entry is None else entry["p_value"]


def min_p_value(gold: Gold, n_resamples: int = 2000) -> float | None:
    """The smallest p-value the paired test can reach on this gold: perfect output against none.

    The test swaps the two systems' outputs document by document; on ``n``
    documents it is exact (all ``2**n`` swaps) and the identity and the full
    swap always count as extreme, so no comparison goes below ``2 / 2**n``. A
    perfect output against an empty one, better on every document, reaches that
    floor. With few documents it exceeds :data:`ALPHA`, and the board then says
    that no system can be told apart from the best yet.

    Args:
        gold: the gold.
        n_resamples: resamples of the test (it is exact on few documents).

    Returns:
        The p-value on the entities' strict F1, or ``None`` when undefined.
    """
    from .scoring import compare, gold_as_predictions

    empty = [Prediction(doc_id, (), (), ()) for doc_id in gold.docs]
    result = compare(
        gold, gold_as_predictions(gold), empty, layers=["entities"], n_resamples=n_resamples
    )
    entry = result.to_json()["figures"].get("entities.strict.f1")
    return None if entry is None else entry["p_value"]


def write_board(files: Mapping[Path, str]) -> None:
    """Write the board's files atomically (all or none).

    Args:
        files: path → content, as in :attr:`Outcome.files`.
    """
    write_files_atomically(dict(files))
