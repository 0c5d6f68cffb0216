"""The prediction adapters, on fixture files in each real format (tests/fixtures/convert/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgold import load_gold
from newsgold.cli import main
from newsgold.convert import from_label_studio
from newsgold.convert.brat import from_brat
from newsgold.convert.conll import from_conll
from newsgold.convert.hf import from_hf
from newsgold.convert.jsonl import from_jsonl, to_jsonl
from newsgold.errors import ValidationError
from newsgold.scoring import score

FIX = Path(__file__).parent / "fixtures" / "convert"
DOC = "000_e9e65d9efa045d67"
MODES = ("strict", "exact", "partial", "type")


@pytest.fixture(scope="module")
def gold(root: Path):  # type: ignore[no-untyped-def]
    return load_gold(root)


def _ents(pred):  # type: ignore[no-untyped-def]
    return [(e.start, e.end, e.label) for e in pred.entities]


def test_conll_fixture_aligns_to_the_text(gold) -> None:  # type: ignore[no-untyped-def]
    """CoNLL-2003 four columns, sentences split by blank lines: entities at the text's offsets."""
    preds = from_conll((FIX / "system.conll").read_text(encoding="utf-8"), gold)
    assert [p.doc_id for p in preds] == [DOC]
    assert _ents(preds[0]) == [
        (0, 7, "MISC"),
        (18, 32, "PER"),
        (125, 138, "LOC"),
        (194, 202, "MISC"),
        (215, 224, "PER"),
    ]
    assert all(gold.docs[DOC].text[e.start : e.end] == e.text for e in preds[0].entities)
    rep = score(gold, preds, scheme="conll", n_bootstrap=0)
    assert rep.figure("entities.per_document.000_e9e65d9efa045d67.strict.precision") == 1.0


def test_conll_misaligned_token_is_an_error(gold) -> None:  # type: ignore[no-untyped-def]
    """A token that is not the next stretch of the text: error with line, token and what the text has."""
    text = f"-DOCSTART- {DOC}\nRussian B-MISC\nPresidnet O\n"
    with pytest.raises(ValidationError) as info:
        from_conll(text, gold, source="s.conll")
    assert str(info.value) == (
        "s.conll:3: $.token: token 'Presidnet' does not match the text of "
        f"{DOC} at offset 8 (the text has 'President'; expected the tokens in text order, nothing left out)"
    )


def test_conll_bad_tag_and_unknown_document(gold) -> None:  # type: ignore[no-untyped-def]
    """Every problem at once: an unknown document and a tag that is not BIO."""
    text = f"-DOCSTART- nope\nx O\n-DOCSTART- {DOC}\nRussian PER\n"
    with pytest.raises(ValidationError) as info:
        from_conll(text, gold, source="s.conll")
    messages = [p.message for p in info.value.problems]
    assert messages[0].startswith("unknown doc_id 'nope'")
    assert messages[1] == "got 'PER', expected O, B-<label> or I-<label>"


def test_conll_iob1_continuation_starts_an_entity(gold) -> None:  # type: ignore[no-untyped-def]
    """IOB1: I-X after O starts an entity; I-Y after I-X starts another (conlleval)."""
    text = f"-DOCSTART- {DOC}\nRussian I-MISC\nPresident I-PER\nVladimir I-PER\n"
    assert _ents(from_conll(text, gold)[0]) == [(0, 7, "MISC"), (8, 26, "PER")]


def test_brat_fixture(gold) -> None:  # type: ignore[no-untyped-def]
    """A real .ann with entities, a relation, a note and an attribute: entities only, offsets as is."""
    files = {p.stem: p.read_text(encoding="utf-8") for p in (FIX / "brat").glob("*.ann")}
    preds = from_brat(files, gold)
    assert _ents(preds[0]) == [
        (0, 7, "NORP"),
        (18, 32, "PER"),
        (125, 138, "GPE"),
        (215, 224, "ORG"),
    ]
    rep = score(gold, preds, n_bootstrap=0)
    assert rep.figure("entities.per_document.000_e9e65d9efa045d67.type.precision") == 0.75


def test_brat_errors(gold) -> None:  # type: ignore[no-untyped-def]
    """Discontinuous span, wrong surface, unknown line type, unknown document: all reported."""
    files = {
        DOC: "T1\tPER 0 3;4 7\tRus sian\nT2\tPER 0 7\tRussia\nX1\twhat\n",
        "nope": "T1\tPER 0 1\tR\n",
    }
    with pytest.raises(ValidationError) as info:
        from_brat(files, gold, folder="ann")
    got = [str(p) for p in info.value.problems]
    assert got == [
        f"ann/{DOC}.ann:1: $: discontinuous span '0 3;4 7' (expected one contiguous START END, or "
        "fragments split only at line breaks)",
        f"ann/{DOC}.ann:2: $: got 'Russia', expected the text at [0:7] = 'Russian'",
        f"ann/{DOC}.ann:3: $: got 'X1\\twhat', expected 'T<n><TAB>LABEL START END<TAB>TEXT'",
        "ann/nope.ann: $: no gold document 'nope' (expected files named <doc_id>.ann)",
    ]


def test_hf_aggregated_fixture_trims_leading_space(gold) -> None:  # type: ignore[no-untyped-def]
    """entity_group output; the RoBERTa-style span ' Vladimir Putin' starts at the space and is trimmed."""
    preds = from_hf(json.loads((FIX / "hf_pipeline.json").read_text(encoding="utf-8")), gold)
    assert _ents(preds[0]) == [
        (0, 7, "MISC"),
        (18, 32, "PER"),
        (125, 138, "LOC"),
        (215, 224, "PER"),
    ]
    assert preds[0].entities[1].score == 0.9995


def test_hf_token_tags_are_merged(gold) -> None:  # type: ignore[no-untyped-def]
    """Without aggregation: B-/I- tokens become entities, scores averaged."""
    rows = [
        json.loads(line)
        for line in (FIX / "hf_tokens.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    pred = from_hf(rows, gold)[0]
    assert _ents(pred) == [(18, 32, "PER"), (125, 138, "LOC")]
    assert pred.entities[0].score == pytest.approx(0.98)


def test_hf_without_offsets_is_an_error(gold) -> None:  # type: ignore[no-untyped-def]
    """A slow tokenizer gives no offsets: the error says so."""
    with pytest.raises(ValidationError) as info:
        from_hf({DOC: [{"entity_group": "PER", "word": "Putin", "start": None, "end": None}]}, gold)
    assert "expected an integer offset (run the pipeline with a fast tokenizer" in str(info.value)


def test_label_studio_export_predictions(gold) -> None:  # type: ignore[no-untyped-def]
    """A Label Studio export with a model's pre-annotations: its entities and dates are scored."""
    tasks = json.loads((FIX / "label_studio_export.json").read_text(encoding="utf-8"))
    preds = from_label_studio(tasks, gold)
    assert _ents(preds[0]) == [(0, 7, "NORP"), (18, 32, "PER"), (125, 138, "ORG")]
    assert [(d.start, d.end, d.value) for d in preds[0].dates or ()] == [(41, 49, "2021-12-30")]


def test_label_studio_two_predictions_is_an_error(gold) -> None:  # type: ignore[no-untyped-def]
    """Two model versions in one task: which one to score is ambiguous, so it is an error."""
    tasks = json.loads((FIX / "label_studio_export.json").read_text(encoding="utf-8"))
    tasks[0]["predictions"].append(dict(tasks[0]["predictions"][0], model_version="other"))
    with pytest.raises(ValidationError) as info:
        from_label_studio(tasks, gold, source="x.json")
    assert "2 predictions (my-system-1.0, other), expected one" in str(info.value)


def test_jsonl_round_trip(gold) -> None:  # type: ignore[no-untyped-def]
    """to_jsonl then from_jsonl gives the same records; a bad line is reported with its line."""
    preds = from_conll((FIX / "system.conll").read_text(encoding="utf-8"), gold)
    assert from_jsonl(to_jsonl(preds), gold.docs) == preds
    with pytest.raises(ValidationError) as info:
        from_jsonl('{"doc_id": "nope"}\n', gold.docs, source="p.jsonl")
    assert str(info.value).startswith("p.jsonl:1: $.doc_id: unknown doc_id 'nope'")


def test_spacy_docbin_fixture(gold) -> None:  # type: ignore[no-untyped-def]
    """A DocBin with two Docs (one found by text, one by user_data doc_id), OntoNotes labels."""
    pytest.importorskip("spacy")
    from newsgold.convert.spacy import from_docbin

    preds = from_docbin((FIX / "system.spacy").read_bytes(), gold)
    assert [p.doc_id for p in preds] == [DOC, "001_6065d58d5078e82b"]
    assert _ents(preds[0]) == [
        (0, 7, "NORP"),
        (18, 32, "PERSON"),
        (41, 49, "DATE"),
        (125, 138, "GPE"),
    ]
    rep = score(gold, preds, scheme="ontonotes", n_bootstrap=0)
    assert rep.figure("dates.per_document.000_e9e65d9efa045d67.strict.precision") == 1.0


def test_spacy_bad_bytes(gold) -> None:  # type: ignore[no-untyped-def]
    """Bytes that are not a DocBin: a clear error, no traceback."""
    pytest.importorskip("spacy")
    from newsgold.convert.spacy import from_docbin

    with pytest.raises(ValidationError) as info:
        from_docbin(b"not msgpack at all", gold, source="x.spacy")
    assert str(info.value).startswith("x.spacy: $: not a spaCy DocBin")


def _adapter_predictions(fmt: str, path: Path, gold):  # type: ignore[no-untyped-def]
    """The fixture through its adapter's Python function (each checked span by span above)."""
    if fmt == "jsonl":
        return from_jsonl(path.read_text(encoding="utf-8"))
    if fmt == "conll":
        return from_conll(path.read_text(encoding="utf-8"), gold)
    if fmt == "brat":
        return from_brat({p.stem: p.read_text(encoding="utf-8") for p in path.glob("*.ann")}, gold)
    if fmt == "hf" and path.suffix == ".jsonl":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        return from_hf(rows, gold)
    if fmt == "hf":
        return from_hf(json.loads(path.read_text(encoding="utf-8")), gold)
    if fmt == "label-studio":
        return from_label_studio(json.loads(path.read_text(encoding="utf-8")), gold)
    from newsgold.convert.spacy import from_docbin

    return from_docbin(path.read_bytes(), gold)


@pytest.mark.parametrize(
    ("fmt", "path", "scheme"),
    [
        ("jsonl", "system.jsonl", "newsgold"),
        ("conll", "system.conll", "conll"),
        ("brat", "brat", "newsgold"),
        ("hf", "hf_pipeline.json", "conll"),
        ("hf", "hf_tokens.jsonl", "conll"),
        ("label-studio", "label_studio_export.json", "newsgold"),
        ("spacy", "system.spacy", "ontonotes"),
    ],
)
def test_cli_score_every_format(  # type: ignore[no-untyped-def]
    root: Path, fmt: str, path: str, scheme: str, gold, reference
) -> None:
    """newsgold score --format F on each fixture: the JSON report names the scheme and its
    figures, overall and per document, equal the reference scorer's (no code shared with the
    scorer) on what the adapter reads from the same file."""
    if fmt == "spacy":
        pytest.importorskip("spacy")
    result = CliRunner().invoke(
        main,
        [
            "score",
            str(FIX / path),
            "--format",
            fmt,
            "--scheme",
            scheme,
            "--json",
            "-",
            "--bootstrap",
            "0",
            "--root",
            str(root),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["scheme"]["name"] == scheme
    preds = _adapter_predictions(fmt, FIX / path, gold)
    expected = reference.score_records(gold, reference.records_of_predictions(preds), scheme)
    assert report["layers"], report["layers"]
    for layer in report["layers"]:
        ours = report[layer]
        for mode in {
            "entities": MODES,
            "dates": ("strict", "relaxed"),
            "quotes": ("strict", "overlap", "end_to_end"),
        }[layer]:
            for key in ("precision", "recall", "f1"):
                want = expected[layer][mode][key]
                got = ours[mode][key]
                assert got == (None if want is None else round(want, 6)), (
                    layer,
                    mode,
                    key,
                    got,
                    want,
                )
        assert (ours["gold"], ours["predicted"]) == (
            expected[layer]["gold"],
            expected[layer]["predicted"],
        )
        for doc_id, entry in ours["per_document"].items():
            assert entry["predicted"] == expected[layer]["per_document"][doc_id]["predicted"], (
                doc_id
            )
    # not vacuous: the fixture predicts entities in DOC, and some of them are right
    assert report["entities"]["per_document"][DOC]["predicted"] >= 2
    assert report["entities"]["strict"]["correct"] >= 1


def test_conll_anonymous_docstarts_follow_doc_id_order(gold) -> None:  # type: ignore[no-untyped-def]
    """The original '-DOCSTART- -X- -X- O': documents in doc_id order, and all of them."""
    ids = list(gold.docs)
    first_tokens = []
    for doc_id in ids:
        text = gold.docs[doc_id].text
        token = text.split()[0]
        first_tokens.append(f"-DOCSTART- -X- -X- O\n\n{token} NN O O\n")
    preds = from_conll("\n".join(first_tokens), gold)
    assert [p.doc_id for p in preds] == ids
    with pytest.raises(ValidationError) as info:
        from_conll("\n".join(first_tokens[:2]), gold, source="s.conll")
    assert str(info.value) == (
        f"s.conll: $: 2 documents with -DOCSTART- -X- ids, expected all {len(ids)} in doc_id order "
        "(or name each: -DOCSTART- <doc_id>)"
    )


def test_hf_accepts_numpy_scalars_as_a_real_pipeline_returns_them(gold) -> None:  # type: ignore[no-untyped-def]
    """A live pipeline gives numpy.float32 scores (and may give numpy integer offsets)."""
    import numpy as np

    from newsgold.convert.hf import from_pipeline_output

    text = gold.docs[DOC].text
    start = text.index("Putin")
    out = [
        {
            "entity_group": "PER",
            "score": np.float32(0.75),
            "word": "Putin",
            "start": np.int64(start),
            "end": start + 5,
        }
    ]
    pred = from_pipeline_output(DOC, text, out)
    (ent,) = pred.entities or ()
    assert (ent.start, ent.end, ent.text, ent.label) == (start, start + 5, "Putin", "PER")
    assert type(ent.start) is int and type(ent.score) is float and ent.score == 0.75
    with pytest.raises(ValidationError, match=r"\.score: got true, expected a number"):
        from_pipeline_output(DOC, text, [{**out[0], "score": True}])


@pytest.mark.parametrize("fmt", ["label-studio", "hf", "conll", "spacy"])
def test_score_a_directory_where_a_file_is_expected(tmp_path: Path, fmt: str, root: Path) -> None:
    """A folder given to a file format is named as such: exit 1, one line, no traceback."""
    folder = tmp_path / "preds"
    folder.mkdir()
    result = CliRunner().invoke(main, ["score", str(folder), "--format", fmt, "--root", str(root)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{folder}: $: is a directory (expected a {fmt} file)"
