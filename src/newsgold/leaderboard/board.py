"""The board object (``leaderboard.json``): ranking per layer and figures, from scores and paired tests. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import Problem, ValidationError
from ..jsonio import dumps_json
from .constants import ALPHA, COLUMNS, LAYER_TITLES, LEADERBOARD_VERSION, PRIMARY
from .submissions import Invalid


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
        "corpus_version",
        "gold_sha256",
        "training_data",
        "training_cutoff",
        "contamination",
        "contamination_note",
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
    unit: str = "document",
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
        unit: the resampling unit of the intervals and the tests.

    Returns:
        The board, JSON-ready, every list sorted.
    """
    from ..scoring import METRIC_NAMES, SCORER_VERSION, holm

    layers: dict[str, Any] = {}
    for layer in LAYER_TITLES:
        taking = sorted(s for s, r in reports.items() if r.get(layer) is not None)
        order = rank([(s, figure(reports[s], layer, PRIMARY[layer])["value"]) for s in taking])
        # Holm's correction over the layer's comparisons with its leader
        others = [s for s, _ in order[1:]]
        adjusted = dict(zip(others, holm([tests.get((layer, s)) for s in others]), strict=True))
        rows = []
        for position, (system_id, place) in enumerate(order):
            report = reports[system_id]
            p_value = tests.get((layer, system_id))
            p_holm = adjusted.get(system_id)
            best = position == 0
            rows.append(
                {
                    "rank": place,
                    "system_id": system_id,
                    "name": metas[system_id]["name"],
                    "contamination": metas[system_id]["contamination"],
                    "best": best,
                    "p_value_vs_best": None if best else p_value,
                    "p_value_vs_best_holm": None if best else p_holm,
                    "indistinguishable_from_best": (not best)
                    and p_holm is not None
                    and p_holm >= ALPHA,
                    "figures": {path: figure(report, layer, path) for path, _ in COLUMNS[layer]},
                    "per_label": _per_label(report, layer),
                    "report": f"reports/{system_id}.html",
                }
            )
        layers[layer] = {
            "ranked_by": PRIMARY[layer],
            "columns": [{"path": p, "title": t} for p, t in COLUMNS[layer]],
            "rows": rows,
            # the statistical tie with the leader: the leader and every system the corrected
            # test cannot tell from it (a system with no possible test is in no group)
            "tied_with_best": [
                r["system_id"] for r in rows if r["best"] or r["indistinguishable_from_best"]
            ],
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
            "method": f"approximate randomisation over {unit}s, two-sided, against the layer's best system",
            "unit": unit,
            "correction": "Holm (1979) over each layer's comparisons with its best system",
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


def to_json_text(board: Mapping[str, Any]) -> str:
    """``leaderboard.json``: the board object, deterministic (keys in build order, UTF-8)."""
    return dumps_json(board)


def is_baseline(meta: Mapping[str, Any]) -> bool:
    """Whether a system is one of this repository's baselines: its method is a file of it.

    >>> is_baseline({"provenance": {"method": "scripts/heideltime_tagger.py"}})
    True
    >>> is_baseline({"provenance": {"method": "https://example.org/model"}})
    False
    """
    method = str((meta.get("provenance") or {}).get("method", ""))
    return method.startswith(("src/newsgold/", "scripts/"))


def _kind(meta: Mapping[str, Any]) -> str:
    return "baseline" if is_baseline(meta) else "submission"


def board_shape(board: Any, name: str) -> dict[str, Any]:
    """``board`` when it has the shape :func:`rows_beside_board` reads (a ``leaderboard.json``
    as ``newsgold leaderboard`` writes it), else one problem naming where it differs.

    Args:
        board: the parsed JSON.
        name: the file's name for the problem.

    Raises:
        ValidationError: the first place the shape differs.
    """

    def bad(path: str, what: str) -> ValidationError:
        return ValidationError(
            [
                Problem(
                    name,
                    None,
                    path,
                    f"{what} (expected a leaderboard.json as `newsgold leaderboard` writes it)",
                )
            ]
        )

    if not isinstance(board, dict):
        raise bad("$", f"got a JSON {type(board).__name__}, not an object")
    if not isinstance(board.get("paired_test"), dict):
        raise bad("$.paired_test", "missing or not an object")
    layers = board.get("layers")
    if not isinstance(layers, dict):
        raise bad("$.layers", "missing or not an object")
    for layer, table in layers.items():
        rows = table.get("rows") if isinstance(table, dict) else None
        if not isinstance(rows, list):
            raise bad(f"$.layers.{layer}.rows", "missing or not a list")
        for i, row in enumerate(rows):
            if not (
                isinstance(row, dict)
                and isinstance(row.get("system_id"), str)
                and isinstance(row.get("name"), str)
                and isinstance(row.get("figures"), dict)
            ):
                raise bad(
                    f"$.layers.{layer}.rows[{i}]", "not an object with system_id, name, figures"
                )
    if not isinstance(board.get("submissions", {}), dict):
        raise bad("$.submissions", "not an object")
    return board


def rows_beside_board(
    board: Mapping[str, Any] | None,
    system_id: str,
    meta: Mapping[str, Any],
    report: Mapping[str, Any],
) -> dict[str, list[dict[str, Any]]]:
    """A candidate's rows ranked among the board's, per layer it predicts. Pure.

    What ``newsgold submission check`` prints: the board's rows (a row of the
    same system id is replaced by the candidate's) and the candidate's, ranked
    by the layer's figure as the board ranks (:func:`rank`; no paired test).

    Args:
        board: the current ``leaderboard.json`` object, or ``None`` when there is none.
        system_id: the candidate's id.
        meta: its ``submission.json``.
        report: its report object (``Report.to_json()``).

    Returns:
        layer → rows ``{"rank", "system_id", "name", "kind", "contamination", "figures"}``,
        ``kind`` being ``this submission``, ``baseline`` or ``submission``.
    """
    out: dict[str, list[dict[str, Any]]] = {}
    metas = (board or {}).get("submissions") or {}
    for layer in LAYER_TITLES:
        if report.get(layer) is None:
            continue
        rows = {
            row["system_id"]: {
                "system_id": row["system_id"],
                "name": row["name"],
                "kind": _kind(metas.get(row["system_id"], {})),
                "contamination": row.get("contamination"),
                "figures": row["figures"],
            }
            for row in ((board or {}).get("layers") or {}).get(layer, {}).get("rows", [])
        }
        rows[system_id] = {
            "system_id": system_id,
            "name": meta["name"],
            "kind": "this submission",
            "contamination": meta["contamination"],
            "figures": {path: figure(report, layer, path) for path, _ in COLUMNS[layer]},
        }
        primary = PRIMARY[layer]
        order = rank([(s, (r["figures"].get(primary) or {}).get("value")) for s, r in rows.items()])
        out[layer] = [{"rank": place, **rows[s]} for s, place in order]
    return out
