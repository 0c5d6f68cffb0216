"""Figures and notes as text, shared by the Markdown and HTML renderings of the board."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .constants import ALPHA


def _num(value: Any) -> str:
    return "—" if value is None else f"{value:.3f}"


def _ci(ci: Any) -> str:
    return "" if not ci else f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def _notes(sub: Mapping[str, Any]) -> list[str]:
    """The scorer's warnings about one system, less the one every system shares (few documents)."""
    warnings = (sub.get("scores") or {}).get("warnings") or []
    return [str(w) for w in warnings if "bootstrap intervals over so few" not in str(w)]


def _unit(board: Mapping[str, Any]) -> str:
    return str(board["paired_test"].get("unit", "document"))


def _method_note(board: Mapping[str, Any]) -> str:
    """What the marks mean: the test, its unit and its correction (shared by both renderings)."""
    unit = _unit(board)
    return (
        f"the paired test (approximate randomisation over {unit}s, two-sided) with Holm's "
        f"correction over the layer's comparisons with its best system cannot tell from the best "
        f"(adjusted p ≥ {ALPHA}); those systems and the best form the layer's statistical tie."
        + (
            f" {unit.capitalize()}s of one document are correlated, so intervals and tests over "
            "them are somewhat optimistic (design effect: docs/statistics.md)."
            if unit != "document"
            else ""
        )
    )


def _tie_note(board: Mapping[str, Any], layer: str) -> str:
    """The layer's statistical tie in words."""
    table = board["layers"][layer]
    tied = table.get("tied_with_best") or []
    if len(tied) < 2:
        return f"No system ties with the best (Holm-corrected paired test over {_unit(board)}s)."
    return (
        f"Statistical tie with the best (Holm-corrected paired test over {_unit(board)}s): "
        + ", ".join(tied)
        + "."
    )


def _power_note(board: Mapping[str, Any]) -> str:
    """A sentence when the test cannot reach significance at all on this gold (else empty)."""
    floor = board["paired_test"].get("smallest_attainable_p_value")
    if floor is None or floor < ALPHA:
        return ""
    return (
        f" On {board['documents']} documents, with {_unit(board)}s as the unit, the smallest "
        f"p-value this test can reach is {floor:.4g}, above {ALPHA}: no system can be told "
        "apart from the best yet."
    )


#: How a row shows the submission's ``contamination`` (whether the system has seen these texts).
SEEN = {"yes": "seen", "unknown": "seen?", "no": ""}


def seen_legend(mark: Callable[[str], str]) -> str:
    """The sentence explaining the marks, each mark rendered by ``mark`` (bold, a badge)."""
    return (
        f"{mark('seen')} marks a system that has seen these texts (contamination yes in its "
        "submission.json: its training data, rules or prompt drew on them), "
        f"{mark('seen?')} one whose submitter cannot say (unknown): their figures may overstate "
        "what they do on unseen news."
    )


def _training(sub: Mapping[str, Any]) -> str:
    """A system's training data, cutoff and contamination, as one sentence."""
    note = sub.get("contamination_note")
    return (
        f"Training data: {sub.get('training_data')} (cutoff {sub.get('training_cutoff')}). "
        f"Has seen these texts: {sub.get('contamination')}{f' ({note})' if note else ''}."
    )
