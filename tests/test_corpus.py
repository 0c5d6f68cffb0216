"""corpus/: the build, the card, the manifest, offline ``load_dataset`` and the cache-key trap.

Expectations are computed from the files of annotations/ and seeds/ read
directly as JSON and bytes (never from counts of the current gold), so these
tests hold while the gold is being adjudicated.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import newsgold
from newsgold.cli import main
from newsgold.corpus import CONFIGS, build_corpus, stale_files, write_corpus
from newsgold.errors import NewsgoldError
from newsgold.model import Date, Document, Entity, Gold, KBEntry, Quote, Span
from newsgold.validate import load_gold

REPO = Path(__file__).resolve().parents[1]

# ---------------------------------------------------------------- helpers


def read_gold_json(root: Path) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """The gold as the raw JSON of annotations/, independent of the library's loader."""
    docs = {}
    for path in sorted((root / "annotations").glob("*.json")):
        if path.name != "kb.json":
            obj = json.loads(path.read_text(encoding="utf-8"))
            docs[obj["doc_id"]] = obj
    kb = json.loads((root / "annotations" / "kb.json").read_text(encoding="utf-8"))
    return docs, kb


def as_dataset_row(obj: dict[str, Any]) -> dict[str, Any]:
    """A gold document as its dataset row: every entity and date carries `alternatives`
    (the file writes the key only when there are any; the dataset has an empty list)."""
    out = dict(obj)
    for layer in ("entities", "dates"):
        out[layer] = [{**item, "alternatives": item.get("alternatives", [])} for item in obj[layer]]
    return out


def seed_text(root: Path, doc_id: str) -> str:
    return (root / "seeds" / f"{doc_id}.txt").read_bytes().decode("utf-8")


def schema_enum(root: Path, definition: str, prop: str) -> list[str]:
    schema = json.loads((REPO / "schemas" / "document.schema.json").read_text(encoding="utf-8"))
    return [v for v in schema["$defs"][definition]["properties"][prop]["enum"] if v is not None]


def copy_project(src: Path, dst: Path) -> Path:
    for part in ("seeds", "annotations"):
        shutil.copytree(src / part, dst / part, ignore=shutil.ignore_patterns("second_pass"))
    return dst


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def edit_a_date_value(project: Path) -> tuple[str, int, str, str]:
    """Change one full-date TIMEX value of the gold copy, keeping its length (and so every size).

    Returns ``(doc_id, index, old value, new value)``.
    """
    for path in sorted((project / "annotations").glob("*.json")):
        if path.name == "kb.json":
            continue
        obj = json.loads(path.read_text(encoding="utf-8"))
        for i, d in enumerate(obj["dates"]):
            if d["type"] == "DATE" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d["value"]):
                old = d["value"]
                day = int(old[-2:])
                new = f"{old[:-2]}{day % 27 + 1:02d}"
                d["value"] = new
                path.write_text(
                    json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
                )
                return obj["doc_id"], i, old, new
    pytest.skip("the gold has no full-date TIMEX value to edit")


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No network for datasets/huggingface_hub, whatever the caller's environment."""
    import datasets.config

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """annotations/ → `newsgold build` (on a copy) → load_dataset of every config, offline,
    with a cache of its own."""
    import datasets.config

    root = Path(__file__).resolve().parents[1]
    tmp = tmp_path_factory.mktemp("built")
    project = copy_project(root, tmp / "project")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("HF_DATASETS_OFFLINE", "1")
        mp.setattr(datasets.config, "HF_HUB_OFFLINE", True)
        mp.setattr(datasets.config, "HF_DATASETS_OFFLINE", True)
        result = run_cli("build", "--root", str(project))
        assert result.exit_code == 0, result.output
        corpus = project / "corpus"
        loaded = {c: newsgold.load(c, path=corpus, cache_dir=tmp / "hf-cache") for c in CONFIGS}
        docs, kb = read_gold_json(project)
        yield {"root": project, "corpus": corpus, "ds": loaded, "docs": docs, "kb": kb}


# ---------------------------------------------------------------- round trip


def test_documents_round_trip(built: dict[str, Any]) -> None:
    """Every `documents` row minus `text` equals its annotation file; `text` is the seed."""
    ds = built["ds"]["documents"]
    assert ds.split == "test"
    rows = {r["doc_id"]: r for r in ds}
    assert list(rows) == sorted(built["docs"])
    for doc_id, obj in built["docs"].items():
        row = dict(rows[doc_id])
        assert row.pop("text") == seed_text(built["root"], doc_id)
        assert row == as_dataset_row(obj)


@pytest.mark.parametrize("layer", ["entities", "dates", "quotes"])
def test_flat_layer_round_trip(built: dict[str, Any], layer: str) -> None:
    """The flat tables hold every annotation once, in gold order, with its doc_id."""
    rows = list(built["ds"][layer])
    expected = [
        {"doc_id": doc_id, **item}
        for doc_id, obj in sorted(built["docs"].items())
        for item in as_dataset_row(obj)[layer]
    ]
    assert rows == expected
    if layer != "quotes":
        # gold 2.0: the alternatives of the files survive, texts included
        with_alts = [r for r in rows if r["alternatives"]]
        assert len(with_alts) == sum(
            "alternatives" in item for obj in built["docs"].values() for item in obj[layer]
        )
        text = {d: seed_text(built["root"], d) for d in built["docs"]}
        for r in with_alts:
            for a in r["alternatives"]:
                assert text[r["doc_id"]][a["start"] : a["end"]] == a["text"]
    else:
        kinds = {r["kind"] for r in rows}
        assert kinds <= {"direct", "partial", "indirect"}


def test_kb_round_trip(built: dict[str, Any]) -> None:
    """The `kb` config is annotations/kb.json, row for row."""
    assert sorted(built["ds"]["kb"], key=lambda r: r["kb_id"]) == sorted(
        built["kb"], key=lambda r: r["kb_id"]
    )


def test_tokens_tags_give_back_the_gold_spans(built: dict[str, Any]) -> None:
    """ClassLabel names are the schema's labels in IOB2; decoding the tags of every
    sentence gives back exactly the gold entities and dates; tokens cover the text."""
    ds = built["ds"]["tokens"]
    ner_names = ds.features["ner_tags"].feature.names
    date_names = ds.features["date_tags"].feature.names
    labels = schema_enum(built["root"], "entity", "label")
    types = schema_enum(built["root"], "date", "type")
    assert ner_names == ["O", *(f"{p}-{x}" for x in labels for p in "BI")]
    assert date_names == ["O", *(f"{p}-{x}" for x in types for p in "BI")]

    def decode(row: dict[str, Any], key: str, names: list[str]) -> list[tuple[int, int, str]]:
        spans: list[list[Any]] = []
        for tag_id, start, end in zip(row[key], row["starts"], row["ends"], strict=True):
            tag = names[tag_id]
            if tag.startswith("B-"):
                spans.append([start, end, tag[2:]])
            elif tag.startswith("I-"):
                assert spans and spans[-1][2] == tag[2:], f"I- without B- in {row['doc_id']}"
                spans[-1][1] = end
        return [tuple(s) for s in spans]  # type: ignore[misc]

    by_doc: dict[str, list[dict[str, Any]]] = {}
    for row in ds:
        by_doc.setdefault(row["doc_id"], []).append(row)
    assert sorted(by_doc) == sorted(built["docs"])
    for doc_id, obj in built["docs"].items():
        sents = by_doc[doc_id]
        text = seed_text(built["root"], doc_id)
        assert [s["sentence"] for s in sents] == list(range(len(sents)))
        ents = [sp for s in sents for sp in decode(s, "ner_tags", ner_names)]
        dates = [sp for s in sents for sp in decode(s, "date_tags", date_names)]
        assert ents == [(e["start"], e["end"], e["label"]) for e in obj["entities"]]
        assert dates == [(d["start"], d["end"], d["type"]) for d in obj["dates"]]
        covered = []
        for s in sents:
            for tok, a, b in zip(s["tokens"], s["starts"], s["ends"], strict=True):
                assert tok == text[a:b]
                covered += range(a, b)
        assert covered == [i for i, ch in enumerate(text) if not ch.isspace()]


def test_row_counts_and_null_fields(built: dict[str, Any]) -> None:
    """Row counts equal the annotation files; every null of the gold loads as None."""
    docs = built["docs"]
    assert len(built["ds"]["documents"]) == len(docs)
    for layer in ("entities", "dates", "quotes"):
        assert len(built["ds"][layer]) == sum(len(o[layer]) for o in docs.values())
    assert len(built["ds"]["kb"]) == len(built["kb"])
    quotes = list(built["ds"]["quotes"])
    json_quotes = [q for o in docs.values() for q in o["quotes"]]
    assert [q["cue"] is None for q in quotes] == [q["cue"] is None for q in json_quotes]
    assert [q["speaker"] is None for q in quotes] == [q["speaker"] is None for q in json_quotes]
    json_mods = [d["mod"] for o in docs.values() for d in o["dates"]]
    assert [d["mod"] for d in built["ds"]["dates"]] == json_mods


def test_nullable_fields_in_a_tiny_corpus(tmp_path: Path, offline: None) -> None:
    """Edge case: a quote with no speaker and no cue, a date with no mod, a document with
    no quotes at all: nulls stay null and empty lists stay empty after load_dataset."""
    text = "“Go,” Putin said on Monday."
    p, m = text.index("Putin"), text.index("Monday")
    a = Document(
        "a",
        text,
        "2021-12-30",
        "r",
        entities=(Entity(p, p + 5, "Putin", "PER", "putin"),),
        dates=(Date(m, m + 6, "Monday", "DATE", "2021-12-27", None),),
        quotes=(Quote(1, 3, "Go", "direct", None, None),),
    )
    b = Document("b", "Nothing here.", "2021-12-30", "r")
    gold = Gold({"a": a, "b": b}, (KBEntry("putin", "Putin", "PER", ("Putin",)),))
    write_corpus(tmp_path / "c", build_corpus(gold))
    docs = {r["doc_id"]: r for r in newsgold.load(path=tmp_path / "c", cache_dir=tmp_path / "hf")}
    assert docs["a"]["quotes"] == [
        {"start": 1, "end": 3, "text": "Go", "kind": "direct", "speaker": None, "cue": None}
    ]
    assert docs["a"]["dates"][0]["mod"] is None
    assert docs["b"]["entities"] == docs["b"]["dates"] == docs["b"]["quotes"] == []


def test_alternatives_and_indirect_quotes_in_a_tiny_corpus(tmp_path: Path, offline: None) -> None:
    """Gold 2.0: an entity and a date with alternatives, one without, and an indirect
    quote nested in a direct one survive the dataset in every config that holds them."""
    text = "“The Kremlin said that talks start the next day,” he wrote on Monday."
    k = text.index("Kremlin")
    the = text.index("The")
    nd = text.index("the next day")
    said = text.index("said")
    clause = text.index("talks")
    close = text.index("”")
    mon = text.index("Monday")
    a = Document(
        "a",
        text,
        "2021-12-30",
        "r",
        entities=(
            Entity(
                k,
                k + 7,
                "Kremlin",
                "ORG",
                "kremlin",
                alternatives=(Span(the, k + 7, "The Kremlin"),),
            ),
        ),
        dates=(
            Date(
                nd + 4,
                nd + 12,
                "next day",
                "DATE",
                "2021-12-28",
                None,
                alternatives=(Span(nd, nd + 12, "the next day"),),
            ),
            Date(mon, mon + 6, "Monday", "DATE", "2021-12-27", None),
        ),
        quotes=(
            Quote(1, close, text[1:close], "direct", None, None),
            Quote(
                clause,
                close,
                text[clause:close],
                "indirect",
                "kremlin",
                Span(said, said + 4, "said"),
            ),
        ),
    )
    gold = Gold({"a": a}, (KBEntry("kremlin", "Kremlin", "ORG", ("Kremlin",)),))
    write_corpus(tmp_path / "c", build_corpus(gold))
    load = newsgold.load
    doc = next(iter(load(path=tmp_path / "c", cache_dir=tmp_path / "hf")))
    alt = {"start": the, "end": k + 7, "text": "The Kremlin"}
    assert doc["entities"][0]["alternatives"] == [alt]
    assert [d["alternatives"] for d in doc["dates"]] == [
        [{"start": nd, "end": nd + 12, "text": "the next day"}],
        [],
    ]
    assert [q["kind"] for q in doc["quotes"]] == ["direct", "indirect"]
    flat = {c: list(load(c, path=tmp_path / "c", cache_dir=tmp_path / "hf")) for c in CONFIGS}
    assert flat["entities"][0]["alternatives"] == [alt]
    assert [d["alternatives"] for d in flat["dates"]] == [d["alternatives"] for d in doc["dates"]]
    assert flat["quotes"][1]["cue"] == {"start": said, "end": said + 4, "text": "said"}
    assert "alternatives" not in flat["quotes"][0]
    assert "alternatives" not in flat["tokens"][0]


# ---------------------------------------------------------------- card and manifest


def test_card_parses_and_describes_the_data(built: dict[str, Any]) -> None:
    """The card parses with huggingface_hub.DatasetCard; its YAML declares every config
    (documents by default, test split only) with ClassLabel features; its datasheet
    carries the counts of annotations/ and the gold's sha256."""
    from huggingface_hub import DatasetCard

    card = DatasetCard.load(built["corpus"] / "README.md")
    data = card.data.to_dict()
    assert data["license"] == "cc-by-4.0"
    assert [c["config_name"] for c in data["configs"]] == list(CONFIGS)
    assert [c["config_name"] for c in data["configs"] if c.get("default")] == ["documents"]
    assert {f["split"] for c in data["configs"] for f in c["data_files"]} == {"test"}
    infos = {i["config_name"]: i for i in data["dataset_info"]}
    tags = next(f for f in infos["tokens"]["features"] if f["name"] == "ner_tags")
    assert list(tags["list"]["class_label"]["names"].values())[:3] == ["O", "B-PER", "I-PER"]
    assert infos["entities"]["splits"][0]["num_examples"] == sum(
        len(o["entities"]) for o in built["docs"].values()
    )
    assert data["newsgold"]["gold_sha256"] == load_gold(built["root"]).sha256

    text = card.text
    for heading in (
        "## Motivation",
        "## Composition",
        "## Source and provenance of the texts",
        "## Document creation times",
        "## Annotation process and agreement",
        "## Known problems",
        "## Intended uses",
        "## Out-of-scope uses",
        "## How to load",
        "## How to evaluate",
        "## Citation",
        "## Version history",
    ):
        assert heading in text
    # the release tag to pin; the repository id only in the card `newsgold publish` uploads
    version = data["newsgold"]["corpus_version"]
    assert f"`corpus-v{version}`" in text and "<!-- newsgold:hub-loading -->" in text
    assert "OWNER" not in text and "path/to/" not in text and "](../" not in text
    for doc_id, obj in built["docs"].items():
        chars = len(seed_text(built["root"], doc_id))
        n_ent, n_dat, n_quo = (len(obj[k]) for k in ("entities", "dates", "quotes"))
        assert re.search(
            rf"^\| `{doc_id}` \| {obj['dct']} \| {chars} \| \d+ \| \d+ \| {n_ent} \| {n_dat} \| {n_quo} \|$",
            text,
            re.M,
        ), doc_id
        assert obj["dct_reason"].replace("|", "\\|") in text
    for label in schema_enum(built["root"], "entity", "label"):
        n = sum(e["label"] == label for o in built["docs"].values() for e in o["entities"])
        assert f"| entities | {label} | {n} |" in text


def test_card_quotes_agreement_when_present(built: dict[str, Any]) -> None:
    """Every table row of AGREEMENT.md's agreement section is quoted in the card."""
    agreement = built["root"] / "annotations" / "AGREEMENT.md"
    text = (built["corpus"] / "README.md").read_text(encoding="utf-8")
    if not agreement.exists():
        assert "`annotations/AGREEMENT.md` did not exist when this corpus was built" in text
        return
    lines = agreement.read_text(encoding="utf-8").splitlines()
    section = next(i for i, ln in enumerate(lines) if ln.startswith("## ") and "greement" in ln)
    rows = []
    for ln in lines[section + 1 :]:
        if ln.startswith("## "):
            break
        if ln.startswith("|"):
            rows.append(ln)
    assert rows, "the agreement section has no table"
    for ln in rows:
        assert f"> {ln}" in text


def test_manifest_has_the_sha256_of_every_file_and_of_the_gold(built: dict[str, Any]) -> None:
    """manifest.json lists every other file of corpus/ with its real sha256 and size."""
    import hashlib

    corpus = built["corpus"]
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    on_disk = sorted(
        p.relative_to(corpus).as_posix()
        for p in corpus.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    )
    assert sorted(manifest["files"]) == on_disk
    for path, entry in manifest["files"].items():
        data = (corpus / path).read_bytes()
        assert entry == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    assert manifest["gold_sha256"] == load_gold(built["root"]).sha256
    assert manifest["corpus_version"] == (corpus / "VERSION").read_text().strip()
    assert {c: v["rows"] for c, v in manifest["configs"].items()}["documents"] == len(built["docs"])


# ---------------------------------------------------------------- determinism and --check


def test_build_is_byte_identical(project: Path, tmp_path: Path) -> None:
    """Two builds into two folders give the same bytes; a rebuild in place changes nothing."""
    assert run_cli("build", "--root", str(project), "--out", str(tmp_path / "a")).exit_code == 0
    assert run_cli("build", "--root", str(project), "--out", str(tmp_path / "b")).exit_code == 0
    files_a = {
        p.relative_to(tmp_path / "a"): p.read_bytes()
        for p in (tmp_path / "a").rglob("*")
        if p.is_file()
    }
    files_b = {
        p.relative_to(tmp_path / "b"): p.read_bytes()
        for p in (tmp_path / "b").rglob("*")
        if p.is_file()
    }
    assert files_a == files_b
    assert run_cli("build", "--root", str(project), "--out", str(tmp_path / "a")).exit_code == 0
    again = {
        p.relative_to(tmp_path / "a"): p.read_bytes()
        for p in (tmp_path / "a").rglob("*")
        if p.is_file()
    }
    assert again == files_a
    # no timestamp or absolute path leaks into any file
    for name, data in files_a.items():
        assert str(tmp_path).encode() not in data, name


def test_repo_corpus_is_in_step_with_the_gold(root: Path) -> None:
    """corpus/ of the repository is what `newsgold build` writes from annotations/ now:
    whoever changes the gold must rebuild and commit corpus/ (CI runs this)."""
    result = run_cli("build", "--check", "--root", str(root))
    assert result.exit_code == 0, result.output
    version = (root / "corpus" / "VERSION").read_text().strip()
    assert result.output == f"ok: {root / 'corpus'} is in step with the gold (corpus {version})\n"


def test_check_names_every_stale_file_after_a_gold_edit(project: Path) -> None:
    """Edge case: one TIMEX value changes (same length): --check exits 1 and names the
    new and old data files, the card and the manifest; then a rebuild is clean."""
    assert run_cli("build", "--root", str(project)).exit_code == 0
    corpus = project / "corpus"
    before = {p.name for p in (corpus / "data").iterdir()}
    edit_a_date_value(project)
    fresh = build_corpus(load_gold(project), *_inputs(project))
    after = {Path(p).name for p in fresh.files if p.startswith("data/")}
    new, old = sorted(after - before), sorted(before - after)
    assert len(new) == len(old) >= 2  # documents and dates at least
    result = run_cli("build", "--check", "--root", str(project))
    assert result.exit_code == 1
    expected = sorted(
        [f"{corpus}/data/{n}: $: missing" for n in new]
        + [f"{corpus}/README.md: $: differs", f"{corpus}/manifest.json: $: differs"]
    ) + [f"{corpus}/data/{o}: $: not part of the build" for o in old]
    assert result.output.splitlines() == [
        *_ordered(expected, fresh.files, corpus),
        f"error: {corpus} is stale: run `newsgold build` and commit it",
    ]
    assert run_cli("build", "--root", str(project)).exit_code == 0
    assert run_cli("build", "--check", "--root", str(project)).exit_code == 0
    assert {p.name for p in (corpus / "data").iterdir()} == after


def _inputs(project: Path) -> tuple[str | None, str | None]:
    from newsgold.corpus import read_inputs

    return read_inputs(project, project / "corpus")


def _ordered(lines: list[str], files: Any, corpus: Path) -> list[str]:
    """Lines in the order --check prints them: the build's files in order, then extras."""
    order = {f"{corpus}/{p}": i for i, p in enumerate(files)}
    return sorted(
        lines,
        key=lambda ln: (
            ln.endswith("not part of the build"),
            order.get(ln.split(": $:", 1)[0], 0),
            ln,
        ),
    )


@pytest.mark.parametrize("name", ["notes.txt", ".x.tmp", "data/.README.md.ab12cd.tmp"])
def test_check_reports_a_file_that_is_not_part_of_the_build(project: Path, name: str) -> None:
    """Edge case: a stray file in corpus/ makes it stale too, a dot-file (a temporary file
    left by a killed writer) included; every line in the FILE: $: message form."""
    assert run_cli("build", "--root", str(project)).exit_code == 0
    (project / "corpus" / name).write_text("x")
    result = run_cli("build", "--check", "--root", str(project))
    assert result.exit_code == 1
    assert result.output == (
        f"{project / 'corpus'}/{name}: $: not part of the build\n"
        f"error: {project / 'corpus'} is stale: run `newsgold build` and commit it\n"
    )


def test_same_data_from_another_pyarrow_is_in_step(project: Path) -> None:
    """Edge case: CI has another pyarrow, whose parquet bytes differ: the check compares
    the tables, and still catches a real change of the data."""
    import pyarrow.parquet as pq

    assert run_cli("build", "--root", str(project)).exit_code == 0
    corpus = project / "corpus"
    manifest = json.loads((corpus / "manifest.json").read_text())
    manifest["writer"]["pyarrow"] = "0.0.0-other"
    (corpus / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    path = next((corpus / "data").glob("kb-*.parquet"))
    table = pq.read_table(path)
    pq.write_table(table, path, compression="snappy")  # other bytes, same table
    fresh = build_corpus(load_gold(project), *_inputs(project))
    assert path.read_bytes() != fresh.files[f"data/{path.name}"]
    assert stale_files(corpus, fresh) == []
    pq.write_table(table.slice(1), path, compression="snappy")  # a row fewer
    assert stale_files(corpus, fresh) == [f"data/{path.name}: $: differs"]


def test_changelog_sets_the_version(project: Path) -> None:
    """The newest '## X.Y.Z' heading of CHANGELOG.md is the version; a heading that is not
    a version is an error naming the file and line."""
    corpus = project / "corpus"
    corpus.mkdir()
    (corpus / "CHANGELOG.md").write_text(
        "# Changelog\n\n## 1.1.0 (2026-12-01)\n\n- fix\n\n## 1.0.0\n"
    )
    assert run_cli("build", "--root", str(project)).exit_code == 0
    assert (corpus / "VERSION").read_text() == "1.1.0\n"
    card = (corpus / "README.md").read_text()
    assert "corpus_version: 1.1.0" in card and "### 1.1.0 (2026-12-01)" in card
    (corpus / "CHANGELOG.md").write_text("# Changelog\n\n## next\n")
    result = run_cli("build", "--root", str(project))
    assert result.exit_code == 1
    assert result.output == (
        f"{corpus}/CHANGELOG.md:3: $: got '## next', expected a version heading "
        "'## MAJOR.MINOR.PATCH ...' (the newest release first)\n1 problem in 1 file\n"
    )


def test_build_refuses_invalid_gold(project: Path) -> None:
    """Edge case: a gold file that does not validate: no corpus is written."""
    path = next(p for p in sorted((project / "annotations").glob("*.json")) if p.name != "kb.json")
    obj = json.loads(path.read_text())
    obj["dct"] = "2021-02-30"
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")
    result = run_cli("build", "--root", str(project))
    assert result.exit_code == 1
    assert "$.dct: got '2021-02-30', expected a real calendar date YYYY-MM-DD" in result.output
    assert not (project / "corpus").exists()


# ---------------------------------------------------------------- the datasets cache key


def test_rebuild_after_gold_edit_loads_the_edit(
    project: Path, tmp_path: Path, offline: None
) -> None:
    """The cache-key trap: same corpus folder, same cache, a gold edit that keeps every
    size: load_dataset after the rebuild returns the edited value, not the cached one."""
    cache = tmp_path / "hf-cache"
    corpus = project / "corpus"
    assert run_cli("build", "--root", str(project)).exit_code == 0
    doc_id, i, old, new = edit_a_date_value(project)
    rows = {r["doc_id"]: r for r in newsgold.load("documents", path=corpus, cache_dir=cache)}
    assert rows[doc_id]["dates"][i]["value"] == old
    assert run_cli("build", "--root", str(project)).exit_code == 0
    rows = {r["doc_id"]: r for r in newsgold.load("documents", path=corpus, cache_dir=cache)}
    assert rows[doc_id]["dates"][i]["value"] == new
    flat = [
        r for r in newsgold.load("dates", path=corpus, cache_dir=cache) if r["doc_id"] == doc_id
    ]
    assert flat[i]["value"] == new


def test_the_trap_is_real_without_content_addressed_files(tmp_path: Path, offline: None) -> None:
    """Control: with a fixed data file name and an unchanged card, datasets serves the old
    rows from its cache. If this starts failing, datasets fixed its cache key."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datasets import load_dataset

    folder = tmp_path / "plain"
    (folder / "data").mkdir(parents=True)
    (folder / "README.md").write_text(
        "---\nconfigs:\n- config_name: c\n  data_files:\n  - split: test\n    path: data/a.parquet\n---\n"
    )
    for value in ("AAAA", "BBBB"):
        pq.write_table(pa.table({"x": [value]}), folder / "data" / "a.parquet")
        row = load_dataset(str(folder), "c", split="test", cache_dir=str(tmp_path / "c"))[0]
    assert row == {"x": "AAAA"}


# ---------------------------------------------------------------- load()


def test_load_api_errors(tmp_path: Path) -> None:
    """Unknown config and missing corpus: one clear NewsgoldError each."""
    with pytest.raises(
        NewsgoldError,
        match=r"unknown config 'token' \(expected one of documents, entities, dates, quotes, tokens, kb\)",
    ):
        newsgold.load("token")
    with pytest.raises(NewsgoldError) as exc:
        newsgold.load(path=tmp_path)
    assert (
        str(exc.value)
        == f"{tmp_path}: no corpus here (expected README.md and data/); run `newsgold build`"
    )


def test_load_defaults_to_documents_of_the_bundled_corpus(
    built: dict[str, Any], offline: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """newsgold.load() with no argument loads `documents` from the project's corpus/."""
    monkeypatch.setenv("NEWSGOLD_ROOT", str(built["root"]))
    ds = newsgold.load(cache_dir=tmp_path / "hf")
    assert ds.num_rows == len(built["docs"])
    assert ds.column_names[:2] == ["doc_id", "text"]


# ---------------------------------------------------------------- property: rows → parquet → rows


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """A random document: text of letters, spaces, periods and line breaks, with
    non-overlapping entities and (independently) dates that do not start or end in white space."""
    text = draw(st.text(alphabet=st.sampled_from(list("ab AB.\n’")), min_size=1, max_size=50))

    def spans(kinds: list[str]) -> list[tuple[int, int, str]]:
        cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
        out = []
        for a, b in zip(cuts[::2], cuts[1::2], strict=False):
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b:
                out.append((a, b, draw(st.sampled_from(kinds))))
        return out

    ents = tuple(Entity(a, b, text[a:b], lab, "k") for a, b, lab in spans(["PER", "GPE"]))
    dates = tuple(
        Date(a, b, text[a:b], t, "2021", draw(st.sampled_from([None, "APPROX"])))
        for a, b, t in spans(["DATE", "SET"])
    )
    quotes = tuple(
        Quote(a, b, text[a:b], "direct", draw(st.sampled_from([None, "k"])), None)
        for a, b, _ in spans(["q"])
    )
    return Document("d", text, "2021-12-30", "r", ents, dates, quotes)


@settings(max_examples=60, deadline=None)
@given(doc=documents())
def test_tables_survive_parquet_and_tags_give_back_spans(doc: Document) -> None:
    """Property: every config's rows come back from its parquet bytes unchanged (nulls
    included), and the IOB2 tags of the `tokens` rows decode to exactly the spans."""
    import io

    import pyarrow.parquet as pq

    from newsgold.corpus import NER_TAGS, build_tables, to_parquet

    gold = Gold({"d": doc}, (KBEntry("k", "K", "PER", ("K",)),))
    tables = build_tables(gold)
    for config, rows in tables.items():
        data, _ = to_parquet(config, rows)
        assert pq.read_table(io.BytesIO(data)).to_pylist() == rows, config
    got = []
    for row in tables["tokens"]:
        for tag, a, b in zip(row["ner_tags"], row["starts"], row["ends"], strict=True):
            name = NER_TAGS[tag]
            if name.startswith("B-"):
                got.append([a, b, name[2:]])
            elif name.startswith("I-"):
                got[-1][1] = b
    assert [tuple(g) for g in got] == [(e.start, e.end, e.label) for e in doc.entities]
