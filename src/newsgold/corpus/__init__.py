"""Build ``corpus/``, the versioned Hugging Face dataset, from the gold.

The build is a pure function of the files: the gold (:class:`~newsgold.validate.Gold`),
the hand-written ``corpus/CHANGELOG.md`` (whose newest entry is the corpus
version) and ``annotations/AGREEMENT.md`` (quoted in the card). It returns every
file of the corpus as bytes; :func:`write_corpus` and :func:`stale_files` are the
only functions that touch the disk. Rebuilding from the same inputs gives
byte-identical files: rows in a fixed order, fixed parquet writer options, and
no timestamps anywhere.

Layout of ``corpus/``::

    README.md        the dataset card: YAML (configs, features) + datasheet
    VERSION          the corpus version (semantic versioning), e.g. 1.0.0
    CHANGELOG.md     hand-written version history (input and output of the build)
    manifest.json    sha256 of every file and of the gold
    data/<config>-test-<digest>.parquet   one file per config, all in the test split

The data file names carry a digest of their content. The ``datasets`` cache key
of a local folder hashes the card's YAML (``configs:`` and ``dataset_info``), not
the data, so a rebuilt corpus with the same YAML would silently load stale
rows from the cache; with the digest in the ``data_files`` paths of the YAML,
new data means a new cache key.

Modules: :mod:`.features` (configs, features, tag names), :mod:`.tables` (rows),
:mod:`.parquet` (writer), :mod:`.versioning` (changelog version), :mod:`.card`
(the dataset card; its Markdown is the package data file ``card.md``),
:mod:`.provenance`, :mod:`.build` (every file in memory), :mod:`.disk` (write,
check) and :mod:`.loader` (``datasets`` loading). The public names are
re-exported here.

>>> CONFIGS
('documents', 'entities', 'dates', 'quotes', 'tokens', 'kb')
"""

from __future__ import annotations

from .build import Built, build_corpus
from .card import CARD_LICENSE, agreement_summary, render_card
from .disk import read_inputs, stale_files, write_corpus
from .features import CONFIGS, DATE_TAGS, NER_TAGS, SPLIT, features
from .loader import corpus_dir, load
from .parquet import data_path, to_parquet
from .provenance import PROVENANCE
from .tables import (
    build_tables,
    content_sha256,
    document_rows,
    kb_rows,
    layer_rows,
    sentence_rows,
)
from .versioning import FIRST_VERSION, changelog_version, initial_changelog

__all__ = [
    "CARD_LICENSE",
    "CONFIGS",
    "DATE_TAGS",
    "FIRST_VERSION",
    "NER_TAGS",
    "PROVENANCE",
    "SPLIT",
    "Built",
    "agreement_summary",
    "build_corpus",
    "build_tables",
    "changelog_version",
    "content_sha256",
    "corpus_dir",
    "data_path",
    "document_rows",
    "features",
    "initial_changelog",
    "kb_rows",
    "layer_rows",
    "load",
    "read_inputs",
    "render_card",
    "sentence_rows",
    "stale_files",
    "to_parquet",
    "write_corpus",
]
