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
