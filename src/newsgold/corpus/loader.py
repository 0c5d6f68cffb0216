"""Load a config of the corpus with ``datasets.load_dataset``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NewsgoldError
from .features import CONFIGS, SPLIT

if TYPE_CHECKING:  # pragma: no cover
    import datasets  # type: ignore[import-untyped]


def corpus_dir(root: Path | None = None) -> Path:
    """The bundled corpus folder of a project (default: the project found by ``find_root``)."""
    from ..jsonio import Paths, find_root

    return Paths(root or find_root()).corpus


def load(
    config: str = "documents",
    *,
    path: str | Path | None = None,
    cache_dir: str | Path | None = None,
) -> datasets.Dataset:
    """Load a config of the corpus with ``datasets.load_dataset`` (its ``test`` split).

    Args:
        config: one of :data:`CONFIGS` (default ``documents``).
        path: the corpus folder (default: ``corpus/`` of the project) or a Hub
            repo id.
        cache_dir: the ``datasets`` cache folder (default: the ``datasets`` default).

    Returns:
        The ``test`` split as a ``datasets.Dataset``.

    Raises:
        NewsgoldError: for an unknown config or a missing corpus folder.
    """
    if config not in CONFIGS:
        raise NewsgoldError(f"unknown config {config!r} (expected one of {', '.join(CONFIGS)})")
    where = Path(path) if path is not None else corpus_dir()
    if path is None or Path(path).exists():
        if not (where / "README.md").is_file():
            raise NewsgoldError(
                f"{where}: no corpus here (expected README.md and data/); run `newsgold build`"
            )
    from datasets import load_dataset

    return load_dataset(
        str(where),
        config,
        split=SPLIT,
        cache_dir=None if cache_dir is None else str(cache_dir),
    )
