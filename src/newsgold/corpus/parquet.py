"""Parquet serialization of a config, with fixed writer options so that a rebuild gives the same bytes."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from .features import SPLIT, features

# parquet writer options: fixed, so that a rebuild gives the same bytes
_PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
    "store_schema": True,
    "row_group_size": 1_000_000,
}


def to_parquet(config: str, rows: Sequence[Mapping[str, Any]]) -> tuple[bytes, int]:
    """Serialize rows as parquet with the config's features and fixed writer options.

    The arrow schema carries the ``huggingface`` features metadata, so the file
    alone restores ClassLabel names; there is no timestamp in the file.

    Args:
        config: the config name.
        rows: its rows.

    Returns:
        ``(parquet bytes, in-memory arrow size in bytes)``.
    """
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    table = pa.Table.from_pylist(list(rows), schema=features(config).arrow_schema)
    buf = io.BytesIO()
    pq.write_table(table, buf, **_PARQUET_OPTIONS)
    return buf.getvalue(), int(table.nbytes)


def data_path(config: str, digest: str) -> str:
    """Where a config's data file lives in the corpus (relative, POSIX).

    >>> data_path("tokens", "0123456789abcdef" * 4)
    'data/tokens-test-0123456789ab.parquet'
    """
    return f"data/{config}-{SPLIT}-{digest[:12]}.parquet"
