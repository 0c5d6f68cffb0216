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

>>> CONFIGS
('documents', 'entities', 'dates', 'quotes', 'tokens', 'kb')
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import NewsgoldError, Problem, ValidationError
from .jsonio import document_to_json, kb_to_json, write_files_atomically
from .model import DATE_TYPES, ENTITY_LABELS, QUOTE_KINDS, Document, Gold
from .tokenize import Token, iob2_tags, split_sentences, straddled_cuts, tokenize

if TYPE_CHECKING:  # pragma: no cover
    import datasets  # type: ignore[import-untyped]

#: The configs of the dataset, the default first.
CONFIGS: tuple[str, ...] = ("documents", "entities", "dates", "quotes", "tokens", "kb")
#: The only split: newsgold is an evaluation benchmark, there is no training data.
SPLIT = "test"
#: IOB2 tag names of ``ner_tags`` (ClassLabel order is part of the corpus version).
NER_TAGS: tuple[str, ...] = ("O", *(f"{p}-{lab}" for lab in ENTITY_LABELS for p in "BI"))
#: IOB2 tag names of ``date_tags``.
DATE_TAGS: tuple[str, ...] = ("O", *(f"{p}-{t}" for t in DATE_TYPES for p in "BI"))
#: The corpus version of a first build, when there is no CHANGELOG.md yet.
FIRST_VERSION = "1.0.0"
CARD_LICENSE = "cc-by-4.0"

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

_INITIAL_CHANGELOG = """\
# Changelog of the newsgold corpus

The corpus has its own [semantic version](https://semver.org), kept in
`corpus/VERSION` and separate from the version of the `newsgold` package:

- MAJOR: a config, column or label set changes incompatibly, or a document text changes;
- MINOR: documents, configs or columns are added;
- PATCH: gold corrections (adjudication) that keep the schema.

Every release is a git tag `corpus-vX.Y.Z` of the repository and a tag of the
same name on the Hugging Face Hub (`newsgold publish`). Edit this file by hand:
the newest `## X.Y.Z` heading is the version `newsgold build` writes. Entries
say what changed for users, with issue links.

## 1.0.0 (unreleased)

- First release of the corpus (issue 4): five machine-translated English news
  texts of December 2021 with three gold layers (entities linked to a
  knowledge base, TIMEX3 dates, quotes with speakers and cues), adjudicated
  from two blind annotation passes.
- Configs `documents` (default), `entities`, `dates`, `quotes`, `tokens`
  (sentences with IOB2 `ner_tags` and `date_tags` as `ClassLabel`s) and `kb`,
  all in a single `test` split.
"""

#: What the texts themselves show about where they come from (the seeds carry no URL or date).
PROVENANCE: Mapping[str, str] = {
    "000_e9e65d9efa045d67": (
        "A page of a Romanian regional site: the footer reads “Brasov-Romania News To Your "
        "Inbox!”, the byline “Editor : A.C.”, and the story credits AFP and Agerpres. The "
        "English shows machine translation (“in a telegram. Kremlin, amid …”, “will hold. "
        "place in Vienna”)."
    ),
    "001_6065d58d5078e82b": (
        "A page of GENERICO.ru (a .ru news site): site name, section and headline are "
        "glued together (“GENERICO.ruWorldBiden said …”), the dateline is “WASHINGTON Dec "
        "31”, and the story quotes the White House press pool. The English shows machine "
        "translation; the headline is repeated, and comment-form boilerplate closes the page."
    ),
    "002_7dc57ecce207a157": (
        "Apparently translated from French (the French spelling “Vladimir Poutine”, an "
        "“(… editor’s note)” insertion); the opening paragraph is repeated with small "
        "changes, and the page ends with “Any reproduction prohibited” and “Source link -112”."
    ),
    "003_36c248dcc6a592ee": (
        "A report credited to “RIA News” at its end, quoting Kremlin aide Yuri Ushakov at "
        "length; the English shows machine translation, some quotes open with “ and close "
        "with “, and a site's appeal to disable ad blockers closes the page."
    ),
    "004_2cdfb3fb3a2b4cf3": (
        "A “Business News” page on Putin's annual press conference; the English shows "
        "machine translation (“Are we putting throws near US borders?”, “talks. year.”), "
        "and site furniture closes the page."
    ),
}


# --------------------------------------------------------------------------- features


def features(config: str) -> datasets.Features:
    """The ``datasets`` features of a config (the schema of its parquet file and card).

    Args:
        config: one of :data:`CONFIGS`.

    Returns:
        The features; ``ner_tags``/``date_tags`` are lists of ``ClassLabel``.

    >>> features("tokens")["ner_tags"].feature.names[:3]
    ['O', 'B-PER', 'I-PER']
    """
    from datasets import ClassLabel, Features, List, Value

    def span() -> dict[str, Any]:
        return {"start": Value("int32"), "end": Value("int32"), "text": Value("string")}

    entity = {**span(), "label": Value("string"), "kb_id": Value("string")}
    date = {**span(), "type": Value("string"), "value": Value("string"), "mod": Value("string")}
    quote = {
        **span(),
        "kind": Value("string"),
        "speaker": Value("string"),
        "cue": span(),
    }
    doc_id = {"doc_id": Value("string")}
    if config == "documents":
        return Features(
            {
                **doc_id,
                "text": Value("string"),
                "text_sha256": Value("string"),
                "dct": Value("string"),
                "dct_reason": Value("string"),
                "entities": List(entity),
                "dates": List(date),
                "quotes": List(quote),
            }
        )
    if config == "entities":
        return Features({**doc_id, **entity})
    if config == "dates":
        return Features({**doc_id, **date})
    if config == "quotes":
        return Features({**doc_id, **quote})
    if config == "tokens":
        return Features(
            {
                **doc_id,
                "sentence": Value("int32"),
                "tokens": List(Value("string")),
                "starts": List(Value("int32")),
                "ends": List(Value("int32")),
                "ner_tags": List(ClassLabel(names=list(NER_TAGS))),
                "date_tags": List(ClassLabel(names=list(DATE_TAGS))),
            }
        )
    if config == "kb":
        return Features(
            {
                "kb_id": Value("string"),
                "name": Value("string"),
                "label": Value("string"),
                "aliases": List(Value("string")),
            }
        )
    raise NewsgoldError(f"unknown config {config!r} (expected one of {', '.join(CONFIGS)})")


# --------------------------------------------------------------------------- tables (pure)


def document_rows(gold: Gold) -> list[dict[str, Any]]:
    """One row per document: its gold JSON (``annotations/<doc_id>.json``) plus ``text``.

    Args:
        gold: the validated gold.

    Returns:
        Rows in ``doc_id`` order.
    """
    rows = []
    for doc_id in sorted(gold.docs):
        doc = gold.docs[doc_id]
        obj = document_to_json(doc)
        rows.append(
            {
                "doc_id": obj["doc_id"],
                "text": doc.text,
                "text_sha256": obj["text_sha256"],
                "dct": obj["dct"],
                "dct_reason": obj["dct_reason"],
                "entities": obj["entities"],
                "dates": obj["dates"],
                "quotes": obj["quotes"],
            }
        )
    return rows


def layer_rows(gold: Gold, layer: str) -> list[dict[str, Any]]:
    """One row per annotation of a layer, with its ``doc_id`` first.

    Args:
        gold: the validated gold.
        layer: ``entities``, ``dates`` or ``quotes``.

    Returns:
        Rows in document order, then in the gold's (offset) order.
    """
    return [{"doc_id": row["doc_id"], **item} for row in document_rows(gold) for item in row[layer]]


def kb_rows(gold: Gold) -> list[dict[str, Any]]:
    """One row per knowledge-base entry, as in ``annotations/kb.json`` (sorted by ``kb_id``)."""
    return kb_to_json(gold.kb)


def _cuts(doc: Document) -> list[int]:
    spans = [(e.start, e.end) for e in doc.entities] + [(d.start, d.end) for d in doc.dates]
    return sorted({x for span in spans for x in span})


def sentence_rows(doc: Document) -> list[dict[str, Any]]:
    """The ``tokens`` rows of one document: one per sentence, tags as ClassLabel ids.

    Args:
        doc: a gold document.

    Returns:
        Rows with ``doc_id``, ``sentence`` (0-based), ``tokens``, ``starts`` and
        ``ends`` (code-point offsets into the document text), ``ner_tags`` and
        ``date_tags`` (indices into :data:`NER_TAGS` / :data:`DATE_TAGS`).

    Raises:
        ValidationError: when a span cannot be tagged (it would cross a sentence).

    >>> from newsgold.model import Entity
    >>> d = Document("d", "Putin spoke. Biden listened.", "2021-12-30", "r",
    ...              (Entity(0, 5, "Putin", "PER", "p"), Entity(13, 18, "Biden", "PER", "b")))
    >>> [(r["tokens"], [NER_TAGS[i] for i in r["ner_tags"]]) for r in sentence_rows(d)]
    [(['Putin', 'spoke', '.'], ['B-PER', 'O', 'O']), (['Biden', 'listened', '.'], ['B-PER', 'O', 'O'])]
    """
    tokens = tokenize(doc.text, _cuts(doc))
    protected = [(e.start, e.end) for e in doc.entities] + [(d.start, d.end) for d in doc.dates]
    ner_index = {t: i for i, t in enumerate(NER_TAGS)}
    date_index = {t: i for i, t in enumerate(DATE_TAGS)}
    rows = []
    for n, (a, b) in enumerate(split_sentences(doc.text, tokens, protected)):
        sent: list[Token] = tokens[a:b]
        lo, hi = sent[0].start, sent[-1].end
        ents = [(e.start, e.end, str(e.label)) for e in doc.entities if lo <= e.start < hi]
        dates = [(d.start, d.end, str(d.type)) for d in doc.dates if lo <= d.start < hi]
        try:
            ner = iob2_tags(sent, ents)
            dtags = iob2_tags(sent, dates)
        except ValueError as exc:
            raise ValidationError(
                [Problem(f"annotations/{doc.doc_id}.json", None, "$", f"tokens config: {exc}")]
            ) from None
        rows.append(
            {
                "doc_id": doc.doc_id,
                "sentence": n,
                "tokens": [t.text for t in sent],
                "starts": [t.start for t in sent],
                "ends": [t.end for t in sent],
                "ner_tags": [ner_index[t] for t in ner],
                "date_tags": [date_index[t] for t in dtags],
            }
        )
    return rows


def build_tables(gold: Gold) -> dict[str, list[dict[str, Any]]]:
    """Every config's rows.

    Args:
        gold: the validated gold.

    Returns:
        ``config`` → rows, in the order of :data:`CONFIGS`.
    """
    return {
        "documents": document_rows(gold),
        "entities": layer_rows(gold, "entities"),
        "dates": layer_rows(gold, "dates"),
        "quotes": layer_rows(gold, "quotes"),
        "tokens": [r for doc_id in sorted(gold.docs) for r in sentence_rows(gold.docs[doc_id])],
        "kb": kb_rows(gold),
    }


def content_sha256(config: str, rows: Sequence[Mapping[str, Any]]) -> str:
    """A digest of a config's features and rows, independent of the parquet writer.

    Args:
        config: the config name.
        rows: its rows.

    Returns:
        64 hex digits.
    """
    payload = {"config": config, "features": features(config).to_dict(), "rows": list(rows)}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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


# --------------------------------------------------------------------------- versioning


_VERSION_HEADING = re.compile(r"^## \[?(\d+)\.(\d+)\.(\d+)\]?(?:\s|$)")


def changelog_version(changelog: str, name: str = "corpus/CHANGELOG.md") -> str:
    """The corpus version: the newest (first) ``## X.Y.Z`` heading of the changelog.

    Args:
        changelog: the changelog's text.
        name: the file name used in errors.

    Returns:
        The version, ``MAJOR.MINOR.PATCH``.

    Raises:
        ValidationError: when no heading names a version.

    >>> changelog_version("# Changelog\\n\\n## 1.2.0 (2026-01-02)\\n\\n## 1.1.0\\n")
    '1.2.0'
    """
    for lineno, line in enumerate(changelog.splitlines(), start=1):
        if line.startswith("## "):
            m = _VERSION_HEADING.match(line)
            if not m:
                raise ValidationError(
                    [
                        Problem(
                            name,
                            lineno,
                            "$",
                            f"got {line!r}, expected a version heading '## MAJOR.MINOR.PATCH ...' "
                            "(the newest release first)",
                        )
                    ]
                )
            return ".".join(m.groups())
    raise ValidationError(
        [Problem(name, None, "$", "no '## MAJOR.MINOR.PATCH' heading (expected one per release)")]
    )


# --------------------------------------------------------------------------- the card


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


def _yaml(obj: Any) -> str:
    import yaml  # type: ignore[import-untyped]

    return str(yaml.safe_dump(obj, sort_keys=False, allow_unicode=True, width=1000))


def agreement_summary(agreement: str | None) -> str | None:
    """The agreement section of ``annotations/AGREEMENT.md``, to quote in the card.

    Takes the first ``##`` section whose heading mentions agreement; failing
    that, the first Markdown table.

    Args:
        agreement: the file's text, or ``None`` when it does not exist.

    Returns:
        The Markdown to quote, or ``None``.

    >>> agreement_summary("# A\\n\\n## Agreement (B vs gold)\\n\\n| a |\\n|---|\\n\\n## Next\\n")
    '| a |\\n|---|'
    """
    if not agreement:
        return None
    lines = agreement.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("## ") and "agreement" in line.lower():
            body = []
            for nxt in lines[i + 1 :]:
                if nxt.startswith("## ") or nxt.startswith("# "):
                    break
                body.append(nxt)
            text = "\n".join(body).strip()
            return text or None
    table = [ln for ln in lines if ln.startswith("|")]
    if table:
        start = lines.index(table[0])
        block = []
        for ln in lines[start:]:
            if not ln.startswith("|"):
                break
            block.append(ln)
        return "\n".join(block)
    return None


def _md_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def render_card(
    gold: Gold,
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    paths: Mapping[str, str],
    sizes: Mapping[str, int],
    version: str,
    changelog: str,
    agreement: str | None,
) -> str:
    """The dataset card ``corpus/README.md``: YAML front matter and a datasheet.

    Every count in it is computed here from the tables, so the card never
    disagrees with the data.

    Args:
        gold: the validated gold.
        tables: config → rows (:func:`build_tables`).
        paths: config → data file path in the corpus.
        sizes: config → arrow size in bytes (the ``num_bytes`` of the split).
        version: the corpus version.
        changelog: the changelog's text (its entries become the version history).
        agreement: the text of ``annotations/AGREEMENT.md``, if it exists.

    Returns:
        The card, Markdown with YAML front matter.
    """
    from .stats import gold_stats

    stats = gold_stats(gold)
    total = stats["total"]
    docs = tables["documents"]
    n_docs = len(docs)
    n_chars = sum(len(r["text"]) for r in docs)
    n_tokens = sum(len(r["tokens"]) for r in tables["tokens"])
    n_sents = len(tables["tokens"])
    forced = sum(len(straddled_cuts(d.text, _cuts(d))) for d in gold.docs.values())
    gold_sha = gold.sha256
    content = hashlib.sha256(
        "".join(content_sha256(c, tables[c]) for c in CONFIGS).encode()
    ).hexdigest()

    front = {
        "pretty_name": "newsgold",
        "license": CARD_LICENSE,
        "language": ["en"],
        "multilinguality": ["monolingual"],
        "size_categories": ["n<1K"],
        "source_datasets": ["original"],
        "annotations_creators": ["machine-generated"],
        "language_creators": ["found", "machine-generated"],
        "task_categories": ["token-classification"],
        "task_ids": ["named-entity-recognition"],
        "tags": [
            "news",
            "benchmark",
            "evaluation",
            "entity-linking",
            "temporal-expressions",
            "timex3",
            "quotation-attribution",
            "machine-translation",
        ],
        "newsgold": {
            "corpus_version": version,
            "gold_sha256": gold_sha,
            "content_sha256": content,
        },
        "configs": [
            {
                "config_name": c,
                "data_files": [{"split": SPLIT, "path": paths[c]}],
                **({"default": True} if c == CONFIGS[0] else {}),
            }
            for c in CONFIGS
        ],
        "dataset_info": [
            {
                "config_name": c,
                "features": features(c)._to_yaml_list(),
                "splits": [{"name": SPLIT, "num_bytes": sizes[c], "num_examples": len(tables[c])}],
                "dataset_size": sizes[c],
            }
            for c in CONFIGS
        ],
    }

    per_doc = _md_table(
        ["doc_id", "dct", "characters", "sentences", "tokens", "entities", "dates", "quotes"],
        [
            (
                f"`{r['doc_id']}`",
                r["dct"],
                len(r["text"]),
                sum(1 for s in tables["tokens"] if s["doc_id"] == r["doc_id"]),
                sum(len(s["tokens"]) for s in tables["tokens"] if s["doc_id"] == r["doc_id"]),
                len(r["entities"]),
                len(r["dates"]),
                len(r["quotes"]),
            )
            for r in docs
        ]
        + [
            (
                "**total**",
                "",
                n_chars,
                n_sents,
                n_tokens,
                total["entities"],
                total["dates"],
                total["quotes"],
            )
        ],
    )
    labels = _md_table(
        ["layer", "label", "annotations", "share"],
        [
            (
                "entities",
                lab,
                total[f"entities.{lab}"],
                _share(total[f"entities.{lab}"], total["entities"]),
            )
            for lab in ENTITY_LABELS
        ]
        + [
            ("dates", t, total[f"dates.{t}"], _share(total[f"dates.{t}"], total["dates"]))
            for t in DATE_TYPES
        ]
        + [
            ("quotes", k, total[f"quotes.{k}"], _share(total[f"quotes.{k}"], total["quotes"]))
            for k in QUOTE_KINDS
        ],
    )
    kb_by_label = _md_table(
        ["label", "KB entries"],
        [(lab, sum(1 for k in gold.kb if k.label == lab)) for lab in ENTITY_LABELS],
    )
    n_speaker = sum(1 for r in tables["quotes"] if r["speaker"] is not None)
    n_cue = sum(1 for r in tables["quotes"] if r["cue"] is not None)
    n_mod = sum(1 for r in tables["dates"] if r["mod"] is not None)
    dct_rows = _md_table(
        ["doc_id", "dct", "evidence in the text (`dct_reason`)"],
        [(f"`{r['doc_id']}`", r["dct"], r["dct_reason"].replace("|", "\\|")) for r in docs],
    )
    provenance = "\n".join(
        f"- `{r['doc_id']}`: {PROVENANCE.get(r['doc_id'], 'no provenance recorded for this document.')}"
        for r in docs
    )
    files_table = _md_table(
        ["config", "rows", "one row per", "file"],
        [
            (
                f"`{c}`" + (" (default)" if c == CONFIGS[0] else ""),
                len(tables[c]),
                _ROW_UNIT[c],
                f"`{paths[c]}`",
            )
            for c in CONFIGS
        ],
    )
    summary = agreement_summary(agreement)
    if summary:
        agreement_md = (
            "The gold was annotated twice, blind, and every difference adjudicated. "
            "From `annotations/AGREEMENT.md` of the newsgold repository "
            "([../annotations/AGREEMENT.md](../annotations/AGREEMENT.md)), as of this build:\n\n"
            + "\n".join("> " + ln if ln else ">" for ln in summary.splitlines())
        )
    else:
        agreement_md = (
            "`annotations/AGREEMENT.md` did not exist when this corpus was built, so no "
            "agreement figure is quoted here; see that file in the newsgold repository."
        )
    history = _changelog_entries(changelog)
    body = _CARD.format(
        version=version,
        n_docs=n_docs,
        n_chars=n_chars,
        n_sents=n_sents,
        n_tokens=n_tokens,
        n_entities=total["entities"],
        n_dates=total["dates"],
        n_quotes=total["quotes"],
        n_kb=len(gold.kb),
        n_speaker=n_speaker,
        n_cue=n_cue,
        n_mod=n_mod,
        n_kb_used=total["kb_ids"],
        forced=forced,
        forced_note=(
            "none were needed: the rules alone put every entity and date boundary on a token boundary"
            if forced == 0
            else f"{forced} such cut{'s' * (forced != 1)} were needed"
        ),
        per_doc=per_doc,
        labels=labels,
        kb_by_label=kb_by_label,
        dct_rows=dct_rows,
        provenance=provenance,
        files_table=files_table,
        agreement=agreement_md,
        history=history,
        gold_sha=gold_sha,
        content_sha=content,
        ner_names=", ".join(f"`{t}`" for t in NER_TAGS),
        date_names=", ".join(f"`{t}`" for t in DATE_TAGS),
        license=CARD_LICENSE,
    )
    return "---\n" + _yaml(front) + "---\n\n" + body


_ROW_UNIT = {
    "documents": "document",
    "entities": "entity mention",
    "dates": "temporal expression",
    "quotes": "quotation",
    "tokens": "sentence",
    "kb": "knowledge-base entity",
}


def _share(n: int, of: int) -> str:
    return "–" if of == 0 else f"{100 * n / of:.1f}%"


def _changelog_entries(changelog: str) -> str:
    """The changelog's release entries with headings moved one level down."""
    lines = changelog.splitlines()
    first = next((i for i, ln in enumerate(lines) if ln.startswith("## ")), len(lines))
    return "\n".join(("#" + ln if ln.startswith("## ") else ln) for ln in lines[first:]).strip()


_CARD = """\
# newsgold {version}: gold entities, dates and quotes in machine-translated news

**newsgold** is a small, exact, gold-annotated evaluation corpus: {n_docs} English news
texts about the US–Russia talks of late December 2021, each annotated with three
layers: **named entities** (PER, ORG, GPE, LOC, NORP) linked to a corpus-wide
knowledge base, **temporal expressions** (TIMEX3 DATE, TIME, DURATION, SET with ISO
values) and **quotations** with their speaker and reporting cue. The texts are
kept byte-identical to what was collected, machine-translation errors and page
boilerplate included, because that is what systems meet in the wild.

It is an **evaluation benchmark**: everything is in one `test` split and there is
no training data. Score a system with `newsgold score` (below), which reports
strict/partial/type F1 with bootstrap confidence intervals.

- Corpus version: **{version}** (`VERSION`, `CHANGELOG.md`; releases are tags `corpus-v{version}`)
- Gold sha256: `{gold_sha}` (quote it with every result; also in `manifest.json`)
- Content sha256: `{content_sha}` (a digest of every row and feature of every
  config, independent of the parquet writer; the data file names carry a prefix
  of each config's digest, so that a changed corpus never loads from a stale
  `datasets` cache)

## Contents

{files_table}

All offsets are Unicode **code points** into the document `text`, `start`
inclusive and `end` exclusive (Python slicing: `text[start:end] == span["text"]`).
A field that does not apply is `null`, never an empty string or `-1`: a date's
`mod`, a quote's `speaker` (no source named) and a quote's `cue` (no reporting
verb) may be null.

- `documents` (default): `doc_id`, `text`, `text_sha256`, `dct` (document creation
  time, ISO date), `dct_reason`, and the lists `entities` (`start`, `end`, `text`,
  `label`, `kb_id`), `dates` (`start`, `end`, `text`, `type`, `value`, `mod`) and
  `quotes` (`start`, `end`, `text`, `kind`, `speaker`, `cue` = `{{start, end, text}}`
  or null). Each row minus `text` is exactly the file `annotations/<doc_id>.json`
  of the repository.
- `entities`, `dates`, `quotes`: the same annotations as flat tables, one row each,
  with its `doc_id`.
- `tokens`: one row per sentence: `doc_id`, `sentence` (0-based index in the
  document), `tokens`, `starts`/`ends` (code-point offsets of each token in the
  document text), `ner_tags` and `date_tags`: IOB2 tags as `ClassLabel` ids,
  `ner_tags` names {ner_names}; `date_tags` names {date_names}.
- `kb`: the knowledge base: `kb_id`, canonical `name`, `label` and every surface
  form in the corpus (`aliases`). Every entity mention's `kb_id` and every quote's
  `speaker` is a `kb_id` here.

### The tokenizer of the `tokens` config

Rule-based, written down in `newsgold.tokenize` and tested; white space is never
part of a token:

1. initials with periods are one token (`A.C.`); numbers keep inner `.`, `,` and
   `:` (`20:30`, `100,000`), and a plain number is a word (`1990s`);
2. words are runs of letters and digits; a period glued to a lowercase run
   joins it (`GENERICO.ru`), and a word is cut where a lowercase letter meets an
   uppercase one, because broken formatting glued words (`GENERICO.ruWorldBiden` →
   `GENERICO.ru` `World` `Biden`);
3. clitics after an apostrophe are tokens (`Russia’s` → `Russia` `’s`);
4. an ellipsis is one token; every other character (punctuation, quotation
   marks, hyphens, dashes) is a token of its own (`Russian-American` → `Russian`
   `-` `American`);
5. a token is also cut at every gold entity and date boundary, so that every
   span starts and ends on a token boundary; {forced_note}.

Sentences end at line breaks and after `.`, `!`, `?` or `…` followed by white
space (closing quotation marks glued to the mark stay with the sentence), except
after title abbreviations and single initials, and never inside an entity or a
date. A stray punctuation-only fragment joins the sentence before it. The
splitter is a convenience for token-classification systems, not gold: sentence
boundaries were not annotated.

## Composition

{n_docs} documents, {n_chars} characters, {n_sents} sentences and {n_tokens} tokens;
{n_entities} entity mentions of {n_kb_used} distinct entities ({n_kb} KB entries,
which also hold quote speakers), {n_dates} temporal expressions ({n_mod} with a
`mod`) and {n_quotes} quotations ({n_speaker} with a named speaker, {n_cue} with a
cue). Computed when this corpus was built.

{per_doc}

Annotations per layer and label:

{labels}

Knowledge base entries per label:

{kb_by_label}

## Motivation

Evaluation sets for NER, temporal tagging and quote attribution are usually
large and noisy, or clean but far from the text systems meet in practice.
newsgold is the opposite trade: a few documents of real, messy, machine-translated
news, annotated exactly (every offset checked by code against the text, every
layer double-annotated and adjudicated), with the guidelines, the disagreements
and the decisions published. It is meant to tell where a system fails, with
honest confidence intervals, rather than to rank systems by a third decimal.

## Source and provenance of the texts

The seed texts were collected as plain text, without URL or publication
date; they are stored byte-identical in `seeds/` of the repository with a
sha256 manifest (`seeds/SHA256SUMS`), and every document carries the sha256 of its
text (`text_sha256`). What each text shows about its origin:

{provenance}

## Document creation times

The texts carry no publication date, but relative dates (`Thursday`, `tomorrow`,
`last week`) must be resolved against one. Each document's `dct` was inferred
from the text itself, and the evidence is the `dct_reason` field. The texts
name weekdays and days of the month but no year; the year, and the weekday each
date falls on, come from the events they report (the Biden–Putin telephone call
of Thursday 30 December 2021, Putin's press conference of Thursday 23 December
2021, the talks of 10–13 January 2022).

{dct_rows}

Relative expressions are resolved against the `dct`, or against the time the
text sets in a quote (`today` in words spoken the day before). The annotation
guidelines (`annotations/GUIDELINES.md` in the repository) list the calendar used
and every hard case.

## Annotation process and agreement

The annotation contract is `ANNOTATION_SPEC.md`, elaborated with examples and
decisions in `annotations/GUIDELINES.md`. Every span's offsets were computed by
code from its surface and context, never counted by hand, and `newsgold validate`
checks the whole gold (schema, offsets, `text == doc_text[start:end]`, no
overlaps, KB links, calendar-valid TIMEX values) before every build.

{agreement}

## Known problems

- **Machine translation.** The texts are machine translations with dropped,
  moved or invented words (`telephone conversation. place between the two
  leaders`, `talks. year.`, `Vladimir Poutine`, `Are we putting throws near US
  borders?`). They are kept as they are; stranded words are not annotated and
  missing words are never guessed.
- **Boilerplate.** Page furniture is part of the texts (`Source link`, `Please
  enter your comment!`, `Back to top button`, a duplicated headline or lead
  paragraph). It is annotated like any other line when it holds a name or a date.
- **Broken quotes.** Some quotations open with “ and close with “, or close after
  a stray space (`turn out. ”`); quote spans follow the content between the marks
  as the guidelines define it.
- **Glued tokens.** Broken formatting glues names to other words
  (`GENERICO.ruWorldBiden`); the names are still annotated.
- **Size and domain.** {n_docs} documents on one news story from one week: figures
  come with wide confidence intervals, and nothing here measures other domains,
  genres or languages.
- **Inferred document dates.** The `dct` values are inferred (see above), not
  publication metadata; date values depend on them.
- **Correlated annotators.** See the caveat in the agreement section: high
  agreement here shows that the guidelines are unambiguous for these texts, not
  that the gold is free of error. Report suspected errors as issues.
- **Sentence splits** of the `tokens` config are rule-based, not gold.

## Intended uses

- Scoring NER (with or without entity linking), temporal expression
  recognition and normalization, and quotation extraction and attribution
  systems, with the `newsgold score` definitions and confidence intervals.
- Error analysis of systems on noisy, machine-translated news.
- A worked example of a fully documented, reproducible gold annotation.

## Out-of-scope uses

- **Training or fine-tuning.** There is no training split; tuning on the test
  set invalidates every comparison made with it.
- Claims about performance on news in general, on other languages, or on
  original (not translated) English.
- Studying the events themselves: the texts are machine translations of news
  reports, not a source of facts.
- Tasks the layers do not cover (coreference of pronouns, sentiment, nested
  entities).

## How to load

From a clone of the repository (offline, no script):

```python
from datasets import load_dataset

docs = load_dataset("path/to/newsgold/corpus", "documents", split="test")
tokens = load_dataset("path/to/newsgold/corpus", "tokens", split="test")
tokens.features["ner_tags"].feature.names  # ['O', 'B-PER', 'I-PER', ...]
```

or, with the `newsgold` package installed from the clone, `newsgold.load("tokens")`
(the same call on the bundled `corpus/`).

From the Hugging Face Hub, pin the release you report results on: every release
is a tag, and `revision=` selects it, so a later gold correction never changes
your numbers behind your back:

```python
load_dataset("OWNER/newsgold", "documents", split="test", revision="corpus-v{version}")
```

## How to evaluate

Write your system's output as JSONL, one line per document (`doc_id` and any of
`entities`, `dates`, `quotes`, spans with code-point `start`/`end`), then:

```console
$ newsgold validate --predictions my_system.jsonl
$ newsgold score my_system.jsonl
```

`newsgold score` reports, for entities, the strict, exact, partial and type
modes of SemEval-2013 Task 9.1 (micro and macro, per label) and `kb_id`
accuracy; for dates, TempEval-3 strict and relaxed span F1 with type and value
accuracy; for quotes, strict and overlap span F1, speaker accuracy and
end-to-end F1; each with a bootstrap confidence interval. Output in other
formats (CoNLL, brat, spaCy, a Hugging Face pipeline, Label Studio) is read with
`--format`, and a foreign label set (OntoNotes, CoNLL) is mapped with `--scheme`;
`newsgold compare a.jsonl b.jsonl` tests whether two systems differ. A
token-classification model can also predict `ner_tags` on the `tokens` config
and be scored with `seqeval` against its IOB2 tags. Quote the corpus version
and the gold sha256 with every result.

## Licensing

The annotations (every layer, the knowledge base, the guidelines) are released
under {license}. The texts are news reports of third-party publishers, included
byte-identical so that offsets are exact; their copyright stays with their
publishers, and they are here for research evaluation only.

## Citation

Replace `OWNER` with the Hub repository you loaded the corpus from.

```bibtex
@misc{{newsgold,
  title        = {{newsgold: a gold-annotated news corpus of entities, dates and quotes}},
  author       = {{{{newsgold maintainers}}}},
  year         = {{2026}},
  note         = {{Corpus version {version}, gold sha256 {gold_sha}}},
  howpublished = {{\\url{{https://huggingface.co/datasets/OWNER/newsgold}}}}
}}
```

## Version history

{history}
"""


# --------------------------------------------------------------------------- build (pure)


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
    import pyarrow as pa

    log = _INITIAL_CHANGELOG if changelog is None else changelog
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
        "files": {
            path: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for path, data in sorted(files.items())
        },
    }
    files["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    return Built(files=dict(sorted(files.items())), version=version, gold_sha256=gold.sha256)


# --------------------------------------------------------------------------- disk


def read_inputs(root: Path, out: Path) -> tuple[str | None, str | None]:
    """The build's text inputs: ``out/CHANGELOG.md`` and ``annotations/AGREEMENT.md``.

    Args:
        root: the project folder.
        out: the corpus folder.

    Returns:
        ``(changelog or None, agreement or None)``.
    """
    from .jsonio import read_text

    log = out / "CHANGELOG.md"
    agree = root / "annotations" / "AGREEMENT.md"
    return (
        read_text(log) if log.exists() else None,
        read_text(agree) if agree.exists() else None,
    )


def _on_disk(out: Path) -> set[str]:
    if not out.is_dir():
        return set()
    return {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


def write_corpus(out: Path, built: Built) -> list[str]:
    """Write a built corpus: every file atomically, then remove stale data files.

    Args:
        out: the corpus folder (created if needed).
        built: from :func:`build_corpus`.

    Returns:
        The relative paths removed (data files of an older build).
    """
    write_files_atomically({out / path: data for path, data in built.files.items()})
    removed = []
    for path in sorted(_on_disk(out) - set(built.files)):
        if path.startswith("data/"):
            (out / path).unlink()
            removed.append(path)
    return removed


def stale_files(out: Path, built: Built) -> list[str]:
    """What differs between ``out`` and a fresh build: ``[]`` when in step.

    Parquet files written by another pyarrow version (as recorded in the
    manifest) are compared by content, not bytes, so a CI machine with a newer
    pyarrow does not report a corpus whose data is the same.

    Args:
        out: the corpus folder.
        built: a fresh build.

    Returns:
        One line per difference: ``PATH: missing``, ``PATH: differs`` or
        ``PATH: not part of the build``.
    """
    import pyarrow as pa

    disk = _on_disk(out)
    problems = []
    other_writer = False
    manifest = out / "manifest.json"
    if manifest.exists():
        try:
            recorded = json.loads(manifest.read_text(encoding="utf-8"))
            other_writer = recorded.get("writer", {}).get("pyarrow") != pa.__version__
        except (ValueError, AttributeError):
            other_writer = False
    same_data: set[str] = set()
    for path, data in built.files.items():
        if path not in disk:
            problems.append(f"{path}: missing")
            continue
        current = (out / path).read_bytes()
        if current == data:
            continue
        if other_writer and path.endswith(".parquet") and _same_table(current, data):
            same_data.add(path)
            continue
        if path == "manifest.json" and other_writer and _same_manifest(current, data, same_data):
            continue
        problems.append(f"{path}: differs")
    problems += [f"{p}: not part of the build" for p in sorted(disk - set(built.files))]
    return problems


def _same_table(a: bytes, b: bytes) -> bool:
    import pyarrow.parquet as pq

    ta = pq.read_table(io.BytesIO(a))
    tb = pq.read_table(io.BytesIO(b))
    return bool(ta.equals(tb, check_metadata=True))


def _same_manifest(a: bytes, b: bytes, same_data: set[str]) -> bool:
    ma, mb = json.loads(a), json.loads(b)
    for m in (ma, mb):
        m.pop("writer", None)
        for path in same_data:
            m["files"].pop(path, None)
    return bool(ma == mb)


# --------------------------------------------------------------------------- load


def corpus_dir(root: Path | None = None) -> Path:
    """The bundled corpus folder of a project (default: the project found by ``find_root``)."""
    from .jsonio import Paths, find_root

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
