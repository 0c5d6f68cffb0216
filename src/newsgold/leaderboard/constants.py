"""What the board ranks and shows: its layout version, the layers, their figures and the test's level."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..scoring.registry import LAYERS

LEADERBOARD_VERSION = 2
"""Version of the layout of ``leaderboard.json``."""

ALPHA = 0.05
"""Significance level of the paired test against the best system."""

N_BOOTSTRAP = 1000
"""Bootstrap resamples of the board's intervals (``newsgold submission check`` uses the same)."""


class _ByLayer(Mapping[str, Any]):
    """A read-through view of the layer registry (a metric registered later shows at once)."""

    def __init__(self, read: Callable[[Any], Any]) -> None:
        self._read = read

    def __getitem__(self, layer: str) -> Any:
        return self._read(LAYERS[layer])

    def __iter__(self) -> Iterator[str]:
        return iter(LAYERS)

    def __len__(self) -> int:
        return len(LAYERS)


LAYER_TITLES: Mapping[str, str] = _ByLayer(lambda layer: layer.title)
"""Each layer's title (from :data:`newsgold.scoring.LAYERS`)."""

PRIMARY: Mapping[str, str] = _ByLayer(lambda layer: layer.primary)
"""The figure each layer is ranked by (a path in the scorer's report)."""

COLUMNS: Mapping[str, tuple[tuple[str, str], ...]] = _ByLayer(lambda layer: layer.board_columns)
"""The figures shown per layer: report path and column title."""
