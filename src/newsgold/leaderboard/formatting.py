"""Figures and notes as text, shared by the Markdown and HTML renderings of the board."""

from __future__ import annotations

from collections.abc import Mapping
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


def _power_note(board: Mapping[str, Any]) -> str:
    """A sentence when the test cannot reach significance at all on this gold (else empty)."""
    floor = board["paired_test"].get("smallest_attainable_p_value")
    if floor is None or floor < ALPHA:
        return ""
    return (
        f" On {board['documents']} documents the smallest p-value this test can reach is "
        f"{floor:.4g}, above {ALPHA}: no system can be told apart from the best yet."
    )
