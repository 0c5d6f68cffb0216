"""Build every file of ``corpus/`` in memory (pure): data files, card, version and manifest."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model import Gold
from .card import render_card
from .features import CONFIGS, SPLIT
from .parquet import _PARQUET_OPTIONS, data_path, to_parquet
from .tables import build_tables, content_sha256
from .versioning import changelog_version, initial_changelog


@dataclass(frozen=True)
class Built:
    """A built corpus, in memory.

    Attributes:
        files: relative POSIX path → content, every file of ``corpus/``.
        version: the corpus version.
        gold_sha256: digest of the gold it was built from.
    """

    files: Mapping[str, bytes]
    version: str
    gold_sha256: str


def file_entry(data: bytes) -> dict[str, Any]:
    """A file's entry in ``manifest.json``: its sha256 and size.

    >>> file_entry(b"2.0.0\\n")["bytes"]
    6
    """
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """``manifest.json`` as written: indented JSON, UTF-8, one final newline.

    >>> manifest_bytes({"name": "newsgold"})
    b'{\\n  "name": "newsgold"\\n}\\n'
    """
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()


def build_corpus(
    gold: Gold,
    changelog: str | None = None,
    agreement: str | None = None,
    changelog_name: str = "corpus/CHANGELOG.md",
) -> Built:
    """Build every file of ``corpus/`` in memory.

    Args:
        gold: the validated gold.
        changelog: the text of ``corpus/CHANGELOG.md``; ``None`` for a first build,
            which starts the changelog at version 1.0.0.
        agreement: the text of ``annotations/AGREEMENT.md``, if it exists.
        changelog_name: how to name the changelog in errors.

    Returns:
        The files (``README.md``, ``VERSION``, ``CHANGELOG.md``, ``manifest.json``
        and the data files) and the version.

    Raises:
        ValidationError: on a malformed changelog, or a span that cannot be
            tagged in the ``tokens`` config.
    """
    import pyarrow as pa  # type: ignore[import-untyped]

    log = initial_changelog() if changelog is None else changelog
    version = changelog_version(log, changelog_name)
    tables = build_tables(gold)
    files: dict[str, bytes] = {}
    paths: dict[str, str] = {}
    sizes: dict[str, int] = {}
    for config in CONFIGS:
        data, size = to_parquet(config, tables[config])
        paths[config] = data_path(config, content_sha256(config, tables[config]))
        sizes[config] = size
        files[paths[config]] = data
    files["README.md"] = render_card(gold, tables, paths, sizes, version, log, agreement).encode()
    files["VERSION"] = f"{version}\n".encode()
    files["CHANGELOG.md"] = log.encode()
    manifest = {
        "name": "newsgold",
        "corpus_version": version,
        "gold_sha256": gold.sha256,
        "seeds": {d: gold.docs[d].text_sha256 for d in sorted(gold.docs)},
        "writer": {"pyarrow": pa.__version__, **_PARQUET_OPTIONS},
        "configs": {c: {"path": paths[c], "split": SPLIT, "rows": len(tables[c])} for c in CONFIGS},
        "files": {path: file_entry(data) for path, data in sorted(files.items())},
    }
    files["manifest.json"] = manifest_bytes(manifest)
    return Built(files=dict(sorted(files.items())), version=version, gold_sha256=gold.sha256)
