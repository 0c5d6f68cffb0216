"""What the board ranks and shows: its layout version, the layers, their figures and the test's level."""

from __future__ import annotations

LEADERBOARD_VERSION = 1
"""Version of the layout of ``leaderboard.json``."""

ALPHA = 0.05
"""Significance level of the paired test against the best system."""

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
