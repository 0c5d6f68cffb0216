"""Score a system in one call: newsgold.evaluate and `newsgold run` (real systems, no downloads)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

import newsgold
from newsgold.cli import main
from newsgold.errors import NewsgoldError, ValidationError
from newsgold.evaluate import evaluate, predict, system_kind
from newsgold.jsonio import iter_jsonl, prediction_from_json
from newsgold.model import Document, Entity, Gold, Prediction
from newsgold.report import corpus_version
from newsgold.scoring import Report, score
from newsgold.validate import load_gold


@pytest.fixture(scope="module")
def gold(root: Path) -> Gold:
    return load_gold(root)


def first_gold_entities(text: str, dct: str, *, gold: Gold) -> dict[str, Any]:
    """A system that knows the answer for half the entities (every other gold entity)."""
    doc = next(d for d in gold.docs.values() if d.text == text)
    return {
        "entities": [{"start": e.start, "end": e.end, "label": e.label} for e in doc.entities[::2]]
    }


def capital_words(text: str, dct: str) -> dict[str, Any]:
    """A callable system: every capitalised word is an ORG; it also reports the dct it saw."""
    ents = [
        {"start": m.start(), "end": m.end(), "text": m.group(0), "label": "ORG"}
        for m in re.finditer(r"\b[A-Z][a-z]+\b", text)
    ]
    capital_words.seen.append(dct)  # type: ignore[attr-defined]
    return {"entities": ents}


capital_words.seen = []  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- callables


def test_evaluate_is_exported() -> None:
    """newsgold.evaluate is the function, not the module."""
    assert newsgold.evaluate is evaluate


def test_callable_report_equals_score_of_its_predictions(
    gold: Gold, tmp_path: Path, root: Path, reference: ModuleType
) -> None:
    """A callable: the report is exactly what score() gives on the same predictions (plus
    the run section), the JSONL it wrote reads back equal, and it got each document's dct."""
    capital_words.seen.clear()  # type: ignore[attr-defined]
    out = tmp_path / "pred.jsonl"
    seen: list[str] = []
    report = evaluate(
        capital_words, gold=gold, out=str(out), n_bootstrap=20, on_document=seen.append
    )
    assert isinstance(report, Report)
    assert seen == sorted(gold.docs)
    assert capital_words.seen == [gold.docs[d].dct for d in sorted(gold.docs)]  # type: ignore[attr-defined]
    lines = [obj for _, obj in iter_jsonl(out)]
    assert [obj["doc_id"] for obj in lines] == sorted(gold.docs)
    expected = score(
        gold,
        [prediction_from_json(o) for o in lines],
        n_bootstrap=20,
        corpus_version=corpus_version(root),
    )
    got = report.to_json()
    run = got.pop("run")
    assert got == expected.to_json()
    assert run["kind"] == "callable" and run["documents"] == len(gold.docs)
    assert run["system"].endswith("capital_words")
    assert run["documents_per_second"] == pytest.approx(len(gold.docs) / run["seconds"], rel=1e-3)
    assert report.to_json()["layers"] == ["entities"]
    # and the figures themselves, recomputed without the scorer: by the reference scorer, and
    # strict precision and recall as plain set counts (capitalised words never overlap each other)
    independent = reference.score_records(gold, lines)["entities"]
    for mode in ("strict", "exact", "partial", "type"):
        for key in ("precision", "recall", "f1"):
            want = independent[mode][key]
            assert report.figure(f"entities.{mode}.{key}") == round(want, 6), (mode, key)
    truth = {(d, e.start, e.end, e.label) for d, doc in gold.docs.items() for e in doc.entities}
    guessed = {
        (o["doc_id"], e["start"], e["end"], e["label"]) for o in lines for e in o["entities"]
    }
    hits = len(truth & guessed)
    assert hits > 0 and len(truth) > hits
    assert report.figure("entities.strict.recall") == round(hits / len(truth), 6)
    assert report.figure("entities.strict.precision") == round(hits / len(guessed), 6)


def test_half_the_gold_scores_as_half(gold: Gold) -> None:
    """A system returning every other gold entity: precision 1, recall = its share of the gold."""
    report = evaluate(
        lambda text, dct: first_gold_entities(text, dct, gold=gold), gold=gold, n_bootstrap=0
    )
    n_gold = sum(len(d.entities) for d in gold.docs.values())
    n_pred = sum(len(d.entities[::2]) for d in gold.docs.values())
    assert report.figure("entities.strict.precision") == 1.0
    assert report.figure("entities.strict.recall") == round(n_pred / n_gold, 6)


def test_layers_restrict_what_is_kept(gold: Gold) -> None:
    """layers=['dates'] drops the entity layer the callable returned."""
    run = predict(lambda t, d: {"entities": [], "dates": []}, gold.docs, layers=["dates"])
    assert all(p.entities is None and p.dates == () for p in run.predictions)


def test_callable_may_return_a_prediction() -> None:
    """A Prediction record is accepted as well as a dict; a wrong doc_id in it is replaced."""
    docs = {"a": Document("a", "Putin", "2021-12-30", "r")}
    run = predict(lambda t, d: Prediction("zzz", entities=(Entity(0, 5, label="PER"),)), docs)
    assert run.predictions == (Prediction("a", entities=(Entity(0, 5, label="PER"),)),)


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        (
            {"entities": [{"start": 0, "end": 99, "label": "PER"}]},
            "<{name} on a>: $[a].entities[0].end: 99 > len(text)=5 (expected an offset inside the text)",
        ),
        (
            {"entities": [{"start": 0, "end": 5, "text": "Putn", "label": "PER"}]},
            "<{name} on a>: $[a].entities[0].text: got 'Putn', expected the text at [0:5] = 'Putin'",
        ),
        (
            {"entities": [{"start": 0, "label": "PER"}]},
            "<{name} on a>: $[a].entities[0]: missing required key 'end'",
        ),
        (
            ["Putin"],
            '<{name} on a>: $: the system returned ["Putin"] (expected a dict like '
            '{"entities": [...], "dates": [...], "quotes": [...]})',
        ),
        (
            {"doc_id": "b", "entities": []},
            "<{name} on a>: $.doc_id: got 'b', expected 'a' or no doc_id",
        ),
    ],
    ids=["offset-past-end", "wrong-text", "missing-end", "not-a-dict", "other-doc-id"],
)
def test_bad_callable_output(output: Any, expected: str) -> None:
    """Invalid output is reported like a bad predictions line, naming system and document."""
    docs = {"a": Document("a", "Putin", "2021-12-30", "r")}

    def system(text: str, dct: str) -> Any:
        return output

    with pytest.raises(ValidationError) as info:
        predict(system, docs)
    name = f"{__name__}:test_bad_callable_output.<locals>.system"
    assert str(info.value) == expected.replace("{name}", name)


def test_system_that_raises() -> None:
    """An exception inside the system names the document, keeping the cause."""
    docs = {"a": Document("a", "Putin", "2021-12-30", "r")}

    def broken(text: str, dct: str) -> dict[str, Any]:
        raise KeyError("api_key")

    with pytest.raises(NewsgoldError) as info:
        predict(broken, docs)
    assert str(info.value) == (
        f"the system {__name__}:test_system_that_raises.<locals>.broken failed on "
        "document 'a': KeyError: 'api_key'"
    )
    assert isinstance(info.value.__cause__, KeyError)


def test_not_a_system() -> None:
    """Something that is neither a pipeline nor callable."""
    with pytest.raises(NewsgoldError, match=r"^cannot evaluate a str \(expected a spaCy Language"):
        system_kind("en_core_web_sm")


def test_unknown_label_needs_a_scheme(gold: Gold) -> None:
    """OntoNotes labels under the default scheme: the scorer's error, with the --scheme hint."""
    with pytest.raises(ValidationError, match=r"unknown label 'PERSON' .*or pass a --scheme"):
        evaluate(
            lambda t, d: {"entities": [{"start": 0, "end": 1, "label": "PERSON"}]},
            gold=gold,
            n_bootstrap=0,
        )


# --------------------------------------------------------------------------- the CLI


def write_module(folder: Path, name: str, body: str) -> None:
    (folder / f"{name}.py").write_text(body, encoding="utf-8")


def test_cli_run_python_callable(
    tmp_path: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`newsgold run --python MODULE:FUNCTION --score --json`: a module in the current folder."""
    write_module(
        tmp_path,
        "tagger_mod",
        "import re\n"
        "def predict(text, dct):\n"
        "    return {'entities': [{'start': m.start(), 'end': m.end(), 'label': 'GPE'}\n"
        "                         for m in re.finditer(r'\\bRussia\\b', text)]}\n",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    result = CliRunner().invoke(
        main,
        ["run", "--python", "tagger_mod:predict", "--out", "p.jsonl", "--score", "--json", "r.json",
         "--bootstrap", "0", "--no-progress", "--root", str(root)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["run"]["kind"] == "callable" and report["run"]["system"] == "tagger_mod:predict"
    assert report["run"]["documents_per_second"] > 0
    gold = load_gold(root)
    hits = sum(
        1
        for d in gold.docs.values()
        for m in re.finditer(r"\bRussia\b", d.text)
        if Entity(m.start(), m.end(), "Russia", "GPE")
        in {Entity(e.start, e.end, e.text, e.label) for e in d.entities}
    )
    total = sum(len(re.findall(r"\bRussia\b", d.text)) for d in gold.docs.values())
    assert 0 < hits < total
    assert report["entities"]["strict"]["precision"] == round(hits / total, 6)
    assert "system: callable tagger_mod:predict, 5 documents in" in result.output
    assert len((tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()) == 5
    del sys.modules["tagger_mod"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--python", "nosuchmod_xyz:f"], "error: --python 'nosuchmod_xyz:f': cannot import 'nosuchmod_xyz': No module named 'nosuchmod_xyz' (expected a module importable from the current folder or the environment)\n"),
        (["--python", "os:nothing_here"], "error: --python 'os:nothing_here': 'os' has no attribute 'nothing_here'\n"),
        (["--python", "os:sep"], "error: cannot evaluate a str (expected a spaCy Language, a Hugging Face token-classification pipeline, or a callable (text, dct) -> {\"entities\": [...], \"dates\": [...], \"quotes\": [...]})\n"),
        (["--hf", "no/such/folder"], "error: --hf 'no/such/folder': no config.json there (expected a local folder with a saved token-classification model and its tokenizer, as written by save_pretrained; newsgold downloads nothing)\n"),
        (["--spacy", "xx_no_such_pipeline"], "error: cannot load the spaCy pipeline 'xx_no_such_pipeline': [E050] Can't find model 'xx_no_such_pipeline'. It doesn't seem to be a Python package or a valid path to a data directory. (expected an installed pipeline package or a folder written by nlp.to_disk; newsgold downloads nothing)\n"),
    ],
    ids=["no-module", "no-attribute", "not-callable", "hf-not-a-folder", "spacy-not-installed"],
)  # fmt: skip
def test_cli_run_systems_that_do_not_load(
    args: list[str], expected: str, tmp_path: Path, root: Path
) -> None:
    """Each way a named system can fail to load: one line, exit 1, no file written."""
    out = tmp_path / "p.jsonl"
    result = CliRunner().invoke(
        main, ["run", *args, "--out", str(out), "--no-progress", "--root", str(root)]
    )
    assert result.exit_code == 1
    assert result.stderr == expected
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "give exactly one of --spacy MODEL, --hf PATH, --python MODULE:FUNCTION, --cmd COMMAND"),
        (["--python", "a:b", "--cmd", "x {input} {output}"], "give exactly one of --spacy MODEL, --hf PATH, --python MODULE:FUNCTION, --cmd COMMAND, --openai URL (got --python, --cmd)"),
        (["--python", "a:b", "--timeout", "3"], "--timeout applies to --cmd and --openai only"),
        (["--python", "a:b", "--output-format", "brat"], "--output-format applies to --cmd only"),
        (["--python", "a:b", "--json", "-"], "--json needs --score"),
    ],
    ids=["none", "two", "timeout-without-cmd", "format-without-cmd", "json-without-score"],
)  # fmt: skip
def test_cli_run_usage_errors(args: list[str], expected: str, tmp_path: Path) -> None:
    """Option combinations that make no sense: usage error, exit 2."""
    result = CliRunner().invoke(main, ["run", *args, "--out", str(tmp_path / "p.jsonl")])
    assert result.exit_code == 2
    assert f"Error: {expected}" in result.stderr


def test_run_has_help_and_a_documented_section(documentation: str) -> None:
    """`newsgold run` is documented: --help works and README.md or docs/*.md has its section."""
    result = CliRunner().invoke(main, ["run", "--help"])
    assert result.exit_code == 0 and "--cmd COMMAND" in result.output
    assert "### `newsgold run " in documentation


# --------------------------------------------------------------------------- spaCy


def ruler_pipeline() -> Any:
    """A real spaCy pipeline built here: blank English + entity_ruler with OntoNotes labels,
    including a DATE pattern that the ontonotes scheme moves to the dates layer."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Putin"},
            {"label": "PERSON", "pattern": [{"LOWER": "vladimir"}, {"LOWER": "putin"}]},
            {"label": "GPE", "pattern": "Moscow"},
            {"label": "ORG", "pattern": "NATO"},
            {"label": "DATE", "pattern": "Thursday"},
            {"label": "CARDINAL", "pattern": "two"},
        ]
    )
    return nlp


def strict_precision(gold: Gold, preds: tuple[Prediction, ...], mapping: dict[str, str]) -> float:
    """Exact span and label matches over predicted entities: a plain set count."""
    hits = total = 0
    for p in preds:
        truth = {(e.start, e.end, e.label) for e in gold.docs[p.doc_id].entities}
        for e in p.entities or ():
            if e.label in mapping:
                total += 1
                hits += (e.start, e.end, mapping[e.label]) in truth
    return hits / total


def test_spacy_entity_ruler(gold: Gold, root: Path) -> None:
    """evaluate(nlp, scheme='ontonotes'): doc.ents with spaCy's labels; the report equals
    score() of the predictions it made; DATE goes to dates, CARDINAL is set aside."""
    nlp = ruler_pipeline()
    assert system_kind(nlp) == "spacy"
    run = predict(nlp, gold.docs)
    texts = {e.text for p in run.predictions for e in p.entities or ()}
    assert texts <= {"Putin", "Vladimir Putin", "Moscow", "NATO", "Thursday", "two"}
    for p in run.predictions:
        doc = gold.docs[p.doc_id]
        assert len([e for e in p.entities or () if e.text == "Moscow"]) == len(
            re.findall(r"\bMoscow\b", doc.text)
        )
    report = evaluate(nlp, gold=gold, scheme="ontonotes", n_bootstrap=0)
    got = report.to_json()
    run_section = got.pop("run")
    assert run_section["kind"] == "spacy" and run_section["system"] == "en_pipeline-0.0.0"
    expected = score(
        gold, run.predictions, scheme="ontonotes", n_bootstrap=0,
        corpus_version=corpus_version(root),
    )  # fmt: skip
    assert got == expected.to_json()
    assert got["scheme"]["set_aside"].get("CARDINAL", 0) == sum(
        e.label == "CARDINAL" for p in run.predictions for e in p.entities or ()
    )
    mapping = {"PERSON": "PER", "GPE": "GPE", "ORG": "ORG"}
    assert report.figure("entities.strict.precision") == round(
        strict_precision(gold, run.predictions, mapping), 6
    )


def test_cli_run_spacy_from_disk(gold: Gold, tmp_path: Path, root: Path) -> None:
    """`newsgold run --spacy FOLDER`: a pipeline saved with nlp.to_disk, loaded by path."""
    ruler_pipeline().to_disk(tmp_path / "ruler")
    result = CliRunner().invoke(
        main,
        ["run", "--spacy", str(tmp_path / "ruler"), "--scheme", "ontonotes", "--out",
         str(tmp_path / "p.jsonl"), "--score", "--json", "-", "--bootstrap", "0", "--root", str(root)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["run"]["kind"] == "spacy" and report["run"]["documents"] == len(gold.docs)
    assert "5/5" in result.stderr
    preds = [prediction_from_json(o) for _, o in iter_jsonl(tmp_path / "p.jsonl")]
    assert preds == list(predict(ruler_pipeline(), gold.docs).predictions)


# --------------------------------------------------------------------------- Hugging Face

#: The tiny model's lexicon: word pieces and the tag each one gets.
LEXICON = {
    "putin": "B-PER", "ush": "B-PER", "##ak": "I-PER", "##ov": "I-PER",
    "moscow": "B-GPE", "russia": "B-GPE", "nato": "B-ORG",
}  # fmt: skip
TAGS = ["O", "B-PER", "I-PER", "B-GPE", "I-GPE", "B-ORG", "I-ORG"]


def tiny_token_classifier() -> Any:
    """A real HF token-classification pipeline over a tiny BERT made from a config (no
    download): zero transformer layers, word embeddings set so that each lexicon word
    piece is tagged with its tag and every other token O. 'Ushakov' is three word pieces."""
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast, pipeline

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *LEXICON]
    tokenizer = BertTokenizerFast(vocab={t: i for i, t in enumerate(vocab)}, do_lower_case=True)
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=len(TAGS) + 1, num_hidden_layers=0,
        num_attention_heads=1, intermediate_size=4, max_position_embeddings=512,
        id2label=dict(enumerate(TAGS)), label2id={t: i for i, t in enumerate(TAGS)},
    )  # fmt: skip
    torch.manual_seed(0)
    model = BertForTokenClassification(config).eval()
    with torch.no_grad():
        emb = model.bert.embeddings
        emb.position_embeddings.weight.zero_()
        emb.token_type_embeddings.weight.zero_()
        emb.word_embeddings.weight.zero_()
        for token, i in tokenizer.get_vocab().items():
            emb.word_embeddings.weight[i, TAGS.index(LEXICON.get(token, "O"))] = 1.0
        model.classifier.weight.copy_(torch.eye(len(TAGS), len(TAGS) + 1))
        model.classifier.bias.zero_()
    return pipeline(
        "token-classification", model=model, tokenizer=tokenizer, aggregation_strategy="simple"
    )


def lexicon_spans(text: str) -> set[tuple[int, int, str]]:
    """Where the lexicon's words stand in a text as whole words (what the model must find)."""
    words = {"putin": "PER", "ushakov": "PER", "moscow": "GPE", "russia": "GPE", "nato": "ORG"}
    return {
        (m.start(), m.end(), words[m.group(0).lower()])
        for m in re.finditer(
            r"(?<![^\W_])(?:putin|ushakov|moscow|russia|nato)(?![^\W_])", text, re.I
        )
    }


@pytest.fixture(scope="module")
def hf_pipe() -> Any:
    return tiny_token_classifier()


def test_hf_pipeline(gold: Gold, hf_pipe: Any) -> None:
    """evaluate(pipeline): paragraphs through a real tokenizer and model, offsets back in the
    document, word pieces joined ('Ushakov'), entity_group as the label."""
    assert system_kind(hf_pipe) == "hf"
    run = predict(hf_pipe, gold.docs)
    for p in run.predictions:
        text = gold.docs[p.doc_id].text
        got = {(e.start, e.end, e.label) for e in p.entities or ()}
        assert got == lexicon_spans(text), p.doc_id
        assert all(e.score is not None and 0 < e.score <= 1 for e in p.entities or ())
    assert any(e.text == "Ushakov" for p in run.predictions for e in p.entities or ())
    report = evaluate(hf_pipe, gold=gold, n_bootstrap=0)
    assert report.to_json()["run"]["kind"] == "hf"
    mapping = {"PER": "PER", "GPE": "GPE", "ORG": "ORG"}
    assert report.figure("entities.strict.precision") == round(
        strict_precision(gold, run.predictions, mapping), 6
    )


def test_cli_run_hf_from_disk(gold: Gold, hf_pipe: Any, tmp_path: Path, root: Path) -> None:
    """`newsgold run --hf FOLDER`: the model and tokenizer saved with save_pretrained."""
    folder = tmp_path / "tiny-ner"
    hf_pipe.model.save_pretrained(folder)
    hf_pipe.tokenizer.save_pretrained(folder)
    result = CliRunner().invoke(
        main,
        ["run", "--hf", str(folder), "--out", str(tmp_path / "p.jsonl"), "--score", "--json",
         "-", "--bootstrap", "0", "--no-progress", "--root", str(root)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["run"]["kind"] == "hf" and report["run"]["documents_per_second"] > 0
    preds = [prediction_from_json(o) for _, o in iter_jsonl(tmp_path / "p.jsonl")]
    for p in preds:
        assert {(e.start, e.end, e.label) for e in p.entities or ()} == lexicon_spans(
            gold.docs[p.doc_id].text
        )
