"""The dataset card ``corpus/README.md``: YAML front matter and a datasheet.

The datasheet's Markdown is the package data file ``card.md``, a
:meth:`str.format` template (literal braces doubled) filled by :func:`render_card`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from importlib.resources import files
from typing import Any

from ..model import DATE_TYPES, ENTITY_LABELS, QUOTE_KINDS, Gold
from ..tokenize import straddled_cuts
from .features import CONFIGS, DATE_TAGS, NER_TAGS, SPLIT, features
from .provenance import PROVENANCE
from .tables import _cuts, content_sha256

CARD_LICENSE = "cc-by-4.0"


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
    from ..stats import gold_stats

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
    n_ent_alt = sum(1 for r in tables["entities"] if r["alternatives"])
    n_date_alt = sum(1 for r in tables["dates"] if r["alternatives"])
    n_alt = sum(len(r["alternatives"]) for c in ("entities", "dates") for r in tables[c])
    n_indirect = sum(1 for r in tables["quotes"] if r["kind"] == "indirect")
    n_nested = sum(
        1 for r in tables["quotes"] if r["kind"] == "indirect" and _nested(r, tables["quotes"])
    )
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
            "The gold was annotated twice, blind, by two sessions of one language model "
            "given the same guidelines, and every difference was adjudicated; no human "
            "annotator has checked it yet. "
            "From `annotations/AGREEMENT.md` of the newsgold repository (also installed "
            "with the package, as `newsgold/data/annotations/AGREEMENT.md`), as of this "
            "build:\n\n" + "\n".join("> " + ln if ln else ">" for ln in summary.splitlines())
        )
    else:
        agreement_md = (
            "`annotations/AGREEMENT.md` did not exist when this corpus was built, so no "
            "agreement figure is quoted here; see that file in the newsgold repository."
        )
    history = _changelog_entries(changelog)
    body = _card_template().format(
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
        n_ent_alt=n_ent_alt,
        n_date_alt=n_date_alt,
        n_alt=n_alt,
        n_indirect=n_indirect,
        n_nested=n_nested,
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


def _nested(quote: Mapping[str, Any], quotes: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a quote row lies inside another quote row of the same document."""
    return any(
        q is not quote
        and q["doc_id"] == quote["doc_id"]
        and q["start"] <= quote["start"]
        and quote["end"] <= q["end"]
        and (q["start"], q["end"]) != (quote["start"], quote["end"])
        for q in quotes
    )


def _share(n: int, of: int) -> str:
    return "–" if of == 0 else f"{100 * n / of:.1f}%"


def _changelog_entries(changelog: str) -> str:
    """The changelog's release entries with headings moved one level down."""
    lines = changelog.splitlines()
    first = next((i for i, ln in enumerate(lines) if ln.startswith("## ")), len(lines))
    return "\n".join(("#" + ln if ln.startswith("## ") else ln) for ln in lines[first:]).strip()


def _card_template() -> str:
    """The datasheet template (package data ``card.md``)."""
    return files("newsgold.corpus").joinpath("card.md").read_text(encoding="utf-8")
